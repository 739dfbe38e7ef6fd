"""Cards ask in the language of their note (``quizgen.generate.phrasing``)."""

from __future__ import annotations

from quizgen.generate import DeckContext, generate
from quizgen.generate.phrasing import ZH
from quizgen.parse import parse_text

EN_NOTE = """# Softmax Regression

The **softmax function** is a function that maps a vector of real scores to a probability
distribution over the classes, so that the outputs are non-negative and sum to one.

The cross-entropy loss is defined as:

$$
l(\\mathbf{y}, \\hat{\\mathbf{y}}) = - \\sum_{j=1}^q y_j \\log \\hat{y}_j
$$

where $y_j$ is the one-hot label of class $j$.
"""

ZH_NOTE = """# 交叉熵

交叉熵 (Cross Entropy)：衡量两个概率分布之间差异的量，常用作分类模型的损失函数。
"""


def _fronts(text: str) -> dict[str, str]:
    """The first card of each kind."""
    note = parse_text(text, "n.md")
    ctx = DeckContext(deck="d", namespace="d", seed=1,
                      kinds=("definition", "reverse", "cloze", "recall", "legend"))
    fronts: dict[str, str] = {}
    for c in generate([note], ctx, lambda *a: []).cards:
        fronts.setdefault(c.kind, c.front)
    return fronts


def test_an_english_note_is_asked_in_english() -> None:
    assert parse_text(EN_NOTE, "n.md").language == "en"
    fronts = _fronts(EN_NOTE)
    assert fronts["definition"] == "What is softmax function?"
    assert fronts["reverse"].startswith("Which term fills the blank: ＿＿＿ is a function")
    assert fronts["cloze"].startswith("Complete the formula (")
    assert fronts["recall"].startswith("Write down the formula for ")
    assert fronts["legend"].startswith("In the formula \\[")
    assert fronts["legend"].endswith("what does \\(y_j\\) stand for?")


def test_an_english_note_that_glosses_a_term_in_chinese_is_still_english() -> None:
    """An SVM note in English with one Chinese aside ("(与平面法向量同向的单位向量)")."""
    glossed = EN_NOTE.replace("over the classes,", "over the classes (概率),")
    assert parse_text(glossed, "n.md").language == "en"


def test_a_chinese_note_is_asked_in_chinese() -> None:
    assert parse_text(ZH_NOTE, "n.md").language == "zh"
    fronts = _fronts(ZH_NOTE)
    assert fronts["definition"] == "交叉熵 (Cross Entropy) 是什么？"
    assert fronts["reverse"].startswith("哪个术语的定义是：衡量两个概率分布")


def test_a_definition_quoted_in_english_in_a_chinese_note_is_asked_in_english() -> None:
    """A Chinese note may quote an English definition; "Perplexity 是什么？" over an English
    answer reads as two languages on one card."""
    text = ZH_NOTE + ("\n困惑度是语言模型常用的评价指标。\n\n**Perplexity** is the exponential "
                      "of the average negative log-likelihood of a sequence.\n")
    note = parse_text(text, "n.md")
    ctx = DeckContext(deck="d", namespace="d", seed=1, kinds=("definition",))
    fronts = sorted(c.front for c in generate([note], ctx, lambda *a: []).cards)
    assert fronts == ["What is Perplexity?", "交叉熵 (Cross Entropy) 是什么？"]


def test_a_name_that_is_already_a_formula_is_not_said_twice() -> None:
    """A diffusion note's "贝叶斯公式": "写出贝叶斯公式", not "写出贝叶斯公式的公式"."""
    assert ZH.recall("贝叶斯公式") == "写出贝叶斯公式"
    assert ZH.recall("贝尔曼方程") == "写出贝尔曼方程"
    assert ZH.recall("交叉熵") == "写出交叉熵的公式"
