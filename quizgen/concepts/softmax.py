"""Softmax: ``softmax(z)_k = e^{z_k} / Σ_j e^{z_j}``."""

from __future__ import annotations

import random
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import quizgen.concepts.format as fmt
from quizgen.concepts.base import Concept, Params, Solution
from quizgen.concepts.exact import ExpFrac, Rat, Value, exp_add, exp_term, fraction_of
from quizgen.concepts.logits import e_power, e_sum, softmax_of, stable_softmax, sums_to_one
from quizgen.concepts.shapes import (
    compact,
    exp_fractions,
    has_index,
    log_of_exp_fraction,
    same_up_to_index,
)
from quizgen.patterns import lazy_pattern

_NOT_PLAIN = lazy_pattern(r"/|\\tau|\\log|g_|\\frac|\\sqrt")


def recognise(latex: str, context: str) -> bool:
    s = compact(latex)
    if (r"\exp" not in s and "e^" not in s) or log_of_exp_fraction(s):
        return False  # the log of a softmax is a loss (cross-entropy), not the softmax itself
    return any(
        has_index(top) and not _NOT_PLAIN.search(top) and same_up_to_index(top, bottom)
        # temperature (z_i/T), Gumbel noise (log π_i + g_i) or √d scaling: other concepts
        for top, bottom in exp_fractions(s)
    )


def sample(rng: random.Random) -> Params | None:
    n = rng.choice((3, 3, 4))
    logits = [rng.randint(-2, 3) for _ in range(n)]
    if len(set(logits)) == 1:
        return None
    return {"logits": logits, "index": rng.randrange(n)}


def solve(params: Mapping[str, Any]) -> Solution:
    z = [fraction_of(v) for v in params["logits"]]
    k = params["index"]
    if not isinstance(k, int) or not 0 <= k < len(z) or len(z) < 2:
        raise ValueError("index must be a 0-based position in logits (≥ 2 logits)")
    answer = softmax_of(z, k)
    shifted = stable_softmax(z, k)  # second route: shift-invariance
    normalised = sums_to_one(z)
    others = [j for j in range(len(z)) if j != k]
    distractors: list[tuple[str, Value]] = [
        ("no_normalisation", ExpFrac(exp_term(z[k]))),
        ("uniform_instead", Rat(Fraction(1, len(z)))),
        ("excludes_own_term", ExpFrac(exp_term(z[k]), exp_add(*(exp_term(z[j]) for j in others)))),
        ("hard_max", Rat(Fraction(int(z[k] == max(z) and z.count(max(z)) == 1)))),
    ]
    if sum(z) != 0:
        distractors.append(("linear_normalisation", Rat(z[k] / sum(z))))
    j = others[0]
    distractors.append(("wrong_component", softmax_of(z, j)))
    n = len(z)
    pos = k + 1
    zs = fmt.vector(params["logits"])
    question = (
        rf"设 logits \(z=(z_1,\dots,z_{{{n}}})={zs}\)。求 Softmax 输出的第 {pos} 个分量 "
        rf"\(\mathrm{{softmax}}(z)_{{{pos}}}="
        rf"\frac{{e^{{z_{{{pos}}}}}}}{{\sum_{{j=1}}^{{{n}}} e^{{z_j}}}}\)。"
    )
    den = e_sum(z)
    explanation = (
        rf"分子取第 {pos} 个 logit 的指数，分母把所有分量的指数相加（归一化，使各输出之和为 1）："
        rf"\(\mathrm{{softmax}}(z)_{{{pos}}}=\frac{{{e_power(z[k])}}}{{{den}}}={fmt.with_approx(answer)}\)。"
    )
    return Solution(
        answer=answer,
        cross_check=shifted,
        distractors=tuple(distractors),
        question=question,
        explanation=explanation,
        invariants=(("outputs sum to 1", normalised), ("0 < p < 1", 0 < answer.to_float() < 1)),
    )


CONCEPT = Concept(
    name="softmax",
    title="Softmax",
    canonical=(r"\frac{e^{z_i}}{\sum_{j=1}^{K} e^{z_j}}",),
    recognise=recognise,
    sample=sample,
    solve=solve,
)
