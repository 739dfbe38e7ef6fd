"""recognise(): the shapes real notes use, and unrelated formulas that must stay unlabelled."""

from __future__ import annotations

import subprocess
import sys

import pytest

from quizgen.concepts import CONCEPT_NAMES, recognise
from quizgen.latex import normalize

POSITIVE = [
    # the seeds' style, `log`/`max` without a backslash
    ("mutual_information", r"I(X;Y)=\sum_{x\in X}\sum_{y\in Y}p(x,y)log\frac{p(x|y)}{p(x)}", ""),
    ("mutual_information", r"\sum_{x,y}p(x,y)\log\frac{p(x,y)}{p(x)p(y)}", ""),
    ("contrastive_loss", r"L=\frac{1}{2N}\sum_{n-1}^N[yd^2+(1-y)max(margin-d, 0)^2]", ""),
    ("contrastive_loss", r"L=\frac{1}{2N}\sum_{n=1}^{N} y_n d_n^2+(1-y_n)\max(0, m-d_n)^2", ""),
    ("softmax", r"\hat{y}_j = \frac{\exp(o_j)}{\sum_k \exp(o_k)}", ""),
    ("softmax", r"\frac{e^{V_i}}{\sum_j e^{V_j}}", "softmax"),
    ("softmax", r"S_i = \frac{e^{z_i}}{\sum_{j=1}^{K} e^{z_j}}", ""),
    ("softmax", r"p_i=\frac{\exp\left(x_i\right)}{\sum_{j} \exp\left(x_j\right)}", ""),
    ("dropout", r"E=px+0(1-p)", ""),
    ("dropout", r"h' = \frac{h}{1-p}", "暂退法（Dropout）"),
    ("cross_entropy", r"H(p,q)=-\sum p\log q", ""),
    ("cross_entropy", r"l(\mathbf{y}, \hat{\mathbf{y}}) = - \sum_{j=1}^q y_j \log \hat{y}_j.", ""),
    ("cross_entropy", r"H(p,q)=-\sum_x p(x)\log_2 q(x)", "交叉熵"),
    ("kl_divergence", r"D_{KL}(p\|q)=\sum_i p_i\log\frac{p_i}{q_i}", ""),
    ("kl_divergence", r"KL(P\|Q)=\sum_x P(x)\log\frac{P(x)}{Q(x)}", ""),
    ("kl_divergence", r"\sum_x p(x)\log\frac{p(x)}{q(x)}", ""),
    ("entropy", r"H(X)=-\sum p\log p", ""),
    ("entropy", r"H[P] = \sum_j - P(j) \log P(j).", ""),
    ("entropy", r"H(X) = - \sum_i p_i \log p_i \textrm{, where } p_i = P(X_i).", ""),
    ("entropy", r"H(X)=\sum_x p(x)\log\frac{1}{p(x)}", ""),
    ("sigmoid", r"\sigma(x)=\frac{1}{1+e^{-x}}", ""),
    ("sigmoid", r"\operatorname{sigmoid}(x) = \frac{1}{1 + \exp(-x)}.", ""),
    ("sigmoid", r"\sigma(z)=\frac{e^{z}}{1+e^{z}}", ""),
]

NEGATIVE = [
    # about a concept but not its defining formula: identities, closed forms, variants, losses
    r"I(X;Y)=H(X)+H(Y)-H(X,Y)",
    r"\operatorname{pmi}(x;y)=\log\frac{p(x,y)}{p(x)p(y)}",
    r"\sigma_T(z)_i=\frac{e^{z_i/T}}{\sum_{j=1}^{K}e^{z_j/T}}",
    r"y_i=\frac{\exp((\log\pi_i+g_i)/\tau)}{\sum_{j=1}^{K}\exp((\log\pi_j+g_j)/\tau)}",
    r"L=-\log\frac{e^{z_c}}{\sum_{j=1}^{K}e^{z_j}}",
    r"D_{KL}(\mathcal{N}(\mu_1,\sigma_1^2)\|\mathcal{N}(\mu_2,\sigma_2^2))=\log\frac{\sigma_2}{\sigma_1}",
    r"L_{\theta}=\mathbb{E}_{z\sim p_{\theta}(z)}[f(z)]",
    r"p(x) = \prod_{i=1}^{n} p(x_i \mid x_{<i})",
    r"\mathop{min}\limits_{\theta\in M}d(p_\theta,p_{data})",
    r"\operatorname{tanh}(x) = \frac{1 - \exp(-2x)}{1 + \exp(-2x)}.",
    r"y = Wx + b",
    r"\frac{\partial L}{\partial w} = x",
    r"I(X) = - \log_2 (p),",
    r"E_{Y \sim P(Y)}[-\log P(X \mid Y)] \geq -\log P(X),",
    r"\min_D \{ - y \log D(\mathbf x) - (1-y)\log(1-D(\mathbf x)) \},",
    r"h = \max(0, x)",
    r"\frac{1}{1+x}",
    r"\frac{d}{dx} \operatorname{sigmoid}(x) = \frac{\exp(-x)}{(1 + \exp(-x))^2}",
    r"H(Y|X)=-\sum_{x,y}p(x,y)\log p(y|x)",
    r"x_1w_1 + x_2w_2 + b",
    r"\mathrm{softmax}\left(\frac{\mathbf Q \mathbf K^\top }{\sqrt{d}}\right) \mathbf V",
    "",
]


@pytest.mark.parametrize(("name", "latex", "context"), POSITIVE)
def test_recognises_real_shapes(name: str, latex: str, context: str) -> None:
    assert recognise(normalize(latex), context) == name


@pytest.mark.parametrize("latex", NEGATIVE)
def test_unrelated_formulas_stay_unlabelled(latex: str) -> None:
    assert recognise(normalize(latex), "Softmax 交叉熵 Dropout") is None


def test_every_concept_has_positive_examples() -> None:
    assert {name for name, _, _ in POSITIVE} == set(CONCEPT_NAMES)


def test_scaled_dropout_needs_a_dropout_heading() -> None:
    assert recognise(normalize(r"h' = \frac{h}{1-p}"), "Batch Normalization") is None


def test_importing_the_package_does_not_import_sympy() -> None:
    code = (
        "import sys, quizgen.concepts as c\n"
        "c.recognise(r'\\frac{e^{z_i}}{\\sum_j e^{z_j}}')\n"
        "assert 'sympy' not in sys.modules, 'sympy imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
