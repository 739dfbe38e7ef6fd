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
    ("inverted_dropout", r"h' = \frac{h}{p}"),
    ("inverted_dropout", r"h' = \frac{h}{1-p}"),
    ("cross_entropy", r"H(p,q)=-\sum p\log q"),
    ("cross_entropy", r"l(\mathbf{y}, \hat{\mathbf{y}}) = - \sum_{j=1}^q y_j \log \hat{y}_j."),
    # a loss averaged over the batch, with log set upright as text: the same loss
    ("cross_entropy", r"L = -\frac{1}{N}\sum_{i=1}^{N} y_i\text{log}(p_i)"),
    ("kl_divergence", r"D_{KL}(p\|q)=\sum_i p_i\log\frac{p_i}{q_i}"),
    ("kl_divergence", r"KL(p\|q)=\sum_x p(x)\log_2\frac{p(x)}{q(x)}"),
    ("kl_divergence", r"D_{KL}(p\|q)=\sum_i p_i\log p_i-\sum_i p_i\log q_i"),
    ("entropy", r"H(X)=-\sum p\log p"),
    ("entropy", r"H[P] = \sum_j - P(j) \log P(j)."),
    ("entropy", r"H(X)=\sum_x p(x)\log\frac{1}{p(x)}"),
    ("sigmoid", r"\sigma(x)=\frac{1}{1+e^{-x}}"),
    ("sigmoid", r"\operatorname{sigmoid}(x) = \frac{1}{1 + \exp(-x)}."),
    ("sigmoid", r"\sigma(t)=\frac{e^{t}}{1+e^{t}}"),
    # the concepts computed drills were added for, in the forms notes write them
    ("infonce", r"L=-\log\frac{\exp(s_0/\tau)}{\sum_{j=0}^{K}\exp(s_j/\tau)}"),
    ("softmax_temperature", r"\sigma_T(z)_i=\frac{e^{z_i/T}}{\sum_{j=1}^{K}e^{z_j/T}}"),
    ("softmax_temperature", r"q_i=\frac{\exp(z_i/T)}{\sum_j\exp(z_j/T)}"),
    ("gumbel_softmax", r"y_i=\frac{\exp\left((\log\pi_i+g_i)/\tau\right)}{\sum_{j=1}^{K}"
                       r"\exp\left((\log\pi_j+g_j)/\tau\right)}"),
    ("perplexity", r"PPL(s)=exp\left(-\frac{1}{m}\sum_{i=1}^{m}log\ p(w_i\mid w_{<i})\right)"),
    ("perplexity", r"PPL(W)=\left(\prod_{i=1}^{N}p(w_i\mid w_{<i})\right)^{-\frac{1}{N}}"),
    ("ngram_probability", r"p(w_i\mid w_{i-1})=\frac{C(w_{i-1},w_i)}{C(w_{i-1})}"),
    ("ngram_probability", r"p(w_i\mid w_{i-1})=\frac{C(w_{i-1},w_i)+k}{C(w_{i-1})+kV}"),
    ("ngram_probability", r"P(w_n|w_{n-1})=\frac{C(w_{n-1}w_n)}{C(w_{n-1})}"),
    ("attention_weight", r"\alpha(\mathbf{q}, \mathbf{k}_i) = \mathrm{softmax}(a(\mathbf{q}, "
                         r"\mathbf{k}_i)) = \frac{\exp(\mathbf{q}^\top \mathbf{k}_i / \sqrt{d})}"
                         r"{\sum_{j=1} \exp(\mathbf{q}^\top \mathbf{k}_j / \sqrt{d})}."),
    ("batch_norm", r"y_i=\gamma\frac{x_i-\mu_B}{\sqrt{\sigma_B^2+\epsilon}}+\beta"),
    ("batch_norm", r"\mathrm{BN}(\mathbf{x}) = \boldsymbol{\gamma} \odot \frac{\mathbf{x} - "
                   r"\hat{\boldsymbol{\mu}}_\mathcal{B}}{\hat{\boldsymbol{\sigma}}_\mathcal{B}} + "
                   r"\boldsymbol{\beta}."),
    ("l2_penalty", r"\Omega(w)=\frac{\lambda}{2}\|w\|_2^2"),
    ("l2_penalty", r"\Omega(w)=\frac{\lambda}{2}\sum_{i}w_i^2"),
    ("adam_bias_correction", r"\hat{m}_t=\frac{m_t}{1-\beta_1^t},\qquad \hat{v}_t=\frac{v_t}"
                             r"{1-\beta_2^t}"),
    ("momentum_update", r"v_t=\mu\,v_{t-1}+g_t"),
    ("momentum_update", r"v_{t+1}=\mu v_t+g_{t+1}"),  # the same recursion, one step later
    ("momentum_update", r"\theta_{t+1}=\theta_t-\eta\,v_t"),
    ("gaussian_reparameterization", r"z=\mu+\sigma\odot\varepsilon,\qquad\varepsilon\sim"
                                    r"\mathcal{N}(0,I)"),
    ("kl_gaussian_standard", r"D_{KL}=-\frac{1}{2}\left(1+\log\sigma^2-\mu^2-\sigma^2\right)"),
    ("kl_gaussian_standard", r"D_{KL}=\frac{1}{2}\sum_{j=1}^{J}\left(\mu_j^2+\sigma_j^2-\log"
                             r"\sigma_j^2-1\right)"),
    ("receptive_field", r"RF_{n-1}=(RF_{n}-1)\times stride_{n}+ksize_{n}"),
    ("receptive_field", r"r_l=r_{l-1}+(k_l-1)\prod_{i=1}^{l-1}s_i"),
    ("conv_output_size", r"o=\left\lfloor\frac{n+2p-k}{s}\right\rfloor+1"),
    ("conv_output_size", r"O=\frac{W-F+2P}{S}+1"),
    ("classification_metric", r"P=\frac{TP}{TP+FP}"),
    ("classification_metric", r"F_1=\frac{2\cdot Precision\cdot Recall}{Precision+Recall}"),
    ("classification_metric", r"Accuracy=\frac{TP+TN}{TP+TN+FP+FN}"),
    ("cosine_similarity", r"\mathrm{sim}(u,v)=\frac{u^{\top}v}{\|u\|\,\|v\|}"),
    ("cosine_similarity", r"\cos(\theta) = \frac{\mathbf{v}\cdot \mathbf{w}}{\|\mathbf{v}\|"
                          r"\|\mathbf{w}\|} = \frac{\sum_{i} v_iw_i}{\sqrt{\sum_{i}v_i^2}"
                          r"\sqrt{\sum_{i}w_i^2}}."),
    ("label_smoothing", r"q_i=(1-\varepsilon)\,y_i+\frac{\varepsilon}{K}"),
    ("label_smoothing", r"y_k^{LS}=y_k(1-\alpha)+\frac{\alpha}{K}"),
    ("binary_cross_entropy", r"L_{BCE}=-\left[y\log\hat{y}+(1-y)\log(1-\hat{y})\right]"),
    ("focal_loss", r"FL(p_t)=-\alpha_t(1-p_t)^{\gamma}\log(p_t)"),
    ("focal_loss", r"FL(p_t)=-(1-p_t)^{\gamma}\log(p_t)"),
    ("pooling", r"y=\max_{(p,q)\in R}x_{pq}"),
    ("pooling", r"y=\frac{1}{|R|}\sum_{(p,q)\in R}x_{pq}"),
    ("cross_entropy", r"L=-\sum_i q_i\log p_i"),  # no H(p, q) on the left: either letter
]

