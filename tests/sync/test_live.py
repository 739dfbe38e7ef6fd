"""Sync against a real AnkiConnect server over a real collection (see conftest), with the
.apkg imported into real Anki as the oracle for what the notes must hold."""

from __future__ import annotations

import base64
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest
from click.testing import CliRunner

from quizgen import pipeline
from quizgen.cli import main
from quizgen.spec import load
from quizgen.sync.client import Client
from quizgen.sync.run import Options, PartialSync, SyncReport
from quizgen.sync.state import ORPHAN_TAG
from tests.conftest import NOTES
from tests.export.conftest import Anki, tiny_png
from tests.sync.conftest import AnkiServer

MODELS = ("quizgen Basic", "quizgen Cloze", "quizgen Choice")
# The example notes' shapes: definitions and formulas (pooling), formulas with a legend
# (softmax), a recognised concept with numeric variants (dropout); and a definition showing an
# image.
FILES = ("deep-learning/pooling.md", "deep-learning/img/pooling.png",
         "deep-learning/softmax.md", "deep-learning/dropout.md")
POOLING_DEF = "池化 (Pooling):用某一位置相邻区域输出的总体统计特征来代替网络在该位置的输出"
KERNEL = """---
title: 卷积核
category: Deep Learning
---

卷积核 (Kernel)：在输入上滑动并做加权求和的小矩阵 ![卷积核示意](img/k3.png)，常见大小为 3×3。
"""
KERNEL_PNG = tiny_png((10, 20, 30))


def make_deck(root: Path) -> Path:
    for name in FILES:
        (root / "notes" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(NOTES / name, root / "notes" / name)
    (root / "notes" / "cv" / "img").mkdir(parents=True)
    (root / "notes" / "cv" / "kernel.md").write_text(KERNEL, encoding="utf-8")
    (root / "notes" / "cv" / "img" / "k3.png").write_bytes(KERNEL_PNG)
    (root / "decks").mkdir()
    spec = root / "decks" / "ml.yaml"
    spec.write_text('name: "测试::同步"\nnotes: ["../notes/**/*.md"]\nseed: 7\n'
                    "formats: [apkg]\noutput: ../build\n", encoding="utf-8")
    return spec


def sync(spec: Path, server: AnkiServer, **options: Any) -> SyncReport:
    client = Client(server.url)
    try:
        build, rep = pipeline.sync_deck(load(spec), client, Options(**options))
    finally:
        client.close()
    assert not build.errors and not rep.problems
    return rep


def held(server: AnkiServer) -> dict[str, dict[str, Any]]:
    """Every quizgen note in the server's collection, by Key field (which must be unique)."""
    nids: set[int] = set()
    for model in MODELS:
        nids |= set(server.call("findNotes", query=f'"note:{model}"'))
    infos = server.call("notesInfo", notes=sorted(nids))
    out = {i["fields"]["Key"]["value"]: i for i in infos}
    assert len(out) == len(infos), "two notes carry one key"
    return out


def fields_of(info: dict[str, Any]) -> list[str]:
    return [v["value"] for v in sorted(info["fields"].values(), key=lambda v: v["order"])]


def package_notes(spec: Path, tmp: Path) -> dict[str, tuple[str, list[str], set[str]]]:
    """What the deck's .apkg holds, read back from real Anki: Key → (note type, fields, tags)."""
    report = pipeline.export_deck(load(spec), formats=["apkg"])
    (apkg,) = report.outputs
    folder = Path(tempfile.mkdtemp(dir=tmp))
    anki = Anki(folder / "oracle.anki2")
    try:
        anki.import_(apkg)
        return {n["Key"]: (n.note_type()["name"], list(n.fields), set(n.tags))
                for n in anki.notes()}
    finally:
        anki.col.close()


def assert_same_as_package(server: AnkiServer, expected: dict[str, Any]) -> None:
    got = held(server)
    assert set(got) == set(expected)
    for key, (model, fields, tags) in expected.items():
        assert got[key]["modelName"] == model, key
        assert fields_of(got[key]) == fields, key
        assert tags <= set(got[key]["tags"]), key


def card_of(server: AnkiServer, nid: int) -> int:
    (cid,) = server.call("findCards", query=f"nid:{nid}")
    return int(cid)


def edit_note(spec: Path, old: str, new: str) -> None:
    path = spec.parent.parent / "notes" / "deep-learning" / "pooling.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_first_sync_adds_every_card_then_changes_nothing(anki_server: AnkiServer,
                                                          tmp_path: Path) -> None:
    spec = make_deck(tmp_path)
    expected = package_notes(spec, tmp_path)
    first = sync(spec, anki_server)
    assert first.added == first.cards == len(expected) > 30
    assert (first.updated, first.unchanged, first.orphans) == (0, 0, ())
    assert_same_as_package(anki_server, expected)
    decks = set(anki_server.call("deckNames"))
    assert {"测试::同步", "测试::同步::Deep Learning"} <= decks
    second = sync(spec, anki_server)
    assert (second.added, second.updated, second.unchanged) == (0, 0, len(expected))
    assert not second.kept and not second.conflicts
    # Media: the picture arrives under the package's content-hash name, with its bytes.
    names = set(anki_server.call("getMediaFilesNames", pattern="qg-*"))
    shown = {f.split('src="')[1].split('"')[0] for _, fl, _ in expected.values() for f in fl
             if 'src="qg-' in f}
    assert len(shown) == 1 and shown <= names
    data = base64.b64decode(anki_server.call("retrieveMediaFile", filename=shown.pop()))
    assert data == KERNEL_PNG


