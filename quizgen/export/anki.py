"""Cards → an Anki package (.apkg) that imports cleanly and updates in place.

What makes a rebuild safe to re-import (measured against Anki's importer):

- note GUID = ``card.id``, derived from what the card is about, never from its text;
- note type ids and field/template names are constant (:mod:`quizgen.export.anki_models`);
- each note's ``mod`` is the time its content last changed (:mod:`quizgen.export.anki_state`),
  so Anki skips unchanged notes (keeping edits made in Anki) and takes changed ones;
- images are packaged under content-hash base names (:mod:`quizgen.export.media`).

What makes a rebuild cost what changed: beside the package and its state,
``<out>.quizgen-cache.anki2`` keeps the collection database of the last build. A rebuild
patches it in place (in a journalled transaction): it deletes the notes that are gone,
rewrites only the notes whose cards changed (told by a hash of the card, so unchanged cards
are never rendered) and inserts the new ones. Cards are grouped by the note file they come
from; the caller may leave out the cards of whole groups it knows to be unchanged (``keep``),
which are then not even looked at. The package is zipped reusing the compressed chunks of the
previous one (:mod:`quizgen.export.anki_zip`), and is not written at all when nothing changed.
The cache is only a cache: when it is missing, damaged or does not match the state, the
package is written in full, with the same notes, fields, ``mod``s, tags and decks.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from quizgen.atomic import temp_beside
from quizgen.export import anki_db, anki_state, anki_zip
from quizgen.export.anki_db import Row
from quizgen.export.anki_inputs import has_images, inputs_digest, render_version
from quizgen.export.anki_models import SHAPES, digests
from quizgen.export.media import Media
from quizgen.model import Card, Problem

if TYPE_CHECKING:
    from quizgen.export import anki_notes

Grouping = Callable[[Card], str]


def by_note_file(card: Card) -> str:
    """The default group of a card: the note path its key starts with."""
    return card.key.split("|", 1)[0]


@dataclass(frozen=True)
class AnkiReport:
    path: Path
    notes: int
    cards: int
    media: int
    changed: int  # notes new or changed since the previous build (stamped ``now``)
    orphans: tuple[str, ...]  # keys in the previous builds' state but not in this package
    problems: tuple[Problem, ...]  # cards left out, images refused … with file:line
    rendered: int = 0  # cards turned into note fields in this build
    written: bool = True  # False: nothing changed, the package was left as it was


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Cyclic garbage collection off for the duration: the notes are tens of thousands of
    acyclic objects, and every collection would also walk all of the caller's cards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def deck_id(name: str) -> int:
    """A stable deck id from the deck name (31 bits, the range genanki recommends)."""
    h = int.from_bytes(hashlib.sha1(name.encode("utf-8")).digest()[:4], "big")
    return (1 << 30) | (h & ((1 << 30) - 1))


def cache_path(apkg: Path) -> Path:
    """``deck.apkg`` → ``deck.apkg.quizgen-cache.anki2`` next to it."""
    return apkg.with_name(apkg.name + ".quizgen-cache.anki2")


def _note_digest(built: anki_notes.Built) -> str:
    """What Anki stores for the note (the same hash as state files of version 1 hold)."""
    text = "\x1f".join((str(built.shape.model_id), *built.fields, "\x1e", *built.tags))
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _cache_usable(state: anki_state.State, path: Path) -> bool:
    return (state.render == render_version() and state.cache is not None
            and state.cache == anki_state.file_mark(path))


def _state_path(out_path: Path, state_path: Path | None) -> tuple[Path, Path | None]:
    if state_path is not None:
        return state_path, None
    return anki_state.default_path(out_path), anki_state.legacy_path(out_path)


def reusable(out_path: Path, state_path: Path | None = None) -> frozenset[str]:
    """Groups (see :func:`by_note_file`) whose cards a rebuild of ``out_path`` may ``keep``
    without passing them: held by the cache, rendered with this code, from images that have
    not changed since. Empty when there is no usable cache; never raises."""
    path, _ = _state_path(out_path, state_path)
    if not path.is_file():
        return frozenset()
    try:
        with _gc_paused():
            state = anki_state.open_state(path)
    except OSError:
        return frozenset()
    try:
        if not _cache_usable(state, cache_path(out_path)):
            return frozenset()
        groups = state.groups()
        stale = {name for name, src in state.media.items() if not src.unchanged()}
        bad = state.groups_showing(stale) if stale else set()
        return frozenset(g for g, ok in groups.items() if ok and g not in bad)
    except sqlite3.DatabaseError:
        return frozenset()
    finally:
        state.close()


def _media_bytes(name: str, path: Path) -> bytes | None:
    """The image's bytes if they are still the ones ``name`` was made from."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return data if name.startswith(f"qg-{hashlib.sha1(data).hexdigest()[:16]}.") else None


