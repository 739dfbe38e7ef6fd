"""The LaTeX → sympy translator: what it builds, and that arbitrary text never crashes it."""

from __future__ import annotations

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from quizgen.sympy_bridge import Untranslatable, compare, parse


def test_multi_letter_names_are_one_symbol() -> None:
    (side,) = parse(r"\max(margin-d, 0)").sides
    assert sympy.Symbol("margin") in side.free_symbols
    assert sympy.Symbol("a") not in side.free_symbols


def test_short_letter_runs_are_products_and_zero_times_a_bracket_stays_zero() -> None:
    (side,) = parse("px+0(1-p)").sides
    assert side == sympy.Symbol("p") * sympy.Symbol("x")


def test_expectation_is_one_operator_symbol() -> None:
    (side,) = parse(r"\mathbb{E}").sides
    assert side == sympy.Symbol("E_bb")


def test_sums_and_indexed_vectors() -> None:
    (side,) = parse(r"\sum_{j=1}^{K} e^{z_j}").sides
    assert isinstance(side, sympy.Sum)
    assert side.atoms(sympy.Indexed)


def test_function_application_versus_product() -> None:
    (app,) = parse("p(x,y)").sides
    (prod,) = parse("x(1-p)").sides
    assert isinstance(app, sympy.core.function.AppliedUndef)
    assert not prod.atoms(sympy.core.function.AppliedUndef)
    assert prod.subs({"x": 2, "p": 0.25}) == 1.5


def test_log_base_is_read_and_split_at_equals() -> None:
    parsed = parse(r"H=\log_2 p")
    assert len(parsed.sides) == 2
    assert parsed.sides[1] == sympy.log(sympy.Symbol("p"))


@pytest.mark.parametrize(
    "latex",
    [r"\int_0^1 x dx", r"x \leq y", r"\begin{aligned}x\end{aligned}", "x^{", r"\sqrt[3]{x}", "x^23",
     r"\frac{1}{2"],
)
def test_outside_the_subset_is_untranslatable(latex: str) -> None:
    with pytest.raises(Untranslatable):
        parse(latex)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_compare_never_raises_on_arbitrary_text(text: str) -> None:
    assert compare(text, [r"\frac{1}{1+e^{-x}}"]).status in ("match", "mismatch", "untranslatable")


_PIECES = st.sampled_from(
    [r"\frac{", "}", "{", r"\sum_", r"\log", "e^", "_", "^", "(", ")", "[", "]", "p", "q", "x_i",
     "+", "-", "=", "1", "0.5", r"\max(", ",", "|", r"\|", r"\exp", "N", "margin", r"\mathbb{E}",
     r"\left(", r"\right)", r"\cdot", r"\hat{y}", "'", r"\in", "X", r"\mid", " "]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=25).map("".join))
def test_compare_never_raises_on_latex_like_text(text: str) -> None:
    result = compare(text, [r"-\sum_{i} p_i \log q_i", r"-\sum_{x} p(x)\log q(x)"])
    assert result.status in ("match", "mismatch", "untranslatable")
