"""What every concept module provides, as plain values and functions.

A concept is data plus four functions; the shared verifier (:mod:`quizgen.concepts.verify`) is
the only place that decides whether a sampled question is good enough to become a card.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from quizgen.concepts.exact import Value

Params = dict[str, Any]


@dataclass(frozen=True)
class Solution:
    """Everything the verifier needs about one parameter set.

    ``answer`` and ``cross_check`` must come from two independent routes; ``invariants`` are
    named facts that must hold (``KL ≥ 0``, ``Σ softmax = 1`` …); ``distractors`` are
    ``(misconception, value)`` pairs in order of preference, before any gap filtering.
    """

    answer: Value
    cross_check: Value
    distractors: tuple[tuple[str, Value], ...]
    question: str
    explanation: str
    invariants: tuple[tuple[str, bool], ...] = ()


@dataclass(frozen=True)
class Concept:
    """A known ML concept.

    ``canonical`` holds LaTeX forms (parsed by :mod:`quizgen.sympy_bridge`, trusted text written
    here) that a note's formula is compared with; ``canonical_for``, when given, narrows them to
    the forms a particular formula claims to state (a metric named on its left side);
    ``recognise`` is cheap and sympy-free;
    ``sample`` draws JSON parameters (it may return ``None`` to reject); ``solve`` computes the
    exact answer, the cross-check and the distractors, raising ValueError for parameters it
    cannot handle. ``up_to_scale``: a note's formula that is the standard form times a positive
    constant states the concept (a loss averaged over the batch, entropy in bits or nats).
    """

    name: str
    title: str
    canonical: tuple[str, ...]
    recognise: Callable[[str, str], bool]
    sample: Callable[[random.Random], Params | None]
    solve: Callable[[Mapping[str, Any]], Solution]
    canonical_for: Callable[[str], tuple[str, ...]] | None = None
    up_to_scale: bool = False
