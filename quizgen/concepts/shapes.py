"""Cheap, sympy-free helpers for recognising formula shapes in normalised LaTeX.

The parser calls :func:`quizgen.concepts.recognise` for every formula of every note, so this is
string work only: one compaction pass, then small regular expressions and brace matching.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from quizgen.latex import group_end

_DROP = re.compile(
    r"\\(?:left|right|big|Big|bigg|Bigg)(?![A-Za-z])|\\[,;:! ]|\\quad|\\qquad|\\limits"
    r"|\\displaystyle"
)
_WRAPPERS = re.compile(
    r"\\(?:mathbf|boldsymbol|bm|mathit|mathrm|operatorname|text|textrm|rm)\s*\{([^{}]*)\}"
)
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=1024)  # every concept's recogniser compacts the same formula
def compact(latex: str) -> str:
    """``latex`` without spacing commands, sizing, font wrappers and whitespace."""
    s = _DROP.sub("", latex)
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
_WEIGHTED_LOG = re.compile(rf"({_ATOM}){_LOG}\(?({_ATOM})\)?(?![\w(])")
_WEIGHTED_LOG_RATIO = re.compile(rf"({_ATOM}){_LOG}\\frac\{{({_ATOM})\}}\{{({_ATOM})\}}")


def weighted_logs(s: str) -> list[tuple[str, str]]:
    """``(w, a)`` for every ``w \\log a`` in compact text (``p_i\\log q_i`` → ``p_i, q_i``)."""
    return [(m.group(1), m.group(2)) for m in _WEIGHTED_LOG.finditer(s)]


def weighted_log_ratios(s: str) -> list[tuple[str, str, str]]:
    """``(w, a, b)`` for every ``w \\log\\frac{a}{b}``."""
    return [(m.group(1), m.group(2), m.group(3)) for m in _WEIGHTED_LOG_RATIO.finditer(s)]


def head(atom: str) -> str:
    """The letter of a factor without its subscript or arguments (``p_i`` → ``p``)."""
    m = re.match(r"\\hat\{\w\}|\\tilde\{\w\}|\\[A-Za-z]+|[A-Za-z]", atom)
    return m.group(0) if m else atom


_MINUS_SUM = re.compile(
    r"-\\sum|\\sum(?:_\{[^{}]*\}|_\w)?(?:\^\{[^{}]*\}|\^\w)?-|-\\mathbb\{E\}|-E_"
)


def is_sum_of_terms(s: str) -> bool:
    """A minus sign before or right after a sum, or an expectation (``-\\sum``, ``\\sum_j -``)."""
    return bool(_MINUS_SUM.search(s))


_WEIGHTED_LOG_INVERSE = re.compile(rf"({_ATOM}){_LOG}\\frac\{{1\}}\{{({_ATOM})\}}")


def weighted_inverse_logs(s: str) -> list[tuple[str, str]]:
    """``(w, b)`` for every ``w \\log\\frac{1}{b}``."""
    return [(m.group(1), m.group(2)) for m in _WEIGHTED_LOG_INVERSE.finditer(s)]
