"""The card gate: one test per reason, on the shapes real notes produce."""

from __future__ import annotations

from dataclasses import replace

import pytest

from quizgen.generate import DeckContext, generate
from quizgen.generate.gate import REASONS, check, gate
from quizgen.generate.identity import card_id
from quizgen.model import Answer, Card, Choice, Cloze, SourceRef, Variant
from quizgen.parse import parse_text

SRC = SourceRef("notes/n.md", 3)


def card(kind: str = "recall", front: str = "写出交叉熵的公式",
         back: str = "\\[H=-\\sum p\\log q\\]", **extra: object) -> Card:
    key = f"notes/n.md|{kind}|{front[:10]}"
    return Card(card_id("t", key), key, kind, "D", (), front, back, SRC, note_title="笔记",
                **extra)  # type: ignore[arg-type]


def reasons(cards: list[Card]) -> list[str]:
    return [d.reason for d in gate(cards).dropped]


def test_every_reason_is_described() -> None:
    assert set(REASONS) == {"math", "cloze", "ambiguous", "options", "outside", "trivial",
                            "contradicts", "repeated", "markup"}


def test_a_formula_with_its_minus_sign_lost_makes_no_card() -> None:
    """A personal loss-function note writes the single-sample cross-entropy as
    ``loss = Σ y_j log(a_j)``; the batch form below it, averaged, is right."""
    note = parse_text(
        "交叉熵损失定义为：\n\n$$\nloss = \\sum_{j = 1}^{m}y_{j}\\text{log}(a_{j})\n$$\n\n"
        "批量样本的交叉熵损失定义为：\n\n$$\nJ = -\\frac{1}{n}\\sum_{i=1}^n y_i \\log a_i\n$$\n",
        "notes/loss.md")
    ctx = DeckContext("D", "D", 1, ("recall", "cloze"))
    out = generate([note], ctx, lambda *_: [])
    assert {d.reason for d in out.dropped} == {"contradicts"}
    assert {d.source.line for d in out.dropped} == {3}
    assert {(c.kind, c.source.line) for c in out.cards} == {("recall", 9), ("cloze", 9)}


# --- math a student cannot see ----------------------------------------------------------------

def test_an_aligned_chain_outside_any_environment_is_repaired() -> None:
    """`a &=& b \\\\ &=& c` (eqnarray habits of real notes) is wrapped in aligned."""
    c = card(back="\\[L &=& a+b \\\\ &=& c\\]")
    (out,) = gate([c]).cards
    assert out.back == "\\[\\begin{aligned}L &=& a+b \\\\ &=& c\\end{aligned}\\]"


def test_math_that_cannot_be_repaired_is_dropped() -> None:
    assert reasons([card(back="\\[\\left( a + b\\]")]) == ["math"]
    assert reasons([card(front="\\(\\bm{x}\\) 是什么？")]) == ["math"]


def test_a_percent_sign_is_escaped_not_left_to_swallow_the_line() -> None:
    (out,) = gate([card(back="\\[p = 50%\\]")]).cards
    assert out.back == "\\[p = 50\\%\\]"


# --- clozes -------------------------------------------------------------------------------------

def cloze_card(before: str, hidden: str, after: str) -> Card:
    return card("cloze", front="补全公式", back=f"\\[{before}{hidden}{after}\\]",
                cloze=Cloze(before, hidden, after))


def test_a_cloze_that_would_swallow_a_closing_delimiter_is_dropped() -> None:
    # A cloze over the last term of `\left\{ … \right\}` must not take `\right\}` with it.
    c = cloze_card("S=\\left\\{ x : x > ", "0 \\right\\}", "")
    assert reasons([c]) == ["cloze"]
    c = cloze_card("\\begin{aligned} a &= ", "b_3. \\end{aligned}", "")
    assert reasons([c]) == ["cloze"]


def test_a_cloze_that_takes_half_of_a_norm_is_dropped() -> None:
    # a CNN note's C = 1/2 ||a^L - y||^2: "y||^2" holds both bars of the closing "||"
    assert reasons([cloze_card("C=\\frac{1}{2}||a^L-", "y||^2", "")]) == ["cloze"]
    assert reasons([cloze_card("C=\\frac{1}{2}||a^L-", "y", "||^2")]) == []


