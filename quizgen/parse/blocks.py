"""A note's Markdown → blocks of text with math placeholders and source lines.

The extractors (definitions, formulas, legends) work on :class:`Block` values: the inline text
of one paragraph, list item or heading, in which every formula is replaced by a placeholder
``\\ue000N\\ue001`` so that prose patterns can never match inside math, and ``**strong**`` /
``*em*`` kept as markers because notes use them to mark terms.

Blocks are made in one pass over pulldown-cmark's events (:mod:`quizgen.parse.markdown`),
whose byte ranges locate every piece in the note; text is taken from the note itself at those
ranges (so entities and HTML stay as written), and math from the rules of the markdown module.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from quizgen.parse.markdown import bracket_math, dollar_math, parser, prepare
from quizgen.patterns import lazy_pattern

if TYPE_CHECKING:
    from pyromark.event import Range

PH_OPEN, PH_CLOSE = "\ue000", "\ue001"
PLACEHOLDER = lazy_pattern(f"{PH_OPEN}(\\d+){PH_CLOSE}")


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
    level: int = 0  # heading level; for a list item, how deep its list is nested (1: top)
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


@dataclass(frozen=True)
class Document:
    """A parsed note: its front matter (``None`` when it has none) and its blocks in order."""

    front_matter: str | None
    blocks: tuple[Block, ...]


Event = tuple[Any, "Range"]  # (pulldown-cmark event, {"start", "end"} byte range)

_HEADING_LEVEL = {"H1": 1, "H2": 2, "H3": 3, "H4": 4, "H5": 5, "H6": 6}
_SAFE_DATA = lazy_pattern(r"^data:image/(?:gif|png|jpeg|webp);", re.I)
_BAD_PROTOCOL = lazy_pattern(r"^(?:vbscript|javascript|file|data):", re.I)
# URL characters kept as they are (markdown-it's normalizeLink: everything else is
# percent-encoded, and existing %XX escapes are kept).
_URL_KEEP = frozenset(b";/?:@&=+$,-_.!~*'()#"
                      b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def _normalize_url(url: str) -> str:
    out: list[str] = []
    data = url.encode("utf-8")
    i = 0
    while i < len(data):
        b = data[i]
        if b == 0x25 and re.match(rb"%[0-9a-fA-F]{2}", data[i : i + 3]):
            out.append(data[i : i + 3].decode())
            i += 3
            continue
        out.append(chr(b) if b in _URL_KEEP else f"%{b:02X}")
        i += 1
    return "".join(out)


class _Source:
    """The note's bytes and where its lines start."""

    def __init__(self, text: str) -> None:
        self.data = text.encode("utf-8")
        self.starts = [0] + [m.end() for m in re.finditer(b"\n", self.data)]

    def line(self, pos: int) -> int:
        """1-based line of byte offset ``pos``."""
        return bisect_right(self.starts, pos)

    def text(self, a: int, b: int) -> str:
        return self.data[a:b].decode("utf-8", "replace")


# Inline events, reduced to (kind, start, end, payload) once: the walk below runs ~80 times per
# note, so it compares small ints instead of inspecting pulldown-cmark's dicts again.
_TEXT, _SOFT, _HARD, _CODE, _RAW, _STRONG, _EM, _IMAGE, _IMAGE_END, _AUTOLINK, _OTHER = range(11)
Inline = tuple[int, int, int, Any]


_CODE_MATH = lazy_pattern(rb"`+(!?)\$([^$`]+)\$`+$")
_GITLAB_MATH = lazy_pattern(r"`+([^`]+)`+")


