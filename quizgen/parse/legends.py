""""其中 / where" legends: what each symbol of the formula just before them means.

``其中, \\(d\\) 为两个样本的欧式距离, \\(margin\\) 代表设定的阈值`` → (d, 两个样本的欧式距离),
(margin, 设定的阈值). The legend may follow the formula in the same paragraph, start the next
paragraph, or be a list after a ``其中：`` paragraph.
"""

from __future__ import annotations

import re
from functools import lru_cache

from quizgen.latex import top_level_relations
from quizgen.model import Symbol
from quizgen.parse.blocks import PLACEHOLDER, Block
from quizgen.patterns import lazy_pattern
from quizgen.richtext import join_soft_breaks

_LEAD = lazy_pattern(r"[\s,，.。:：;；]*(?:其中|式中|where\b)[\s,，:：]*", re.I)
# what stands between symbols that share one meaning: "A, B, and C are …" has two in a row
_JOIN = lazy_pattern(r"\s*(?:(?:和|与|及|以及|、|,|，|and)\s*)+", re.I)
_VERB = lazy_pattern(
    r"^[\s,，:：]*(?:分别为|分别是|分别表示|分别代表|are respectively|为|是|代表|表示|指的是|指|即|"
    r"denotes|is|are|represents|stands for|refers to|means|=|—|-|:|：)\s*",
    re.I,
)
_TAIL = lazy_pattern(r"[\s,，;；、。.]*(?:and|以及|和|与|及)?[\s,，;；、]*$", re.I)
_STOP = lazy_pattern(r"[。]|\.(?=\s|$)|\n\s*\n")


def bare_lead(text: str) -> bool:
    """``其中：`` with nothing after it: the legend is the list that follows."""
    m = _LEAD.match(text)
    return m is not None and not text[m.end() :].strip()


def starts_legend(text: str) -> bool:
    """Whether prose right after a formula opens a legend."""
    return bool(_LEAD.match(text))


_MEMBER = lazy_pattern(r"\s*\\(?:in|sim)(?![A-Za-z]).*$", re.S)


def _symbol(latex: str) -> str:
    """The symbol a legend entry explains: ``d=\\sqrt{…}`` → ``d``; ``\\mathbf w\\in\\mathbb R^h``
    → ``\\mathbf w``."""
    latex = latex.strip()
    rel = [p for p, op in top_level_relations(latex) if op == "="]
    sym = latex[: rel[0]].strip() if rel and 0 < rel[0] <= 30 else latex
    return _MEMBER.sub("", sym).strip() or sym


_SEP_BEFORE = lazy_pattern(r"(?:^|[,，;；、]|\band|和|以及|与|及)\s*$", re.I)
_SEP_WINDOW = 64


def parse(block: Block, start: int, end: int | None = None) -> tuple[Symbol, ...]:
    """Symbols explained in ``block.text[start:end]`` (which begins with 其中/where).

    A formula opens a new entry when it starts the legend or follows a separator (``,`` ``、``
    ``and`` …); any other formula belongs to the meaning (``\\(p_i\\) 为第 \\(i\\) 类的概率``).
    """
    text = block.text
    lead = _LEAD.match(text, start)
    body_start = lead.end() if lead else start
    stop = _STOP.search(text, body_start)
    end = min(end if end is not None else len(text), stop.end() if stop else len(text))
    entries = []
    for m in PLACEHOLDER.finditer(text, body_start, end):
        if block.maths[int(m.group(1))].display:
            end = m.start()
            break
        # Only the end of the text before the formula matters: searching all of it for every
        # formula made a long legend quadratic.
        before = max(body_start, m.start() - _SEP_WINDOW)
        if m.start() == body_start or _SEP_BEFORE.search(text, before, m.start()):
            entries.append(m)
    out: list[Symbol] = []
    waiting: list[str] = []  # "\\(p(x)\\) 和 \\(p(y)\\) 分别为 …": symbols sharing one meaning
    for i, m in enumerate(entries):
        span = block.maths[int(m.group(1))]
        nxt = entries[i + 1].start() if i + 1 < len(entries) else end
        raw = text[m.end() : nxt]
        meaning_raw = _VERB.sub("", raw, count=1)
        if meaning_raw == raw and not re.match(r"^\s*[(（]", raw):
            if _JOIN.fullmatch(raw):
                waiting.append(_symbol(span.latex))
            else:
                waiting = []
            continue
        offset = m.end() + (len(raw) - len(meaning_raw))
        tail = _TAIL.search(text, offset, nxt)
        meaning = join_soft_breaks(block.rich(offset, tail.start() if tail else nxt).strip())
        symbols = (*waiting, _symbol(span.latex))
        waiting = []
        if any(_EXPRESSION.match(sym) for sym in symbols):
            continue  # "\\sum_k \\pi_k … are the mixing coefficients": not one symbol
        if not meaning or len(meaning) > 200 or _PROPERTY_OF_ALL.match(meaning):
            continue  # "… are both random variables" says what kind, not what each is
        respectively = _RESPECTIVELY.search(raw[: len(raw) - len(meaning_raw)]) or (
            _RESPECTIVELY_END.search(meaning))
        if respectively and len(symbols) > 1:
            # "c_1、c_2 分别表示 A、B": paired in order, or not at all when the counts differ.
            parts = _split_meanings(_RESPECTIVELY_END.sub("", meaning))
            if len(parts) == 1 and _PLURAL.search(parts[0]):
                parts = parts * len(symbols)  # "分别为两者的边缘分布": one phrase for each
            if len(parts) != len(symbols):
                continue
            parts = _shared_head(parts)
            out.extend(Symbol(sym, part, block.line_at(m.start()))
                       for sym, part in zip(symbols, parts, strict=True))
            continue
        meaning = _first_clause(meaning)
        out.extend(Symbol(sym, meaning, block.line_at(m.start())) for sym in symbols)
    return tuple(out)


