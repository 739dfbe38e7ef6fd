"""Cheap, sympy-free helpers for recognising formula shapes in normalised LaTeX.

The parser calls :func:`quizgen.concepts.recognise` for every formula of every note, so this is
string work only: one compaction pass, then small regular expressions and brace matching.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from quizgen.latex import group_end
from quizgen.patterns import lazy_pattern

_DROP = lazy_pattern(
    r"\\(?:left|right|big|Big|bigg|Bigg)(?![A-Za-z])|\\[,;:! ]|\\quad|\\qquad|\\limits"
    r"|\\displaystyle"
)
_WRAPPERS = lazy_pattern(
    r"\\(?:mathbf|boldsymbol|bm|mathit|mathrm|operatorname|text|textrm|rm)\s*\{([^{}]*)\}"
)
_SPACE = lazy_pattern(r"\s+")
_TEXT_FUNCTION = lazy_pattern(r"\\(?:text|mathrm|operatorname|rm)\s*\{(exp|log|ln)\}")


@lru_cache(maxsize=1024)  # every concept's recogniser compacts the same formula
def compact(latex: str) -> str:
    """``latex`` without spacing commands, sizing, font wrappers and whitespace."""
    s = _DROP.sub("", latex)
    s = _TEXT_FUNCTION.sub(r"\\\1", s)  # \text{exp}(…) is \exp(…) (d2l's word2vec)
    s = _WRAPPERS.sub(r"\1", s)
    s = s.replace(r"\cdot", "").replace(r"\times", "").replace("*", "")
    return _SPACE.sub("", s)


def fractions(s: str) -> Iterator[tuple[str, str]]:
    """``(numerator, denominator)`` of every ``\\frac``/``\\dfrac``/``\\tfrac`` in compact text."""
    for m in re.finditer(r"\\[dt]?frac(?=\{)", s):
        a_end = group_end(s, m.end())
        if a_end < 0 or a_end >= len(s) or s[a_end] != "{":
            continue
        b_end = group_end(s, a_end)
        if b_end < 0:
            continue
        yield s[m.end() + 1 : a_end - 1], s[a_end + 1 : b_end - 1]


def lhs(s: str) -> str:
    """The text before the first ``=`` (empty when there is none)."""
    i = s.find("=")
    return s[:i] if i > 0 else ""


def context_has(context: str, *words: str) -> bool:
    c = context.casefold()
    return any(w.casefold() in c for w in words)


# A probability-like factor: p, q, \hat{y}, \pi with an optional subscript or argument list.
_ATOM = (
    r"(?:\\hat\{\w\}|\\tilde\{\w\}|\\(?:pi|rho|mu)(?![A-Za-z])|[A-Za-z])"
    r"(?:_(?:\{\w+\}|\w)|\((?:[\w,|;]|\\mid)+\)|\[\w+\])?"
)
_LOG = r"\\(?:log|ln)(?:_(?:\{\w+\}|\w)|_\d)?"
_WEIGHTED_LOG = lazy_pattern(rf"({_ATOM}){_LOG}\(?({_ATOM})\)?(?![\w(])")
_WEIGHTED_LOG_RATIO = lazy_pattern(rf"({_ATOM}){_LOG}\\frac\{{({_ATOM})\}}\{{({_ATOM})\}}")


_IN_COMMAND = lazy_pattern(r"\\[A-Za-z]*$")


def weighted_logs(s: str) -> list[tuple[str, str]]:
    """``(w, a)`` for every ``w \\log a`` in compact text (``p_i\\log q_i`` → ``p_i, q_i``); a
    "weight" that is the tail of a command (the ``e`` of ``\\ge\\log N``) is none."""
    return [(m.group(1), m.group(2)) for m in _WEIGHTED_LOG.finditer(s)
            if not _IN_COMMAND.search(s[: m.start()])]


def weighted_log_ratios(s: str) -> list[tuple[str, str, str]]:
    """``(w, a, b)`` for every ``w \\log\\frac{a}{b}``."""
    return [(m.group(1), m.group(2), m.group(3)) for m in _WEIGHTED_LOG_RATIO.finditer(s)]


def head(atom: str) -> str:
    """The letter of a factor without its subscript or arguments (``p_i`` → ``p``)."""
    m = re.match(r"\\hat\{\w\}|\\tilde\{\w\}|\\[A-Za-z]+|[A-Za-z]", atom)
    return m.group(0) if m else atom


_MINUS_SUM = lazy_pattern(
    r"-\\sum|\\sum(?:_\{[^{}]*\}|_\w)?(?:\^\{[^{}]*\}|\^\w)?-|-\\mathbb\{E\}|-E_"
)


def is_sum_of_terms(s: str) -> bool:
    """A minus sign before or right after a sum, or an expectation (``-\\sum``, ``\\sum_j -``)."""
    return bool(_MINUS_SUM.search(s))


_WEIGHTED_LOG_INVERSE = lazy_pattern(rf"({_ATOM}){_LOG}\\frac\{{1\}}\{{({_ATOM})\}}")


def weighted_inverse_logs(s: str) -> list[tuple[str, str]]:
    """``(w, b)`` for every ``w \\log\\frac{1}{b}``."""
    return [(m.group(1), m.group(2)) for m in _WEIGHTED_LOG_INVERSE.finditer(s)]


def exp_argument(term: str) -> str | None:
    """The exponent of ``term`` when the whole term is ``e^{..}``, ``e^x`` or ``\\exp(..)``."""
    if term.startswith("e^{"):
        end = group_end(term, 2)
        return term[3 : end - 1] if end == len(term) else None
    if term.startswith("e^"):
        m = re.fullmatch(r"e\^(\\?[A-Za-z]+(?:_(?:\{\w+\}|\w))?)", term)
        return m.group(1) if m else None
    if term.startswith(r"\exp(") and term.endswith(")"):
        depth = 0
        for i, c in enumerate(term[4:], start=4):
            depth += {"(": 1, ")": -1}.get(c, 0)
            if depth == 0:
                return term[5:i] if i == len(term) - 1 else None
    if term.startswith(r"\exp{"):
        end = group_end(term, 4)
        return term[5 : end - 1] if end == len(term) else None
    return None


_GROUP = r"\{(?:[^{}]|\{[^{}]*\})*\}"  # one brace group, one level of nesting (\mathcal{V})
_SUM_LIMITS = lazy_pattern(rf"^\\sum(?:_{_GROUP}|_\w)?(?:\^{_GROUP}|\^\w)?(?:_{_GROUP}|_\w)?")
_INDEX = lazy_pattern(r"_(?:\{[^{}]+\}|\w)")
_LOG_OF_FRACTION = lazy_pattern(r"\\log\(?\[?\\[dt]?frac\{(?:e\^|\\exp)")


def exp_fractions(s: str) -> list[tuple[str, str]]:
    """``(top, bottom)`` exponents of every ``\\frac{e^{top}}{\\sum_j e^{bottom}}`` (or
    ``\\exp``) in compact text: the shape shared by softmax, temperature, Gumbel-Softmax,
    attention weights and InfoNCE."""
    out = []
    for num, den in fractions(s):
        top = exp_argument(num)
        m = _SUM_LIMITS.match(den)
        if top is None or not m or m.end() == 0:
            continue
        bottom = exp_argument(den[m.end() :])
        if bottom is not None:
            out.append((top, bottom))
    return out


def same_up_to_index(a: str, b: str) -> bool:
    """``z_i`` and ``z_j`` (or ``k_i``/``k_j``) name the same vector's components."""
    return _INDEX.sub("_", a) == _INDEX.sub("_", b)


def has_index(a: str) -> bool:
    return bool(_INDEX.search(a))


def log_of_exp_fraction(s: str) -> bool:
    """A log of a softmax-shaped fraction: a loss (cross-entropy, InfoNCE), not the softmax."""
    return bool(_LOG_OF_FRACTION.search(s))


# A temperature divides the logits: z_i/T, s/\tau, \frac{z_i}{T}.
_TEMPERATURE = lazy_pattern(r"/(?:\\tau|T|t)(?![A-Za-z_])|\\[dt]?frac\{[^{}]*\}\{(?:\\tau|T)\}")


def divides_by_temperature(arg: str) -> bool:
    return bool(_TEMPERATURE.search(arg))
