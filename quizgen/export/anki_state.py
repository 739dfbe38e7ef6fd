"""What the previous build wrote: per note (by GUID) its key, content hash and ``mod``.

Anki updates an imported note only when its ``mod`` is strictly newer than the one it has.
Stamping every note "now" would overwrite edits made in Anki on every rebuild; stamping a
fixed time would never update anything. So a note keeps the ``mod`` of the build in which its
content last changed, and this small JSON file remembers it between builds. Note types get
the same treatment, so CSS customised in Anki survives until quizgen's own CSS changes.

Entries of notes that disappear are kept (and reported as orphans): when the card comes back,
for instance after a parse error is fixed, it keeps its old ``mod`` and Anki leaves it alone.

The file also describes the cache database beside it (see :mod:`quizgen.export.anki`): which
notes it holds rows for that need no rendering (``inputs``: hash of the card they came from),
the render version those rows were made with, the cache file's size and mtime when it was
written, and where each packaged image came from. A cache that does not match is not used.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quizgen.atomic import write_atomic

VERSION = 2
_READS = (1, 2)  # version 1 lacks the cache description; its hashes and mods still hold


@dataclass(slots=True)
class Stamp:
    key: str
    digest: str  # what Anki stores for the note: note type, fields, tags
    mod: int
    inputs: str = ""  # hash of the card whose cached row needs no rendering; "" = render again
    media: tuple[str, ...] = ()  # packaged images the note shows


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


@dataclass
class State:
    notes: dict[str, Stamp] = field(default_factory=dict)  # guid → stamp
    models: dict[str, Stamp] = field(default_factory=dict)  # model id → stamp
    render: str = ""  # render version of the cached rows
    cache: tuple[int, int] | None = None  # (size, mtime_ns) of the cache written with this state
    media: dict[str, Source] = field(default_factory=dict)  # packaged name → source

    def stamp(
        self, table: dict[str, Stamp], ident: str, key: str, digest: str, now: int
    ) -> tuple[int, bool]:
        """(``mod``, changed): the old ``mod`` if the content is unchanged, else ``now`` or,
        should the clock be behind the previous build, one second past the old ``mod``."""
        old = table.get(ident)
        if old is not None and old.digest == digest:
            old.key = key
            return old.mod, False
        mod = now if old is None else max(now, old.mod + 1)
        table[ident] = Stamp(key, digest, mod)
        return mod, True


def default_path(apkg: Path) -> Path:
    """``deck.apkg`` → ``deck.apkg.quizgen-state.json`` next to it."""
    return apkg.with_name(apkg.name + ".quizgen-state.json")


def file_mark(path: Path) -> tuple[int, int] | None:
    """(size, mtime_ns) of a file, or None when it is missing."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _all(v: Any, kind: type) -> bool:
    """A list of exactly ``kind`` (``bool`` is no ``int``), checked at C speed."""
    return isinstance(v, list) and set(map(type, v)) <= {kind}


def _v1_stamps(raw: Any) -> dict[str, Stamp]:
    """Version 1 tables: ``{id: {"key", "hash", "mod"}}``."""
    out: dict[str, Stamp] = {}
    if not isinstance(raw, dict):
        return out
    for ident, v in raw.items():
        if (isinstance(v, dict) and isinstance(v.get("key"), str)
                and isinstance(v.get("hash"), str) and _is_int(v.get("mod"))):
            out[str(ident)] = Stamp(v["key"], v["hash"], v["mod"])
    return out


def _columns(raw: Any) -> dict[str, Stamp]:
    """Version 2 tables: one list per column (a tenth of the objects to parse and check)."""
    if not isinstance(raw, dict):
        return {}
    columns: list[Any] = [raw.get(k) for k in ("id", "key", "hash", "mod", "inputs")]
    ids, keys, hashes, mods, inputs = columns
    media = raw.get("media", {})
    if not (_all(ids, str) and _all(keys, str) and _all(hashes, str) and _all(inputs, str)
            and _all(mods, int) and len(ids) == len(keys) == len(hashes) == len(mods)
            == len(inputs) and isinstance(media, dict)
            and all(_all(v, str) for v in media.values())):
        return {}
    out = dict(zip(ids, map(Stamp, keys, hashes, mods, inputs), strict=True))
    for ident, names in media.items():
        if ident in out:
            out[ident].media = tuple(names)
    return out


def _sources(raw: Any) -> dict[str, Source]:
    out: dict[str, Source] = {}
    if not isinstance(raw, dict):
        return out
    for name, v in raw.items():
        if (isinstance(v, list) and len(v) == 3 and isinstance(v[0], str) and _is_int(v[1])
                and _is_int(v[2])):
            out[str(name)] = Source(v[0], v[1], v[2])
    return out


def _mark(raw: Any) -> tuple[int, int] | None:
    if isinstance(raw, list) and len(raw) == 2 and all(_is_int(x) for x in raw):
        return raw[0], raw[1]
    return None


def load(path: Path) -> State:
    """The saved state, or an empty one when the file is missing or damaged (never raises).

    An empty state only costs one rebuild stamped "now"; refusing to build would cost more.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return State()
    if not isinstance(data, dict) or data.get("version") not in _READS:
        return State()
    if data["version"] == 1:
        return State(_v1_stamps(data.get("notes")), _v1_stamps(data.get("models")))
    render = data.get("render")
    return State(
        _columns(data.get("notes")), _columns(data.get("models")),
        render if isinstance(render, str) else "", _mark(data.get("cache")),
        _sources(data.get("media")),
    )


def _table(t: dict[str, Stamp]) -> dict[str, Any]:
    rows = sorted(t.items())
    return {
        "id": [k for k, _ in rows], "key": [s.key for _, s in rows],
        "hash": [s.digest for _, s in rows], "mod": [s.mod for _, s in rows],
        "inputs": [s.inputs for _, s in rows],
        "media": {k: list(s.media) for k, s in rows if s.media},
    }


def save(state: State, path: Path) -> None:
    """Write atomically, compact and sorted, so that an unchanged build leaves the same bytes.

    Raises:
        OSError: the folder is not writable.
    """
    body = {
        "version": VERSION,
        "render": state.render,
        "cache": list(state.cache) if state.cache else None,
        "models": _table(state.models),
        "media": {k: [s.path, s.size, s.mtime_ns] for k, s in sorted(state.media.items())},
        "notes": _table(state.notes),
    }
    text = json.dumps(body, separators=(",", ":"))
    write_atomic(path, (text + "\n").encode("utf-8"))
