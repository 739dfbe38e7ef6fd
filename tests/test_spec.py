"""Deck specs: everything wrong is found before anything is written (exit 2, key named)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from quizgen.cli import main
from quizgen.spec import SpecError, deck_name_problem, load
from tests.bounded import run_quizgen
from tests.conftest import NOTES

BASE = {"name": "t", "notes": ["notes/*.md"], "output": "out", "sheet": {"title": "s"},
        "quiz": {"versions": 1}}


def _deck(tmp_path: Path, **changes: object) -> Path:
    notes = tmp_path / "notes"
    notes.mkdir(exist_ok=True)
    for name in ("sigmoid.md", "softmax.md"):
        (notes / name).write_text((NOTES / "deep-learning" / name).read_text("utf-8"), "utf-8")
    spec = {**BASE, **changes}
    path = tmp_path / "deck.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"quiz": {"questions": {"choice": -1}}},
         "quiz.questions.choice: expected a whole number from 0 to 1000, got -1"),
        ({"quiz": {"questions": {"choice": "ten"}}}, "quiz.questions.choice: expected a whole"),
        ({"quiz": {"title": 7}}, "quiz.title: expected a title string"),
        ({"quiz": {"versions": 0}}, "quiz.versions: expected a whole number from 1 to 26"),
        ({"font": 42}, "font: expected a font family name, got int 42"),
        ({"font": "Nope"}, "font: unknown font 'Nope'"),
        ({"font": ""}, "font: expected a font family name"),
        ({"name": ""}, "name: the deck name is empty"),
        ({"name": "::::"}, "name: '::::' has an empty deck name"),
        ({"name": "基础::"}, "has an empty deck name"),
        ({"name": "a\x1fb"}, "contains a control character"),
        ({"sheet": {"title": ["x"]}}, "sheet.title: expected a title string"),
        ({"cards": {"variants_per_concept": 51}}, "cards.variants_per_concept: expected a whole"),
        ({"cards": {"kinds": [{"a": 1}]}}, "cards.kinds: unknown kind"),
        ({"formats": []}, "formats: the list is empty"),
        ({"output": ""}, "output: expected a folder"),
        ({"notes": [""]}, "notes[0]: expected a glob"),
        ({"notes": ["missing/*.md"]}, "matches no file"),
    ],
)
def test_a_bad_value_is_exit_2_naming_the_key_and_nothing_is_written(
    tmp_path: Path, change: dict[str, object], message: str
) -> None:
    path = _deck(tmp_path, **change)
    result = CliRunner().invoke(main, ["export", str(path)])
    assert result.exit_code == 2, result.output
    assert message in result.stderr and str(path) in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_font_from_the_command_line_is_checked_before_writing(tmp_path: Path) -> None:
    path = _deck(tmp_path)
    result = CliRunner().invoke(main, ["export", str(path), "--font", "Nope"])
    assert result.exit_code == 2 and "--font" not in result.stderr
    assert "font: unknown font 'Nope'" in result.stderr
    assert not (tmp_path / "out").exists()
    adhoc = CliRunner().invoke(main, ["export", str(tmp_path / "notes"), "--format", "sheet",
                                      "--font", "Nope", "-o", str(tmp_path / "s.pdf")])
    assert adhoc.exit_code == 2 and "--font: unknown font 'Nope'" in adhoc.stderr
    assert not (tmp_path / "s.pdf").exists()


def test_options_a_spec_would_ignore_are_a_usage_error(tmp_path: Path) -> None:
    path = _deck(tmp_path)
    result = CliRunner().invoke(main, ["export", str(path), "-o", str(tmp_path / "x.apkg")])
    assert result.exit_code == 2 and "-o: set this in the deck spec" in result.output
    bad = CliRunner().invoke(main, ["export", str(tmp_path / "notes"), "--deck", "a::::b"])
    assert bad.exit_code == 2 and "empty deck name" in bad.output


def test_empty_notes_list_warns_and_exports_nothing(tmp_path: Path) -> None:
    path = _deck(tmp_path, notes=[], formats=["json"])
    result = CliRunner().invoke(main, ["export", str(path), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["notes"] == 0
    assert [w["message"] for w in report["warnings"]] == [
        "notes: the list is empty, so no note is exported"]


@pytest.mark.parametrize("where", ["name", "quiz"])
def test_an_alias_bomb_in_a_spec_is_refused_naming_the_file(tmp_path: Path, where: str) -> None:
    """The reproduction: anchors under ``font:`` that ``name:`` or ``quiz.title`` expand."""
    lines = ['notes: ["notes/*.md"]', 'font: &a0 ["lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"x{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    lines += ["name: *a8"] if where == "name" else ["name: t", "quiz: {title: *a8}"]
    _deck(tmp_path)
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert path.stat().st_size < 700
    result = run_quizgen("export", path, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert f"error: {path}: deck spec refused: its aliases" in result.stderr


def test_yaml_the_loader_cannot_build_is_a_spec_error(tmp_path: Path) -> None:
    for text in ("name: t\nnotes: [x]\nseed: !!int 0x\n", "name: t\nnotes: [x]\nd: 2026-13-45\n",
                 "name: &a [*a]\nnotes: [x]\n", "[" * 5000):
        path = tmp_path / "deck.yaml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(SpecError, match=str(path)):
            load(path)


def test_deck_names() -> None:
    assert deck_name_problem("机器学习::基础") is None
    assert deck_name_problem(" :: ") and deck_name_problem("a::::b") and deck_name_problem("")


def test_a_spec_that_is_a_pipe_is_refused_not_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "deck.yaml")
    result = run_quizgen("export", tmp_path / "deck.yaml", timeout=30)
    assert result.returncode == 2 and "not a device or a pipe" in result.stderr
