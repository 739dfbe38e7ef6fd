"""Card kinds: identity, determinism, per-concept variants, cloze parts, masking."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from quizgen.generate import DeckContext, generate
from quizgen.generate.cloze import cloze_for
from quizgen.model import Answer, Card, Choice, Note, Variant
from quizgen.parse import parse_text

NOTE = """---
title: Softmax 笔记
category: Deep Learning
tags: [分类, 激活 函数]
---

# Softmax

软最大函数 (Softmax):把一组实数映射为概率分布的函数。

$$
\\sigma(z)_i=\\frac{e^{z_i}}{\\sum_{j=1}^{K} e^{z_j}}
$$

其中, \\(z_i\\) 为第 i 个输入, \\(K\\) 表示类别数。

交叉熵 (Cross Entropy, CE)：衡量两个分布差异的量。

$$
H(p,q)=-\\sum_i p_i\\log q_i
$$
"""


def fake_variants(concept: str, seed: int, count: int) -> list[Variant]:
    """Stand-in for the concept registry, so these tests exercise only the card kinds."""
    return [
        Variant(
            concept, i, f"{concept} question {seed % 1000}-{i}", {"seed": seed},
            Answer("1/2", 0.5),
            (Choice("\\(1/2\\)", "1/2", True), Choice("\\(1\\)", "1", False, "m1")),
        )
        for i in range(count)
    ]


def ctx(seed: int = 7, kinds: tuple[str, ...] | None = None) -> DeckContext:
    return DeckContext(
        deck="ML::基础", namespace="ML", seed=seed,
        kinds=kinds or ("definition", "reverse", "cloze", "recall", "legend", "variant", "choice"),
    )


def note(text: str = NOTE, path: str = "notes/softmax.md") -> Note:
    n = parse_text(text, path)
    # Concept recognition is the concept registry's job; pin it here.
    formulas = tuple(
        replace(f, concept="softmax" if "e^{z_i}" in f.latex else "cross_entropy")
        for f in n.formulas
    )
    return replace(n, formulas=formulas)


def gen(*args: Any, **kwargs: Any) -> list[Card]:
    """The cards that pass the gate."""
    return list(generate(*args, **kwargs).cards)


def by_kind(cards: list, kind: str) -> list:
    return [c for c in cards if c.kind == kind]


def test_kinds_deck_and_tags() -> None:
    cards = gen([note()], ctx(), fake_variants)
    kinds = {c.kind for c in cards}
    assert kinds == {"definition", "reverse", "cloze", "recall", "legend", "variant", "choice"}
    assert all(c.deck == "ML::基础::Deep Learning" for c in cards)
    assert cards[0].tags == ("分类", "激活_函数", "softmax")
    legend = by_kind(cards, "legend")
    assert [c.back for c in legend] == ["第 i 个输入", "类别数"]
    assert all(c.source.path == "notes/softmax.md" and c.source.line > 0 for c in cards)


def test_same_notes_and_seed_give_identical_cards() -> None:
    assert gen([note()], ctx(), fake_variants) == gen([note()], ctx(), fake_variants)


def test_identity_survives_edits_of_text_and_formula() -> None:
    before = {c.key: c.id for c in gen([note()], ctx(), fake_variants)}
    edited = NOTE.replace("把一组实数映射为概率分布的函数", "把任意实数向量变成概率分布").replace(
        "\\sum_{j=1}^{K} e^{z_j}", "\\sum_{j=1}^{K}e^{z_j}"
    )
    after = {c.key: c.id for c in gen([note(edited)], ctx(), fake_variants)}
    assert before == after
    renamed = {c.id for c in gen([note(NOTE.replace("软最大函数", "柔性最大"))], ctx(),
                                      fake_variants)}
    assert set(before.values()) - renamed  # a different term is a different card


def test_variants_are_per_concept_per_deck_not_per_occurrence() -> None:
    notes = [note(path=f"notes/n{i:03d}.md") for i in range(200)]
    variants = by_kind(gen(notes, ctx(kinds=("variant",)), fake_variants), "variant")
    assert len(variants) == 2 * 3  # softmax and cross_entropy, three each
    assert {c.source.path for c in variants} == {"notes/n000.md"}


def test_seed_changes_variants_but_not_their_identity() -> None:
    a = by_kind(gen([note()], ctx(seed=1), fake_variants), "variant")
    b = by_kind(gen([note()], ctx(seed=2), fake_variants), "variant")
    assert [c.id for c in a] == [c.id for c in b]
    assert [c.front for c in a] != [c.front for c in b]


def test_reverse_card_hides_every_name_of_the_term() -> None:
    rev = by_kind(gen([note()], ctx(), fake_variants), "reverse")
    ce = next(c for c in rev if c.term == "交叉熵")
    assert "交叉熵" not in ce.front and "Cross Entropy" not in ce.front and "CE" not in ce.front
    assert ce.back == "交叉熵 (Cross Entropy, CE)"


def test_definition_choice_has_four_distinct_options_one_correct() -> None:
    notes = [note(NOTE.replace("软最大函数", f"术语{i}").replace("交叉熵", f"概念{i}")
                  .replace("映射为", f"映射{i}次为").replace("差异", f"第{i}种差异")
                  .replace("(Softmax)", f"(Term {i})").replace("Cross Entropy, CE", f"Concept {i}"),
                  f"notes/{i}.md") for i in range(3)]
    choices = [c for c in gen(notes, ctx(kinds=("choice",)), fake_variants)
               if c.key.endswith(tuple(f"def:{t}" for t in ("术语0", "概念1")))]
    assert choices
    for c in choices:
        assert len(c.choices) == 4 and len({o.value for o in c.choices}) == 4
        assert [o.correct for o in c.choices].count(True) == 1
        assert next(o for o in c.choices if o.correct).value == c.term


@pytest.mark.parametrize(
    ("latex", "hidden"),
    [
        ("\\sigma(z)_i=\\frac{e^{z_i}}{\\sum_{j=1}^K e^{z_j}}", "e^{z_i}"),
        ("I(X;Y)=\\sum_{x}\\sum_{y}p(x,y)\\log\\frac{p(x,y)}{p(x)p(y)}", "p(x)p(y)"),
        ("L=\\frac{1}{2N}\\sum_{n=1}^N[y d^2+(1-y)\\max(margin-d,0)^2]", "\\frac{1}{2N}"),
        ("H(p,q)=-\\sum_i p_i\\log q_i", "p_i\\log q_i"),  # never the sign alone
        ("\\sigma(x)=\\frac{1}{1+e^{-x}}", "1+e^{-x}"),
        ("\\theta_{t+1}=\\theta_t-\\eta g_t", "\\eta g_t"),
        ("p(x)=\\prod_{i=1}^{n}p(x_i\\mid x_{<i})", "p(x_i\\mid x_{<i})"),
        # only the summand is summed (n-step Q-learning in a Chinese RL tutorial)
        ("Q=\\alpha\\left[\\sum_{i=1}^{n}\\gamma^{i-1}r_{t+i}+\\gamma^n Q'-Q\\right]",
         "\\gamma^{i-1}r_{t+i}"),
        # a lone coefficient tests nothing (regularisation and SVM notes); dropout's 1-p does
        ("C=C_0+\\frac{\\lambda}{2n}\\sum_w w^2", "w^2"),
        ("h'=\\frac{h}{1-p}", "1-p"),
        # an average's 1/n is no idea to recall (a loss-function note's MSE)
        ("L=\\frac{1}{n}\\sum_{i=1}^{n}(y_i-\\hat{y}_i)^2", "(y_i-\\hat{y}_i)^2"),
        ("a=b", None),
    ],
)
def test_cloze_hides_a_meaningful_part(latex: str, hidden: str | None) -> None:
    cz = cloze_for(latex)
    if hidden is None:
        assert cz is None
    else:
        assert cz is not None and cz.hidden == hidden
        assert cz.before + cz.hidden + cz.after == latex


def test_english_definition_prompt_starts_with_the_blank() -> None:
    from quizgen.generate.reverse import BLANK, mask

    assert mask("is an adaptive first-order method.", ("Adam",)) == (
        f"{BLANK} is an adaptive first-order method."
    )
    assert mask("一种自适应方法", ("Adam",)) == "一种自适应方法"


def test_choice_card_back_does_not_repeat_the_marked_option() -> None:
    def with_explanation(concept: str, seed: int, count: int) -> list[Variant]:
        return [replace(v, explanation="because") for v in fake_variants(concept, seed, count)]

    cards = gen([note()], ctx(kinds=("variant", "choice")), with_explanation)
    assert {c.back for c in by_kind(cards, "choice")} == {"because"}
    assert all(c.back.startswith("\\(1/2\\)") for c in by_kind(cards, "variant"))


@pytest.mark.parametrize(
    ("intro", "latex", "prompt"),
    [
        # a model-evaluation note: "\text{TPR}（TPR）" says the name twice
        ("TPR 的计算公式为：", "\\text{TPR}=\\frac{\\text{TP}}{\\text{TP}+\\text{FN}}",
         "写出 \\(\\text{TPR}\\) 的公式"),
        # an entropy note: "计算偏导：" names a step of working, not a formula to recall
        ("计算偏导：", "\\frac{\\partial L}{\\partial p_k} = -\\log p_k - \\lambda", None),
    ],
)
def test_a_recall_prompt_names_the_formula_once_and_only_by_a_name(
    intro: str, latex: str, prompt: str | None
) -> None:
    n = parse_text(f"---\ntitle: 熵\n---\n\n# 熵\n\n{intro}\n\n$$\n{latex}\n$$\n", "n.md")
    recalls = [c.front for c in by_kind(gen([n], ctx(), fake_variants), "recall")]
    assert recalls == ([prompt] if prompt else [])


def test_a_reverse_question_leaves_off_a_formula_that_writes_the_answer() -> None:
    """A model-evaluation note: "\\text{TPR}=…" under the definition of TPR gives it away."""
    n = parse_text(
        "# 评估\n\nTPR (真正例率)：在所有实际为正例的样本中，被正确地判断为正例之比率：\n\n"
        "$$\n\\text{TPR}=\\frac{\\text{TP}}{\\text{TP}+\\text{FN}}\n$$\n", "n.md")
    (card,) = by_kind(gen([n], ctx(), fake_variants), "reverse")
    assert card.front == "哪个术语的定义是：在所有实际为正例的样本中，被正确地判断为正例之比率"


def test_a_cloze_says_what_formula_it_asks_about() -> None:
    """A cloze of a formula with no name, no naming left side and no known concept shows a bare
    formula; one the concept registry recognises is called by the concept's name."""
    bare = parse_text("# 笔记\n\n$$\ny = a x^2 + b x + c\n$$\n\n其中 $a$ 为二次项系数。\n", "n.md")
    assert bare.formulas[0].key and not bare.formulas[0].name
    assert by_kind(gen([bare], ctx(), fake_variants), "cloze") == []
    (card,) = by_kind(gen([note()], ctx(), fake_variants), "cloze")[:1]
    assert card.front.startswith("补全公式（")


