"""What the previous builds wrote: per note (by GUID) its key, content hash and ``mod``.

Anki updates an imported note only when its ``mod`` is strictly newer than the one it has.
Stamping every note "now" would overwrite edits made in Anki on every rebuild; stamping a
fixed time would never update anything. So a note keeps the ``mod`` of the build in which its
content last changed, and this file remembers it between builds. Note types get the same
treatment, so CSS customised in Anki survives until quizgen's own CSS changes.

Entries of notes that disappear are kept (and reported as orphans): when the card comes back,
for instance after a parse error is fixed, it keeps its old ``mod`` and Anki leaves it alone.

The file also describes the cache database beside it (see :mod:`quizgen.export.anki`): the
row id of each note it holds (0: none), the hash of the card a row was rendered from
(``inputs``; "" = render again), the note's *group* (the note file its cards come from, or ""
for deck-level cards), the render version of the rows, the cache file's size and mtime when it
was written, where each packaged image came from, and how the last package was compressed.
A cache that does not match is not used.

It is a SQLite database (``NAME.apkg.quizgen-state.sqlite``) updated in place: a rebuild reads
and writes only the rows of the notes it passes, so the cost of a build follows what changed,
not the size of the deck. The JSON state files of earlier versions
(``NAME.apkg.quizgen-state.json``, versions 1 and 2) are migrated on first use, with every
``mod``, and removed once the database holds them.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

VERSION = 3
_JSON_READS = (1, 2)  # version 1 lacks the cache description; its hashes and mods still hold
_BATCH = 500  # guids per query (well below SQLite's limit on bound parameters)
_FLUSH = 5000  # changed stamps kept in memory before they are written into the transaction

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(k TEXT PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS notes(guid TEXT PRIMARY KEY, key TEXT NOT NULL, hash TEXT NOT NULL,
    mod INT NOT NULL, inputs TEXT NOT NULL DEFAULT '', media TEXT NOT NULL DEFAULT '',
    grp TEXT NOT NULL DEFAULT '', nid INT NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS notes_held ON notes(grp) WHERE nid != 0;
CREATE INDEX IF NOT EXISTS notes_unrendered ON notes(grp) WHERE nid != 0 AND inputs = '';
CREATE INDEX IF NOT EXISTS notes_unheld ON notes(nid) WHERE nid = 0;
CREATE INDEX IF NOT EXISTS notes_images ON notes(grp) WHERE nid != 0 AND media != '';
CREATE TABLE IF NOT EXISTS models(id TEXT PRIMARY KEY, key TEXT NOT NULL, hash TEXT NOT NULL,
    mod INT NOT NULL);
CREATE TABLE IF NOT EXISTS media(name TEXT PRIMARY KEY, path TEXT NOT NULL, size INT NOT NULL,
    mtime INT NOT NULL);
"""
_SEP = "\x1f"


@dataclass(slots=True)
class Stamp:
    key: str
    digest: str  # what Anki stores for the note: note type, fields, tags
    mod: int
    inputs: str = ""  # hash of the card whose cached row needs no rendering; "" = render again
    media: tuple[str, ...] = ()  # packaged images the note shows
    group: str = ""  # the note file the card comes from; "" for deck-level cards
    nid: int = 0  # its row in the cache database; 0 = none


@dataclass(frozen=True)
class Source:
    """Where a packaged image came from, and its size and mtime when it was read."""

    path: str
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: Path) -> Source:
        """Raises OSError: the file is gone."""
        st = path.stat()
        return cls(str(path), st.st_size, st.st_mtime_ns)

    def unchanged(self) -> bool:
        try:
            return Source.of(Path(self.path)) == self
        except OSError:
            return False


def default_path(apkg: Path) -> Path:
    """``deck.apkg`` → ``deck.apkg.quizgen-state.sqlite`` next to it."""
    return apkg.with_name(apkg.name + ".quizgen-state.sqlite")


def legacy_path(apkg: Path) -> Path:
    """Where earlier versions kept the state: ``deck.apkg.quizgen-state.json``."""
    return apkg.with_name(apkg.name + ".quizgen-state.json")


