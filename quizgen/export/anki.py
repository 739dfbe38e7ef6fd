"""Cards → an Anki package (.apkg) that imports cleanly and updates in place.

What makes a rebuild safe to re-import (measured against Anki's importer):

- note GUID = ``card.id``, derived from what the card is about, never from its text;
- note type ids and field/template names are constant (:mod:`quizgen.export.anki_models`);
- each note's ``mod`` is the time its content last changed (:mod:`quizgen.export.anki_state`),
  so Anki skips unchanged notes (keeping edits made in Anki) and takes changed ones;
- images are packaged under content-hash base names (:mod:`quizgen.export.media`).

What makes a rebuild fast: beside the package and its state file, ``<out>.quizgen-cache.anki2``
keeps the collection database of the last build. A rebuild copies it, deletes the notes that
are gone, rewrites only the notes whose cards changed (told by a hash of the card, so unchanged
cards are never rendered) and inserts the new ones; notes the caller passes in ``keep`` are not
even hashed. The cache is only a cache: when it is missing, damaged or does not match the state
file, the package is written in full, with the same notes, fields, ``mod``s, tags and decks.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import shutil
import sqlite3
import time
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import genanki

from quizgen.atomic import temp_beside
from quizgen.export import anki_db, anki_state
from quizgen.export.anki_db import Row
from quizgen.export.anki_models import SHAPES, TimedModel, digests
from quizgen.export.anki_notes import Built, build, has_images, inputs_digest, render_version
from quizgen.export.media import Media
from quizgen.model import Card, Problem

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed, so that the same build gives the same bytes


@dataclass(frozen=True)
class AnkiReport:
    path: Path
    notes: int
    cards: int
    media: int
    changed: int  # notes new or changed since the previous build (stamped ``now``)
    orphans: tuple[str, ...]  # keys in the previous build's state but not in this one
    problems: tuple[Problem, ...]  # cards left out, images refused … with file:line


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


def note_digest(built: Built) -> str:
    """What Anki stores for the note (the same hash as state files of version 1 hold)."""
    text = "\x1f".join((str(built.shape.model_id), *built.fields, "\x1e", *built.tags))
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class _Cache:
    path: Path
    held: dict[str, int]  # note id by GUID
    decks: dict[int, str]  # every deck of the collection row, by id
    collection: tuple[str, str]  # (models, decks) JSON
    mids: set[int]  # note types in use
    dids: set[int]  # decks in use


def _open_cache(state: anki_state.State, path: Path) -> _Cache | None:
    """The previous build's database if it is the one ``state`` describes and readable."""
    if (state.render != render_version() or state.cache is None
            or state.cache != anki_state.file_mark(path)):
        return None
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            held = anki_db.held(conn)
            collection = anki_db.collection(conn)
            mids, dids = anki_db.in_use(conn)
        finally:
            conn.close()
        decks = anki_db.deck_names(collection[1])
    except sqlite3.DatabaseError:
        return None
    if not dids <= decks.keys() or not mids <= {s.model_id for s in SHAPES}:
        return None
    return _Cache(path, held, decks, collection, mids, dids)


def reusable(out_path: Path, state_path: Path | None = None) -> frozenset[str]:
    """GUIDs of the notes a rebuild of ``out_path`` may ``keep`` without passing their cards:
    rows the cache holds, rendered with this code, from images that have not changed since.

    Reads the state file only (and stats the cache and the images); never raises. Empty when
    there is no usable cache.
    """
    with _gc_paused():
        state = anki_state.load(state_path or anki_state.default_path(out_path))
    if (state.render != render_version() or state.cache is None
            or state.cache != anki_state.file_mark(cache_path(out_path))):
        return frozenset()
    fresh = {name for name, src in state.media.items() if src.unchanged()}
    return frozenset(g for g, s in state.notes.items()
                     if s.inputs and all(m in fresh for m in s.media))


