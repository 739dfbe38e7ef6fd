"""Rich text (see :mod:`quizgen.model`) → the HTML of an Anki field.

Note text is untrusted and reaches a web view, so everything is escaped: raw HTML shows as
text, and ``{``/``}``/``[`` in prose become entities so that neither Anki's template and cloze
syntax (``{{…}}``) nor its sound tags (``[sound:…]``) can be smuggled in through a note.
Math is cut out before Markdown sees it (Markdown eats ``_``, ``*`` and ``\\(``), escaped for
HTML, kept on one line and put back between MathJax delimiters (``\\( \\)`` / ``\\[ \\]``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from quizgen.latex import group_end, one_line
from quizgen.model import Cloze
from quizgen.patterns import lazy_pattern
from quizgen.richtext import segments

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.renderer import RendererHTML
    from markdown_it.token import Token
    from markdown_it.utils import OptionsDict

ImageHook = Callable[[str, str], str]
"""(src as written, alt text) → HTML for the image (an ``<img>`` or the escaped alt text)."""

# Private-use code points mark where a formula was cut out (removed from the input first).
_OPEN, _CLOSE = "\ue000", "\ue001"
_SLOT = lazy_pattern(f"{_OPEN}(\\d+){_CLOSE}")
# Text without these characters is Markdown-free: every enabled rule starts at one of them.
_MARKDOWN_CHARS = frozenset("*_`!\\")
# What markdown-it does to such text (breaks on, no HTML): escape &<>" and turn each newline,
# with the spaces before it and the spaces and tabs after it, into "<br>\n".
_LINE_BREAK = lazy_pattern(r" *\n[ \t]*")
# A backslash left in prose (Markdown's "\\") must not meet a bracket: MathJax reads the text,
# entities decoded, and would start a formula at "\(" or "\[". A word joiner keeps them apart.
_PROSE_DELIMITER = lazy_pattern(r"\\(?=[()\[\]])")
_DOUBLE_BRACE = lazy_pattern(r"([{}])(?=\1)")
# \x1f separates fields in Anki's database; other control characters only cause trouble.
_CONTROL = lazy_pattern("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ue000\ue001]")


def _entities(text: str) -> str:
    """``{``, ``}`` and ``[`` as entities (chained ``replace``: several times faster than
    ``translate`` on the mostly non-ASCII text of notes)."""
    return text.replace("{", "&#123;").replace("}", "&#125;").replace("[", "&#91;")


def _escape(text: str, quote: bool) -> str:
    """``html.escape`` without the single quote, which markdown-it leaves alone too."""
    out = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return out.replace('"', "&quot;") if quote else out


def _image_rule(
    self: RendererHTML, tokens: list[Token], idx: int, options: OptionsDict, env: dict[str, Any]
) -> str:
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env)
    hook: ImageHook = env["image"]
    return hook(str(token.attrGet("src") or ""), alt)


@cache
def _markdown() -> MarkdownIt:
    """Inline Markdown only: emphasis, code, images, escapes and line breaks; no raw HTML."""
    from markdown_it import MarkdownIt  # (only text with Markdown in it needs the parser)

    md = MarkdownIt("zero", {"breaks": True, "html": False}).enable(
        ["emphasis", "backticks", "image", "escape", "newline"]
    )
    md.add_render_rule("image", _image_rule)
    return md


def no_image(src: str, alt: str) -> str:
    """An :data:`ImageHook` that shows the alt text instead of any image."""
    return html.escape(alt)


# MathJax commands that act on the page instead of typesetting: links, classes, ids, styles and
# data attributes (its html extension), loading extensions (\require), arbitrary MathML
# attributes (\mmlToken's options), CSS in \bbox options, fonts in \unicode options. This is
# what MathJax's ui/safe extension filters, done before the formula reaches a card.
_ACTIVE = lazy_pattern(r"\\(href|class|cssId|style|data|require|url|unicode|bbox|mmlToken)"
                       r"(?![A-Za-z])|\\.", re.S)
_REMOVED = "{}"
_OPTION_CHARS = 200
_ATTRIBUTE_ONLY = frozenset(("href", "class", "cssId", "style", "data", "require"))
_ELEMENT = lazy_pattern(r"\s*\{\s*[A-Za-z]+\s*\}")
_CODE_POINT = lazy_pattern(r"\s*(?:x[0-9A-Fa-f]{1,6}|[0-9]{1,7})\s*")
_BBOX_PART = lazy_pattern(r"\s*(?:#?[A-Za-z0-9]+|[0-9.]+\s*(?:pt|px|em|ex|mu|mm|cm|in)?)\s*")


def _skip_spaces(latex: str, pos: int) -> int:
    while pos < len(latex) and latex[pos].isspace():
        pos += 1
    return pos


def _group(latex: str, pos: int) -> int:
    """End of the ``{…}`` argument at ``pos`` (spaces before it allowed), else -1."""
    return group_end(latex, _skip_spaces(latex, pos))


def _option(latex: str, pos: int) -> int:
    """End of the ``[…]`` option at ``pos`` (spaces before it allowed; braces inside may hold
    ``]``), else -1. Options of these commands are short; one longer than
    :data:`_OPTION_CHARS` counts as never closed, so that a formula of openers stays linear."""
    i = _skip_spaces(latex, pos)
    if i >= len(latex) or latex[i] != "[":
        return -1
    depth = 0
    for j in range(i + 1, min(len(latex), i + _OPTION_CHARS)):
        c = latex[j]
        if c == "{" and latex[j - 1] != "\\":
            depth += 1
        elif c == "}" and latex[j - 1] != "\\":
            depth -= 1
        elif c == "]" and depth <= 0:
            return j + 1
    return -1


def _unclosed_option(latex: str, pos: int) -> bool:
    i = _skip_spaces(latex, pos)
    return i < len(latex) and latex[i] == "[" and _option(latex, i) < 0


def _inert(name: str, latex: str, pos: int) -> tuple[str, int]:
    """What ``\\name`` (its arguments start at ``pos``) becomes, and where the rest resumes.

    A removal leaves an empty group ``{}``: what stood before and after can neither join into
    a new command (``\\hr\\href{}ef`` must not become ``\\href``) nor become an argument of
    the command before it (``\\bbox\\href{}[background:url(…)]``). A command whose arguments
    are not well formed is removed (MathJax would only show an error for it)."""
    if name in _ATTRIBUTE_ONLY:  # the attribute value goes; the math it wraps stays
        end = _group(latex, pos)
        return _REMOVED, max(end, pos)
    if name == "url":  # the address shows as text, not as a link
        return "\\text", pos
    if name == "mmlToken":  # the element name stays, its attributes go
        kind = _group(latex, pos)
        if kind < 0 or _unclosed_option(latex, kind) or not _ELEMENT.fullmatch(latex[pos:kind]):
            return _REMOVED, pos
        opts = _option(latex, kind)
        return f"\\mmlToken{latex[pos:kind]}", max(opts, kind)
    options: list[str] = []
    while (end := _option(latex, pos)) > 0:
        options.append(latex[_skip_spaces(latex, pos) + 1 : end - 1])
        pos = end
    if _unclosed_option(latex, pos):
        return _REMOVED, pos
    if name == "bbox":  # colours and paddings only; a part with ':' is CSS
        kept = [p for o in options for p in o.split(",") if _BBOX_PART.fullmatch(p)]
        return "\\bbox" + (f"[{','.join(kept)}]" if kept else ""), pos
    end = _group(latex, pos)  # \\unicode: a code point, never a font or sizes
    if end > 0 and _CODE_POINT.fullmatch(latex[_skip_spaces(latex, pos) + 1 : end - 1]):
        return f"\\unicode{latex[pos:end]}", end
    return _REMOVED, max(end, pos)


def inert_math(latex: str) -> str:
    """``latex`` with the MathJax commands that could act on the page made harmless.

    Every occurrence is rewritten, wherever it stands (inside ``\\text``, as the body of a
    ``\\def`` or ``\\let``), so no macro can bring one back; the math they wrap is kept.
    """
    if "\\" not in latex:
        return latex
    out: list[str] = []
    pos = 0
    for m in _ACTIVE.finditer(latex):
        if m.start() < pos or m.group(1) is None:
            continue
        replacement, resume = _inert(m.group(1), latex, m.end())
        out.append(latex[pos : m.start()])
        out.append(replacement)
        pos = resume
    out.append(latex[pos:])
    return "".join(out)


@lru_cache(maxsize=8192)  # a formula is on several cards
def math_html(latex: str) -> str:
    """A formula's body for a field: made inert (:func:`inert_math`), on one line,
    HTML-escaped, no ``{{``/``}}`` left adjacent.

    A space between two braces changes nothing in TeX but keeps Anki from reading ``}}`` as the
    end of a cloze or ``{{`` as a field reference.
    """
    flat = _DOUBLE_BRACE.sub(r"\1 ", one_line(inert_math(_CONTROL.sub("", latex))))
    # Quotes too: a formula may end up inside an image's alt attribute.
    return html.escape(flat, quote=True)


def _wrap(latex: str, display: bool) -> str:
    body = math_html(latex)
    return f"\\[{body}\\]" if display else f"\\({body}\\)"


def _prose(text: str, image: ImageHook) -> str:
    if not _MARKDOWN_CHARS.intersection(text):
        flat = _escape(text.replace("\r\n", "\n").replace("\r", "\n"), quote=True)
        out = _LINE_BREAK.sub("<br>\n", flat)
    else:
        out = _PROSE_DELIMITER.sub("\\\u2060", _markdown().renderInline(text, {"image": image}))
    return _entities(out)


def render(rich: str, image: ImageHook = no_image) -> str:
    """Field HTML for rich text; never raises. ``image`` decides what each image becomes."""
    if "![" not in rich:
        # The same definition text shows up on several cards (definition, reverse, choice).
        return _render_no_images(rich)
    return _render(rich, image)


@lru_cache(maxsize=8192)
def _render_no_images(rich: str) -> str:
    return _render(rich, no_image)


def _render(rich: str, image: ImageHook) -> str:
    rich = _CONTROL.sub("", rich)
    formulas: list[str] = []
    parts: list[str] = []
    for seg in segments(rich):
        if seg.math:
            parts.append(f"{_OPEN}{len(formulas)}{_CLOSE}")
            formulas.append(_wrap(seg.text, seg.display))
        else:
            parts.append(seg.text)
    out = _prose("".join(parts).strip(), image)
    return _SLOT.sub(lambda m: formulas[int(m.group(1))], out)


@lru_cache(maxsize=4096)
def cloze_text(cz: Cloze) -> str:
    """A cloze field with the hidden part inside the MathJax formula.

    ``}}`` and ``::`` would end the cloze or start a hint, so both are split by a space (no
    change in TeX); the hidden part is never empty (the caller checks).
    """
    hidden = math_html(cz.hidden).replace("::", ": :")
    before, after = math_html(cz.before), math_html(cz.after)
    body = f"{before} {{{{c1:: {hidden} }}}} {after}".strip()
    return f"\\[{body}\\]" if cz.display else f"\\({body}\\)"


def plain(text: str) -> str:
    """Text that must show exactly as given (a source path, a letter), escaped like prose."""
    return _entities(_escape(_CONTROL.sub("", text), quote=False))
