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
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
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


def note_digest(built: anki_notes.Built) -> str:
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


_CHUNK = 1000  # cards planned together (one state lookup each)
_ROWS = 2000  # rows written to the database together


class _Writer:
    """One package being written: cards are planned, rendered and written as they come, so
    that memory stays bounded however big the deck (a full build of 10,000 notes passes
    400,000 cards).

    A full build writes a new database beside the cache and renames it into place at the
    end; a patch writes into the cache inside one journalled transaction, committed at the
    end. Either way nothing is in place before :meth:`finish`.
    """

    def __init__(self, out_path: Path, notes_root: Path, state: anki_state.State, now: int,
                 keep: frozenset[str], group: Grouping, use_cache: bool,
                 stack: ExitStack) -> None:
        self.out_path, self.state, self.now, self.keep, self.group = (
            out_path, state, now, keep, group)
        self.cache_file = cache_path(out_path)
        self.cache = _open_cache(state, self.cache_file) if use_cache else None
        if self.cache is None:
            state.release_all()
        self.held = state.groups() if self.cache is not None else {}
        self.media = Media(notes_root)
        self.models = _stamp_models(state, now)
        self.seen: set[str] = set()  # GUIDs passed
        self.shown: set[str] = set()  # images the passed notes show
        self.decks: dict[int, str] = {}  # decks of the rows written
        self.dids: dict[str, int] = {}
        self.problems: list[Problem] = []
        self.pending: list[tuple[Row, anki_state.Stamp]] = []
        self.changed = self.rendered = 0
        self.wrote = False
        first = 1000 * max(*self.models.values(), state.max_mod())
        if self.cache is None:
            self.db = stack.enter_context(temp_beside(self.cache_file, ".anki2"))
            self.conn = anki_db.connect(self.db, fresh=True)
            stack.callback(self.conn.close)
            anki_db.start(self.conn)
            self.counts: dict[str, dict[str, int]] = {"mids": {}, "dids": {}}
            self.next_id = first
        else:
            self.db = self.cache_file
            self.conn = anki_db.connect(self.db, fresh=False)
            stack.callback(self.conn.close)
            counts = state.package.get("uses")
            if not isinstance(counts, dict) or set(counts) != {"mids", "dids"}:
                mids, dids = anki_db.in_use(self.conn)
                counts = {"mids": {str(m): 1 for m in mids}, "dids": {str(d): 1 for d in dids}}
            self.counts = counts
            self.next_id = max(first, anki_db.last_id(self.conn) + 1)
        self.conn.execute("BEGIN")

    # -- planning ---------------------------------------------------------------------------

    def add(self, cards: Iterable[Card]) -> None:
        chunk: list[Card] = []
        for card in cards:
            chunk.append(card)
            if len(chunk) >= _CHUNK:
                self._chunk(chunk)
                chunk = []
        self._chunk(chunk)

    def _chunk(self, cards: list[Card]) -> None:
        known = self.state.lookup([c.id for c in cards if c.id not in self.seen])
        for card in cards:
            self._card(card, known.get(card.id))
        if len(self.pending) >= _ROWS:
            self._write_rows()
        self.state.forget()

    def _card(self, card: Card, old: anki_state.Stamp | None) -> None:
        """Decide one note of the package; render it only if its row must be written."""
        if card.id in self.seen:
            self.problems.append(Problem(card.source.path, card.source.line,
                                         f"duplicate card id {card.id} ({card.key}); kept the "
                                         "first"))
            return
        self.seen.add(card.id)
        inputs = inputs_digest(card)
        grp = self.group(card)
        old_inputs = old.inputs if old is not None else None
        # Images are read at render time: their bytes are not in the hash.
        if old is not None and old.nid and old.inputs == inputs and not has_images(card):
            if old.key != card.key or old.group != grp:
                old.key, old.group = card.key, grp
                self.state.touch(card.id, old)
            return
        from quizgen.export.anki_notes import build  # only a card to render needs markdown-it

        built = build(card, self.media)
        self.rendered += 1
        shown: tuple[str, ...] = ()
        refused = bool(self.media.problems)
        if self.media.used or refused:
            shown = tuple(dict.fromkeys(self.media.used))
            self.problems.extend(self.media.problems)
            self.media.used.clear()
            self.media.problems.clear()
        if isinstance(built, Problem):
            self.problems.append(built)
            self.seen.discard(card.id)  # not in the package: an orphan if it was
            return
        stamp, is_new = self.state.stamp(card.id, card.key, note_digest(built), self.now)
        stamp.inputs = "" if refused else inputs  # problems are reported by rendering again
        stamp.media, stamp.group = shown, grp
        self.state.touch(card.id, stamp)
        self.shown.update(shown)
        self.changed += is_new
        if is_new or old_inputs != inputs or not stamp.nid:
            did = self.dids.get(card.deck)
            if did is None:
                did = self.dids[card.deck] = deck_id(card.deck)
                self.decks[did] = card.deck
            self.pending.append((Row(card.id, built.shape.model_id, stamp.mod, built.tags,
                                     built.fields, did), stamp))

    def _write_rows(self) -> None:
        """Write the pending rows: changed ones in place (same ids), new ones with new ids."""
        if not self.pending:
            return
        changed = [(s.nid, row) for row, s in self.pending if s.nid]
        new = [(row, s) for row, s in self.pending if not s.nid]
        before = anki_db.uses(self.conn, [nid for nid, _ in changed]) if changed else []
        nids = anki_db.write(self.conn, changed, [row for row, _ in new], self.next_id)
        self.next_id += 2 * len(new)
        for (_, stamp), nid in zip(new, nids, strict=True):
            stamp.nid = nid
        for row, stamp in self.pending:
            self.state.touch(row.guid, stamp)
        _add(self.counts, before, -1)
        _add(self.counts, [(r.mid, r.did) for r, _ in self.pending], +1)
        self.pending = []
        self.wrote = True

    # -- the end ----------------------------------------------------------------------------

    def _remove_gone(self) -> None:
        """Held rows of groups neither kept nor passed again are gone from the notes."""
        gone = {g: s for g, s in self.state.held_in(
            grp for grp in self.held if grp not in self.keep).items() if g not in self.seen}
        if not gone:
            return
        nids = [s.nid for s in gone.values()]
        _add(self.counts, anki_db.uses(self.conn, nids), -1)
        anki_db.delete(self.conn, nids)
        for guid, stamp in gone.items():
            stamp.nid = 0
            self.state.touch(guid, stamp)
        self.wrote = True

    def finish(self) -> AnkiReport:
        """Complete the database, the package and the state.

        Raises:
            sqlite3.DatabaseError: the cache broke while being patched.
            OSError: a file cannot be written.
        """
        self._write_rows()
        missing = sorted(g for g in self.keep if g not in self.held)
        self.problems.extend(
            Problem(str(self.out_path), 0, f"the cards of {g} were to be kept from the previous "
                    "build, but its cache does not hold them; they are missing from this package "
                    "(build again)") for g in missing)
        if self.cache is not None:
            self._remove_gone()
        decks = {**(self.cache.decks if self.cache else {}), **self.decks}
        mids, dids = _in_use(self.counts)
        key = _collection_key(self.models, decks, mids, dids)
        # Equal keys, equal rows: a patched cache whose key is unchanged holds the row already
        # (building it to compare would import genanki on every edit).
        if self.cache is None or key != self.state.package.get("collection"):
            cols = anki_db.collection_json(self.models, decks, mids, dids)
            if self.cache is None or cols != self.cache.collection:
                anki_db.set_collection(self.conn, *cols)
                self.wrote = True
        self.conn.execute("COMMIT")
        if self.cache is None:
            anki_db.finish(self.conn)
            self.conn.close()
            os.replace(self.db, self.cache_file)
        else:
            self.conn.close()
        state = self.state
        state.package["collection"] = key
        state.package["uses"] = self.counts
        files, media_problems = _package_media(self._held_media(), state, self.media,
                                               self.out_path)
        state.cache = anki_state.file_mark(self.cache_file)
        state.render = render_version()
        previous = state.package.get("zip")
        previous = previous if isinstance(previous, dict) else None
        unchanged = (not self.wrote and previous is not None
                     and sorted(files) == state.package.get("media")
                     and previous.get("mark") == list(anki_state.file_mark(self.out_path) or ()))
        if not unchanged:
            with temp_beside(self.out_path) as tmp:
                described = anki_zip.write(self.cache_file, files, tmp, previous=previous,
                                           old=self.out_path)
                os.replace(tmp, self.out_path)
            described["mark"] = list(anki_state.file_mark(self.out_path) or ())
            state.package["zip"] = described
            state.package["media"] = sorted(files)
        notes = sum(self.counts["mids"].values())
        orphans = tuple(state.orphans())
        state.commit()
        return AnkiReport(
            # One card per note: every note type has one template, and cloze notes use c1 only.
            path=self.out_path, notes=notes, cards=notes, media=len(files),
            changed=self.changed, orphans=orphans,
            problems=_unique(self.problems + media_problems), rendered=self.rendered,
            written=not unchanged,
        )

    def _held_media(self) -> set[str]:
        """Images shown by the package: the rendered notes' and, when the cache is patched,
        those of the held notes that stay in it untouched."""
        names = set(self.shown)
        if self.cache is not None:
            for name in self.state.media:
                if name not in names and self.state.guids_showing(name):
                    names.add(name)
        return names


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


def _add(counts: dict[str, dict[str, int]], pairs: Sequence[tuple[int, int]], sign: int) -> None:
    """Count notes per note type and deck (the collection row names the ones in use)."""
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


def _write(cards: Iterable[Card], out_path: Path, notes_root: Path, state: anki_state.State,
           now: int, keep: frozenset[str], group: Grouping, use_cache: bool) -> AnkiReport:
    with ExitStack() as stack:
        writer = _Writer(out_path, notes_root, state, now, keep, group, use_cache, stack)
        writer.add(cards)
        return writer.finish()


def write_apkg(
    cards: Iterable[Card], out_path: Path, *, notes_root: Path,
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

    ``cards`` is read once, or twice (when the cache turns out damaged while being patched,
    the package is written in full): pass a sequence, or an iterable that can start again.
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
