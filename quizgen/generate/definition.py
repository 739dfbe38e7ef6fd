"""term → definition (the fullest the deck has, see :mod:`quizgen.generate.terms`)."""

from __future__ import annotations

from quizgen.generate.base import (
    definition_text,
    make_card,
    owned_definitions,
    scoped,
    term_label,
)
from quizgen.generate.context import DeckContext
from quizgen.generate.phrasing import phrasing_for
from quizgen.model import Card, Note


def cards(note: Note, ctx: DeckContext) -> list[Card]:
    return [
        make_card(
            ctx, note, "definition", o.own.term,
            (p := phrasing_for(note, o.shown)).what_is(term_label(o.own.term, o.own.aliases))
            + scoped(o.own, p),
            definition_text(o.shown),
            o.own.source, term=o.own.term, extra=o.extra,
        )
        for o in owned_definitions(note, ctx)
    ]
