"""The .apkg imported into real Anki: counts, rendering, media, and re-import in place."""

from __future__ import annotations

import json
import os
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from quizgen.export.anki import cache_path, write_apkg
from quizgen.export.anki_models import SHAPES
from tests.export.conftest import (
    Anki,
    Vault,
    card,
    render_issues,
    sample_cards,
)


def _build(v: Vault, out: Path, now: int, **kw: str) -> tuple[Path, object]:
    rep = write_apkg(sample_cards(v, **kw), out, notes_root=v.root, now=now)
    return out, rep


def test_imports_every_card_and_renders_cleanly(vault: Vault, anki: Anki, tmp_path: Path) -> None:
    cards = sample_cards(vault)
    rep = write_apkg(cards, tmp_path / "out" / "deck.apkg", notes_root=vault.root, now=1_000)
    assert (rep.notes, rep.cards, rep.media, rep.changed) == (8, 8, 1, 8)
    assert rep.problems == () and rep.orphans == ()
    log = anki.import_(rep.path)
    counts = (len(log.new), len(log.updated), len(log.duplicate), len(log.conflicting))
    assert counts == (8, 0, 0, 0)
    notes = anki.notes()
    assert len(notes) == 8 and anki.col.card_count() == 8
    assert {n.guid for n in notes} == {c.id for c in cards}
    for note in notes:
        if note.note_type()["type"] == 1:  # cloze
            assert [c.ord + 1 for c in note.cards()] == note.cloze_numbers_in_fields() == [1]
    for c, html in anki.rendered():
        assert render_issues(html) == [], (c.note().guid, html)
        assert "$" not in html
    # The deck hierarchy and the tags as Anki sees them.
    assert anki.col.decks.by_name("机器学习::基础") is not None
    assert set(notes[0].tags) == {"机器学习", "deep_learning"}


def test_cloze_hides_the_numerator_inside_mathjax(vault: Vault, anki: Anki,
                                                  tmp_path: Path) -> None:
    rep = write_apkg(sample_cards(vault), tmp_path / "d.apkg", notes_root=vault.root, now=1_000)
    anki.import_(rep.path)
    note = anki.note("qg-cloze-concept:softmax#0")
    out = note.cards()[0].render_output()
    assert r"\frac{ [...] }" in out.question_text
    assert "e^{z_i}" not in out.question_text and r"\sum_j e^{z_j}" in out.question_text
    assert "e^{z_i}" in out.answer_text
    assert "Softmax" in out.question_text  # the context line


def test_malicious_text_shows_as_text(vault: Vault, anki: Anki, tmp_path: Path) -> None:
    rep = write_apkg(sample_cards(vault), tmp_path / "d.apkg", notes_root=vault.root, now=1_000)
    anki.import_(rep.path)
    out = anki.note("qg-definition-def:恶意").cards()[0].render_output()
    for html in (out.question_text, out.answer_text):
        assert "<script" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "onerror=alert(1)" in html  # visible as text, inside no tag
        assert "{{" not in html and "&#123;&#123;c1::oops&#125;&#125;" in html
    assert "[sound:" not in out.answer_text and "&#91;sound:evil.mp3]" in out.answer_text
    assert "<code>&#123;&#123;Front&#125;&#125;</code>" in out.answer_text
    assert out.question_av_tags == [] and out.answer_av_tags == []


def test_choice_card_lists_options_and_marks_the_answer(vault: Vault, anki: Anki,
                                                         tmp_path: Path) -> None:
    rep = write_apkg(sample_cards(vault), tmp_path / "d.apkg", notes_root=vault.root, now=1_000)
    anki.import_(rep.path)
    out = anki.note("qg-choice-def:交叉熵").cards()[0].render_output()
    for letter in "ABCD":
        assert f'<span class="qg-letter">{letter}</span>' in out.question_text
    assert "qg-revealed" not in out.question_text and "qg-revealed" in out.answer_text
    assert '<div class="qg-back"><span class="qg-letter">B</span> 交叉熵</div>' in out.answer_text
    assert 'class="qg-opt qg-correct"><span class="qg-letter">B</span>' in out.answer_text
    assert "交叉熵 (Cross Entropy)" in out.answer_text  # the back text, as an explanation


def test_media_packaged_by_content_hash(vault: Vault, anki: Anki, tmp_path: Path) -> None:
    rep = write_apkg(sample_cards(vault), tmp_path / "d.apkg", notes_root=vault.root, now=1_000)
    with zipfile.ZipFile(rep.path) as z:
        index = json.loads(z.read("media"))
    assert len(index) == 1
    name = next(iter(index.values()))
    assert name.startswith("qg-") and name.endswith(".png") and "/" not in name
    anki.import_(rep.path)
    check = anki.col.media.check()
    assert list(check.missing) == [] and list(check.unused) == []
    assert (Path(anki.col.media.dir()) / name).read_bytes() == (
        vault.root / "ml" / "img" / "softmax.png").read_bytes()
    html = anki.note("qg-recall-concept:softmax#0").cards()[0].render_output().answer_text
    assert f'<img src="{name}" alt="softmax 曲线">' in html