def _unique(problems: list[Problem]) -> tuple[Problem, ...]:
    """One report per place: a definition's image shows up in several of its cards."""
    return tuple(dict.fromkeys(problems))


@dataclass(frozen=True)
class _Cache:
    path: Path
    decks: dict[int, str]  # every deck of the collection row, by id
    collection: tuple[str, str]  # (models, decks) JSON


def _open_cache(state: anki_state.State, path: Path) -> _Cache | None:
    """The previous build's database if it is the one ``state`` describes and readable."""
    if not _cache_usable(state, path):
        return None
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            collection = anki_db.collection(conn)
        finally:
            conn.close()
        decks = anki_db.deck_names(collection[1])
    except sqlite3.DatabaseError:
        return None
    return _Cache(path, decks, collection)


@dataclass
class _Plan:
    """The notes of this build's package, and which of them need a row (re)written."""

    rows: dict[str, Row] = field(default_factory=dict)  # new or changed notes, by GUID
    gone: dict[str, anki_state.Stamp] = field(default_factory=dict)  # held rows to delete
    stamps: dict[str, anki_state.Stamp] = field(default_factory=dict)  # of passed cards
    decks: dict[int, str] = field(default_factory=dict)  # id → name of the decks of ``rows``
    media: set[str] = field(default_factory=set)  # images shown by the passed cards
    latest: int = 0  # the largest ``mod`` of the passed notes
    changed: int = 0
    rendered: int = 0
    notes: int = 0  # notes in the package
    problems: list[Problem] = field(default_factory=list)


