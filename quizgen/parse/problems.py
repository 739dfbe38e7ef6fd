"""Math that was opened and never closed: reported with its line, the rest still parses."""

from __future__ import annotations

from quizgen.model import Problem
from quizgen.parse.blocks import Block
from quizgen.parse.markdown import escaped, looks_like_math
from quizgen.patterns import lazy_pattern

_LONE_DOLLAR = lazy_pattern(r"(?<![\\$\w])\$(?![\s\d$])")
_CODE = lazy_pattern(r"`[^`]*`")
_OPEN_DOLLARS = lazy_pattern(r"(?:^|(?<=\n))[ \t]*\$\$|\$\$(?=\S)")
_OPENERS = {"\\[": "\\]", "\\(": "\\)"}


def unclosed_math(block: Block, path: str) -> list[Problem]:
    """Problems for ``$$``, ``$``, ``\\[`` and ``\\(`` left open in one block.

    ``block.text`` has every recognised formula replaced, so a delimiter still in it was never
    closed; the block's source tells whether a ``\\[`` was math or an escaped bracket.
    """
    out: list[Problem] = []
    if "$" not in block.text and "\\" not in block.raw:
        return out
    text = _CODE.sub(lambda m: " " * len(m.group()), block.text)
    # `$$` opening a line, or glued to what follows, starts a formula; `多行的 $$ 块` in prose
    # (or in a heading) only mentions the delimiter.
    m = _OPEN_DOLLARS.search(text)
    pos = m.start() if m else -1
    if pos >= 0:
        out.append(Problem(path, block.line_at(pos), "unclosed $$: display math never ends"))
    else:
        lone = _LONE_DOLLAR.search(text.replace("$$", "  "))
        if lone and text.count("$") % 2 == 1:
            line = block.line_at(lone.start())
            out.append(Problem(path, line, "unclosed $: inline math never ends"))
    raw = _CODE.sub(lambda m: " " * len(m.group()), block.raw)
    for opener, closer in _OPENERS.items():
        start = raw.find(opener)
        while start >= 0:
            if escaped(raw, start):
                # "\\\\[6pt]": a row break with its spacing inside an aligned formula
                start = raw.find(opener, start + 2)
                continue
            close = raw.find(closer, start + 2)
            again = raw.find(opener, start + 2)
            unclosed = close < 0 or 0 <= again < close
            if unclosed and looks_like_math(raw[start + 2 : start + 60]):
                line = block.line + raw.count("\n", 0, start)
                out.append(Problem(path, line, f"unclosed {opener}: math never ends"))
                break
            start = raw.find(opener, start + 2)
    return out
