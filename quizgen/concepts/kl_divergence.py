"""Kullback–Leibler divergence: ``D_KL(p‖q) = Σ_i p_i log(p_i / q_i)``."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

import quizgen.concepts.format as fmt
from quizgen.concepts.base import Concept, Params, Solution
from quizgen.concepts.cross_entropy import other_base, sample_pair, terms
from quizgen.concepts.exact import LogLin, Value
from quizgen.concepts.info import cross_entropy, entropy, kl
from quizgen.concepts.sampling import as_json, base_of, distribution
from quizgen.concepts.shapes import compact, head, lhs, weighted_log_ratios
from quizgen.patterns import lazy_pattern

_KL_LHS = lazy_pattern(r"^(?:D_\{?KL\}?|KL|D_\{?\\?(?:mathrm|rm|text)?\{?KL\}?\}?)[(\[]")


def recognise(latex: str, context: str) -> bool:
    s = compact(latex)
    if _KL_LHS.match(lhs(s)):
        # The definition sums (or integrates) p log p/q; closed forms for two Gaussians don't.
        summed = any(t in s for t in (r"\sum", r"\int", r"\mathbb{E}", "=E_", "=E["))
        return summed and (r"\log" in s or r"\ln" in s) and r"\mathcal{N}" not in s
    return any(
        head(w) == head(a) and head(a) != head(b) and w == a for w, a, b in weighted_log_ratios(s)
    )


def sample(rng: random.Random) -> Params | None:
    p, q = sample_pair(rng, allow_one_hot=False)
    if p == q:
        return None
    return {"p": as_json(p), "q": as_json(q), "base": rng.choice((2, "e"))}


def solve(params: Mapping[str, Any]) -> Solution:
    ps, qs = distribution(params["p"]), distribution(params["q"])
    if len(ps) != len(qs):
        raise ValueError("p and q must have the same length")
    base = base_of(params["base"])
    answer = kl(ps, qs, base)
    ce, h = cross_entropy(ps, qs, base), entropy(ps, base)
    unweighted = LogLin((), base)
    for p, q in zip(ps, qs, strict=True):
        if p:
            unweighted = unweighted + LogLin.ln(p / q, base)
    distractors: list[tuple[str, Value]] = [
        ("bits_vs_nats", answer.in_base(other_base(base))),
        ("cross_entropy_instead", ce),
        ("sign_flipped", -answer),
        ("forgot_probability_weight", unweighted),
    ]
    if all(p > 0 for p in ps):
        distractors.append(("reversed_kl", kl(qs, ps, base)))
    question = (
        rf"分布 \(p={fmt.vector(params['p'])}\)，\(q={fmt.vector(params['q'])}\)。"
        rf"求 KL 散度 \(D_{{KL}}(p\|q)=\sum_i p_i{fmt.log_cmd(base)}\frac{{p_i}}{{q_i}}\)，"
        rf"{fmt.base_word(base)}。"
    )
    explanation = (
        rf"\(D_{{KL}}(p\|q)={terms(params['p'], params['q'], base, ratio=True)}"
        rf"={fmt.with_approx(answer)}\)。"
        r"KL 散度非负、不对称，且 \(D_{KL}(p\|q)=H(p,q)-H(p)\)。"
    )
    return Solution(
        answer=answer,
        cross_check=ce - h,  # second route: cross-entropy minus entropy
        distractors=tuple(distractors),
        question=question,
        explanation=explanation,
        invariants=(("KL > 0 for p ≠ q", answer.to_float() > 0),),
    )


CONCEPT = Concept(
    name="kl_divergence",
    title="KL 散度 (KL Divergence)",
    canonical=(r"\sum_{i} p_i \log\frac{p_i}{q_i}", r"\sum_{x} p(x)\log\frac{p(x)}{q(x)}"),
    recognise=recognise,
    sample=sample,
    solve=solve,
    up_to_scale=True,  # in bits or nats: the same quantity
)
