"""Gumbel-Softmax (Concrete) relaxation: ``y_k = softmax((z + g)/τ)_k`` with class logits
``z = log π`` and Gumbel noise ``g``; the hard sample (Gumbel-Max) is ``argmax_k (z_k + g_k)``."""

from __future__ import annotations

import random
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import quizgen.concepts.format as fmt
from quizgen.concepts.base import Concept, Params, Solution
from quizgen.concepts.exact import Rat, Value, fraction_of, json_number
from quizgen.concepts.logits import e_sum, softmax_of, stable_softmax, sums_to_one
from quizgen.concepts.shapes import compact, exp_fractions, log_of_exp_fraction, same_up_to_index
from quizgen.patterns import lazy_pattern

_NOISE = lazy_pattern(r"[gG]_(?:\{\w+\}|\w)")
TAUS = (Fraction(1, 2), Fraction(1), Fraction(2))


def recognise(latex: str, context: str) -> bool:
    s = compact(latex)
    if log_of_exp_fraction(s):
        return False
    # The logit plus a Gumbel sample, inside every exponent: exp((log π_i + g_i)/τ).
    return any(
        _NOISE.search(top) and "+" in top and same_up_to_index(top, bottom)
        for top, bottom in exp_fractions(s)
    )


def sample(rng: random.Random) -> Params | None:
    n = rng.choice((3, 3, 4))
    logits = [Fraction(rng.randint(-4, 4), 2) for _ in range(n)]
    # Gumbel(0, 1) samples mostly fall in (−1.5, 3); one decimal keeps the arithmetic exact.
    gumbels = [Fraction(rng.randint(-10, 25), 10) for _ in range(n)]
    noisy = [a + b for a, b in zip(logits, gumbels, strict=True)]
    if len(set(noisy)) < n or len(set(logits)) == 1:
        return None
    return {
        "logits": [json_number(v) for v in logits],
        "gumbels": [json_number(v) for v in gumbels],
        "tau": json_number(rng.choice(TAUS)),
        "index": rng.randrange(n),
    }


def solve(params: Mapping[str, Any]) -> Solution:
    z = [fraction_of(v) for v in params["logits"]]
    g = [fraction_of(v) for v in params["gumbels"]]
    tau = fraction_of(params["tau"])
    k = params["index"]
    if len(z) != len(g) or len(z) < 2 or tau <= 0 or not isinstance(k, int) or not 0 <= k < len(z):
        raise ValueError("logits and gumbels must match, tau > 0, index a position")
    noisy = [(a + b) / tau for a, b in zip(z, g, strict=True)]
    answer = softmax_of(noisy, k)
    hard = max(range(len(z)), key=lambda j: z[j] + g[j])
    distractors: list[tuple[str, Value]] = [
        ("noise_ignored", softmax_of([a / tau for a in z], k)),
        ("temperature_ignored", softmax_of([a + b for a, b in zip(z, g, strict=True)], k)),
        ("noise_not_divided_by_temperature",
         softmax_of([a / tau + b for a, b in zip(z, g, strict=True)], k)),
        ("noise_subtracted", softmax_of([(a - b) / tau for a, b in zip(z, g, strict=True)], k)),
        ("hard_sample_instead", Rat(Fraction(int(hard == k)))),
    ]
    n, pos = len(z), k + 1
    zs, gs, ts = fmt.vector(params["logits"]), fmt.vector(params["gumbels"]), fmt.num(params["tau"])
    question = (
        rf"Gumbel-Softmax 重参数：类别 logits（即 \(\log\pi_i\)）为 \(z={zs}\)，本次采到的 Gumbel "
        rf"噪声为 \(g={gs}\)，温度 \(\tau={ts}\)。松弛后的样本 "
        rf"\(y_i=\frac{{\exp((z_i+g_i)/\tau)}}{{\sum_{{j=1}}^{{{n}}}\exp((z_j+g_j)/\tau)}}\) "
        rf"的第 {pos} 个分量是多少？"
    )
    explanation = (
        rf"先加噪声再除以温度：\((z+g)/\tau={fmt.vector([json_number(v) for v in noisy])}\)，"
        rf"\(y_{{{pos}}}={fmt.worked(fmt.frac(e_sum([noisy[k]]), e_sum(noisy)), answer)}\)。"
        rf"对应的 Gumbel-Max 硬样本是第 {hard + 1} 类（\(z+g\) 最大者）；\(\tau\) 越小，"
        rf"\(y\) 越接近这个"
        r" one-hot 向量，但梯度方差越大。"
    )
    return Solution(
        answer=answer,
        cross_check=stable_softmax(noisy, k),
        distractors=tuple(distractors),
        question=question,
        explanation=explanation,
        invariants=(("outputs sum to 1", sums_to_one(noisy)),
                    ("the hard sample has the largest relaxed component",
                     max(range(n), key=lambda j: softmax_of(noisy, j).to_float()) == hard)),
    )


CONCEPT = Concept(
    name="gumbel_softmax",
    title="Gumbel-Softmax",
    canonical=(
        r"\frac{\exp((\log\pi_i+g_i)/\tau)}{\sum_{j=1}^{K}\exp((\log\pi_j+g_j)/\tau)}",
        r"\frac{\exp((z_i+g_i)/\tau)}{\sum_{j=1}^{K}\exp((z_j+g_j)/\tau)}",
    ),
    recognise=recognise,
    sample=sample,
    solve=solve,
)
