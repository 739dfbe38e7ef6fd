"""What the previous build wrote: per note (by GUID) its key, content hash and ``mod``.

Anki updates an imported note only when its ``mod`` is strictly newer than the one it has.
Stamping every note "now" would overwrite edits made in Anki on every rebuild; stamping a
fixed time would never update anything. So a note keeps the ``mod`` of the build in which its
content last changed, and this small JSON file remembers it between builds. Note types get
the same treatment, so CSS customised in Anki survives until quizgen's own CSS changes.

Entries of notes that disappear are kept (and reported as orphans): when the card comes back,
for instance after a parse error is fixed, it keeps its old ``mod`` and Anki leaves it alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quizgen.atomic import write_atomic

VERSION = 1


@dataclass
class Stamp:
    key: str
    digest: str
    mod: int


@dataclass
class State:
    notes: dict[str, Stamp] = field(default_factory=dict)  # guid → stamp
    models: dict[str, Stamp] = field(default_factory=dict)  # model id → stamp

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


def _stamps(raw: Any) -> dict[str, Stamp]:
    out: dict[str, Stamp] = {}
    if not isinstance(raw, dict):
        return out
    for ident, v in raw.items():
        if (isinstance(v, dict) and isinstance(v.get("key"), str)
                and isinstance(v.get("hash"), str) and isinstance(v.get("mod"), int)):
            out[str(ident)] = Stamp(v["key"], v["hash"], v["mod"])
    return out


def load(path: Path) -> State:
    """The saved state, or an empty one when the file is missing or damaged (never raises).

    An empty state only costs one rebuild stamped "now"; refusing to build would cost more.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return State()
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return State()
    return State(_stamps(data.get("notes")), _stamps(data.get("models")))


def save(state: State, path: Path) -> None:
    """Write atomically, sorted, so that an unchanged build leaves the same bytes.

    Raises:
        OSError: the folder is not writable.
    """

    def table(t: dict[str, Stamp]) -> dict[str, dict[str, Any]]:
        return {k: {"key": s.key, "hash": s.digest, "mod": s.mod} for k, s in sorted(t.items())}

    body = {"version": VERSION, "notes": table(state.notes), "models": table(state.models)}
    text = json.dumps(body, ensure_ascii=False, indent=0)
    write_atomic(path, (text + "\n").encode("utf-8"))
