"""Rebuilds that patch the previous build's database give the package a full build gives."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import zipfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from quizgen.export import anki
from quizgen.export.anki import cache_path, reusable
from quizgen.export.anki_state import default_path, legacy_path, open_state
from quizgen.model import Card
from tests.export.conftest import Anki, Vault, card, sample_cards, tiny_png


def write_apkg(cards: Sequence[Card], out: Path, **kw: Any) -> anki.AnkiReport:
    """Each card its own group, so that a test can keep any subset of a note's cards."""
    return anki.write_apkg(cards, out, group=lambda c: c.id, **kw)


def _set_cache_mark(out: Path, mark: list[int]) -> None:
    conn = sqlite3.connect(default_path(out))
    conn.execute("UPDATE meta SET v = ? WHERE k = 'cache'", (json.dumps(mark),))
    conn.commit()
    conn.close()


def _imported(apkg: Path, where: Path) -> dict[str, Any]:
    """Everything a user sees of the package once real Anki has imported it."""
    anki = Anki(where)
    try:
        log = anki.import_(apkg)
        assert not log.conflicting and not log.duplicate
        notes = {}
        for n in anki.notes():
            cards = [(anki.col.decks.name(c.did), c.ord, c.type, c.queue) for c in n.cards()]
            notes[n.guid] = (n.note_type()["name"], list(n.fields), n.mod, sorted(n.tags), cards)
        models = {m["name"]: (m["css"], [(t["qfmt"], t["afmt"]) for t in m["tmpls"]],
                              [f["name"] for f in m["flds"]], m["mod"])
                  for m in anki.col.models.all()}
        decks = sorted(d.name for d in anki.col.decks.all_names_and_ids())
        media = {p.name: p.read_bytes() for p in Path(anki.col.media.dir()).iterdir()}
        return {"notes": notes, "models": models, "decks": decks, "media": media}
    finally:
        anki.col.close()


def _rows(apkg: Path) -> dict[str, Any]:
    """The package's rows, ids aside (Anki matches by GUID; ids only name new notes)."""
    with zipfile.ZipFile(apkg) as z:
        db = apkg.with_suffix(".check.anki2")
        db.write_bytes(z.read("collection.anki2"))
        media = sorted(json.loads(z.read("media")).values())
    conn = sqlite3.connect(db)
    try:
        notes = {r[0]: r[1:] for r in conn.execute(
            "SELECT n.guid, n.mid, n.mod, n.usn, n.tags, n.flds, n.sfld, n.csum, n.flags, "
            "n.data, c.did, c.ord, c.mod, c.usn, c.type, c.queue, c.due, c.ivl, c.factor, "
            "c.reps, c.lapses, c.left, c.odue, c.odid, c.flags, c.data "
            "FROM notes n JOIN cards c ON c.nid = n.id")}
        assert conn.execute("SELECT count() FROM cards").fetchone()[0] == len(notes)
        models, decks = conn.execute("SELECT models, decks FROM col").fetchone()
        schema = sorted(conn.execute("SELECT sql FROM sqlite_master").fetchall())
    finally:
        conn.close()
        db.unlink()
    return {"notes": notes, "models": json.loads(models), "decks": json.loads(decks),
            "schema": schema, "media": media}


def _full(cards: Sequence[Card], v: Vault, state_before: Path, where: Path, now: int) -> Path:
    """The same cards written in full, from the same previous state but no cache."""
    where.mkdir()
    out = where / "d.apkg"
    shutil.copy(state_before, default_path(out))
    return write_apkg(cards, out, notes_root=v.root, now=now).path


def _second_version(v: Vault) -> list[Card]:
    """A definition reworded, a card moved to another deck, one removed, one added."""
    cards = sample_cards(v)
    cards[0] = replace(cards[0], back=cards[0].back + " 常用于多分类。")
    cards[4] = replace(cards[4], deck="机器学习::进阶")
    del cards[6]
    cards.append(card(v, "definition", "def:新", "什么是新？", "新的 ![图](img/softmax.png)",
                      line=30))
    return cards


def _first_build(vault: Vault, tmp_path: Path) -> tuple[Path, Path]:
    """Build the sample deck once (at time 1,000); return the package and a copy of its state."""
    out = tmp_path / "a" / "d.apkg"
    write_apkg(sample_cards(vault), out, notes_root=vault.root, now=1_000)
    before = tmp_path / "state-before.sqlite"
    shutil.copy(default_path(out), before)
    return out, before


