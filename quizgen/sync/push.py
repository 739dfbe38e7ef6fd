"""Carrying out a :class:`~quizgen.sync.plan.Plan` in batched requests.

Every step records what it finished in ``done`` and in the sync state as it goes, so that a
request failing midway leaves an exact account of what was done, and the next sync (which
reads Anki again) does the rest.
"""

from __future__ import annotations

import base64
import hashlib
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quizgen.export.anki_models import Shape
from quizgen.export.media import Media
from quizgen.model import Problem
from quizgen.sync import models, remote
from quizgen.sync.client import ActionFailed, Call, Client, chunks
from quizgen.sync.plan import Change, Plan
from quizgen.sync.remote import Held, Tick
from quizgen.sync.state import ORPHAN_TAG, Entry, SyncState
from quizgen.sync.wanted import Wanted, fields_hash

MEDIA_CHUNK_BYTES = 8 * 2**20  # image bytes per request: a few large images, or many small


@dataclass
class Done:
    """What a sync has done so far (the report of a sync stopped midway, too)."""

    added: int = 0
    updated: int = 0
    media: int = 0
    decks: list[str] = field(default_factory=list)
    models: list[str] = field(default_factory=list)
    orphans: str = ""  # what was done to the orphans: tagged, suspended, deleted
    by_package: int = 0  # notes added from a package (with quizgen's GUIDs)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # one-line remarks for the user


def _entry(w: Wanted, nid: int, old: Entry | None = None) -> Entry:
    return Entry(w.card.key, nid, w.hash, w.deck,
                 old.orphan if old is not None else "")


def _refused(w: Wanted, what: str, error: str) -> Problem:
    return Problem(w.card.source.path, w.card.source.line,
                   f"Anki refused to {what} {w.card.key}: {error}")


def card_ids(client: Client, nids: Iterable[int]) -> list[int]:
    """The cards of the notes ``nids``."""
    ids = sorted(set(nids))
    out: list[int] = []
    for part in chunks(ids, 500):
        result = client.invoke("findCards", query="nid:" + ",".join(map(str, part)))
        out.extend(int(c) for c in result or [])
    return out


def ensure_decks(client: Client, decks: Iterable[str], done: Done) -> None:
    have = set(client.invoke("deckNames") or [])
    missing = sorted(set(decks) - have)
    for reply, name in zip(client.multi([("createDeck", {"deck": d}) for d in missing]), missing,
                           strict=True):
        if reply.error is not None:
            raise ActionFailed("createDeck", f"{name}: {reply.error}")
        done.decks.append(name)


def upload_media(client: Client, wanted: Iterable[Wanted], media: Media, done: Done,
                 tick: Tick | None) -> None:
    """Send the images the notes show that Anki lacks, under the same content-hash names as
    the .apkg (a name is its bytes, so one Anki has is the right one)."""
    names = sorted({n for w in wanted for n in w.media})
    if not names:
        return
    have = set(client.invoke("getMediaFilesNames", pattern="qg-*") or [])
    missing = [n for n in names if n not in have]
    batch: list[Call] = []
    size = 0

    def flush() -> None:
        nonlocal batch, size
        for reply, (_, params) in zip(client.multi(batch), batch, strict=True):
            if reply.error is not None and "path" in params:
                # Anki is local but cannot read our file (another user, a container): send it.
                data = base64.b64encode(Path(params["path"]).read_bytes()).decode("ascii")
                client.invoke("storeMediaFile", filename=params["filename"], data=data)
            elif reply.error is not None:
                raise ActionFailed("storeMediaFile", f"{params['filename']}: {reply.error}")
            done.media += 1
        if tick is not None:
            tick("uploading images", done.media, len(missing))
        batch, size = [], 0

    for name in missing:
        path = media.files.get(name)
        data = path.read_bytes() if path is not None and path.is_file() else None
        if (path is None or data is None
                or not name.startswith(f"qg-{hashlib.sha1(data).hexdigest()[:16]}.")):
            done.problems.append(Problem(str(path or name), 0, f"image {name} changed or "
                                         "vanished while syncing; sync again"))
            continue
        if client.local:  # Anki reads the file itself: a tiny request (see quizgen.sync.client)
            batch.append(("storeMediaFile", {"filename": name, "path": str(path)}))
        else:
            batch.append(("storeMediaFile", {"filename": name,
                                             "data": base64.b64encode(data).decode("ascii")}))
        size += len(data)
        if size >= MEDIA_CHUNK_BYTES:
            flush()
    if batch:
        flush()


