"""Cards → an Anki package (.apkg) that imports cleanly and updates in place.

What makes a rebuild safe to re-import (measured against Anki's importer):

- note GUID = ``card.id``, derived from what the card is about, never from its text;
- note type ids and field/template names are constant (:mod:`quizgen.export.anki_models`);
- each note's ``mod`` is the time its content last changed (:mod:`quizgen.export.anki_state`),
  so Anki skips unchanged notes (keeping edits made in Anki) and takes changed ones;
- images are packaged under content-hash base names (:mod:`quizgen.export.media`).

genanki writes the collection database; this module zips it (and the media) itself so that the
temporary database lives next to the output rather than in TMPDIR and is always removed.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import secrets
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import genanki

from quizgen.export import anki_state
from quizgen.export.anki_models import SHAPES, TimedModel, digests
from quizgen.export.anki_notes import Built, build
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


class _TimedNote(genanki.Note):  # type: ignore[misc]
    """A genanki note written with its own ``mod`` instead of the package-wide timestamp."""

    def __init__(self, mod: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.mod = mod

    def write_to_db(self, cursor: Any, timestamp: float, deck_id: int, id_gen: Any) -> None:
        super().write_to_db(cursor, self.mod, deck_id, id_gen)


def deck_id(name: str) -> int:
    """A stable deck id from the deck name (31 bits, the range genanki recommends)."""
    h = int.from_bytes(hashlib.sha1(name.encode("utf-8")).digest()[:4], "big")
    return (1 << 30) | (h & ((1 << 30) - 1))


def _note_digest(built: Built) -> str:
    h = hashlib.sha1(str(built.shape.model_id).encode())
    for part in (*built.fields, "\x1e", *built.tags):
        h.update(b"\x1f" + part.encode("utf-8"))
    return h.hexdigest()


def _zip(db: Path, media: Media, out_tmp: Path) -> None:
    names = sorted(media.files)
    with zipfile.ZipFile(out_tmp, "w") as z:
        z.writestr(zipfile.ZipInfo("collection.anki2", _ZIP_TIME), db.read_bytes(),
                   compress_type=zipfile.ZIP_DEFLATED)
        index = {str(i): name for i, name in enumerate(names)}
        z.writestr(zipfile.ZipInfo("media", _ZIP_TIME), json.dumps(index),
                   compress_type=zipfile.ZIP_DEFLATED)
        for i, name in enumerate(names):
            # Images are compressed already; storing them is faster and no bigger.
            z.writestr(zipfile.ZipInfo(str(i), _ZIP_TIME), media.files[name].read_bytes())


def _write_package(package: genanki.Package, media: Media, out_path: Path, ids_from: int) -> None:
    """genanki's database + our zip, through temp files in the output folder.

    Note and card ids count up from ``ids_from`` (ms): the latest ``mod`` of the build, so an
    unchanged build writes the same bytes. Anki matches notes by GUID; these ids only matter
    for notes it has never seen.
    """
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, db_name = tempfile.mkstemp(prefix=f".{out_path.name}.", suffix=".anki2",
                                   dir=out_path.parent)
    os.close(fd)
    db = Path(db_name)
    # Not mkstemp: its 0600 mode would survive the rename; this one follows the umask.
    tmp = out_path.with_name(f".{out_path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    try:
        conn = sqlite3.connect(db)
        try:
            package.write_to_db(conn.cursor(), ids_from // 1000, itertools.count(ids_from))
            conn.commit()
        finally:
            conn.close()
        _zip(db, media, tmp)
        os.replace(tmp, out_path)
    finally:
        db.unlink(missing_ok=True)
        tmp.unlink(missing_ok=True)


def _unique(problems: list[Problem]) -> tuple[Problem, ...]:
    """One report per place: a definition's image shows up in several of its cards."""
    return tuple(dict.fromkeys(problems))


def write_apkg(
    cards: Sequence[Card], out_path: Path, *, notes_root: Path,
    state_path: Path | None = None, now: int | None = None,
) -> AnkiReport:
    """Write ``cards`` to ``out_path`` atomically and update the state file next to it.

    ``notes_root``: images must resolve inside it. ``state_path``: defaults to
    ``<out_path>.quizgen-state.json``. ``now``: the time (Unix seconds) stamped on notes whose
    content changed; defaults to the clock.

    Bad card content never raises: such cards are left out and reported in
    :attr:`AnkiReport.problems`.

    Raises:
        OSError: the package or the state file cannot be written (no file is left half
            written; the previous package, if any, is untouched).
    """
    now = int(time.time()) if now is None else int(now)
    state_path = state_path or anki_state.default_path(out_path)
    state = anki_state.load(state_path)
    media = Media(notes_root)
    problems: list[Problem] = []

    models: dict[int, TimedModel] = {}
    for shape in SHAPES:
        mod, _ = state.stamp(state.models, str(shape.model_id), shape.name,
                             digests()[shape.model_id], now)
        models[shape.model_id] = TimedModel(shape, mod)

    decks: dict[str, genanki.Deck] = {}
    seen: set[str] = set()
    changed = n_cards = 0
    mods: list[int] = []
    for card in cards:
        if card.id in seen:
            problems.append(Problem(card.source.path, card.source.line,
                                    f"duplicate card id {card.id} ({card.key}); kept the first"))
            continue
        built = build(card, media)
        problems.extend(media.problems)
        media.problems.clear()
        if isinstance(built, Problem):
            problems.append(built)
            continue
        seen.add(card.id)
        mod, is_new = state.stamp(state.notes, card.id, card.key, _note_digest(built), now)
        changed += is_new
        mods.append(mod)
        deck = decks.get(card.deck)
        if deck is None:
            deck = decks[card.deck] = genanki.Deck(deck_id(card.deck), card.deck)
        note = _TimedNote(mod, model=models[built.shape.model_id], fields=list(built.fields),
                          tags=list(built.tags), guid=card.id)
        n_cards += 1  # one card per note: every note type has one template, cloze uses c1
        deck.add_note(note)

    latest = max([m.mod for m in models.values()] + mods)
    _write_package(genanki.Package(list(decks.values())), media, out_path, latest * 1000)
    anki_state.save(state, state_path)
    orphans = tuple(sorted(s.key for g, s in state.notes.items() if g not in seen))
    return AnkiReport(
        path=out_path, notes=len(seen), cards=n_cards, media=len(media.files), changed=changed,
        orphans=orphans, problems=_unique(problems),
    )
