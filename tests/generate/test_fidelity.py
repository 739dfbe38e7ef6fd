"""Formulas a card must not teach: a known concept with its sign flipped, a density that does
not integrate to 1 (``quizgen.generate.fidelity``)."""

from __future__ import annotations

import pytest

from quizgen.generate.fidelity import contradicts
from quizgen.latex import normalize


@pytest.mark.parametrize("latex", [
    # an L1/L2-regularisation note: the Laplace density with its 1/(2b) written 1/2
    r"P(x)=\frac{1}{2} \exp \left(-\frac{|x|}{b}\right)",
    r"p(x)=\frac{1}{\sqrt{2\pi\sigma}}\exp\left(-\frac{(x-\mu)^2}{2\sigma^2}\right)",
    r"p(x)=\frac{1}{2\pi}e^{-x^2/2}",
])
def test_a_density_that_does_not_integrate_to_one_is_wrong(latex: str) -> None:
    assert "does not integrate to 1" in contradicts("", "概率密度", normalize(latex))


@pytest.mark.parametrize("latex", [
    r"P(x)=\frac{1}{2b} \exp \left(-\frac{|x|}{b}\right)",
    r"p(x)=\frac{1}{\sqrt{2\pi}\sigma}\exp\left(-\frac{(x-\mu)^2}{2\sigma^2}\right)",
    r"p(x)=\frac{1}{\pi(1+x^2)}",
    r"p(x)=\lambda e^{-\lambda x}",  # a density of x ≥ 0 without its domain: not judged
    r"f(x)=x^{a-1}(1-x)^{b-1}",  # on [0, 1]: no real value below 0, not judged
    r"p(x, y)=\frac{1}{2\pi}e^{-(x^2+y^2)/2}",  # two variables: not judged
])
def test_a_density_that_integrates_to_one_or_cannot_be_judged_passes(latex: str) -> None:
    assert contradicts("", "density", normalize(latex)) == ""


def test_only_a_formula_named_as_a_density_is_integrated() -> None:
    assert contradicts("", "先验概率", normalize(r"P(x)=\frac{1}{2}e^{-|x|}")) == ""


def test_a_lost_minus_sign_is_found_with_or_without_the_parsers_concept() -> None:
    loss = normalize(r"H(p,q)=\sum_i p_i\log q_i")
    assert "opposite sign" in contradicts("cross_entropy", "", loss)
    assert "opposite sign" in contradicts("", "交叉熵", loss)


def test_a_gaussian_kernel_without_its_exponential_is_wrong() -> None:
    """An SVM note writes the Gaussian kernel as "k(x,x') = \\frac{\\lVert X - x'\\rVert^2}
    {2\\sigma^2}": no exp and no minus sign."""
    bad = "k(x,x') = \\frac{\\lVert X - x'\\rVert^2}{2\\sigma^2}"
    assert "no exponential" in contradicts("", "Gaussian kernel", normalize(bad))
    good = "k(x,x') = \\exp\\left(-\\frac{\\lVert x - x'\\rVert^2}{2\\sigma^2}\\right)"
    assert contradicts("", "Gaussian kernel", normalize(good)) == ""
    assert contradicts("", "高斯核", normalize("K(x,z)=e^{-\\gamma\\|x-z\\|^2}")) == ""


@pytest.mark.parametrize(("term", "latex", "wrong"), [
    # an attention lecture: "Dot product: α(q,k) = q · k √d"
    ("Dot product", r"\alpha(q,k) = q \cdot k \sqrt{d}", True),
    ("Dot product", r"\alpha(q,k) = \frac{q \cdot k}{\sqrt{d}}", False),
    ("缩放点积注意力", r"a(q, k) = q^\top k / \sqrt{d}", False),
    ("scaled dot-product attention",
     r"\text{Attention}(Q,K,V) = \text{softmax}\left(\frac{QK^T}{\sqrt{d_k}}\right)V", False),
    ("attention", r"s = \sqrt{d_k} \, q^\top k", True),
    ("softmax", r"y = x \cdot \sqrt{d}", False),  # not a score
])
def test_a_dot_product_score_scaled_up_by_root_d_is_wrong(term: str, latex: str,
                                                          wrong: bool) -> None:
    assert bool(contradicts("", term, normalize(latex))) is wrong