MISMATCH = [
    # the seed's typo: n-1 where n=1 was meant
    ("contrastive_loss", r"L=\frac{1}{2N}\sum_{n-1}^N[yd^2+(1-y)max(margin-d, 0)^2]", "n-1"),
    ("contrastive_loss", r"L=\frac{1}{2N}\sum_{n=1}^N[yd^2+(1-y)max(margin-d, 0)]", "differs"),
    ("softmax", r"\frac{e^{z_i}}{e^{z_j}}", "differs"),
    ("softmax", r"\frac{e^{z_i}}{\sum_j z_j}", "differs"),
    ("mutual_information", r"I(X;Y)=\sum_{x,y}p(x,y)\log\frac{p(x,y)}{p(x)}", "differs"),
    ("dropout", r"E=(1-p)x", "differs"),
    ("inverted_dropout", r"h' = \frac{h}{1+p}", "differs"),
    ("cross_entropy", r"H(p,q)=-\sum q\log p", "differs"),
    ("kl_divergence", r"D_{KL}(p\|q)=\sum_i q_i\log\frac{q_i}{p_i}", "differs"),
    ("entropy", r"H(X)=\sum_i p_i\log p_i", "differs"),
    ("sigmoid", r"\sigma(x)=\frac{1}{1+e^{x}}", "differs"),
    # one slip each, of the kind students and copy-paste make
    ("infonce", r"L=-\log\frac{\exp(s_0/\tau)}{\sum_{j=1}^{K}\exp(s_j/\tau)}", "differs"),
    ("infonce", r"L=-\log\frac{\exp(s_0/\tau)}{\sum_{j=0}^{K}\exp(s_j\tau)}", "differs"),
    ("softmax_temperature", r"q_i=\frac{\exp(z_i/T)}{\sum_j\exp(z_j)}", "differs"),
    ("gumbel_softmax", r"y_i=\frac{\exp((\log\pi_i+g_i)/\tau)}{\sum_{j=1}^{k}"
                       r"\exp((\log\pi_j-g_j)/\tau)}", "differs"),
    ("perplexity", r"PPL=\left(\prod_{i=1}^{N}p_i\right)^{\frac{1}{N}}", "differs"),
    ("perplexity", r"PPL=\exp\left(\frac{1}{N}\sum_{i=1}^{N}\log p_i\right)", "differs"),
    ("ngram_probability", r"p(w_i\mid w_{i-1})=\frac{C(w_{i-1},w_i)+1}{C(w_{i-1})+1}", "differs"),
    ("attention_weight", r"\alpha_i=\frac{\exp(q^\top k_i/\sqrt{d})}{\sum_{j=1}^{n}"
                         r"\exp(q^\top k_j/d)}", "differs"),
    ("batch_norm", r"y_i=\gamma\frac{x_i-\mu_B}{\sqrt{\sigma_B+\epsilon}}+\beta", "differs"),
    ("l2_penalty", r"\frac{\lambda}{2}\sum_{i}w_i", "differs"),
    ("adam_bias_correction", r"\hat{m}_t=\frac{m_t}{1-\beta_1}", "differs"),
    ("momentum_update", r"v_t=\mu v_{t-1}-g_t", "differs"),
    ("momentum_update", r"\theta_{t+1}=\theta_t+\eta v_t", "differs"),
    ("gaussian_reparameterization", r"z=\mu+\sigma^2\epsilon", "differs"),
    ("kl_gaussian_standard", r"D_{KL}=-\frac{1}{2}\sum_{j=1}^{J}\left(1+\log\sigma_j-\mu_j^2-"
                             r"\sigma_j^2\right)", "differs"),
    ("receptive_field", r"r_l=r_{l-1}+(k_l-1)\prod_{i=1}^{l}s_i", "differs"),
    ("receptive_field", r"RF_{n-1}=(RF_{n}-1)\times stride_{n}+ksize_{n}-1", "differs"),
    ("classification_metric", r"Precision=\frac{TP}{TP+FN}", "differs"),  # recall's denominator
    ("classification_metric", r"F_1=\frac{PR}{P+R}", "differs"),
    ("cosine_similarity", r"\frac{a^\top b}{\|a\|^2\|b\|}", "differs"),
    ("binary_cross_entropy", r"L=-[y\log\hat{y}+(1-y)\log\hat{y}]", "differs"),
    ("focal_loss", r"FL(p_t)=-(1-p_t)^{\gamma}\log(1-p_t)", "differs"),
    ("pooling", r"y=\sum_{(p,q)\in R}x_{pq}", "differs"),
    ("cross_entropy", r"H(p,q)=-\sum_i q_i\log p_i", "differs"),  # H(p, q) fixes the order
]

