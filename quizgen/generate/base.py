"""Building a :class:`Card` from the pieces every kind shares."""

from __future__ import annotations

from typing import Any

from quizgen.generate.context import DeckContext
from quizgen.generate.identity import card_id
from quizgen.model import Card, Note, SourceRef


def make_card(
    ctx: DeckContext, note: Note, kind: str, key: str, front: str, back: str,
    source: SourceRef, **extra: Any,
) -> Card:
    """A card whose id comes from ``kind`` and ``key`` within this note, never from its text."""
    full_key = f"{ctx.key_path(note)}|{kind}|{key}"
    return Card(
        id=card_id(ctx.namespace, full_key),
        key=full_key,
        kind=kind,
        deck=ctx.deck_for(note),
        tags=ctx.tags_for(note),
        front=front,
        back=back,
        source=source,
        note_title=note.title,
        category=note.category,
        **extra,
    )


def term_label(term: str, aliases: tuple[str, ...]) -> str:
    """``互信息 (Mutual Information, MI)``: both names where the note gives both."""
    return f"{term} ({', '.join(aliases)})" if aliases else term
