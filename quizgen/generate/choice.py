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


def definition_cards(notes: Sequence[Note], ctx: DeckContext) -> list[Card]:
    terms = sorted({d.term for n in notes for d in n.definitions})
    if len(terms) < OPTIONS:
        return []
    out: list[Card] = []
    for note in notes:
        for d in note.definitions:
            masked = mask(d.text, (d.term, *d.aliases))
            if len(masked.replace(BLANK, "").strip()) < 4:
                continue
            rng = random.Random(derive_seed(ctx.seed, "choice", ctx.key_path(note), d.term))
            others = rng.sample([t for t in terms if t != d.term], OPTIONS - 1)
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
