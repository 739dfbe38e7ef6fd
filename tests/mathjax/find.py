"""The formulas MathJax finds in a page of HTML, found the way MathJax 3 finds them.

A port of mathjax-full 3.2.2's ``HTMLDomStrings`` (which text MathJax reads: entities decoded
as a browser decodes them, every element boundary ends a string except ``<br>`` (a newline),
``<wbr>`` and comments, ``<code>``/``<pre>``/… skipped) and ``FindTeX`` with Anki's settings
(``\\( \\)`` inline, ``\\[ \\]`` display, no ``$``, no bare environments or ``\\ref``). A
closing delimiter counts only outside braces, and a backslash escapes the next character.
``test_find.py`` holds this to MathJax's own finder on every rendered card of the corpus.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_SKIP = frozenset({"script", "noscript", "style", "textarea", "pre", "code", "annotation",
                   "annotation-xml"})
_INCLUDE = {"br": "\n", "wbr": ""}  # and comments, as ""
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "param", "source", "track", "wbr"})
_IGNORE = re.compile(r"(?:^| )(?:mathjax_ignore)(?: |$)")
_PROCESS = re.compile(r"(?:^| )(?:mathjax_process)(?: |$)")

_START = re.compile(r"\\\(|\\\[")
# What can come before a closing delimiter: a control word or escaped character (JS "." stops
# at line terminators), or a brace that changes the depth.
_TOKEN = r"|\\(?:[a-zA-Z]|[^\n\r\u2028\u2029])|[{}]"
_END = {
    "\\(": ("\\)", False, re.compile(r"\\\)" + _TOKEN)),
    "\\[": ("\\]", True, re.compile(r"\\\]" + _TOKEN)),
}


class _Strings(HTMLParser):
    """Collects the strings MathJax searches for math (``HTMLDomStrings.find``)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.strings: list[str] = []
        self._text: list[str] = []
        # Open elements: (tag, skipped, ignore in force inside it).
        self._open: list[tuple[str, bool, bool]] = []

    @property
    def _skipping(self) -> bool:
        return bool(self._open) and self._open[-1][1]

    @property
    def _ignoring(self) -> bool:
        return bool(self._open) and self._open[-1][2]

    def _push(self) -> None:
        text = "".join(self._text)
        if text.strip():  # JS /\S/
            self.strings.append(text)
        self._text = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skipping:
            if tag not in _VOID:
                self._open.append((tag, True, True))
            return
        if tag in _INCLUDE:
            if not self._ignoring:
                self._text.append(_INCLUDE[tag])
            return
        self._push()
        if tag in _VOID:
            return
        cls = next((v or "" for k, v in attrs if k == "class"), "")
        process = bool(_PROCESS.search(cls))
        skipped = (tag in _SKIP and not process) or any(k == "data-mjx" for k, _ in attrs)
        ignore = (self._ignoring or bool(_IGNORE.search(cls))) and not process
        self._open.append((tag, skipped, ignore))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self._open and self._open[-1][0] == tag:
            self._open.pop()
            if not self._skipping:
                self._push()

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        for depth in range(len(self._open) - 1, -1, -1):
            if self._open[depth][0] == tag:
                del self._open[depth:]
                break
        else:
            return  # a stray end tag: browsers drop it
        if not self._skipping:
            self._push()

    def handle_data(self, data: str) -> None:
        if not self._skipping and not self._ignoring:
            self._text.append(data)

    def handle_decl(self, decl: str) -> None:
        self._push()

    def handle_pi(self, data: str) -> None:
        self._push()

    def close(self) -> None:
        super().close()
        self._push()


def _math_in_string(text: str) -> list[tuple[str, bool]]:
    found: list[tuple[str, bool]] = []
    pos = 0
    while start := _START.search(text, pos):
        close, display, pattern = _END[start.group()]
        pos = start.end()
        braces = 0
        for token in pattern.finditer(text, pos):
            t = token.group()
            if t == close and braces == 0:
                found.append((text[start.end():token.start()], display))
                pos = token.end()
                break
            if t == "{":
                braces += 1
            elif t == "}" and braces:
                braces -= 1
    return found


def math_in_html(html: str) -> list[tuple[str, bool]]:
    """Every formula MathJax would typeset in ``html`` (a field or a rendered card side), as
    ``(tex, display)`` in page order, with the text as MathJax reads it (entities decoded)."""
    parser = _Strings()
    parser.feed(html)
    parser.close()
    return [m for s in parser.strings for m in _math_in_string(s)]
