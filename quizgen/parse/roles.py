"""d2lbook markup (``:eqref:``, ``:numref:``, ``:label:``, ``:cite:`` …) and layout HTML out
of the text.

d2l-style notes mark cross-references and labels with Sphinx-like roles, and highlight words
tied to code with ``[** … **]``. None of that means anything to a student reading a card, so it
is taken out of the whole note before Markdown parsing, keeping readable words: a reference to
a labelled equation of the same note becomes "式 (N)" (N counts the note's labelled
equations), to a figure "图", to a section "前文"; citations and labels disappear. Line breaks
are kept, so every source line stays where it was.

The labels are returned too: a labelled equation that the text refers to is one the author
thought worth pointing back to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from quizgen.patterns import lazy_pattern
from quizgen.richtext import CJK
from quizgen.textrefs import EQ_REF, FIG_REF, OTHER_EQ_REF, SECTION_REF, TABLE_REF

_ROLE = lazy_pattern(r":(?P<role>[a-z_]+):(?:`(?P<arg>[^`\n]*)`)?")
# d2l highlights text tied to code as `[** … **]` and formulas as `(** $$…$$ **)`.
_STRONG_BRACKET = lazy_pattern(r"\[\*\*(?P<inner>.{1,400}?)\*\*\]|\(\*\*(?P<paren>.{1,400}?)\*\*\)",
                               re.S)
# Layout HTML that blog notes carry (`<div align=center><img …></div>`, `<!--more-->`): never
# content. Only these tag names, with attribute syntax, so `p(x<a, y>b)` in math stays.
_HTML = lazy_pattern(
    r"<!--.*?-->|</?(?:div|img|br|span|center|p|font|u|details|summary|hr|figure|figcaption|"
    r"video|iframe|table|thead|tbody|tr|td|th|a|sup|sub|small|big|b|i|strong|em)"
    r"(?:\s+[A-Za-z_:][-A-Za-z0-9_:.]*(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'<>]+))?)*\s*/?>",
    re.I | re.S,
)
# A figure's caption (`<div class="caption">FM特征数据结构：…</div>`, `<figcaption>`) speaks of a
# picture the cards do not show: dropped with its text, its lines kept.
_CAPTION = lazy_pattern(
    r"<(?P<tag>div|p|span)\s[^<>]*class\s*=\s*[\"']?[^\"'<>]*caption[^<>]*>.*?</(?P=tag)\s*>"
    r"|<figcaption\b[^<>]*>.*?</figcaption\s*>",
    re.I | re.S,
)
# Obsidian's wiki links: "[[分类器#判别分类器]]" reads as 判别分类器, "[[page|shown]]" as
# "shown", "[[page]]" as "page"; an embed ("![[figure.png]]") shows nothing a card can.
_WIKI = lazy_pattern(
    r"(?P<embed>!)?\[\[(?P<page>[^\[\]|#\n$\\]*)(?:#(?P<part>[^\[\]|\n$\\]*))?"
    r"(?:\|(?P<shown>[^\[\]\n$\\]*))?\]\]"
)


def _wiki_text(m: re.Match[str]) -> str:
    if m.group("embed"):
        return ""
    text = m.group("shown") or m.group("part") or m.group("page")
    return text.split("^")[0].strip()


# Obsidian's other marks: a comment (%%…%%, shown to no one), a highlight (==text==, the text),
# a footnote reference ([^1]) and an inline tag (#机器学习), neither of which a card can use.
_COMMENT = lazy_pattern(r"[ \t]?%%.*?%%", re.S)
_HIGHLIGHT = lazy_pattern(r"==(?=[^=\s])([^=\n$\\]{1,200}?)(?<=[^=\s])==")
_FOOTNOTE = lazy_pattern(r"^\[\^[^\]\s]{1,30}\]:[^\n]*|\[\^[^\]\s]{1,30}\]", re.M)
_TAG = lazy_pattern(r"[ \t\u3000]#(?=[^\s#\d])[\w/\-\u3400-\u9fff]+(?=[\s。，,.]|$)", re.M)


def _obsidian(text: str) -> str:
    if "%%" in text:
        text = _COMMENT.sub(lambda m: "\n" * m.group().count("\n"), text)
    if "==" in text:
        text = _HIGHLIGHT.sub(r"\1", text)
    if "[^" in text:
        text = _FOOTNOTE.sub("", text)
    if "#" in text:
        text = _TAG.sub("", text)
    return text


_DROP = {"label", "eqlabel", "cite", "citet", "citep", "width", "height", "begin_tab", "end_tab",
         "ref", "doc"}
_KNOWN = _DROP | {"eqref", "numref"}


@dataclass(frozen=True)
class Roles:
    """The note text without roles, and its equation labels."""

    text: str
    eqlabels: tuple[tuple[int, str], ...] = ()  # (1-based line, label) of each :eqlabel:
    referenced: frozenset[str] = frozenset()  # labels some :eqref: points at


def _language(text: str, pos: int) -> str:
    window = text[max(0, pos - 40) : pos + 40]
    return "zh" if CJK.search(window) else "en"


def strip_roles(text: str) -> Roles:
    """``text`` with d2lbook roles replaced by plain words (see the module doc)."""
    if "[[" in text:
        text = _WIKI.sub(_wiki_text, text)
    text = _obsidian(text)
    if "<" in text:
        text = _CAPTION.sub(lambda m: "\n" * m.group().count("\n"), text)
        text = _HTML.sub(lambda m: "\n" * m.group().count("\n"), text)
    if ":" not in text and "**" not in text:
        return Roles(text)
    labels: list[tuple[int, str]] = []
    for m in _ROLE.finditer(text):
        if m.group("role") == "eqlabel" and m.group("arg"):
            labels.append((text.count("\n", 0, m.start()) + 1, m.group("arg").strip()))
    number = {label: i + 1 for i, (_, label) in enumerate(labels)}
    referenced: set[str] = set()

    def put(m: re.Match[str]) -> str:
        role, arg = m.group("role"), (m.group("arg") or "").strip()
        if role not in _KNOWN or (m.group("arg") is None and role not in ("end_tab",)):
            return m.group(0)  # "ratio:1" and other colons in prose are not roles
        if role in _DROP:
            return ""
        lang = _language(text, m.start())
        if role == "eqref":
            first = arg.split(",")[0].strip()
            referenced.add(first)
            n = number.get(first)
            return EQ_REF[lang].format(n=n) if n else OTHER_EQ_REF[lang]
        # numref: figures, tables and sections by their label's prefix.
        if arg.startswith("fig"):
            return FIG_REF[lang]
        if arg.startswith("tab"):
            return TABLE_REF[lang]
        return SECTION_REF[lang]

    out = _ROLE.sub(put, text)
    if "[**" in out or "(**" in out:
        out = _STRONG_BRACKET.sub(lambda m: m.group("inner") or m.group("paren") or "", out)
    return Roles(out, tuple(labels), frozenset(referenced))