def _media_bytes(name: str, path: Path) -> bytes | None:
    """The image's bytes if they are still the ones ``name`` was made from."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return data if name.startswith(f"qg-{hashlib.sha1(data).hexdigest()[:16]}.") else None


def _zip(db: Path, media: dict[str, bytes], out_tmp: Path) -> None:
    names = sorted(media)
    with zipfile.ZipFile(out_tmp, "w") as z:
        # Level 1: a third of the default level's time, for some 15 % more bytes.
        z.writestr(zipfile.ZipInfo("collection.anki2", _ZIP_TIME), db.read_bytes(),
                   compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
        index = {str(i): name for i, name in enumerate(names)}
        z.writestr(zipfile.ZipInfo("media", _ZIP_TIME), json.dumps(index),
                   compress_type=zipfile.ZIP_DEFLATED)
        for i, name in enumerate(names):
            # Images are compressed already; storing them is faster and no bigger.
            z.writestr(zipfile.ZipInfo(str(i), _ZIP_TIME), media[name])


def _unique(problems: list[Problem]) -> tuple[Problem, ...]:
    """One report per place: a definition's image shows up in several of its cards."""
    return tuple(dict.fromkeys(problems))


@dataclass
class _Plan:
    """The notes of this build's package, and which of them need a row (re)written."""

    package: list[str]  # GUIDs, in card order
    rows: dict[str, Row]  # new or changed notes
    decks: dict[int, str]  # id → name of the decks of ``rows``
    media: set[str]  # names of the images the notes show
    latest: int  # the largest ``mod`` of the notes
    changed: int
    problems: list[Problem]


def _plan(cards: Sequence[Card], keep: frozenset[str], state: anki_state.State,
          held: dict[str, int], media: Media, now: int, out_path: Path) -> _Plan:
    """Decide every note of the package; render only cards whose row must be written."""
    plan = _Plan([], {}, {}, set(), 0, 0, [])
    in_package: set[str] = set()
    passed: set[str] = set()  # a card passed, even a bad one, overrides a stale ``keep``
    dids: dict[str, int] = {}
    for card in cards:
        passed.add(card.id)
        if card.id in in_package:
            plan.problems.append(Problem(card.source.path, card.source.line,
                                         f"duplicate card id {card.id} ({card.key}); kept the "
                                         "first"))
            continue
        inputs = inputs_digest(card)
        old = state.notes.get(card.id)
        old_inputs = old.inputs if old is not None else None
        # Images are read at render time: their bytes are not in the hash.
        if old is not None and old_inputs == inputs and card.id in held and not has_images(card):
            old.key = card.key
            in_package.add(card.id)
            plan.package.append(card.id)
            plan.latest = max(plan.latest, old.mod)
            continue
        built = build(card, media)
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
        mod, is_new = state.stamp(state.notes, card.id, card.key, note_digest(built), now)
        entry = state.notes[card.id]
        entry.inputs = "" if refused else inputs  # problems are reported by rendering again
        entry.media = shown
        plan.media.update(shown)
        in_package.add(card.id)
        plan.package.append(card.id)
        plan.latest = max(plan.latest, mod)
        plan.changed += is_new
        if is_new or old_inputs != inputs or card.id not in held:
            did = dids.get(card.deck)
            if did is None:
                did = dids[card.deck] = deck_id(card.deck)
            plan.rows[card.id] = Row(card.id, built.shape.model_id, mod, built.tags,
                                     built.fields, did)
    missing: list[str] = []
    notes = state.notes
    for guid in keep - passed:
        stamp = notes.get(guid)
        if stamp is None or not stamp.inputs or guid not in held:
            missing.append(stamp.key if stamp is not None else guid)
            continue
        plan.package.append(guid)
        if stamp.mod > plan.latest:
            plan.latest = stamp.mod
        if stamp.media:
            plan.media.update(stamp.media)
    plan.problems.extend(
        Problem(str(out_path), 0, f"note {what} was to be kept from the previous build, but "
                "its cache does not hold it; it is missing from this package (build again)")
        for what in sorted(missing))
    plan.decks = {did: name for name, did in dids.items()}
    return plan


