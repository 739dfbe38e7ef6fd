"""The quality gate: every card is checked before anything is written, and a card that would be
broken, ambiguous or unfair is dropped with a named reason.

The extractors already leave out what they are unsure of; the gate is the last word on the
cards themselves, whatever the notes hold:

- ``math``: a formula the card shows would not typeset in Anki's MathJax (after the repairs
  whose intent is certain, :func:`quizgen.texcheck.repair`);
- ``cloze``: the hidden part does not stand alone (it would swallow a ``\\right\\}`` or an
  ``\\end{…}``), is shown elsewhere in the same formula, or is a bare number;
- ``ambiguous``: two cards of one kind ask the same question with different answers; the note
  title is added to tell them apart, and what still collides is dropped;
- ``options``: a multiple-choice card whose options repeat each other or the answer's own name;
- ``markup``: the note's Markdown, wiki or HTML syntax would show on the card as written
  (``[[…]]``, ``%%``, ``[^1]``, a lone backtick, ``<br>``): the note uses syntax the parser
  does not read, so what the text means is unsure;
- ``outside``: the card points at something it does not show ("式 (3.2)", "如上图", "the
  figure above", "上述矩阵");
- ``trivial``: the answer only repeats the question;
- ``repeated``: another card asks the same question with the same answer (one formula written
  twice in a note; a drill drawn twice);
- ``contradicts``: a formula it shows is a known concept's standard form with its sign
  flipped (a typo in the note, see :mod:`quizgen.generate.fidelity`).

Worked solutions that state one expression twice in a row (``σ(2)=1/(1+e^{-2})=1/(1+e^{-2})``)
are mended, not dropped.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TypeVar, cast

from quizgen.generate.base import replace_name
from quizgen.generate.context import FormulaChecks
from quizgen.generate.fidelity import contradiction, contradicts
from quizgen.generate.phrasing import ASIDE, TERM_QUESTION, asked_label, titled
from quizgen.latex import top_level_relations
from quizgen.model import Card, Cloze, Dropped
from quizgen.patterns import lazy_pattern
from quizgen.richtext import CJK, segments
from quizgen.texcheck import escape_comments, needs_alignment, repair, tex_problem
from quizgen.textrefs import points_back, points_outside

REASONS = {
    "math": "a formula would not typeset in Anki's MathJax",
    "cloze": "the hidden part is unsafe or gives itself away",
    "ambiguous": "another card asks the same with a different answer",
    "options": "the options are not a fair choice",
    "markup": "the note's markup would show on the card as written",
    "outside": "it refers to something the card does not show",
    "trivial": "the answer only repeats the question",
    "contradicts": "a formula it shows contradicts the concept's standard form",
    "repeated": "another card asks the same and answers the same",
}
# Kinds whose text comes from the notes (variants are written by the concepts).
_FROM_NOTES = frozenset({"definition", "reverse", "cloze", "recall", "legend", "choice"})


@dataclass(frozen=True)
class Gated:
    """The cards that passed, and the ones that did not."""

    cards: tuple[Card, ...]
    dropped: tuple[Dropped, ...]


class _Drop(Exception):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


_T = TypeVar("_T")
_A = TypeVar("_A", bound=Hashable)


def _memoized(maxsize: int) -> Callable[[Callable[[_A], _T]], Callable[[_A], _T]]:
    """A check memoized with its verdict: the same argument gives the same result again, or
    raises the same :class:`_Drop` again."""

    def wrap(check: Callable[[_A], _T]) -> Callable[[_A], _T]:
        @lru_cache(maxsize=maxsize)
        def verdict(arg: _A) -> tuple[_T | None, tuple[str, str] | None]:
            try:
                return check(arg), None
            except _Drop as why:
                return None, (why.reason, why.detail)

        def call(arg: _A) -> _T:
            result, drop = verdict(arg)
            if drop is not None:
                raise _Drop(*drop)
            return cast(_T, result)

        return call

    return wrap


def _fix_math(rich: str) -> str:
    """``rich`` with every formula repaired; raises :class:`_Drop` when one cannot typeset."""
    if "\\(" not in rich and "\\[" not in rich:
        return rich
    if len(rich) > _MEMO_CHARS:
        return _repair_math(rich)
    return _fixed_math(rich)


_MEMO_CHARS = 4000  # longer texts are rare and would make the memo big


def _repair_math(rich: str) -> str:
    parts: list[str] = []
    changed = False
    for seg in segments(rich):
        if not seg.math:
            parts.append(seg.text)
            continue
        tex = _collapse_repeats(repair(seg.text))
        problem = tex_problem(tex)
        if problem:
            raise _Drop("math", f"{problem}: {seg.text[:80]}")
        changed = changed or tex != seg.text
        parts.append(f"\\[{tex}\\]" if seg.display else f"\\({tex}\\)")
    return "".join(parts) if changed else rich


# A formula is shown on several cards of its note (and deck drills).
_fixed_math = _memoized(8192)(_repair_math)

_SPACE = lazy_pattern(r"\s+")


def _compact(tex: str) -> str:
    return _SPACE.sub("", tex)


def _collapse_repeats(tex: str) -> str:
    """``a = b = b ≈ c`` → ``a = b ≈ c``: a worked solution that restates one expression."""
    rel = top_level_relations(tex)
    if len(rel) < 2:
        return tex
    # Pieces between relations, each with the relation in front of it.
    starts = [(0, "")] + [(p + len(op), op) for p, op in rel]
    ends = [p for p, _ in rel] + [len(tex)]
    pieces = [(op, tex[a:b]) for (a, op), b in zip(starts, ends, strict=True)]
    kept = pieces[:2]
    for op, piece in pieces[2:]:
        if op == "=" and _compact(piece).rstrip(".,;") == _compact(kept[-1][1]).rstrip(".,;"):
            continue
        kept.append((op, piece))
    if len(kept) == len(pieces):
        return tex
    return "".join(f"{op}{piece}" for op, piece in kept)


def _cloze_problem(cz: Cloze) -> Cloze:
    hidden = cz.hidden.strip()
    if "&" in hidden or "\\\\" in hidden:
        raise _Drop("cloze", "the hidden part spans an alignment")
    if top_level_relations(hidden):
        raise _Drop("cloze", "the hidden part spans a relation (= or ≤ …)")
    bars = hidden.replace("\\|", "")
    if hidden.count("\\|") % 2 or bars.count("||") % 2 or bars.replace("||", "").count("|") % 2:
        raise _Drop("cloze", "the hidden part takes half of a |…| pair")
    problem = tex_problem(hidden)
    if problem:
        raise _Drop("cloze", f"the hidden part does not stand alone ({problem}): {hidden[:60]}")
    if re.fullmatch(r"[-+]?\s*\d+(?:[.,]\d+)?", hidden):
        raise _Drop("cloze", f"the hidden part is a bare number: {hidden}")
    shown = _compact(cz.before + " " + cz.after)
    if len(_compact(hidden)) >= 3 and _compact(hidden) in shown:
        raise _Drop("cloze", f"the hidden part is also shown in the formula: {hidden[:60]}")
    cz = Cloze(escape_comments(cz.before), cz.hidden, escape_comments(cz.after), cz.display)
    if needs_alignment(cz.before + hidden + cz.after):
        cz = Cloze(f"\\begin{{aligned}}{cz.before}", cz.hidden, f"{cz.after}\\end{{aligned}}",
                   cz.display)
    problem = tex_problem(cz.before + hidden + cz.after)
    if problem:
        raise _Drop("math", f"{problem}: {(cz.before + hidden + cz.after)[:80]}")
    if tex_problem(cz.before + "\\boxed{?}" + cz.after):
        raise _Drop("cloze", "the formula breaks where the part is hidden")
    return cz


# The same formula gives the same cloze in every note stating it.
_check_cloze = _memoized(4096)(_cloze_problem)


# Syntax left in a card's words (outside math) that no reader shows as written.
_MARKUP = lazy_pattern(
    r"\[\[|\]\]|%%|\[\^[^\]\s]{1,30}\]|(?<![=<>!])==(?!=)|\*\*|:[a-z_]{2,12}:`"
    # layout HTML the note's renderer would have read (text about HTML is escaped, not dropped)
    r"|</?(?:div|span|br|p|font|center|table|tr|td|th|li|ul|ol|details|summary)\b[^<>]{0,200}>"
    r"|&(?:nbsp|emsp|ensp|amp|lt|gt|quot|#\d+);",
    re.I,
)
_LOOSE_TEX = lazy_pattern(
    r"\$[^$\n]{0,200}?\\[A-Za-z]+[^$\n]{0,200}?\$"
    # text copied from a rendered page: each symbol, its TeX, the symbol again ("π\piπ")
    r"|(\S)\\(?:[A-Za-z]+)\1"
    r"|\\(?:alpha|beta|gamma|delta|epsilon|theta|lambda|mu|sigma|pi|phi|psi|omega|sum|prod|"
    r"frac|sqrt|mathbb|mathcal|mathbf|left|right|cdot|times|infty|partial|nabla)\b")


def _prose(rich: str) -> str:
    """The words of ``rich`` without its formulas; a display formula leaves ``\\[`` behind so
    that "the following equation:" right before it still sees what it points at."""
    return "".join(s.text if not s.math else (" \\[ " if s.display else " ")
                   for s in segments(rich))


def _names_in_label(label: str) -> set[str]:
    """``互信息 (Mutual Information, MI)`` → {互信息, mutual information, mi}."""
    m = re.fullmatch(r"\s*(?P<t>.+?)\s*\((?P<a>.+)\)\s*", label)
    names = [m.group("t"), *m.group("a").split(",")] if m else [label]
    return {n.strip().casefold() for n in names if n.strip()}


def _check_options(card: Card) -> None:
    texts = [_compact(c.text).casefold() for c in card.choices]
    if len(set(texts)) != len(texts):
        raise _Drop("options", "two options are the same")
    if sum(c.correct for c in card.choices) != 1:
        raise _Drop("options", "not exactly one correct option")
    if card.concept is None:
        names = _names_in_label(card.back) | {card.term.casefold()}
        for c in card.choices:
            if not c.correct and c.text.strip().casefold() in names:
                raise _Drop("options", f"the answer's own name {c.text!r} is offered as wrong")


# Meanings that say no more than the notation does ("p(y|x)": the conditional probability).
_GENERIC_MEANINGS = frozenset({
    "随机变量", "概率", "常数", "函数", "变量", "参数", "向量", "矩阵", "标量", "条件概率",
    "联合概率",
    "arandomvariable", "randomvariable", "theprobability", "probability", "aconstant",
    "constant", "theconditionalprobability", "conditionalprobability", "afunction", "function",
    "avector", "vector", "amatrix", "matrix", "ascalar", "scalar",
})


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.casefold())




def _spelled_out(chars: list[str], text: str) -> bool:
    """The characters of a name, in order, within a short stretch of ``text`` ("奖励分数，这是
    一个函数" spells out 奖励函数; "在卷积核元素之间插入空洞" does not spell 空洞卷积)."""
    window = 4 * len(chars) + 4
    for start in (i for i, c in enumerate(text) if c == chars[0]):
        pos, ok = start, True
        for c in chars[1:]:
            pos = text.find(c, pos + 1, start + window)
            if pos < 0:
                ok = False
                break
        if ok:
            return True
    return False


def _gives_away(card: Card) -> str:
    """Why a card that asks for a term shows it anyway ("奖励分数…这是一个函数" → 奖励函数,
    ``\\mathrm{RealSoftMax}`` for "real softmax"), or ""."""
    scope = ASIDE.search(card.front)
    prompt = ASIDE.sub("", TERM_QUESTION.sub("", card.front))
    plain = "".join(CJK.findall(re.sub(r"\\[A-Za-z]+", " ", prompt)))
    for name in _names_in_label(card.back):
        if scope and name in scope.group(0).casefold():
            return f"its context names {name!r}"
        cjk = CJK.findall(name)
        if len(cjk) >= 3 and _spelled_out(cjk, plain):
            return f"the question spells out {name!r}"
        if not cjk and len(_letters(name)) >= 4 and _letters(name) in _letters(prompt):
            return f"the question shows {name!r}"
        if not cjk and len(name) >= 2 and re.search(
                rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])", prompt, re.I):
            return f"the question shows {name!r}"  # "\text{TPR}=…" on the card asking for TPR
    # "宏平均，每个类别的指标求平均" on the card asking for "macro avg": a short opening noun
    # before the comma is the term's name in the other language.
    opening = _OPENING_NAME.match(prompt.strip())
    if opening and not CJK.search(card.back) and not _VERBAL.search(opening.group(1)):
        return f"the question opens with another name of it ({opening.group(1)!r})"
    # A symbol that spells the term's acronym when little but a generic head is left of the
    # name (D_{KL} on the card asking for KL 散度; not for "Forward KL", whose direction is what
    # is asked). In prose, a related name ("加速 SGD 的下降" for SGD-M) gives nothing away.
    symbols = " ".join(s.text for s in segments(prompt) if s.math)
    for acronym in re.findall(r"(?<![A-Za-z])[A-Z]{2,}(?![A-Za-z])", card.back):
        if not re.search(rf"(?<![A-Za-z]){acronym}(?![A-Za-z])", symbols):
            continue
        for name in _names_in_label(card.back):
            rest = re.sub(rf"(?<![a-z]){acronym.casefold()}(?![a-z])", "", name).strip(" -_")
            if rest != name and (len(rest) <= 2 or rest in _GENERIC_HEADS):
                return f"the question shows {acronym!r}"
    return ""


_OPENING_NAME = lazy_pattern(r"([\u3400-\u9fff]{2,5})[，,（(]")
# What makes an opening a clause ("引入了动量，…") rather than a name.
_VERBAL = lazy_pattern(r"[是为指用将把在对了过着让使给从以按由]|引入|通过|采用|利用|计算|根据|基于")
_GENERIC_HEADS = frozenset({"divergence", "loss", "score", "distance", "function", "metric",
                            "index", "value", "rate", "error", "散度", "损失", "距离", "函数"})


def _legend_problem(card: Card) -> str:
    """A legend whose meaning the formula already shows, or that the notation says alone."""
    meaning = _prose(card.back)
    if re.sub(r"[\s\W_]", "", meaning).casefold() in _GENERIC_MEANINGS:
        return f"{meaning!r} says no more than the symbol"
    # Words written in the formula itself (`\\underbrace{P(X|Y)}_{posterior}`, `\\text{loss}`),
    # not command names.
    shown = {w.casefold() for w in re.findall(r"(?<![\\A-Za-z])[A-Za-z]{4,}", card.front)}
    if any(w.casefold() in shown for w in re.findall(r"[A-Za-z]{4,}", meaning)):
        return "the formula already labels the symbol with its meaning"
    return ""


def _trivial(card: Card) -> bool:
    if card.kind != "definition":
        return False
    rest = card.back
    for name in sorted(_names_in_label(asked_label(card.front)), key=len,
                       reverse=True):
        rest = replace_name(rest, name, "")
    rest = re.sub(r"[\s*`_，,。.:：;；!！?？\"“”'‘’()（）]", "", rest)
    rest = re.sub(r"^(?:指的是|就是指|是指|就是|即为|是|指|即|称为|叫做|is|are|means)", "", rest)
    # "高斯：指的是高斯分布" only adds a kind word to the name it asks about
    return len(rest) < 3 or rest.lstrip("的").casefold() in _KIND_WORDS


# Words that only say what kind of thing a name is.
_KIND_WORDS = frozenset({
    "分布", "过程", "方法", "模型", "算法", "函数", "网络", "理论", "定理", "公式", "技术", "机制",
    "概念", "思想", "变量", "矩阵", "向量", "问题", "准则", "原理", "distribution", "process",
    "method", "model", "algorithm", "function", "network", "theory", "theorem",
})


def check(card: Card, checks: FormulaChecks = contradicts) -> Card:
    """``card`` with its math repaired; raises :class:`_Drop` when it must not be written."""
    front, back, extra = _fix_math(card.front), _fix_math(card.back), _fix_math(card.extra)
    choices = tuple(replace(c, text=_fix_math(c.text)) for c in card.choices)
    cz = _check_cloze(card.cloze) if card.cloze is not None else None
    if card.kind in _FROM_NOTES and not (card.kind == "choice" and card.concept):
        asked = ""
        for side in (front, back):
            prose = _prose(side)
            where = points_outside(prose)
            if where:
                raise _Drop("outside", f"refers to {where!r}")
            # The answer may point back at what its question names ("偏置是什么？" …"这个偏置").
            where = points_back(asked + prose)
            if where:
                raise _Drop("outside", f"points back at something not shown ({where!r})")
            asked = prose + "\n"
            leftover = _MARKUP.search(prose)
            if leftover or prose.count("`") % 2:
                raise _Drop("markup", f"shows {leftover.group() if leftover else '`'!r} as "
                            "written")
            loose = _LOOSE_TEX.search(prose)
            if loose:
                # "$ \sqrt{|N_u|}$": the note's renderer took it for math, Markdown does not,
                # and the card would show the dollars and the backslashes.
                raise _Drop("math", f"TeX outside math delimiters: {loose.group()[:60]}")
    if card.choices:
        _check_options(replace(card, choices=choices))
    if _trivial(card):
        raise _Drop("trivial", "the definition only repeats the term")
    if card.kind in ("reverse", "choice") and card.concept is None:
        why = _gives_away(card)
        if why:
            raise _Drop("trivial", why)
    if card.kind == "legend":
        why = _legend_problem(card)
        if why:
            raise _Drop("trivial", why)
    why = contradiction(card, checks)
    if why:
        raise _Drop("contradicts", why)
    if (front, back, extra, choices, cz) == (card.front, card.back, card.extra, card.choices,
                                             card.cloze):
        return card
    return replace(card, front=front, back=back, extra=extra, choices=choices, cloze=cz)


def _answer(card: Card) -> str:
    if card.answer is not None:  # a drill, asked as a question or as a choice
        return card.answer.value
    if card.cloze is not None:
        return _compact(card.cloze.hidden)
    if card.choices:
        return "|".join(_compact(c.text) for c in card.choices if c.correct)
    return _compact(card.back)


def _one_answer_per_prompt(cards: list[Card], dropped: list[Dropped]) -> list[Card]:
    """No two cards of one kind ask the same with different answers: the note title tells
    them apart; what still collides after that is dropped (the first one kept), as is a card
    that repeats another."""

    def prompt(c: Card) -> tuple[str, str]:
        # A drill asked twice, once to answer and once to choose, is one question.
        kind = "drill" if c.answer is not None else c.kind
        return kind, _LAYOUT.sub("", _compact(_prompt(c)))

    def groups(keys: list[tuple[str, str]]) -> dict[tuple[str, str], list[int]]:
        out: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i, k in enumerate(keys):
            out[k].append(i)
        return out

    out = list(cards)
    keys = [prompt(c) for c in out]  # kept up to date as fronts change
    answers = [_answer(c) for c in out]  # an answer does not depend on the front
    keep = [True] * len(out)
    for idx in groups(keys).values():
        if len({answers[i] for i in idx}) > 1:
            for i in idx:
                c = out[i]
                if _asks_for_a_term(c):
                    # One description, two terms: neither card has one answer.
                    keep[i] = False
                    dropped.append(Dropped(c.key, c.kind, "ambiguous",
                                           "another term has the same description", c.source))
                elif c.note_title and c.note_title not in c.front:
                    out[i] = replace(c, front=titled(c.front, c.note_title))
                    keys[i] = prompt(out[i])
    for idx in groups(keys).values():
        idx = [i for i in idx if keep[i]]
        if not idx:
            continue
        seen: set[str] = set()
        first = out[idx[0]]
        for i in idx:
            a = answers[i]
            c = out[i]
            if seen and a not in seen:
                keep[i] = False
                dropped.append(Dropped(c.key, c.kind, "ambiguous",
                                       f"same question as {first.key}", c.source))
            elif seen and (c.answer is not None or c.source.path == first.source.path):
                # The same card twice: a formula a note writes twice, a drill drawn twice. (Two
                # notes may each keep theirs: a rebuild sees only the notes it makes again.)
                keep[i] = False
                dropped.append(Dropped(c.key, c.kind, "repeated",
                                       f"same question as {first.key}", c.source))
            seen.add(a)
    return [c for c, k in zip(out, keep, strict=True) if k]


# How a formula is laid out, not what it says: "\\sum\\limits_{i}" asks what "\\sum_{i}" asks.
_LAYOUT = lazy_pattern(r"\\(?:limits|nolimits|displaystyle|textstyle)(?![A-Za-z])")
_FILLER = lazy_pattern(r"[^\u3400-\u9fffA-Za-z0-9]|[其它是的了该此也一种个]")


def _prompt(card: Card) -> str:
    if card.cloze is not None:
        return card.cloze.before + "{?}" + card.cloze.after
    if _asks_for_a_term(card):
        # "是一种基本的分类与回归方法" and "是一种基本分类与回归方法" ask the same thing.
        return _FILLER.sub("", TERM_QUESTION.sub("", card.front)).casefold()
    return card.front


def _asks_for_a_term(card: Card) -> bool:
    return card.kind == "reverse" or (card.kind == "choice" and card.concept is None)


def gate(cards: Sequence[Card], checks: FormulaChecks | None = None) -> Gated:
    """Every card checked (:func:`check`), then one answer per prompt across the deck;
    ``checks`` answers for the formulas (a cache of :func:`contradicts`)."""
    kept: list[Card] = []
    dropped: list[Dropped] = []
    for card in cards:
        try:
            kept.append(check(card, checks or contradicts))
        except _Drop as why:
            dropped.append(Dropped(card.key, card.kind, why.reason, why.detail, card.source))
    kept = _one_answer_per_prompt(kept, dropped)
    return Gated(tuple(kept), tuple(dropped))
