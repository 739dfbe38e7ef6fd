"""Card math through real Anki: what the oracle finds on rendered cards, cloze and escaping
included."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from quizgen.model import Card, Choice, Cloze, SourceRef
from tests.mathjax.cards import failures, render_cards

pytestmark = pytest.mark.usefixtures("mathjax")

ALIGNED = (r"\begin{aligned} p(w_1,w_2) &= p(w_1)\,p(w_2\mid w_1) \\ "
           r"&= \prod_{i=1}^{2} p(w_i\mid w_{<i}) \end{aligned}")
SOFTMAX = r"\sigma(\mathbf{z})_i=\frac{e^{z_i}}{\sum_j e^{z_j}}"


def _card(kind: str, key: str, front: str, back: str = "", **extra: Any) -> Card:
    return Card(id=f"qg-{kind}-{key}", key=f"ml/n.md|{kind}|{key}", kind=kind, deck="测试",
                tags=(), front=front, back=back, source=SourceRef("ml/n.md", 7), **extra)


def test_a_cloze_that_hides_the_end_of_an_environment_breaks_the_question(
        tmp_path: Path) -> None:
    """The shape of notes/nlp/ngram_language_model.md:20: the blank swallows \\end{aligned}."""
    cut = ALIGNED.index(r"\prod")
    cards = [
        _card("cloze", "end", "", cloze=Cloze(ALIGNED[:cut], ALIGNED[cut:], "")),
        _card("cloze", "numerator", "", cloze=Cloze(r"\sigma(\mathbf{z})_i=\frac{", "e^{z_i}",
                                                    r"}{\sum_j e^{z_j}}")),
    ]
    found = failures(render_cards(cards, tmp_path))
    assert [(f.kind, f.key, f.side, f.id, f.message) for f in found] == [
        ("cloze", "ml/n.md|cloze|end", "question", "EnvMissingEnd", r"Missing \end{aligned}")]
    assert found[0].tex.endswith("[...]") and found[0].source == "ml/n.md:7"
    assert found[0].revealed.split() == ALIGNED.split()  # the answer side shows it whole


def test_escaped_fields_reach_mathjax_as_written(tmp_path: Path) -> None:
    """<, > and & inside math are entities in the fields and plain TeX on the card."""
    cards = [
        _card("definition", "aligned", r"什么是 \(p(w_{<i})\)？", rf"\[{ALIGNED}\]",
              extra=r"且 \(0<\sigma_i<1\)，\(a > b\)"),
        _card("choice", "softmax", r"哪个是 \(\sigma\)？", "Softmax",
              choices=(Choice(rf"\({SOFTMAX}\)", "a", True),
                       Choice(r"\(\frac{1}{1+e^{-x}}\)", "b", False))),
        _card("recall", "softmax", "写出 Softmax 的公式。", rf"\[{SOFTMAX}\]"),
    ]
    assert failures(render_cards(cards, tmp_path)) == []


def test_broken_math_on_the_front_shows_on_both_sides(tmp_path: Path) -> None:
    chain = r"L &= -\log p \\ &= -\log q"  # a chain outside any environment (real notes)
    found = failures(render_cards([_card("recall", "chain", rf"\[{chain}\]", "x")], tmp_path))
    assert [(f.side, f.tex, f.display, f.message) for f in found] == [
        ("question", chain, True, "Misplaced &"), ("answer", chain, True, "Misplaced &")]