def test_edit_updates_exactly_the_changed_notes_and_keeps_review_history(
        anki_server: AnkiServer, tmp_path: Path) -> None:
    spec = make_deck(tmp_path)
    before = package_notes(spec, tmp_path)
    sync(spec, anki_server)
    notes = held(anki_server)
    target = next(k for k, (m, f, _) in before.items()
                  if "|definition|" in k and "池化" in k and m == "quizgen Basic")
    cid = card_of(anki_server, notes[target]["noteId"])
    assert anki_server.call("answerCards", answers=[{"cardId": cid, "ease": 3}]) == [True]
    (info,) = anki_server.call("cardsInfo", cards=[cid])

    edit_note(spec, "本质是降采样", "本质是一种降采样")
    after = package_notes(spec, tmp_path)
    changed = {k for k in after if after[k][1] != before[k][1]}
    assert target in changed and len(changed) < len(after) // 3
    rep = sync(spec, anki_server)
    assert (rep.added, rep.updated, rep.unchanged) == (0, len(changed), len(after) - len(changed))
    assert_same_as_package(anki_server, after)
    now = held(anki_server)
    assert {k: v["noteId"] for k, v in now.items()} == {k: v["noteId"] for k, v in notes.items()}
    unchanged = [k for k in after if k not in changed]
    assert all(fields_of(now[k]) == fields_of(notes[k]) for k in unchanged)
    (again,) = anki_server.call("cardsInfo", cards=[cid])
    assert (again["reps"], again["interval"], again["type"], again["due"]) == (
        info["reps"], info["interval"], info["type"], info["due"]) and info["reps"] == 1
    assert len(anki_server.call("getReviewsOfCards", cards=[cid])[str(cid)]) == 1


