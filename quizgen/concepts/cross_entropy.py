"""Cross-entropy of ``q`` relative to ``p``: ``H(p, q) = -Σ_i p_i log q_i``."""

from __future__ import annotations

import random
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import quizgen.concepts.format as fmt
from quizgen.concepts.base import Concept, Params, Solution
from quizgen.concepts.exact import Base, Value
from quizgen.concepts.info import cross_entropy, entropy, kl
from quizgen.concepts.sampling import as_json, base_of, composition, distribution, pick_grid
from quizgen.concepts.shapes import compact, context_has, head, is_sum_of_terms, lhs, weighted_logs
from quizgen.patterns import lazy_pattern

_LHS = lazy_pattern(
    r"^(?:(?:H|CE|L|l|J)(?:_(?:\{\w+\}|\w))?[(\[][^;|]*,[^;|]*[)\]]|B?CE|L_\{?B?CE\}?)$"
)


# CE(P, Q) = −E_{x∼P}[log q(x)]
_EXPECTED_LOG_Q = lazy_pattern(r"=-(?:E|\\mathbb\{E\})_\{[^{}]*\}\[\\log\(?[qQ]\(\w\)\)?\]\.?$")


def recognise(latex: str, context: str) -> bool:
    s = compact(latex)
    left = lhs(s)
    if "KL" in left or ";" in left or "|" in left:
        return False
    if _LHS.match(left) and _EXPECTED_LOG_Q.search(s):
        return True
    pairs = [(w, a) for w, a in weighted_logs(s) if head(w) != head(a)]
    if not pairs:
        return False
    if is_sum_of_terms(s):
        return True
    # Binary cross-entropy is written without a sum; accept it only under a matching heading.
    named = context_has(context, "cross entropy", "cross-entropy", "交叉熵")
    return bool(_LHS.match(left)) or named


def sample_pair(rng: random.Random, allow_one_hot: bool) -> tuple[list[Fraction], list[Fraction]]:
    n = rng.choice((2, 3, 3, 4))
    q = composition(rng, n, pick_grid(rng, n))
    if allow_one_hot and rng.random() < 0.3:
        p = [Fraction(0)] * n
        p[rng.randrange(n)] = Fraction(1)
    else:
        p = composition(rng, n, pick_grid(rng, n))
    return p, q


def sample(rng: random.Random) -> Params | None:
    p, q = sample_pair(rng, allow_one_hot=True)
    if p == q:
        return None
    return {"p": as_json(p), "q": as_json(q), "base": rng.choice((2, "e"))}


def terms(ps: list[Any], qs: list[Any], base: Any, ratio: bool = False) -> str:
    log = fmt.log_cmd(base)
    out = []
    for p, q in zip(ps, qs, strict=True):
        arg = rf"\frac{{{fmt.num(p)}}}{{{fmt.num(q)}}}" if ratio else fmt.num(q)
        out.append(rf"{fmt.num(p)}{log}{arg}")
    return "+".join(out)


def other_base(base: Base) -> Base:
    return "e" if base == 2 else 2


def solve(params: Mapping[str, Any]) -> Solution:
    ps, qs = distribution(params["p"]), distribution(params["q"])
    if len(ps) != len(qs):
        raise ValueError("p and q must have the same length")
    base = base_of(params["base"])
    answer = cross_entropy(ps, qs, base)
    h, d = entropy(ps, base), kl(ps, qs, base)
    distractors: list[tuple[str, Value]] = [
        ("bits_vs_nats", answer.in_base(other_base(base))),
        ("no_minus_sign", -answer),
        ("entropy_only", h),
        ("kl_only", d),
    ]
    if all(p > 0 for p in ps):
        distractors.append(("p_q_swapped", cross_entropy(qs, ps, base)))
    question = (
        rf"真实分布 \(p={fmt.vector(params['p'])}\)，模型预测分布 \(q={fmt.vector(params['q'])}\)。"
        rf"求交叉熵（cross entropy）\(H(p,q)=-\sum_i p_i{fmt.log_cmd(base)} q_i\)，"
        rf"{fmt.base_word(base)}。"
    )
    explanation = (
        rf"\(H(p,q)=-\left({terms(params['p'], params['q'], base)}\right)"
        rf"={fmt.with_approx(answer)}\)。"
        r"也可验证 \(H(p,q)=H(p)+D_{KL}(p\|q)\)：交叉熵不小于 \(p\) 自身的熵。"
    )
    return Solution(
        answer=answer,
        cross_check=h + d,  # second route: entropy plus KL divergence
        distractors=tuple(distractors),
        question=question,
        explanation=explanation,
        invariants=(("H(p, q) ≥ H(p)", answer.to_float() >= h.to_float() - 1e-12),),
    )


def canonical_for(latex: str) -> tuple[str, ...]:
    """``H(p, q)`` on the left fixes which letter is the true distribution; a bare ``L = -Σ q_i
    log p_i`` (a smoothed target q, predictions p) may use either letter for it."""
    if "," in lhs(compact(latex)):
        return CANONICAL
    return (*CANONICAL, r"-\sum_{i} q_i \log p_i", r"-\sum_{x} q(x)\log p(x)")


CANONICAL = (
    r"-\sum_{i} p_i \log q_i", r"-\sum_{x} p(x)\log q(x)",
    r"-(y\log q+(1-y)\log(1-q))",  # binary cross-entropy, the two-class sum written out
)

CONCEPT = Concept(
    name="cross_entropy",
    title="交叉熵 (Cross Entropy)",
    canonical=CANONICAL,
    recognise=recognise,
    sample=sample,
    solve=solve,
    canonical_for=canonical_for,
    up_to_scale=True,  # summed or averaged over a batch, in bits or nats: the same loss
)
