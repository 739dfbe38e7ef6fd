"""definition → term (bilingual answer where the note gives both names)."""

from __future__ import annotations

import re

from quizgen.generate.base import (
    definition_text,
    make_card,
    owned_definitions,
    replace_name,
    scoped,
    term_label,
)
from quizgen.generate.context import DeckContext
from quizgen.model import Card, Note

BLANK = "＿＿＿"


_EN_VERB = re.compile(r"^(?:is|are|refers to|denotes|measures)\b", re.I)


def mask(text: str, names: tuple[str, ...]) -> str:
    """The definition with the term and its aliases blanked out, so the front gives nothing away.

    English definitions are stored from the verb on ("is an adaptive …"); the blank goes in
    front so the prompt reads as a sentence ("＿＿＿ is an adaptive …").
    """
    for name in sorted(names, key=len, reverse=True):
        if name:
            text = replace_name(text, name, BLANK)
    return f"{BLANK} {text}" if _EN_VERB.match(text) else text


def cards(note: Note, ctx: DeckContext) -> list[Card]:
    out: list[Card] = []
    for o in owned_definitions(note, ctx):
        masked = mask(definition_text(o.shown), o.names)
        if len(masked.replace(BLANK, "").strip()) < 4:
            continue  # nothing left to recognise the term by
        out.append(
            make_card(
                ctx, note, "reverse", o.own.term, f"哪个术语的定义是：{masked}{scoped(o.own)}",
                term_label(o.own.term, o.own.aliases), o.own.source, term=o.own.term,
                extra=o.extra,
            )
        )
    return out
