"""The Markdown reader: pulldown-cmark (Rust, through pyromark) for structure, our rules for math.

pulldown-cmark gives the CommonMark structure (paragraphs, headings, list items, code, emphasis,
links, images) with the byte range of every element, ~10x faster than markdown-it-py. It reads
``\\(`` and ``\\[`` as escapes, and its ``$`` rules are not pandoc's, so math is found here, in
the source text, with the rules the notes were written for:

- front matter: ``---`` on the first line up to the next ``---`` (or ``...``) line;
- display blocks: a line starting with ``$$`` (not inside a paragraph) up to the next line
  ending with ``$$``, blanked out before pulldown-cmark sees the text, so that a ``- x`` or
  ``# x`` line inside a formula can never become a list or a heading;
- inline ``$…$`` and ``$$…$$`` (pandoc's rule: no space after the opening ``$``, no digit after
  the closing one, so ``价格 $5 和 $10`` stays text) and ``\\( \\)`` / ``\\[ \\]`` (but not the
  ``\\[解析\\]`` escapes of real notes), found left to right in the text of each paragraph,
  never inside code.

Everything else CommonMark says holds, except that HTML is text to us, never markup (and
entities stay as written), as they were with markdown-it-py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import pyromark

from quizgen.patterns import lazy_pattern

_CJK = lazy_pattern(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
# A text command in math (``\text{…}``): words, not symbols.
TEXT_COMMAND = lazy_pattern(r"\\(?:text|mathrm|textrm|mbox|operatorname)\s*\{[^{}]*\}")
_MATHY = lazy_pattern(r"\\[A-Za-z]+|[\^_=+<>{}]|^\s*[A-Za-z0-9 ,.;()|'-]+\s*$")
_FENCE = lazy_pattern(r"^( {0,3})(`{3,}|~{3,})(.*)$")
_EQNO_REV = lazy_pattern(r"^\s*\)([^)$\r\n]+?)\(\s*\${2}")  # `$$ … $$ (label)`, reversed


def looks_like_math(content: str) -> bool:
    """Whether the text between ``\\[ \\]`` / ``\\( \\)`` is math rather than escaped brackets.

    ``\\[解析\\]`` (CJK prose, no operators) is an escaped ``[解析]``; ``\\(X\\)`` and
    ``\\(\\text{中文}\\)`` are math.
    """
    stripped = content.strip()
    if not stripped:
        return False
    if not _CJK.search(TEXT_COMMAND.sub("", stripped)):
        return True
    return bool(_MATHY.search(stripped)) and not _CJK.match(stripped)


@cache
def parser() -> pyromark.Markdown:
    """The shared pulldown-cmark settings: plain CommonMark (no tables, no math of its own)."""
    return pyromark.Markdown()


@dataclass(frozen=True)
class MathBlock:
    """A ``$$`` display block: lines ``first``..``last`` (0-based), its LaTeX as written."""

    first: int
    last: int
    latex: str


@dataclass(frozen=True)
class Prepared:
    """The note's text as pulldown-cmark is to see it, and what was taken out of it."""

    text: str  # front matter and display blocks blanked (same length and line structure)
    front_matter: str | None
    blocks: tuple[MathBlock, ...]


def _front_matter(lines: list[str]) -> tuple[str | None, int]:
    """(content, lines used) of a front matter block opening the note."""
    first = lines[0] if lines else ""
    marks = len(first) - len(first.lstrip("-"))
    if marks < 3:
        return None, 0
    for i in range(1, len(lines)):
        line = lines[i]
        if line.startswith("...") and not line[3:].strip():
            return "\n".join(lines[1:i]), i + 1
        body = line.lstrip(" ")
        if len(line) - len(body) >= 4 or not body.startswith("-"):
            continue
        run = len(body) - len(body.lstrip("-"))
        if run >= marks and not body[run:].strip():
            return "\n".join(lines[1:i]), i + 1
    return None, 0  # never closed: not front matter


