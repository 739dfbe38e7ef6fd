"""Formulas: every display formula and the inline ones, tagged, normalised and linked."""

from __future__ import annotations

from quizgen.concepts import recognise
from quizgen.latex import markdown_escapes, normalize, split_tag, upright_functions
from quizgen.model import Formula, SourceRef, Symbol
from quizgen.parse.blocks import MathSpan
from quizgen.patterns import lazy_pattern

# d2l marks equations with `:eqlabel:` and cites them with `:numref:`; a marker glued to the
# closing `$$` must not become part of the formula.
_D2L_MARKERS = (":eqlabel:", ":numref:", ":label:", ":eqref:")


def _strip_markers(latex: str) -> str:
    for marker in _D2L_MARKERS:
        cut = latex.find(marker)
        if cut >= 0:
            latex = latex[:cut]
    return latex


# The comma or full stop that ends the sentence a display formula stands in ("…\\log_2(p_i),"),
# also just before a closing ``\\end{aligned}``; a card shows the formula alone. ``\\right.``
# and ``\\.`` are LaTeX, not punctuation.
_SENTENCE_STOP = lazy_pattern(
    r"(?<!\\right)(?<!\\)(?:\s|\\[,;:!]|\\q?quad)*[,.;，。；]"
    r"(?=(?:\s|\\[,;:!]|\\q?quad)*(?:\\end\{[a-z]+\*?\}\s*)?$)"
)


def clean(latex: str) -> tuple[str, str | None]:
    """A formula as cards show it, and its tag: d2l markers cut, ``\\tag`` split off, no
    sentence punctuation at its end, bare ``log``/``max`` upright, Markdown's ``\\_`` a
    subscript again."""
    formula, tag = split_tag(_strip_markers(latex))
    if formula.endswith((",", ".", ";", "，", "。", "；", "}")):
        formula = _SENTENCE_STOP.sub("", formula, count=1).strip()
    return upright_functions(markdown_escapes(formula)), tag


def make(
    span: MathSpan, path: str, context: str, symbols: tuple[Symbol, ...] = ()
) -> Formula | None:
    """A :class:`Formula` for one math span, or ``None`` when nothing is left of it."""
    latex, tag = clean(span.latex)
    if not latex:
        return None
    normalized = normalize(latex)
    return Formula(
        latex=latex,
        display=span.display,
        source=SourceRef(path, span.line),
        normalized=normalized,
        tag=tag,
        concept=recognise(normalized, context) if span.display or "=" in normalized else None,
        symbols=symbols,
        context=context,
    )
