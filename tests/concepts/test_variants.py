"""Every concept, 200 seeds: answers recomputed with plain floats from the exported params
(:mod:`tests.concepts.recompute`, written independently of the concept modules), the verifier's
acceptance rules, and what happens when a deck asks for more variants than a concept has."""

from __future__ import annotations

from collections import Counter
from functools import cache

import pytest
import sympy

from quizgen.concepts import CONCEPT_NAMES, get, make_variants, stress
from quizgen.model import Variant
from tests.concepts.recompute import RECOMPUTE

SEEDS = range(200)


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
def test_correct_position_is_within_20_to_30_percent_per_slot(name: str) -> None:
    counts = Counter(next(i for i, c in enumerate(v.choices) if c.correct) for v in variants(name))
    for pos in range(4):
        assert 0.20 * len(SEEDS) <= counts[pos] <= 0.30 * len(SEEDS), counts


@pytest.mark.parametrize("name", CONCEPT_NAMES)
def test_at_least_three_named_misconceptions_appear(name: str) -> None:
    named = {c.misconception for v in variants(name) for c in v.choices
             if c.misconception and c.misconception != "perturbed"}
    assert len(named) >= 3, named


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


# The parameters other tools recompute ``answer.float`` from, exactly as documented.
PARAM_KEYS = {
    "infonce": {"sims", "tau"},
    "softmax_temperature": {"logits", "index", "tau"},
    "gumbel_softmax": {"logits", "gumbels", "tau", "index"},
    "perplexity": {"probs"},
    "ngram_probability": {"count_ngram", "count_context", "vocab", "add_k"},
    "attention_weight": {"query", "keys", "index"},
    "batch_norm": {"batch", "index", "gamma", "beta", "eps"},
    "l2_penalty": {"weights", "lambda", "half"},
    "adam_bias_correction": {"beta", "t", "moment"},
    "momentum_update": {"theta", "velocity", "grad", "beta", "lr", "dampened"},
    "gaussian_reparameterization": {"mu", "sigma", "eps"},
    "kl_gaussian_standard": {"mu", "sigma"},
    "receptive_field": {"layers"},
    "conv_output_size": {"size", "kernel", "padding", "stride"},
    "classification_metric": {"tp", "fp", "fn", "tn", "metric"},
    "cosine_similarity": {"a", "b"},
    "label_smoothing": {"probs", "target", "epsilon"},
    "binary_cross_entropy": {"y", "p", "base"},
    "focal_loss": {"p", "gamma", "alpha"},
    "pooling": {"input", "size", "stride", "mode", "row", "col"},
}


@pytest.mark.parametrize("name", sorted(PARAM_KEYS))
def test_documented_parameters_are_present(name: str) -> None:
    for v in variants(name):
        assert PARAM_KEYS[name] <= set(v.params), v.params
    if name == "receptive_field":
        assert all(set(layer) == {"kernel", "stride"} for v in variants(name)
                   for layer in v.params["layers"])
    if name == "binary_cross_entropy":
        assert {v.params["base"] for v in variants(name)} == {2, "e"}


def test_a_small_parameter_space_gives_what_it_has_instead_of_failing() -> None:
    many = make_variants("sigmoid", 1, 50)  # sigmoid has 18 distinct inputs
    assert 10 <= len(many) < 50
    assert len({v.params["x"] for v in many}) == len(many)
    assert [v.index for v in many] == list(range(len(many)))
    assert make_variants("sigmoid", 1, 10) == many[:10]


@pytest.mark.parametrize("name", CONCEPT_NAMES)
def test_stress_reports_no_errors_and_no_equal_options(name: str) -> None:
    report = stress(name, 120, seed=1000)
    assert report.accepted == 120 and not report.errors, report.errors[:3]
    assert report.duplicate_distractors == 0
    assert all(0.20 * 120 <= n <= 0.30 * 120 for n in report.positions), report.positions
