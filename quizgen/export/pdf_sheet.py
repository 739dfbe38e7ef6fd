"""What the study-sheet template shows for each note, as safe Typst markup."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from quizgen.export.typst_text import MathWriter
from quizgen.model import Formula, Note

UNCATEGORISED = "其他"


@dataclass(frozen=True)
class DefinitionView:
    term: str  # plain text (the template quotes it)
    aliases: str  # plain text
    text: str  # markup


@dataclass(frozen=True)
class FormulaView:
    context: str  # plain text
    math: str  # markup
    legend: tuple[tuple[str, str], ...]  # (symbol markup, meaning markup)


@dataclass(frozen=True)
class NoteView:
    title: str
    definitions: tuple[DefinitionView, ...]
    formulas: tuple[FormulaView, ...]


@dataclass(frozen=True)
class GroupView:
    name: str
    notes: tuple[NoteView, ...]


def _formula(f: Formula, w: MathWriter) -> FormulaView:
    at = f.source
    legend = tuple(
        (w.math(s.symbol, display=False, at=at), w.rich(s.meaning, at=at)) for s in f.symbols
    )
    return FormulaView(f.context, w.math(f.latex, display=True, tag=f.tag, at=at), legend)


def _note(note: Note, w: MathWriter) -> NoteView:
    defs = tuple(
        DefinitionView(d.term, ", ".join(d.aliases), w.rich(d.text, at=d.source))
        for d in note.definitions
    )
    forms = tuple(_formula(f, w) for f in note.formulas if f.display)
    return NoteView(note.title, defs, forms)


def sheet_groups(notes: Sequence[Note], w: MathWriter) -> list[GroupView]:
    """Notes with something to show, grouped by category in order of first appearance."""
    groups: dict[str, list[NoteView]] = {}
    for note in notes:
        view = _note(note, w)
        if view.definitions or view.formulas:
            groups.setdefault(note.category or UNCATEGORISED, []).append(view)
    return [GroupView(name, tuple(views)) for name, views in groups.items()]