def _plan(cards: Sequence[Card], keep: frozenset[str], state: anki_state.State, cached: bool,
          media: Media, now: int, out_path: Path, group: Grouping) -> _Plan:
    """Decide every note of the package; render only cards whose row must be written."""
    plan = _Plan()
    known = state.notes(dict.fromkeys(c.id for c in cards))
    dids: dict[str, int] = {}
    for card in cards:
        if card.id in plan.stamps:
            plan.problems.append(Problem(card.source.path, card.source.line,
                                         f"duplicate card id {card.id} ({card.key}); kept the "
                                         "first"))
            continue
        inputs = inputs_digest(card)
        grp = group(card)
        old = known.get(card.id)
        old_inputs = old.inputs if old is not None else None
        # Images are read at render time: their bytes are not in the hash.
        if (old is not None and cached and old.nid and old.inputs == inputs
                and not has_images(card)):
            if old.key != card.key or old.group != grp:
                old.key, old.group = card.key, grp
                state.touch(card.id, old)
            plan.stamps[card.id] = old
            plan.latest = max(plan.latest, old.mod)
            continue
        from quizgen.export.anki_notes import build  # only a card to render needs markdown-it

        built = build(card, media)
        plan.rendered += 1
        shown: tuple[str, ...] = ()
        refused = bool(media.problems)
        if media.used or refused:
            shown = tuple(dict.fromkeys(media.used))
            plan.problems.extend(media.problems)
            media.used.clear()
            media.problems.clear()
        if isinstance(built, Problem):
            plan.problems.append(built)
            continue
        stamp, is_new = state.stamp(card.id, card.key, _note_digest(built), now)
        was_held = stamp.nid if cached else 0
        before = (stamp.inputs, stamp.media, stamp.group)
        stamp.inputs = "" if refused else inputs  # problems are reported by rendering again
        stamp.media, stamp.group, stamp.nid = shown, grp, was_held
        if is_new or before != (stamp.inputs, stamp.media, stamp.group) or not was_held:
            state.touch(card.id, stamp)
        plan.stamps[card.id] = stamp
        plan.media.update(shown)
        plan.latest = max(plan.latest, stamp.mod)
        plan.changed += is_new
        if is_new or old_inputs != inputs or not was_held:
            did = dids.get(card.deck)
            if did is None:
                did = dids[card.deck] = deck_id(card.deck)
            plan.rows[card.id] = Row(card.id, built.shape.model_id, stamp.mod, built.tags,
                                     built.fields, did)
    plan.decks = {did: name for name, did in dids.items()}
    held_groups = state.groups() if cached else {}
    missing = sorted(g for g in keep if g not in held_groups)
    plan.problems.extend(
        Problem(str(out_path), 0, f"the cards of {g} were to be kept from the previous build, "
                "but its cache does not hold them; they are missing from this package (build "
                "again)") for g in missing)
    if cached:
        # Held rows not passed again and not kept: gone from the notes.
        for guid, stamp in state.held_in(g for g in held_groups if g not in keep).items():
            if guid not in plan.stamps:
                plan.gone[guid] = stamp
    return plan


def _package_media(wanted: set[str], state: anki_state.State, media: Media,
                   out_path: Path) -> tuple[dict[str, bytes], list[Problem]]:
    """The images ``wanted`` by name; records their sources in ``state``."""
    files: dict[str, bytes] = {}
    sources: dict[str, anki_state.Source] = {}
    problems: list[Problem] = []
    for name in sorted(wanted):
        path = media.files.get(name)
        if path is None and name in state.media:
            path = Path(state.media[name].path)
        data = None if path is None else _media_bytes(name, path)
        if path is None or data is None:
            problems.append(Problem(str(out_path), 0, f"image {name} changed while the package "
                                    "was written; build again"))
            continue
        files[name] = data
        try:
            sources[name] = anki_state.Source.of(path)
        except OSError:  # removed since it was read: the next build reads it again
            continue
    state.media = sources
    return files, problems


def _stamp_models(state: anki_state.State, now: int) -> dict[int, int]:
    """Each note type's ``mod``, by id."""
    return {shape.model_id: state.stamp_model(str(shape.model_id), shape.name,
                                              digests()[shape.model_id], now)
            for shape in SHAPES}


def _counts(pairs: Sequence[tuple[int, int]]) -> dict[str, dict[str, int]]:
    mids: dict[str, int] = {}
    dids: dict[str, int] = {}
    for mid, did in pairs:
        mids[str(mid)] = mids.get(str(mid), 0) + 1
        dids[str(did)] = dids.get(str(did), 0) + 1
    return {"mids": mids, "dids": dids}


def _add(counts: dict[str, dict[str, int]], pairs: Sequence[tuple[int, int]], sign: int) -> None:
    for mid, did in pairs:
        for table, ident in (("mids", str(mid)), ("dids", str(did))):
            n = counts[table].get(ident, 0) + sign
            if n > 0:
                counts[table][ident] = n
            else:
                counts[table].pop(ident, None)


def _in_use(counts: dict[str, dict[str, int]]) -> tuple[set[int], set[int]]:
    return {int(k) for k in counts["mids"]}, {int(k) for k in counts["dids"]}