def test_a_cloze_whose_hidden_part_is_shown_elsewhere_is_dropped() -> None:
    c = cloze_card("\\frac{\\partial h}{\\partial w}=\\frac{", "\\partial f(x_t,h_{t-1})",
                   "}{\\partial w}+\\partial f(x_t,h_{t-1})")
    assert reasons([c]) == ["cloze"]


def test_a_number_from_a_worked_example_is_never_the_hidden_part() -> None:
    assert reasons([cloze_card("H=", "0.5", "\\log 2")]) == ["cloze"]


def test_a_cloze_across_a_relation_is_dropped() -> None:
    assert reasons([cloze_card("H(S)=\\sum_i ", "p_i I(s_i) = -\\sum_i p_i\\log p_i", "")]) \
        == ["cloze"]


# --- one prompt, one answer ------------------------------------------------------------------

def test_two_formulas_under_one_heading_are_named_apart_or_dropped() -> None:
    """The old fronts named formulas by their heading; two formulas under "2.5 方差" asked the
    same question. Named by what they are, they differ; what still collides is told apart by
    the note title or dropped."""
    note = parse_text(
        "## 2.5 方差\n\n方差定义为：\n\n$$\\mathrm{Var}[X]=E[(X-E[X])^2]$$\n\n"
        "标准差定义为：\n\n$$\\sigma_X=\\sqrt{\\mathrm{Var}[X]}$$\n", "notes/var.md")
    ctx = DeckContext("D", "D", 1, ("recall",))
    fronts = [c.front for c in generate([note], ctx, lambda *_: []).cards]
    assert fronts == ["写出 \\(\\mathrm{Var}[X]\\)（方差）的公式", "写出标准差的公式"]
    a = card(front="写出损失函数的公式", back="\\[L=a\\]")
    b = replace(card(front="写出损失函数的公式", back="\\[L=b\\]"), key="other|recall|x",
                id="other", note_title="另一篇")
    out = gate([a, b]).cards
    assert {c.front for c in out} == {"写出损失函数的公式（笔记）", "写出损失函数的公式（另一篇）"}
    # An English question gets the title in English brackets (information-theory.md and
    # softmax-regression.md of d2l-en both define entropy).
    en = [replace(a, front="Write down the formula for entropy", note_title="Information Theory"),
          replace(b, front="Write down the formula for entropy", note_title="Softmax Regression")]
    assert {c.front for c in gate(en).cards} == {
        "Write down the formula for entropy (Information Theory)",
        "Write down the formula for entropy (Softmax Regression)"}


def test_one_description_for_two_terms_drops_both_term_questions() -> None:
    a = card("reverse", front="哪个术语的定义是：是一种基本的分类与回归方法.", back="kNN")
    b = replace(card("reverse", front="哪个术语的定义是：是一种基本分类与回归方法。",
                     back="决策树"), key="o|reverse|决策树", id="o")
    assert reasons([a, b]) == ["ambiguous", "ambiguous"]


# --- fair options -----------------------------------------------------------------------------

def test_a_choice_card_offering_the_answers_alias_as_wrong_is_dropped() -> None:
    options = (Choice("互信息", "互信息", True), Choice("MI", "MI", False, "other_term"),
               Choice("熵", "熵", False, "other_term"), Choice("交叉熵", "交叉熵", False, "x"))
    c = card("choice", front="下列哪个术语的定义是：衡量两个变量共享多少信息的量。",
             back="互信息 (Mutual Information, MI)", choices=options, term="互信息")
    assert reasons([c]) == ["options"]


def test_distractors_are_siblings_in_the_answers_language() -> None:
    note = parse_text(
        "---\ncategory: ML\n---\n# 激活函数\n\n"
        "ReLU 函数 (ReLU)：把负数变成零、正数保持不变的分段线性函数。\n\n"
        "Sigmoid 函数 (Sigmoid)：把任意实数压缩到零到一之间的平滑函数。\n\n"
        "双曲正切 (tanh)：把任意实数压缩到负一到一之间的奇函数。\n\n"
        "阶跃函数 (step function)：输入大于零输出一、否则输出零的函数。\n\n"
        "Softplus：是一种把 ReLU 平滑化以后得到的处处可导的激活函数形式。\n", "notes/act.md")
    other = parse_text("---\ncategory: 其他\n---\n梯度 (gradient)：函数增长最快的方向。\n",
                       "notes/g.md")
    ctx = DeckContext("D", "D", 1, ("choice",))
    cards = generate([note, other], ctx, lambda *_: []).cards
    relu = next(c for c in cards if c.term == "ReLU 函数")
    wrong = {o.text for o in relu.choices if not o.correct}
    assert wrong <= {"Sigmoid 函数", "双曲正切", "阶跃函数"}  # Chinese, same note; not 梯度


