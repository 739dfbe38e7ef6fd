"""name → whole formula, for display formulas that belong to a named concept or definition."""

from __future__ import annotations

from quizgen.generate.base import make_card
from quizgen.generate.context import DeckContext, formula_keys, formula_name
from quizgen.latex import one_line
from quizgen.model import Card, Note
from quizgen.richtext import display


def cards(note: Note, ctx: DeckContext) -> list[Card]:
    out: list[Card] = []
    for i, key in formula_keys(note).items():
        f = note.formulas[i]
        if not (f.concept or f.context) or "=" not in f.latex:
            continue
        out.append(
            make_card(
                ctx, note, "recall", key, f"写出公式：{formula_name(f)}",
                display(one_line(f.latex)), f.source, concept=f.concept, term=f.context,
            )
        )
    return out
