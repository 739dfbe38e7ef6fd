"""Untrusted text → Typst markup that prints it literally.

Text never enters Typst markup as markup: every run becomes a string literal (``#"…";``), so
``#read(…)``, ``$``, ``*``, ``@ref``, ``<label>`` and ``//`` print as written. Only the
:mod:`quizgen.export.typst_math` output, which is screened, is pasted as source. The trailing
``;`` ends the embedded expression, so whatever a template puts next cannot extend it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from quizgen.export.typst_math import MAX_LATEX_CHARS, latex_to_typst
from quizgen.latex import split_tag
from quizgen.model import SourceRef
from quizgen.patterns import lazy_pattern
from quizgen.richtext import segments

_EMPHASIS = lazy_pattern(r"\*\*(?P<strong>.+?)\*\*|\*(?P<em>[^*\s][^*]*?)\*|`(?P<code>[^`]+)`")
_BREAKS = lazy_pattern(r"\s*\n\s*")


def literal(value: str) -> str:
    """A Typst string literal (code position) holding ``value`` exactly."""
    escaped = (
        value.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "").replace("\t", " ")
    )
    return f'"{escaped}"'


def text(value: str) -> str:
    """Markup that prints ``value`` literally (newlines become line breaks)."""
    return f"#{literal(value)};" if value else ""


def _styled(value: str) -> str:
    """Markup for text with light Markdown emphasis: ``**b**``, ``*i*``, `` `c` ``."""
    out: list[str] = []
    pos = 0
    for m in _EMPHASIS.finditer(value):
        out.append(text(value[pos : m.start()]))
        if m.group("strong") is not None:
            out.append(f"#strong({literal(m.group('strong'))});")
        elif m.group("em") is not None:
            out.append(f"#emph({literal(m.group('em'))});")
        else:
            out.append(f"#raw({literal(m.group('code'))});")
        pos = m.end()
    out.append(text(value[pos:]))
    return "".join(out)


def shorten(latex: str, limit: int = MAX_LATEX_CHARS) -> str:
    """A formula cut to ``limit`` characters for a fallback box or a message: a page of LaTeX
    source helps no reader."""
    if len(latex) <= limit:
        return latex
    return f"{latex[:limit]} … ({len(latex) - limit:,} more characters)"


@dataclass
class MathWriter:
    """Writes formulas into one document and remembers which ones it wrote.

    Formulas in ``bad`` (LaTeX as written) are shown as source in a fallback box; the
    compiler adds to ``bad`` when a formula stops the document (see ``typst_compile``).
    ``compact`` sets display formulas flush left without a number (for table cells).
    ``sources`` keeps where each fallback formula came from (the ``at`` of its first use).
    """

    bad: frozenset[str] = frozenset()
    compact: bool = False
    used: dict[str, str] = field(default_factory=dict)
    fallbacks: list[str] = field(default_factory=list)
    sources: dict[str, SourceRef] = field(default_factory=dict)

    def math(
        self, latex: str, display: bool, tag: str | None = None, at: SourceRef | None = None
    ) -> str:
        """Markup for one formula; display formulas carry ``tag`` as their number; ``at`` is
        where the formula comes from (reported when it falls back)."""
        flush_left = display and self.compact
        display = display and not self.compact
        body, found = split_tag(latex)
        tag = tag if tag is not None else found
        converted = latex_to_typst(body)
        tag_arg = literal(tag) if tag else "none"
        if converted is None or latex in self.bad:
            self.fallbacks.append(latex)
            if at is not None:
                self.sources.setdefault(latex, at)
            flag = "true" if display else "false"
            return f"#qzfallback({literal(shorten(latex))}, display: {flag}, tag: {tag_arg});"
        self.used[latex] = converted
        if flush_left:
            return f"#align(left)[$ {converted} $];"
        if display:
            return f"#qzdisplay($ {converted} $, {tag_arg});"
        # A space before the closing `$` only, so the formula stays inline.
        return f"${converted} $"

    def rich(self, value: str, at: SourceRef | None = None) -> str:
        """Markup for rich text: styled runs and formulas in ``\\( \\)`` / ``\\[ \\]``."""
        out: list[str] = []
        for seg in segments(value):
            if seg.math:
                out.append(self.math(seg.text, seg.display, at=at))
            else:
                out.append(_styled(_BREAKS.sub("\n", seg.text)))
        return "".join(out)
