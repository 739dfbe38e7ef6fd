"""Softmax with a temperature: ``softmax(z/τ)_k = e^{z_k/τ} / Σ_j e^{z_j/τ}``.

Questions ask what the temperature does to one probability (knowledge distillation softens
the teacher with τ > 1; sampling sharpens with τ < 1), so the explanation compares with τ = 1.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import quizgen.concepts.format as fmt
from quizgen.concepts.base import Concept, Params, Solution
from quizgen.concepts.exact import ExpFrac, Rat, Value, exp_mul, fraction_of, json_number
from quizgen.concepts.logits import e_sum, softmax_of, stable_softmax, sums_to_one
from quizgen.concepts.shapes import (
    compact,
    divides_by_temperature,
    exp_fractions,
    has_index,
    log_of_exp_fraction,
    same_up_to_index,
)

TAUS = (Fraction(1, 2), Fraction(1, 4), Fraction(2), Fraction(4), Fraction(5), Fraction(10))


def recognise(latex: str, context: str) -> bool:
    s = compact(latex)
    if log_of_exp_fraction(s):
        return False  # a loss over a tempered softmax (InfoNCE, distillation loss)
    return any(
        has_index(top) and divides_by_temperature(top) and same_up_to_index(top, bottom)
        and "g_" not in top and r"\sqrt" not in top  # Gumbel noise, attention scaling
        for top, bottom in exp_fractions(s)
    )


def sample(rng: random.Random) -> Params | None:
    n = rng.choice((3, 3, 4))
    logits = [rng.randint(-2, 4) for _ in range(n)]
    if len(set(logits)) == 1:
        return None
    tau = rng.choice(TAUS)
    # Ask about the top class most of the time: that is where the temperature's effect shows.
    top = logits.index(max(logits))
    k = top if rng.random() < 0.6 else rng.randrange(n)
    return {"logits": logits, "index": k, "tau": json_number(tau)}


def solve(params: Mapping[str, Any]) -> Solution:
    z = [fraction_of(v) for v in params["logits"]]
    k = params["index"]
    tau = fraction_of(params["tau"])
    if not isinstance(k, int) or not 0 <= k < len(z) or len(z) < 2 or tau <= 0:
        raise ValueError("index must be a position in logits, tau positive")
    scaled = [v / tau for v in z]
    answer = softmax_of(scaled, k)
    plain = softmax_of(z, k)
    n = len(z)
    distractors: list[tuple[str, Value]] = [
        ("temperature_ignored", plain),
        ("multiplied_by_temperature", softmax_of([v * tau for v in z], k)),
        ("uniform_instead", Rat(Fraction(1, n))),
        ("wrong_component", softmax_of(scaled, (k + 1) % n)),
    ]
    if tau > 1:  # dividing a probability by τ > 1 still looks like a probability
        distractors.append(("probability_divided_by_temperature", plain.scaled(1 / tau)))
    elif (1 / tau).denominator == 1:  # p^(1/τ) without renormalising
        power = int(1 / tau)
        num, den = plain.num, plain.den
        for _ in range(power - 1):
            num, den = exp_mul(num, plain.num), exp_mul(den, plain.den)
        distractors.append(("powered_not_renormalised", ExpFrac(num, den)))
    pos, zs, ts = k + 1, fmt.vector(params["logits"]), fmt.num(params["tau"])
    formula = (rf"\(p_i=\frac{{e^{{z_i/\tau}}}}{{\sum_{{j=1}}^{{{n}}}e^{{z_j/\tau}}}}\)")
    if tau > 1:
        setting = (rf"知识蒸馏中，教师网络的 logits 为 \(z={zs}\)，"
                   rf"用温度 \(\tau={ts}\) 软化后作为学生的软标签 {formula}。"
                   rf"第 {pos} 类的软标签概率是多少？")
        effect = r"\(\tau>1\) 把分布拉向均匀，小概率类别之间的相对大小（“暗知识”）得以保留。"
    else:
        setting = (rf"采样时把 logits \(z={zs}\) 除以温度 \(\tau={ts}\) 再做 softmax：{formula}。"
                   rf"第 {pos} 类被采到的概率是多少？")
        effect = r"\(\tau<1\) 放大 logits 之间的差距，分布更尖锐，\(\tau\to 0\) 时退化为 argmax。"
    plain_text = fmt.sig(plain.to_float())
    explanation = (
        rf"先除以温度：\(z/\tau={fmt.vector([json_number(v) for v in scaled])}\)，再做 softmax："
        rf"\(p_{{{pos}}}={fmt.worked(fmt.frac(e_sum([scaled[k]]), e_sum(scaled)), answer)}\)。"
        rf"不加温度时该概率为 {plain_text}；{effect}"
    )
    p_max = max(softmax_of(scaled, j).to_float() for j in range(n))
    plain_max = max(softmax_of(z, j).to_float() for j in range(n))
    sharper = p_max >= plain_max - 1e-12 if tau < 1 else p_max <= plain_max + 1e-12
    return Solution(
        answer=answer,
        cross_check=stable_softmax(scaled, k),
        distractors=tuple(distractors),
        question=setting,
        explanation=explanation,
        invariants=(("outputs sum to 1", sums_to_one(scaled)),
                    ("τ < 1 sharpens, τ > 1 flattens the top probability", sharper)),
    )


CONCEPT = Concept(
    name="softmax_temperature",
    title="带温度的 Softmax (Softmax with Temperature)",
    canonical=(r"\frac{e^{z_i/T}}{\sum_{j=1}^{K}e^{z_j/T}}",),
    recognise=recognise,
    sample=sample,
    solve=solve,
)