# --- self-contained ---------------------------------------------------------------------------

def test_a_question_about_what_the_card_does_not_show_is_dropped() -> None:
    assert reasons([card("definition", front="特征值 是什么？",
                         back="上述矩阵A满足 Av=λv 时的 λ。")]) == ["outside"]
    assert reasons([card("reverse", front="哪个术语的定义是：如式 (3.2) 所示的损失。",
                         back="交叉熵")]) == ["outside"]
    assert reasons([card("definition", front="熵 是什么？",
                         back="the quantity shown in the figure above")]) == ["outside"]


@pytest.mark.parametrize("back", [
    "是信息熵的交集，即中间就是  `!",  # an entropy note's `!$I(X,Y)$` math, before it was read
    "见 [[信息论]] 一节的定义",
    "一种 ==优化== 算法 [^1]",
    "输出&nbsp;概率<br/>分布",
    "在 **历史梯度 上",
])
def test_markup_that_would_show_as_written_is_dropped(back: str) -> None:
    assert reasons([card("definition", front="互信息 是什么？", back=back)]) == ["markup"]


@pytest.mark.parametrize("back", [
    # an MDP note copied from a rendered page: "我们去搜索一种 policy π\\piπ ，然后…"
    "我们去搜索一种 policy π\\piπ ，然后得到每个状态的最大值",
    "每个状态的值 \\sum 最大的策略",
])
def test_tex_copied_into_prose_is_dropped(back: str) -> None:
    assert reasons([card("definition", front="最佳价值函数 是什么？", back=back)]) == ["math"]


def test_code_and_math_are_not_markup() -> None:
    kept = card("definition", front="动量 是什么？",
                back="用 `ema` 累积梯度：\\(v=\\beta v+g\\)，\\(a==b\\) 与 \\(\\{x\\}\\)")
    assert reasons([kept]) == []


def test_an_answer_that_points_back_at_an_earlier_sentence_is_dropped() -> None:
    """d2l-zh probability.md:53: "大数定律 (law of large numbers)" is named after a sentence
    about tossing a die; the card's text says "这个估计值" and the estimate is not on it."""
    assert reasons([card("definition", front="大数定律 是什么？",
                         back="随着投掷次数的增加，这个估计值会越来越接近真实的潜在概率")]) == [
        "outside"]
    assert reasons([card("legend", front="在公式 \\[E=px\\] 中，\\(x\\) 表示什么？",
                         back="该神经元未被丢弃时的输出")]) == ["outside"]


def test_a_demonstrative_for_what_the_card_names_is_fine() -> None:
    kept = [card("definition", front="偏置 (bias) 是什么？",
                 back="加到神经元加权和上的参数，它控制激活这个神经元的难易程度。"),
            card("definition", front="池化 是什么？",
                 back="用某一位置相邻区域的统计特征代替网络在该位置的输出。"),
            card("definition", front="自监督学习 是什么？",
                 back="从数据本身构造标签，再用这些伪标签学习表示。")]
    assert gate(kept).dropped == ()


def test_a_pointer_at_the_formula_the_card_shows_is_fine() -> None:
    c = card("definition", front="熵 是什么？",
             back="it is captured by the following equation：\\[H=-\\sum p\\log p\\]")
    assert gate([c]).dropped == ()


# --- not trivial ------------------------------------------------------------------------------

def test_a_definition_that_only_repeats_the_term_is_dropped() -> None:
    assert reasons([card("definition", front="批归一化 (BN) 是什么？", back="批归一化。")]) \
        == ["trivial"]


def test_a_definition_that_only_adds_a_kind_word_to_the_term_is_dropped() -> None:
    """sirlis's Gaussian-process note, line 9: "高斯，指的是高斯分布"."""
    assert reasons([card("definition", front="高斯 是什么？", back="指的是高斯分布")]) \
        == ["trivial"]
    assert reasons([card("definition", front="高斯 是什么？", back="一种概率分布")]) == []


