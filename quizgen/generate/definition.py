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
            _without_subject(definition_text(o.shown), o.names),
            o.own.source, term=o.own.term, extra=o.extra,
        )
        for o in owned_definitions(note, ctx)
    ]


def _without_subject(text: str, names: tuple[str, ...]) -> str:
    """"损失函数是用来量化…" on the card asking for 损失函数: the question already says whose
    definition it is, so the answer starts at its verb ("是用来量化…")."""
    for name in sorted(names, key=len, reverse=True):
        if name and text.startswith(name):
            rest = text[len(name) :].lstrip()
            if rest.startswith(("是", "指", "即", "就是", "表示", "is ", "are ", "refers to")):
                return rest
    return text