def test_symbols_that_share_one_meaning_get_no_legend_card() -> None:
    """A BatchNorm note: "其中，W 和 B 是模型学习的参数"; asked of W, the answer fits B too."""
    note = parse_text("线性变换定义为：\n\n$$\nZ = W \\cdot X + B\n$$\n\n"
                      "其中，$W$ 和 $B$ 是模型学习的参数，$X$ 是输入。\n", "notes/bn.md")
    out = generate([note], DeckContext("D", "D", 1, ("legend",)), lambda *_: [])
    assert [c.front.rsplit("，", 1)[-1] for c in out.cards] == ["\\(X\\) 表示什么？"]


def test_a_generic_formula_name_is_said_with_the_note_title() -> None:
    """A logistic-regression note: "预测值为：" names a kind of formula, not which one."""
    note = parse_text("# 逻辑回归\n\n预测值为：\n\n$$\nf(x) = \\frac{1}{1 + \\exp(-x^T \\beta)}"
                      "\n$$\n", "notes/lr.md")
    out = generate([note], DeckContext("D", "D", 1, ("recall",)), lambda *_: [])
    assert [c.front for c in out.cards] == ["写出逻辑回归中的预测值的公式"]


def test_a_qualified_generic_name_is_said_with_the_note_title() -> None:
    """d2l-zh word2vec.md:60: "对数条件概率为" is the log of one model's conditional
    probability; a textbook quantity ("条件概率") keeps its own name."""
    note = parse_text("# 词嵌入（word2vec）\n\n对数条件概率为：\n\n$$\n\\log P(w_o \\mid w_c) "
                      "= u_o^T v_c\n$$\n\n条件概率为：\n\n$$\nP(B \\mid A) = "
                      "\\frac{P(A, B)}{P(A)}\n$$\n", "notes/w2v.md")
    out = generate([note], DeckContext("D", "D", 1, ("recall",)), lambda *_: [])
    assert [c.front for c in out.cards] == [
        "写出词嵌入（word2vec）中的对数条件概率的公式",
        "写出条件概率的公式"]


