"""In formula F, what does the symbol s mean? (from the "其中 / where" legend)."""

from __future__ import annotations

import re
from collections import Counter

from quizgen.generate.base import make_card
from quizgen.generate.context import DeckContext, crowded_names, formula_keys, formula_label
from quizgen.generate.labels import elsewhere
from quizgen.generate.phrasing import phrasing_for
from quizgen.latex import one_line
from quizgen.model import Card, Note
from quizgen.patterns import lazy_pattern
from quizgen.richtext import display, inline


def cards(note: Note, ctx: DeckContext) -> list[Card]:
    out: list[Card] = []
    p = phrasing_for(note)
    crowded = crowded_names(note.formulas)
    for i, key in formula_keys(note).items():
        f = note.formulas[i]
        if not f.key:
            continue
        label = formula_label(f, note.title, p, crowded)
        extra = elsewhere(note, f, label, ctx) if label else ""
        if extra is None:
            continue  # another note writes it alike and makes its cards
        meanings = Counter(_gist(s.meaning) for s in f.symbols)
        for s in f.symbols:
            if meanings[_gist(s.meaning)] > 1:
                # "W 和 B 是模型学习的参数": the answer does not tell the symbols apart.
                continue
            if _INDEX.search(s.meaning):
                # "i 为向量的分量下标": which letter counts is notation, not what the note teaches
                continue
            front = p.legend(display(one_line(f.latex)), inline(s.symbol))
            out.append(
                make_card(
                    ctx, note, "legend", f"{key}|{s.symbol}", front, s.meaning, f.source,
                    concept=f.concept, term=f.name, extra=extra,
                )
            )
    return out


_INDEX = lazy_pattern(r"下标|索引|序号|编号|\b(?:index|indices|subscript)\b", re.I)


def _gist(meaning: str) -> str:
    return re.sub(r"[\s\W_]", "", meaning).casefold()