def test_patched_build_imports_exactly_like_a_full_build(vault: Vault, tmp_path: Path) -> None:
    out, before = _first_build(vault, tmp_path)

    v2 = _second_version(vault)
    unchanged = {c.id for c in v2[1:4]}
    held = reusable(out)
    assert unchanged <= held
    passed = [c for c in v2 if c.id not in unchanged]
    rep = write_apkg(passed, out, notes_root=vault.root, now=2_000, keep=frozenset(unchanged))
    assert rep.problems == () and rep.notes == rep.cards == len(v2) and rep.media == 1
    # Reworded and new; the moved card keeps its mod (Anki never moves cards on import) but
    # its row names the new deck, as a full build's does.
    assert rep.changed == 2
    full = _full(v2, vault, before, tmp_path / "b", 2_000)

    assert _rows(out) == _rows(full)
    patched, whole = _imported(out, tmp_path / "p.anki2"), _imported(full, tmp_path / "f.anki2")
    assert patched == whole
    assert len(patched["notes"]) == len(v2) and "机器学习::进阶" in patched["decks"]


def test_kept_notes_are_no_orphans_and_removed_ones_are(vault: Vault, tmp_path: Path) -> None:
    out = tmp_path / "d.apkg"
    cards = sample_cards(vault)
    write_apkg(cards, out, notes_root=vault.root, now=1_000)
    keep = frozenset(c.id for c in cards[2:])
    rep = write_apkg([cards[1]], out, notes_root=vault.root, now=2_000, keep=keep)
    assert rep.orphans == (cards[0].key,) and rep.problems == ()
    assert (rep.notes, rep.cards, rep.changed) == (len(cards) - 1,) * 2 + (0,)
    assert cards[0].id not in _rows(out)["notes"] and set(_rows(out)["notes"]) == keep | {
        cards[1].id}
    # The image of a kept note is still packaged.
    assert rep.media == 1 and len(_rows(out)["media"]) == 1
    assert cards[0].id not in reusable(out)
    # Back again: its old mod, no change.
    rep = write_apkg([cards[0]], out, notes_root=vault.root, now=3_000, keep=keep | {cards[1].id})
    assert rep.orphans == () and rep.changed == 0 and rep.notes == len(cards)


def test_keep_without_a_cached_row_is_a_problem(vault: Vault, tmp_path: Path) -> None:
    out = tmp_path / "d.apkg"
    cards = sample_cards(vault)
    rep = write_apkg(cards[1:], out, notes_root=vault.root, now=1_000,
                     keep=frozenset({cards[0].id, "qg-never-seen"}))
    assert rep.notes == len(cards) - 1
    assert sorted(p.message.split()[3] for p in rep.problems) == ["qg-definition-def:Softmax",
                                                                  "qg-never-seen"]
    assert all("missing from this package" in p.message for p in rep.problems)


def test_missing_or_damaged_cache_means_a_full_build(vault: Vault, tmp_path: Path) -> None:
    out, before = _first_build(vault, tmp_path)
    v2 = _second_version(vault)
    expected = _rows(_full(v2, vault, before, tmp_path / "b", 2_000))
    cache = cache_path(out)
    original = cache.read_bytes()

    def damage_keeping_size_and_mtime() -> None:
        st = cache.stat()
        cache.write_bytes(b"\0" * st.st_size)
        os.utime(cache, ns=(st.st_atime_ns, st.st_mtime_ns))

    for damage in (cache.unlink, lambda: cache.write_bytes(b"not a database"),
                   damage_keeping_size_and_mtime):
        cache.write_bytes(original)
        shutil.copy(before, default_path(out))
        os.utime(cache, ns=(1, 1))
        _set_cache_mark(out, [len(original), 1])
        assert reusable(out)
        damage()
        rep = write_apkg(v2, out, notes_root=vault.root, now=2_000)
        assert rep.problems == ()
        assert _rows(out) == expected
        assert reusable(out) == set(expected["notes"])  # a fresh cache


def test_damaged_cache_with_keep_reports_and_does_not_crash(vault: Vault, tmp_path: Path) -> None:
    out = tmp_path / "d.apkg"
    cards = sample_cards(vault)
    write_apkg(cards, out, notes_root=vault.root, now=1_000)
    cache_path(out).write_bytes(b"garbage")
    assert reusable(out) == frozenset()
    rep = write_apkg(cards[:2], out, notes_root=vault.root, now=2_000,
                     keep=frozenset(c.id for c in cards[2:]))
    assert rep.notes == 2 and len(rep.problems) == len(cards) - 2