def _display_end(lines: list[str], i: int) -> tuple[int, int] | None:
    """Where the ``$$`` block opening line ``i`` ends: (last line, column of its ``$$``)."""
    line = lines[i]
    start = len(line) - len(line.lstrip())
    head = line[start:]
    if len(head.strip()) > 3:
        if head.rstrip().endswith("$$"):
            return i, len(line.rstrip()) - 2
        label = _EQNO_REV.match(head[::-1])
        if label:
            return i, len(line) - label.end()
        if "$$" in head[2:]:
            return None  # a `$$ … $$ text` line is inline math, not a block
    for j in range(i + 1, len(lines)):
        text = lines[j]
        if text.strip().endswith("$$"):
            return j, len(text.rstrip()) - 2
        label = _EQNO_REV.match(text[::-1])
        if label:
            return j, len(text) - label.end()
    return None


# A fence of display math: ```math (GitHub, GitLab), ```katex, ```mathjax! (the 小书匠
# editor). Not ```latex or ```tex: those show LaTeX source as code.
_MATH_FENCE = lazy_pattern(r"(?i)(?:math|katex|mathjax)!?")
_MATH_FENCE_HINT = lazy_pattern(r"(?im)^[ \t]*(?:`{3,}|~{3,})[ \t]*(?:math|katex|mathjax)")
_CANDIDATE = lazy_pattern(r"^[ \t]*(?:\$\$|`{3,}|~{3,})", re.M)


def prepare(text: str) -> Prepared:
    """Take out the front matter and the ``$$`` blocks (outside code fences).

    Only lines that start a fence or a ``$$`` are looked at (and the line before each)."""
    if "$$" not in text and not text.startswith("-") and not _MATH_FENCE_HINT.search(text):
        return Prepared(text, None, ())
    lines = text.split("\n")
    front, used = _front_matter(lines)
    blank = list(range(used))
    found: list[MathBlock] = []
    fence = ""
    math_from = -1  # the opening line of a math fence being read
    line_no, counted = 0, 0
    after = used  # the first line not consumed by a block yet
    for m in _CANDIDATE.finditer(text):
        line_no += text.count("\n", counted, m.start())
        counted = m.start()
        i = line_no
        if i < after:
            continue
        line = lines[i]
        f = _FENCE.match(line)
        if fence:
            if f and f.group(2)[0] == fence[0] and len(f.group(2)) >= len(fence) \
                    and not f.group(3).strip():
                fence, after = "", i + 1
                if math_from >= 0:
                    inner = "\n".join(lines[math_from + 1 : i]).strip()
                    if inner.startswith("$$") and inner.endswith("$$") and len(inner) > 3:
                        inner = inner[2:-2]  # 小书匠 writes ```mathjax! / $$ / … / $$ / ```
                    found.append(MathBlock(math_from, i, inner))
                    blank.extend(range(math_from, i + 1))
                    math_from = -1
            continue
        if f:
            if not (f.group(2)[0] == "`" and "`" in f.group(3)):
                fence = f.group(2)
                if _MATH_FENCE.fullmatch(f.group(3).strip()):
                    math_from = i
            continue
        body = line.lstrip(" \t")
        lead = len(line) - len(body)
        indent = len(line[:lead].expandtabs(4))  # columns: notes indent list items with tabs
        if not (indent < 4 or _in_item(lines, i, indent)):
            continue
        end = _display_end(lines, i)
        if end is None:
            continue
        last, column = end
        if _in_paragraph(lines, i, after) and not (
                (_spans_blank_line(lines, i, last) or _breaks_inline(lines, i, last))
                and not _closes_inline(lines, i, after)):
            continue
        start = lead + 2
        if last == i:
            latex = line[start:column]
        else:
            latex = "\n".join([line[start:], *lines[i + 1 : last], lines[last][:column]])
        found.append(MathBlock(i, last, latex))
        blank.extend(range(i, last + 1))
        after = last + 1
    if not blank:
        return Prepared(text, front, ())
    out = list(lines)
    for k in blank:
        out[k] = " " * len(lines[k].encode("utf-8"))  # byte offsets must not move
    return Prepared("\n".join(out), front, tuple(found))


