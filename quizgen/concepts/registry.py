"""Name → concept, and the public entry points that work on any concept."""

from __future__ import annotations

from functools import lru_cache

from quizgen.concepts import (
    adam_bias_correction,
    attention_weight,
    batch_norm,
    binary_cross_entropy,
    classification_metric,
    contrastive_loss,
    conv_output_size,
    cosine_similarity,
    cross_entropy,
    dropout,
    entropy,
    focal_loss,
    gaussian_reparameterization,
    gumbel_softmax,
    infonce,
    inverted_dropout,
    kl_divergence,
    kl_gaussian_standard,
    l2_penalty,
    label_smoothing,
    momentum_update,
    mutual_information,
    ngram_probability,
    perplexity,
    pooling,
    receptive_field,
    sigmoid,
    softmax,
    softmax_temperature,
)
from quizgen.concepts.base import Concept
from quizgen.concepts.shapes import compact, lhs
from quizgen.concepts.verify import make_many
from quizgen.model import Variant

_CONCEPTS: dict[str, Concept] = {
    m.CONCEPT.name: m.CONCEPT
    for m in (softmax, mutual_information, contrastive_loss, dropout, cross_entropy,
              kl_divergence, entropy, sigmoid, infonce, softmax_temperature, gumbel_softmax,
              perplexity, ngram_probability, attention_weight, batch_norm, l2_penalty,
              adam_bias_correction, momentum_update, gaussian_reparameterization,
              kl_gaussian_standard, receptive_field, conv_output_size, classification_metric,
              cosine_similarity, label_smoothing, binary_cross_entropy, focal_loss, pooling,
              inverted_dropout)
}
CONCEPT_NAMES: tuple[str, ...] = tuple(_CONCEPTS)

# Most specific shapes first: a loss over a tempered softmax (InfoNCE) contains a tempered
# softmax, which contains a softmax; focal loss and binary cross-entropy contain weighted logs
# that cross-entropy would take; a KL or mutual-information formula also contains a weighted
# log, and an entropy formula is a cross-entropy with p = q.
_RECOGNITION_ORDER = (
    "infonce", "attention_weight", "gumbel_softmax", "softmax_temperature", "contrastive_loss",
    "softmax", "sigmoid", "focal_loss", "binary_cross_entropy", "label_smoothing",
    "kl_gaussian_standard", "perplexity", "inverted_dropout", "dropout", "mutual_information",
    "kl_divergence", "cross_entropy", "entropy", "ngram_probability", "cosine_similarity",
    "batch_norm", "l2_penalty", "adam_bias_correction", "momentum_update",
    "gaussian_reparameterization", "receptive_field", "conv_output_size",
    "classification_metric", "pooling",
)
assert sorted(_RECOGNITION_ORDER) == sorted(_CONCEPTS), "every concept has a place in the order"


def get(name: str) -> Concept:
    """The concept called ``name``; raises KeyError naming the known concepts."""
    try:
        return _CONCEPTS[name]
    except KeyError:
        raise KeyError(
            f"unknown concept {name!r}; known concepts: {', '.join(CONCEPT_NAMES)}"
        ) from None


# Defining formulas are short (the longest recognised in the real notes: 194 characters); the
# recognisers' patterns may backtrack, so a formula of megabytes must never reach them.
MAX_RECOGNISED_CHARS = 1000


def recognise(normalized_latex: str, context: str = "") -> str | None:
    """Which known concept a formula states, or ``None``. String work only (no sympy).

    ``normalized_latex`` is :func:`quizgen.latex.normalize` output; ``context`` is the heading or
    definition term the formula belongs to. Only shapes specific to a concept are labelled, so an
    unrelated formula gives ``None`` even under a matching heading.
    """
    if len(normalized_latex) > MAX_RECOGNISED_CHARS:
        return None
    return _recognise(normalized_latex, context)


@lru_cache(maxsize=16384)  # a vault states the same formulas in many notes
def _recognise(normalized_latex: str, context: str) -> str | None:
    left = lhs(compact(normalized_latex))
    if any(d in left for d in (r"\partial", r"\nabla", r"\frac{d")):
        return None  # a gradient that contains the concept's formula is a derivation step
    for name in _RECOGNITION_ORDER:
        if _CONCEPTS[name].recognise(normalized_latex, context):
            return name
    return None


def make_variants(name: str, seed: int, count: int) -> list[Variant]:
    """Up to ``count`` verified variants of concept ``name`` (indices ``0..count-1``).

    Deterministic in ``(name, seed, index)``: the first ``k`` variants are the same for any
    ``count ≥ k``. Fewer than ``count`` come back when the concept's parameter space holds no
    further distinct question (see :func:`quizgen.concepts.verify.make_many`). Raises KeyError for
    an unknown concept.
    """
    if count < 0:
        raise ValueError("count must be non-negative")
    return make_many(get(name), seed, count)