def test_anki_edits_survive_and_conflicts_follow_the_flag(anki_server: AnkiServer,
                                                          tmp_path: Path) -> None:
    spec = make_deck(tmp_path)
    sync(spec, anki_server)
    notes = held(anki_server)
    key = next(k for k in notes if "|definition|" in k and "池化" in k)
    nid = notes[key]["noteId"]
    anki_server.call("updateNoteFields", note={"id": nid, "fields": {"Extra": "我的笔记"}})
    rep = sync(spec, anki_server)
    assert len(rep.kept) == 1 and rep.updated == 0 and not rep.conflicts
    assert held(anki_server)[key]["fields"]["Extra"]["value"] == "我的笔记"

    edit_note(spec, "本质是降采样", "本质是一种降采样")  # now both sides changed
    rep = sync(spec, anki_server, keep_anki=True)
    assert len(rep.conflicts) == 1 and rep.kept
    assert held(anki_server)[key]["fields"]["Extra"]["value"] == "我的笔记"
    assert "一种降采样" not in held(anki_server)[key]["fields"]["Back"]["value"]

    edit_note(spec, "本质是一种降采样", "本质上是降采样")
    rep = sync(spec, anki_server)  # the notes win
    assert len(rep.conflicts) == 1 and rep.updated >= 1
    note = held(anki_server)[key]
    assert note["fields"]["Extra"]["value"] != "我的笔记"
    assert "本质上是降采样" in note["fields"]["Back"]["value"]


def test_orphans_reported_tagged_suspended_revived_and_deleted(anki_server: AnkiServer,
                                                               tmp_path: Path) -> None:
    spec = make_deck(tmp_path)
    first = sync(spec, anki_server)
    edit_note(spec, POOLING_DEF, "池化这一节")  # the definition is gone
    after = package_notes(spec, tmp_path)
    gone = set(held(anki_server)) - set(after)
    assert gone

    def orphan_notes() -> list[dict[str, Any]]:
        return [v for k, v in held(anki_server).items() if k in gone]

    rep = sync(spec, anki_server, orphans="report")
    assert len(rep.orphans) == len(gone) and rep.orphan_action == "reported"
    assert all(ORPHAN_TAG not in n["tags"] for n in orphan_notes())

    # A note that cannot be read may be why cards are gone: orphans are then left alone.
    broken = tmp_path / "notes" / "deep-learning" / "broken.md"
    broken.write_bytes(b"\xff\xfe\x00 not UTF-8")
    client = Client(anki_server.url)
    build, rep = pipeline.sync_deck(load(spec), client, Options(orphans="delete"))
    client.close()
    assert build.errors and len(rep.orphans) == len(gone)
    assert rep.orphan_action.startswith("left alone") and len(orphan_notes()) == len(gone)
    broken.unlink()

    rep = sync(spec, anki_server)  # default: tag
    assert rep.orphan_action == "tagged"
    assert all(ORPHAN_TAG in n["tags"] for n in orphan_notes())
    cards = [card_of(anki_server, n["noteId"]) for n in orphan_notes()]
    assert not any(anki_server.call("areSuspended", cards=cards))

    rep = sync(spec, anki_server, orphans="suspend")
    assert all(anki_server.call("areSuspended", cards=cards))
    others = [card_of(anki_server, v["noteId"]) for k, v in held(anki_server).items()
              if k not in gone]
    assert not any(anki_server.call("areSuspended", cards=others))

    edit_note(spec, "池化这一节", POOLING_DEF)  # back again: no longer an orphan
    rep = sync(spec, anki_server)
    assert rep.orphans == () and rep.added == 0
    assert all(ORPHAN_TAG not in n["tags"] for n in orphan_notes())
    assert not any(anki_server.call("areSuspended", cards=cards))

    edit_note(spec, POOLING_DEF, "池化这一节")
    rep = sync(spec, anki_server, orphans="delete")
    assert rep.orphan_action == "deleted"
    assert set(held(anki_server)) == set(after)
    assert len(held(anki_server)) == first.cards - len(gone)
    assert sync(spec, anki_server, orphans="delete").orphans == ()


