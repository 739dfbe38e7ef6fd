""""其中 / where" legends (``quizgen.parse.legends``)."""

from __future__ import annotations

import pytest

from quizgen.parse import parse_text
from quizgen.parse.legends import shown_in


@pytest.mark.parametrize(
    ("symbol", "latex", "shown"),
    [
        ("q_i", "H(p,q)=-\\sum_i p_i\\log q_i", True),
        ("x_{i}", "x_i + 1", True),
        ("\\mathbf{w}", "\\mathbf w^\\top \\mathbf x", True),
        ("p(y \\mid x)", "\\log p(y \\vert x)", True),
        ("\\hat{U}_t(s)", "\\hat U_{t+1}(s) = \\gamma \\hat{U}_t(s')", True),  # other arguments
        ("x", "\\exp(y)", False),  # a letter inside a command name is not the symbol
        ("P(x_i \\mid \\mu=\\mu_j)", "\\mu_j = \\frac{\\sum_i E(z_{ij}) x_i}{\\sum_i E(z_{ij})}",
         False),
        # a GPT note: the legend's P(u_i | u_1, …) under a formula conditioned on u_{i-k}, …
        ("P(u_i | u_1, \\dots, u_{i-1})", "L_1 = \\sum_i \\log P(u_i | u_{i-k}, \\dots, u_{i-1})",
         False),
    ],
)
def test_shown_in(symbol: str, latex: str, shown: bool) -> None:
    assert shown_in(symbol, latex) is shown


def test_a_legend_under_two_formulas_gives_the_last_only_its_own_symbols() -> None:
    """The EM step formulas of a real note: one legend explains symbols of both formulas."""
    note = parse_text(
        "# EM\n\nEM 算法包含 E 步和 M 步：\n\n"
        "$$\nE(z_{ij}) = \\frac{P(x_i \\vert \\mu=\\mu_j)}"
        "{\\sum_{j} P(x_i \\vert \\mu=\\mu_j)}\n$$\n\n"
        "$$\n\\mu_j = \\frac{\\sum_i E(z_{ij}) x_i}{\\sum_i E(z_{ij})}\n$$\n\n"
        "其中 $z_{ij}$ 表示样本 $x_i$ 来自于第 $j$ 个分布的概率；"
        "$P(x_i \\vert \\mu=\\mu_j)$ 为 $x_i$ 从第 $j$ 个分布进行采样的概率。\n",
        "a.md",
    )
    last = [f for f in note.formulas if f.display][-1]
    assert [s.symbol for s in last.symbols] == ["z_{ij}"]
    assert any(s.what == "legend" and "P(x_i" in s.text for s in note.skipped)


def test_a_sampled_symbol_is_explained_without_its_distribution() -> None:
    note = parse_text(
        "# 重参数\n\n改写为：\n\n$$z_j=\\mu_j+\\sigma_j\\varepsilon_j$$\n\n"
        "其中，\\(\\varepsilon_j\\sim\\mathcal{N}(0,1)\\) 是与参数无关的噪声。\n",
        "a.md",
    )
    assert [s.symbol for s in note.formulas[0].symbols] == ["\\varepsilon_j"]


@pytest.mark.parametrize(
    ("legend", "meanings"),
    [
        # d2l-zh chapter_recurrent-neural-networks/bptt.md:54
        ("其中$f$和$g$分别是隐藏层和输出层的变换。", ["隐藏层的变换", "输出层的变换"]),
        # names that are not parallel keep their own words
        ("其中$f$和$g$分别是学习率和模型的参数。", ["学习率", "模型的参数"]),
    ],
)
def test_respectively_shares_a_phrase_between_parallel_names(
    legend: str, meanings: list[str]
) -> None:
    note = parse_text(
        "# BPTT\n\n$$\\begin{aligned}h_t &= f(x_t, h_{t-1}, w_h),\\\\o_t &= g(h_t, w_o),"
        f"\\end{{aligned}}$$\n\n{legend}\n",
        "a.md",
    )
    assert [s.meaning for s in note.formulas[0].symbols] == meanings


def test_a_legend_answer_is_what_the_symbol_is_without_the_remarks_after_it() -> None:
    """A regularisation note: "λ 为正则系数，正则项一般不加偏置，因为…"."""
    note = parse_text(
        "# L2\n\n$$C = C_0 + \\frac{\\lambda}{2n}\\sum_w w^2$$\n\n"
        "其中 $C_0$ 为原始的损失函数项，$\\lambda$ 为正则系数，正则项一般不加偏置，"
        "因为偏置不太会影响最终的变化。\n",
        "a.md",
    )
    assert [(s.symbol, s.meaning) for s in note.formulas[0].symbols] == [
        ("C_0", "原始的损失函数项"), ("\\lambda", "正则系数")]


def test_a_property_shared_by_symbols_is_not_their_meaning() -> None:
    """A policy-gradient note: "where r(τ) and ∇ log π(τ) are both random variables"."""
    note = parse_text(
        "# PG\n\n$$\\nabla J \\approx \\frac{1}{N}\\sum_n r(\\tau_n)\\nabla\\log\\pi(\\tau_n)$$\n\n"
        "where $r(\\tau_n)$ and $\\nabla\\log\\pi(\\tau_n)$ are both random variables.\n",
        "a.md",
    )
    assert note.formulas[0].symbols == ()


def test_one_meaning_after_a_list_of_symbols_is_each_of_theirs() -> None:
    """d2l-en attention-scoring-functions.md:469: "where W_q ∈ …, W_k ∈ …, and w_v ∈ … are the
    learnable parameters": all three are, not only the last (so no legend card can tell them
    apart)."""
    note = parse_text(
        "# Additive attention\n\n$$a(q, k) = w_v^\\top \\tanh(W_q q + W_k k)$$\n\n"
        "where $W_q\\in\\mathbb R^{h\\times q}$, $W_k\\in\\mathbb R^{h\\times k}$, \n"
        "and $w_v\\in\\mathbb R^{h}$ are the learnable parameters.\n",
        "a.md",
    )
    assert [(s.symbol, s.meaning) for s in note.formulas[0].symbols] == [
        ("W_q", "the learnable parameters"), ("W_k", "the learnable parameters"),
        ("w_v", "the learnable parameters")]
