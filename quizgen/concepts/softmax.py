"""Softmax: ``softmax(z)_k = e^{z_k} / Σ_j e^{z_j}``."""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import quizgen.concepts.format as fmt
from quizgen.concepts.base import Concept, Params, Solution
from quizgen.concepts.exact import ExpFrac, ExpSum, Rat, Value, exp_add, exp_term, fraction_of
from quizgen.concepts.shapes import compact, fractions
from quizgen.latex import group_end

_SUM_LIMITS = re.compile(r"^\\sum(?:_\{[^{}]*\}|_\w)?(?:\^\{[^{}]*\}|\^\w)?(?:_\{[^{}]*\}|_\w)?")
_INDEX = re.compile(r"_(?:\{\w+\}|\w)")
_LOG_OF_FRACTION = re.compile(r"\\log\(?\\[dt]?frac\{(?:e\^|\\exp)")
_NOT_PLAIN = re.compile(r"/|\\tau|\\log|g_|\\frac")


def exp_argument(term: str) -> str | None:
    """The exponent of ``term`` when the whole term is ``e^{..}``, ``e^x`` or ``\\exp(..)``."""
    if term.startswith("e^{"):
        end = group_end(term, 2)
        return term[3 : end - 1] if end == len(term) else None
    if term.startswith("e^"):
        m = re.fullmatch(r"e\^(\\?[A-Za-z]+(?:_(?:\{\w+\}|\w))?)", term)
        return m.group(1) if m else None
    if term.startswith(r"\exp(") and term.endswith(")"):
        depth = 0
        for i, c in enumerate(term[4:], start=4):
            depth += {"(": 1, ")": -1}.get(c, 0)
            if depth == 0:
                return term[5:i] if i == len(term) - 1 else None
    if term.startswith(r"\exp{"):
        end = group_end(term, 4)
        return term[5 : end - 1] if end == len(term) else None
    return None


def recognise(latex: str, context: str) -> bool:
    s = compact(latex)
    if r"\exp" not in s and "e^" not in s:
        return False
    # The log of a softmax is a loss (cross-entropy), not the softmax itself.
    if _LOG_OF_FRACTION.search(s):
        return False
    for num, den in fractions(s):
        top = exp_argument(num)
        m = _SUM_LIMITS.match(den)
        if top is None or not m or m.end() == 0:
            continue
        bottom = exp_argument(den[m.end() :])
        if bottom is None or not _INDEX.search(top):
            continue
        if _NOT_PLAIN.search(top):
            continue  # temperature (z_i/T) or Gumbel noise (log π_i + g_i): a variant, not softmax
        if _INDEX.sub("_", top) == _INDEX.sub("_", bottom):
            return True
    return False


def sample(rng: random.Random) -> Params | None:
    n = rng.choice((3, 3, 4))
    logits = [rng.randint(-2, 3) for _ in range(n)]
    if len(set(logits)) == 1:
        return None
    return {"logits": logits, "index": rng.randrange(n)}


def _softmax(z: list[Fraction], k: int, shift: Fraction = Fraction(0)) -> ExpFrac:
    return ExpFrac(exp_term(z[k] + shift), exp_add(*(exp_term(v + shift) for v in z)))


def _e(v: Fraction) -> str:
    return "1" if v == 0 else ("e" if v == 1 else f"e^{{{fmt.num(v)}}}")


def solve(params: Mapping[str, Any]) -> Solution:
    z = [fraction_of(v) for v in params["logits"]]
    k = params["index"]
    if not isinstance(k, int) or not 0 <= k < len(z) or len(z) < 2:
        raise ValueError("index must be a 0-based position in logits (≥ 2 logits)")
    answer = _softmax(z, k)
    # Second route: shift-invariance, evaluated with the largest logit subtracted.
    shifted = _softmax(z, k, -max(z))
    nums: list[ExpSum] = [exp_term(v) for v in z]
    normalised = exp_add(*nums) == answer.den
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
    distractors.append(("wrong_component", _softmax(z, j)))
    n = len(z)
    pos = k + 1
    zs = fmt.vector(params["logits"])
    question = (
        rf"设 logits \(z=(z_1,\dots,z_{{{n}}})={zs}\)。求 Softmax 输出的第 {pos} 个分量 "
        rf"\(\mathrm{{softmax}}(z)_{{{pos}}}="
        rf"\frac{{e^{{z_{{{pos}}}}}}}{{\sum_{{j=1}}^{{{n}}} e^{{z_j}}}}\)。"
    )
    den = "+".join(_e(v) for v in z)
    explanation = (
        rf"分子取第 {pos} 个 logit 的指数，分母把所有分量的指数相加（归一化，使各输出之和为 1）："
        rf"\(\mathrm{{softmax}}(z)_{{{pos}}}=\frac{{{_e(z[k])}}}{{{den}}}={fmt.with_approx(answer)}\)。"
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