def file_mark(path: Path) -> tuple[int, int] | None:
    """(size, mtime_ns) of a file, or None when it is missing."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def _row(guid: str, s: Stamp) -> tuple[Any, ...]:
    return (guid, s.key, s.digest, s.mod, s.inputs, _SEP.join(s.media), s.group, s.nid)


def _stamp(r: tuple[Any, ...]) -> Stamp:
    return Stamp(r[1], r[2], r[3], r[4], tuple(r[5].split(_SEP)) if r[5] else (), r[6], r[7])


class State:
    """The state of one package. Lookups are lazy; changes are written by :meth:`commit`.

    Open with :func:`open_state` (to write) or :func:`load` (to read); ``State()`` is an empty
    state in memory, ``State(notes={guid: stamp})`` one holding those notes (for tests).
    """

    def __init__(self, conn: sqlite3.Connection | None = None, *,
                 notes: Mapping[str, Stamp] | None = None) -> None:
        self._conn = conn or _connect(None)
        meta = dict(self._conn.execute("SELECT k, v FROM meta").fetchall())
        self.render: str = meta.get("render", "")
        cache = json.loads(meta.get("cache", "null"))
        self.cache: tuple[int, int] | None = (int(cache[0]), int(cache[1])) if cache else None
        self.package: dict[str, Any] = json.loads(meta.get("package", "{}"))
        self.models = {r[0]: Stamp(*r[1:]) for r in self._conn.execute(
            "SELECT id, key, hash, mod FROM models")}
        self.media = {r[0]: Source(*r[1:]) for r in self._conn.execute(
            "SELECT name, path, size, mtime FROM media")}
        self._seen: dict[str, Stamp | None] = {}  # looked up (None: not in the table)
        self._dirty: dict[str, Stamp] = {}
        for guid, stamp in (notes or {}).items():
            self.touch(guid, stamp)

    # -- notes ------------------------------------------------------------------------------

    @property
    def notes(self) -> Mapping[str, Stamp]:
        """Every note's stamp by GUID, read on demand (``state.notes.get(guid)``)."""
        return _Notes(self)

    def lookup(self, guids: Iterable[str]) -> dict[str, Stamp]:
        """The stamps of ``guids`` that exist (looked up once, then kept in memory)."""
        want = [g for g in guids if g not in self._seen]
        for i in range(0, len(want), _BATCH):
            part = want[i : i + _BATCH]
            for g in part:
                self._seen[g] = None
            marks = ",".join("?" * len(part))
            for r in self._conn.execute(f"SELECT * FROM notes WHERE guid IN ({marks})", part):
                self._seen[r[0]] = _stamp(r)
        out: dict[str, Stamp] = {}
        for g in guids:
            s = self._seen.get(g)
            if s is not None:
                out[g] = s
        return out

    def all_notes(self) -> dict[str, Stamp]:
        """Every stamp (a full build, or a test)."""
        for r in self._conn.execute("SELECT * FROM notes"):
            if r[0] not in self._seen or self._seen[r[0]] is None:
                self._seen[r[0]] = _stamp(r)
        return {g: s for g, s in self._seen.items() if s is not None}

    def held_in(self, groups: Iterable[str]) -> dict[str, Stamp]:
        """The notes the cache holds a row for whose group is one of ``groups``."""
        out: dict[str, Stamp] = {}
        for grp in groups:
            for r in self._conn.execute("SELECT * FROM notes WHERE nid != 0 AND grp = ?",
                                        (grp,)):
                s = self._seen.get(r[0]) or _stamp(r)
                self._seen[r[0]] = s
                if s.nid:
                    out[r[0]] = s
        for g, s in self._dirty.items():  # changed in this build, not yet written
            if s.nid and s.group in groups:
                out[g] = s
        return out

    def groups(self) -> dict[str, bool]:
        """Each group the cache holds rows of → whether every one of them is reusable as it
        is (rendered without a refused image: those are rendered again to be reported)."""
        held = self._conn.execute("SELECT DISTINCT grp FROM notes WHERE nid != 0")
        again = {g for (g,) in self._conn.execute(
            "SELECT DISTINCT grp FROM notes WHERE nid != 0 AND inputs = ''")}
        return {g: g not in again for (g,) in held}

    def groups_showing(self, names: Iterable[str]) -> set[str]:
        """Groups of the held notes that show one of the images ``names``."""
        out: set[str] = set()
        for name in names:
            for (grp,) in self._conn.execute(
                    "SELECT DISTINCT grp FROM notes WHERE nid != 0 AND media != '' "
                    "AND instr(media, ?) > 0",
                    (name,)):
                out.add(grp)
        return out

    def guids_showing(self, name: str) -> set[str]:
        """The held notes that show the image ``name``."""
        out = {g for (g,) in self._conn.execute(
            "SELECT guid FROM notes WHERE nid != 0 AND media != '' AND instr(media, ?) > 0",
            (name,))}
        for g, s in self._dirty.items():
            if s.nid and name in s.media:
                out.add(g)
            elif g in out and (not s.nid or name not in s.media):
                out.discard(g)
        return out

    def orphans(self) -> list[str]:
        """Keys of the notes no package row holds any more."""
        keys = {s.key for s in self._dirty.values() if not s.nid}
        for guid, key in self._conn.execute("SELECT guid, key FROM notes WHERE nid = 0"):
            if guid not in self._dirty:
                keys.add(key)
        return sorted(keys)

    def release_all(self) -> None:
        """The cache database is gone: no note has a row any more."""
        self._begin()
        self._conn.execute("UPDATE notes SET nid = 0 WHERE nid != 0")
        for s in (*self._seen.values(), *self._dirty.values()):
            if s is not None:
                s.nid = 0

    def max_mod(self) -> int:
        """The largest ``mod`` any note ever had (0 for a new state)."""
        row = self._conn.execute("SELECT max(mod) FROM notes").fetchone()
        dirty = max((s.mod for s in self._dirty.values()), default=0)
        return max(int(row[0] or 0), dirty)

    def touch(self, guid: str, stamp: Stamp) -> None:
        """Record a changed stamp (written by :meth:`commit`, or sooner, see :meth:`forget`)."""
        self._seen[guid] = stamp
        self._dirty[guid] = stamp

    def forget(self) -> None:
        """Bound the memory of a big build: write the changed stamps into the transaction that
        :meth:`commit` ends, and drop what was looked up."""
        if len(self._dirty) >= _FLUSH:
            self._flush()
        self._seen = {g: s for g, s in self._seen.items() if g in self._dirty}

    def _begin(self) -> None:
        if not self._conn.in_transaction:
            self._conn.execute("BEGIN")

    def _flush(self) -> None:
        self._begin()
        self._conn.executemany("INSERT OR REPLACE INTO notes VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
                               [_row(g, s) for g, s in sorted(self._dirty.items())])
        self._dirty.clear()

    def stamp(self, guid: str, key: str, digest: str, now: int) -> tuple[Stamp, bool]:
        """(stamp, changed) of a note: the old ``mod`` if the content is unchanged, else
        ``now`` or, should the clock be behind the previous build, one second past the old
        ``mod``."""
        old = self.lookup((guid,)).get(guid)
        if old is not None and old.digest == digest:
            if old.key != key:
                old.key = key
                self.touch(guid, old)
            return old, False
        mod = now if old is None else max(now, old.mod + 1)
        new = Stamp(key, digest, mod)
        if old is not None:
            new.media, new.group, new.nid, new.inputs = old.media, old.group, old.nid, ""
        self.touch(guid, new)
        return new, True

    def stamp_model(self, ident: str, key: str, digest: str, now: int) -> int:
        old = self.models.get(ident)
        if old is not None and old.digest == digest:
            return old.mod
        mod = now if old is None else max(now, old.mod + 1)
        self.models[ident] = Stamp(key, digest, mod)
        return mod

    # -- persistence ------------------------------------------------------------------------

    def commit(self) -> None:
        """Write what changed and end the build's transaction.

        Raises:
            OSError: the file cannot be written.
        """
        meta = {"version": str(VERSION), "render": self.render,
                "cache": json.dumps(list(self.cache) if self.cache else None),
                "package": json.dumps(self.package, sort_keys=True)}
        try:
            c = self._conn
            self._flush()
            c.executemany("INSERT OR REPLACE INTO meta VALUES(?, ?)", sorted(meta.items()))
            c.execute("DELETE FROM models")
            c.executemany("INSERT INTO models VALUES(?, ?, ?, ?)",
                          [(k, s.key, s.digest, s.mod) for k, s in sorted(self.models.items())])
            c.execute("DELETE FROM media")
            c.executemany("INSERT INTO media VALUES(?, ?, ?, ?)",
                          [(k, s.path, s.size, s.mtime_ns) for k, s in sorted(self.media.items())])
            c.execute("COMMIT")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("ROLLBACK")
            raise OSError(f"cannot write the build state: {exc}") from exc

    def close(self) -> None:
        """Close; a transaction not committed is rolled back (the previous state stays)."""
        self._conn.close()


