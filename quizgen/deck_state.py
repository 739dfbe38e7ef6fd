"""The deck-level state of a package build, kept in the build cache and brought up to date by
what changed, so that a rebuild after editing a few notes does not work out the deck's terms,
shared labels and concept sites from every note again.

Each note's *contribution* (the definitions it adds to the deck's terms, the labels of its key
formulas, the concepts it shows, its problems) is stored under its text hash; the deck's terms
are stored one component (the definitions that share a name) per row. An update takes the
changed notes' old contributions out and puts their new ones in, and rebuilds only the
components they touch, with the same functions a build of the whole deck uses
(:func:`quizgen.generate.terms.make_entry`). What it cannot do by parts (two terms joined by a
new alias, a term split by a removed one, many notes changed at once) it leaves to a build of
the whole deck (:func:`update` returns None).

Which notes' cards may read something that changed is worked out on the way: the notes that
changed, the owners of the terms whose entry changed, the notes of a label that the deck now
shares (or no longer does). Every other note's cards read what they read last time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import msgspec

from quizgen.generate.labels import deck_labels, note_labels
from quizgen.generate.terms import Entry, Member, TermIndex, fold, make_entry, members
from quizgen.model import Definition, Note, Problem, SourceRef

IndexOf = Callable[[Iterable[str]], Mapping[str, Note]]
"""Note paths → their index notes (see :func:`quizgen.cache.index_note`)."""

MAX_CHANGED = 0.05  # past this share of the deck's notes, a build of the whole deck is cheaper


class _Contribution(msgspec.Struct, array_like=True, frozen=True):
    members: list[Member]
    labels: list[tuple[str, str]]  # (folded label, digest of the formula) of each key formula
    concepts: list[str]
    problems: list[Problem]


class _Component(msgspec.Struct, array_like=True):
    members: dict[str, list[Member]]  # note path → its definitions of the term, in order
    names: list[str]  # the folded names that lead here
    chosen: tuple[str, int]  # the member whose definition the entry shows
    shown: Definition


class _State(msgspec.Struct, array_like=True):
    key: str  # what the state was made for (settings, code)
    order: list[tuple[str, str]]  # (note path, text hash), in the deck's order
    names: dict[str, int]  # folded name → component
    next: int  # the next component number
    labels: dict[str, dict[str, list[str]]]  # label → digest → the note of each occurrence
    concepts: dict[str, list[str]]  # note path → concepts it shows
    problems: dict[str, list[Problem]]  # note path → its problems (only notes with some)


class Store(Protocol):
    """Where the state lives (the build cache gives one): rows of bytes by key."""

    def get(self, key: str) -> bytes | None: ...

    def get_many(self, keys: Sequence[str]) -> dict[str, bytes]:
        """The rows of ``keys`` that exist."""
        ...

    def put(self, key: str, value: bytes | None) -> None:
        """Write a row (None deletes it)."""
        ...

    def clear(self) -> None:
        """Forget every row."""
        ...


_STATE = msgspec.msgpack.Decoder(_State)
_COMPONENT = msgspec.msgpack.Decoder(_Component)
_CONTRIBUTION = msgspec.msgpack.Decoder(_Contribution)
_ENCODE = msgspec.msgpack.Encoder().encode


def contribution(note: Note) -> _Contribution:
    """What ``note`` (its index note) gives the deck-level state."""
    return _Contribution(members(note), note_labels(note),
                         list(dict.fromkeys(f.concept for f in note.formulas if f.concept)),
                         list(note.problems))


def _group(comp: _Component, pos: Mapping[str, int]) -> list[Member]:
    return [m for p in sorted(comp.members, key=pos.__getitem__) for m in comp.members[p]]


def _keys(comp: _Component) -> set[tuple[str, tuple[str, ...]]]:
    return {(m[2], m[3]) for ms in comp.members.values() for m in ms}


def _folded(term: str, aliases: tuple[str, ...]) -> tuple[str, ...]:
    """Every folded name of a spelling; a spelling with a name that folds to nothing is
    grouped by rules of its own (see ``terms.index``): not one to update by parts."""
    out = tuple(fold(x) for x in (term, *aliases))
    if "" in out:
        raise Fresh
    return out


_NOTHING = Definition("", (), "", SourceRef("", 0))  # a new component's, until it has one


@dataclass
class View:
    """The deck-level state a build reads: the deck's terms (the components asked for so far,
    see :meth:`require`), shared labels, where each concept first appears, every note's
    problems, and the notes whose cards may read something that changed."""

    terms: TermIndex
    shared_labels: frozenset[str]
    repeated: Mapping[str, tuple[str, ...]]  # formulas several notes write alike (``labels``)
    sites: frozenset[str]  # notes where a concept first appears (the deck's drills)
    problems: Mapping[str, Sequence[Problem]]
    candidates: frozenset[str]
    _store: Store
    _state: _State
    _pos: Mapping[str, int]
    _key_path: Mapping[str, str]
    _writes: dict[str, bytes | None]
    _loaded: dict[int, _Component] = field(default_factory=dict)

    def commit(self) -> None:
        """Write the state brought up to date (once the build that read it is done)."""
        for k, v in self._writes.items():
            self._store.put(k, v)
        self._writes.clear()

    def require(self, notes: Iterable[Note]) -> bool:
        """Make :attr:`terms` hold the entry of every term ``notes`` define; False when the
        stored state lacks one (a damaged cache)."""
        by_name = self.terms.by_name
        assert isinstance(by_name, dict)
        want: list[int] = []
        for n in notes:
            for m in members(n):
                cid = self._state.names.get(fold(m[2]))
                if cid is not None and cid not in self._loaded and cid not in want:
                    want.append(cid)
        rows = self._store.get_many([f"comp:{c}" for c in want])
        if len(rows) < len(want):
            return False
        for cid in want:
            try:
                comp = _COMPONENT.decode(rows[f"comp:{cid}"])
                entry = _entry(comp, self._pos, self._key_path)
            except (msgspec.DecodeError, Fresh):
                return False
            self._loaded[cid] = comp
            for x in entry.names:
                by_name[x] = entry
        return True


def _entry(comp: _Component, pos: Mapping[str, int], key_path: Mapping[str, str]) -> Entry:
    def chosen(m: Member) -> Definition:
        if (m[0], m[1]) != comp.chosen:
            raise Fresh  # (the stored choice is always the best member)
        return comp.shown

    return make_entry(_group(comp, pos), chosen, key_path)


class Fresh(Exception):
    """The change cannot be made by parts: the whole deck's state is made again."""


