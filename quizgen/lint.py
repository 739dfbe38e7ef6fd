"""``quizgen check``: what is wrong or suspicious in the notes, and stress tests of the concepts."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from quizgen.concepts import CONCEPT_NAMES
from quizgen.latex import braces_balanced
from quizgen.model import Note, Problem, SourceRef


def lint(notes: Sequence[Note]) -> list[Problem]:
    """Warnings about the notes: unbalanced formulas, empty or duplicate definitions, and
    recognised formulas that differ from the concept's standard form."""
    from quizgen.concepts import check_formula

    out: list[Problem] = []
    first_site: dict[str, str] = {}
    for note in notes:
        for d in note.definitions:
            where = str(d.source)
            if not d.text.strip():
                out.append(Problem(d.source.path, d.source.line,
                                   f"definition of {d.term!r} has no text", "warning"))
            key = d.term.casefold()
            if key in first_site and first_site[key] != where:
                out.append(Problem(d.source.path, d.source.line,
                                   f"term {d.term!r} is also defined at {first_site[key]}",
                                   "warning"))
            first_site.setdefault(key, where)
        for f in note.formulas:
            src = f.source
            if not braces_balanced(f.latex):
                out.append(Problem(src.path, src.line, "formula has unbalanced braces { }"))
                continue
            if f.concept:
                result = check_formula(f.concept, f.normalized or f.latex)
                if result.status == "mismatch":
                    out.append(Problem(
                        src.path, src.line,
                        f"formula for {f.concept} in {src} differs from the standard form"
                        f"{': ' + result.message if result.message else ''}", "warning",
                    ))
    return out + _image_problems(notes)


def _image_problems(notes: Sequence[Note]) -> list[Problem]:
    """What an export would say about each image: refused, missing or unusable."""
    from quizgen.export.media import at, locate

    if not notes:
        return []
    root = Path(os.path.commonpath([os.path.dirname(os.path.abspath(n.path)) for n in notes]))
    try:
        root = root.resolve()
    except (OSError, RuntimeError):
        return []
    out: list[Problem] = []
    for note in notes:
        for img in note.images:
            _, problem = locate(img.path, Path(note.path).parent, root)
            if problem is not None:
                out.append(at(problem, SourceRef(note.path, img.line)))
    return out


def stress_all(n: int, seed: int = 0) -> dict[str, dict[str, Any]]:
    """``stress(n)`` for every concept, as JSON-ready dicts."""
    from quizgen.concepts import stress

    return {name: stress(name, n, seed).to_dict() for name in CONCEPT_NAMES}