def _collection_key(models: dict[int, int], decks: dict[int, str], mids: set[int],
                    dids: set[int]) -> str:
    """What the collection row is made from (note type mods, decks and types in use): equal
    keys, equal rows, so an unchanged build need not build the row to compare it."""
    return json.dumps([sorted(models.items()), sorted(mids),
                       sorted((d, decks.get(d, "")) for d in dids)], ensure_ascii=False)


def _write_full(plan: _Plan, models: dict[int, int], cache_file: Path,
                first_id: int, state: anki_state.State) -> None:
    """A new cache database holding exactly the passed notes.

    Raises:
        sqlite3.DatabaseError / OSError: it cannot be written.
    """
    rows = list(plan.rows.values())
    with temp_beside(cache_file, ".anki2") as db:
        conn = anki_db.connect(db, fresh=True)
        try:
            nids = anki_db.create(conn, rows, first_id)
            counts = _counts([(r.mid, r.did) for r in rows])
            anki_db.set_collection(conn, *anki_db.collection_json(
                models, plan.decks, *_in_use(counts)))
            state.package["collection"] = _collection_key(models, plan.decks,
                                                          *_in_use(counts))
        finally:
            conn.close()
        os.replace(db, cache_file)
    for row, nid in zip(rows, nids, strict=True):
        plan.stamps[row.guid].nid = nid
        state.touch(row.guid, plan.stamps[row.guid])
    state.package["uses"] = counts


def _patch(plan: _Plan, cache: _Cache, models: dict[int, int], first_id: int,
           state: anki_state.State) -> bool:
    """Patch the cache database in place; False when there was nothing to change.

    Raises:
        sqlite3.DatabaseError: the cache is damaged.
    """
    changed = [(s.nid, row) for g, row in plan.rows.items() if (s := plan.stamps[g]).nid]
    new = [row for g, row in plan.rows.items() if not plan.stamps[g].nid]
    gone = [s.nid for s in plan.gone.values()]
    decks = {**cache.decks, **plan.decks}
    conn = anki_db.connect(cache.path, fresh=False)
    try:
        counts = state.package.get("uses")
        if not isinstance(counts, dict) or set(counts) != {"mids", "dids"}:
            mids, dids = anki_db.in_use(conn)
            counts = _counts([(m, 0) for m in mids])
            counts["dids"] = {str(d): 1 for d in dids}  # presence is all that is read
        mids, dids = _in_use(counts)
        if not (gone or changed or new) and state.package.get("collection") == _collection_key(
                models, decks, mids, dids):
            return False  # the collection row would come out the same: nothing to write
        before = anki_db.uses(conn, gone + [nid for nid, _ in changed])
        conn.execute("BEGIN")
        nids = anki_db.patch(conn, gone, changed, new,
                             max(first_id, anki_db.last_id(conn) + 1))
        _add(counts, before, -1)
        _add(counts, [(r.mid, r.did) for _, r in changed] + [(r.mid, r.did) for r in new], +1)
        mids, dids = _in_use(counts)
        cols = anki_db.collection_json(models, decks, mids, dids)
        if cols != cache.collection:
            anki_db.set_collection(conn, *cols)
        conn.execute("COMMIT")
        state.package["collection"] = _collection_key(models, decks, mids, dids)
    finally:
        conn.close()
    for row, nid in zip(new, nids, strict=True):
        plan.stamps[row.guid].nid = nid
        state.touch(row.guid, plan.stamps[row.guid])
    state.package["uses"] = counts
    return True


def _held_media(state: anki_state.State, plan: _Plan, patched: bool) -> set[str]:
    """Images shown by the package: the passed notes' and, when the cache is patched, those
    of the held notes that stay in it untouched."""
    names = set(plan.media)
    if patched:
        for name in state.media:
            if name not in names and any(g not in plan.gone and g not in plan.stamps
                                         for g in state.guids_showing(name)):
                names.add(name)
    return names


