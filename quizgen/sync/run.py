"""One sync: read what Anki holds, plan, then (unless a dry run) write the difference."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from quizgen.export import anki_state
from quizgen.export.anki_models import SHAPES
from quizgen.export.media import Media
from quizgen.model import Card, Problem
from quizgen.sync import models, push, remote
from quizgen.sync import state as state_mod
from quizgen.sync.client import Client, SyncError
from quizgen.sync.plan import Change, Plan, plan
from quizgen.sync.remote import Tick
from quizgen.sync.wanted import wanted


@dataclass(frozen=True)
class Options:
    orphans: str = "tag"  # report, tag, suspend or delete
    keep_anki: bool = False  # in a conflict, keep Anki's fields instead of the notes'
    dry_run: bool = False
    confirm_delete: Callable[[int], bool] | None = None  # asked before deleting; None: yes
    hold_orphans: bool = False  # the build had errors: orphans may be parse failures
    batch: int = 250  # notes per addNotes / per multi of updates
    use_package: bool = True  # add new notes by importPackage when Anki can read our file


@dataclass(frozen=True)
class SyncReport:
    cards: int  # notes the build wants
    added: int
    packaged: int  # of those, added from a package (so with the .apkg's GUIDs)
    updated: int
    unchanged: int
    kept: tuple[str, ...]  # keys whose Anki edits were kept
    conflicts: tuple[str, ...]  # keys changed on both sides
    orphans: tuple[str, ...]  # keys of notes whose source is gone
    orphan_action: str  # what was done to them
    media: int
    decks: tuple[str, ...]
    models: tuple[str, ...]  # note types created
    moved: int
    problems: tuple[Problem, ...]
    notes: tuple[str, ...]  # remarks for the user
    requests: int
    dry_run: bool
    seconds: float
    plan: Plan = field(repr=False, compare=False)


class PartialSync(SyncError):
    """A request failed after some writes: ``report`` says what was done."""

    def __init__(self, cause: SyncError, report: SyncReport) -> None:
        super().__init__(str(cause))
        self.report = report


def _report(p: Plan, done: push.Done, n: int, client: Client, options: Options, start: float,
            moved: int, problems: Sequence[Problem]) -> SyncReport:
    if options.dry_run:
        added, updated = len(p.add), len(p.update)
        action = f"would be {_verb(options)}" if p.orphans and options.orphans != "report" \
            else "reported"
    else:
        added, updated = done.added, done.updated
        action = done.orphans or "reported"
    if p.orphans and options.hold_orphans and options.orphans != "report":
        action = "left alone (some notes had errors; fix them and sync again)"
    return SyncReport(
        cards=n, added=added, packaged=done.by_package, updated=updated, unchanged=len(p.same),
        kept=tuple(c.want.card.key for c in p.keep),
        conflicts=tuple(c.want.card.key for c in p.conflicts),
        orphans=tuple(sorted(o.key for o in p.orphans)), orphan_action=action,
        media=done.media, decks=tuple(done.decks), models=tuple(done.models), moved=moved,
        problems=tuple(dict.fromkeys([*problems, *p.problems, *done.problems])),
        notes=tuple(done.notes), requests=client.requests, dry_run=options.dry_run,
        seconds=time.perf_counter() - start, plan=p,
    )


def _verb(options: Options) -> str:
    return {"tag": "tagged", "suspend": "suspended", "delete": "deleted"}[options.orphans]


def sync(cards: Sequence[Card], client: Client, *, notes_root: Path, state_path: Path,
         package_state: Path | None = None, options: Options = Options(),
         tick: Tick | None = None) -> SyncReport:
    """Make Anki hold the notes of ``cards``, as the .apkg would, changing only what differs.

    ``state_path``: this deck's sync state (read, then written unless a dry run).
    ``package_state``: the state file of this deck's .apkg build, if any (read only): it tells
    edits made in Anki after importing the package from changed sources on a first sync.

    Raises:
        Unreachable, BadKey: before anything was written.
        models.Clash: a note type of quizgen's name has other fields; nothing was written.
        PartialSync: a request failed after writing began (its report says what was done).
        OSError: the state file cannot be written.
    """
    start = time.perf_counter()
    version = client.invoke("version")
    if not isinstance(version, int) or version < 6:
        raise SyncError(f"AnkiConnect at {client.url} speaks version {version}; quizgen needs "
                        "version 6: update the add-on (Tools → Add-ons → Check for Updates)")
    media = Media(notes_root)
    want, problems = wanted(cards, media)
    present = remote.model_ids(client)
    models.check(client, present)
    held = remote.read_ours(client, SHAPES, present, tick)
    namespaces = sorted({w.deck.split("::")[0] for w in want})
    in_tree = set().union(*remote.find(client, [remote.in_deck_query(n) for n in namespaces]))
    state = state_mod.load(state_path)
    package = anki_state.load(package_state) if package_state else anki_state.State()
    p = plan(want, held, in_tree, state, package, options.keep_anki)
    done = push.Done()
    if options.dry_run:
        return _report(p, done, len(want), client, options, start, 0, problems)
    moved = 0
    try:
        push.ensure_decks(client, {w.deck for w in p.add} | {m.new for m in p.moves}, done)
        push.upload_media(client, [w for w in want if w.media], media, done, tick)
        done.models += models.refresh(client, present, state)
        push.add(client, p.add, present, notes_root, state, done, options.batch,
                 options.use_package, tick)
        push.update_fields(client, p.update, state, done, options.batch, tick)
        for c in p.keep + p.same:
            state.notes[c.want.guid] = state_mod.Entry(
                c.want.card.key, c.held.nid, _base(c), c.want.deck,
                e.orphan if (e := state.notes.get(c.want.guid)) else "")
        push.add_tags(client, p.retag)
        push.revive(client, p, state)
        moved = push.move(client, p)
        for guid in p.gone:
            state.notes.pop(guid, None)
        if not options.hold_orphans:
            push.orphans(client, p, options.orphans, state, done, options.confirm_delete)
    except SyncError as exc:
        state_mod.save(state, state_path)
        raise PartialSync(exc, _report(p, done, len(want), client, options, start, moved,
                                       problems)) from exc
    state_mod.save(state, state_path)
    return _report(p, done, len(want), client, options, start, moved, problems)


def _base(c: Change) -> str:
    """What counts as last sent for a note left as Anki has it: the build's fields (so an
    edit kept in Anki stays kept until the source changes)."""
    return c.want.hash