def test_a_prior_or_a_score_is_said_with_the_note_title() -> None:
    """windmissing's VAE note, lines 28 and 188: the prior is N(0, I) in a VAE and Dirichlet in
    LDA; an anomaly score is defined by each method its own way."""
    note = parse_text("# VAE\n\n潜在变量的分布接近某个**先验分布**：\n\n$$p(z) = "
                      "\\mathcal{N}(0, I)$$\n\n重建误差大的样本为异常：\n\n$$\\text{Anomaly Score} "
                      "= ||x - \\hat{x}||^2$$\n", "notes/vae.md")
    out = generate([note], DeckContext("D", "D", 1, ("recall",)), lambda *_: [])
    assert [c.front for c in out.cards] == ["写出 VAE 中的先验分布的公式",
                                            "写出 VAE 中的\\(\\text{Anomaly Score}\\) 的公式"]


def test_a_loss_written_by_its_usual_letter_is_said_with_the_note_title() -> None:
    """An SVM note names its Lagrangian only by L(w,b,α): every model has one."""
    note = parse_text("# 硬间隔支持向量机\n\n$$\n"
                      "L(w,b,\\alpha)=\\frac{1}{2}||w||^2-\\sum_{i=1}^N\\alpha_i y_i(w\\cdot x_i+b)"
                      "+\\sum_{i=1}^N\\alpha_i\n$$\n\n其中，$\\alpha_i$ 是拉格朗日乘子。\n",
                      "notes/svm.md")
    out = generate([note], DeckContext("D", "D", 1, ("cloze",)), lambda *_: [])
    assert [c.front.split("：")[0] for c in out.cards] == [
        "补全公式（硬间隔支持向量机中的\\(L(w,b,\\alpha)\\)）"]


