"""definition → term (bilingual answer where the note gives both names)."""

from __future__ import annotations

import re
from functools import lru_cache

from quizgen.generate.base import (
    definition_text,
    make_card,
    owned_definitions,
    scoped,
    term_label,
)
from quizgen.generate.context import DeckContext
from quizgen.generate.phrasing import BLANK, phrasing_for
from quizgen.model import Card, Definition, Note
from quizgen.patterns import lazy_pattern
from quizgen.richtext import CJK, segments

_EN_VERB = lazy_pattern(
    r"^(?:is|are|refers to|denotes|measures|(?:simply |just |basically )?means)\b", re.I)


def mask(text: str, names: tuple[str, ...]) -> str:
    """The definition with the term and its aliases blanked out, so the front gives nothing away.

    Only prose is masked: a name inside a formula or an image path (``kernel.png``) stays, or
    the card would break. English definitions are stored from the verb on ("is an adaptive
    …"); the blank goes in front so the prompt reads as a sentence ("＿＿＿ is an adaptive …").
    """
    pattern = _names_pattern(tuple(sorted({n for n in names if n}, key=len, reverse=True)))
    if pattern is None:
        return f"{BLANK} {text}" if _EN_VERB.match(text) else text
    parts: list[str] = []
    for seg in segments(text):
        if seg.math:
            parts.append(f"\\[{seg.text}\\]" if seg.display else f"\\({seg.text}\\)")
            continue
        pieces = _IMAGE.split(seg.text)
        parts.append("".join(p if _IMAGE.fullmatch(p) else pattern.sub(BLANK, p) for p in pieces))
    out = "".join(parts)
    return f"{BLANK} {out}" if _EN_VERB.match(out) else out


_IMAGE = lazy_pattern(r"(!\[[^\]]*\]\([^)]*\))")
_FORMULA_CUE = lazy_pattern(
    r"[，,]?\s*(?:其|它的?)?(?:数学)?(?:定义为|定义如下|公式为|公式如下|表示为|可表示为|写为|如下)"
    r"\s*[:：]?\s*$|[,;]?\s*(?:(?:which|it) is\s+)?(?:defined|given|written) (?:as|by)\s*:?\s*$",
    re.I)


@lru_cache(maxsize=8192)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """One compiled pattern per set of names (a term's cards share it)."""
    if not names:
        return None
    return re.compile("|".join(re.escape(n) for n in names), re.I)


def masked_prompt(d: Definition, names: tuple[str, ...]) -> str:
    """The definition a reverse question shows, names blanked. A formula that writes a name
    (``\\mathrm{LN}(x)=…`` for Layer Normalization, ``\\text{TPR}=…``) stays off the card:
    masking inside math would break it, and showing it gives the answer away."""
    if d.formula is not None and any(
            re.search(rf"(?<![A-Za-z]){re.escape(n)}(?![A-Za-z])", d.formula, re.I)
            for n in names if n and not CJK.search(n)):
        # Without its formula, "…的非线性函数，其定义为" points at nothing, and what is left
        # must say more than a definition that shows its formula ("" when it does not).
        words = mask(_FORMULA_CUE.sub("", d.text), names)
        return words if distinctive(words, more=4) else ""
    return mask(definition_text(d), names)




def distinctive(masked: str, *, more: int = 0) -> bool:
    """Whether a masked definition says enough to point at one term: "可用来计算价值函数的值"
    fits Monte Carlo and dynamic programming alike."""
    prose = "".join(s.text for s in segments(masked.replace(BLANK, "")) if not s.math)
    size = len(re.findall(r"[\u3400-\u9fff]", prose)) + 2 * len(re.findall(r"[A-Za-z]{2,}", prose))
    has_formula = "\\[" in masked
    if more:  # the symbols a sentence is about say something too ("标签 \\(y\\in\\{0,1\\}\\)")
        size += 3 * sum(1 for s in segments(masked) if s.math and not s.display)
    return size >= 16 + more or (has_formula and size >= 4)


def inside_the_text(text: str, names: tuple[str, ...]) -> bool:
    """Whether a name of the term is used inside its own definition ("直接将三维点云抛入网络"):
    masked, the blank sits in a phrase that gives it away."""
    prose = "".join(s.text for s in segments(text) if not s.math)
    return any(n and n.casefold() in prose.casefold() for n in names)


def cards(note: Note, ctx: DeckContext) -> list[Card]:
    out: list[Card] = []
    for o in owned_definitions(note, ctx):
        p = phrasing_for(note, o.shown)
        if inside_the_text(o.shown.text, o.names):
            continue
        masked = masked_prompt(o.shown, o.names)
        if not distinctive(masked):
            continue
        out.append(
            make_card(
                ctx, note, "reverse", o.own.term, p.which_term(masked) + scoped(o.own, p),
                term_label(o.own.term, o.own.aliases), o.own.source, term=o.own.term,
                extra=o.extra,
            )
        )
    return out