def _spans_blank_line(lines: list[str], first: int, last: int) -> bool:
    """A bare ``$$`` line right under a paragraph whose formula has blank lines in it (Typora
    writes ``$$`` / ``\\begin{equation}`` / blank / formula / blank …): read inline, the paragraph
    would end at the blank line and the math never close; it is a display block."""
    return lines[first].strip() == "$$" and any(
        not lines[k].strip() for k in range(first + 1, last))


# Lines Markdown reads as block structure even inside a paragraph: a setext underline ("=" or
# "-" alone), a list item ("- \\frac{y}{a}"), a heading, a quote or a fence.
_BLOCK_LINE = lazy_pattern(r"^ {0,3}(?:=+|-+|[-*+][ \t]|\d{1,9}[.)][ \t]|#{1,6}[ \t]|>|```|~~~)")


def _breaks_inline(lines: list[str], first: int, last: int) -> bool:
    """A bare ``$$`` line right under a paragraph whose formula has a line Markdown would read
    as a heading underline or a list item (Obsidian notes write ``$$`` / ``\\frac{∂C}{∂a}`` /
    ``=`` / ``- \\frac{y}{a}`` / ``$$``): read inline, the paragraph would break there and
    the math never close; it is a display block."""
    return lines[first].strip() == "$$" and any(
        _BLOCK_LINE.match(lines[k]) for k in range(first + 1, last))


def _closes_inline(lines: list[str], i: int, after: int) -> bool:
    """Whether the ``$$`` on line ``i`` closes one opened earlier in its paragraph."""
    k = i
    while k > after and lines[k - 1].strip():
        k -= 1
    return "\n".join(lines[k:i]).replace("\\$", "").count("$$") % 2 == 1


def _in_paragraph(lines: list[str], i: int, after: int) -> bool:
    """Whether line ``i`` would continue a paragraph (a ``$$`` there is inline math)."""
    if i <= after:
        return False  # right after front matter, a fence or another block
    prev = lines[i - 1]
    if _EMPTY_ITEM.match(prev):
        # An empty list item cannot interrupt a paragraph: it continues one, or opens a list
        # that the unindented line after it closes.
        return _in_paragraph(lines, i - 1, after)
    if not _opens_paragraph(prev):
        return False
    expanded = prev.expandtabs(4)
    if len(expanded) - len(expanded.lstrip()) >= 4 and not _in_item(lines, i - 1, 4):
        # indented code, unless it continues a paragraph itself
        return _in_paragraph(lines, i - 1, after)
    return True


# Lines after which no paragraph is open: ATX headings and thematic breaks (a setext underline
# ends its paragraph too), and quote or list markers with nothing after them.
_ENDS_PARAGRAPH = lazy_pattern(r"^ {0,3}(?:#{1,6}(?:[ \t]|$)|(?:[-*_=][ \t]*){3,}$|=+[ \t]*$)")
_MARKERS = lazy_pattern(r"^(?:[ \t]*(?:>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)))+[ \t]*")


def _opens_paragraph(line: str) -> bool:
    markers = _MARKERS.match(line)
    rest = line[markers.end() :] if markers else line
    return bool(rest.strip()) and not _ENDS_PARAGRAPH.match(rest)


_ITEM = lazy_pattern(r"^\s*(?:[-*+]|\d{1,9}[.)])(?:\s|$)")
_EMPTY_ITEM = lazy_pattern(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]*$")


def _columns(line: str) -> int:
    """How far a line is indented, in columns (a tab to the next multiple of 4)."""
    return len(line[: len(line) - len(line.lstrip(" \t"))].expandtabs(4))