def test_a_styled_loss_is_said_with_the_note_title_or_not_at_all() -> None:
    """A lecture note: "$$\\displaystyle \\text {Loss}(z) = \\frac{z^2}{2}$$" under "Linear
    Regression"; a note with a file name for a title gives no name at all."""
    text = ("For every point the loss is a function of the parameters, and the empirical risk "
            "averages it over the training set. Squared error loss:\n\n"
            "$$\\displaystyle \\text {Loss}(z) = \\frac{z^2}{2}$$\n\nwhere $z$ is the residual.\n")
    note = parse_text("# Linear Regression\n\n" + text, "notes/lec5.md")
    out = generate([note], DeckContext("D", "D", 1, ("recall",)), lambda *_: [])
    assert [c.front for c in out.cards] == [
        "Write down the formula for the \\(\\text {Loss}(z)\\) in Linear Regression"]
    untitled = parse_text(text, "notes/lec5.md")
    assert generate([untitled], DeckContext("D", "D", 1, ("recall",)), lambda *_: []).cards == ()


def test_a_step_of_an_algorithm_is_named_with_its_algorithm() -> None:
    """An HMM note ends the forward and the Viterbi algorithm each with "Termination"."""
    note = parse_text("# HMM\n\n##### 2. Forward algorithm\n\n* __Termination__\n"
                      "  $$P(O|\\lambda) = \\sum_{i=1}^N\\alpha_T(i)$$\n\n"
                      "##### 3. Viterbi algorithm\n\n* __Termination__\n"
                      "  $$\\hat P = \\max_{i=1}^N v_T(i)$$\n" + "The forward pass. " * 10,
                      "notes/hmm.md")
    out = generate([note], DeckContext("D", "D", 1, ("recall",)), lambda *_: [])
    assert sorted(c.front for c in out.cards) == [
        "Write down the formula for Termination step of Viterbi algorithm",
        "Write down the formula for \\(P(O|\\lambda)\\) (Termination step of Forward algorithm)"]


