"""On-disk build cache: parsed notes by file hash, verified variants by concept/seed/index.

A rebuild that changes nothing re-parses nothing and never imports sympy. Entries are keyed by
a fingerprint of the code that made them, so upgrading quizgen invalidates them by itself.
The cache is plain JSON (never pickle): it lives next to user output and may be shared.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

from quizgen.atomic import write_atomic
from quizgen.model import Note, Variant
from quizgen.serialize import from_data, to_data

_PACKAGE = Path(__file__).resolve().parent


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


class _Store:
    def __init__(self, path: Path | None, version: str) -> None:
        self.path = path
        self.version = version
        self.entries: dict[str, Any] = {}
        self.dirty = False
        if path is not None and path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                if data.get("version") == version:
                    self.entries = dict(data.get("entries", {}))
            except (OSError, ValueError, AttributeError):
                self.entries = {}  # a damaged cache is a cold cache

    def save(self) -> None:
        if self.path is None or not self.dirty:
            return
        body = {"version": self.version, "entries": self.entries}
        write_atomic(self.path, json.dumps(body, ensure_ascii=False).encode("utf-8"))
        self.dirty = False


class _NoteStore:
    """Parsed notes, one line each (``["path", "sha1"]<TAB>{note}``), kept as raw JSON text
    until asked for: a rebuild decodes only the notes it reads and re-encodes only the one that
    changed, instead of a whole multi-megabyte document each way."""

    def __init__(self, path: Path | None, version: str) -> None:
        self.path = path
        self.version = version
        self.entries: dict[str, tuple[str, str]] = {}  # path → (sha1, note JSON)
        self.dirty = False
        if path is None or not path.is_file():
            return
        try:
            lines = path.read_text(encoding="utf-8").split("\n")
            if lines[0] != version:
                return
            for line in lines[1:]:
                if line:
                    head, body = line.split("\t", 1)
                    key, digest = json.loads(head)
                    self.entries[key] = (digest, body)
        except (OSError, ValueError):
            self.entries = {}  # a damaged cache is a cold cache

    def save(self) -> None:
        if self.path is None or not self.dirty:
            return
        lines = [self.version]
        lines += [f"{json.dumps([k, d], ensure_ascii=False)}\t{b}" for k, (d, b) in
                  self.entries.items()]
        write_atomic(self.path, ("\n".join(lines) + "\n").encode("utf-8"))
        self.dirty = False


class BuildCache:
    """Parsed notes and verified variants; ``folder=None`` caches in memory only."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        notes_v = code_fingerprint("parse", "latex.py", "model.py", "concepts")
        variants_v = code_fingerprint("concepts", "model.py")
        self._notes = _NoteStore(folder / "notes.jsonl" if folder else None, notes_v)
        self._variants = _Store(folder / "variants.json" if folder else None, variants_v)
        # Cards are reused by note *text*, so the code that reads the text counts too.
        cards_v = code_fingerprint(
            "generate", "parse", "concepts", "model.py", "richtext.py", "latex.py"
        )
        self._cards = _Store(folder / "cards.json" if folder else None, cards_v)

    def note(self, display: str, digest: str) -> Note | None:
        entry = self._notes.entries.get(display)
        if not entry or entry[0] != digest:
            return None
        try:
            return from_data(Note, json.loads(entry[1]))
        except (KeyError, TypeError, IndexError, ValueError):
            return None

    def put_note(self, display: str, digest: str, note: Note) -> None:
        body = json.dumps(to_data(note), ensure_ascii=False, separators=(",", ":"))
        self._notes.entries[display] = (digest, body)
        self._notes.dirty = True

    def variants(self, concept: str, seed: int, count: int) -> list[Variant] | None:
        out: list[Variant] = []
        for i in range(count):
            entry = self._variants.entries.get(f"{concept}|{seed}|{i}")
            if entry is None:
                return None
            try:
                out.append(from_data(Variant, entry))
            except (KeyError, TypeError, IndexError):
                return None
        return out

    def put_variants(self, concept: str, seed: int, variants: list[Variant]) -> None:
        for v in variants:
            self._variants.entries[f"{concept}|{seed}|{v.index}"] = to_data(v)
        self._variants.dirty = True

    def note_card_ids(self, display: str, fingerprint: str) -> list[str] | None:
        """Ids of the per-note cards made from this note last time, if it and the deck's card
        settings (``fingerprint``) are unchanged since."""
        entry = self._cards.entries.get(display)
        if not entry or entry.get("fp") != fingerprint:
            return None
        ids = entry.get("ids")
        return list(ids) if isinstance(ids, list) else None

    def put_note_card_ids(self, display: str, fingerprint: str, ids: list[str]) -> None:
        self._cards.entries[display] = {"fp": fingerprint, "ids": ids}
        self._cards.dirty = True

    def prune(self, live: set[str]) -> None:
        """Forget notes that are no longer part of the build."""
        for store in (self._notes, self._cards):
            gone = [k for k in store.entries if k not in live]
            for k in gone:
                del store.entries[k]
            store.dirty = store.dirty or bool(gone)

    def save(self) -> None:
        """Persist what changed; a cache that cannot be written only costs speed next time."""
        for store in (self._notes, self._variants, self._cards):
            with contextlib.suppress(OSError):
                store.save()
