"""Formula names that the deck gives to more than one formula.

Two notes may each call a different formula "损失函数的公式" or ``L(w,b,α)``; a recall card asking
for either must say which note it means. This is decided from every note's formula heads
(:class:`quizgen.model.FormulaHead`, kept in the notes' index), so that a rebuild that makes
one note's cards again words them exactly as a build of the whole deck does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from quizgen.generate.context import crowded_names, formula_label
from quizgen.generate.phrasing import phrasing_for
from quizgen.model import Note


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


def shared_labels(notes: Sequence[Note]) -> frozenset[str]:
    """Labels that two notes give and that stand for formulas that differ."""
    first: dict[str, tuple[str, str]] = {}  # label → (note, digest) where it was first seen
    notes_differ: set[str] = set()
    formulas_differ: set[str] = set()
    for note in notes:
        for label, digest in note_labels(note):
            path, said = first.setdefault(label, (note.path, digest))
            if path != note.path:
                notes_differ.add(label)
            if said != digest:
                formulas_differ.add(label)
    return frozenset(notes_differ & formulas_differ)


def shared(notes: int, digests: Mapping[str, int]) -> bool:
    """Whether :func:`shared_labels` holds a label that ``notes`` notes give, to formulas of
    these digests (digest → how often): two notes and two formulas."""
    return notes >= 2 and len(digests) >= 2


def signature(note: Note, shared: frozenset[str]) -> str:
    """Which of the note's labels the deck shares (for reuse on rebuilds)."""
    return ",".join(sorted({label for label, _ in note_labels(note) if label in shared}))
