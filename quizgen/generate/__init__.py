"""Parsed notes → cards, for the kinds a deck asks for."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from quizgen.generate.context import DeckContext, VariantSource
from quizgen.generate.registry import DECK_KINDS, NOTE_KINDS
from quizgen.model import Card, Note

__all__ = ["NOTE_KINDS", "DeckContext", "VariantSource", "generate"]


def generate(
    notes: Sequence[Note], ctx: DeckContext, variants: VariantSource,
    skip_notes: Collection[str] = frozenset(),
) -> list[Card]:
    """All cards of ``ctx.kinds`` for ``notes``; same notes and seed → same cards.

    Per-note kinds are not generated for notes whose path is in ``skip_notes`` (a rebuild
    reuses their cards); deck kinds always see every note. Two cards with the same id (the
    same term defined twice in one note) keep the first.
    """
    cards: list[Card] = []
    for kind in ctx.kinds:
        if kind in NOTE_KINDS:
            for note in notes:
                if note.path not in skip_notes:
                    cards.extend(NOTE_KINDS[kind](note, ctx))
        elif kind in DECK_KINDS:
            cards.extend(DECK_KINDS[kind](notes, ctx, variants))
    seen: set[str] = set()
    unique: list[Card] = []
    for c in cards:
        if c.id not in seen:
            seen.add(c.id)
            unique.append(c)
    return unique