def test_a_term_question_that_spells_out_the_term_is_dropped() -> None:
    c = card("reverse", front="哪个术语的定义是：用于反映奖励分数的一个函数。", back="奖励函数")
    assert reasons([c]) == ["trivial"]
    c = card("reverse", back="real softmax",
             front="哪个术语的定义是：＿＿＿ is defined as \\(\\mathrm{RealSoftMax}(a,b)\\)")
    assert reasons([c]) == ["trivial"]


def test_a_worked_solution_that_repeats_itself_is_mended() -> None:
    v = Variant("sigmoid", 0, "q", {"x": 2}, Answer("1/(1+exp(-2))", 0.88), ())
    c = card("variant", front="求 \\(\\sigma(2)\\)",
             back="\\(\\sigma(2)=\\frac{1}{1+e^{-2}}=\\frac{1}{1+e^{-2}}\\approx 0.8808\\)",
             concept="sigmoid", params=v.params, answer=v.answer)
    assert check(c).back == "\\(\\sigma(2)=\\frac{1}{1+e^{-2}}\\approx 0.8808\\)"


def test_a_formula_a_note_writes_twice_is_asked_once() -> None:
    """A word2vec note states the skip-gram softmax twice, once with ``\\limits``."""
    body = "P(w_o \\mid w_c)=\\frac{\\exp(u_o^\\top v_c)}{\\sum%s_{i \\in V} \\exp(u_i^\\top v_c)}"
    intro = "中心词生成背景词的条件概率定义为：\n\n$$"
    note = parse_text(intro + body % "\\limits" + "$$\n\n" + intro + body % "" + "$$\n",
                      "notes/w2v.md")
    out = generate([note], DeckContext("D", "D", 1, ("cloze",)), lambda *_: [])
    assert len(out.cards) == 1
    assert [d.reason for d in out.dropped] == ["repeated"]


def test_a_drill_drawn_twice_is_asked_once() -> None:
    ask = "Sigmoid 函数 \\(\\sigma(x)=\\frac{1}{1+e^{-x}}\\)。求 \\(\\sigma(-3)\\)。"
    value = Answer("1/(1 + exp(3))", 0.0474)
    drill = card("variant", front=ask, back="\\(0.04743\\)", answer=value, concept="sigmoid")
    options = (Choice("\\(0.04743\\)", "a", True), Choice("\\(0.9526\\)", "b", False),
               Choice("\\(0.04979\\)", "c", False), Choice("\\(-0.9951\\)", "d", False))
    chosen = replace(card("choice", front=ask, back="…", answer=value, concept="sigmoid",
                          choices=options), key="notes/n.md|choice|sigmoid#0", id="c")
    assert reasons([drill, chosen]) == ["repeated"]


def test_a_term_question_that_shows_the_terms_acronym_is_dropped() -> None:
    """An information-theory note's KL definition carries its own symbol, D_{KL}."""
    c = card("reverse", front="哪个术语的定义是：衡量两个分布的差异，记为 \\(D_{KL}(p\\|q)\\)。",
             back="KL 散度 (KL Divergence)")
    assert reasons([c]) == ["trivial"]


def test_a_related_acronym_in_prose_gives_nothing_away() -> None:
    """An optimizer note: "SGD-M：引入了动量，加速 SGD 在正确方向的下降并抑制震荡"."""
    c = card("reverse", front="哪个术语的定义是：引入了动量，加速 SGD 在正确方向的下降并抑制震荡。",
             back="SGD-M")
    assert reasons([c]) == []


def test_tex_left_outside_math_drops_the_card() -> None:
    """A recommender note writes "$ \\sqrt{|N_u|}$" (a space after the dollar): Markdown reads
    no math there, and the card would show the TeX."""
    c = card("definition", front="隐式反馈 是什么？",
             back="将隐因子分量求和，并除以规范化因子 $ \\sqrt{|N_u|}$。")
    assert reasons([c]) == ["math"]
    assert reasons([card("definition", front="价格 是什么？", back="从 $5 到 $10 不等。")]) == []


def test_a_reverse_card_that_opens_with_the_terms_other_name_is_dropped() -> None:
    """A logistic-regression note: "- **macro avg**：宏平均，每个类别的指标求平均"."""
    assert reasons([card("reverse", front="哪个术语的定义是：宏平均，每个类别的指标求平均",
                         back="macro avg")]) == ["trivial"]
    kept = card("reverse", front="哪个术语的定义是：概率模型，用隐状态解释观测序列",
                back="隐马尔可夫模型")
    assert gate([kept]).dropped == ()