UNTRANSLATABLE = [
    ("softmax", r"\text{hello} \int_0^1 f"),
    ("entropy", r"L_{\theta}=\mathbb{E}_{z\sim p_{\theta}(z)}[f(z)]"),
    ("sigmoid", r"\sigma(x)"),
    ("entropy", r"H(X) = - E_{x \sim P} [\log p(x)]."),
    ("softmax", r"\frac{e^{z_i}}{\sum_j e^{z_j}"),
    ("softmax", ""),
    # no counterpart in the standard form: nothing says these are wrong
    ("softmax", r"\sigma(z)_i=\frac{e^{z_i-m}}{\sum_{j=1}^{K}e^{z_j-m}},\qquad m=\max_k z_k"),
    ("label_smoothing", r"q_i=(1-\epsilon)y_i+\epsilon"),
    ("binary_cross_entropy", r"\min_D \{ - y \log D(\mathbf x) - (1-y)\log(1-D(\mathbf x)) \},"),
    ("inverted_dropout", r"\tilde{y}=\frac{r\odot y}{p},\qquad \mathbb{E}[\tilde{x}]=p\cdot"
                         r"\frac{x}{p}+0\cdot(1-p)=x"),
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


@pytest.mark.parametrize(("name", "latex", "certain"), [
    ("entropy", r"H(X)=\sum_i p_i\log p_i", True),
    # a personal loss-function note: the single-sample cross-entropy with its minus sign lost
    ("cross_entropy", r"loss = \sum_{j = 1}^{m}y_{j}\text{log}(a_{j})", True),
    ("contrastive_loss", r"L=\frac{1}{2N}\sum_{n=1}^N[yd^2+(1-y)max(margin-d, 0)]", False),
    ("cross_entropy", r"H(p,q)=-\sum q\log p", False),
])
def test_only_a_lost_minus_sign_is_a_certain_mismatch(name: str, latex: str,
                                                       certain: bool) -> None:
    result = check_formula(name, normalize(latex))
    assert (result.status, result.certain) == ("mismatch", certain)


def test_a_constant_factor_is_a_convention_only_where_the_concept_says_so() -> None:
    """A mean instead of a sum states the same loss; F1 without its 2 is wrong."""
    assert check_formula("cross_entropy", normalize(r"J=-\frac{1}{n}\sum_{i=1}^n y_i\log a_i")
                         ).status == "match"
    f1 = check_formula("classification_metric", normalize(r"F_1=\frac{PR}{P+R}"))
    assert (f1.status, f1.certain) == ("mismatch", False)
    assert "times a constant" in f1.message


@pytest.mark.parametrize(("name", "latex"), UNTRANSLATABLE)
def test_unreadable_forms_are_untranslatable(name: str, latex: str) -> None:
    assert check_formula(name, normalize(latex)).status == "untranslatable"


def test_every_concept_has_a_match_and_a_mismatch_case() -> None:
    from quizgen.concepts import CONCEPT_NAMES

    assert {n for n, _ in MATCH} == set(CONCEPT_NAMES)
    assert {n for n, _, _ in MISMATCH} | {"dropout", "entropy"} >= set(CONCEPT_NAMES) - {
        "conv_output_size", "label_smoothing"}  # see the two tests below


def test_conv_output_size_cannot_tell_padding_once_from_total_padding() -> None:
    # ⌊(n+p−k)/s⌋+1 is the d2l convention (p counts both sides), so it is not a slip.
    assert check_formula("conv_output_size", normalize(
        r"o=\left\lfloor\frac{n+p-k}{s}\right\rfloor+1")).status == "match"
    assert check_formula("conv_output_size", normalize(
        r"o=\left\lfloor\frac{n-2p-k}{s}\right\rfloor+1")).status == "mismatch"


def test_label_smoothing_slips_are_reported() -> None:
    result = check_formula("label_smoothing", normalize(r"q_i=(1+\epsilon)y_i+\frac{\epsilon}{K}"))
    assert result.status == "mismatch" and "differs" in result.message


def test_unknown_concept_raises_key_error() -> None:
    with pytest.raises(KeyError):
        check_formula("relu", "x")