def _math_spans(data: bytes, items: list[Inline], lo: int, hi: int
                ) -> list[tuple[int, int, str, bool, str]]:
    """Inline formulas of one block, left to right: (start, end, LaTeX, display, markup).

    A formula opens only in text (never in code, HTML, an image's alt text or a link's
    address); it may close anywhere before the block ends, as in markdown-it."""
    out: list[tuple[int, int, str, bool, str]] = []
    done = lo
    in_image = False
    for kind, a, b, _ in items:
        if kind == _CODE and not in_image and a >= done:
            code = _CODE_MATH.match(data, a, b)
            if code:  # `!$…$` (the 小书匠 editor's inline math) and `$…$`: math in a code span
                out.append((a, b, code.group(2).decode("utf-8", "replace"), False,
                            "`" + code.group(1).decode() + "$"))
                done = b
            continue
        if kind != _TEXT or in_image:
            if kind in (_IMAGE, _IMAGE_END):
                in_image = kind == _IMAGE
            continue
        if a > 0 and data[a - 1] == 0x5C:
            a -= 1  # the backslash of an escape (`\(`) is in no event
        pos = a if a > done else done
        while pos < b:
            dollar = data.find(b"$", pos, b)
            slash = data.find(b"\\", pos, b)
            if dollar < 0 and slash < 0:
                break
            at = dollar if slash < 0 or 0 <= dollar < slash else slash
            if data[at] == 0x24:
                found = dollar_math(data, at, hi)
                markup = "$$" if found and found[2] else "$"
            else:
                found = bracket_math(data, at, hi)
                markup = "\\[" if found and found[2] else "\\("
            if found is None:
                pos = at + (2 if data[at] == 0x5C else 1)
                continue
            end, latex, display = found
            gitlab = _GITLAB_MATH.fullmatch(latex) if not display else None
            if gitlab:  # $`…`$: GitLab's and GitHub's inline math
                latex, markup = gitlab.group(1), "$`"
            out.append((at, end, latex, display, markup))
            done = pos = end
    return out


def _strip_container_indent(raw: str) -> str:
    """A list item's or quote's source without the indentation of its continuation lines."""
    if "\n" not in raw:
        return raw
    lines = raw.split("\n")
    return "\n".join([lines[0], *(line.lstrip(" \t>") for line in lines[1:])])


_QUOTE_MARK = lazy_pattern(r"(?<=\n)[ \t]*>[ \t]?")


def _unquoted(latex: str) -> str:
    """A formula in a quote (``> $$`` / ``> \\begin{align}`` / ``> $$``) without the quote
    markers of its continuation lines, which are Markdown, not math."""
    if "\n" not in latex:
        return latex
    lines = latex.split("\n")[1:]
    if not all(re.match(r"[ \t]*>", line) or not line.strip() for line in lines):
        return latex
    return _QUOTE_MARK.sub("", latex)


