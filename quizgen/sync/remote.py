"""What Anki holds: the notes of quizgen's note types, read in a few batched requests.

Only actions whose answer is the same from the add-on and from AnkiConnect-compatible servers
are relied on: ``findNotes`` (ids), ``notesInfo`` (``noteId``, ``modelName``, ``tags``,
``fields``; not ``mod`` or ``cards``, which not every server sends, and matched by ``noteId``,
not by position, since a server may leave out a missing note instead of answering ``{}``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from quizgen.export.anki_models import Shape
from quizgen.sync.client import ActionFailed, Client, chunks

READ_CHUNK = 1000  # notes per notesInfo: big enough to be few requests, small for progress

Tick = Callable[[str, int, int], None]  # (what, done, total)


@dataclass(frozen=True)
class Held:
    """One note as Anki holds it."""

    nid: int
    model: str
    fields: tuple[str, ...]  # in the note type's field order
    tags: tuple[str, ...]
    key: str  # the Key field, NFC


def search_value(text: str) -> str:
    """``text`` as a literal inside a double-quoted Anki search term (``*`` and ``_`` are
    wildcards there, ``"`` ends the term)."""
    out = text.replace("\\", "\\\\").replace('"', '\\"')
    return out.replace("*", "\\*").replace("_", "\\_")


def in_deck_query(deck: str) -> str:
    """Notes with a card in ``deck`` or one of its sub-decks."""
    return f'"deck:{search_value(deck)}"'


def model_ids(client: Client) -> dict[str, int]:
    """Every note type of the collection: name → id."""
    result = client.invoke("modelNamesAndIds")
    if not isinstance(result, dict):
        raise ActionFailed("modelNamesAndIds", f"unexpected answer {result!r:.200}")
    return {str(k): int(v) for k, v in result.items()}


def find(client: Client, queries: Sequence[str]) -> list[set[int]]:
    """Note ids for each search, in one request.

    Raises:
        ActionFailed: a search was refused.
    """
    replies = client.multi([("findNotes", {"query": q}) for q in queries])
    out: list[set[int]] = []
    for query, reply in zip(queries, replies, strict=True):
        if reply.error is not None or not isinstance(reply.result, list):
            raise ActionFailed("findNotes", f"{query}: {reply.error or reply.result!r:.200}")
        out.append({int(n) for n in reply.result})
    return out


def _held(info: Mapping[str, Any], shapes: Mapping[str, Shape]) -> Held | None:
    shape = shapes.get(str(info.get("modelName", "")))
    raw = info.get("fields")
    if shape is None or not isinstance(raw, dict) or "noteId" not in info:
        return None

    def value(name: str) -> str:
        v = raw.get(name)
        return str(v.get("value", "")) if isinstance(v, dict) else ""

    fields = tuple(value(n) for n in shape.fields)
    tags = info.get("tags")
    return Held(int(info["noteId"]), shape.name, fields,
                tuple(str(t) for t in tags) if isinstance(tags, list) else (),
                unicodedata.normalize("NFC", value("Key")))


def notes_info(client: Client, nids: Iterable[int], shapes: Sequence[Shape],
               tick: Tick | None = None) -> list[Held]:
    """The notes ``nids`` of the note types ``shapes`` (others, and missing notes, are left out).

    Raises:
        ActionFailed: notesInfo was refused.
    """
    by_name = {s.name: s for s in shapes}
    ids = sorted(nids)
    out: list[Held] = []
    for part in chunks(ids, READ_CHUNK):
        result = client.invoke("notesInfo", notes=list(part))
        if not isinstance(result, list):
            raise ActionFailed("notesInfo", f"unexpected answer {result!r:.200}")
        out.extend(h for info in result if isinstance(info, dict)
                   and (h := _held(info, by_name)) is not None)
        if tick is not None:
            tick("reading Anki", len(out), len(ids))
    return out


def read_ours(client: Client, shapes: Sequence[Shape], present: Iterable[str],
              tick: Tick | None = None) -> list[Held]:
    """Every note of those of ``shapes`` whose name is in ``present`` (the collection's
    note types), wherever the user keeps it."""
    names = [s.name for s in shapes if s.name in set(present)]
    found = find(client, [f'"note:{search_value(n)}"' for n in names])
    return notes_info(client, set().union(*found), shapes, tick)
