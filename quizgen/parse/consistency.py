"""Formulas a note writes twice in ways that cannot both be right.

jhl13's perceptron note defines the loss as ``L(w, b)=\\sum y_i(w\\cdot x_i+b)`` and five lines
later minimises ``L(w,b)=-\\sum y_i(w\\cdot x_i+b)``: one of the two signs is a typo, and the
note does not say which. A card on either would teach the wrong one half of the time.
"""

from __future__ import annotations

from collections.abc import Sequence

from quizgen.latex import top_level_relations
from quizgen.model import Formula
from quizgen.patterns import lazy_pattern

# What a formula may put before the quantity it defines without changing it: the operator of
# the problem it is part of (``\min_{w,b} L(w,b) = …``).
_OPTIMISED = lazy_pattern(
    r"^(?:\\(?:min|max|arg\s*min|arg\s*max|argmin|argmax|mathop\{[^{}]*\}|operatorname\*?\{"
    r"(?:arg\s*)?(?:min|max)\})(?:\\limits|\\nolimits)?(?:_\{[^{}]*\}|_\\?\w)?)+")
# Spelling that does not change what is written: spacing, empty groups, ``\limits``.
_NOISE = lazy_pattern(r"\s+|\\[,;:! ]|\\q?quad\b|\\(?:no)?limits\b|\^\{\}|_\{\}|\{\}")


def _sides(latex: str) -> tuple[str, str] | None:
    rel = top_level_relations(latex)
    if len(rel) != 1 or rel[0][1] != "=":
        return None
    at = rel[0][0]
    left = _OPTIMISED.sub("", _NOISE.sub("", latex[:at]))
    right = _NOISE.sub("", latex[at + 1 :]).rstrip(".,，。")
    return (left, right) if left and right else None


def _negated(a: str, b: str) -> bool:
    """Whether ``a`` is ``b`` with a minus sign put in front (``-x`` or ``-(x)``)."""
    for x, y in ((a, b), (b, a)):
        if x.startswith("-") and (x[1:] == y or x[1:] == f"({y})" or x[1:] == f"\\left({y}"
                                   "\\right)"):
            return True
    return False


def opposite_signs(forms: Sequence[Formula]) -> dict[int, str]:
    """Index → why, for each formula whose left side the note also equates to the negation
    of its right side elsewhere."""
    seen: dict[str, list[tuple[int, str]]] = {}
    out: dict[int, str] = {}
    for i, f in enumerate(forms):
        sides = _sides(f.latex)
        if sides is None:
            continue
        left, right = sides
        for j, other in seen.get(left, []):
            if _negated(right, other):
                lines = sorted((forms[j].source.line, f.source.line))
                why = (f"the note writes {f.lhs or left} with opposite signs at lines "
                       f"{lines[0]} and {lines[1]}; which is meant is not clear")
                out[i] = out.get(i, why)
                out[j] = out.get(j, why)
        seen.setdefault(left, []).append((i, right))
    return out