def test_unchanged_cards_are_not_rendered_again(vault: Vault, tmp_path: Path,
                                               monkeypatch: Any) -> None:
    out = tmp_path / "d.apkg"
    cards = sample_cards(vault)
    write_apkg(cards, out, notes_root=vault.root, now=1_000)
    from quizgen.export import anki_notes

    rendered: list[str] = []
    build = anki_notes.build
    monkeypatch.setattr(anki_notes, "build", lambda c, m: rendered.append(c.id) or build(c, m))
    changed = [*cards[:-1], replace(cards[-1], front="新的问题")]
    rep = write_apkg(changed, out, notes_root=vault.root, now=2_000)
    assert rep.changed == 1
    # The changed card, and the card with an image (whose bytes the hash does not cover).
    assert rendered == ["qg-recall-concept:softmax#0", cards[-1].id]


def test_a_changed_image_makes_its_note_new_again(vault: Vault, tmp_path: Path) -> None:
    out = tmp_path / "d.apkg"
    cards = sample_cards(vault)
    write_apkg(cards, out, notes_root=vault.root, now=1_000)
    image_card = "qg-recall-concept:softmax#0"
    assert image_card in reusable(out)
    (vault.root / "ml" / "img" / "softmax.png").write_bytes(tiny_png((1, 2, 3)))
    assert image_card not in reusable(out)
    rep = write_apkg(cards, out, notes_root=vault.root, now=2_000)
    assert rep.changed == 1 and rep.media == 1
    assert _rows(out)["notes"][image_card][1] == 2_000


def test_refused_images_are_reported_on_every_build(vault: Vault, tmp_path: Path) -> None:
    out = tmp_path / "d.apkg"
    bad = card(vault, "definition", "x", "看图 ![秘密](../../secret.png)", "y")
    for now in (1_000, 2_000):
        rep = write_apkg([bad], out, notes_root=vault.root, now=now)
        assert len(rep.problems) == 1 and rep.notes == 1
    assert reusable(out) == frozenset()  # the caller must pass it, so that it is reported


def _json_states(out: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The state of ``out`` as the JSON files of versions 1 and 2 held it."""
    state = open_state(default_path(out))
    notes, models = state.all_notes(), state.models
    state.close()
    v1 = {"version": 1,
          "models": {k: {"key": s.key, "hash": s.digest, "mod": s.mod} for k, s in models.items()},
          "notes": {g: {"key": s.key, "hash": s.digest, "mod": s.mod} for g, s in notes.items()}}
    rows = sorted(notes.items())
    v2 = {"version": 2, "render": "old", "cache": [1, 2], "media": {}, "models": {},
          "notes": {"id": [g for g, _ in rows], "key": [s.key for _, s in rows],
                    "hash": [s.digest for _, s in rows], "mod": [s.mod for _, s in rows],
                    "inputs": ["x" for _ in rows], "media": {}}}
    return v1, v2


def test_json_states_of_earlier_versions_migrate_with_every_mod(
    vault: Vault, tmp_path: Path
) -> None:
    out = tmp_path / "d.apkg"
    cards = sample_cards(vault)
    write_apkg(cards, out, notes_root=vault.root, now=1_000)
    mods = {g: row[1] for g, row in _rows(out)["notes"].items()}
    anki_col = Anki(tmp_path / "c.anki2")
    anki_col.import_(out)
    for old in _json_states(out):
        for p in (default_path(out), cache_path(out)):
            p.unlink()
        legacy_path(out).write_text(json.dumps(old))
        rep = write_apkg(cards, out, notes_root=vault.root, now=2_000)
        assert rep.changed == 0 and {g: row[1] for g, row in _rows(out)["notes"].items()} == mods
        assert not legacy_path(out).exists() and default_path(out).is_file()
        log = anki_col.import_(out)  # the same mods: Anki skips every note
        assert not log.new and not log.updated and len(log.duplicate) == len(cards)
    anki_col.col.close()


def test_cache_that_breaks_while_patched_means_a_full_build(
    vault: Vault, tmp_path: Path, monkeypatch: Any
) -> None:
    from quizgen.export import anki_db

    out, before = _first_build(vault, tmp_path)
    v2 = _second_version(vault)
    expected = _rows(_full(v2, vault, before, tmp_path / "b", 2_000))

    write = anki_db.write
    calls: list[int] = []

    def broken(*args: Any) -> list[int]:
        calls.append(1)
        if len(calls) == 1:  # the patch of the cache breaks; the full build that follows works
            raise sqlite3.DatabaseError("database disk image is malformed")
        return write(*args)

    monkeypatch.setattr(anki_db, "write", broken)
    rep = write_apkg(v2, out, notes_root=vault.root, now=2_000)
    assert rep.problems == () and rep.changed == 2
    assert _rows(out) == expected
    assert sorted(p.name for p in out.parent.iterdir()) == [
        "d.apkg", "d.apkg.quizgen-cache.anki2", "d.apkg.quizgen-state.sqlite"]