def _in_item(lines: list[str], i: int, indent: int) -> bool:
    """Whether an indented line belongs to a list item above it (not to an indented code
    block): the nearest line above that is less indented opens an item."""
    for j in range(i - 1, -1, -1):
        above = lines[j]
        if not above.strip():
            continue
        if _columns(above) < indent:
            return bool(_ITEM.match(above))
    return False


def escaped(src: bytes | str, pos: int) -> bool:
    """Whether the byte (or character) at ``pos`` follows an odd number of backslashes."""
    backslash: int | str = 0x5C if isinstance(src, bytes) else "\\"
    n = 0
    while pos - n - 1 >= 0 and src[pos - n - 1] == backslash:
        n += 1
    return n % 2 == 1


_SPACE = (0x20, 0x09, 0x0A)


def _digit(b: int) -> bool:
    return 0x30 <= b <= 0x39


# The inline rules work on the note's UTF-8 bytes, where pulldown-cmark's ranges are: every
# delimiter is ASCII, and no ASCII byte occurs inside a multi-byte character.


_LATEX_INSIDE = lazy_pattern(rb"\\[A-Za-z]+|[_^]\{?[A-Za-z0-9]")


def dollar_math(src: bytes, pos: int, end: int) -> tuple[int, str, bool] | None:
    """Inline ``$…$`` / ``$$…$$`` starting at ``src[pos]``: (end, LaTeX, display), pandoc's
    rule (no space after the opening ``$`` or before the closing one, no digit before the
    opening or after the closing one; an escaped ``\\$`` never counts). A control space
    before the closing ``$`` (``$\\ h_t\\ $``, as some notes pad their math) is LaTeX."""
    if pos + 1 >= end or src[pos + 1] in _SPACE:
        return None
    if pos > 0 and _digit(src[pos - 1]):
        return None
    if escaped(src, pos):
        return None
    double = src[pos + 1] == 0x24
    i = pos + (2 if double else 1)
    while True:
        close = src.find(b"$", i, end)
        if close < 0:
            return None
        if escaped(src, close):
            i = close + 1
            continue
        if double:
            if close + 1 >= end:
                return None
            if src[close + 1] != 0x24:
                i = close + 1
                continue
            close += 1
        break
    if src[close - 1] in _SPACE and not (src[close - 1] == 0x20 and escaped(src, close - 1)) \
            and not (src[close - 1] == 0x20 and _LATEX_INSIDE.search(src, pos + 1, close)):
        # "\\ $" ends in a LaTeX control space; "$x_{T} \\sim N(0, I) $" is padded LaTeX.
        # A price ("$5 和 $10") has neither and stays text.
        return None
    if close + 1 < end and _digit(src[close + 1]):
        return None
    latex = src[pos + 2 : close - 1] if double else src[pos + 1 : close]
    if not latex:
        return None
    return close + 1, latex.decode("utf-8", "replace"), double


def bracket_math(src: bytes, pos: int, end: int) -> tuple[int, str, bool] | None:
    """``\\( … \\)`` / ``\\[ … \\]`` starting at ``src[pos]``: (end, LaTeX, display)."""
    if src[pos] != 0x5C or pos + 1 >= end or src[pos + 1] not in b"([" or escaped(src, pos):
        return None
    closer = b"\\)" if src[pos + 1] == 0x28 else b"\\]"
    # A second opener before the closer means this one was never closed (a formula cut off
    # mid-way); taking the next formula's closer would swallow the prose in between. So the
    # closer is looked for only up to the next opener: each byte is scanned about once, where
    # searching to the end for every opener took hours on a note of openers alone.
    following = src.find(src[pos : pos + 2], pos + 2, end)
    close = src.find(closer, pos + 2, following if following >= 0 else end)
    if close < 0:
        return None
    content = src[pos + 2 : close].decode("utf-8", "replace")
    if not looks_like_math(content):
        return None
    if closer == b"\\]" and content.strip().isdigit():
        return None  # `\\[1\\]` is an escaped reference mark, not a display formula
    return close + 2, content, closer == b"\\]"
