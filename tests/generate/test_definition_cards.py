"""Definition cards (``quizgen.generate.definition``): what the answer side says."""

from __future__ import annotations

from quizgen.generate import DeckContext, generate
from quizgen.parse import parse_text


def test_an_answer_that_restates_the_term_starts_at_its_verb() -> None:
    """A loss-function note: "损失函数：损失函数是用来量化…"."""
    note = parse_text("损失函数 (Loss Function)：损失函数是用来量化模型预测和真实标签之间差异的"
                      "函数。\n",
                      "n.md")
    ctx = DeckContext(deck="d", namespace="d", seed=1, kinds=("definition",))
    assert [c.back for c in generate([note], ctx, lambda *a: []).cards] == [
        "是用来量化模型预测和真实标签之间差异的函数。"]


def test_a_reverse_card_without_its_formula_needs_more_words() -> None:
    """An activation note: "ELU：是一个近似的零中心化的非线性函数，其定义为：ELU(x)=…"; the
    formula names ELU, so the prompt would be "…的非线性函数，其定义为" with nothing after."""
    note = parse_text("ELU (Exponential Linear Unit)：是一个近似的零中心化的非线性函数，其定义为："
                      "$$ELU(x) = \\max(0, x) + \\min(0, \\gamma(\\exp(x) - 1))$$\n", "n.md")
    ctx = DeckContext(deck="d", namespace="d", seed=1, kinds=("definition", "reverse"))
    assert [c.kind for c in generate([note], ctx, lambda *a: []).cards] == ["definition"]