def test_refused_image_is_a_problem_not_a_crash(vault: Vault, anki: Anki,
                                                tmp_path: Path) -> None:
    bad = [
        card(vault, "definition", "a", "看图 ![秘密](../../secret.png)", "x", line=20),
        card(vault, "definition", "b", "![passwd](/etc/passwd)", "x", line=21),
        card(vault, "definition", "c", "![缺](img/missing.png)", "x", line=22),
    ]
    rep = write_apkg(bad, tmp_path / "d.apkg", notes_root=vault.root, now=1_000)
    assert rep.notes == 3 and rep.media == 0
    assert [(p.path, p.line) for p in rep.problems] == [(str(vault.note), n) for n in (20, 21, 22)]
    assert "outside the notes folder" in rep.problems[0].message
    anki.import_(rep.path)
    html = anki.note("qg-definition-a").cards()[0].render_output().question_text
    assert "看图 秘密" in html and "<img" not in html


def test_rebuild_without_changes_skips_everything(vault: Vault, anki: Anki,
                                                  tmp_path: Path) -> None:
    out = tmp_path / "d.apkg"
    anki.import_(write_apkg(sample_cards(vault), out, notes_root=vault.root, now=1_000).path)
    rep = write_apkg(sample_cards(vault), out, notes_root=vault.root, now=2_000)
    assert rep.changed == 0
    log = anki.import_(rep.path)
    assert (len(log.new), len(log.updated), len(log.duplicate)) == (0, 0, 8)


def _answer_easy(anki: Anki, guid: str) -> tuple[int, int, int]:
    from anki.scheduler.v3 import CardAnswer

    c = anki.note(guid).cards()[0]
    c.start_timer()
    states = anki.col._backend.get_scheduling_states(c.id)
    anki.col.sched.answer_card(anki.col.sched.build_answer(card=c, states=states,
                                                           rating=CardAnswer.EASY))
    c.load()
    return c.reps, c.ivl, len(anki.col.card_stats_data(c.id).revlog)


def test_changed_notes_update_in_place_keeping_history(vault: Vault, anki: Anki,
                                                       tmp_path: Path) -> None:
    out = tmp_path / "d.apkg"
    anki.import_(write_apkg(sample_cards(vault), out, notes_root=vault.root, now=1_000).path)
    history = _answer_easy(anki, "qg-definition-def:Softmax")
    assert history[0] == 1 and history[1] > 0 and history[2] == 1
    revlog_rows = anki.col.db.scalar("select count() from revlog")

    # Same keys, new text: one definition reworded, one formula fixed.
    changed = sample_cards(vault)
    changed[0] = replace(changed[0], back=changed[0].back + " 常用于多分类。")
    changed[2] = replace(changed[2], cloze=replace(changed[2].cloze, after=changed[2].cloze.after
                                                   .replace(r"\sum_j", r"\sum_{j=1}^{K}")))
    rep = write_apkg(changed, out, notes_root=vault.root, now=3_000)
    assert rep.changed == 2
    log = anki.import_(rep.path)
    assert (len(log.new), len(log.updated), len(log.duplicate)) == (0, 2, 6)
    assert {anki.col.get_note(e.id.nid).guid for e in log.updated} == {changed[0].id,
                                                                        changed[2].id}
    assert "常用于多分类" in anki.note(changed[0].id)["Back"]
    assert r"\sum_{j=1}^{K}" in anki.note(changed[2].id)["Text"]
    c = anki.note("qg-definition-def:Softmax").cards()[0]
    assert (c.reps, c.ivl, len(anki.col.card_stats_data(c.id).revlog)) == history
    assert anki.col.db.scalar("select count() from revlog") == revlog_rows
    assert len(anki.notes()) == 8 and anki.col.card_count() == 8
    # No copy of a note type ("quizgen Basic+"): the schema matched.
    names = [m.name for m in anki.col.models.all_names_and_ids()]
    assert all(names.count(s.name) == 1 for s in SHAPES)


def test_edit_made_in_anki_survives_rebuild(vault: Vault, anki: Anki, tmp_path: Path) -> None:
    out = tmp_path / "d.apkg"
    anki.import_(write_apkg(sample_cards(vault), out, notes_root=vault.root, now=1_000).path)
    note = anki.note("qg-legend-concept:softmax#0:z_j")
    note["Back"] = "我自己的解释"
    anki.col.update_note(note)
    changed = sample_cards(vault)
    changed[0] = replace(changed[0], back="另一个定义")  # something else changes
    log = anki.import_(write_apkg(changed, out, notes_root=vault.root, now=9_000_000_000).path)
    assert len(log.updated) == 1
    assert anki.note("qg-legend-concept:softmax#0:z_j")["Back"] == "我自己的解释"