def _first_clause(meaning: str) -> str:
    """"正则系数，正则项一般不加偏置，因为…": what the symbol is, without the remarks the
    sentence goes on with (a card's answer is the symbol's meaning)."""
    parts = _top_level_split(meaning, _CLAUSE_SPLIT)
    return parts[0] if len(parts) > 1 and len(parts[0]) >= 2 else meaning


_CLAUSE_SPLIT = lazy_pattern(r"\s*[，,；;]\s*")


_RESPECTIVELY = lazy_pattern(r"分别|respectively", re.I)
_EXPRESSION = lazy_pattern(r"\s*\\(?:sum|prod|int|frac|lim|max|min)(?![A-Za-z])")
_PROPERTY_OF_ALL = lazy_pattern(r"(?:both|all|each)\b|(?:都|均|皆)(?:是|为)?", re.I)
_PLURAL = lazy_pattern(r"两者|二者|各自|它们|their\b|each\b", re.I)
_RESPECTIVELY_END = lazy_pattern(r"[\s,，]*respectively[.。]?\s*$", re.I)
_MEANING_SPLIT = lazy_pattern(r"\s*(?:、|，|,|;|；|以及|和|与|及|\band\b)\s*", re.I)


def _shared_head(parts: list[str]) -> list[str]:
    """"隐藏层和输出层的变换": parallel names (the same last character, 层/层) before one 的-phrase
    share it, so each symbol gets "…层的变换", not "隐藏层" alone. Names that are not parallel
    ("学习率和模型的参数") keep their own words."""
    *heads, last = parts
    at = last.find("的")
    if not heads or at <= 0 or "\\(" in last[:at]:
        return parts
    stem = last[:at]
    if all("的" not in h and "\\(" not in h and 1 < len(h) <= 8 and h[-1] == stem[-1]
           for h in heads):
        return [h + last[at:] for h in heads] + [last]
    return parts


def _split_meanings(meaning: str) -> list[str]:
    """``A、B 和 C`` → [A, B, C]; commas inside math or brackets do not split."""
    return _top_level_split(meaning, _MEANING_SPLIT)


def _top_level_split(meaning: str, separator: re.Pattern[str]) -> list[str]:
    """``meaning`` split where ``separator`` matches outside math and brackets."""
    parts: list[str] = []
    depth = 0
    last = 0
    i = 0
    while i < len(meaning):
        ch = meaning[i]
        if meaning.startswith(("\\(", "\\["), i):
            depth += 1
            i += 2
            continue
        if meaning.startswith(("\\)", "\\]"), i):
            depth -= 1
            i += 2
            continue
        if ch in "(（[【":
            depth += 1
        elif ch in ")）]】":
            depth -= 1
        elif depth == 0:
            m = separator.match(meaning, i)
            if m and m.end() > i:
                parts.append(meaning[last:i])
                last = i = m.end()
                continue
        i += 1
    parts.append(meaning[last:])
    return [p.strip(" ,，。.") for p in parts if p.strip(" ,，。.")]


_TOKEN = lazy_pattern(r"\\[A-Za-z]+|\\.|[^\s{}]")
_NOT_A_SYMBOL = frozenset({
    "\\left", "\\right", "\\big", "\\Big", "\\bigg", "\\Bigg", "\\,", "\\;", "\\:",
    "\\!", "\\ ",
})
_SAME = {"\\vert": "|", "\\mid": "|"}
_ARGUMENTS = lazy_pattern(r" \( [^()]* \) $")  # a function's argument list, as tokens


def _shape(latex: str) -> str:
    """LaTeX as a string of tokens, without what does not change a symbol: spaces, braces
    (``\\mathbf w`` is ``\\mathbf{w}``, ``x_{i}`` is ``x_i``), ``\\left``, spacing commands;
    ``\\vert``/``\\mid`` as ``|``."""
    # Each formula is matched against every symbol of its legend: tokenised once.
    return _shape_of(latex) if len(latex) <= 2000 else _tokens(latex)


@lru_cache(maxsize=8192)
def _shape_of(latex: str) -> str:
    return _tokens(latex)


def _tokens(latex: str) -> str:
    tokens = (_SAME.get(t, t) for t in _TOKEN.findall(latex))
    return " " + " ".join(t for t in tokens if t not in _NOT_A_SYMBOL) + " "


def shown_in(symbol: str, latex: str) -> bool:
    """Whether ``symbol`` is written in the formula: a legend under two formulas explains the
    symbols of both, and a card must ask only about what the formula it shows contains. A
    function is shown when it is applied to other arguments (``U_t(s)`` in ``…U_t(s')``)."""
    formula, sym = _shape(latex), _shape(symbol)
    if sym in formula:
        return True
    # A conditional or a sequence ("P(u_i | u_1, …, u_{i-1})" by a formula with u_{i-k}) says
    # which arguments it means: another one is another quantity.
    args = _ARGUMENTS.search(sym)
    return args is not None and not re.search(r" (?:\||\\dots|\\ldots|\\cdots) ", args.group()) \
        and _ARGUMENTS.sub(" ( ", sym) in formula
