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
