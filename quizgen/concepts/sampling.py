"""Constructive samplers shared by the concepts: short decimals that are exact fractions."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

from quizgen.concepts.exact import fraction_of, json_number

# Grids for probability tables, nicest first: quarters and eighths give answers with few primes
# (1/4 → log 2 only); tenths and twentieths give variety.
GRIDS = (Fraction(1, 4), Fraction(1, 8), Fraction(1, 10), Fraction(1, 20))
GRID_WEIGHTS = (3, 3, 2, 2)


def pick_grid(rng: random.Random, min_units: int) -> Fraction:
    """A grid step fine enough to split 1 into at least ``min_units`` positive parts."""
    grids = [(g, w) for g, w in zip(GRIDS, GRID_WEIGHTS, strict=True) if 1 / g >= min_units]
    return rng.choices([g for g, _ in grids], [w for _, w in grids])[0]


def composition(rng: random.Random, parts: int, grid: Fraction) -> list[Fraction]:
    """``parts`` positive multiples of ``grid`` summing exactly to 1, uniformly over such splits."""
    units = int(1 / grid)
    cuts = sorted(rng.sample(range(1, units), parts - 1))
    bounds = [0, *cuts, units]
    return [(b - a) * grid for a, b in itertools.pairwise(bounds)]


def as_json(values: list[Fraction]) -> list[int | float]:
    return [json_number(v) for v in values]


def distribution(raw: object) -> list[Fraction]:
    """A probability vector from JSON parameters; raises ValueError unless it sums to 1 exactly
    with entries in [0, 1]."""
    if not isinstance(raw, list) or not raw:
        raise ValueError("expected a non-empty list of probabilities")
    ps = [fraction_of(v) for v in raw]
    if any(p < 0 or p > 1 for p in ps) or sum(ps) != 1:
        raise ValueError(f"not a probability vector: {raw}")
    return ps


def base_of(raw: object) -> int | str:
    """The information base parameter: 2 or "e"; raises ValueError otherwise."""
    if raw == "e" or (raw == 2 and not isinstance(raw, bool)):
        return 2 if raw == 2 else "e"
    raise ValueError(f"base must be 2 or 'e', not {raw!r}")