def update(store: Store, key: str, names: Sequence[str], digests: Mapping[str, str],
           index_of: IndexOf, key_path: Mapping[str, str]) -> View | None:
    """The deck-level state of the notes ``names`` (with text hashes ``digests``), brought up
    to date from the stored one; None when there is none for ``key`` or the change is not
    one to make by parts (then :func:`record` the whole deck's)."""
    blob = store.get("state")
    if blob is None:
        return None
    try:
        state = _STATE.decode(blob)
        if state.key != key:
            return None
        return _update(store, state, names, digests, index_of, key_path)
    except (Fresh, msgspec.DecodeError, KeyError):
        return None


def _update(store: Store, state: _State, names: Sequence[str], digests: Mapping[str, str],
            index_of: IndexOf, key_path: Mapping[str, str]) -> View:
    old = dict(state.order)
    now = set(names)
    if [n for n in names if n in old] != [n for n, _ in state.order if n in now]:
        raise Fresh  # the notes that stay are in another order
    changed = [n for n in names if old.get(n) != digests[n]]
    removed = [n for n, _ in state.order if n not in now]
    if len(changed) + len(removed) > max(8, MAX_CHANGED * len(names)):
        raise Fresh
    pos = {n: i for i, n in enumerate(names)}
    gone = [n for n in (*changed, *removed) if n in old]
    rows = store.get_many([f"note:{n}" for n in gone])
    before = {n: _CONTRIBUTION.decode(rows[f"note:{n}"]) for n in gone}
    index = index_of(changed)
    after = {n: contribution(index[n]) for n in changed}
    # -- terms ------------------------------------------------------------------------------
    comps: dict[int, _Component] = {}
    writes: dict[str, bytes | None] = {}  # made once the build is done (``View.commit``)

    # What each component touched was: its notes, its keys, the definition it showed, and the
    # changed notes' definitions of it (as the entry reads them: place and spelling).
    old_notes: dict[int, set[str]] = {}
    old_keys: dict[int, set[tuple[str, tuple[str, ...]]]] = {}
    old_shown: dict[int, tuple[tuple[str, int], Definition]] = {}
    said: dict[int, dict[str, list[tuple[object, ...]]]] = {}

    def load(cid: int) -> _Component:
        if cid not in comps:
            comp = comps[cid] = _COMPONENT.decode(store.get_many([f"comp:{cid}"])[f"comp:{cid}"])
            old_notes[cid] = set(comp.members)
            old_keys[cid] = _keys(comp)
            old_shown[cid] = comp.chosen, comp.shown
            said[cid] = {}
        return comps[cid]

    def place(m: Member) -> tuple[object, ...]:
        return m[5][3], m[4], m[2], m[3]

    for c in before.values():
        for m in c.members:
            load(state.names[fold(m[2])])
    for n, c in before.items():
        for m in c.members:
            cid = state.names[fold(m[2])]
            if n in comps[cid].members:
                said[cid][n] = [place(x) for x in comps[cid].members.pop(n)]
    for n in changed:
        for m in after[n].members:
            folded = _folded(m[2], m[3])
            known = {state.names[x] for x in folded if x in state.names}
            if len(known) > 1:
                raise Fresh  # a new alias joins two terms
            if known:
                cid = known.pop()
                comp = load(cid)
            else:
                cid, state.next = state.next, state.next + 1
                comp = comps[cid] = _Component({}, [], ("", -1), _NOTHING)
            for x in folded:
                if x not in state.names:
                    state.names[x] = cid
                    comp.names.append(x)
            comp.members.setdefault(n, []).append(m)
    candidates = set(changed)
    entries: dict[int, Entry] = {}
    for cid, comp in comps.items():
        keys = _keys(comp)
        if any(len(_folded(*k)) > 1 for k in old_keys.get(cid, set()) - keys):
            raise Fresh  # a term's last spelling with several names went: it may split
        names_now = {x for k in keys for x in _folded(*k)}
        for x in [x for x in comp.names if x not in names_now]:
            del state.names[x]
        comp.names = [x for x in comp.names if x in names_now]
        was = old_notes.get(cid, set())
        owners = {min(was, key=lambda p: key_path.get(p, p))} if was else set()
        if not comp.members:
            writes[f"comp:{cid}"] = None
            candidates |= owners
            continue
        best = max(_group(comp, pos), key=lambda m: m[5])
        if (best[0], best[1]) != comp.chosen or best[0] in after:
            note = index[best[0]] if best[0] in index else index_of([best[0]])[best[0]]
            comp.chosen, comp.shown = (best[0], best[1]), note.definitions[best[1]]
        entry = entries[cid] = _entry(comp, pos, key_path)
        # The entry is as it was when the same notes define the term, at the same places under
        # the same names, and the same definition is shown; else its owners' cards may change.
        same = (was == set(comp.members) and old_shown.get(cid) == (comp.chosen, comp.shown)
                and all([place(m) for m in comp.members.get(n, ())] == before_places
                        for n, before_places in said[cid].items()))
        if not same:
            candidates |= owners | {entry.owner}
        writes[f"comp:{cid}"] = _ENCODE(comp)
    # -- labels -----------------------------------------------------------------------------
    # A label whose formulas change between shared, repeated and neither changes the cards of
    # every note that gives it.
    touched = {lab for c in (*before.values(), *after.values()) for lab, _ in c.labels}
    said_as = {lab: deck_labels(state.labels, key_path, (lab,)) for lab in touched}
    for n, c in before.items():
        for label, dg in c.labels:
            notes = state.labels[label][dg]
            notes.remove(n)
            if not notes:
                del state.labels[label][dg]
    for n, c in after.items():
        for label, dg in c.labels:
            state.labels.setdefault(label, {}).setdefault(dg, []).append(n)
    for label in touched:
        if not state.labels.get(label):
            state.labels.pop(label, None)
        if deck_labels(state.labels, key_path, (label,)) != said_as[label]:
            # (a note that gave it before and no longer does is a changed one)
            candidates.update(n for ns in state.labels.get(label, {}).values() for n in ns)
    # -- concepts, problems, the notes --------------------------------------------------------
    for n in removed:
        state.concepts.pop(n, None)
        state.problems.pop(n, None)
        writes[f"note:{n}"] = None
    for n, c in after.items():
        state.concepts.pop(n, None)
        state.problems.pop(n, None)
        if c.concepts:
            state.concepts[n] = c.concepts
        if c.problems:
            state.problems[n] = c.problems
        writes[f"note:{n}"] = _ENCODE(c)
    state.order = [(n, digests[n]) for n in names]
    writes["state"] = _ENCODE(state)
    shared_labels, repeated = deck_labels(state.labels, key_path)
    view = View(TermIndex({}), shared_labels, repeated, _sites(names, state.concepts),
                state.problems, frozenset(candidates & now), store, state, pos, key_path, writes)
    view._loaded.update((cid, comps[cid]) for cid in entries)
    by_name = view.terms.by_name
    assert isinstance(by_name, dict)
    for entry in entries.values():
        for x in entry.names:
            by_name[x] = entry
    return view


