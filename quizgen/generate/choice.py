"""Multiple choice: on each numeric variant (distractors from named misconceptions) and on
definitions (which term does this definition describe? distractors are other terms of the deck)."""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import PurePosixPath

from quizgen.generate.base import (
    make_card,
    owned_definitions,
    scoped,
    term_label,
)
from quizgen.generate.context import DeckContext, VariantSource
from quizgen.generate.identity import derive_seed
from quizgen.generate.phrasing import phrasing_for
from quizgen.generate.reverse import distinctive, inside_the_text, masked_prompt
from quizgen.generate.terms import fold, index
from quizgen.generate.variant import variant_cards
from quizgen.model import Card, Choice, Definition, Note
from quizgen.richtext import CJK

OPTIONS = 4


@dataclass(frozen=True)
class _Term:
    term: str
    names: frozenset[str]  # folded names of the term (a distractor shares none of them)
    text: str
    note: str
    heading: str
    category: str


WINDOW = 48  # terms of the answer's topic looked at past its place on the seeded ring


@dataclass(frozen=True)
class Pool:
    """The deck's terms (one per term, merged across notes), for picking distractors.

    Distractors are the answer's siblings (same note and section, then same note, then same
    category or folder; never a term from another topic, which would give the answer away),
    of the same kind first ("…分布" for a distribution), in the answer's language, of
    comparable length. A topic's terms lie on a ring ordered by a seeded hash; an answer
    looks at its own note's terms and at the next ``WINDOW`` terms of its topic's ring, so
    the work per card does not grow with the vault, and adding a term changes only the
    cards near it on the ring.
    """

    by_note: Mapping[str, tuple[_Term, ...]]
    rings: Mapping[str, tuple[tuple[int, _Term], ...]]  # topic → (hash, term), by hash

    @property
    def terms(self) -> tuple[_Term, ...]:
        """Every term, by note."""
        return tuple(t for ts in self.by_note.values() for t in ts)

    def distractors(self, ctx: DeckContext, note: Note, own: Definition,
                    names: frozenset[str]) -> list[str] | None:
        lang = _language(own.term)
        topic = _topic(note)
        ranked: list[tuple[int, int, str]] = []
        for t in (*self.by_note.get(note.path, ()), *self._near(ctx, topic, own.term)):
            if t.names & names or t.text == own.text or _language(t.term) != lang:
                continue
            if not _comparable(own.term, t.term):
                continue
            if t.note == note.path:
                tier = 0 if t.heading == own.heading else 1
            elif t.category == topic:
                tier = 2
            else:
                continue  # a term from another topic is a giveaway, not a distractor
            # "原始问题" among "对偶问题"s, "多项分布" among "…分布"s: the same kind of thing first.
            kind = 0 if _head(t.term) == _head(own.term) else 1
            ranked.append((kind * 10 + tier, derive_seed(ctx.seed, "choice", own.term, t.term),
                           t.term))
        ranked.sort()
        out: list[str] = []
        for _, _, term in ranked:
            if term not in out:
                out.append(term)
            if len(out) == OPTIONS - 1:
                return out
        return None

    def _near(self, ctx: DeckContext, topic: str, term: str) -> list[_Term]:
        ring = self.rings.get(topic, ())
        if len(ring) <= WINDOW:
            return [t for _, t in ring]
        at = bisect_right(ring, _ring_hash(ctx, term), key=lambda e: e[0])
        return [ring[(at + k) % len(ring)][1] for k in range(WINDOW)]


def _ring_hash(ctx: DeckContext, term: str) -> int:
    return derive_seed(ctx.seed, "choice-ring", term)


def _topic(note: Note) -> str:
    """A note's topic for distractors: its category, else its folder."""
    return note.category or str(PurePosixPath(note.path).parent)


def _language(term: str) -> str:
    return "zh" if CJK.search(term) else "en"


