"""Parsed notes → cards, for the kinds a deck asks for."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace

from quizgen.generate.context import DeckContext, FormulaChecks, VariantSource
from quizgen.generate.gate import Gated, gate
from quizgen.generate.labels import deck_labels, holders
from quizgen.generate.registry import DECK_KINDS, NOTE_KINDS
from quizgen.generate.terms import index
from quizgen.model import Card, Note

__all__ = ["DeckContext", "FormulaChecks", "Gated", "VariantSource", "deck_context",
           "from_one_note", "generate"]


def from_one_note(card: Card) -> bool:
    """Whether a card is made from its own note alone (plus the deck's terms, for definition
    choices), so that an unchanged note's cards can be reused; concept drills are the deck's."""
    return card.kind in NOTE_KINDS or (card.kind == "choice" and card.concept is None)


def deck_context(notes: Sequence[Note], ctx: DeckContext) -> DeckContext:
    """``ctx`` with the deck's terms indexed (one definition card per term, see ``terms``)."""
    if ctx.terms is not None:
        return ctx
    shared, repeated = deck_labels(holders(notes), ctx.key_paths)
    return replace(ctx, terms=index(notes, ctx.key_paths), shared_labels=shared,
                   repeated=repeated)


def generate(
    notes: Sequence[Note], ctx: DeckContext, variants: VariantSource,
    skip_notes: Collection[str] = frozenset(),
) -> Gated:
    """All cards of ``ctx.kinds`` for ``notes`` that pass the quality gate (``gate``), and
    the ones it dropped; same notes and seed → same cards.

    Cards made from one note (:func:`from_one_note`) are not generated for notes whose path
    is in ``skip_notes`` (a rebuild reuses them); concept drills always are. Two cards with the
    same id (the same term defined twice in one note) keep the first.
    """
    ctx = deck_context(notes, ctx)
    cards: list[Card] = []
    made = [note for note in notes if note.path not in skip_notes]
    for kind in ctx.kinds:
        if kind in NOTE_KINDS:
            for note in made:
                cards.extend(NOTE_KINDS[kind](note, ctx))
        elif kind in DECK_KINDS:
            cards.extend(DECK_KINDS[kind](notes, ctx, variants, skip_notes))
    seen: set[str] = set()
    unique: list[Card] = []
    for c in cards:
        if c.id not in seen:
            seen.add(c.id)
            unique.append(c)
    return gate(unique, ctx.checks)
