"""Formulas as cards show them (``quizgen.parse.formulas``)."""

from __future__ import annotations

import pytest

from quizgen.parse.formulas import clean


@pytest.mark.parametrize(
    ("latex", "shown"),
    [
        # d2l-en maximum-likelihood.md: the formula ends the sentence it stands in
        ("H(p) = -\\sum_{i} p_i \\log_2(p_i),", "H(p) = -\\sum_{i} p_i \\log_2(p_i)"),
        ("o_3 &= b_3.\n\\end{aligned}", "o_3 &= b_3\n\\end{aligned}"),
        ("a = b \\, .", "a = b"),
        # LaTeX that ends in a dot or brace is kept
        ("\\left\\{ x \\right.", "\\left\\{ x \\right."),
        ("\\{x\\}", "\\{x\\}"),
        ("x_1, \\ldots, x_n", "x_1, \\ldots, x_n"),
        ("E = mc^2 \\tag{1.2}", "E = mc^2"),
    ],
)
def test_a_card_shows_the_formula_without_sentence_punctuation(latex: str, shown: str) -> None:
    assert clean(latex)[0] == shown
