"""In formula F, what does the symbol s mean? (from the "其中 / where" legend)."""

from __future__ import annotations

from quizgen.generate.base import make_card
from quizgen.generate.context import DeckContext, formula_keys
from quizgen.latex import one_line
from quizgen.model import Card, Note
from quizgen.richtext import display, inline


def cards(note: Note, ctx: DeckContext) -> list[Card]:
    out: list[Card] = []
    for i, key in formula_keys(note).items():
        f = note.formulas[i]
        if not f.key:
            continue
        for s in f.symbols:
            front = f"在公式 {display(one_line(f.latex))} 中，{inline(s.symbol)} 表示什么？"
            out.append(
                make_card(
                    ctx, note, "legend", f"{key}|{s.symbol}", front, s.meaning, f.source,
                    concept=f.concept, term=f.name,
                )
            )
    return out