def test_a_formula_of_a_split_off_concept_keeps_its_identity() -> None:
    """notes/deep-learning/dropout.md: the standard and the inverted form (two concepts since
    each note's drills follow the form it teaches) share one identity family, so the inverted
    formula's cards keep the keys they had as dropout's second formula."""
    n = parse_text("""# Dropout

测试阶段所有神经元都参与计算，训练时它的期望输出是

$$E=p x+0(1-p)=p x$$

反向随机失活（Inverted Dropout）：在训练阶段就把保留下来的输出除以 \\(p\\)。此时

$$\\tilde{y}=\\frac{r\\odot y}{p},\\qquad
\\mathbb{E}[\\tilde{x}]=p\\cdot\\frac{x}{p}+0\\cdot(1-p)=x$$
""", "notes/dropout.md")
    assert [f.concept for f in n.formulas if f.display] == ["dropout", "inverted_dropout"]
    keys = {c.key.split("|")[2] for c in gen([n], ctx(kinds=("cloze", "recall")),
                                             fake_variants)}
    assert "concept:dropout#1" in keys
    assert all(k.startswith("concept:dropout#") for k in keys), keys


def test_a_generic_name_a_note_gives_twice_is_said_with_its_section() -> None:
    """A gradient-descent note: AdaGrad, RMSProp and NAG each have a "参数更新公式"; with the
    note's title all three would ask the same. Said once, the title still says it."""
    text = ("---\ntitle: 梯度下降法\n---\n\n## 2、AdaGrad\n\n参数更新公式为：\n\n"
            "$$x_{t+1}=x_t-\\alpha\\frac{g_t}{\\sqrt{G_t+\\epsilon}}$$\n\n"
            "## 6、RMSProp\n\n参数的更新公式为：\n\n"
            "$$x_{t+1}=x_t-\\alpha\\frac{g_t}{\\sqrt{MS_t}}$$\n\n"
            "## 三、推导过程\n\n损失函数为：\n\n$$L(w)=\\frac{1}{N}\\sum_i l(w,x_i,y_i)$$\n")
    fronts = [c.front for c in gen([parse_text(text, "notes/gd.md")], ctx(kinds=("recall",)),
                                   fake_variants)]
    assert fronts == ["写出 AdaGrad 中的参数更新的公式", "写出 RMSProp 中的参数的更新的公式",
                      "写出梯度下降法中的损失函数的公式"]


def test_a_left_side_a_note_writes_for_several_formulas_is_said_with_its_section() -> None:
    """An attention note: MHA, MQA and GQA each write their own head_i; by its left side alone
    one prompt would have three answers. Under a heading that names no topic, no name."""
    text = ("### MHA\n\n$$\\text{head}_i = \\text{softmax}(Q_i K_i^T) V_i$$\n\n"
            "### MQA\n\n$$\\text{head}_i = \\text{softmax}(Q_i K^T) V$$\n\n"
            "### 推导\n\n$$\\text{head}_i = \\text{softmax}(Q_i K_j^T) V_j$$\n")
    fronts = [c.front for c in gen([parse_text(text, "notes/att.md")], ctx(kinds=("recall",)),
                                   fake_variants)]
    assert fronts == ["写出 MHA 中的\\(\\text{head}_i\\) 的公式",
                      "写出 MQA 中的\\(\\text{head}_i\\) 的公式"]


def test_an_index_letter_gets_no_legend_card() -> None:
    """A gradient-descent note's Adam: "下标 i 为向量的分量下标" is notation, not a meaning."""
    text = ("# Adam\n\n更新公式为：\n\n$$(m_t)_i=\\beta_1 (m_{t-1})_i+(1-\\beta_1)(g_t)_i$$\n\n"
            "其中 \\(\\beta_1\\) 是衰减率，\\(i\\) 为向量的分量下标。\n")
    legends = [c.back for c in gen([parse_text(text, "notes/adam.md")], ctx(kinds=("legend",)),
                                   fake_variants)]
    assert legends == ["衰减率"]


def test_a_title_is_said_without_its_series_words() -> None:
    """An XGBoost note titled "ML 学习笔记 7 xgboost": its objective is xgboost's."""
    text = ("---\ntitle: ML 学习笔记 7 xgboost\n---\n\n目标函数为：\n\n"
            "$$L(\\phi)=\\sum_i l(y_i,\\hat{y}_i)+\\sum_k\\Omega(f_k)$$\n")
    fronts = [c.front for c in gen([parse_text(text, "notes/x.md")], ctx(kinds=("recall",)),
                                   fake_variants)]
    assert fronts == ["写出 xgboost 中的目标函数的公式"]
