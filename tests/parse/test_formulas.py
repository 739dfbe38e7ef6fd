"""Formulas as cards show them (``quizgen.parse.formulas``)."""

from __future__ import annotations

import pytest

from quizgen.parse import parse_text
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
    # a decision-tree note: "$$Gain\_ratio(D,a) = \frac{Gain(D,a)}{IV(a)}$$" names a word
    assert clean("Gain\\_ratio(D,a) = x\\_i + W\\_{hh}")[0] == "Gain\\_ratio(D,a) = x_i + W_{hh}"
    assert clean("\\begin{align\\*} x^\\* &= 1 \\end{align\\*}")[0] == (
        "\\begin{align*} x^* &= 1 \\end{align*}")


def test_the_one_formula_right_under_a_heading_is_named_by_it() -> None:
    """An Andrew Ng course summary: "## 正规方程 Normal Equation" and its formula; a heading
    over three formulas, a generic one ("代价函数") and a part of a text name none."""
    text = ("# 线性回归\n\n## 正规方程 Normal Equation\n\n$$\n\\theta = (X^{T}X)^{-1}X^{T}y\n$$\n\n"
            "**对于线性模型，标准方程是一个很好的替代方法。**\n\n"
            "## 假设函数 Hypothesis Function\n\n$$h_{\\theta}(x) = g(\\theta^{T}x)$$\n\n"
            "$$z = \\theta^{T}x$$\n\n"
            "## 代价函数 Cost Function\n\n$$J(\\theta) = \\frac{1}{2m}\\sum_i (h(x_i)-y_i)^2$$\n\n"
            "## 推导过程\n\n$$a = b + c$$\n")
    named = [(f.name, f.key) for f in parse_text(text, "a.md").formulas]
    assert named == [("正规方程 Normal Equation", True), ("", False), ("", False),
                     ("", False), ("", False)]
