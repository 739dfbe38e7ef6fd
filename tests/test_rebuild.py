"""Rebuilds cost what changed: counted (never timed) on the example notes, deck spec and ad hoc
alike, and the package of an incremental build is the package a full build writes."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from quizgen import pipeline, spec
from quizgen.export import anki
from quizgen.parse import parse_file
from quizgen.pipeline import BuildReport
from tests.conftest import NOTES

Build = Callable[[], BuildReport]


@pytest.fixture(params=["deck", "ad hoc"])
def build(request: pytest.FixtureRequest, tmp_path: Path,
          monkeypatch: pytest.MonkeyPatch) -> tuple[Build, Path, Path]:
    """(build, notes folder, package) of a deck spec or of ``export NOTES -o FILE``."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # genanki's temp files
    notes = tmp_path / "notes"
    shutil.copytree(NOTES, notes)
    if request.param == "deck":
        path = tmp_path / "deck.yaml"
        path.write_text('name: "T"\nnotes: ["notes/**/*.md"]\nseed: 5\noutput: build\n'
                        "formats: [apkg]\n", encoding="utf-8")
        return (lambda: pipeline.export_deck(spec.load(path)), notes,
                tmp_path / "build" / "deck.apkg")
    out = tmp_path / "out" / "x.apkg"
    return (lambda: pipeline.export_paths([notes], "apkg", out, seed=5), notes, out)


def _edit(notes: Path) -> Path:
    """Reword the first definition of one note."""
    note = sorted(notes.rglob("*.md"))[3]
    text = note.read_text(encoding="utf-8")
    words = parse_file(note).definitions[0].text[:8]
    assert words in text
    note.write_text(text.replace(words, words + "（补充说明）", 1), encoding="utf-8")
    return note


def _package(apkg: Path) -> dict[str, Any]:
    with zipfile.ZipFile(apkg) as z:
        assert z.testzip() is None
        db = apkg.with_name("check.anki2")
        db.write_bytes(z.read("collection.anki2"))
    conn = sqlite3.connect(db)
    try:
        return {r[0]: r[1:] for r in conn.execute(
            "SELECT n.guid, n.mod, n.tags, n.flds, c.did FROM notes n JOIN cards c "
            "ON c.nid = n.id")}
    finally:
        conn.close()
        db.unlink()


def test_unchanged_rebuild_parses_generates_and_renders_nothing(
    build: tuple[Build, Path, Path]
) -> None:
    run, _, apkg = build
    cold = run()
    assert cold.parsed == cold.notes == cold.generated > 10 and cold.rendered == cold.cards
    before = apkg.stat().st_mtime_ns
    again = run()
    assert (again.parsed, again.generated, again.rendered) == (0, 0, 0)
    assert again.cards == cold.cards and again.problems == cold.problems
    assert apkg.stat().st_mtime_ns == before  # nothing changed: not even rewritten


def test_one_edit_parses_generates_and_renders_one_note(
    build: tuple[Build, Path, Path], tmp_path: Path
) -> None:
    run, notes, apkg = build
    cold = run()
    _edit(notes)
    edited = run()
    assert (edited.parsed, edited.generated) == (1, 1)
    assert 1 <= edited.rendered <= 3  # the definition's own cards that show the edit
    assert edited.cards == cold.cards and edited.orphans == ()
    incremental = _package(apkg)
    # Every card made and rendered again (the state keeps the mods; the build cache keeps the
    # verified variants, which a loaded machine could otherwise make differently within their
    # time limit): the same package.
    for p in apkg.parent.iterdir():
        if p.name.startswith(apkg.name) and not p.name.endswith("state.sqlite"):
            p.unlink()
    full = run()
    assert full.generated == cold.notes and full.rendered == cold.cards
    assert _package(apkg) == incremental


def test_an_edit_after_an_unchanged_rebuild_gives_the_full_build_package(
    build: tuple[Build, Path, Path]
) -> None:
    run, notes, apkg = build
    cold = run()
    assert run().generated == 0  # every note kept: the deck's terms are not worked out
    _edit(notes)
    edited = run()
    assert (edited.parsed, edited.generated) == (1, 1) and edited.cards == cold.cards
    incremental = _package(apkg)
    for p in apkg.parent.iterdir():
        if p.name.startswith(apkg.name) and not p.name.endswith("state.sqlite"):
            p.unlink()
    run()
    assert _package(apkg) == incremental


def test_a_removed_note_leaves_orphans_and_the_rest_untouched(
    build: tuple[Build, Path, Path]
) -> None:
    run, notes, apkg = build
    cold = run()
    gone = sorted(notes.rglob("*.md"))[0]
    gone.unlink()
    rep = run()
    # Notes whose choice distractors were the removed terms are made again; none is parsed.
    assert rep.parsed == 0 and rep.generated < rep.notes
    assert rep.orphans and all(k.split("|")[0].endswith(gone.name) for k in rep.orphans)
    assert rep.cards == cold.cards - len(rep.orphans)
    assert not any(g in _package(apkg) for g in rep.orphans)


