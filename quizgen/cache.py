"""On-disk build cache: one SQLite file per output, updated in place.

What it remembers between builds:

- ``files``: each note file's size and mtime when it was last read, and the hash of its text,
  so that an unchanged file is recognised by one ``stat`` (a file whose mtime was too recent to
  trust when it was recorded is read again, as git does with "racily clean" entries);
- ``notes``: the parsed note by text hash (MessagePack), and its *index*: the small part of it
  that deck-level work (choice distractors, concept drills) reads, so that a rebuild does not
  decode every note;
- the fingerprint of the cards each note's per-note cards were made from last time;
- verified variants by concept, seed and index;
- the deck-level state of the last package build (:mod:`quizgen.deck_state`), in rows of its
  own.

Entries carry a fingerprint of the code that made them, so upgrading quizgen invalidates them
by itself. A rebuild touches only the rows that changed. Never pickle: the cache lives next to
user output. A damaged cache is a cold cache; the cache may be deleted at any time.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import NamedTuple

from quizgen.model import Formula, Note, Variant
from quizgen.serialize import DecodeError, pack, unpack

_PACKAGE = Path(__file__).resolve().parent
RACY_NS = 2_000_000_000  # an mtime this close to the time it was recorded is not trusted

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(k TEXT PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files(path TEXT PRIMARY KEY, size INT, mtime INT, checked INT,
                                 sha1 TEXT);
CREATE TABLE IF NOT EXISTS notes(path TEXT PRIMARY KEY, sha1 TEXT, note BLOB, idx BLOB,
                                 cards TEXT);
CREATE TABLE IF NOT EXISTS variants(k TEXT PRIMARY KEY, v BLOB);
CREATE TABLE IF NOT EXISTS checks(k TEXT PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS deck(k TEXT PRIMARY KEY, v BLOB NOT NULL);
"""


# Every module the parser reads with, and card generation too (a rule in any of them changes
# what a note parses to, or the cards it makes; ``tests/test_cache.py`` keeps these complete).
NOTE_CODE = ("parse", "concepts", "cache.py", "latex.py", "model.py", "textrefs.py",
             "richtext.py", "headings.py", "walk.py", "sympy_bridge.py", "patterns.py")
CARD_CODE = (*NOTE_CODE, "generate", "texcheck.py")


