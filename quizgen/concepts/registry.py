"""Name → concept, and the public entry points that work on any concept."""

from __future__ import annotations

from quizgen.concepts import (
    contrastive_loss,
    cross_entropy,
    dropout,
    entropy,
    kl_divergence,
    mutual_information,
    sigmoid,
    softmax,
)
from quizgen.concepts.base import Concept
from quizgen.concepts.verify import make_many
from quizgen.model import Variant

_CONCEPTS: dict[str, Concept] = {
    m.CONCEPT.name: m.CONCEPT
    for m in (softmax, mutual_information, contrastive_loss, dropout, cross_entropy,
              kl_divergence, entropy, sigmoid)
}
CONCEPT_NAMES: tuple[str, ...] = tuple(_CONCEPTS)

# Most specific shapes first: a KL or mutual-information formula also contains a weighted log,
# and an entropy formula is a cross-entropy with p = q.
_RECOGNITION_ORDER = (
    "contrastive_loss", "softmax", "sigmoid", "dropout", "mutual_information", "kl_divergence",
    "cross_entropy", "entropy",
)


def get(name: str) -> Concept:
    """The concept called ``name``; raises KeyError naming the known concepts."""
    try:
        return _CONCEPTS[name]
    except KeyError:
        raise KeyError(
            f"unknown concept {name!r}; known concepts: {', '.join(CONCEPT_NAMES)}"
        ) from None


def recognise(normalized_latex: str, context: str = "") -> str | None:
    """Which known concept a formula states, or ``None``. String work only (no sympy).

    ``normalized_latex`` is :func:`quizgen.latex.normalize` output; ``context`` is the heading or
    definition term the formula belongs to. Only shapes specific to a concept are labelled, so an
    unrelated formula gives ``None`` even under a matching heading.
    """
    for name in _RECOGNITION_ORDER:
        if _CONCEPTS[name].recognise(normalized_latex, context):
            return name
    return None


def make_variants(name: str, seed: int, count: int) -> list[Variant]:
    """``count`` verified variants of concept ``name`` (indices ``0..count-1``).

    Deterministic in ``(name, seed, index)``: the first ``k`` variants are the same for any
    ``count ≥ k``. Fewer than ``count`` when the concept runs out of distinct variants that pass
    verification within the sampling cap (see :mod:`quizgen.concepts.verify`). Raises KeyError
    for an unknown concept.
    """
    if count < 0:
        raise ValueError("count must be non-negative")
    return make_many(get(name), seed, count)
