"""Building a :class:`Card` from the pieces every kind shares."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from quizgen.generate.context import DeckContext
from quizgen.generate.identity import card_id
from quizgen.generate.phrasing import Phrasing, phrasing_for
from quizgen.latex import one_line
from quizgen.model import Card, Definition, Note, SourceRef


def replace_name(text: str, name: str, by: str) -> str:
    """``text`` with every occurrence of ``name`` (ignoring case) replaced by ``by``.

    Most terms are Chinese, where case does not exist: a plain replace, no regex; the others
    share one compiled pattern per name (thousands of cards mask thousands of names).
    """
    if name.upper() == name.lower():
        return text.replace(name, by)
    return _name_pattern(name).sub(by.replace("\\", "\\\\"), text)


@lru_cache(maxsize=4096)
def _name_pattern(name: str) -> re.Pattern[str]:
    return re.compile(re.escape(name), re.I)


def make_card(
    ctx: DeckContext, note: Note, kind: str, key: str, front: str, back: str,
    source: SourceRef, **extra: Any,
) -> Card:
    """A card whose id comes from ``kind`` and ``key`` within this note, never from its text."""
    full_key = f"{ctx.key_path(note)}|{kind}|{key}"
    return Card(
        id=card_id(ctx.namespace, full_key),
        key=full_key,
        kind=kind,
        deck=ctx.deck_for(note),
        tags=ctx.tags_for(note),
        front=front,
        back=back,
        source=source,
        note_title=note.title,
        category=note.category,
        **extra,
    )


def term_label(term: str, aliases: tuple[str, ...]) -> str:
    """``互信息 (Mutual Information, MI)``: both names where the note gives both."""
    return f"{term} ({', '.join(aliases)})" if aliases else term


def scoped(d: Definition, p: Phrasing) -> str:
    """``（博弈满足以下假设）`` after a question about a term from such a list, else ""."""
    return p.aside(d.scope)


def definition_text(d: Definition) -> str:
    """A definition's text, completed by the formula it runs into ("…定义为：\\[…\\]")."""
    if d.formula is None:
        return d.text
    return f"{d.text}：\\[{one_line(d.formula)}\\]"


@dataclass(frozen=True)
class Owned:
    """A definition a note makes the term's cards from (one card per term per deck)."""

    own: Definition  # the note's own definition: identity and source
    shown: Definition  # the fullest definition of the term in the deck: what the card says
    names: tuple[str, ...]  # every name of the term, as written (masked on reverse cards)
    extra: str  # where else the deck defines it


def owned_definitions(note: Note, ctx: DeckContext) -> list[Owned]:
    """The definitions of ``note`` that carry their term's cards, merged across the deck."""
    out: list[Owned] = []
    for d in note.definitions:
        if ctx.terms is not None and not ctx.terms.owns(note, d):
            continue
        e = ctx.terms.entry(d) if ctx.terms is not None else None
        if e is None:
            out.append(Owned(d, d, (d.term, *d.aliases), ""))
            continue
        def at(s: SourceRef) -> str:
            return f"{ctx.key_paths.get(s.path, s.path)}:{s.line}"

        others = [s for s in e.also if s != d.source] + ([d.source] if e.chosen != d else [])
        p = phrasing_for(note)
        extra = p.where(at(e.chosen.source) if e.chosen != d else "",
                        p.list_sep.join(at(s) for s in others))
        out.append(Owned(d, e.chosen, e.spellings, extra))
    return out