def _head(term: str) -> str:
    """What kind of thing a term names: its last two CJK characters (…分布, …网络) or its
    last English word (… loss, … attention)."""
    cjk = CJK.findall(term)
    if len(cjk) >= 3:
        return "".join(cjk[-2:])
    words = term.split()
    return words[-1].casefold() if len(words) > 1 and not cjk else ""


def _size(term: str) -> int:
    return len(CJK.findall(term)) or len(term.split())


def _comparable(a: str, b: str) -> bool:
    """Option lengths that do not give the answer away."""
    la, lb = _size(a), _size(b)
    return abs(la - lb) <= 2 or max(la, lb) <= 2 * min(la, lb)


def ring(notes: Sequence[Note], ctx: DeckContext) -> Pool:
    """Every term the deck's notes define, for the definition-choice cards."""
    terms = ctx.terms or index(notes, ctx.key_paths)
    full = replace(ctx, terms=terms)
    by_note: dict[str, list[_Term]] = {}
    rings: dict[str, list[tuple[int, _Term]]] = {}
    for n in notes:
        for o in owned_definitions(n, full):
            e = terms.entry(o.own)
            t = _Term(o.own.term, e.names if e else frozenset({fold(o.own.term)}),
                      o.shown.text, n.path, o.own.heading, _topic(n))
            by_note.setdefault(n.path, []).append(t)
            rings.setdefault(t.category, []).append((_ring_hash(ctx, t.term), t))
    return Pool({k: tuple(v) for k, v in by_note.items()},
                {k: tuple(sorted(v, key=lambda e: (e[0], e[1].term))) for k, v in rings.items()})


def signature(note: Note, pool: Pool, ctx: DeckContext | None = None) -> str:
    """What a note's definition-choice cards take from the rest of the deck: the distractors."""
    if ctx is None or "choice" not in ctx.kinds or "reverse" in ctx.kinds:
        return ""  # no definition-choice cards in this deck (see ``cards``)
    parts = []
    for o in owned_definitions(note, ctx):
        picked = pool.distractors(ctx, note, o.own, _names(ctx, o.own))
        parts.append(",".join(picked or ()))
    return ";".join(parts)


def _names(ctx: DeckContext, d: Definition) -> frozenset[str]:
    e = ctx.terms.entry(d) if ctx.terms is not None else None
    return e.names if e else frozenset(fold(x) for x in (d.term, *d.aliases))


def definition_cards(
    notes: Sequence[Note], ctx: DeckContext, skip_notes: Collection[str] = frozenset()
) -> list[Card]:
    pool = ring(notes, ctx)
    ctx = replace(ctx, terms=ctx.terms or index(notes, ctx.key_paths))
    out: list[Card] = []
    for note in notes:
        if note.path in skip_notes:
            continue
        for o in owned_definitions(note, ctx):
            if inside_the_text(o.shown.text, o.names):
                continue
            masked = masked_prompt(o.shown, o.names)
            if not distinctive(masked):
                continue
            others = pool.distractors(ctx, note, o.own, _names(ctx, o.own))
            if others is None:
                continue
            d = o.own
            p = phrasing_for(note, d)
            rng = random.Random(derive_seed(ctx.seed, "choice", ctx.key_path(note), d.term))
            options = [Choice(d.term, d.term, True)]
            options += [Choice(t, t, False, "other_term") for t in others]
            rng.shuffle(options)
            out.append(
                make_card(
                    ctx, note, "choice", f"def:{d.term}",
                    p.which_term(masked, of_these=True) + scoped(d, p),
                    term_label(d.term, d.aliases), d.source, choices=tuple(options), term=d.term,
                    extra=o.extra,
                )
            )
    return out


def cards(
    notes: Sequence[Note], ctx: DeckContext, variants: VariantSource,
    skip_notes: Collection[str] = frozenset(),
) -> list[Card]:
    # A deck that asks "which term is this?" as a reverse card does not ask it again with
    # options; a quiz (no reverse cards) does.
    terms = definition_cards(notes, ctx, skip_notes) if "reverse" not in ctx.kinds else []
    return variant_cards("choice", notes, ctx, variants) + terms