def _sites(names: Sequence[str], concepts: Mapping[str, Sequence[str]]) -> frozenset[str]:
    first: dict[str, str] = {}
    for n in names:
        for c in concepts.get(n, ()):
            first.setdefault(c, n)
    return frozenset(first.values())


def record(store: Store, key: str, names: Sequence[str], digests: Mapping[str, str],
           notes: Mapping[str, Note], terms: TermIndex) -> None:
    """Store the deck-level state of a build of the whole deck (``notes`` by path: their index
    notes; ``terms``: their terms, as :func:`quizgen.generate.terms.index` made them)."""
    store.clear()
    if "" in terms.by_name:
        return  # a name that folds to nothing is grouped by rules of its own: no state
    cids: dict[int, int] = {}  # id of an entry → its component
    state = _State(key, [(n, digests[n]) for n in names], {}, 0, {}, {}, {})
    comps: dict[int, _Component] = {}
    for name, entry in terms.by_name.items():
        cid = cids.setdefault(id(entry), len(cids))
        state.names[name] = cid
        if cid not in comps:
            comps[cid] = _Component({}, [], ("", -1), entry.chosen)
        comps[cid].names.append(name)
    state.next = len(cids)
    for n in names:
        c = contribution(notes[n])
        for m in c.members:
            comp = comps[state.names[fold(m[2])]]
            comp.members.setdefault(n, []).append(m)
            if notes[n].definitions[m[1]] is comp.shown:
                comp.chosen = (n, m[1])
        for label, said in c.labels:
            state.labels.setdefault(label, {}).setdefault(said, []).append(n)
        if c.concepts:
            state.concepts[n] = c.concepts
        if c.problems:
            state.problems[n] = c.problems
        store.put(f"note:{n}", _ENCODE(c))
    if any(comp.chosen[1] < 0 for comp in comps.values()):
        store.clear()  # (terms made from other notes than these)
        return
    for cid, comp in comps.items():
        store.put(f"comp:{cid}", _ENCODE(comp))
    store.put("state", _ENCODE(state))
