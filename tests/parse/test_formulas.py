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


@pytest.mark.parametrize(
    ("latex", "shown"),
    [
        # seed 000 (mutual information): "p(x,y)log\frac{…}" renders as italic l·o·g
        ("I(X;Y)=\\sum p(x,y)log\\frac{p(x|y)}{p(x)}",
         "I(X;Y)=\\sum p(x,y)\\log\\frac{p(x|y)}{p(x)}"),
        ("\\max(0, x) + max(a, b)", "\\max(0, x) + \\max(a, b)"),
        # words in text groups, longer words and subscripts stay as written
        ("\\text{use max pooling} + \\mathrm{log}", "\\text{use max pooling} + \\mathrm{log}"),
        ("x_{min} + logits", "x_{min} + logits"),
    ],
)
def test_function_names_written_without_backslash_are_made_upright(
    latex: str, shown: str
) -> None:
    assert clean(latex)[0] == shown


def test_markdown_escaped_subscripts_are_subscripts_again() -> None:
    """A Hexo-style entropy note writes ``p\\_{k}`` so that Markdown leaves the ``_`` alone."""
    assert clean("\\frac{\\partial L}{\\partial p\\_{k}} = \\sum\\_{k=1}^{K} p\\_{k} - 1")[0] == (
        "\\frac{\\partial L}{\\partial p_{k}} = \\sum_{k=1}^{K} p_{k} - 1")
    assert clean("\\text{max\\_len} = 5")[0] == "\\text{max\\_len} = 5"
    assert clean("\\begin{align\\*} x^\\* &= 1 \\end{align\\*}")[0] == (
        "\\begin{align*} x^* &= 1 \\end{align*}")
