"""Compare a note's formula with a concept's standard form (see :mod:`quizgen.sympy_bridge`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from quizgen.concepts.base import Concept
from quizgen.concepts.registry import get

Status = Literal["match", "mismatch", "untranslatable"]


@dataclass(frozen=True)
class FormulaCheck:
    status: Status
    message: str = ""
    certain: bool = False  # a mismatch beyond doubt (a lost minus sign), see Comparison


def check_formula(name: str, latex: str) -> FormulaCheck:
    """Whether ``latex`` (normalised) states concept ``name`` correctly.

    ``match``: some side of the formula equals one of the concept's canonical forms at random
    points under some binding of the note's symbols; ``mismatch``: it translates but differs (the
    message says how); ``untranslatable``: it uses LaTeX outside the supported subset or has no
    comparable side. Raises KeyError for an unknown concept; never raises for any ``latex``.
    """
    from quizgen.sympy_bridge import split_equations

    concept = get(name)
    parts = split_equations(latex)
    # A formula listing several equations (σ(z)_i = …,\qquad m = \max_k z_k) is checked on the
    # ones that state the concept; when none does alone, one matching equation is enough.
    stating = [p for p in parts if concept.recognise(p, "")] if len(parts) > 1 else parts
    results = [_one(concept, p) for p in stating or parts]
    for r in results:
        if r.status == "match" or (stating and r.status == "mismatch"):
            return r
    return results[0] if len(results) == 1 else FormulaCheck(
        "untranslatable", "no equation of the formula is comparable with the standard form")


def _one(concept: Concept, latex: str) -> FormulaCheck:
    from quizgen.sympy_bridge import compare

    forms = concept.canonical_for(latex) if concept.canonical_for else concept.canonical
    result = compare(latex, forms, concept.up_to_scale)
    return FormulaCheck(result.status, result.message, result.certain)
