"""The three-way decision of :mod:`quizgen.sync.plan`, on hand-made notes (no Anki)."""

from __future__ import annotations

from quizgen.export import anki_state
from quizgen.export.anki_models import BASIC
from quizgen.export.anki_notes import Built
from quizgen.model import Card, SourceRef
from quizgen.sync.plan import plan
from quizgen.sync.remote import Held
from quizgen.sync.state import ORPHAN_TAG, Entry, SyncState
from quizgen.sync.wanted import Wanted, fields_hash, key_field

DECK = "机器学习::基础"


def want(term: str, back: str, deck: str = DECK) -> Wanted:
    key = f"notes/a.md|definition|{term}"
    card = Card(id=f"g-{term}", key=key, kind="definition", deck=deck, tags=("信息论",),
                front=f"什么是{term}？", back=back, source=SourceRef("notes/a.md", 3))
    fields = (f"什么是{term}？", back, "", "notes/a.md:3", key_field(key), "", "")
    return Wanted(card.id, key_field(key), Built(BASIC, fields, ("信息论",)), deck, (), card)


def held(w: Wanted, nid: int, back: str | None = None, tags: tuple[str, ...] = ("信息论",),
         ) -> Held:
    fields = list(w.fields)
    if back is not None:
        fields[1] = back
    return Held(nid, BASIC.name, tuple(fields), tags, w.key)


def entry(w: Wanted, nid: int, back: str, deck: str = DECK) -> Entry:
    fields = list(w.fields)
    fields[1] = back
    return Entry(w.card.key, nid, fields_hash(fields), deck)


NO_PACKAGE = anki_state.State()


def test_equal_fields_are_unchanged_and_missing_notes_are_added() -> None:
    a, b = want("熵", "不确定性"), want("交叉熵", "编码长度")
    p = plan([a, b], [held(a, 1)], set(), SyncState(), NO_PACKAGE)
    assert [c.held.nid for c in p.same] == [1]
    assert [w.guid for w in p.add] == [b.guid]
    assert not p.update and not p.keep and not p.orphans


def test_three_way_decision() -> None:
    w = want("熵", "新定义")  # the build now says 新定义
    state = SyncState({w.guid: entry(w, 7, "旧定义")})  # the last sync sent 旧定义
    # Anki still holds what was sent: the source changed → update.
    p = plan([w], [held(w, 7, "旧定义")], set(), state, NO_PACKAGE)
    assert [c.held.nid for c in p.update] == [7] and not p.conflicts
    # Anki changed, the source did not (the build is what was sent) → Anki's kept.
    state = SyncState({w.guid: entry(w, 7, "新定义")})
    p = plan([w], [held(w, 7, "我的版本")], set(), state, NO_PACKAGE)
    assert [c.held.nid for c in p.keep] == [7] and not p.update and not p.conflicts
    # Both changed: a conflict, the notes win unless keep_anki.
    state = SyncState({w.guid: entry(w, 7, "旧定义")})
    p = plan([w], [held(w, 7, "我的版本")], set(), state, NO_PACKAGE)
    assert len(p.update) == 1 and len(p.conflicts) == 1
    p = plan([w], [held(w, 7, "我的版本")], set(), state, NO_PACKAGE, keep_anki=True)
    assert len(p.keep) == 1 and len(p.conflicts) == 1 and not p.update


def test_without_a_sync_state_the_package_state_tells_anki_edits() -> None:
    w = want("熵", "定义")
    package = anki_state.State(notes={w.guid: anki_state.Stamp(w.card.key, w.digest, 100)})
    p = plan([w], [held(w, 3, "用户改过")], set(), SyncState(), package)
    assert len(p.keep) == 1  # the package held the build's note: Anki's text is an edit
    stale = anki_state.State(notes={w.guid: anki_state.Stamp(w.card.key, "other", 100)})
    p = plan([w], [held(w, 3, "旧")], set(), SyncState(), stale)
    assert len(p.update) == 1  # the source changed since the package


def test_several_notes_with_one_key_prefer_the_deck_tree_else_touch_none() -> None:
    w = want("熵", "定义")
    a, b = held(w, 1, "x"), held(w, 2, "y")
    p = plan([w], [a, b], {2}, SyncState(), NO_PACKAGE)
    assert [c.held.nid for c in p.update] == [2] and not p.add
    p = plan([w], [a, b], set(), SyncState(), NO_PACKAGE)
    assert not p.update and not p.add and len(p.problems) == 1
    # The id the last sync recorded decides, wherever the user moved it.
    state = SyncState({w.guid: entry(w, 1, "x")})
    p = plan([w], [a, b], {2}, state, NO_PACKAGE)
    assert [c.held.nid for c in p.update] == [1]


def test_orphans_gone_revived_retagged_and_moved() -> None:
    kept, dropped, deleted = want("熵", "a"), want("旧词", "b"), want("删了", "c")
    state = SyncState({
        kept.guid: Entry(kept.card.key, 1, fields_hash(kept.fields), "机器学习::旧", "tag"),
        dropped.guid: entry(dropped, 2, "b"),
        deleted.guid: entry(deleted, 3, "c"),
    })
    anki = [held(kept, 1, tags=(ORPHAN_TAG,)), held(dropped, 2, "b")]
    p = plan([kept], anki, set(), state, NO_PACKAGE)
    assert [o.held.nid for o in p.orphans] == [2]
    assert p.gone == [deleted.guid]
    assert [h.nid for h, _ in p.revived] == [1]
    assert p.retag == [(anki[0], ("信息论",))]
    assert [(m.held.nid, m.old, m.new) for m in p.moves] == [(1, "机器学习::旧", DECK)]
    # A note the .apkg made (no sync record) is an orphan too, found by its key.
    package = anki_state.State(notes={dropped.guid: anki_state.Stamp(dropped.card.key, "d", 1)})
    p = plan([kept], anki, set(), SyncState(), package)
    assert [o.held.nid for o in p.orphans] == [2] and p.orphans[0].entry is None
