"""End to end: every note of the project, the seeds and the real notes → .apkg → real Anki."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from quizgen import pipeline
from quizgen.cache import BuildCache
from quizgen.export.anki import write_apkg
from quizgen.generate import DeckContext, generate
from quizgen.parse import collect
from quizgen.spec import ALL_KINDS
from tests.conftest import NOTES, shared_dir
from tests.export.conftest import Anki, render_issues


def _sources(name: str) -> tuple[Path, list[Path]]:
    """(notes root, paths to export)."""
    if name == "notes":
        return NOTES, [NOTES]
    folder = shared_dir(name)
    return folder, [folder, *sorted(folder.glob("*.txt"))]  # the seeds are Markdown named .txt


@pytest.mark.parametrize("name", ["notes", "seeds", "realnotes"])
def test_exports_and_imports_without_problems(name: str, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    root, paths = _sources(name)
    files = list(collect(paths))
    parsed = pipeline.parse_notes(files)
    ctx = DeckContext(deck="测试::" + name, namespace="测试", seed=7, kinds=ALL_KINDS)
    cards = generate(parsed.notes, ctx, pipeline.variant_source(BuildCache(None))).cards
    assert cards
    rep = write_apkg(cards, tmp_path / "d.apkg", notes_root=root, now=1_000)
    assert rep.problems == ()
    assert rep.notes == rep.cards == len(cards)
    anki = Anki(tmp_path / "c.anki2")
    try:
        log = anki.import_(rep.path)
        assert len(log.new) == len(cards) and not log.conflicting
        assert anki.col.card_count() == len(cards)
        for note in anki.notes():
            if note.note_type()["type"] == 1:
                assert [c.ord + 1 for c in note.cards()] == note.cloze_numbers_in_fields() == [1]
        bad = [(c.note().guid, issues) for c, html in anki.rendered()
               if (issues := render_issues(html))]
        assert bad == []
        check = anki.col.media.check()
        assert not check.missing and not check.unused
    finally:
        anki.col.close()
