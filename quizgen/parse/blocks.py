"""Flatten markdown-it tokens into blocks of text with math placeholders and source lines.

The extractors (definitions, formulas, legends) work on :class:`Block` values: the inline text
of one paragraph, list item, table cell or heading, in which every formula is replaced by a
placeholder ``\\ue000N\\ue001`` so that prose patterns can never match inside math, and
``**strong**`` / ``*em*`` kept as markers because notes use them to mark terms.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from markdown_it.token import Token

PH_OPEN, PH_CLOSE = "\ue000", "\ue001"
PLACEHOLDER = re.compile(f"{PH_OPEN}(\\d+){PH_CLOSE}")


@dataclass(frozen=True)
class MathSpan:
    """A formula inside a block (or a whole ``$$`` block): LaTeX as written, 1-based line."""

    latex: str
    display: bool
    line: int
    markup: str


@dataclass(frozen=True)
class Image:
    """An image reference ``![alt](src)`` and its line."""

    src: str
    line: int


@dataclass(frozen=True)
class Block:
    """One unit of prose: ``kind`` is heading, para, item, cell or math (a ``$$`` block)."""

    kind: str
    text: str
    maths: tuple[MathSpan, ...]
    line: int
    breaks: tuple[int, ...] = ()  # text offsets at which the source line advances by one
    level: int = 0  # heading level
    images: tuple[Image, ...] = ()
    raw: str = ""  # the block's Markdown source

    def line_at(self, pos: int) -> int:
        """The source line of text offset ``pos``."""
        return self.line + bisect_right(self.breaks, pos)

    def rich(self, start: int = 0, end: int | None = None) -> str:
        """Text between offsets with placeholders turned back into ``\\( \\)`` / ``\\[ \\]``."""

        def put(m: re.Match[str]) -> str:
            span = self.maths[int(m.group(1))]
            return f"\\[{span.latex}\\]" if span.display else f"\\({span.latex}\\)"

        text = self.text[start:end]
        return PLACEHOLDER.sub(put, text) if PH_OPEN in text else text

    def plain(self, start: int = 0, end: int | None = None) -> str:
        """Text between offsets without emphasis markers (for terms and aliases)."""
        return self.rich(start, end).replace("**", "").strip("* ")


def _flatten(inline: Token, first_line: int, kind: str, level: int = 0) -> Block:
    parts: list[str] = []
    maths: list[MathSpan] = []
    images: list[Image] = []
    breaks: list[int] = []
    size = 0
    line = first_line

    def add(s: str) -> None:
        nonlocal size
        parts.append(s)
        size += len(s)

    for tok in inline.children or ():
        t = tok.type
        if t == "text":
            add(tok.content)
        elif t in ("softbreak", "hardbreak"):
            add("\n")
            breaks.append(size)
            line += 1
        elif t in ("math_inline", "math_inline_double"):
            display = t == "math_inline_double"
            maths.append(MathSpan(tok.content, display, line, tok.markup))
            add(f"{PH_OPEN}{len(maths) - 1}{PH_CLOSE}")
            extra = tok.content.count("\n")
            breaks.extend([size] * extra)
            line += extra
        elif t == "strong_open" or t == "strong_close":
            add("**")
        elif t == "em_open" or t == "em_close":
            add("*")
        elif t == "code_inline":
            add(f"`{tok.content}`")
        elif t == "image":
            src = str(tok.attrs.get("src", ""))
            images.append(Image(src, line))
            add(f"![{tok.content}]({src})")
    return Block(
        kind, "".join(parts), tuple(maths), first_line, tuple(breaks), level, tuple(images),
        inline.content,
    )


def blocks(tokens: list[Token]) -> list[Block]:
    """Turn a token stream into blocks, in source order; code fences and HTML are skipped."""
    out: list[Block] = []
    in_item = 0
    in_cell = 0
    heading_level = 0
    for tok in tokens:
        t = tok.type
        if t == "list_item_open":
            in_item += 1
        elif t == "list_item_close":
            in_item -= 1
        elif t in ("td_open", "th_open"):
            in_cell += 1
        elif t in ("td_close", "th_close"):
            in_cell -= 1
        elif t == "heading_open":
            heading_level = int(tok.tag[1:]) if tok.tag[1:].isdigit() else 1
        elif t == "inline" and tok.children is not None:
            first = tok.map[0] + 1 if tok.map else (out[-1].line if out else 1)
            if heading_level:
                kind = "heading"
            elif in_cell:
                kind = "cell"
            else:
                kind = "item" if in_item else "para"
            out.append(_flatten(tok, first, kind, heading_level))
            heading_level = 0
        elif t in ("math_block", "math_block_label"):
            first = tok.map[0] + 1 if tok.map else 1
            span = MathSpan(tok.content, True, first, "$$")
            out.append(Block("math", f"{PH_OPEN}0{PH_CLOSE}", (span,), first))
    return out
