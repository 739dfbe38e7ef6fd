"""Arbitrary seeds never raise and always give valid variants; the stress report adds up."""

from __future__ import annotations

import json
import math
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from quizgen.concepts import CONCEPT_NAMES, make_variants, stress


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(CONCEPT_NAMES), st.integers(-(2**63), 2**63), st.integers(0, 3))
def test_arbitrary_seeds_give_valid_variants(name: str, seed: int, count: int) -> None:
    out = make_variants(name, seed, count)
    assert [v.index for v in out] == list(range(count))
    for v in out:
        assert math.isfinite(v.answer.float)
        assert sum(c.correct for c in v.choices) == 1
        assert len({c.value for c in v.choices}) == 4
        assert v.concept == name
        json.dumps(v.params)


def test_stress_report_counts_add_up() -> None:
    report = stress("softmax", 40, seed=3)
    assert report.accepted == 40 and not report.errors
    assert sum(report.positions) == 40
    assert report.duplicate_distractors == 0
    assert 0 < report.acceptance_rate <= 1
    assert report.answer_min <= report.answer_max
    assert json.loads(json.dumps(report.to_dict()))["concept"] == "softmax"


def test_stress_records_sampler_rejections() -> None:
    report = stress("mutual_information", 40)
    assert report.sampled >= report.accepted == 40
    assert report.acceptance_rate == report.accepted / report.sampled


def test_a_decimal_approximation_only_ends_a_worked_step() -> None:
    """"(\\frac{1}{64}\\approx 0.01562)^{-1/3}" reads as arithmetic on an approximation: a
    value's decimal goes only where a step ends, never inside a larger expression."""
    inside = re.compile(r"\\approx\s*-?[\d.]+\s*[)}\]^]")
    for name in CONCEPT_NAMES:
        for seed in range(40):
            for v in make_variants(name, seed, 2):
                assert not inside.search(v.explanation), (name, seed, v.explanation)