class _Notes(Mapping[str, Stamp]):
    """A read-only view of a state's notes (looked up one by one, or read whole)."""

    def __init__(self, state: State) -> None:
        self._state = state

    def __getitem__(self, guid: str) -> Stamp:
        found = self._state.lookup((guid,))
        if guid not in found:
            raise KeyError(guid)
        return found[guid]

    def __iter__(self) -> Iterator[str]:
        return iter(self._state.all_notes())

    def __len__(self) -> int:
        return len(self._state.all_notes())


def load(path: Path) -> State:
    """The state at ``path`` to read (never written, never raises): the database, or a JSON
    state file of an earlier version (also looked for beside a database path that does not
    exist yet); an empty state when there is none or it is damaged."""
    if path.suffix != ".json" and path.is_file():
        try:
            conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
            return State(conn)
        except sqlite3.Error:
            return State()
    legacy = path if path.suffix == ".json" else path.with_suffix(".json")
    notes, models = read_legacy(legacy) if legacy.is_file() else ({}, {})
    state = State(notes=notes)
    state.models.update(models)
    return state


def _connect(path: Path | None) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:" if path is None else path, isolation_level=None)
    # One fsync per build (at commit), not one per statement; the journal keeps it whole.
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.executescript(f"BEGIN;{_SCHEMA}COMMIT;")
    return conn