def test_a_damaged_cache_costs_a_full_build_and_nothing_else(
    build: tuple[Build, Path, Path]
) -> None:
    run, _, apkg = build
    run()
    mods = {g: row[0] for g, row in _package(apkg).items()}
    anki.cache_path(apkg).write_bytes(b"junk")
    for p in (apkg.parent / ".quizgen-cache").iterdir():
        p.write_bytes(b"junk" * 100)
    rep = run()
    assert rep.parsed == rep.notes and rep.problems == ()
    assert {g: row[0] for g, row in _package(apkg).items()} == mods  # every mod kept


def test_cards_made_in_batches_give_the_same_package(
    build: tuple[Build, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    run, _, apkg = build
    whole = run()
    one_batch = _package(apkg)
    for p in apkg.parent.iterdir():
        if p.name.startswith(apkg.name) and not p.name.endswith("state.sqlite"):
            p.unlink()
    monkeypatch.setattr(pipeline, "BATCH", 3)  # the 16 example notes in six batches
    batched = run()
    assert batched.cards == whole.cards and batched.rendered == whole.cards
    assert _package(apkg) == one_batch


def test_a_rebuild_words_a_shared_formula_name_as_a_full_build_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two notes call different formulas 偏置项: each recall card names its note, and still
    does after only one of the notes is edited and made again."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    notes = tmp_path / "notes"
    notes.mkdir()
    for name, sign in (("甲", "-"), ("乙", "+")):
        (notes / f"{name}.md").write_text(
            f"# 笔记{name}\n\n偏置项定义为：\n\n$$\nb = x {sign} y\n$$\n", encoding="utf-8")

    def fronts(out: Path) -> list[str]:
        pipeline.export_paths([notes], "apkg", out, seed=5)
        shown = (row[2].split("\x1f")[0] for row in _package(out).values())
        return sorted(front for front in shown if front.startswith("写出偏置项"))

    out = tmp_path / "out" / "x.apkg"
    assert fronts(out) == ["写出偏置项的公式（笔记乙）", "写出偏置项的公式（笔记甲）"]
    edited = notes / "甲.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n补充一句。\n", encoding="utf-8")
    assert fronts(out) == fronts(tmp_path / "fresh" / "x.apkg")
    assert fronts(out) == ["写出偏置项的公式（笔记乙）", "写出偏置项的公式（笔记甲）"]


def test_a_formula_several_notes_write_alike_is_one_card_before_and_after_an_edit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The seeds restate 重参数's objective in four notes (000, 001, 003, 004): one recall card,
    made by the first note, the others listed on its back; when the first note stops writing
    it, the next one makes the card, on a rebuild as on a fresh build."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    notes = tmp_path / "notes"
    notes.mkdir()
    objective = "目标函数为：\n\n$$\nL_{\\theta}=\\mathbb{E}_{z}[f(z)]\n$$\n"
    for name in "abc":
        (notes / f"{name}.md").write_text(f"# 重参数\n\n{objective}", encoding="utf-8")

    def recalls(out: Path) -> list[tuple[str, str]]:
        pipeline.export_paths([notes], "apkg", out, seed=5)
        rows = [row[2].split("\x1f") for row in _package(out).values()]
        return sorted((f[3].rsplit(":", 1)[0], f[2]) for f in rows if "|recall|" in f[4])

    out = tmp_path / "out" / "x.apkg"
    assert recalls(out) == [("a.md", "另见：b.md；c.md")]
    first = notes / "a.md"
    first.write_text("# 重参数\n\n只是一段说明。\n", encoding="utf-8")
    assert recalls(out) == recalls(tmp_path / "fresh" / "x.apkg")
    assert recalls(out) == [("b.md", "另见：c.md")]


def test_an_edit_reads_the_index_of_the_notes_it_makes_cards_for_not_of_every_note(
    build: tuple[Build, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from quizgen import deck_state
    from quizgen.cache import BuildCache

    run, notes, _ = build
    cold = run()
    read: list[str] = []
    views: list[deck_state.View | None] = []
    decode, update = BuildCache.notes, deck_state.update

    def counted(self: BuildCache, wanted: Any, index: bool = False) -> Any:
        if index:
            read.extend(wanted)
        return decode(self, wanted, index)

    def kept(*args: Any) -> deck_state.View | None:
        views.append(update(*args))
        return views[-1]

    monkeypatch.setattr(BuildCache, "notes", counted)
    monkeypatch.setattr(deck_state, "update", kept)
    edited_note = _edit(notes)
    edited = run()
    assert edited.generated == 1
    (view,) = views
    assert view is not None  # brought up to date, not made again from every note
    # The edited note and the owners of the terms it defines (whose cards list its places),
    # and the notes the deck's drills are attached to (the first note of each concept).
    assert any(n.endswith(edited_note.name) for n in view.candidates)
    assert len(view.candidates) < cold.notes // 4
    assert set(read) <= view.candidates | view.sites
