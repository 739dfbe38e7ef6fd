"""Whether a card would teach a formula that is certainly wrong.

Notes carry typos, and a card copies them: ``loss = \\sum_j y_j \\log a_j`` (its minus sign
lost) would be drilled every day for years. A formula the deck recognises as a known concept
is compared with the concept's standard form (:func:`quizgen.concepts.check_formula`); only a
mismatch beyond doubt (the standard form with the opposite sign at every sample point) keeps
the card out. Any other difference may be a convention or a pairing of symbols the comparison
could not find, so it stays a warning of ``quizgen check``.

A formula named as a probability density of one variable (``概率密度``, "density", "pdf")
must integrate to 1 whatever its parameters: ``P(x) = \\frac{1}{2}\\exp(-|x|/b)`` (a Laplace
density that lost its ``b``) does not, for any ``b`` but 1, and is kept out too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from quizgen.latex import group_end, normalize
from quizgen.model import Card
from quizgen.patterns import lazy_pattern
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
    if concept:
        return _verdict(concept, latex)
    if _EXPONENTIAL.search(term) and "=" in latex and not _EXP.search(latex.split("=", 1)[1]):
        # "k(x,x') = \frac{\lVert X - x'\rVert^2}{2\sigma^2}" named a Gaussian kernel
        return f"called {term} but it has no exponential"
    if _SCALED_SCORE.search(term) and _scales_up(latex):
        # "α(q,k) = q·k√d" under "Dot product": the scale divides, or the softmax saturates
        return f"called {term} but it multiplies by √d where the score divides by it"
    return _not_a_density(latex) if _DENSITY.search(term) else ""


# Scores of dot-product attention, scaled by 1/√d by definition.
_SCALED_SCORE = lazy_pattern(r"点积|缩放|注意力|\bdot[- ]?product\b|\battention\b|\bscaled\b",
                             re.I)
_SQRT_D = lazy_pattern(r"\\sqrt\s*\{\s*d")
_DOT = lazy_pattern(r"\\cdot|\^\s*\{?\s*(?:\\top|T)\b|\\langle")


def _scales_up(latex: str) -> bool:
    """Whether a √d stands outside every denominator of a formula with a dot product."""
    if "=" not in latex or not _DOT.search(latex):
        return False
    under = _denominators(latex)
    return any(not any(a <= m.start() < b for a, b in under) and
               not latex[: m.start()].rstrip().endswith("/")
               for m in _SQRT_D.finditer(latex))


def _denominators(latex: str) -> list[tuple[int, int]]:
    """Spans of the second argument of every ``\\frac``."""
    spans = []
    for m in re.finditer(r"\\d?frac\s*", latex):
        numerator_end = group_end(latex, m.end())
        if numerator_end < 0:
            continue
        start = numerator_end + len(latex[numerator_end:]) - len(latex[numerator_end:].lstrip())
        end = group_end(latex, start)
        if end > 0:
            spans.append((start, end))
    return spans


# Names of formulas that are exponentials of something by definition.
_EXPONENTIAL = lazy_pattern(r"高斯核|径向基|\bgaussian kernel\b|\brbf\b|\bsquared exponential\b",
                            re.I)
_EXP = lazy_pattern(r"\\exp\b|\be\s*\^|\\mathrm\{e\}\s*\^|\\operatorname\{exp\}")


_DENSITY = lazy_pattern(r"密度|\bdensity\b|\bpdf\b", re.I)
# Parameter values the density is integrated at: not integers (a power of x then has no real
# value below 0, so a density on half the line is not judged), far apart.
_AT = (0.7, 1.9)
_MAX_POINTS = 5000  # far above what quadrature of a density needs (up to ~650 per value)


@lru_cache(maxsize=1024)
def _not_a_density(latex: str) -> str:
    """Why ``latex`` (``p(x) = …``) cannot be a density of x, or "" when it integrates to 1 or
    cannot be judged (several variables, a form outside the translator, no finite value)."""
    import mpmath
    import sympy

    from quizgen.sympy_bridge import parse

    try:
        sides = parse(latex).sides
    except Exception:  # Untranslatable, or sympy failing on odd input in ways we cannot list
        return ""
    if len(sides) != 2 or not isinstance(sides[0], sympy.Function) or len(sides[0].args) != 1:
        return ""
    x = sides[0].args[0]
    rhs = sides[1]
    if not isinstance(x, sympy.Symbol) or x not in rhs.free_symbols:
        return ""
    # The translator reads \\pi and e as names: they are the constants here.
    constants = {s: sympy.pi if s.name == "pi" else sympy.E for s in rhs.free_symbols
                 if isinstance(s, sympy.Symbol) and s.name in ("pi", "e")}
    rhs = rhs.subs(constants)
    params = sorted(rhs.free_symbols - {x}, key=str)
    totals = []
    calls = [0]
    for value in _AT:
        at = rhs.subs({p: value for p in params})

        # The expression is evaluated as sympy holds it (no code is generated from it: its
        # names come from the note), a bounded number of times.
        def f(t: Any, at: Any = at) -> Any:
            calls[0] += 1
            if calls[0] > _MAX_POINTS:
                raise OverflowError("too many points")
            return mpmath.mpmathify(complex(at.evalf(20, subs={x: sympy.Float(str(t))})))

        try:
            total = mpmath.quad(f, [-mpmath.inf, 0, mpmath.inf])
        except Exception:  # a value the integrand has no real value at, an overflow
            return ""
        if isinstance(total, mpmath.mpc):
            if abs(total.imag) > 1e-9:
                return ""
            total = total.real
        if not isinstance(total, mpmath.mpf) or not abs(total) < 1e6:
            return ""  # diverges: a density of x ≥ 0 written without its domain
        totals.append(float(total))
    if all(abs(t - 1) > 1e-3 for t in totals):
        shown = ", ".join(f"{t:.4g}" for t in totals)
        return f"the density does not integrate to 1 (it gives {shown} at two parameter values)"
    return ""


@lru_cache(maxsize=4096)  # one formula is shown on several cards, and in several notes
def _verdict(concept: str, latex: str) -> str:
    from quizgen.concepts import check_formula

    result = check_formula(concept, latex)
    if result.status == "mismatch" and result.certain:
        return f"the formula for {concept} {result.message}"
    return ""
