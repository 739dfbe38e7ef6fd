"""What a sync must do, decided from three sides without touching Anki: the notes the build
wants, the notes Anki holds, and what the last sync (or the last .apkg build) sent.

Matching. A note is found by the Anki note id the last sync recorded (if that note still
carries the same Key), else by its Key field: the card key, which, like the GUID, comes from
what the card is about. Several notes with one key (two decks built from the same notes) are
told apart by the deck tree of the build's namespace; if that does not decide, none is touched
and the card is reported. Nothing is matched by text the user edits.

Fields. Anki's and the build's fields are compared; when they differ, the hash of the fields
last sent decides:

=====================  ===============  =========================================
Anki = last sent       build changed    update (the source changed)
build = last sent      Anki changed     keep Anki's (an edit made in Anki)
neither                both changed     conflict: the notes win, unless keep_anki
nothing recorded       –                the .apkg state, if its note is the build's,
                                        means the edit is Anki's (kept); else update
=====================  ===============  =========================================

Orphans are notes the last sync or .apkg build made that the build no longer wants.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from quizgen.export import anki_state
from quizgen.model import Problem
from quizgen.sync.remote import Held
from quizgen.sync.state import ORPHAN_TAG, Entry, SyncState
from quizgen.sync.wanted import Wanted, fields_hash, key_field


@dataclass(frozen=True)
class Change:
    want: Wanted
    held: Held
    conflict: bool = False


@dataclass(frozen=True)
class Orphan:
    guid: str
    key: str  # the card key, as the build named it
    held: Held
    entry: Entry | None


@dataclass(frozen=True)
class Move:
    held: Held
    old: str  # the deck the last sync asked for
    new: str


@dataclass
class Plan:
    add: list[Wanted] = field(default_factory=list)
    update: list[Change] = field(default_factory=list)  # fields to write (the notes win)
    keep: list[Change] = field(default_factory=list)  # Anki's fields kept
    same: list[Change] = field(default_factory=list)
    orphans: list[Orphan] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)  # GUIDs Anki no longer has (deleted there)
    retag: list[tuple[Held, tuple[str, ...]]] = field(default_factory=list)  # tags to add
    revived: list[tuple[Held, Entry | None]] = field(default_factory=list)  # no longer orphans
    moves: list[Move] = field(default_factory=list)  # if the user has not moved them himself
    problems: list[Problem] = field(default_factory=list)

    @property
    def conflicts(self) -> list[Change]:
        return [c for c in self.update + self.keep if c.conflict]


class _Finder:
    def __init__(self, held: Sequence[Held], in_tree: set[int]) -> None:
        self.by_nid = {h.nid: h for h in held}
        self.by_key: dict[str, list[Held]] = defaultdict(list)
        for h in held:
            if h.key:
                self.by_key[h.key].append(h)
        self.in_tree = in_tree
        self.claimed: set[int] = set()

    def by_entry(self, entry: Entry | None, key: str) -> Held | None:
        h = self.by_nid.get(entry.nid) if entry is not None else None
        if h is None or h.key != key or h.nid in self.claimed:
            return None
        self.claimed.add(h.nid)
        return h

    def by_field(self, key: str) -> Held | bool | None:
        """The one unclaimed note with this Key; False when several and none stands out."""
        found = [h for h in self.by_key.get(key, ()) if h.nid not in self.claimed]
        if len(found) > 1:
            found = [h for h in found if h.nid in self.in_tree]
            if len(found) != 1:
                return False
        if not found:
            return None
        self.claimed.add(found[0].nid)
        return found[0]


def _fields_side(want: Wanted, held: Held, entry: Entry | None,
                 package: anki_state.State, keep_anki: bool) -> tuple[str, bool]:
    """("same" | "update" | "keep", conflict)."""
    ours = want.hash
    theirs = fields_hash(held.fields)
    if ours == theirs:
        return "same", False
    base = entry.fields if entry is not None and entry.nid == held.nid else None
    if base is None:
        stamp = package.notes.get(want.guid)
        return ("keep" if stamp is not None and stamp.digest == want.digest else "update"), False
    if base == theirs:
        return "update", False
    if base == ours:
        return "keep", False
    return ("keep" if keep_anki else "update"), True


def _lower(tags: Sequence[str]) -> set[str]:
    return {t.casefold() for t in tags}


def plan(wanted: Sequence[Wanted], held: Sequence[Held], in_tree: set[int], state: SyncState,
         package: anki_state.State, keep_anki: bool = False) -> Plan:
    """Decide every note; pure (no request is made)."""
    out = Plan()
    finder = _Finder(held, in_tree)
    found: dict[str, Held] = {}
    for w in wanted:  # first the notes the last sync recorded: their ids are certain
        h = finder.by_entry(state.notes.get(w.guid), w.key)
        if h is not None:
            found[w.guid] = h
    for w in wanted:
        if w.guid in found:
            continue
        hit = finder.by_field(w.key)
        if hit is False:
            out.problems.append(Problem(
                w.card.source.path, w.card.source.line,
                f"{w.card.key}: several notes in Anki carry this key and none is in the deck "
                f"{w.deck.split('::')[0]!r}; none was changed (delete the extra ones in Anki)",
                "warning"))
            continue
        if isinstance(hit, Held):
            found[w.guid] = hit
        else:
            out.add.append(w)
    for w in wanted:
        h = found.get(w.guid)
        if h is None:
            continue
        entry = state.notes.get(w.guid)
        side, conflict = _fields_side(w, h, entry, package, keep_anki)
        getattr(out, side).append(Change(w, h, conflict))
        have = _lower(h.tags)
        missing = tuple(t for t in w.built.tags if t.casefold() not in have)
        if missing:
            out.retag.append((h, missing))
        if ORPHAN_TAG.casefold() in have:
            out.revived.append((h, entry))
        if entry is not None and entry.nid == h.nid and entry.deck != w.deck:
            out.moves.append(Move(h, entry.deck, w.deck))
    wanted_ids = {w.guid for w in wanted}
    for guid, entry in state.notes.items():
        if guid in wanted_ids:
            continue
        key = key_field(entry.key)
        h = finder.by_entry(entry, key)
        if h is None:
            hit = finder.by_field(key)
            h = hit if isinstance(hit, Held) else None
        if h is None:
            out.gone.append(guid)
        else:
            out.orphans.append(Orphan(guid, entry.key, h, entry))
    for guid, stamp in package.notes.items():
        if guid in wanted_ids or guid in state.notes:
            continue
        hit = finder.by_field(key_field(stamp.key))
        if isinstance(hit, Held):
            out.orphans.append(Orphan(guid, stamp.key, hit, None))
    return out
