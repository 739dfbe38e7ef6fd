"""Multiple choice: on each numeric variant (distractors from named misconceptions) and on
definitions (which term does this definition describe? distractors are other terms of the deck)."""

from __future__ import annotations

import random
from collections.abc import Sequence

from quizgen.generate.base import make_card, term_label
from quizgen.generate.context import DeckContext, VariantSource
from quizgen.generate.identity import derive_seed
from quizgen.generate.reverse import BLANK, mask
from quizgen.generate.variant import variant_cards
from quizgen.model import Card, Choice, Note

OPTIONS = 4


def _neighbours(ring: list[str], place: dict[str, int], term: str, avoid: set[str]) -> list[str]:
    """The next terms after ``term`` on the seeded ring, skipping ``avoid``."""
    out: list[str] = []
    i = place[term]
    for step in range(1, len(ring)):
        t = ring[(i + step) % len(ring)]
        if t not in avoid:
            out.append(t)
            if len(out) == OPTIONS - 1:
                break
    return out


def definition_cards(notes: Sequence[Note], ctx: DeckContext) -> list[Card]:
    """Distractors are the terms that follow the answer on a ring ordered by a seeded hash:
    random-looking, yet adding or removing one term changes only its neighbours' cards (so a
    rebuild after one edit does not rewrite every choice card in Anki)."""
    ring = sorted({d.term for n in notes for d in n.definitions},
                  key=lambda t: derive_seed(ctx.seed, "choice-ring", t))
    if len(ring) < OPTIONS:
        return []
    place = {t: i for i, t in enumerate(ring)}
    out: list[Card] = []
    for note in notes:
        for d in note.definitions:
            masked = mask(d.text, (d.term, *d.aliases))
            if len(masked.replace(BLANK, "").strip()) < 4:
                continue
            others = _neighbours(ring, place, d.term, {d.term, *d.aliases})
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


def cards(notes: Sequence[Note], ctx: DeckContext, variants: VariantSource) -> list[Card]:
    return variant_cards("choice", notes, ctx, variants) + definition_cards(notes, ctx)
