"""Compare a note's formula with a concept's standard form (see :mod:`quizgen.sympy_bridge`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from quizgen.concepts.registry import get

Status = Literal["match", "mismatch", "untranslatable"]


@dataclass(frozen=True)
class FormulaCheck:
    status: Status
    message: str = ""


def check_formula(name: str, latex: str) -> FormulaCheck:
    """Whether ``latex`` (normalised) states concept ``name`` correctly.

    ``match``: some side of the formula equals one of the concept's canonical forms at random
    points under some binding of the note's symbols; ``mismatch``: it translates but differs (the
    message says how); ``untranslatable``: it uses LaTeX outside the supported subset or has no
    comparable side. Raises KeyError for an unknown concept; never raises for any ``latex``.
    """
    from quizgen.sympy_bridge import compare

    concept = get(name)
    result = compare(latex, concept.canonical)
    return FormulaCheck(result.status, result.message)