def _leaf(src: _Source, kind: str, level: int, items: list[Inline], start: int,
          nested: bool) -> Block:
    """One block from the inline events of a paragraph, heading or list item."""
    data = src.data
    line = src.line(start)
    if not items:
        return Block(kind, "", (), line, (), level, (), "")
    lo = items[0][1]
    if lo > 0 and data[lo - 1] == 0x5C:
        lo -= 1
    hi = max(it[2] for it in items)
    raw = data[lo:hi].decode("utf-8", "replace")
    if nested:
        raw = _strip_container_indent(raw)
    spans = (_math_spans(data, items, lo, hi)
             if data.find(b"$", lo, hi) >= 0 or data.find(b"\\", lo, hi) >= 0 else [])
    if nested and spans:
        spans = [(a, b, _unquoted(latex), d, m) for a, b, latex, d, m in spans]
    if not spans and all(it[0] == _TEXT for it in items):
        text = raw if len(items) == 1 and lo == items[0][1] and not nested else "".join(
            data[a:b].decode("utf-8", "replace") for _, a, b, _ in items)
        return Block(kind, text, (), line, (), level, (), raw)
    parts: list[str] = []
    maths: list[MathSpan] = []
    images: list[Image] = []
    breaks: list[int] = []
    size = 0
    inside = -1  # end of the last formula put in
    k = 0
    n_spans = len(spans)
    i = 0
    n = len(items)
    while i < n:
        what, a, b, value = items[i]
        i += 1
        if what == _TEXT:
            # Formulas open inside text (and may close in a later event).
            if a < inside:
                a = inside
            while a < b:
                nxt = spans[k][0] if k < n_spans else b
                if nxt >= b:
                    piece = data[a:b].decode("utf-8", "replace")
                    parts.append(piece)
                    size += len(piece)
                    break
                if nxt > a:
                    piece = data[a:nxt].decode("utf-8", "replace")
                    parts.append(piece)
                    size += len(piece)
                while k < n_spans and spans[k][0] <= nxt:
                    size = _put_formula(spans[k], src, parts, maths, breaks, size)
                    inside = spans[k][1]
                    k += 1
                a = max(a, inside)
            continue
        pos = a
        while k < n_spans and spans[k][0] <= pos:
            size = _put_formula(spans[k], src, parts, maths, breaks, size)
            inside = spans[k][1]
            k += 1
        if pos < inside:
            continue
        piece = ""
        if what in (_SOFT, _HARD):
            # Spaces before a line end are dropped (a backslash break keeps them).
            if parts and parts[-1].endswith(" ") and (what == _SOFT or data[a] == 0x20):
                kept = parts[-1].rstrip(" ")
                size -= len(parts[-1]) - len(kept)
                parts[-1] = kept
            parts.append("\n")
            size += 1
            breaks.append(size)
            continue
        if what == _CODE:
            piece = f"`{value}`"
        elif what == _RAW:
            piece = data[a:b].decode("utf-8", "replace")
        elif what == _STRONG:
            piece = "**"
        elif what == _EM:
            piece = "*"
        elif what == _IMAGE:
            depth, j, alt_end = 1, i, a + 2
            while j < n and depth:
                if items[j][0] == _IMAGE:
                    depth += 1
                elif items[j][0] == _IMAGE_END:
                    depth -= 1
                    if not depth:
                        break
                alt_end = max(alt_end, items[j][2])
                j += 1
            end = items[j][2] if j < n else hi
            # The alt text as written (markdown-it's image token content).
            label_end = data.find(b"]", alt_end, end)
            alt = src.text(a + 2, label_end if label_end >= 0 else alt_end)
            piece = _image(src, value, a, end, alt, images)
            i = j + 1
        elif what == _AUTOLINK:
            piece = data[a:b].decode("utf-8", "replace")  # `<http://…>` is text to us
            while i < n and not (items[i][0] == _OTHER and items[i][3] == "LinkEnd"):
                i += 1
            i += 1
        if piece:
            parts.append(piece)
            size += len(piece)
    while k < n_spans:
        size = _put_formula(spans[k], src, parts, maths, breaks, size)
        k += 1
    return Block(kind, "".join(parts), tuple(maths), line, tuple(breaks), level,
                 tuple(images), raw)


def _put_formula(span: tuple[int, int, str, bool, str], src: _Source, parts: list[str],
                 maths: list[MathSpan], breaks: list[int], size: int) -> int:
    a, _, latex, display, markup = span
    maths.append(MathSpan(latex, display, src.line(a), markup))
    piece = f"{PH_OPEN}{len(maths) - 1}{PH_CLOSE}"
    parts.append(piece)
    size += len(piece)
    breaks.extend([size] * latex.count("\n"))
    return size


def _image(src: _Source, image: dict[str, Any], start: int, end: int, alt: str,
           images: list[Image]) -> str:
    url = str(image.get("dest_url", ""))
    if _BAD_PROTOCOL.match(url.strip()) and not _SAFE_DATA.match(url.strip()):
        return src.text(start, end)  # not an image to markdown: text as written
    url = _normalize_url(url)
    images.append(Image(url, src.line(start)))
    return f"![{alt}]({url})"


_BLOCK_TAGS = frozenset({"Paragraph", "Heading", "BlockQuote", "CodeBlock", "List", "Item",
                         "HtmlBlock", "Table", "FootnoteDefinition", "MetadataBlock",
                         "DefinitionList", "DefinitionListTitle", "DefinitionListDefinition"})
_INLINE_START = {"Strong": _STRONG, "Emphasis": _EM, "Image": _IMAGE, "Link": _OTHER}
_INLINE_END = {"Strong": _STRONG, "Emphasis": _EM, "Image": _IMAGE_END, "Link": _OTHER}
_LEAF_EVENTS = {"Code": _CODE, "InlineHtml": _RAW, "Html": _RAW, "InlineMath": _RAW,
                "DisplayMath": _RAW}


