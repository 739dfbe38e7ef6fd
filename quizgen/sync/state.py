"""What the last sync of a deck wrote into Anki: per note (by GUID) its key, Anki's note id,
a hash of the fields sent and the deck it was put in; per note type the hash of what was sent.

The hash of the fields sent is the common ancestor of a three-way comparison: when Anki's
fields differ from the build's, it tells an edit made in Anki (Anki ≠ last sent = build) from
a changed source (Anki = last sent ≠ build) and from both (a conflict). The deck tells whether
the spec moved a note or the user did. The note id finds the note again even when two notes
of different decks carry the same key.

It is a hint, never the truth about Anki: every sync reads what Anki holds, so a missing or
damaged file costs only the edit detection of one sync (see :mod:`quizgen.sync.plan`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quizgen.atomic import write_atomic

VERSION = 1
ORPHAN_TAG = "quizgen::orphan"


@dataclass(slots=True)
class Entry:
    key: str
    nid: int
    fields: str  # hash of the fields last sent (or found equal to the build's)
    deck: str  # the deck the build last asked for
    orphan: str = ""  # "", "tag" or "suspend": what the sync did to it as an orphan


@dataclass
class SyncState:
    notes: dict[str, Entry] = field(default_factory=dict)  # GUID → entry
    models: dict[str, str] = field(default_factory=dict)  # note type name → digest sent


def _entry(raw: Any) -> Entry | None:
    if not (isinstance(raw, list) and len(raw) == 5):
        return None
    key, nid, fields, deck, orphan = raw
    if (isinstance(key, str) and isinstance(nid, int) and not isinstance(nid, bool)
            and isinstance(fields, str) and isinstance(deck, str) and isinstance(orphan, str)):
        return Entry(key, nid, fields, deck, orphan)
    return None


def load(path: Path) -> SyncState:
    """The saved state, or an empty one when the file is missing or damaged (never raises)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return SyncState()
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return SyncState()
    notes: dict[str, Entry] = {}
    raw_notes = data.get("notes")
    if isinstance(raw_notes, dict):
        for guid, raw in raw_notes.items():
            entry = _entry(raw)
            if entry is not None:
                notes[str(guid)] = entry
    models = data.get("models")
    clean = ({str(k): v for k, v in models.items() if isinstance(v, str)}
             if isinstance(models, dict) else {})
    return SyncState(notes, clean)


def save(state: SyncState, path: Path) -> None:
    """Write atomically, sorted (an unchanged sync leaves the same bytes).

    Raises:
        OSError: the folder is not writable.
    """
    body = {
        "version": VERSION,
        "models": dict(sorted(state.models.items())),
        "notes": {g: [e.key, e.nid, e.fields, e.deck, e.orphan]
                  for g, e in sorted(state.notes.items())},
    }
    write_atomic(path, (json.dumps(body, ensure_ascii=False, separators=(",", ":")) + "\n")
                 .encode("utf-8"))
