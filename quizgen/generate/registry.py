"""Card kinds by name. A per-note kind sees one note; a deck kind sees all of them (variants
are drawn per concept per deck, and definition choices need the deck's other terms)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from quizgen.generate import choice, cloze, definition, legend, recall, reverse, variant
from quizgen.generate.context import DeckContext, VariantSource
from quizgen.model import Card, Note

NoteKind = Callable[[Note, DeckContext], list[Card]]
# The last argument names notes whose own cards are reused from a previous build.
DeckKind = Callable[[Sequence[Note], DeckContext, VariantSource, Collection[str]], list[Card]]

NOTE_KINDS: dict[str, NoteKind] = {
    "definition": definition.cards,
    "reverse": reverse.cards,
    "cloze": cloze.cards,
    "recall": recall.cards,
    "legend": legend.cards,
}
DECK_KINDS: dict[str, DeckKind] = {
    "variant": variant.cards,
    "choice": choice.cards,
}
