"""Same seed, same variants: verification is bounded by sizes, never by the clock."""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Mapping
from typing import Any

import pytest

from quizgen.concepts import CONCEPT_NAMES, get, make_variants
from quizgen.concepts.base import Concept, Params
from quizgen.concepts.verify import MAX_PARAM_NUMBERS, Attempts, make_one
from quizgen.model import Variant


def _all_variants() -> dict[tuple[str, int], list[Variant]]:
    return {(name, seed): make_variants(name, seed, 3)
            for name in CONCEPT_NAMES for seed in range(8)}


def test_a_slow_machine_makes_the_same_variants(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every clock a step could read jumps 10 s per reading (a machine slower than any real
    one, and the first use of sympy counted in): the variants must not change."""
    normal = _all_variants()
    ticks = itertools.count()

    def crawl() -> float:
        return 1e9 + 10.0 * next(ticks)

    for name in ("perf_counter", "monotonic", "time", "process_time"):
        monkeypatch.setattr(time, name, crawl)
    assert _all_variants() == normal


def test_oversized_parameters_are_rejected_before_solving() -> None:
    solved: list[Mapping[str, Any]] = []

    def sample(rng: random.Random) -> Params:
        return {"x": list(range(MAX_PARAM_NUMBERS + 1)), "p_keep": 0.5}

    def solve(params: Mapping[str, Any]) -> Any:
        solved.append(params)
        raise AssertionError("solve must not run")

    base = get("dropout")
    concept = Concept("huge", "huge", base.canonical, base.recognise, sample, solve)
    log = Attempts()
    with pytest.raises(RuntimeError):
        make_one(concept, 0, 0, attempts=log)
    assert solved == []
    assert set(log.rejections) == {f"parameters too big: more than {MAX_PARAM_NUMBERS} numbers"}


def test_a_concept_runs_out_of_variants_without_an_error() -> None:
    made = make_variants("sigmoid", 5, 50)
    assert 0 < len(made) < 50
    assert [v.index for v in made] == list(range(len(made)))
    assert len({str(v.params) for v in made}) == len(made)
    assert make_variants("sigmoid", 5, 3) == made[:3]
