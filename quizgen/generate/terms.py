"""One term, one definition card: the deck's terms, merged across notes.

Real vaults define a term again in every note that uses it (重参数 four times in the seeds);
four cards with one front and four backs teach nothing. Definitions that share a name (the term
or any alias, compared case- and space-insensitively) are one entry: the card shows the fullest
definition and lists the other places as further sources.

A merged card keeps the identity of the first note (by path) that defines the term, so adding
or removing a note that sorts after it, or editing any definition, keeps the card's id and its
review history; a term defined once keeps exactly the identity it always had.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

from quizgen.model import Definition, Note, SourceRef
from quizgen.patterns import lazy_pattern

_FOLD = lazy_pattern(r"[\s\-_·]+")


@lru_cache(maxsize=65536)  # the same names are folded for every definition of every build
def fold(name: str) -> str:
    """How names are compared: ``Self-Supervised  Learning`` → ``selfsupervisedlearning``."""
    return _FOLD.sub("", name).casefold()


@dataclass(frozen=True)
class Entry:
    """A term of the deck: who owns its card and what the card shows."""

    owner: str  # path (as in SourceRef) of the note whose identity the card keeps
    chosen: Definition  # the fullest definition, shown on the card
    also: tuple[SourceRef, ...]  # the other places that define it
    names: frozenset[str]  # every folded name of the term
    spellings: tuple[str, ...]  # every name as written (for masking it on reverse cards)


@dataclass(frozen=True)
class TermIndex:
    """Folded name → the term's entry."""

    by_name: Mapping[str, Entry]

    def entry(self, d: Definition) -> Entry | None:
        # A definition bound to its context ("E步" of one section's algorithm, an item of "博弈满
        # 足以下假设：") means what it means there: it is never merged with other notes'.
        return None if d.scope else self.by_name.get(fold(d.term))

    def owns(self, note: Note, d: Definition) -> bool:
        """Whether ``d`` is the definition ``note`` makes the term's card from: the owner
        note's first definition of the term (one card per term per deck)."""
        e = self.entry(d)
        if e is None:
            return True
        if e.owner != note.path:
            return False
        return next(x for x in note.definitions if fold(x.term) in e.names) is d

    def signature(self, note: Note) -> str:
        """What the note's definition cards take from other notes (for reuse on rebuilds)."""
        parts = []
        for d in note.definitions:
            e = self.entry(d)
            if e is not None and e.also and e.owner == note.path:
                parts.append(f"{e.chosen.source}|{e.chosen.text}|{e.chosen.formula}|"
                             f"{','.join(map(str, e.also))}")
        return ";".join(parts)


_RANK = {"explicit": 2, "sentence": 1, "named": 0}
_CONDITION_FIRST = lazy_pattern(r"^(?:如果|若|当|假如|if |when )", re.I)


def _fullness(d: Definition) -> tuple[int, int, int, str]:
    """Which of a term's definitions a card shows: one written as a definition (术语：…) before
    one read out of a sentence, then the one that says more (a formula counts; past 120
    characters more words are not more definition); ties broken by place."""
    said = min(len(d.text), 120) + (40 if d.formula else 0)
    if _CONDITION_FIRST.match(d.text):
        said -= 60  # a condition first is a description, not a definition
    return (_RANK.get(d.shape, 1), said, -d.source.line, d.source.path)


Member = tuple[str, int, str, tuple[str, ...], int, tuple[int, int, int, str]]
"""One definition as a term's entry reads it: (note path, its place among the note's
definitions, term, aliases, source line, fullness: see ``_fullness``); a deck's terms are made
from these alone, plus the chosen definition itself."""


def names_of(d: Definition) -> tuple[str, ...]:
    """The folded names a definition joins the deck's terms under; () when it joins none (bound
    to its context, or nameless)."""
    if d.scope:
        return ()
    return tuple(x for x in (fold(d.term), *(fold(a) for a in d.aliases)) if x)


def members(note: Note) -> list[Member]:
    """The note's contribution to the deck's terms: its definitions that join them."""
    return [(note.path, i, d.term, d.aliases, d.source.line, _fullness(d))
            for i, d in enumerate(note.definitions) if names_of(d)]


def make_entry(group: Sequence[Member], chosen: Callable[[Member], Definition],
               key_path: Mapping[str, str]) -> Entry:
    """The entry of one term from its definitions ``group`` (in the deck's order);
    ``chosen`` gives the definition of the member shown on the card."""
    # (a term of a big vault has thousands of definitions: each step is one pass)
    owner = min(dict.fromkeys(m[0] for m in group), key=lambda p: key_path.get(p, p))
    shown = chosen(max(group, key=itemgetter(5)))
    places = {(m[5][3], m[4]) for m in group}  # each definition's source (path, line)
    places.discard((shown.source.path, shown.source.line))
    also = tuple(SourceRef(*p) for p in sorted(places))
    spellings = tuple(dict.fromkeys(x for term, aliases in dict.fromkeys(
        (m[2], m[3]) for m in group) for x in (term, *aliases)))
    return Entry(owner, shown, also, frozenset(fold(x) for x in spellings), spellings)


def _lookup(shown: Mapping[tuple[str, int], Definition]) -> Callable[[Member], Definition]:
    return lambda m: shown[m[0], m[1]]


def index(notes: Sequence[Note], key_path: Mapping[str, str]) -> TermIndex:
    """The deck's terms; ``key_path`` gives each note's identity path (the owner is the first
    note by that path)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    # A vault defines the same term under the same names again and again: each spelling of
    # the names is folded and joined once.
    spelled: dict[tuple[str, tuple[str, ...]], bool] = {}
    defs: list[tuple[Note, int, Definition]] = []
    for n in notes:
        for i, d in enumerate(n.definitions):
            if d.scope:
                continue
            key = (d.term, d.aliases)
            named = spelled.get(key)
            if named is None:
                names = names_of(d)
                named = spelled[key] = bool(names)
                if names:
                    root = find(names[0])
                    for other in names[1:]:
                        parent[find(other)] = root
            if named:
                defs.append((n, i, d))
    roots = {key: find(fold(key[0])) for key, named in spelled.items() if named}
    groups: dict[str, list[tuple[Note, int, Definition]]] = {}
    for n, i, d in defs:
        groups.setdefault(roots[(d.term, d.aliases)], []).append((n, i, d))
    by_name: dict[str, Entry] = {}
    for group in groups.values():
        shown = {(n.path, i): d for n, i, d in group}
        entry = make_entry([(n.path, i, d.term, d.aliases, d.source.line, _fullness(d))
                            for n, i, d in group], _lookup(shown), key_path)
        for x in entry.names:
            by_name[x] = entry
    return TermIndex(by_name)