def _package_media(wanted: Iterable[str], state: anki_state.State, media: Media,
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


def _stamp_models(state: anki_state.State, now: int) -> dict[int, TimedModel]:
    models: dict[int, TimedModel] = {}
    for shape in SHAPES:
        mod, _ = state.stamp(state.models, str(shape.model_id), shape.name,
                             digests()[shape.model_id], now)
        models[shape.model_id] = TimedModel(shape, mod)
    return models


def _write_db(plan: _Plan, cache: _Cache | None, models: dict[int, genanki.Model],
              db: Path, first_id: int) -> bool:
    """Write the package's database to ``db``, or return False: the cache is it, unchanged.

    New note and card ids count up from ``first_id`` (or past the cache's largest id): Anki
    matches notes by GUID, so ids only matter for notes it has never seen.

    Raises:
        sqlite3.DatabaseError: the cache is damaged, or ``db`` cannot be written.
    """
    if cache is None:
        rows = [plan.rows[g] for g in plan.package]
        conn = anki_db.connect(db)
        try:
            anki_db.create(conn, rows, first_id)
            anki_db.set_collection(conn, *anki_db.collection_json(
                models, plan.decks, {r.mid for r in rows}, {r.did for r in rows}))
        finally:
            conn.close()
        return True
    in_package = set(plan.package)
    gone = [nid for g, nid in cache.held.items() if g not in in_package]
    changed = [(cache.held[g], row) for g, row in plan.rows.items() if g in cache.held]
    new = [row for g, row in plan.rows.items() if g not in cache.held]
    decks = {**cache.decks, **plan.decks}
    if not (gone or changed or new) and cache.collection == anki_db.collection_json(
            models, decks, cache.mids, cache.dids):
        return False
    shutil.copyfile(cache.path, db)
    conn = anki_db.connect(db)
    try:
        anki_db.patch(conn, gone, changed, new, max(first_id, anki_db.last_id(conn) + 1))
        cols = anki_db.collection_json(models, decks, *anki_db.in_use(conn))
        if cols != cache.collection:
            anki_db.set_collection(conn, *cols)
    finally:
        conn.close()
    return True


def _write(cards: Sequence[Card], out_path: Path, notes_root: Path, state_path: Path,
           now: int, keep: frozenset[str], use_cache: bool) -> AnkiReport:
    state = anki_state.load(state_path)
    cache_file = cache_path(out_path)
    cache = _open_cache(state, cache_file) if use_cache else None
    media = Media(notes_root)
    models = _stamp_models(state, now)
    plan = _plan(cards, keep, state, cache.held if cache else {}, media, now, out_path)
    files, media_problems = _package_media(plan.media, state, media, out_path)
    latest = max([m.mod for m in models.values()] + [plan.latest])
    with temp_beside(cache_file, ".anki2") as db, temp_beside(out_path) as tmp:
        written = _write_db(plan, cache, dict(models), db, latest * 1000)
        _zip(db if written or cache is None else cache.path, files, tmp)
        os.replace(tmp, out_path)
        if written:
            os.replace(db, cache_file)
            state.cache = anki_state.file_mark(cache_file)
    state.render = render_version()
    in_package = set(plan.package)
    orphans: list[str] = []
    for guid, entry in state.notes.items():
        if guid not in in_package:
            orphans.append(entry.key)
            entry.inputs, entry.media = "", ()  # no row in the cache
    anki_state.save(state, state_path)
    return AnkiReport(
        # One card per note: every note type has one template, and cloze notes use c1 only.
        path=out_path, notes=len(plan.package), cards=len(plan.package), media=len(files),
        changed=plan.changed, orphans=tuple(sorted(orphans)),
        problems=_unique(plan.problems + media_problems),
    )


def write_apkg(
    cards: Sequence[Card], out_path: Path, *, notes_root: Path,
    state_path: Path | None = None, now: int | None = None, keep: frozenset[str] = frozenset(),
) -> AnkiReport:
    """Write ``cards`` to ``out_path`` atomically and update the state file next to it.

    ``notes_root``: images must resolve inside it. ``state_path``: defaults to
    ``<out_path>.quizgen-state.json``. ``now``: the time (Unix seconds) stamped on notes whose
    content changed; defaults to the clock. ``keep``: GUIDs (from :func:`reusable`) of notes
    whose cards the caller leaves out because they have not changed; the package holds them as
    the previous build wrote them. A GUID the previous build does not hold is reported.

    Bad card content never raises: such cards are left out and reported in
    :attr:`AnkiReport.problems`.

    Raises:
        OSError: the package or the state file cannot be written (no file is left half
            written; the previous package, if any, is untouched).
    """
    now = int(time.time()) if now is None else int(now)
    state_path = state_path or anki_state.default_path(out_path)
    with _gc_paused():
        try:
            return _write(cards, out_path, notes_root, state_path, now, keep, use_cache=True)
        except sqlite3.DatabaseError:
            # The cache passed the checks but broke while being patched: write everything.
            try:
                return _write(cards, out_path, notes_root, state_path, now, keep,
                              use_cache=False)
            except sqlite3.Error as exc:
                raise OSError(f"cannot write {out_path}: {exc}") from exc
