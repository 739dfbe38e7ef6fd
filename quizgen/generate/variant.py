"""Numeric drills with fresh parameters, per concept per deck (not per occurrence).

A deck in which many notes show the softmax formula gets ``variants_per_concept`` softmax drills,
attached to the note where the concept first appears.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from quizgen.generate.base import make_card
from quizgen.generate.context import DeckContext, VariantSource
from quizgen.generate.identity import derive_seed
from quizgen.model import Card, Formula, Note, Variant


def concept_sites(notes: Sequence[Note]) -> dict[str, tuple[Note, Formula]]:
    """Each recognised concept → the note and formula where it first appears."""
    sites: dict[str, tuple[Note, Formula]] = {}
    for note in notes:
        for f in note.formulas:
            if f.concept and f.concept not in sites:
                sites[f.concept] = (note, f)
    return sites


def drill_seed(ctx: DeckContext, concept: str, kind: str) -> int:
    """The seed of a concept's drills of ``kind`` (variant or choice)."""
    # Choice drills get numbers of their own: the same exercise twice in a deck, once open
    # and once with options, is one card too many.
    return derive_seed(ctx.seed, "variant", concept, *(("choice",) if kind == "choice" else ()))


def drill_requests(notes: Sequence[Note], ctx: DeckContext) -> list[tuple[str, int, int]]:
    """(concept, seed, count) of every drill the deck's kinds ask ``variants`` for."""
    return [(concept, drill_seed(ctx, concept, kind), ctx.variants_per_concept)
            for kind in ctx.kinds if kind in ("variant", "choice")
            for concept in sorted(concept_sites(notes))]


def answer_text(v: Variant) -> str:
    """The correct option's text (exact form and decimal), then the worked computation."""
    correct = next((c.text for c in v.choices if c.correct), v.answer.value)
    return f"{correct}\n\n{v.explanation}".strip()


def variant_cards(
    kind: str, notes: Sequence[Note], ctx: DeckContext, variants: VariantSource
) -> list[Card]:
    """Cards of ``kind`` (variant or choice) for every concept the deck's notes show."""
    out: list[Card] = []
    for concept, (note, f) in sorted(concept_sites(notes).items()):
        seed = drill_seed(ctx, concept, kind)
        for v in variants(concept, seed, ctx.variants_per_concept):
            # A choice card shows the options, the correct one marked, so its back only explains.
            back = (v.explanation or answer_text(v)) if kind == "choice" else answer_text(v)
            out.append(
                make_card(
                    ctx, note, kind, f"{concept}#{v.index}", v.question, back, f.source,
                    concept=concept, params=v.params, answer=v.answer, choices=v.choices,
                    term=f.context,
                )
            )
    return out


def cards(
    notes: Sequence[Note], ctx: DeckContext, variants: VariantSource,
    skip_notes: Collection[str] = frozenset(),
) -> list[Card]:
    """Drills for every concept; ``skip_notes`` does not apply (they belong to the deck)."""
    return variant_cards("variant", notes, ctx, variants)
