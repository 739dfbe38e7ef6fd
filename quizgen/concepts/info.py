"""Exact information quantities on probability vectors (terms with p = 0 contribute 0)."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from quizgen.concepts.exact import Base, LogLin


def plogq(p: Fraction, q: Fraction, base: Base) -> LogLin:
    """``p · log_base(q)``, with the convention ``0 · log q = 0``; raises ValueError if
    ``p > 0`` and ``q ≤ 0`` (the term is infinite)."""
    if p == 0:
        return LogLin((), base)
    return LogLin.ln(q, base).scale(p)


def entropy(ps: Sequence[Fraction], base: Base) -> LogLin:
    """``H(p) = -Σ p log p``."""
    total = LogLin((), base)
    for p in ps:
        total = total - plogq(p, p, base)
    return total


def cross_entropy(ps: Sequence[Fraction], qs: Sequence[Fraction], base: Base) -> LogLin:
    """``H(p, q) = -Σ p log q``."""
    total = LogLin((), base)
    for p, q in zip(ps, qs, strict=True):
        total = total - plogq(p, q, base)
    return total


def kl(ps: Sequence[Fraction], qs: Sequence[Fraction], base: Base) -> LogLin:
    """``D_KL(p‖q) = Σ p log(p/q)`` as one logarithm per term."""
    total = LogLin((), base)
    for p, q in zip(ps, qs, strict=True):
        if p:
            if q == 0:
                raise ValueError("KL is infinite: q = 0 where p > 0")
            total = total + plogq(p, p / q, base)
    return total
