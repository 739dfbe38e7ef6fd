"""Formula names across the deck: the ones two notes give to different formulas, and the
formulas several notes write alike.

Two notes may each call a different formula "损失函数的公式" or ``L(w,b,α)``; a recall card asking
for either must say which note it means. Several notes may also write one formula under one
name (the seeds restate 重参数's objective in four notes): one card for the deck, made by the
first of them, its other places listed on the back, as for a term defined in several notes.

Both are decided from every note's formula heads (:class:`quizgen.model.FormulaHead`, kept in
the notes' index), so that a rebuild that makes one note's cards again words them exactly as a
build of the whole deck does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from quizgen.generate.context import DeckContext, crowded_names, formula_label
from quizgen.generate.phrasing import phrasing_for
from quizgen.latex import digest
from quizgen.model import Formula, Note

Holders = Mapping[str, Sequence[str]]
"""A label's formulas: digest → the note of each occurrence (a note writing it twice, twice)."""


def note_labels(note: Note) -> list[tuple[str, str]]:
    """(label as cards say it, folded; digest of the formula) of each key formula of ``note``."""
    p = phrasing_for(note)
    out = []
    crowded = crowded_names(note.heads)
    for h in note.heads:
        label = formula_label(h, note.title, p, crowded)
        if label:
            out.append((label.casefold(), h.digest))
    return out


def holders(notes: Sequence[Note]) -> dict[str, dict[str, list[str]]]:
    """Every label of the deck's key formulas: digest → the notes that give it."""
    out: dict[str, dict[str, list[str]]] = {}
    for note in notes:
        for label, said in note_labels(note):
            out.setdefault(label, {}).setdefault(said, []).append(note.path)
    return out


def shared(digests: Holders) -> bool:
    """Whether a label stands for formulas that differ, given by two notes or more."""
    return len(digests) >= 2 and len({n for ns in digests.values() for n in ns}) >= 2


def repeats(label: str, digests: Holders, key_path: Mapping[str, str]) -> dict[str, list[str]]:
    """The formulas of one label that two notes or more write alike: "label\\0digest" → those
    notes, the one that makes the cards (the first by identity path) first."""
    if shared(digests):
        return {}  # each note's card is said with its title: they ask different questions
    out = {}
    for said, notes in digests.items():
        distinct = sorted(set(notes), key=lambda n: (key_path.get(n, n), n))
        if len(distinct) >= 2:
            out[f"{label}\0{said}"] = distinct
    return out


def deck_labels(by_label: Mapping[str, Holders], key_path: Mapping[str, str],
                labels: Iterable[str] | None = None,
                ) -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    """The shared labels and the repeated formulas (see :func:`repeats`) among ``labels``
    (default: all)."""
    shared_now: set[str] = set()
    repeated: dict[str, tuple[str, ...]] = {}
    for label in by_label if labels is None else labels:
        digests = by_label.get(label, {})
        if shared(digests):
            shared_now.add(label)
        else:
            repeated.update((k, tuple(v)) for k, v in repeats(label, digests, key_path).items())
    return frozenset(shared_now), repeated


def elsewhere(note: Note, f: Formula, label: str, ctx: DeckContext) -> str | None:
    """For a card of formula ``f`` called ``label``: None when another note writes it alike and
    makes its cards; else the card's extra field ("" or where else the deck writes it)."""
    notes = ctx.repeated.get(f"{label.casefold()}\0{digest(f.latex)}")
    if not notes:
        return ""
    if notes[0] != note.path:
        return None
    p = phrasing_for(note)
    return p.where("", p.list_sep.join(ctx.key_paths.get(n, n) for n in notes[1:]))


def signature(note: Note, shared_labels: frozenset[str],
              repeated: Mapping[str, tuple[str, ...]]) -> str:
    """Which of the note's labels the deck shares, and who else writes its formulas alike (for
    reuse on rebuilds)."""
    parts = set()
    for label, said in note_labels(note):
        if label in shared_labels:
            parts.add(label)
        elif notes := repeated.get(f"{label}\0{said}"):
            parts.add(f"{label}\0{said}\0{','.join(notes)}")
    return ";".join(sorted(parts))