def _note_params(w: Wanted) -> dict[str, Any]:
    return {
        "deckName": w.deck, "modelName": w.shape.name,
        "fields": dict(zip(w.shape.fields, w.fields, strict=True)),
        "tags": list(w.built.tags),
        # Identity is the Key field (and the GUID), not the first field: two cards may share
        # a question (the add-on refuses such "duplicates" unless told).
        "options": {"allowDuplicate": True},
    }


def add_one_by_one(client: Client, adds: Sequence[Wanted], state: SyncState, done: Done,
                   batch: int, tick: Tick | None, total: int) -> None:
    for part in chunks(adds, batch):
        errors: list[str | None] = [None] * len(part)
        try:
            result = client.invoke("addNotes", notes=[_note_params(w) for w in part])
        except ActionFailed:
            # The add-on refuses (and rolls back) a whole batch when it refuses one note:
            # add this batch note by note, so that only the refused ones are left out.
            replies = client.multi([("addNote", {"note": _note_params(w)}) for w in part])
            result = [r.result for r in replies]
            errors = [r.error for r in replies]
        if not isinstance(result, list) or len(result) != len(part):
            raise ActionFailed("addNotes", f"unexpected answer {result!r:.200}")
        for w, nid, error in zip(part, result, errors, strict=True):
            if nid is None:
                done.problems.append(_refused(w, "add", error or "no note id returned"))
                continue
            state.notes[w.guid] = _entry(w, int(nid), state.notes.get(w.guid))
            done.added += 1
        if tick is not None:
            tick("adding notes", done.added, total)


def add_by_package(client: Client, adds: Sequence[Wanted], present: dict[str, int],
                   notes_root: Path, state: SyncState, done: Done) -> list[Wanted]:
    """Add notes by having Anki import a package of them, written by the .apkg exporter: the
    notes get quizgen's GUIDs and note type ids, so importing the deck's .apkg later updates
    them instead of duplicating them. Only possible when Anki can read a file of this machine
    and quizgen's note types in the collection (if any) have quizgen's ids.

    Returns the notes still to add (all of them when the import was refused).
    """
    shapes: set[Shape] = {w.shape for w in adds}
    if not adds or not client.local or any(present.get(s.name, s.model_id) != s.model_id
                                           for s in shapes):
        return list(adds)
    from quizgen.export.anki import write_apkg

    before = set().union(*remote.find(client, [f'"note:{remote.search_value(s.name)}"'
                                               for s in shapes if s.name in present]))
    with tempfile.TemporaryDirectory(prefix="quizgen-sync-") as tmp:
        package = Path(tmp) / "new-notes.apkg"
        write_apkg([w.card for w in adds], package, notes_root=notes_root,
                   state_path=Path(tmp) / "state.json")
        try:
            client.invoke("importPackage", path=str(package))
        except ActionFailed as exc:
            done.notes.append(
                f"AnkiConnect could not import the new notes as a package ({exc.message}); "
                "they were added one by one with ids Anki chose, so importing this deck's "
                ".apkg into this collection would duplicate them (keep using sync there)")
            return list(adds)
    present.update(remote.model_ids(client))
    after = set().union(*remote.find(client, [f'"note:{remote.search_value(s.name)}"'
                                              for s in shapes if s.name in present]))
    arrived = {h.key: h for h in remote.notes_info(client, after - before, list(shapes))}
    rest: list[Wanted] = []
    for w in adds:
        h = arrived.get(w.key)
        if h is None:
            rest.append(w)
            continue
        state.notes[w.guid] = _entry(w, h.nid, state.notes.get(w.guid))
        done.added += 1
        done.by_package += 1
    return rest


