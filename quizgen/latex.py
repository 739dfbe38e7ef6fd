"""LaTeX clean-up shared by every stage.

Notes copied from web pages carry look-alike code points, zero-width characters and functions
written without a backslash (``log``, ``max``). Cards show the author's formula with only the
bare function names made upright (:func:`upright_functions`); :func:`normalize` makes the copy
used for matching formulas to concepts.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable, Iterator
from functools import lru_cache

from quizgen.patterns import lazy_pattern

_ZERO_WIDTH = lazy_pattern("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# Look-alikes from PDF copy-paste: Kangxi radicals (⾮ for 非), CJK compatibility ideographs and
# math-italic letters (𝑝 for p). Only these are NFKC-folded in prose, so the author's full-width
# punctuation stays as written.
_LOOKALIKE = lazy_pattern("[\u2e80-\u2fdf\uf900-\ufaff\U0001d400-\U0001d7ff]")
_TAG = lazy_pattern(r"\\tag\*?\s*\{([^{}]*)\}")
_LABEL = lazy_pattern(r"\\label\s*\{[^{}]*\}|\\nonumber\b|\\notag\b")
# Function names written without a backslash; the look-arounds keep `margin`, `maximum`,
# `\max` and `\mathop{min}`-style words intact.
_BARE_FUNCS = lazy_pattern(
    r"(?<![\\A-Za-z{])(log|ln|exp|max|min|sin|cos|tanh|sup|inf|lim)(?![A-Za-z])"
)
_SPACES = lazy_pattern(r"\s+")


_SPACE_ENTITY = lazy_pattern(
    r"&(?:emsp|ensp|nbsp|thinsp|emsp13|emsp14|numsp|#160|#8194|#8195|#8201|#x[aA]0|#12288);")


def clean_text(text: str) -> str:
    """Fold look-alikes (``⾮`` → ``非``, ``𝑝`` → ``p``), drop zero-width characters, and read
    the HTML space entities notes indent with (``&emsp;&emsp;``) as spaces."""
    if "&" in text:
        text = _SPACE_ENTITY.sub(" ", text)
    if text.isascii():
        return text
    text = _ZERO_WIDTH.sub("", text)
    return _LOOKALIKE.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def split_tag(latex: str) -> tuple[str, str | None]:
    """Remove ``\\tag{..}`` (and ``\\label``) from a formula; return the formula and the tag."""
    if "\\tag" not in latex and "\\label" not in latex and "\\no" not in latex:
        return latex.strip(), None
    tag: str | None = None
    m = _TAG.search(latex)
    if m:
        tag = m.group(1).strip()
        latex = latex[: m.start()] + latex[m.end() :]
    return _LABEL.sub("", latex).strip(), tag


def normalize(latex: str) -> str:
    """The matching copy of a formula: NFKC, bare ``log``/``max``… as commands, spaces folded."""
    if not latex.isascii():
        latex = unicodedata.normalize("NFKC", _ZERO_WIDTH.sub("", latex))
    out = _BARE_FUNCS.sub(r"\\\1", latex)
    return _SPACES.sub(" ", out).strip()


_TEXT_GROUP = lazy_pattern(
    r"\\(?:text[a-z]*|mathrm|operatorname\*?|mbox|mathit|mathsf|mathtt)\s*(?=\{)"
)


def _outside_text(latex: str, fix: Callable[[str], str]) -> str:
    """``fix`` applied to ``latex`` except inside ``\\text{…}``-like groups (prose)."""
    out: list[str] = []
    at = 0
    for m in _TEXT_GROUP.finditer(latex):
        if m.start() < at:
            continue
        end = group_end(latex, m.end())
        if end < 0:
            break
        out.append(fix(latex[at : m.start()]))
        out.append(latex[m.start() : end])
        at = end
    out.append(fix(latex[at:]))
    return "".join(out)


def upright_functions(latex: str) -> str:
    """``p(x,y)log\\frac…`` as ``p(x,y)\\log\\frac…``: a function name written without its
    backslash renders as a product of italic letters. Words inside ``\\text{…}``-like groups are
    prose and stay as written."""
    if _BARE_FUNCS.search(latex) is None:
        return latex
    return _outside_text(latex, lambda part: _BARE_FUNCS.sub(r"\\\1", part))


# ``p\_{k}``, ``\sum\_{i}``, ``align\*``: notes written for a Markdown-first renderer escape ``_``
# and ``*`` so that Markdown does not read them as emphasis; in TeX ``\_`` is a literal "_".
_ESCAPED_SUBSCRIPT = lazy_pattern(r"(?<!\\)\\_(?=\s*[{\\A-Za-z0-9])")
# ...but between two words (``Gain\_ratio(D,a)``, a decision-tree note) it is the name's own "_",
# held as ``_KEPT`` while the others are undone.
_WORD_UNDERSCORE = lazy_pattern(r"(?<![\\A-Za-z])([A-Za-z]{2,})\\_(?=[A-Za-z]{2,})")
_KEPT = "\x00"
_ESCAPED_STAR = lazy_pattern(r"(?<!\\)\\\*")  # ``\begin{align\*}``, ``x^\*``


def markdown_escapes(latex: str) -> str:
    """Markdown's ``\\_`` and ``\\*`` in math as the ``_`` and ``*`` they stand for, outside
    text groups."""
    if "\\_" not in latex and "\\*" not in latex:
        return latex

    def unescape(part: str) -> str:
        part = _WORD_UNDERSCORE.sub(lambda m: m.group(1) + _KEPT, part)
        part = _ESCAPED_STAR.sub("*", _ESCAPED_SUBSCRIPT.sub("_", part))
        return part.replace(_KEPT, "\\_")

    return _outside_text(latex, unescape)


def digest(latex: str) -> str:
    """What a formula says, spacing ignored, as a short hash: two notes writing one formula
    give one digest."""
    said = _SPACING.sub("", latex)
    return hashlib.sha1(said.encode("utf-8")).hexdigest()[:12]


_SPACING = lazy_pattern(r"\s+")


def one_line(latex: str) -> str:
    """A formula on one line (Anki fields and JSON consumers want no raw newlines)."""
    return _SPACES.sub(" ", latex).strip()


def _braces(latex: str, start: int = 0) -> Iterator[tuple[int, int]]:
    """(position, +1 for ``{`` / -1 for ``}``) of every unescaped brace from ``start``."""
    i = start
    while i < len(latex):
        c = latex[i]
        if c == "\\":
            i += 2
            continue
        if c == "{":
            yield i, 1
        elif c == "}":
            yield i, -1
        i += 1


def group_end(latex: str, start: int) -> int:
    """Index just past the ``{…}`` group opening at ``latex[start]``; -1 when there is none or
    it never closes. Escaped braces (``\\{``) do not count.

    Constant time after one pass over ``latex`` (:func:`_group_ends`): callers ask for the
    groups of one formula again and again, and scanning each group anew made deeply nested
    formulas (``\\frac{\\frac{…``) quadratic.
    """
    if start >= len(latex) or latex[start] != "{":
        return -1
    end = _group_ends(latex).get(start)
    if end is not None:
        return end
    # ``start`` is escaped when the formula is read from its beginning (``\\{``); read from
    # ``start`` itself, as asked.
    depth = 0
    for i, step in _braces(latex, start):
        depth += step
        if depth == 0:
            return i + 1
    return -1


@lru_cache(maxsize=64)
def _group_ends(latex: str) -> dict[int, int]:
    """Every unescaped ``{`` of ``latex`` → the index just past its group (-1: never closed)."""
    ends: dict[int, int] = {}
    opened: list[int] = []
    for i, step in _braces(latex):
        if step > 0:
            opened.append(i)
            ends[i] = -1
        elif opened:
            ends[opened.pop()] = i + 1
    return ends


def braces_balanced(latex: str) -> bool:
    """True when unescaped ``{`` and ``}`` pair up."""
    depth = 0
    for _, step in _braces(latex):
        depth += step
        if depth < 0:
            return False
    return depth == 0


_RELATION_CMDS = frozenset({
    "approx", "le", "leq", "ge", "geq", "leqslant", "geqslant", "equiv", "coloneqq", "triangleq",
    "propto", "simeq", "cong", "neq", "ne", "doteq", "eqqcolon", "stackrel", "overset",
})


def top_level_relations(latex: str) -> list[tuple[int, str]]:
    """(position, relation) of every ``=``, ``<``, ``\\approx``, ``\\le`` … outside any
    ``{}``, ``[]`` or ``()`` group: the joints of ``a = b = c`` chains and aligned derivations."""
    return list(_relations(latex))


@lru_cache(maxsize=16384)  # one formula is looked at by several cards and checks
def _relations(latex: str) -> tuple[tuple[int, str], ...]:
    out: list[tuple[int, str]] = []
    depth = 0
    i, n = 0, len(latex)
    while i < n:
        c = latex[i]
        if c == "\\":
            j = i + 1
            while j < n and latex[j].isalpha():
                j += 1
            name = latex[i + 1 : j]
            if depth == 0 and name in _RELATION_CMDS:
                out.append((i, "\\" + name))
                if name in ("stackrel", "overset"):
                    # `\stackrel{def}{=}`: one relation; skip its two groups.
                    for _ in range(2):
                        while j < n and latex[j] == " ":
                            j += 1
                        end = group_end(latex, j)
                        j = end if end > 0 else j
            i = max(j, i + 2)
            continue
        if c in "{[(":
            depth += 1
        elif c in "}])":
            depth = max(0, depth - 1)
        elif depth == 0 and c in "=<>":
            if c == "=" and i > 0 and latex[i - 1] == ":":
                out.append((i - 1, ":="))
            elif not (c == "=" and out and out[-1][0] == i - 1):
                out.append((i, c))
        i += 1
    return tuple(out)


_NAMED_FUNCTION = lazy_pattern(r"\\(?:text|mathrm|operatorname\*?|textrm|mathit)\s*\{[A-Za-z]{3,}")


def names_itself(lhs: str) -> bool:
    """Whether a left-hand side spells out what it is: ``\\mathrm{ReLU}(x)``,
    ``\\operatorname{softmax}(z)_i``, ``L_{\\text{InfoNCE}}``."""
    return bool(_NAMED_FUNCTION.search(lhs))
