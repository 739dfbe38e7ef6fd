"""The one verifier every generated question passes before it can become a card.

A wrong card is worse than no card, so a sampled parameter set is *rejected* (with a reason)
unless all of these hold:

1. the answer is finite and defined;
2. the cross-check (a second, independent route) agrees exactly – ``==`` on the canonical exact
   forms of :mod:`quizgen.concepts.exact` – or, when the routes live in different exact fields,
   within ``1e-12`` relative;
3. every named invariant of the concept holds;
4. the sympy expression built for ``answer.value``, evaluated with ``evalf(30)``, agrees with
   the exact value within ``1e-12`` relative (the string users see is the number we checked);
5. three distractors differ from the answer and from each other by at least 2 % relative and at
   the 4-significant-digit display precision, preferring named misconceptions and filling with
   labelled ``perturbed`` values only when too few misconceptions survive.

Time limit: no step can run away. The exact routes are plain ``Fraction`` arithmetic on
parameters whose size the samplers bound (≤ 4 logits, ≤ 3×3 tables, denominators ≤ 20); sympy
only *builds* expressions from those numbers (no ``simplify``, ``solve`` or parsing) and
evaluates them with ``evalf(30)``. As a guard, a variant whose verification exceeds
:data:`COST_CAP_SECONDS` of wall time is rejected.
"""

from __future__ import annotations

import json
import math
import random
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from quizgen.concepts.base import Concept, Params
from quizgen.concepts.exact import Rat, Value
from quizgen.concepts.format import display_key, with_approx
from quizgen.model import Answer, Choice, Variant

MIN_GAP = 0.02
TOLERANCE = 1e-12
COST_CAP_SECONDS = 0.5
MAX_ATTEMPTS = 60
PERTURBATIONS = (Fraction(6, 5), Fraction(4, 5), Fraction(3, 2), Fraction(1, 2), Fraction(2))


class NoVariant(RuntimeError):
    """No acceptable parameter set within :data:`MAX_ATTEMPTS` samples."""


