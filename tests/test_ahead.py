"""Drills made ahead in a helper process: the same drills, and only time lost when it fails."""

from __future__ import annotations

import multiprocessing as mp
from pathlib import Path

import pytest

from quizgen import pipeline
from quizgen.ahead import DrillMaker
from quizgen.cache import BuildCache
from quizgen.concepts import make_variants

pytestmark = pytest.mark.skipif("fork" not in mp.get_all_start_methods(),
                                reason="the helper is forked")


def _helper() -> DrillMaker:
    maker = DrillMaker.start()
    assert maker is not None
    return maker


def test_drills_made_ahead_are_the_drills_made_here() -> None:
    maker = _helper()
    try:
        maker.ask([("softmax", 7, 3), ("sigmoid", 7, 2), ("softmax", 7, 3)])
        assert maker.take(("sigmoid", 7, 2)) == make_variants("sigmoid", 7, 2)
        assert maker.take(("softmax", 7, 3)) == make_variants("softmax", 7, 3)
        assert maker.take(("softmax", 8, 3)) is None  # never asked for
    finally:
        maker.close()


def test_a_helper_that_died_costs_only_time(tmp_path: Path) -> None:
    maker = _helper()
    maker._proc.kill()
    maker._proc.join()
    maker.ask([("sigmoid", 3, 2)])
    assert maker.take(("sigmoid", 3, 2)) is None
    cache = BuildCache(tmp_path / "c.sqlite")
    assert cache.empty()
    made = pipeline.variant_source(cache, ahead=maker)("sigmoid", 3, 2)
    maker.close()
    assert made == make_variants("sigmoid", 3, 2)
    assert cache.variants("sigmoid", 3, 2) == made and not cache.empty()


def test_a_drill_the_helper_cannot_make_is_made_here_and_fails_as_before() -> None:
    maker = _helper()
    try:
        maker.ask([("no_such_concept", 1, 1)])
        assert maker.take(("no_such_concept", 1, 1)) is None
        with pytest.raises(KeyError, match="unknown concept"):
            pipeline.variant_source(BuildCache(None), ahead=maker)("no_such_concept", 1, 1)
    finally:
        maker.close()
