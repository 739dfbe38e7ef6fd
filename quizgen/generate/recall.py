"""name → whole formula, for key formulas the note names (see :mod:`quizgen.parse.naming`)."""

from __future__ import annotations

from quizgen.generate.base import make_card
from quizgen.generate.context import DeckContext, crowded_names, formula_keys, formula_label
from quizgen.generate.labels import elsewhere
from quizgen.generate.phrasing import phrasing_for, titled
from quizgen.latex import names_itself, one_line, top_level_relations
from quizgen.model import Card, Note
from quizgen.richtext import display

# Longer than this, a formula is looked up, not recalled: a student cannot be asked to write
# it from memory every day (and the cloze still drills its key part).
MAX_RECALL_CHARS = 160


def cards(note: Note, ctx: DeckContext) -> list[Card]:
    out: list[Card] = []
    p = phrasing_for(note)
    crowded = crowded_names(note.formulas)
    for i, key in formula_keys(note).items():
        f = note.formulas[i]
        label = formula_label(f, note.title, p, crowded)
        flat = one_line(f.latex)
        if (not f.key or not label or not (f.name or names_itself(f.lhs))
                or not top_level_relations(flat)
                or len(flat) > MAX_RECALL_CHARS or "\\\\" in flat):
            continue
        extra = elsewhere(note, f, label, ctx)
        if extra is None:
            continue  # another note writes it alike and makes its card
        front = p.recall(label)
        if label.casefold() in ctx.shared_labels and note.title:
            front = titled(front, note.title)  # another note's formula has this name too
        out.append(
            make_card(
                ctx, note, "recall", key, front, display(flat), f.source,
                concept=f.concept, term=f.name or f.lhs, extra=extra,
            )
        )
    return out