def open_state(path: Path, legacy: Path | None = None) -> State:
    """The saved state (migrating the JSON file ``legacy`` when the database does not exist
    yet), or an empty one when it is damaged: an empty state only costs one rebuild stamped
    "now"; refusing to build would cost more.

    Raises:
        OSError: the folder is not writable.
    """
    fresh = not path.exists()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = _connect(path)
        version = conn.execute("SELECT v FROM meta WHERE k = 'version'").fetchone()
        if version is not None and version[0] != str(VERSION):
            raise sqlite3.DatabaseError(f"state version {version[0]}")
        state = State(conn)
    except sqlite3.DatabaseError:
        with contextlib.suppress(OSError):
            path.unlink()
        try:
            state = State(_connect(path))
        except sqlite3.Error as exc:
            raise OSError(f"cannot open the build state {path}: {exc}") from exc
        fresh = True
    if fresh and legacy is not None and legacy.is_file():
        _migrate(state, legacy)
    return state


# -- the JSON files of versions 1 and 2 ------------------------------------------------------


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _all(v: Any, kind: type) -> bool:
    """A list of exactly ``kind`` (``bool`` is no ``int``), checked at C speed."""
    return isinstance(v, list) and set(map(type, v)) <= {kind}


def _v1_stamps(raw: Any) -> Iterator[tuple[str, Stamp]]:
    """Version 1 tables: ``{id: {"key", "hash", "mod"}}``."""
    if not isinstance(raw, dict):
        return
    for ident, v in raw.items():
        if (isinstance(v, dict) and isinstance(v.get("key"), str)
                and isinstance(v.get("hash"), str) and _is_int(v.get("mod"))):
            yield str(ident), Stamp(v["key"], v["hash"], v["mod"])


def _v2_stamps(raw: Any) -> Iterator[tuple[str, Stamp]]:
    """Version 2 tables: one list per column."""
    if not isinstance(raw, dict):
        return
    ids, keys, hashes, mods = (raw.get(k, []) for k in ("id", "key", "hash", "mod"))
    if (_all(ids, str) and _all(keys, str) and _all(hashes, str) and _all(mods, int)
            and len(ids) == len(keys) == len(hashes) == len(mods)):
        yield from zip(ids, map(Stamp, keys, hashes, mods), strict=True)


def read_legacy(path: Path) -> tuple[dict[str, Stamp], dict[str, Stamp]]:
    """(notes, note types) of a JSON state file; empty when it is damaged. Only what a
    package's notes need survives: keys, hashes and ``mod``s (the cache it described is not
    used again, so every note is rendered once more and keeps its ``mod``)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}, {}
    if not isinstance(data, dict) or data.get("version") not in _JSON_READS:
        return {}, {}
    read = _v1_stamps if data["version"] == 1 else _v2_stamps
    return dict(read(data.get("notes"))), dict(read(data.get("models")))


def _migrate(state: State, legacy: Path) -> None:
    notes, models = read_legacy(legacy)
    for guid, s in notes.items():
        state.touch(guid, s)
    state.models.update(models)
    state.commit()
    if notes or models:
        with contextlib.suppress(OSError):
            legacy.unlink()  # everything it held is in the database now