def test_orphans_and_state(vault: Vault, tmp_path: Path) -> None:
    out = tmp_path / "d.apkg"
    cards = sample_cards(vault)
    write_apkg(cards, out, notes_root=vault.root, now=1_000)
    state = out.with_name("d.apkg.quizgen-state.sqlite")
    assert state.is_file()
    rep = write_apkg(cards[1:], out, notes_root=vault.root, now=2_000)
    assert rep.orphans == (cards[0].key,)
    rep = write_apkg(cards, out, notes_root=vault.root, now=3_000)
    assert rep.orphans == () and rep.changed == 0  # came back with its old mod


def test_same_input_same_bytes_and_no_temp_files(vault: Vault, tmp_path: Path) -> None:
    out = tmp_path / "out" / "d.apkg"
    write_apkg(sample_cards(vault), out, notes_root=vault.root, now=1_000)
    first = out.read_bytes()
    rep = write_apkg(sample_cards(vault), out, notes_root=vault.root, now=2_000)
    assert out.read_bytes() == first and not rep.written  # nothing changed: left as it was
    for p in (out, cache_path(out)):  # a package made anew from the same cards: same bytes
        p.unlink()
    assert write_apkg(sample_cards(vault), out, notes_root=vault.root, now=3_000).written
    assert out.read_bytes() == first
    assert sorted(p.name for p in out.parent.iterdir()) == [
        "d.apkg", "d.apkg.quizgen-cache.anki2", "d.apkg.quizgen-state.sqlite"]
    assert [p for p in tmp_path.iterdir() if p.name.startswith("tmp")] == []


def test_bad_cards_are_reported_and_left_out(vault: Vault, tmp_path: Path) -> None:
    from quizgen.model import Choice, Cloze

    good = card(vault, "definition", "ok", "问", "答")
    bad = [
        card(vault, "cloze", "empty", "?", "x", cloze=Cloze("a=", " ", "")),
        card(vault, "cloze", "none", "?", "x"),
        card(vault, "choice", "two", "?", "x",
             choices=(Choice("a", "a", True), Choice("b", "b", True))),
        card(vault, "definition", "blank", "  ", "x"),
        replace(good, front="同一个 id"),
    ]
    rep = write_apkg([good, *bad], tmp_path / "d.apkg", notes_root=vault.root, now=1_000)
    assert rep.notes == 1 and len(rep.problems) == 5
    assert all(p.path == str(vault.note) for p in rep.problems)


def test_unwritable_output_raises_oserror(vault: Vault, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OSError):
        write_apkg(sample_cards(vault), blocker / "d.apkg", notes_root=vault.root, now=1)


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_symlink_out_of_notes_is_refused(vault: Vault, tmp_path: Path) -> None:
    (vault.root / "ml" / "img" / "link.png").symlink_to(tmp_path / "secret.png")
    c = card(vault, "definition", "ln", "![x](img/link.png)", "y")
    rep = write_apkg([c], tmp_path / "d.apkg", notes_root=vault.root, now=1)
    assert rep.media == 0 and "outside the notes folder" in rep.problems[0].message


def test_note_type_css_updates_only_when_quizgen_changes_it(
    vault: Vault, anki: Anki, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quizgen.export import anki_models

    out = tmp_path / "d.apkg"
    anki.import_(write_apkg(sample_cards(vault), out, notes_root=vault.root, now=1_000).path)
    model = anki.col.models.by_name("quizgen Basic")
    model["css"] += "\n/* mine */"
    anki.col.models.update_dict(model)
    # Stamped later than the edit: only a per-note-type mod keeps the edit.
    later = 8_000_000_000
    anki.import_(write_apkg(sample_cards(vault), out, notes_root=vault.root, now=later).path)
    assert anki.col.models.by_name("quizgen Basic")["css"].endswith("/* mine */")

    read = anki_models._read
    monkeypatch.setattr(anki_models, "_read",
                        lambda name: read(name) + ("\n/* v2 */" if name == "style.css" else ""))
    anki_models.digests.cache_clear()
    try:
        rep = write_apkg(sample_cards(vault), out, notes_root=vault.root,
                         now=9_000_000_000)
        log = anki.import_(rep.path)
    finally:
        anki_models.digests.cache_clear()
    css = anki.col.models.by_name("quizgen Basic")["css"]
    assert css.endswith("/* v2 */") and "/* mine */" not in css
    assert len(log.updated) == 0 and not log.conflicting
