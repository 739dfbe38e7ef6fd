"""The Markdown reader: markdown-it-py with front matter, ``$`` math and a ``\\( \\[`` rule.

mdit-py-plugins' texmath rule loses source lines for ``\\[ … \\]`` and cannot tell the
``\\[解析\\]`` escapes of real notes from math, so bracket math is read by a small rule of our
own, placed before CommonMark's ``escape`` rule.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
_TEXT_CMD = re.compile(r"\\(?:text|mathrm|textrm|mbox|operatorname)\s*\{[^{}]*\}")
_MATHY = re.compile(r"\\[A-Za-z]+|[\^_=+<>{}]|^\s*[A-Za-z0-9 ,.;()|'-]+\s*$")


def looks_like_math(content: str) -> bool:
    """Whether the text between ``\\[ \\]`` / ``\\( \\)`` is math rather than escaped brackets.

    ``\\[解析\\]`` (CJK prose, no operators) is an escaped ``[解析]``; ``\\(X\\)`` and
    ``\\(\\text{中文}\\)`` are math.
    """
    stripped = content.strip()
    if not stripped:
        return False
    if not _CJK.search(_TEXT_CMD.sub("", stripped)):
        return True
    return bool(_MATHY.search(stripped)) and not _CJK.match(stripped)


def _bracket_math(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if src[pos] != "\\" or pos + 1 >= state.posMax or src[pos + 1] not in "([":
        return False
    closer = "\\)" if src[pos + 1] == "(" else "\\]"
    # A second opener before the closer means this one was never closed (a formula cut off
    # mid-way); taking the next formula's closer would swallow the prose in between. So the
    # closer is looked for only up to the next opener: each character is scanned about once,
    # where searching to the end for every opener took hours on a note of openers alone.
    following = src.find(src[pos : pos + 2], pos + 2, state.posMax)
    end = src.find(closer, pos + 2, following if following >= 0 else state.posMax)
    if end < 0:
        return False
    content = src[pos + 2 : end]
    if not looks_like_math(content):
        return False
    if closer == "\\]" and content.strip().isdigit():
        return False  # `\[1\]` is an escaped reference mark, not a display formula
    if not silent:
        display = closer == "\\]"
        token = state.push("math_inline_double" if display else "math_inline", "math", 0)
        token.content = content
        token.markup = "\\[" if display else "\\("
    state.pos = end + 2
    return True


@lru_cache(maxsize=1)
def markdown() -> MarkdownIt:
    """The shared parser instance (building one costs more than parsing a small note)."""
    md = (
        MarkdownIt("commonmark")
        .use(front_matter_plugin)
        # Pandoc's rule (no space after the opening `$`, no digit after the closing one) keeps
        # `价格 $5 和 $10` as text; `$$…$$` inside a paragraph is display math.
        .use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True)
    )
    md.inline.ruler.before("escape", "bracket_math", _bracket_math)
    # Note HTML is text to us, never markup; the other rules find nothing the extractors use
    # and cost time on every note.
    md.disable(["html_block", "html_inline", "reference", "entity", "autolink", "linkify"],
               ignoreInvalid=True)
    return md