def update_fields(client: Client, changes: Sequence[Change], state: SyncState, done: Done,
                  batch: int, tick: Tick | None) -> None:
    for part in chunks(changes, batch):
        calls: list[Call] = [("updateNoteFields", {"note": {
            "id": c.held.nid, "fields": dict(zip(c.want.shape.fields, c.want.fields,
                                                 strict=True))}}) for c in part]
        for c, reply in zip(part, client.multi(calls), strict=True):
            if reply.error is not None:
                done.problems.append(_refused(c.want, "update", reply.error))
                continue
            state.notes[c.want.guid] = _entry(c.want, c.held.nid, state.notes.get(c.want.guid))
            done.updated += 1
        if tick is not None:
            tick("updating notes", done.updated, len(changes))


def add_tags(client: Client, retag: Sequence[tuple[Held, tuple[str, ...]]]) -> None:
    by_tags: dict[str, list[int]] = defaultdict(list)
    for held, tags in retag:
        by_tags[" ".join(tags)].append(held.nid)
    calls: list[Call] = [("addTags", {"notes": nids, "tags": tags})
                         for tags, nids in sorted(by_tags.items())]
    for reply in client.multi(calls):
        if reply.error is not None:
            raise ActionFailed("addTags", reply.error)


def revive(client: Client, plan: Plan, state: SyncState) -> None:
    """Notes that came back: no longer tagged as orphans, unsuspended if the sync did it."""
    if not plan.revived:
        return
    client.invoke("removeTags", notes=[h.nid for h, _ in plan.revived], tags=ORPHAN_TAG)
    ours = [h.nid for h, e in plan.revived if e is not None and e.orphan == "suspend"]
    if ours:
        client.invoke("unsuspend", cards=card_ids(client, ours))
    back = {h.nid for h, _ in plan.revived}
    for entry in state.notes.values():
        if entry.nid in back:
            entry.orphan = ""


def move(client: Client, plan: Plan) -> int:
    """Move notes whose deck the spec changed, unless the user moved them meanwhile (they
    are no longer in the deck the last sync asked for)."""
    by_old: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for m in plan.moves:
        by_old[m.old].append((m.held.nid, m.new))
    moved = 0
    for old, items in sorted(by_old.items()):
        query = f'{remote.in_deck_query(old)} -"deck:{remote.search_value(old)}::*"'
        still = remote.find(client, [query])[0]
        by_new: dict[str, list[int]] = defaultdict(list)
        for nid, new in items:
            if nid in still:
                by_new[new].append(nid)
        for new, nids in sorted(by_new.items()):
            client.invoke("changeDeck", cards=card_ids(client, nids), deck=new)
            moved += len(nids)
    return moved


def orphans(client: Client, plan: Plan, mode: str, state: SyncState, done: Done,
            confirm: Callable[[int], bool] | None) -> None:
    """Tag, suspend or delete the orphans (``report`` leaves them alone)."""
    if not plan.orphans or mode == "report":
        return
    nids = [o.held.nid for o in plan.orphans]
    if mode == "delete":
        if confirm is not None and not confirm(len(nids)):
            done.orphans = "kept (deletion declined)"
            return
        for part in chunks(nids, 500):
            client.invoke("deleteNotes", notes=list(part))
        for o in plan.orphans:
            state.notes.pop(o.guid, None)
        done.orphans = "deleted"
        return
    untagged = [o.held.nid for o in plan.orphans
                if ORPHAN_TAG.casefold() not in {t.casefold() for t in o.held.tags}]
    if untagged:
        client.invoke("addTags", notes=untagged, tags=ORPHAN_TAG)
    if mode == "suspend":
        client.invoke("suspend", cards=card_ids(client, nids))
    for o in plan.orphans:
        entry = o.entry or Entry(o.key, o.held.nid, fields_hash(o.held.fields), "")
        entry.orphan = "suspend" if mode == "suspend" or entry.orphan == "suspend" else "tag"
        state.notes[o.guid] = entry
    done.orphans = "suspended" if mode == "suspend" else "tagged"


def add(client: Client, adds: Sequence[Wanted], present: dict[str, int], notes_root: Path,
        state: SyncState, done: Done, batch: int, use_package: bool, tick: Tick | None) -> None:
    """New notes: by package when Anki can take one, else one by one (note types created)."""
    rest = (add_by_package(client, adds, present, notes_root, state, done) if use_package
            else list(adds))
    if not rest:
        return
    missing = models.needed([w.shape for w in rest], present)
    done.models += models.create(client, missing, state)
    present.update(remote.model_ids(client))
    add_one_by_one(client, rest, state, done, batch, tick, len(adds))

