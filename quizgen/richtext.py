"""Split rich text (see :mod:`quizgen.model`) into text and math segments.

Every exporter must protect math before touching the text around it (Markdown renderers eat
``_`` and ``\\(``; Typst reads ``$`` and ``#``), so the split lives in one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from quizgen.patterns import lazy_pattern

# A Chinese character (CJK Unified Ideographs with extension A): how the stages tell Chinese
# prose, names and notes from English ones.
CJK = lazy_pattern(r"[\u3400-\u9fff]")
_MATH = lazy_pattern(r"\\\((?P<inline>.+?)\\\)|\\\[(?P<display>.+?)\\\]", re.S)


@dataclass(frozen=True)
class Segment:
    """A run of text, or one formula (``math`` true) with its LaTeX and whether it is display."""

    text: str
    math: bool = False
    display: bool = False


def segments(rich: str) -> list[Segment]:
    """Cut ``rich`` into alternating text and math segments, in order; never raises."""
    return list(_segments(rich))


@lru_cache(maxsize=16384)  # the same text is cut for every check and exporter that reads it
def _segments(rich: str) -> tuple[Segment, ...]:
    out: list[Segment] = []
    pos = 0
    for m in _MATH.finditer(rich):
        if m.start() > pos:
            out.append(Segment(rich[pos : m.start()]))
        if m.group("inline") is not None:
            out.append(Segment(m.group("inline"), math=True, display=False))
        else:
            out.append(Segment(m.group("display"), math=True, display=True))
        pos = m.end()
    if pos < len(rich):
        out.append(Segment(rich[pos:]))
    return tuple(out)


def inline(latex: str) -> str:
    """Wrap LaTeX as inline math in rich text."""
    return f"\\({latex}\\)"


def display(latex: str) -> str:
    """Wrap LaTeX as display math in rich text."""
    return f"\\[{latex}\\]"


# A line break inside a paragraph is the author's line wrapping ("…映射成标量，\n再经过…"), not a
# break they meant: Markdown joins the lines with a space, and a reader of Chinese sees none
# between two CJK characters. A break before a list item or a table row, a hard break (two
# trailing spaces, a trailing backslash) and a blank line are kept.
_SOFT_BREAK = lazy_pattern(r"(?<=[^\s\\])[ \t]?\n[ \t]*(?=[^\s\-*+|>])(?!\d+[.)、]\s)")
_CJK_SIDE = lazy_pattern(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


def join_soft_breaks(rich: str) -> str:
    """``rich`` with the line wrapping inside its paragraphs undone; math is left as it is."""
    if "\n" not in rich:
        return rich
    maths = [m.span() for m in _MATH.finditer(rich)]

    def joint(m: re.Match[str]) -> str:
        a, b = m.span()
        if any(lo < a < hi for lo, hi in maths):
            return m.group()
        before, after = rich[a - 1 : a], rich[b : b + 1]
        return "" if _CJK_SIDE.match(before) and _CJK_SIDE.match(after) else " "

    return _SOFT_BREAK.sub(joint, rich)
