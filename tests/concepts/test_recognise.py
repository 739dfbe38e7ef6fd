"""recognise(): the shapes real notes use, and formulas that must stay unlabelled or must not be
taken for a neighbouring concept. Every fixture cites the note it was copied from
(``realnotes/`` is ``../shared/realnotes``; ``d2l-zh@commit`` a file of
github.com/d2l-ai/d2l-zh)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from quizgen.concepts import CONCEPT_NAMES, recognise
from quizgen.latex import normalize

EN = "realnotes/d2l-ai__d2l-en/"
ZH = "realnotes/d2l-ai__d2l-zh/"

# (concept, formula, context the parser gives it, where the shape comes from)
POSITIVE = [
    ("mutual_information", r"I(X;Y)=\sum_{x\in X}\sum_{y\in Y}p(x,y)log\frac{p(x|y)}{p(x)}", "",
     "seeds/000_4a68fa4c03e2e9ea.txt:1"),
    ("mutual_information", r"\sum_{x,y}p(x,y)\log\frac{p(x,y)}{p(x)p(y)}", "",
     "notes/self-supervised/mutual_information.md:14 (without its left side)"),
    ("contrastive_loss", r"L=\frac{1}{2N}\sum_{n-1}^N[yd^2+(1-y)max(margin-d, 0)^2]", "",
     "seeds/000_4a68fa4c03e2e9ea.txt:1"),
    ("contrastive_loss", r"L=\frac{1}{2N}\sum_{n=1}^{N} y_n d_n^2+(1-y_n)\max(0, m-d_n)^2", "",
     "notes/self-supervised/contrastive_loss.md:18 (indexed, hinge written max(0, ·))"),
    ("softmax", r"\hat{y}_j = \frac{\exp(o_j)}{\sum_k \exp(o_k)}", "",
     ZH + "chapter_linear-networks/softmax-regression.md:124"),
    ("softmax", r"P(w_o \mid w_c) = \frac{\text{exp}(\mathbf{u}_o^\top \mathbf{v}_c)}{ \sum_{i \in "
                r"\mathcal{V}} \text{exp}(\mathbf{u}_i^\top \mathbf{v}_c)},",
     "跳元模型（Skip-Gram）",
     ZH + "chapter_natural-language-processing-pretraining/word2vec.md:43"),
    ("softmax", r"\sigma(z)_i=\frac{e^{z_i}}{\sum_{j=1}^{K}e^{z_j}}", "",
     "notes/deep-learning/softmax.md:20"),
    ("softmax", r"p_i=\frac{\exp\left(x_i\right)}{\sum_{j} \exp\left(x_j\right)}", "",
     EN + "chapter_linear-classification/softmax-regression.md:203 (\\left( \\right) form)"),
    ("dropout", r"E=px+0(1-p)", "", "notes/deep-learning/dropout.md:31"),
    ("inverted_dropout", r"h' = \frac{h}{1-p}", "暂退法（Dropout）",
     ZH + "chapter_multilayer-perceptrons/dropout.md:83 (the kept branch)"),
    ("inverted_dropout", r"\tilde{y}=\frac{r\odot y}{p},\qquad \mathbb{E}[\tilde{x}]=p\cdot"
                         r"\frac{x}{p}+0\cdot(1-p)=x", "", "notes/deep-learning/dropout.md:43"),
    ("cross_entropy", r"H(p,q)=-\sum_i p_i\log q_i", "",
     "notes/information-theory/cross_entropy.md:14"),
    ("cross_entropy", r"l(\mathbf{y}, \hat{\mathbf{y}}) = - \sum_{j=1}^q y_j \log \hat{y}_j.", "",
     EN + "chapter_linear-classification/softmax-regression.md:309"),
    ("kl_divergence", r"D_{KL}(p\|q)=\sum_i p_i\log\frac{p_i}{q_i}", "",
     "notes/information-theory/kl_divergence_en.md:14"),
    ("kl_divergence", r"D_{KL}(p\|q)=\int p(x)\log\frac{p(x)}{q(x)}\,dx", "",
     "notes/information-theory/kl_divergence_en.md:20"),
    ("entropy", r"H[P] = \sum_j - P(j) \log P(j).", "",
     EN + "chapter_linear-classification/softmax-regression.md:412"),
    ("entropy", r"H(X) = - \sum_i p_i \log p_i \textrm{, where } p_i = P(X_i).", "",
     EN + "chapter_appendix-mathematics-for-deep-learning/information-theory.md:111"),
    ("entropy", r"H(X)=-\sum_{x} p(x)\log p(x)", "", "notes/information-theory/entropy.md:20"),
    ("sigmoid", r"\sigma(x)=\frac{1}{1+e^{-x}}", "", "notes/deep-learning/sigmoid.md:14"),
    ("sigmoid", r"\operatorname{sigmoid}(x) = \frac{1}{1 + \exp(-x)}.", "",
     ZH + "chapter_multilayer-perceptrons/mlp.md:301"),
    # -- the softmax family
    ("infonce", r"\mathcal{L}_{N}=-\mathbb{E}\left[\log\frac{\exp\left(\mathrm{sim}(z,z^{+})/\tau"
                r"\right)}{\sum_{j=1}^{N}\exp\left(\mathrm{sim}(z,z_j)/\tau\right)}\right]",
     "InfoNCE 损失", "notes/self-supervised/infonce.md:25"),
    ("infonce",
     r"\mathcal{L}_q=-\log\frac{\exp(q\cdot k_{+}/\tau)}{\sum_{i=0}^{K}\exp(q\cdot k_i/\tau)}",
     "字典查找", "notes/self-supervised/moco.md:16"),
    ("softmax_temperature", r"\sigma_T(z)_i=\frac{e^{z_i/T}}{\sum_{j=1}^{K}e^{z_j/T}}", "温度",
     "notes/deep-learning/softmax.md:49"),
    ("gumbel_softmax", r"y_i=\frac{\exp\left((\log\pi_i+g_i)/\tau\right)}{\sum_{j=1}^{K}"
                       r"\exp\left((\log\pi_j+g_j)/\tau\right)}", "Gumbel Softmax",
     "notes/generative/reparameterization.md:46"),
    ("attention_weight", r"\alpha(\mathbf{q}, \mathbf{k}_i) = \mathrm{softmax}(a(\mathbf{q}, "
                         r"\mathbf{k}_i)) = \frac{\exp(\mathbf{q}^\top \mathbf{k}_i / \sqrt{d})}"
                         r"{\sum_{j=1} \exp(\mathbf{q}^\top \mathbf{k}_j / \sqrt{d})}.", "",
     EN + "chapter_attention-mechanisms-and-transformers/attention-scoring-functions.md:69"),
    ("attention_weight", r"\mathrm{softmax}\left(\frac{\mathbf Q \mathbf K^\top }{\sqrt{d}}\right)"
                         r" \mathbf V \in \mathbb{R}^{n\times v}.", "",
     ZH + "chapter_attention-mechanisms/attention-scoring-functions.md:437"),
    ("attention_weight", r"\alpha_i=\frac{\exp\left(q^\top k_i/\sqrt{d}\right)}{\sum_{j=1}^{n}"
                         r"\exp\left(q^\top k_j/\sqrt{d}\right)}", "打分函数",
                          "notes/nlp/attention.md:30"),
    # -- language models
    ("perplexity", r"PPL(s)=exp\left(-\frac{1}{m}\sum_{i=1}^{m}log\ p(w_i\mid w_{<i})\right)",
     "困惑度", "notes/nlp/ngram_language_model.md:50"),
    ("perplexity", r"\textrm{PPL}(\textrm{word}) = \left[\prod_i p(\textrm{character}_i)\right]^{ "
                   r"-\frac{1}{l}} = \exp \left[ - \frac{1}{l} \sum_i{\log p(\textrm{character}_i)}"
                   r" \right].", "",
     EN + "chapter_appendix-mathematics-for-deep-learning/information-theory.md:705 (inline)"),
    ("perplexity", r"PPL(W)=\left(\prod_{i=1}^{N}p(w_i\mid w_{<i})\right)^{-\frac{1}{N}}", "困惑度",
     "notes/nlp/smoothing.md:31"),
    ("ngram_probability", r"p(w_i\mid w_{i-1})=\frac{C(w_{i-1},w_i)}{C(w_{i-1})}", "参数估计",
     "notes/nlp/ngram_language_model.md:42"),
    ("ngram_probability", r"p(w_i\mid w_{i-1})=\frac{C(w_{i-1},w_i)+1}{C(w_{i-1})+V}",
     "拉普拉斯平滑 Laplace Smoothing", "notes/nlp/smoothing.md:18"),
    # -- training
    ("batch_norm", r"y_i=\gamma\frac{x_i-\mu_B}{\sqrt{\sigma_B^2+\epsilon}}+\beta", "计算过程",
     "notes/deep-learning/batch_norm.md:28"),
    ("batch_norm", r"\mathrm{BN}(\mathbf{x}) = \boldsymbol{\gamma} \odot \frac{\mathbf{x} - "
                   r"\hat{\boldsymbol{\mu}}_\mathcal{B}}{\hat{\boldsymbol{\sigma}}_\mathcal{B}} + "
                   r"\boldsymbol{\beta}.", "批量规范化",
     "d2l-zh@00ed7d8 chapter_convolutional-modern/batch-norm.md:35"),
    ("l2_penalty", r"L(\mathbf{w}, b) + \frac{\lambda}{2} \|\mathbf{w}\|^2,", "范数与权重衰减",
     "d2l-zh@078ab0d chapter_multilayer-perceptrons/weight-decay.md:23"),
    ("l2_penalty", r"\Omega(w)=\frac{\lambda}{2}\sum_{i}w_i^2", "",
     "notes/deep-learning/weight_decay.md:24"),
    ("adam_bias_correction", r"\hat{m}_t=\frac{m_t}{1-\beta_1^t},\qquad \hat{v}_t=\frac{v_t}"
                             r"{1-\beta_2^t}", "Bias correction",
     "notes/optimization/adam_optimizer_en.md:34"),
    ("adam_bias_correction", r"\hat{\boldsymbol{v}}_t \leftarrow \frac{\boldsymbol{v}_t}"
                             r"{1 - \beta_1^t}, ", "Adam算法",
     "d2l-zh@0396741 chapter_optimization/adam.md:22"),
    ("momentum_update", r"v_t=\mu\,v_{t-1}+g_t", "动量法 Momentum",
     "notes/optimization/sgd_momentum.md:36"),
    ("momentum_update", r"\theta_{t+1}=\theta_t-\eta\,v_t", "动量法 Momentum",
     "notes/optimization/sgd_momentum.md:40"),
    # -- generative models
    ("gaussian_reparameterization", r"z=\mu+\sigma\odot\varepsilon,\qquad\varepsilon\sim"
                                    r"\mathcal{N}(0,I)", "连续情形：正态分布",
     "notes/generative/reparameterization.md:26"),
    ("gaussian_reparameterization", r"z_j=\mu_j+\sigma_j\varepsilon_j", "重参数采样",
     "notes/generative/vae.md:24"),
    ("kl_gaussian_standard", r"D_{KL}=-\frac{1}{2}\left(1+\log\sigma^2-\mu^2-\sigma^2\right)",
     "Two Gaussians", "notes/information-theory/kl_divergence_en.md:43"),
    ("kl_gaussian_standard", r"D_{KL}=\frac{1}{2}\sum_{j=1}^{J}\left(\mu_j^2+\sigma_j^2-\log"
                             r"\sigma_j^2-1\right)", "KL 项的闭式解", "notes/generative/vae.md:32"),
    # -- convolutional networks
    ("receptive_field", r"RF_{n-1}=(RF_{n}-1)\times stride_{n}+ksize_{n}", "自顶向下计算",
     "notes/deep-learning/receptive_field.md:20"),
    ("receptive_field", r"r_l=r_{l-1}+(k_l-1)\prod_{i=1}^{l-1}s_i", "自底向上计算",
     "notes/deep-learning/receptive_field.md:28"),
    ("conv_output_size", r"o=\left\lfloor\frac{n+2p-k}{s}\right\rfloor+1", "输出尺寸",
     "notes/deep-learning/pooling.md:31"),
    ("conv_output_size", r"O=\frac{W-F+2P}{S}+1", "填充和步幅",
     "notes/deep-learning/convolution.md:18"),
    ("pooling", r"y=\max_{(p,q)\in R}x_{pq}", "基本概念", "notes/deep-learning/pooling.md:25"),
    ("pooling", r"y=\frac{1}{|R|}\sum_{(p,q)\in R}x_{pq}", "基本概念",
     "notes/deep-learning/pooling.md:23"),
    # -- evaluation, similarity, losses
    ("classification_metric", r"P=\frac{TP}{TP+FP}", "精确率与召回率",
     "notes/deep-learning/classification_metrics.md:29"),
    ("classification_metric", r"F_1=\frac{2PR}{P+R}", "F1 值",
     "notes/deep-learning/classification_metrics.md:41"),
    ("classification_metric", r"Accuracy=\frac{TP+TN}{TP+TN+FP+FN}", "准确率",
     "notes/deep-learning/classification_metrics.md:21"),
    ("cosine_similarity",
     r"\frac{\mathbf{x}^\top \mathbf{y}}{\|\mathbf{x}\| \|\mathbf{y}\|} \in [-1, 1].",
     "", ZH + "chapter_natural-language-processing-pretraining/word2vec.md:17"),
    ("cosine_similarity",
     r"\cos(\theta) = \frac{\mathbf{v}\cdot \mathbf{w}}{\|\mathbf{v}\|\|\mathbf{w}\|}"
                          r" = \frac{\sum_{i} v_iw_i}{\sqrt{\sum_{i}v_i^2}\sqrt{\sum_{i}w_i^2}}.",
                           "",
     EN + "chapter_appendix-mathematics-for-deep-learning/random-variables.md:842"),
    ("cosine_similarity", r"\mathrm{sim}(u,v)=\frac{u^{\top}v}{\|u\|\,\|v\|}", "InfoNCE 损失",
     "notes/self-supervised/infonce.md:33"),
    ("label_smoothing", r"q_i=(1-\varepsilon)\,y_i+\frac{\varepsilon}{K}",
     "标签平滑 Label Smoothing",
     "notes/deep-learning/focal_loss.md:28"),
    ("binary_cross_entropy", r"L_{BCE}=-\left[y\log\hat{y}+(1-y)\log(1-\hat{y})\right]",
     "二元交叉熵 Binary Cross Entropy BCE", "notes/information-theory/cross_entropy.md:32"),
    ("binary_cross_entropy", r"\min_D \{ - y \log D(\mathbf x) - (1-y)\log(1-D(\mathbf x)) \},",
     "", EN + "chapter_generative-adversarial-networks/gan.md:22"),
    ("focal_loss", r"FL(p_t)=-\alpha_t(1-p_t)^{\gamma}\log(p_t)", "焦点损失 Focal Loss FL",
     "notes/deep-learning/focal_loss.md:18"),
]

# Formulas about a concept (or near one) that state no concept's defining formula.
NEGATIVE = [
    (r"I(X;Y)=H(X)+H(Y)-H(X,Y)", "an identity, not the definition"),
    (r"\operatorname{pmi}(x;y)=\log\frac{p(x,y)}{p(x)p(y)}",
     "notes/self-supervised/mutual_information.md:36"),
    (r"L=-\log\frac{e^{z_c}}{\sum_{j=1}^{K}e^{z_j}}=-z_c+\log\sum_{j=1}^{K}e^{z_j}",
     "notes/information-theory/cross_entropy.md:42 (no temperature: a cross-entropy, not InfoNCE)"),
    (r"D_{KL}\big(\mathcal{N}(\mu_1,\sigma_1^2)\,\|\,\mathcal{N}(\mu_2,\sigma_2^2)\big)=\log"
     r"\frac{\sigma_2}{\sigma_1}+\frac{\sigma_1^2+(\mu_1-\mu_2)^2}{2\sigma_2^2}-\frac{1}{2}",
     "notes/information-theory/kl_divergence_en.md:39 (two Gaussians, no standard prior)"),
    (r"L_{\theta}=\mathbb{E}_{z\sim p_{\theta}(z)}[f(z)]", "seeds/000_4a68fa4c03e2e9ea.txt:7"),
    (r"p(x) = \prod_{i=1}^{n} p(x_i \mid x_{<i})", "seeds/000_4a68fa4c03e2e9ea.txt:13"),
    (r"\mathop{min}\limits_{\theta\in M}d(p_\theta,p_{data})", "seeds/000_4a68fa4c03e2e9ea.txt:10"),
    (r"\operatorname{tanh}(x) = \frac{1 - \exp(-2x)}{1 + \exp(-2x)}.",
     ZH + "chapter_multilayer-perceptrons/mlp.md:386"),
    (r"I(X) = - \log_2 (p),",
     EN + "chapter_appendix-mathematics-for-deep-learning/information-theory.md:36"),
    (r"E_{Y \sim P(Y)}[-\log P(X \mid Y)] \geq -\log P(X),",
     ZH + "chapter_optimization/convexity.md:148"),
    (r"\operatorname{ReLU}(x) = \max(x, 0).", ZH + "chapter_multilayer-perceptrons/mlp.md:216"),
    (r"\frac{d}{dx} \operatorname{sigmoid}(x) = \frac{\exp(-x)}{(1 + \exp(-x))^2} = "
     r"\operatorname{sigmoid}(x)\left(1-\operatorname{sigmoid}(x)\right).",
     ZH + "chapter_multilayer-perceptrons/mlp.md:345"),
    (r"H(X\mid Y)=-\sum_{x,y}p(x,y)\log p(x\mid y)", "notes/information-theory/entropy.md:44"),
    (r"\mathbf{O} = \mathbf{X} \mathbf{W} + \mathbf{b}", EN + "chapter_linear-classification/"
     "softmax-regression.md:250"),
    # scores, updates and statistics that sit next to a concept's formula
    (r"a(\mathbf{q}, \mathbf{k}_i) = \mathbf{q}^\top \mathbf{k}_i / \sqrt{d}.",
     EN + "chapter_attention-mechanisms-and-transformers/attention-scoring-functions.md:64 "
     "(a score, not a weight)"),
    (r"a(q,k)=w_v^\top\tanh(W_q q+W_k k)", "notes/nlp/attention.md:44"),
    (r"\theta_{t+1}=\theta_t-\eta\,g_t", "notes/optimization/sgd_momentum.md:24 (plain SGD)"),
    (r"\theta_{t+1}=\theta_t-\eta\,\frac{\hat{m}_t}{\sqrt{\hat{v}_t}+\epsilon}",
     "notes/optimization/adam_optimizer_en.md:38"),
    (r"m_t=\beta_1 m_{t-1}+(1-\beta_1)\,g_t", "notes/optimization/adam_optimizer_en.md:20"),
    (r"v_t=\beta_2 v_{t-1}+(1-\beta_2)\,g_t^2", "notes/optimization/adam_optimizer_en.md:24"),
    (r"\theta_k\leftarrow m\theta_k+(1-m)\theta_q", "notes/self-supervised/moco.md:24"),
    (r"\hat{\mu}\leftarrow m\hat{\mu}+(1-m)\mu_B", "notes/deep-learning/batch_norm.md:36"),
    (r"\mu_B=\frac{1}{m}\sum_{i=1}^{m}x_i", "notes/deep-learning/batch_norm.md:20"),
    (r"z=\frac{x-\mu}{\sigma}", "notes/deep-learning/batch_norm.md:44 (a z-score)"),
    (r"\mathrm{BN}(x+b)=\gamma\frac{x+b-(\mu_B+b)}{\sqrt{\sigma_B^2+\epsilon}}+\beta=\mathrm{BN}(x)",
     "notes/deep-learning/bias.md:46 (a derivation)"),
    (r"w\leftarrow(1-\eta\lambda)w-\eta\nabla L(w)", "notes/deep-learning/weight_decay.md:30"),
    (r"k'=d(k-1)+1", "notes/deep-learning/receptive_field.md:36"),
    (r"r_3=1+2+2+2=7", "notes/deep-learning/receptive_field.md:42"),
    (r"\frac{\partial L}{\partial x_{pq}}=\frac{1}{|R|}\frac{\partial L}{\partial y},"
     r"\qquad (p,q)\in R",
     "notes/deep-learning/pooling.md:39 (the backward pass)"),
    (r"\rho(X, Y) = \frac{\sum_{i, j} x_iy_ip_{ij}}{\sqrt{\sum_{i, j}x_i^2 p_{ij}}\sqrt{\sum_{i, j}"
     r"y_j^2 p_{ij}}}.",
      EN + "chapter_appendix-mathematics-for-deep-learning/random-variables.md:837"),
    (r"\arg\max_i\left(\log\pi_i+g_i\right)", "notes/generative/reparameterization.md:40"),
    (r"I(X;Y)\ge\log N-\mathcal{L}_{N}", "notes/self-supervised/infonce.md:39"),
    (r"d=\|a_n-b_n\|_2=\sqrt{\sum_{k}(a_{n,k}-b_{n,k})^2}",
     "notes/self-supervised/contrastive_loss.md:24"),
    (r"f(q)=\sum_{i=1}^{n}\alpha_i v_i", "notes/nlp/attention.md:16"),
    (r"H(X) = - E_{x \sim P} [\log p(x)] \leq  - E_{x \sim P} [\log q(x)], \textrm{ with "
     r"equality if and only if } P = Q.",
     EN + "chapter_appendix-mathematics-for-deep-learning/information-theory.md:169 (Gibbs)"),
    (r"H(X) = - \int_x p(x) \log p(x) \; dx.",
     EN + "chapter_appendix-mathematics-for-deep-learning/information-theory.md:115 "
     "(differential entropy)"),
    (r"\partial_{o_j} l(\mathbf{y}, \hat{\mathbf{y}}) = \frac{\exp(o_j)}{\sum_{k=1}^q "
     r"\exp(o_k)} - y_j = \mathrm{softmax}(\mathbf{o})_j - y_j.",
     EN + "chapter_linear-classification/softmax-regression.md:354 (a gradient)"),
    ("", "empty"),
]

# Shapes a concept's recogniser would take but the heading says belong elsewhere.
NEGATIVE_IN_CONTEXT = [
    (r"\boldsymbol{v}_t \leftarrow \beta_1 \boldsymbol{v}_{t-1} + (1 - \beta_1) \boldsymbol{g}_t. ",
     "Adam算法", "d2l-zh@0396741 chapter_optimization/adam.md:13 (Adam's moment, not momentum)"),
    (r"\mathrm{LN}(x)=\gamma\frac{x-\mu}{\sqrt{\sigma^2+\epsilon}}+\beta", "层归一化",
     "notes/deep-learning/batch_norm.md:50 (layer norm)"),
]

# Labelled, but never as the neighbouring concept named here.
NOT_THIS = [
    (r"\begin{aligned} l(\theta) &= \log L(\theta) \\   &= \log \prod_{i=1}^n \pi_i^{y_i} (1 - "
     r"\pi_i)^{1 - y_i} \\   &= \sum_{i=1}^n y_i \log(\pi_i) + (1 - y_i) \log (1 - \pi_i). \\ "
     r"\end{aligned}", "binary_cross_entropy",
     EN + "chapter_appendix-mathematics-for-deep-learning/information-theory.md:528 "
     "(a log-likelihood)"),
    (r"\sigma_T(z)_i=\frac{e^{z_i/T}}{\sum_{j=1}^{K}e^{z_j/T}}", "softmax",
     "notes/deep-learning/softmax.md:49"),
    (r"\mathcal{L}_q=-\log\frac{\exp(q\cdot k_{+}/\tau)}{\sum_{i=0}^{K}\exp(q\cdot k_i/\tau)}",
     "softmax_temperature", "notes/self-supervised/moco.md:16"),
]


@pytest.mark.parametrize(("name", "latex", "context", "source"), POSITIVE)
def test_recognises_real_shapes(name: str, latex: str, context: str, source: str) -> None:
    assert recognise(normalize(latex), context) == name, source


@pytest.mark.parametrize(("latex", "source"), NEGATIVE)
def test_unrelated_formulas_stay_unlabelled(latex: str, source: str) -> None:
    # The heading names several concepts: only a formula's shape may label it.
    assert recognise(normalize(latex), "Softmax 交叉熵 Dropout 注意力 池化 感受野") is None, source


@pytest.mark.parametrize(("latex", "context", "source"), NEGATIVE_IN_CONTEXT)
def test_a_heading_can_veto_a_shape(latex: str, context: str, source: str) -> None:
    assert recognise(normalize(latex), context) is None, source


@pytest.mark.parametrize(("latex", "wrong", "source"), NOT_THIS)
def test_not_taken_for_a_neighbouring_concept(latex: str, wrong: str, source: str) -> None:
    assert recognise(normalize(latex), "") != wrong, source


def test_every_concept_has_positive_examples() -> None:
    assert {name for name, *_ in POSITIVE} == set(CONCEPT_NAMES)


def test_scaled_dropout_needs_a_dropout_heading() -> None:
    assert recognise(normalize(r"h' = \frac{h}{1-p}"), "Batch Normalization") is None


def test_importing_the_package_does_not_import_sympy() -> None:
    code = (
        "import sys, quizgen.concepts as c\n"
        "c.recognise(r'\\frac{e^{z_i}}{\\sum_j e^{z_j}}')\n"
        "assert 'sympy' not in sys.modules, 'sympy imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
