"""term → definition."""

from __future__ import annotations

from quizgen.generate.base import make_card, term_label
from quizgen.generate.context import DeckContext
from quizgen.model import Card, Note


def cards(note: Note, ctx: DeckContext) -> list[Card]:
    return [
        make_card(
            ctx, note, "definition", d.term, f"{term_label(d.term, d.aliases)} 是什么？", d.text,
            d.source, term=d.term,
        )
        for d in note.definitions
    ]
