"""check_formula(): correct forms match, wrong ones do not, unreadable ones say so."""

from __future__ import annotations

import pytest

from quizgen.concepts import check_formula
from quizgen.latex import normalize

MATCH = [
    ("contrastive_loss", r"L=\frac{1}{2N}\sum_{n=1}^N[yd^2+(1-y)max(margin-d, 0)^2]"),
    ("contrastive_loss",
     r"L=\frac{1}{2N}\sum_{n=1}^{N}\left[y_n d_n^2+(1-y_n)\max(m-d_n,0)^2\right]"),
    ("mutual_information", r"I(X;Y)=\sum_{x\in X}\sum_{y\in Y}p(x,y)log\frac{p(x|y)}{p(x)}"),
    ("mutual_information", r"I(X;Y)=\sum_{x,y}p(x,y)\log_2\frac{p(x,y)}{p(x)p(y)}"),
    ("softmax", r"\hat{y}_j = \frac{\exp(o_j)}{\sum_k \exp(o_k)}"),
    ("softmax", r"\frac{e^{V_i}}{\sum_j e^{V_j}}"),
    ("softmax", r"\sigma(z)_i=\frac{e^{z_i}}{\sum_{j=1}^{K}e^{z_j}}"),
    ("dropout", r"E=px+0(1-p)"),
    ("dropout", r"E=p\cdot x+0\cdot(1-p)"),
    ("dropout", r"h' = \frac{h}{p}"),
    ("cross_entropy", r"H(p,q)=-\sum p\log q"),
    ("cross_entropy", r"l(\mathbf{y}, \hat{\mathbf{y}}) = - \sum_{j=1}^q y_j \log \hat{y}_j."),
    ("kl_divergence", r"D_{KL}(p\|q)=\sum_i p_i\log\frac{p_i}{q_i}"),
    ("kl_divergence", r"KL(p\|q)=\sum_x p(x)\log_2\frac{p(x)}{q(x)}"),
    ("kl_divergence", r"D_{KL}(p\|q)=\sum_i p_i\log p_i-\sum_i p_i\log q_i"),
    ("entropy", r"H(X)=-\sum p\log p"),
    ("entropy", r"H[P] = \sum_j - P(j) \log P(j)."),
    ("entropy", r"H(X)=\sum_x p(x)\log\frac{1}{p(x)}"),
    ("sigmoid", r"\sigma(x)=\frac{1}{1+e^{-x}}"),
    ("sigmoid", r"\operatorname{sigmoid}(x) = \frac{1}{1 + \exp(-x)}."),
    ("sigmoid", r"\sigma(t)=\frac{e^{t}}{1+e^{t}}"),
]

MISMATCH = [
    # the seed's typo: n-1 where n=1 was meant
    ("contrastive_loss", r"L=\frac{1}{2N}\sum_{n-1}^N[yd^2+(1-y)max(margin-d, 0)^2]", "n-1"),
    ("contrastive_loss", r"L=\frac{1}{2N}\sum_{n=1}^N[yd^2+(1-y)max(margin-d, 0)]", "differs"),
    ("softmax", r"\frac{e^{z_i}}{e^{z_j}}", "differs"),
    ("softmax", r"\frac{e^{z_i}}{\sum_j z_j}", "differs"),
    ("mutual_information", r"I(X;Y)=\sum_{x,y}p(x,y)\log\frac{p(x,y)}{p(x)}", "differs"),
    ("dropout", r"E=(1-p)x", "differs"),
    ("cross_entropy", r"H(p,q)=-\sum q\log p", "differs"),
    ("kl_divergence", r"D_{KL}(p\|q)=\sum_i q_i\log\frac{q_i}{p_i}", "differs"),
    ("entropy", r"H(X)=\sum_i p_i\log p_i", "differs"),
    ("sigmoid", r"\sigma(x)=\frac{1}{1+e^{x}}", "differs"),
]

UNTRANSLATABLE = [
    ("softmax", r"\text{hello} \int_0^1 f"),
    ("entropy", r"L_{\theta}=\mathbb{E}_{z\sim p_{\theta}(z)}[f(z)]"),
    ("sigmoid", r"\sigma(x)"),
    ("entropy", r"H(X) = - E_{x \sim P} [\log p(x)]."),
    ("softmax", r"\frac{e^{z_i}}{\sum_j e^{z_j}"),
    ("softmax", ""),
]


@pytest.mark.parametrize(("name", "latex"), MATCH)
def test_correct_forms_match(name: str, latex: str) -> None:
    result = check_formula(name, normalize(latex))
    assert result.status == "match", result.message


@pytest.mark.parametrize(("name", "latex", "hint"), MISMATCH)
def test_wrong_forms_mismatch_with_a_reason(name: str, latex: str, hint: str) -> None:
    result = check_formula(name, normalize(latex))
    assert result.status == "mismatch"
    assert hint in result.message


@pytest.mark.parametrize(("name", "latex"), UNTRANSLATABLE)
def test_unreadable_forms_are_untranslatable(name: str, latex: str) -> None:
    assert check_formula(name, normalize(latex)).status == "untranslatable"


def test_unknown_concept_raises_key_error() -> None:
    with pytest.raises(KeyError):
        check_formula("relu", "x")