def test_deck_imported_from_the_apkg_continues_under_sync_without_duplicates(
        anki_server: AnkiServer, tmp_path: Path) -> None:
    spec = make_deck(tmp_path)
    report = pipeline.export_deck(load(spec), formats=["apkg"])
    (apkg,) = report.outputs
    anki_server.stop()
    anki = Anki(anki_server.collection)
    try:
        # As AnkiConnect's importPackage imports (anki.importing's legacy importer): the way a
        # sync hands new notes to the add-on, and a user's File → Import.
        log = anki.col.import_anki_package(ImportAnkiPackageRequest(
            package_path=str(apkg), options=ImportAnkiPackageOptions(
                merge_notetypes=True, with_scheduling=True, with_deck_configs=True))).log
        assert len(log.new) == report.cards
        guids = {n.guid for n in anki.notes()}
    finally:
        anki.col.close()
    anki_server.start()
    notes = held(anki_server)
    key = next(k for k in notes if "|definition|" in k and "池化" in k)
    anki_server.call("updateNoteFields",
                     note={"id": notes[key]["noteId"], "fields": {"Extra": "我的笔记"}})
    rep = sync(spec, anki_server)
    assert (rep.added, rep.updated, rep.unchanged, len(rep.kept)) == (0, 0, report.cards - 1, 1)
    assert rep.models == ()
    assert held(anki_server)[key]["fields"]["Extra"]["value"] == "我的笔记"

    edit_note(spec, "本质是降采样", "本质是一种降采样")
    rep = sync(spec, anki_server)
    assert rep.added == 0 and rep.updated >= 1
    anki_server.stop()  # and back: the package again, into the synced collection
    anki = Anki(anki_server.collection)
    try:
        log = anki.import_(pipeline.export_deck(load(spec), formats=["apkg"]).outputs[0])
        assert len(log.new) == 0 and not log.conflicting
        assert anki.col.note_count() == report.cards
        assert {n.guid for n in anki.notes()} == guids
    finally:
        anki.col.close()


def test_a_sync_stopped_midway_reports_what_it_did_and_a_rerun_completes_it(
        anki_server: AnkiServer, tmp_path: Path) -> None:
    spec = make_deck(tmp_path)

    def stop_after_first_batch(what: str, done: int, total: int) -> None:
        if what == "adding notes":
            anki_server.stop()

    client = Client(anki_server.url)
    with pytest.raises(PartialSync) as stopped:
        pipeline.sync_deck(load(spec), client, Options(batch=10), tick=stop_after_first_batch)
    client.close()
    assert stopped.value.report.added == 10
    assert "start Anki and install AnkiConnect" in str(stopped.value)
    anki_server.start()
    assert len(held(anki_server)) == 10
    rep = sync(spec, anki_server)
    assert rep.added == rep.cards - 10 and rep.unchanged == 10
    assert len(held(anki_server)) == rep.cards


def test_dry_run_writes_nothing_and_the_cli_prints_one_summary(anki_server: AnkiServer,
                                                               tmp_path: Path) -> None:
    spec = make_deck(tmp_path)
    result = CliRunner().invoke(main, ["sync", str(spec), "--url", anki_server.url,
                                       "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "would add" in result.stderr and "nothing was written" in result.stderr
    assert held(anki_server) == {}
    assert not (tmp_path / "build" / "ml.sync-state.json").exists()
    result = CliRunner().invoke(main, ["sync", str(spec), "--url", anki_server.url, "--json"])
    assert result.exit_code == 0, result.output
    summary = result.stderr.strip().splitlines()[-1]
    assert summary.startswith("quizgen: ") and " added" in summary
    assert '"added"' in result.stdout


def test_clashing_note_type_is_never_touched(anki_server: AnkiServer, tmp_path: Path) -> None:
    spec = make_deck(tmp_path)
    anki_server.call("createModel", modelName="quizgen Basic", inOrderFields=["Front", "Back"],
                     cardTemplates=[{"Name": "Card 1", "Front": "{{Front}}",
                                     "Back": "{{Back}}"}])
    result = CliRunner().invoke(main, ["sync", str(spec), "--url", anki_server.url])
    assert result.exit_code == 4
    assert "quizgen Basic" in result.stderr and "Rename" in result.stderr
    assert "Nothing was changed" in result.stderr
    assert anki_server.call("modelFieldNames", modelName="quizgen Basic") == ["Front", "Back"]
    assert anki_server.call("findNotes", query="deck:*") == []
