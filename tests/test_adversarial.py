"""The hostile-input folder (tests/fixtures/adversarial): one export over all of it reports
every bad file with file:line, exports every other note, and finishes (under a guard)."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.bounded import run_quizgen, without_file_permissions_bypass
from tests.conftest import FIXTURES

HERE = FIXTURES / "adversarial"
EXPECTED: dict[str, Any] = yaml.safe_load((HERE / "expected.yaml").read_text("utf-8"))


@pytest.fixture()
def vault(tmp_path: Path) -> Path:
    """The fixture folder plus what git cannot hold: links, a pipe, an unreadable folder and a
    file over the size limit."""
    root = tmp_path / "adversarial"
    shutil.copytree(HERE, root)
    notes = root / "notes"
    (notes / "cycle" / "inner").mkdir(parents=True)
    shutil.copy(notes / "good" / "softmax.md", notes / "cycle" / "inner" / "softmax.md")
    (notes / "cycle" / "up").symlink_to("..")
    (notes / "loop.png").symlink_to("loop.png")
    os.mkfifo(notes / "pipe.md")
    (notes / "huge.md").write_bytes(b"# huge\n\n" + b"x" * (3 * 1024 * 1024))
    (notes / "locked").mkdir()
    shutil.copy(notes / "good" / "entropy.md", notes / "locked" / "entropy.md")
    (notes / "locked").chmod(0)
    yield root
    (notes / "locked").chmod(0o755)


def test_export_reports_every_hostile_file_and_exports_the_rest(vault: Path) -> None:
    result = run_quizgen("export", "deck.yaml", "--json", cwd=vault, timeout=180,
                         prefix=without_file_permissions_bypass())
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout)
    problems = report["errors"] + report["warnings"]
    for path, (line, severity, says) in EXPECTED["reported"].items():
        hits = [p for p in problems if p["path"] == path and p["line"] == line
                and says in p["message"]]
        assert hits, f"{path}:{line}: nothing says {says!r}; got " + repr(
            [p for p in problems if p["path"] == path])
        assert (hits[0] in report["errors"]) == (severity == "error"), hits[0]
    out = vault / "out"
    cards = json.loads((out / "deck.json").read_text("utf-8"))["cards"]
    sources = {c["source"]["path"] for c in cards}
    assert set(EXPECTED["exported"]) <= sources
    assert not any(s.startswith("notes/locked") for s in sources)
    # the cycle read once; the copy's cards made once, by the first of the two
    assert [s for s in sources if s.endswith("softmax.md")] == ["notes/cycle/inner/softmax.md"]
    assert {Path(p).name for p in report["outputs"]} == {
        "deck.apkg", "deck.json", "deck-quiz.pdf", "deck-key.pdf", "deck-quiz.json",
        "deck-sheet.pdf"}
    with zipfile.ZipFile(out / "deck.apkg") as z:
        package = z.read("collection.anki2")
    # Text may still say "javascript:" (as letters); no command can make it a link or a style.
    for active in (rb"\href", rb"\style", rb"\cssId", rb"\class{", b"<script", b"<img src=x"):
        assert active not in package, active
    assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")] == []


def test_check_over_the_folder_finishes_without_a_traceback(vault: Path) -> None:
    result = run_quizgen("check", "notes", cwd=vault, timeout=120,
                         prefix=without_file_permissions_bypass())
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "notes/images.md:7: error: image 'loop.png' cannot be resolved" in result.stderr


@pytest.mark.parametrize("name", sorted(EXPECTED["specs"]))
def test_each_hostile_spec(tmp_path: Path, name: str) -> None:
    root = tmp_path / "adversarial"
    shutil.copytree(HERE, root)
    code, says = EXPECTED["specs"][name]
    result = run_quizgen("export", f"specs/{name}", cwd=root)
    assert result.returncode == code, result.stderr
    assert says in result.stderr and "Traceback" not in result.stderr
    if code == 2:
        assert f"specs/{name}" in result.stderr
        assert not (root / "out-specs").exists()
