"""`quizgen check`: formula mismatches, duplicate terms, stress reports."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from quizgen.cli import main
from quizgen.concepts import CONCEPT_NAMES
from quizgen.lint import lint
from quizgen.parse import parse_text
from tests.conftest import FIXTURES, NOTES


def test_typo_in_contrastive_loss_is_reported_with_file_and_line() -> None:
    path = FIXTURES / "parser" / "seed_style_paragraph.md"
    result = CliRunner().invoke(main, ["check", str(path)])
    assert "differs from the standard form" in result.stderr
    assert "seed_style_paragraph.md:1" in result.stderr
    assert "n-1" in result.stderr


def test_correct_notes_have_no_warnings() -> None:
    result = CliRunner().invoke(main, ["check", str(NOTES), "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["problems"] == []


def test_duplicate_terms_and_wrong_softmax_are_warnings() -> None:
    a = parse_text("软最大 (Softmax)：把实数向量变成概率分布。\n\n$$\n\\sigma(z)_i=\\frac{e^{z_i}}"
                   "{\\sum_{j} e^{z_i}}\n$$\n", "a.md")
    b = parse_text("软最大 (Softmax)：另一种说法。\n", "b.md")
    messages = [p.message for p in lint([a, b])]
    assert any("also defined at a.md:1" in m for m in messages)
    assert any("softmax" in m and "differs" in m for m in messages), messages


def test_stress_reports_no_errors_and_balanced_positions() -> None:
    result = CliRunner().invoke(main, ["check", str(NOTES), "--stress", "60", "--json"])
    assert result.exit_code == 0, result.output
    stress = json.loads(result.stdout)["stress"]
    assert set(stress) == set(CONCEPT_NAMES)
    for name, report in stress.items():
        assert report["errors"] == [] and report["duplicate_distractors"] == 0, name
        assert sum(report["positions"]) == 60 and min(report["positions"]) > 0, name


def test_image_outside_the_notes_folder_is_an_error(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text("# A\n\n![x](../../etc/passwd)\n\n![y](img/missing.png)\n",
                                encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(notes)])
    assert result.exit_code == 1
    assert "a.md:3: error: image '../../etc/passwd' is outside the notes folder" in result.stderr
    assert "a.md:5: warning: image 'img/missing.png' not found" in result.stderr