def _write(cards: Sequence[Card], out_path: Path, notes_root: Path, state: anki_state.State,
           now: int, keep: frozenset[str], group: Grouping, use_cache: bool) -> AnkiReport:
    cache_file = cache_path(out_path)
    cache = _open_cache(state, cache_file) if use_cache else None
    if cache is None:
        state.release_all()
    media = Media(notes_root)
    models = _stamp_models(state, now)
    plan = _plan(cards, keep, state, cache is not None, media, now, out_path, group)
    latest = max([*models.values(), plan.latest])
    files, media_problems = _package_media(_held_media(state, plan, cache is not None), state,
                                           media, out_path)
    if cache is None:
        _write_full(plan, dict(models), cache_file, latest * 1000, state)
        changed_db = True
    else:
        changed_db = _patch(plan, cache, dict(models), latest * 1000, state)
    for guid, stamp in plan.gone.items():
        stamp.nid = 0
        state.touch(guid, stamp)
    state.cache = anki_state.file_mark(cache_file)
    state.render = render_version()
    previous = state.package.get("zip")
    previous = previous if isinstance(previous, dict) else None
    unchanged = (not changed_db and previous is not None
                 and sorted(files) == state.package.get("media")
                 and previous.get("mark") == list(anki_state.file_mark(out_path) or ()))
    if not unchanged:
        with temp_beside(out_path) as tmp:
            described = anki_zip.write(cache_file, files, tmp, previous=previous, old=out_path)
            os.replace(tmp, out_path)
        described["mark"] = list(anki_state.file_mark(out_path) or ())
        state.package["zip"] = described
        state.package["media"] = sorted(files)
    uses = state.package.get("uses", {})
    notes = sum(uses.get("mids", {}).values())
    state.commit()
    return AnkiReport(
        # One card per note: every note type has one template, and cloze notes use c1 only.
        path=out_path, notes=notes, cards=notes, media=len(files),
        changed=plan.changed, orphans=tuple(state.orphans()),
        problems=_unique(plan.problems + media_problems), rendered=plan.rendered,
        written=not unchanged,
    )


def write_apkg(
    cards: Sequence[Card], out_path: Path, *, notes_root: Path,
    state_path: Path | None = None, now: int | None = None, keep: frozenset[str] = frozenset(),
    group: Grouping = by_note_file,
) -> AnkiReport:
    """Write ``cards`` to ``out_path`` atomically and update the state next to it.

    ``notes_root``: images must resolve inside it. ``state_path``: defaults to
    ``<out_path>.quizgen-state.sqlite`` (a JSON state of an earlier version beside the package
    is migrated). ``now``: the time (Unix seconds) stamped on notes whose content changed;
    defaults to the clock. ``group``: which group a card belongs to; ``keep``: groups (from
    :func:`reusable`) whose cards the caller leaves out because they have not changed: the
    package holds them as the previous build wrote them. Held cards of any other group that
    are not passed are gone (orphans). A group the previous build does not hold is reported.

    Bad card content never raises: such cards are left out and reported in
    :attr:`AnkiReport.problems`.

    Raises:
        OSError: the package or the state cannot be written (no file is left half written;
            the previous package, if any, is untouched).
    """
    now = int(time.time()) if now is None else int(now)
    path, legacy = _state_path(out_path, state_path)
    with _gc_paused():
        state = anki_state.open_state(path, legacy)
        try:
            try:
                return _write(cards, out_path, notes_root, state, now, keep, group, True)
            except sqlite3.DatabaseError:
                # The cache passed the checks but broke while being patched: write everything
                # (from the state as it was: nothing of the failed attempt was committed).
                state.close()
                state = anki_state.open_state(path, legacy)
                try:
                    return _write(cards, out_path, notes_root, state, now, keep, group, False)
                except sqlite3.Error as exc:
                    raise OSError(f"cannot write {out_path}: {exc}") from exc
        finally:
            state.close()
