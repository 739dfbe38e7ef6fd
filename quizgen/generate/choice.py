"""Multiple choice: on each numeric variant (distractors from named misconceptions) and on
definitions (which term does this definition describe? distractors are other terms of the deck)."""

from __future__ import annotations

import random
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from quizgen.generate.base import make_card, term_label
from quizgen.generate.context import DeckContext, VariantSource
from quizgen.generate.identity import derive_seed
from quizgen.generate.reverse import BLANK, mask
from quizgen.generate.variant import variant_cards
from quizgen.model import Card, Choice, Note

OPTIONS = 4


@dataclass(frozen=True)
class Ring:
    """The deck's terms ordered by a seeded hash; a card's distractors are the next terms.

    Random-looking, yet adding or removing one term changes only its neighbours' cards, so a
    rebuild after one edit does not rewrite every choice card in Anki.
    """

    order: tuple[str, ...]
    place: Mapping[str, int]

    def neighbours(self, term: str, avoid: set[str]) -> list[str]:
        out: list[str] = []
        i = self.place[term]
        for step in range(1, len(self.order)):
            t = self.order[(i + step) % len(self.order)]
            if t not in avoid:
                out.append(t)
                if len(out) == OPTIONS - 1:
                    break
        return out


def ring(notes: Sequence[Note], ctx: DeckContext) -> Ring:
    order = tuple(sorted({d.term for n in notes for d in n.definitions},
                         key=lambda t: derive_seed(ctx.seed, "choice-ring", t)))
    return Ring(order, {t: i for i, t in enumerate(order)})


def signature(note: Note, r: Ring) -> str:
    """What a note's definition-choice cards take from the rest of the deck: the distractors."""
    return ";".join(",".join(r.neighbours(d.term, {d.term, *d.aliases})) for d in note.definitions)


def definition_cards(
    notes: Sequence[Note], ctx: DeckContext, skip_notes: Collection[str] = frozenset()
) -> list[Card]:
    r = ring(notes, ctx)
    if len(r.order) < OPTIONS:
        return []
    out: list[Card] = []
    for note in notes:
        if note.path in skip_notes:
            continue
        for d in note.definitions:
            masked = mask(d.text, (d.term, *d.aliases))
            if len(masked.replace(BLANK, "").strip()) < 4:
                continue
            others = r.neighbours(d.term, {d.term, *d.aliases})
            if len(others) < OPTIONS - 1:
                continue
            rng = random.Random(derive_seed(ctx.seed, "choice", ctx.key_path(note), d.term))
            options = [Choice(d.term, d.term, True)]
            options += [Choice(t, t, False, "other_term") for t in others]
            rng.shuffle(options)
            out.append(
                make_card(
                    ctx, note, "choice", f"def:{d.term}", f"下列哪个术语的定义是：{masked}",
                    term_label(d.term, d.aliases), d.source, choices=tuple(options), term=d.term,
                )
            )
    return out


def cards(
    notes: Sequence[Note], ctx: DeckContext, variants: VariantSource,
    skip_notes: Collection[str] = frozenset(),
) -> list[Card]:
    return variant_cards("choice", notes, ctx, variants) + definition_cards(notes, ctx, skip_notes)
