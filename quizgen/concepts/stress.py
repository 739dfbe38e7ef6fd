"""Stress test of a concept, after R/exams' ``stresstest_exercise``: many seeds, one report."""

from __future__ import annotations

import math
import time
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from quizgen.concepts.registry import get
from quizgen.concepts.verify import Attempts, make_one, params_key


@dataclass(frozen=True)
class StressReport:
    """What ``n`` seeds of one concept produced.

    ``acceptance_rate`` is accepted / sampled parameter sets; ``rejections`` counts the reasons;
    ``errors`` holds exceptions (none expected); ``positions`` counts the correct option's position
    0..3; ``duplicate_variants`` counts seeds that repeated an earlier seed's parameters and
    ``duplicate_distractors`` variants with two equal options (must be 0).
    """

    concept: str
    n: int
    seed: int
    sampled: int
    accepted: int
    acceptance_rate: float
    errors: tuple[str, ...]
    rejections: tuple[tuple[str, int], ...]
    duplicate_variants: int
    duplicate_distractors: int
    answer_min: float
    answer_max: float
    positions: tuple[int, int, int, int]
    misconceptions: tuple[tuple[str, int], ...]
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["rejections"] = dict(self.rejections)
        out["misconceptions"] = dict(self.misconceptions)
        out["positions"] = list(self.positions)
        out["errors"] = list(self.errors)
        return out


def stress(name: str, n: int, seed: int = 0) -> StressReport:
    """Generate variant 0 for seeds ``seed … seed+n-1`` and report; raises KeyError for an
    unknown concept (every other failure is reported, not raised)."""
    concept = get(name)
    start = time.perf_counter()
    log = Attempts()
    errors: list[str] = []
    seen: set[str] = set()
    duplicates = duplicate_options = 0
    positions = [0, 0, 0, 0]
    misconceptions: Counter[str] = Counter()
    lo, hi = math.inf, -math.inf
    accepted = 0
    for s in range(seed, seed + n):
        try:
            v = make_one(concept, s, 0, attempts=log)
        except Exception as exc:  # a stress test reports every failure instead of stopping
            errors.append(f"seed {s}: {type(exc).__name__}: {exc}")
            continue
        accepted += 1
        key = params_key(v.params)
        duplicates += key in seen
        seen.add(key)
        if len({c.value for c in v.choices}) != len(v.choices):
            duplicate_options += 1
        positions[next(i for i, c in enumerate(v.choices) if c.correct)] += 1
        misconceptions.update(c.misconception for c in v.choices if c.misconception)
        lo, hi = min(lo, v.answer.float), max(hi, v.answer.float)
    return StressReport(
        concept=name,
        n=n,
        seed=seed,
        sampled=log.sampled,
        accepted=accepted,
        acceptance_rate=accepted / log.sampled if log.sampled else 0.0,
        errors=tuple(errors),
        rejections=tuple(sorted(log.rejections.items())),
        duplicate_variants=duplicates,
        duplicate_distractors=duplicate_options,
        answer_min=lo if accepted else math.nan,
        answer_max=hi if accepted else math.nan,
        positions=(positions[0], positions[1], positions[2], positions[3]),
        misconceptions=tuple(sorted(misconceptions.items())),
        seconds=time.perf_counter() - start,
    )
