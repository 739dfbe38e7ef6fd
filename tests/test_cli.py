"""Every command through click's CliRunner: help texts, schema, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from quizgen.cli import main
from tests.conftest import NOTES


def test_every_command_has_help() -> None:
    runner = CliRunner()
    assert isinstance(main, click.Group)
    for name, command in main.commands.items():
        assert command.help, name
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output, name


def test_parse_json_schema_on_example_notes() -> None:
    result = CliRunner().invoke(main, ["parse", str(NOTES), "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert set(body) == {"notes", "errors"}
    assert body["errors"] == []
    assert len(body["notes"]) >= 14
    for note in body["notes"]:
        assert set(note) == {"path", "title", "tags", "definitions", "formulas"}
        for d in note["definitions"]:
            assert set(d) == {"term", "aliases", "text", "line", "formula"}
        for f in note["formulas"]:
            assert set(f) == {"latex", "display", "line", "concept", "symbols", "key", "name"}
            for s in f["symbols"]:
                assert set(s) == {"symbol", "meaning"}
    concepts = {f["concept"] for n in body["notes"] for f in n["formulas"]} - {None}
    assert {"softmax", "mutual_information", "contrastive_loss", "dropout", "cross_entropy",
            "kl_divergence", "entropy", "sigmoid"} <= concepts


def test_parse_exit_code_1_with_errors_still_prints_the_rest(tmp_path: Path) -> None:
    (tmp_path / "ok.md").write_text("**熵 (Entropy)**：不确定性。\n", encoding="utf-8")
    (tmp_path / "bad.md").write_bytes(b"\xff\xfe\x00bad")
    result = CliRunner().invoke(main, ["parse", str(tmp_path), "--json"])
    assert result.exit_code == 1
    body = json.loads(result.stdout)
    assert [Path(n["path"]).name for n in body["notes"]] == ["ok.md"]
    assert Path(body["errors"][0]["path"]).name == "bad.md"
    assert body["errors"][0]["line"] == 1


def test_parse_table_and_summary_line() -> None:
    result = CliRunner().invoke(main, ["parse", str(NOTES)])
    assert result.exit_code == 0
    assert "defs" in result.stdout
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("quizgen: ") and last.endswith(" s") and "0 errors" in last


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("name: x\nnotes: ['*.md']\nbogus: 1\n", "unknown key 'bogus'"),
        ("name: x\nnotes: ['nothing-*.md']\n", "matches no file"),
        ("name: x\nnotes: ['*.md']\nseed: abc\n", "seed: expected a whole number"),
        ("name: x\nnotes: ['*.md']\ncards: {kinds: [flashy]}\n", "unknown kind 'flashy'"),
        ("name: [x\n", "not valid YAML"),
    ],
)
def test_bad_deck_spec_is_a_usage_error_naming_file_and_key(
    tmp_path: Path, spec: str, message: str
) -> None:
    (tmp_path / "n.md").write_text("**熵 (Entropy)**：不确定性。\n", encoding="utf-8")
    path = tmp_path / "deck.yaml"
    path.write_text(spec, encoding="utf-8")
    result = CliRunner().invoke(main, ["export", str(path)])
    assert result.exit_code == 2
    assert message in result.stderr and str(path) in result.stderr


def test_unwritable_output_is_exit_3_without_traceback(tmp_path: Path) -> None:
    (tmp_path / "n.md").write_text("**熵 (Entropy)**：不确定性。\n", encoding="utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["export", str(tmp_path / "n.md"), "--format", "json", "-o", str(blocker / "o.json")]
    )
    assert result.exit_code == 3
    assert result.stderr.startswith("error: cannot write")
    assert "Traceback" not in result.output
