"""Focal loss (Lin et al. 2017) of one prediction: ``FL = −α (1 − p_t)^γ ln p_t`` where
``p_t`` is the probability the model gives the true class.

With the extra keys ``label`` and ``p_positive`` the question gives the positive-class output
and the label instead, so the student forms ``p_t`` (``1 − p`` for a negative) first.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from fractions import Fraction
from math import comb
from typing import Any

import quizgen.concepts.format as fmt
from quizgen.concepts.base import Concept, Params, Solution
from quizgen.concepts.exact import LogLin, Rat, Value, fraction_of, json_number
from quizgen.concepts.shapes import compact
from quizgen.patterns import lazy_pattern

_PT = r"(?:p|P|\\hat\{p\})_\{?t\}?"
_FOCAL = lazy_pattern(rf"\(1-{_PT}\)\^\{{?\\gamma\}}?\\(?:log|ln)\(?{_PT}")


def recognise(latex: str, context: str) -> bool:
    return bool(_FOCAL.search(compact(latex)))


PROBS = tuple(Fraction(k, 20) for k in range(1, 20))


def sample(rng: random.Random) -> Params | None:
    gamma = rng.choice((0, 1, 2, 2, 2, 3, 5))
    alpha = rng.choice((Fraction(1, 4), Fraction(1, 4), Fraction(1, 2), Fraction(3, 4),
                        Fraction(1)))
    p_t = rng.choice(PROBS)
    params: dict[str, Any] = {"p": json_number(p_t), "gamma": gamma, "alpha": json_number(alpha)}
    if rng.random() < 0.5:
        label = rng.randint(0, 1)
        params.update(label=label, p_positive=json_number(p_t if label else 1 - p_t))
    return params


def focal(p: Fraction, gamma: int, alpha: Fraction) -> LogLin:
    return LogLin.ln(p).scale(-alpha * (1 - p) ** gamma)


def solve(params: Mapping[str, Any]) -> Solution:
    p, alpha = fraction_of(params["p"]), fraction_of(params["alpha"])
    gamma = params["gamma"]
    if not isinstance(gamma, int) or isinstance(gamma, bool) or gamma < 0 or not 0 < p < 1:
        raise ValueError("gamma must be a non-negative integer and 0 < p < 1")
    answer = focal(p, gamma, alpha)
    # Second route: the modulating factor by the binomial theorem, times ln(1/p_t).
    factor = sum((comb(gamma, k) * (-p) ** k for k in range(gamma + 1)), Fraction(0))
    cross = LogLin.ln(1 / p).scale(alpha * factor)
    ce = -LogLin.ln(p)
    distractors: list[tuple[str, Value]] = [
        ("plain_cross_entropy", ce),
        ("alpha_left_out", focal(p, gamma, Fraction(1))),
        ("modulated_by_p_not_one_minus_p", LogLin.ln(p).scale(-alpha * p**gamma)),
        ("gamma_as_a_factor", LogLin.ln(p).scale(-alpha * gamma * (1 - p)) if gamma else ce),
    ]
    label = params.get("label")
    if label in (0, 1) and "p_positive" in params:
        q = fraction_of(params["p_positive"])
        if label == 0:
            distractors.append(("positive_probability_used_as_p_t", focal(q, gamma, alpha)))
        given = (rf"模型对正类的输出 \(p={fmt.num(params['p_positive'])}\)，样本标签 \(y={label}\)"
                 rf"（\(p_t=p\) 若 \(y=1\)，否则 \(p_t=1-p\)）")
        first = rf"\(p_t={fmt.num(params['p'])}\)，"
    else:
        given = rf"模型给真实类别的概率 \(p_t={fmt.num(params['p'])}\)"
        first = ""
    gs, al = str(gamma), fmt.num(params["alpha"])
    question = (
        rf"Focal loss \(FL(p_t)=-\alpha(1-p_t)^{{\gamma}}\ln p_t\)，取 \(\gamma={gs}\)，"
        rf"\(\alpha={al}\)。"
        rf"{given}。这个样本的 focal loss 是多少？"
    )
    modulating = fmt.with_approx(Rat((1 - p) ** gamma))
    explanation = (
        rf"{first}调制因子 \((1-p_t)^{{\gamma}}={modulating}\)，"
        rf"交叉熵 \(-\ln p_t\approx {fmt.sig(ce.to_float())}\)，"
        rf"\(FL={fmt.with_approx(answer)}\)。"
        rf"易分样本（\(p_t\) 大）的损失被 \((1-p_t)^\gamma\) 大幅压低，"
        r"训练集中在难分样本上；\(\gamma=0\) 时退化为（加权的）交叉熵。"
    )
    return Solution(
        answer=answer,
        cross_check=cross,
        distractors=tuple(distractors),
        question=question,
        explanation=explanation,
        invariants=(("0 ≤ FL ≤ α·CE", -1e-12 <= answer.to_float()
                     <= float(alpha) * ce.to_float() + 1e-12),),
    )


CONCEPT = Concept(
    name="focal_loss",
    title="Focal Loss",
    canonical=(
        r"-\alpha(1-p_t)^{\gamma}\log p_t",
        r"-\alpha_t(1-p_t)^{\gamma}\log p_t",
        r"-(1-p_t)^{\gamma}\log p_t",
    ),
    recognise=recognise,
    sample=sample,
    solve=solve,
    up_to_scale=True,  # summed or averaged over a batch, in bits or nats: the same loss
)