class Rejected(Exception):
    """A sampled parameter set failed verification; ``reason`` says which rule."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def close(a: float, b: float, tol: float = TOLERANCE) -> bool:
    return abs(a - b) <= tol * max(1.0, abs(a), abs(b))


def separated(a: float, b: float) -> bool:
    """The option gap rule on floats: at least :data:`MIN_GAP` relative difference."""
    scale = max(abs(a), abs(b))
    return scale > 0 and abs(a - b) >= MIN_GAP * scale


def params_key(params: Mapping[str, Any]) -> str:
    return json.dumps(params, sort_keys=True)


def _agree(a: Value, b: Value) -> bool:
    exact = a.exact_equal(b)
    if exact is None:
        exact = b.exact_equal(a)
    return exact if exact is not None else close(a.to_float(), b.to_float())


def _pick_distractors(
    answer: Value, candidates: tuple[tuple[str, Value], ...], rng: random.Random
) -> list[tuple[str, Value, float]]:
    a = answer.to_float()
    chosen: list[tuple[str, Value, float]] = []
    keys = {display_key(answer)}

    def admit(name: str, value: Value) -> None:
        x = value.to_float()
        if not math.isfinite(x) or len(chosen) == 3:
            return
        key = display_key(value)
        if key in keys or not separated(x, a) or not all(separated(x, y) for _, _, y in chosen):
            return
        chosen.append((name, value, x))
        keys.add(key)

    named = list(candidates)
    rng.shuffle(named)  # which misconceptions appear varies between variants
    for name, value in named:
        admit(name, value)
    q = answer.rational()
    if q is not None and q.denominator == 1 and q > 0:
        # A count (a size, a receptive field) has whole-number neighbours, not 6/5 of itself.
        for step in (1, -1, 2, -2, q, -q // 2):
            if q + step > 0:
                admit("perturbed", Rat(q + step))
    for factor in PERTURBATIONS:
        admit("perturbed", answer.scaled(factor))
    return chosen


def answer_position(name: str, seed: int, index: int) -> int:
    """Where the correct option goes (0–3): a seeded shuffle of the four slots for each block of
    four consecutive seeds. Any run of seeds (a stress test, a deck's versions) places it
    evenly, as R/exams balances it, while the slot of one variant stays unpredictable."""
    block, slot = divmod(seed, 4)
    order = [0, 1, 2, 3]
    random.Random(f"quizgen.position:{name}:{block}:{index}").shuffle(order)
    return order[slot]


def build(
    concept: Concept, params: Params, index: int, rng: random.Random, position: int | None = None
) -> Variant:
    """Verify one parameter set and turn it into a variant (the correct option at
    ``position``, random when ``None``); raises :class:`Rejected`."""
    import sympy  # noqa: F401  (before the clock starts: the first import alone takes ~0.7 s)

    start = time.perf_counter()
    try:
        sol = concept.solve(params)
    except (ValueError, ZeroDivisionError, OverflowError) as exc:
        raise Rejected(f"unsolvable parameters: {exc}") from exc
    a = sol.answer.to_float()
    if not math.isfinite(a):
        raise Rejected("answer not finite")
    if not _agree(sol.answer, sol.cross_check):
        raise Rejected(f"cross-check disagrees: {a!r} vs {sol.cross_check.to_float()!r}")
    for name, ok in sol.invariants:
        if not ok:
            raise Rejected(f"invariant failed: {name}")
    expr = sol.answer.to_sympy()
    exact_float = float(expr.evalf(30))
    if not close(exact_float, a):
        raise Rejected(f"sympy value {exact_float!r} differs from exact route {a!r}")
    picked = _pick_distractors(sol.answer, sol.distractors, rng)
    if len(picked) < 3:
        raise Rejected("fewer than 3 well-separated distractors")
    if position is None:
        position = rng.randrange(4)
    wrong = [
        Choice(text=rf"\({with_approx(v)}\)", value=str(v.to_sympy()), correct=False,
               misconception=name)
        for name, v, _ in picked
    ]
    right = Choice(text=rf"\({with_approx(sol.answer)}\)", value=str(expr), correct=True)
    choices = (*wrong[:position], right, *wrong[position:])
    if len({c.value for c in choices}) != 4:
        raise Rejected("two options have the same exact value")
    if time.perf_counter() - start > COST_CAP_SECONDS:
        raise Rejected("verification exceeded the cost cap")
    return Variant(
        concept=concept.name,
        index=index,
        question=sol.question,
        params=params,
        answer=Answer(value=str(expr), float=exact_float),
        choices=choices,
        explanation=sol.explanation,
    )


@dataclass
class Attempts:
    """Bookkeeping of one variant's sampling loop (for :func:`stress`)."""

    sampled: int = 0
    rejections: Counter[str] = field(default_factory=Counter)


def variant_rng(name: str, seed: int, index: int) -> random.Random:
    # String seeds are hashed with SHA-512 by `random`, so this is stable across runs and
    # platforms, and independent of PYTHONHASHSEED.
    return random.Random(f"quizgen.concepts:{name}:{seed}:{index}")


def make_one(
    concept: Concept, seed: int, index: int, avoid: frozenset[str] = frozenset(),
    attempts: Attempts | None = None,
) -> Variant:
    """The verified variant ``index`` for ``seed``; parameter sets in ``avoid`` are skipped.

    Raises NoVariant (a RuntimeError) when :data:`MAX_ATTEMPTS` samples are all rejected.
    """
    rng = variant_rng(concept.name, seed, index)
    log = attempts if attempts is not None else Attempts()
    for _ in range(MAX_ATTEMPTS):
        log.sampled += 1
        params = concept.sample(rng)
        if params is None:
            log.rejections["sampler rejected parameters"] += 1
            continue
        if params_key(params) in avoid:
            log.rejections["duplicate of an earlier variant"] += 1
            continue
        try:
            return build(concept, params, index, rng, answer_position(concept.name, seed, index))
        except Rejected as rej:
            log.rejections[rej.reason] += 1
    raise NoVariant(
        f"{concept.name}: no acceptable variant in {MAX_ATTEMPTS} samples "
        f"(seed {seed}, index {index}): {dict(log.rejections)}"
    )


def make_many(concept: Concept, seed: int, count: int) -> list[Variant]:
    """Variants ``0..count-1``; variant ``i`` never repeats the parameters of an earlier one, so
    it depends on ``(name, seed, i)`` only and the first ``k`` are the same for any ``count``.

    A small parameter space runs out (sigmoid has 18 inputs): the list then stops at the first
    index no fresh parameter set is found for, and is shorter than ``count``.
    """
    out: list[Variant] = []
    seen: set[str] = set()
    for i in range(count):
        try:
            v = make_one(concept, seed, i, frozenset(seen))
        except NoVariant:
            break
        seen.add(params_key(v.params))
        out.append(v)
    return out