@cache
def code_fingerprint(*parts: str) -> str:
    """Hash of the source files under ``parts`` (package-relative files or folders)."""
    h = hashlib.sha1()
    for part in parts:
        p = _PACKAGE / part
        files = sorted(p.rglob("*.py")) if p.is_dir() else [p]
        for f in files:
            h.update(f.name.encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


class FileMark(NamedTuple):
    """A note file as last read: size, mtime, when that was, and the hash of its text (a
    tuple: one is loaded for every note of every build)."""

    size: int
    mtime: int
    checked: int
    sha1: str

    def matches(self, size: int, mtime: int) -> bool:
        """Whether a file with this ``stat`` is the one recorded, without reading it."""
        return size == self.size and mtime == self.mtime and mtime < self.checked - RACY_NS


def index_note(note: Note) -> Note:
    """What a build reads from a note whose own cards are reused: its names and metadata and
    problems (reported on every build), its definitions (the deck's merged terms and other
    notes' choice cards draw on them), and the first formula of each recognised concept (the
    deck's drills are attached to the first note showing a concept), and what its key formulas
    are called (the deck tells two notes' formulas of one name apart). Other formulas, legends
    and images are left out: a rebuild of a big vault decodes this for every note."""
    firsts: dict[str, Formula] = {}
    for f in note.formulas:
        if f.concept and f.concept not in firsts:
            firsts[f.concept] = replace(f, symbols=())
    return Note(path=note.path, title=note.title, tags=note.tags, category=note.category,
                date=note.date, problems=note.problems, definitions=note.definitions,
                formulas=tuple(firsts.values()), heads=note.heads, language=note.language)


class BuildCache:
    """The cache of one output; ``path=None`` keeps it in memory only (nothing is written).

    Reads are lazy and writes go into one transaction that :meth:`save` commits.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._conn = self._open(path)
        self._files: dict[str, FileMark] = {}
        self._notes: dict[str, tuple[str, str | None]] = {}  # path → (sha1, cards fingerprint)
        self._load()

    @staticmethod
    def _connect(path: Path | None) -> sqlite3.Connection:
        if path is None:
            conn = sqlite3.connect(":memory:", isolation_level=None)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, isolation_level=None)
            conn.execute("PRAGMA synchronous=OFF")  # a cache: a torn write is a cold cache
        conn.executescript(f"BEGIN;{_SCHEMA}COMMIT;")
        return conn

    def _open(self, path: Path | None) -> sqlite3.Connection:
        try:
            conn = self._connect(path)
            self._versions(conn)
            return conn
        except (sqlite3.DatabaseError, OSError):
            if path is None:
                raise
            with contextlib.suppress(OSError):
                path.unlink()  # damaged: start again
        try:
            conn = self._connect(path)
        except (sqlite3.DatabaseError, OSError):
            conn = self._connect(None)  # cannot be written here: the build runs uncached
        self._versions(conn)
        return conn

    @staticmethod
    def _versions(conn: sqlite3.Connection) -> None:
        """Drop entries made by other code (each kind of entry has its own code fingerprint)."""
        want = {
            "notes": code_fingerprint(*NOTE_CODE),
            "variants": code_fingerprint("concepts", "model.py"),
            "checks": code_fingerprint("concepts", "sympy_bridge.py", "latex.py",
                                       "generate/fidelity.py"),
            # Cards are reused by note *text*, so the code that reads the text counts too.
            "cards": code_fingerprint(*CARD_CODE),
        }
        have = dict(conn.execute("SELECT k, v FROM meta").fetchall())
        stale = [k for k, v in want.items() if have.get(k) != v]
        if not stale:
            return
        conn.execute("BEGIN")
        if "notes" in stale:
            conn.execute("DELETE FROM notes")
        elif "cards" in stale:
            conn.execute("UPDATE notes SET cards = NULL")
        if "notes" in stale or "cards" in stale:
            conn.execute("DELETE FROM deck")
        if "variants" in stale:
            conn.execute("DELETE FROM variants")
        if "checks" in stale:
            conn.execute("DELETE FROM checks")
        conn.executemany("INSERT OR REPLACE INTO meta VALUES(?, ?)", [(k, want[k]) for k in stale])
        conn.execute("COMMIT")

    def _load(self) -> None:
        try:
            rows = self._conn.execute("SELECT path, size, mtime, checked, sha1 FROM files")
            self._files = {r[0]: FileMark._make(r[1:]) for r in rows}
            self._notes = {r[0]: (r[1], r[2]) for r in self._conn.execute(
                "SELECT path, sha1, cards FROM notes")}
        except sqlite3.DatabaseError:
            self._files, self._notes = {}, {}
        self._conn.execute("BEGIN")

    # -- settings of the last build ---------------------------------------------------------

    def meta(self, key: str) -> str | None:
        try:
            row = self._conn.execute("SELECT v FROM meta WHERE k = ?", (f"build.{key}",))
            found = row.fetchone()
        except sqlite3.DatabaseError:
            return None
        return str(found[0]) if found else None

    def put_meta(self, key: str, value: str) -> None:
        self._write("INSERT OR REPLACE INTO meta VALUES(?, ?)", (f"build.{key}", value))

    # -- files ------------------------------------------------------------------------------

    def file(self, display: str) -> FileMark | None:
        """How the note file was when it was last read."""
        return self._files.get(display)

    def put_file(self, display: str, mark: FileMark) -> None:
        if self._files.get(display) != mark:
            self._files[display] = mark
            self._write("INSERT OR REPLACE INTO files VALUES(?, ?, ?, ?, ?)",
                        (display, mark.size, mark.mtime, mark.checked, mark.sha1))

    # -- parsed notes -----------------------------------------------------------------------

    def has_note(self, display: str, digest: str) -> bool:
        entry = self._notes.get(display)
        return entry is not None and entry[0] == digest

    def note(self, display: str, digest: str) -> Note | None:
        """The parsed note of this text, if cached."""
        return self.notes({display: digest}).get(display)

    def notes(self, wanted: Mapping[str, str], index: bool = False) -> dict[str, Note]:
        """Cached notes (their index notes, see :func:`index_note`, with ``index``) for
        ``wanted`` (path → text hash); the ones missing or damaged are left out."""
        col = "idx" if index else "note"
        want = {p: d for p, d in wanted.items() if self.has_note(p, d)}
        out: dict[str, Note] = {}
        if not want:
            return out
        try:
            # Most of the deck: one scan beats a query per note (but a batch of a big deck
            # must not read every note of it).
            if len(want) > 200 and 2 * len(want) > len(self._notes):
                rows: Iterable[tuple[str, str, bytes]] = self._conn.execute(
                    f"SELECT path, sha1, {col} FROM notes")
            else:
                rows = (r for p in want for r in self._conn.execute(
                    f"SELECT path, sha1, {col} FROM notes WHERE path = ?", (p,)))
            for path, digest, blob in rows:
                if want.get(path) == digest and blob is not None:
                    with contextlib.suppress(DecodeError):
                        out[path] = unpack(Note, blob)
        except sqlite3.DatabaseError:
            return {}
        return out

    def packed_notes(self, wanted: Mapping[str, str]) -> dict[str, bytes]:
        """The cached notes ``wanted`` (path → text hash) as :func:`quizgen.serialize.pack`
        made them, not decoded; the ones missing are left out."""
        out: dict[str, bytes] = {}
        try:
            for p, d in wanted.items():
                if not self.has_note(p, d):
                    continue
                row = self._conn.execute("SELECT sha1, note FROM notes WHERE path = ?",
                                         (p,)).fetchone()
                if row is not None and row[0] == d and row[1] is not None:
                    out[p] = bytes(row[1])
        except sqlite3.DatabaseError:
            return {}
        return out

    def put_note(self, display: str, digest: str, note: Note) -> None:
        self.put_packed_note(display, digest, pack(note), pack(index_note(note)))

    def put_packed_note(self, display: str, digest: str, note: bytes, index: bytes) -> None:
        """A note and its index as :func:`quizgen.serialize.pack` made them."""
        self._notes[display] = (digest, None)
        self._write("INSERT OR REPLACE INTO notes VALUES(?, ?, ?, ?, NULL)",
                    (display, digest, note, index))

    # -- per-note cards ---------------------------------------------------------------------

    def cards_fingerprint(self, display: str) -> str | None:
        """The fingerprint (see the pipeline) of the cards made from this note last time."""
        entry = self._notes.get(display)
        return entry[1] if entry else None

    def put_cards_fingerprint(self, display: str, fingerprint: str) -> None:
        entry = self._notes.get(display)
        if entry is None or entry[1] == fingerprint:
            return
        self._notes[display] = (entry[0], fingerprint)
        self._write("UPDATE notes SET cards = ? WHERE path = ?", (fingerprint, display))

    # -- variants ---------------------------------------------------------------------------

    def empty(self) -> bool:
        """Whether nothing is cached yet: no note, no variant (a first build)."""
        return not self._notes and not self.has_variants()

    def has_variants(self) -> bool:
        """Whether any variant is cached (a build that made drills before)."""
        try:
            return self._conn.execute("SELECT 1 FROM variants LIMIT 1").fetchone() is not None
        except sqlite3.DatabaseError:
            return False

    def variants(self, concept: str, seed: int, count: int) -> list[Variant] | None:
        out: list[Variant] = []
        try:
            for i in range(count):
                row = self._conn.execute("SELECT v FROM variants WHERE k = ?",
                                         (f"{concept}|{seed}|{i}",)).fetchone()
                if row is None:
                    return None
                out.append(unpack(Variant, row[0]))
        except (sqlite3.DatabaseError, DecodeError):
            return None
        return out

    def put_variants(self, concept: str, seed: int, variants: list[Variant]) -> None:
        for v in variants:
            self._write("INSERT OR REPLACE INTO variants VALUES(?, ?)",
                        (f"{concept}|{seed}|{v.index}", pack(v)))

    def check(self, key: str) -> str | None:
        """A formula's verdict (see :mod:`quizgen.generate.fidelity`), when recorded."""
        try:
            row = self._conn.execute("SELECT v FROM checks WHERE k = ?", (key,)).fetchone()
        except sqlite3.DatabaseError:
            return None
        return None if row is None else str(row[0])

    def put_check(self, key: str, verdict: str) -> None:
        self._write("INSERT OR REPLACE INTO checks VALUES(?, ?)", (key, verdict))

    # -- deck-level state --------------------------------------------------------------------

    def deck_rows(self) -> DeckRows:
        """The rows the deck-level state is kept in (see :class:`quizgen.deck_state.Store`)."""
        return DeckRows(self)

    # -- upkeep -----------------------------------------------------------------------------

    def prune(self, live: set[str]) -> None:
        """Forget notes that are no longer part of the build."""
        gone = [(p,) for p in set(self._files) | set(self._notes) if p not in live]
        for (p,) in gone:
            self._files.pop(p, None)
            self._notes.pop(p, None)
        if gone:
            self._write_many("DELETE FROM files WHERE path = ?", gone)
            self._write_many("DELETE FROM notes WHERE path = ?", gone)

    def _write(self, sql: str, args: tuple[object, ...]) -> None:
        with contextlib.suppress(sqlite3.DatabaseError):
            self._conn.execute(sql, args)

    def _write_many(self, sql: str, args: Sequence[tuple[object, ...]]) -> None:
        with contextlib.suppress(sqlite3.DatabaseError):
            self._conn.executemany(sql, args)

    def save(self) -> None:
        """Commit what changed; a cache that cannot be written only costs speed next time."""
        with contextlib.suppress(sqlite3.DatabaseError):
            self._conn.execute("COMMIT")
            self._conn.execute("BEGIN")

    def close(self) -> None:
        with contextlib.suppress(sqlite3.DatabaseError):
            if self._conn.in_transaction:
                self._conn.execute("COMMIT")
            self._conn.close()


class DeckRows:
    """Rows of bytes by key in a :class:`BuildCache` (written in its transaction)."""

    def __init__(self, cache: BuildCache) -> None:
        self._cache = cache

    def get(self, key: str) -> bytes | None:
        return self.get_many([key]).get(key)

    def get_many(self, keys: Sequence[str]) -> dict[str, bytes]:
        """The rows of ``keys`` that exist (none at all when the cache cannot be read)."""
        out: dict[str, bytes] = {}
        conn = self._cache._conn
        try:
            for i in range(0, len(keys), 500):
                part = keys[i : i + 500]
                marks = ",".join("?" * len(part))
                out.update((k, bytes(v)) for k, v in conn.execute(
                    f"SELECT k, v FROM deck WHERE k IN ({marks})", part))
        except sqlite3.DatabaseError:
            return {}
        return out

    def put(self, key: str, value: bytes | None) -> None:
        """Write a row (None deletes it)."""
        if value is None:
            self._cache._write("DELETE FROM deck WHERE k = ?", (key,))
        else:
            self._cache._write("INSERT OR REPLACE INTO deck VALUES(?, ?)", (key, value))

    def clear(self) -> None:
        """Forget every row."""
        self._cache._write("DELETE FROM deck", ())
