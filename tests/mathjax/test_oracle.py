"""The oracle itself: MathJax reports TeX that Anki cannot show, and passes TeX it can."""

from __future__ import annotations

import pytest

from tests.mathjax.oracle import Failure, typeset, typeset_errors

pytestmark = pytest.mark.usefixtures("mathjax")

# (tex, display, MathJax's message): shapes found in real notes and in cut clozes.
BAD = [
    (r"a &= b \\ &= c", True, "Misplaced &"),  # an aligned chain outside any environment
    (r"a &=& b", False, "Misplaced &"),
    (r"\left( \frac{1}{2}", False, r"Extra \left or missing \right"),
    (r"\frac{1}{2} \right)", True, r"Missing \left or extra \right"),
    (r"\begin{aligned} a &= b \\ &= c", True, r"Missing \end{aligned}"),
    (r"\frac{e^{z_i}}{\sum_j e^{z_j}", False, "Missing close brace"),
    (r"e^{z_i}}", False, "Extra close brace or missing open brace"),
    (r"\begin{foo} x \end{foo}", True, "Unknown environment 'foo'"),
    (r"\sigmoid(x)", False, r"Undefined control sequence \sigmoid"),
    (r"x^a^b", False, "Double exponent: use braces to clarify"),
    (r"\begin{aligned} a \end{cases}", True,
     r"\begin{aligned} ended with \end{cases}"),
    # physics is not among Anki's packages
    (r"\dv{f}{x}", False, r"Undefined control sequence \dv"),
]

GOOD = [
    (r"\sigma(\mathbf{z})_i=\frac{e^{z_i}}{\sum_j e^{z_j}}", True),
    (r"\begin{aligned} p(w_1,\ldots,w_m) &= \prod_{i=1}^{m} p(w_i\mid w_{<i}) \\ &= 1 "
     r"\end{aligned}", True),
    (r"F(x) = \begin{cases} 0 & x < 0, \\ 1 & x \ge 0. \end{cases}", True),
    (r"I(X;Y)=\sum_{x}\sum_{y}p(x,y)\log\frac{p(x,y)}{p(x)p(y)} \tag{1}", True),
    (r"\mathcal{L} \coloneqq -\log \operatorname{softmax}(\boldsymbol{z})", False),  # mathtools
    (r"\ce{H2O} + \cancel{x} + \mathbb{R}^{d} + \text{交叉熵}", False),  # mhchem, cancel
    (r"\left\{ x \right. \quad \frac{ [...] }{\sum_j e^{z_j} }", False),  # Anki's cloze blank
    (r"\newcommand{\R}{\mathbb{R}} x \in \R", False),
    (r"\href{https://example.org}{x} + \class{qg}{y}", False),  # html
]


def test_mathjax_reports_tex_it_cannot_typeset() -> None:
    assert typeset_errors([(tex, display) for tex, display, _ in BAD]) == [
        Failure(*case) for case in BAD]


def test_mathjax_typesets_good_tex() -> None:
    assert typeset_errors(GOOD) == []


def test_one_batch_keeps_order_and_reports_each_formula_once() -> None:
    items = [GOOD[0], (BAD[0][0], BAD[0][1]), GOOD[1], (BAD[2][0], BAD[2][1]),
             (BAD[0][0], BAD[0][1])] * 200
    verdicts = typeset(items)
    assert [v.ok for v in verdicts[:5]] == [True, False, True, False, False]
    assert verdicts[1].id == "Misplaced" and verdicts[3].id == "ExtraLeftMissingRight"
    assert typeset_errors(items) == [Failure(*BAD[0]), Failure(*BAD[2])]
    assert typeset([]) == [] and typeset_errors([]) == []


def test_macros_and_labels_do_not_leak_between_formulas() -> None:
    """Each formula is checked as if it were the first on the page."""
    defined = r"\newcommand{\R}{\mathbb{R}} \R"
    labelled = r"x \label{eq:a}"
    errors = typeset_errors([(defined, False), (r"\R", False), (labelled, True),
                             ("y" + labelled[1:], True)])
    assert errors == [Failure(r"\R", False, r"Undefined control sequence \R")]

