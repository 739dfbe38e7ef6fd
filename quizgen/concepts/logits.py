"""Exact softmax arithmetic shared by the softmax family (temperature, Gumbel, attention,
InfoNCE): every logit is a rational, so a component is an :class:`ExpFrac`."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import quizgen.concepts.format as fmt
from quizgen.concepts.exact import ExpFrac, ExpSum, LogExp, exp_add, exp_term


def softmax_of(z: Sequence[Fraction], k: int, shift: Fraction = Fraction(0)) -> ExpFrac:
    """``e^{z_k + shift} / Σ_j e^{z_j + shift}``."""
    return ExpFrac(exp_term(z[k] + shift), exp_add(*(exp_term(v + shift) for v in z)))


def stable_softmax(z: Sequence[Fraction], k: int) -> ExpFrac:
    """The second route of every softmax-like answer: the largest logit subtracted first
    (the numerically stable form), compared exactly by cross-multiplication."""
    return softmax_of(z, k, -max(z))


def neg_log_softmax(z: Sequence[Fraction], k: int) -> LogExp:
    """``-ln softmax(z)_k = ln Σ_j e^{z_j - z_k}``."""
    return LogExp.of(exp_add(*(exp_term(v - z[k]) for v in z)))


def log_sum_exp_route(z: Sequence[Fraction], k: int) -> LogExp:
    """``-ln softmax(z)_k`` the way libraries compute it: ``m + ln Σ e^{z_j - m} - z_k``."""
    m = max(z)
    return LogExp.of(exp_add(*(exp_term(v - m) for v in z)), m - z[k])


def sums_to_one(z: Sequence[Fraction]) -> bool:
    """Σ_k softmax(z)_k = 1, exactly (the numerators add up to the common denominator)."""
    den: ExpSum = exp_add(*(exp_term(v) for v in z))
    return exp_add(*(softmax_of(z, k).num for k in range(len(z)))) == den


def e_power(v: Fraction) -> str:
    """``e^{v}`` as LaTeX (``1``, ``e``, ``e^{-0.5}``)."""
    return "1" if v == 0 else ("e" if v == 1 else f"e^{{{fmt.num(v)}}}")


def e_sum(values: Sequence[Fraction]) -> str:
    return "+".join(e_power(v) for v in values)