def _walk(src: _Source, events: Iterable[Event]) -> Iterator[Block]:
    items: list[Inline] = []
    leaf: tuple[str, int, int] | None = None  # (kind, heading level, start byte)
    in_item = quote = 0
    skip_until = ""  # the end tag of a code or HTML block being passed over
    skipped_from = 0
    append = items.append

    for ev, r in events:
        if skip_until:
            if type(ev) is dict and ev.get("End") == skip_until:
                if skip_until == "HtmlBlock":
                    yield from _html_block(src, skipped_from, r["end"])
                skip_until = ""
            continue
        if type(ev) is str:
            if ev == "Rule":
                continue
            item: Inline = (_SOFT if ev == "SoftBreak" else _HARD, r["start"], r["end"], None)
        elif "Text" in ev:
            item = (_TEXT, r["start"], r["end"], None)
        else:
            opening = ev.get("Start")
            value = opening if opening is not None else ev.get("End")
            if value is None:
                (name, payload), = ev.items()
                item = (_LEAF_EVENTS.get(name, _OTHER), r["start"], r["end"], payload)
            else:
                tag = value if type(value) is str else next(iter(value))
                if tag in _BLOCK_TAGS:
                    # Any block ends the text of a tight list item (and a leaf, its tag).
                    if leaf is not None:
                        kind, level, start = leaf
                        yield _leaf(src, kind, level, items, start, bool(in_item or quote))
                        leaf = None
                        items = []
                        append = items.append
                    if opening is None:
                        if tag == "Item":
                            in_item -= 1
                        elif tag == "BlockQuote":
                            quote -= 1
                    elif tag == "Paragraph":
                        leaf = ("item" if in_item else "para", in_item, r["start"])
                    elif tag == "Heading":
                        leaf = ("heading", _HEADING_LEVEL[value["Heading"]["level"]],
                                r["start"])
                    elif tag == "Item":
                        in_item += 1
                    elif tag == "BlockQuote":
                        quote += 1
                    elif tag in ("CodeBlock", "HtmlBlock", "MetadataBlock"):
                        skip_until, skipped_from = tag, r["start"]
                    continue
                if opening is not None:
                    what = _INLINE_START.get(tag, _OTHER)
                    if tag == "Link" and value["Link"]["link_type"] in ("Autolink", "Email"):
                        what = _AUTOLINK
                    payload = value.get("Image") if tag == "Image" else tag
                    item = (what, r["start"], r["end"], payload)
                else:  # placed at its closing delimiter
                    what = _INLINE_END.get(tag, _OTHER)
                    payload = "LinkEnd" if tag == "Link" else tag
                    item = (what, r["end"] - 1, r["end"], payload)
        if leaf is None:
            leaf = ("item" if in_item else "para", in_item, r["start"])  # a tight list item's text
        append(item)
    if leaf is not None:
        kind, level, start = leaf
        yield _leaf(src, kind, level, items, start, bool(in_item or quote))


def _html_block(src: _Source, start: int, end: int) -> Iterator[Block]:
    """HTML is text to us: an HTML block is read as the paragraph(s) it would be without
    HTML (its first ``<`` escaped), at its place in the note."""
    shift = src.line(start) - 1
    text = "\\" + src.text(start, end)
    for block in blocks(text):
        yield replace(
            block, line=block.line + shift,
            maths=tuple(replace(m, line=m.line + shift) for m in block.maths),
            images=tuple(replace(i, line=i.line + shift) for i in block.images),
            raw=block.raw[1:] if block.line == 1 and block.raw.startswith("\\") else block.raw)


def read_blocks(text: str) -> Document:
    """Parse one note's text into its front matter and blocks."""
    prepared = prepare(text)
    src = _Source(text)
    found = list(_walk(src, parser().events_with_range(prepared.text)))
    if prepared.blocks:
        for mb in prepared.blocks:
            span = MathSpan(mb.latex, True, mb.first + 1, "$$")
            found.append(Block("math", f"{PH_OPEN}0{PH_CLOSE}", (span,), mb.first + 1))
        found.sort(key=lambda b: b.line)
    return Document(prepared.front_matter, tuple(found))


def blocks(text: str) -> list[Block]:
    """The blocks of a note's text, in source order (code and front matter skipped)."""
    return list(read_blocks(text).blocks)
