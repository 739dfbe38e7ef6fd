"""The collection database inside the package (Anki schema 11), written row by row in bulk.

The schema and the collection row are genanki's (what Anki has always imported from genanki
packages); the note and card rows are written here with ``executemany`` exactly as genanki's
``Note.write_to_db`` writes them: one card per note (every note type has one template and
cloze notes use ``c1`` only), ``ord`` 0, new, due 0, the card's ``mod`` equal to the note's.

Rows can also be updated and deleted in place, which is how a rebuild patches the previous
build's database instead of writing all of it again (in a transaction, with SQLite's journal,
so that a build that stops half-way leaves the previous database as it was).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from quizgen.export.anki_models import SHAPES, model_json

_DEFAULT_DECK = "1"


@cache
def _schema() -> tuple[str, str, str]:
    """(tables, collection row, indexes) of genanki's schema; the indexes are built after the
    rows: the same schema, written several times faster. Imported only when a database is
    made (genanki's import costs more than a rebuild that changes nothing)."""
    from genanki.apkg_col import APKG_COL
    from genanki.apkg_schema import APKG_SCHEMA

    tables, _, indexes = APKG_SCHEMA.partition("CREATE INDEX")
    return tables, APKG_COL, "CREATE INDEX" + indexes


@dataclass(frozen=True)
class Row:
    """One note and its card, as stored."""

    guid: str
    mid: int
    mod: int
    tags: tuple[str, ...]
    fields: tuple[str, ...]
    did: int

    def note(self, nid: int) -> tuple[Any, ...]:
        tags = " " + " ".join(self.tags) + " "
        return (nid, self.guid, self.mid, self.mod, -1, tags, "\x1f".join(self.fields),
                self.fields[0], 0, 0, "")

    def card(self, cid: int, nid: int) -> tuple[Any, ...]:
        return (cid, nid, self.did, 0, self.mod, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "")


def connect(path: Path, *, fresh: bool) -> sqlite3.Connection:
    """A connection for the one writer of the database. ``fresh``: a temporary file, renamed
    into place only once it is complete, so no journal and no fsync; otherwise the cache,
    patched in place inside a journalled transaction.

    Raises:
        sqlite3.DatabaseError: not a database.
    """
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=OFF" if fresh else "PRAGMA journal_mode=DELETE")
    conn.execute("PRAGMA synchronous=OFF")  # a cache: a torn write means a full build
    return conn


def start(conn: sqlite3.Connection) -> None:
    """Make a new, empty collection database (rows are added with :func:`write`, then
    :func:`finish` builds the indexes)."""
    tables, col, _ = _schema()
    conn.executescript(tables)
    conn.executescript(col)


def finish(conn: sqlite3.Connection) -> None:
    """Build the indexes of a database made by :func:`start` (after the rows: faster)."""
    conn.executescript(_schema()[2])


def write(conn: sqlite3.Connection, changed: Sequence[tuple[int, Row]], new: Sequence[Row],
          first_id: int) -> list[int]:
    """Rewrite ``changed`` in place (same ids) and insert ``new`` with ids from ``first_id``
    on, in the transaction the caller has begun. Returns the ids of the new notes.

    Raises:
        sqlite3.DatabaseError: a damaged database.
    """
    notes = [row.note(nid) for nid, row in changed]
    conn.executemany(
        "UPDATE notes SET mid = ?, mod = ?, tags = ?, flds = ?, sfld = ? WHERE id = ?",
        [(n[2], n[3], n[5], n[6], n[7], n[0]) for n in notes],
    )
    conn.executemany("UPDATE cards SET did = ?, mod = ? WHERE nid = ?",
                     [(row.did, row.mod, nid) for nid, row in changed])
    return _insert(conn, new, first_id)


def delete(conn: sqlite3.Connection, nids: Sequence[int]) -> None:
    """Delete the notes ``nids`` and their cards.

    Raises:
        sqlite3.DatabaseError: a damaged database.
    """
    doomed = [(nid,) for nid in nids]
    conn.executemany("DELETE FROM cards WHERE nid = ?", doomed)
    conn.executemany("DELETE FROM notes WHERE id = ?", doomed)


def _insert(conn: sqlite3.Connection, rows: Sequence[Row], first_id: int) -> list[int]:
    notes, cards, nids = [], [], []
    for i, row in enumerate(rows):
        nid = first_id + 2 * i
        nids.append(nid)
        notes.append(row.note(nid))
        cards.append(row.card(nid + 1, nid))
    conn.executemany("INSERT INTO notes VALUES(?,?,?,?,?,?,?,?,?,?,?)", notes)
    conn.executemany("INSERT INTO cards VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", cards)
    return nids


def uses(conn: sqlite3.Connection, nids: Sequence[int]) -> list[tuple[int, int]]:
    """(note type id, deck id) of the notes ``nids`` (and their cards).

    Raises:
        sqlite3.DatabaseError: a damaged database.
    """
    out: list[tuple[int, int]] = []
    for i in range(0, len(nids), 500):
        part = list(nids[i : i + 500])
        marks = ",".join("?" * len(part))
        out += conn.execute(f"SELECT n.mid, c.did FROM notes n JOIN cards c ON c.nid = n.id "
                            f"WHERE n.id IN ({marks})", part).fetchall()
    return out


def in_use(conn: sqlite3.Connection) -> tuple[set[int], set[int]]:
    """(note type ids, deck ids) the notes and cards of the database use.

    Raises:
        sqlite3.DatabaseError: a damaged database.
    """
    mids = {r[0] for r in conn.execute("SELECT DISTINCT mid FROM notes")}
    dids = {r[0] for r in conn.execute("SELECT DISTINCT did FROM cards")}
    return mids, dids


def last_id(conn: sqlite3.Connection) -> int:
    """The largest note or card id in use (0 when empty)."""
    a = conn.execute("SELECT max(id) FROM notes").fetchone()[0] or 0
    b = conn.execute("SELECT max(id) FROM cards").fetchone()[0] or 0
    return int(max(a, b))


def collection(conn: sqlite3.Connection) -> tuple[str, str]:
    """(models, decks) JSON of the collection row.

    Raises:
        sqlite3.DatabaseError: no collection row.
    """
    row = conn.execute("SELECT models, decks FROM col").fetchone()
    if row is None:
        raise sqlite3.DatabaseError("no collection row")
    return str(row[0]), str(row[1])


def deck_names(decks_json: str) -> dict[int, str]:
    """Deck id → name from a collection row's decks JSON.

    Raises:
        sqlite3.DatabaseError: the JSON is not what this module writes.
    """
    try:
        decks = json.loads(decks_json)
        return {int(k): str(v["name"]) for k, v in decks.items() if k != _DEFAULT_DECK}
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise sqlite3.DatabaseError(f"unreadable decks: {exc}") from exc


@cache
def _default_deck() -> dict[str, Any]:
    """The "Default" deck genanki's collection row carries (Anki expects deck 1 to exist)."""
    conn = sqlite3.connect(":memory:")
    try:
        tables, col, _ = _schema()
        conn.executescript(tables)
        conn.executescript(col)
        decks: dict[str, Any] = json.loads(conn.execute("SELECT decks FROM col").fetchone()[0])
    finally:
        conn.close()
    return dict(decks[_DEFAULT_DECK])


def collection_json(
    model_mods: dict[int, int], decks: dict[int, str], mids: Iterable[int],
    dids: Iterable[int],
) -> tuple[str, str]:
    """(models, decks) JSON of the collection row for notes of the types ``mids`` (stamped
    with ``model_mods``) in the decks ``dids``. Each note type names the lowest of those decks
    as its own (the deck Anki suggests when adding), which does not depend on the order notes
    were written in.
    """
    import genanki

    used_decks = sorted(dids)
    out_decks = {_DEFAULT_DECK: _default_deck()}
    for did in used_decks:
        out_decks[str(did)] = genanki.Deck(did, decks[did]).to_json()
    did = used_decks[0] if used_decks else int(_DEFAULT_DECK)
    shapes = {s.model_id: s for s in SHAPES}
    out_models = {str(mid): model_json(shapes[mid], model_mods[mid], did)
                  for mid in sorted(mids)}
    return json.dumps(out_models), json.dumps(out_decks)


def set_collection(conn: sqlite3.Connection, models_json: str, decks_json: str) -> None:
    conn.execute("UPDATE col SET models = ?, decks = ?", (models_json, decks_json))
