"""Shannon entropy of a discrete distribution: ``H(p) = -Σ_i p_i log p_i``."""

from __future__ import annotations

import math
import random
import re
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import quizgen.concepts.format as fmt
from quizgen.concepts.base import Concept, Params, Solution
from quizgen.concepts.exact import Base, LogLin, Rat, Value
from quizgen.concepts.info import entropy, plogq
from quizgen.concepts.sampling import as_json, base_of, composition, distribution, pick_grid
from quizgen.concepts.shapes import (
    compact,
    is_sum_of_terms,
    lhs,
    weighted_inverse_logs,
    weighted_logs,
)
from quizgen.patterns import lazy_pattern

# H(X) = −E_{x∼P}[log p(x)]: the expected surprisal (an inequality after it is another claim)
_EXPECTED_SURPRISAL = lazy_pattern(
    r"=-(?:E|\\mathbb\{E\})_\{[^{}]*\}\[\\log\(?([pP])\(\w\)\)?\]\.?$")


def recognise(latex: str, context: str) -> bool:
    s = compact(latex)
    left = lhs(s)
    if "," in left or ";" in left or "|" in left:
        return False  # H(p,q), I(X;Y), H(Y|X): other concepts
    if re.fullmatch(r"H[(\[]\w[)\]]", left) and _EXPECTED_SURPRISAL.search(s):
        return True
    if any(w == a for w, a in weighted_logs(s)) and is_sum_of_terms(s):
        return True
    return any(w == b for w, b in weighted_inverse_logs(s)) and r"\sum" in s


def sample(rng: random.Random) -> Params | None:
    n = rng.choice((2, 3, 3, 4))
    grid = pick_grid(rng, n)
    ps = composition(rng, n, grid)
    return {"p": as_json(ps), "base": rng.choice((2, "e"))}


def grouped_entropy(ps: Sequence[Fraction], base: Base) -> LogLin:
    """Second route, the grouping rule: ``H(p₁,…,pₙ) = H(p₁, 1−p₁) + (1−p₁)·H(p₂/(1−p₁), …)``."""
    if len(ps) == 1:
        return LogLin((), base)
    first, rest = ps[0], 1 - ps[0]
    binary = LogLin((), base) - plogq(first, first, base) - plogq(rest, rest, base)
    if rest == 0:
        return binary
    return binary + grouped_entropy([p / rest for p in ps[1:]], base).scale(rest)


def _terms(ps: Sequence[Any], base: Any) -> str:
    log = fmt.log_cmd(base)
    return "+".join(rf"{fmt.num(p)}{log}{fmt.num(p)}" for p in ps)


def solve(params: Mapping[str, Any]) -> Solution:
    ps = distribution(params["p"])
    base = base_of(params["base"])
    answer = entropy(ps, base)
    cross = grouped_entropy(ps, base)
    other: Base = "e" if base == 2 else 2
    unweighted = LogLin((), base)
    for p in ps:
        unweighted = unweighted - LogLin.ln(p, base)
    distractors: tuple[tuple[str, Value], ...] = (
        ("no_minus_sign", -answer),
        ("bits_vs_nats", answer.in_base(other)),
        ("log10_instead", answer.in_base(10)),
        ("forgot_probability_weight", unweighted),
        ("uniform_assumption", LogLin.ln(Fraction(len(ps)), base)),
        ("sum_of_probabilities", Rat(Fraction(1))),
    )
    h = answer.to_float()
    bound = LogLin.ln(Fraction(len(ps)), base).to_float()
    question = (
        rf"离散分布 \(p={fmt.vector(params['p'])}\)。求其熵（entropy）"
        rf"\(H(p)=-\sum_i p_i{fmt.log_cmd(base)} p_i\)，{fmt.base_word(base)}。"
    )
    explanation = (
        rf"\(H(p)=-\left({_terms(params['p'], base)}\right)={fmt.with_approx(answer)}\)。"
        r"熵不小于 0，且不超过 \(\log n\)（均匀分布时取等）。"
    )
    return Solution(
        answer=answer,
        cross_check=cross,
        distractors=distractors,
        question=question,
        explanation=explanation,
        invariants=(("0 ≤ H ≤ log n", -1e-12 <= h <= bound + 1e-12 and math.isfinite(h)),),
    )


CONCEPT = Concept(
    name="entropy",
    title="熵 (Entropy)",
    canonical=(r"-\sum_{i} p_i \log p_i", r"-\sum_{x} p(x)\log p(x)"),
    recognise=recognise,
    sample=sample,
    solve=solve,
    up_to_scale=True,  # in bits or nats: the same quantity
)
