"""Whether a card would teach a formula that is certainly wrong.

Notes carry typos, and a card copies them: ``loss = \\sum_j y_j \\log a_j`` (its minus sign
lost) would be drilled every day for years. A formula the deck recognises as a known concept
is compared with the concept's standard form (:func:`quizgen.concepts.check_formula`); only a
mismatch beyond doubt (the standard form with the opposite sign at every sample point) keeps
the card out. Any other difference may be a convention or a pairing of symbols the comparison
could not find, so it stays a warning of ``quizgen check``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from quizgen.latex import normalize
from quizgen.model import Card
from quizgen.richtext import segments

# Kinds whose formulas are the note's own (the drills' are written by the concepts).
_NOTE_FORMULA_KINDS = frozenset({"definition", "reverse", "recall", "cloze", "legend"})


def contradiction(card: Card, checks: Callable[[str, str, str], str]) -> str:
    """Why a formula ``card`` shows is certainly wrong, or "" (``checks``: :func:`contradicts`
    or a cache of it)."""
    if card.kind not in _NOTE_FORMULA_KINDS:
        return ""
    if card.cloze is not None:
        cz = card.cloze
        shown = [cz.before + cz.hidden + cz.after]
    else:
        shown = [s.text for s in segments(f"{card.front}\n{card.back}") if s.math and s.display]
    for latex in shown:
        why = checks(card.concept or "", card.term, normalize(latex))
        if why:
            return why
    return ""


def contradicts(concept: str, term: str, latex: str) -> str:
    """Why ``latex`` (normalised) is certainly not the concept it states, or "": ``concept``
    when the parser recognised one, else the one it is recognised as under ``term``. Loads the
    concept registry, and sympy for a recognised formula."""
    from quizgen.concepts import recognise

    concept = concept or recognise(latex, term) or ""
    return _verdict(concept, latex) if concept else ""


@lru_cache(maxsize=4096)  # one formula is shown on several cards, and in several notes
def _verdict(concept: str, latex: str) -> str:
    from quizgen.concepts import check_formula

    result = check_formula(concept, latex)
    if result.status == "mismatch" and result.certain:
        return f"the formula for {concept} {result.message}"
    return ""
