"""Every concept, 200 seeds: answers recomputed here with plain floats from the exported params.

The recomputations below are written independently of the concept modules (``math`` only), the
way another tool would recompute an answer from the JSON export.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

import pytest
import sympy

from quizgen.concepts import CONCEPT_NAMES, get, make_variants
from quizgen.model import Variant

SEEDS = range(200)


def _log(x: float, base: Any) -> float:
    return math.log(x) / (math.log(2) if base == 2 else 1.0)


def softmax(p: Mapping[str, Any]) -> float:
    z = p["logits"]
    return math.exp(z[p["index"]]) / sum(math.exp(v) for v in z)


def mutual_information(p: Mapping[str, Any]) -> float:
    joint = p["joint"]
    px = [sum(r) for r in joint]
    py = [sum(r[j] for r in joint) for j in range(len(joint[0]))]
    return sum(
        v * _log(v / (px[i] * py[j]), p["base"])
        for i, r in enumerate(joint) for j, v in enumerate(r) if v > 0
    )


def contrastive_loss(p: Mapping[str, Any]) -> float:
    m, pairs = p["margin"], p["pairs"]
    total = sum(q["y"] * q["d"] ** 2 + (1 - q["y"]) * max(m - q["d"], 0) ** 2 for q in pairs)
    return total / (2 * len(pairs))


def dropout(p: Mapping[str, Any]) -> float:
    return p["x"] / p["p_keep"] if p.get("inverted") else p["p_keep"] * p["x"]


def cross_entropy(p: Mapping[str, Any]) -> float:
    return -sum(a * _log(b, p["base"]) for a, b in zip(p["p"], p["q"], strict=True) if a > 0)


def kl_divergence(p: Mapping[str, Any]) -> float:
    return sum(a * _log(a / b, p["base"]) for a, b in zip(p["p"], p["q"], strict=True) if a > 0)


def entropy(p: Mapping[str, Any]) -> float:
    return -sum(a * _log(a, p["base"]) for a in p["p"] if a > 0)


def sigmoid(p: Mapping[str, Any]) -> float:
    return 1 / (1 + math.exp(-p["x"]))


RECOMPUTE: dict[str, Callable[[Mapping[str, Any]], float]] = {
    "softmax": softmax, "mutual_information": mutual_information,
    "contrastive_loss": contrastive_loss, "dropout": dropout, "cross_entropy": cross_entropy,
    "kl_divergence": kl_divergence, "entropy": entropy, "sigmoid": sigmoid,
}


@cache
def variants(name: str) -> tuple[Variant, ...]:
    return tuple(make_variants(name, seed, 1)[0] for seed in SEEDS)


def _sig4(x: float) -> str:
    return f"{x:.4g}"


def test_every_concept_is_recomputed_here() -> None:
    assert set(RECOMPUTE) == set(CONCEPT_NAMES)


@pytest.mark.parametrize("name", CONCEPT_NAMES)
def test_answers_match_an_independent_float_recomputation(name: str) -> None:
    for v in variants(name):
        expected = RECOMPUTE[name](v.params)
        assert abs(v.answer.float - expected) <= 1e-9 * max(1.0, abs(expected)), v.params


@pytest.mark.parametrize("name", CONCEPT_NAMES)
def test_choices_have_one_correct_option_and_separated_distractors(name: str) -> None:
    for v in variants(name):
        assert len(v.choices) == 4
        correct = [c for c in v.choices if c.correct]
        assert len(correct) == 1 and correct[0].value == v.answer.value
        assert correct[0].misconception is None
        assert all(c.misconception for c in v.choices if not c.correct)
        # Choice.value is this program's own output (never note text), so sympify is safe here.
        values = [float(sympy.sympify(c.value).evalf(30)) for c in v.choices]
        shown = [c.text.rsplit(r"\approx", 1)[-1] for c in v.choices]
        for i in range(4):
            assert abs(values[i] - _float_of(v.choices[i].text)) <= 5e-4 * max(1, abs(values[i]))
            for j in range(i + 1, 4):
                a, b = values[i], values[j]
                assert abs(a - b) >= 0.02 * max(abs(a), abs(b)), v
                assert _sig4(a) != _sig4(b) and shown[i] != shown[j], v
        assert len({c.value for c in v.choices}) == 4


def _float_of(text: str) -> float:
    """The decimal an option shows (after ``\\approx``, or the whole option)."""
    body = text.removeprefix(r"\(").removesuffix(r"\)")
    return float(body.rsplit(r"\approx", 1)[-1])


@pytest.mark.parametrize("name", CONCEPT_NAMES)
def test_the_displayed_decimal_of_the_answer_is_its_value(name: str) -> None:
    for v in variants(name):
        shown = _float_of(next(c.text for c in v.choices if c.correct))
        assert abs(shown - v.answer.float) <= 5e-4 * max(1.0, abs(v.answer.float)), v


@pytest.mark.parametrize("name", CONCEPT_NAMES)
def test_correct_position_is_roughly_uniform(name: str) -> None:
    counts = Counter(next(i for i, c in enumerate(v.choices) if c.correct) for v in variants(name))
    for pos in range(4):
        assert 0.15 * len(SEEDS) <= counts[pos] <= 0.35 * len(SEEDS), counts


@pytest.mark.parametrize("name", CONCEPT_NAMES)
def test_same_seed_gives_the_same_variants_and_prefixes_agree(name: str) -> None:
    three = make_variants(name, 7, 3)
    assert make_variants(name, 7, 3) == three
    assert make_variants(name, 7, 5)[:3] == three
    assert [v.index for v in three] == [0, 1, 2]
    assert len({repr(sorted(v.params.items())) for v in three}) == 3


@pytest.mark.parametrize("name", CONCEPT_NAMES)
def test_params_are_plain_json_values(name: str) -> None:
    import json

    for v in variants(name)[:20]:
        assert json.loads(json.dumps(v.params)) == v.params
        assert v.question and v.explanation and r"\(" in v.question


def test_unknown_concept_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="softmax"):
        get("relu")
