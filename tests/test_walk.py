"""Finding notes: symlink cycles followed once, unreadable folders reported, globs as glob."""

from __future__ import annotations

import glob
import json
import os
from pathlib import Path

import pytest

from quizgen.parse import collect
from quizgen.spec import load
from quizgen.walk import Walker, glob_files
from tests.bounded import run_quizgen, without_file_permissions_bypass
from tests.conftest import NOTES

SOFTMAX = (NOTES / "deep-learning" / "softmax.md").read_text(encoding="utf-8")
SIGMOID = (NOTES / "deep-learning" / "sigmoid.md").read_text(encoding="utf-8")


def _cycle(tmp_path: Path) -> Path:
    """``notes/a/sub/up -> ..``: the reproduction of a glob reading the notes again and again."""
    sub = tmp_path / "notes" / "a" / "sub"
    sub.mkdir(parents=True)
    (sub.parent / "softmax.md").write_text(SOFTMAX, encoding="utf-8")
    (sub / "sigmoid.md").write_text(SIGMOID, encoding="utf-8")
    (sub / "up").symlink_to("..")
    return tmp_path


def test_a_symlink_cycle_is_followed_once_with_a_warning(tmp_path: Path) -> None:
    root = _cycle(tmp_path)
    (root / "deck.yaml").write_text(
        'name: t\nnotes: ["notes/**/*.md"]\noutput: out\nformats: [json]\n', encoding="utf-8"
    )
    result = run_quizgen("export", "deck.yaml", "--json", cwd=root)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["notes"] == 2
    assert [w["path"] for w in report["warnings"]] == ["notes/a/sub/up"]
    assert "cycle" in report["warnings"][0]["message"]
    cards = json.loads((root / "out" / "deck.json").read_text(encoding="utf-8"))["cards"]
    assert {c["source"]["path"] for c in cards} == {"notes/a/softmax.md",
                                                    "notes/a/sub/sigmoid.md"}
    # The same folder given on the command line: the same two notes, the same warning.
    parsed = run_quizgen("parse", "notes", "--json", cwd=root)
    assert len(json.loads(parsed.stdout)["notes"]) == 2
    assert "notes/a/sub/up:0: warning: symbolic link" in parsed.stderr


def test_a_linked_folder_is_read_once_and_hidden_folders_not_at_all(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "softmax.md").write_text(SOFTMAX, encoding="utf-8")
    notes = tmp_path / "notes"
    (notes / ".trash").mkdir(parents=True)
    (notes / ".trash" / "old.md").write_text(SIGMOID, encoding="utf-8")
    (notes / "linked").symlink_to("../real")
    (notes / "again").symlink_to("../real")
    walker = Walker()
    found = list(collect([notes, tmp_path / "real"], walker.problems))
    assert found == [notes / "again" / "softmax.md"]
    assert walker.problems == []


def test_an_unreadable_folder_is_an_error_and_the_rest_is_read(tmp_path: Path) -> None:
    prefix = without_file_permissions_bypass()
    locked = tmp_path / "notes" / "locked"
    locked.mkdir(parents=True)
    (locked / "softmax.md").write_text(SOFTMAX, encoding="utf-8")
    (tmp_path / "notes" / "sigmoid.md").write_text(SIGMOID, encoding="utf-8")
    (tmp_path / "deck.yaml").write_text(
        'name: t\nnotes: ["notes/**/*.md"]\noutput: out\nformats: [json]\n', encoding="utf-8"
    )
    locked.chmod(0)
    try:
        parsed = run_quizgen("parse", "notes", cwd=tmp_path, prefix=prefix)
        exported = run_quizgen("export", "deck.yaml", cwd=tmp_path, prefix=prefix)
    finally:
        locked.chmod(0o755)
    for result in (parsed, exported):
        assert result.returncode == 1, result.stderr
        assert "notes/locked:0: error: cannot read folder: Permission denied" in result.stderr
        assert "Traceback" not in result.stderr
    assert "notes/sigmoid.md" in parsed.stdout
    cards = json.loads((tmp_path / "out" / "deck.json").read_text(encoding="utf-8"))["cards"]
    assert {c["source"]["path"] for c in cards} == {"notes/sigmoid.md"}


def test_a_pipe_named_like_a_note_is_skipped_not_read(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "wait.md")
    (tmp_path / "sigmoid.md").write_text(SIGMOID, encoding="utf-8")
    for target in ("wait.md", "."):
        result = run_quizgen("parse", target, cwd=tmp_path)
        assert "wait.md:0: warning: not a regular file" in result.stderr, result.stderr
        assert result.returncode == 0


@pytest.mark.parametrize(
    "pattern",
    ["**/*.md", "*.md", "a/*.md", "**/b/*.md", "a/**", "**/.h*/*.md", "a/**/*.md", "?/x.md",
     "a/x.md", "[ab]/*.md", "**"],
)
def test_globs_match_what_glob_matches(tmp_path: Path, pattern: str) -> None:
    for rel in ("x.md", "a/x.md", "a/b/y.md", "a/b/c/z.md", "b/x.md", ".h/x.md", "a/.h/w.md",
                "a/.hidden.md", "c/b/q.md", "a/n.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", encoding="utf-8")
    expected = sorted(Path(p) for p in glob.glob(str(tmp_path / pattern), recursive=True)
                      if Path(p).is_file())
    assert [p for p, _ in glob_files(Walker(), tmp_path, pattern)] == expected


def test_the_spec_lists_each_file_once_in_glob_order(tmp_path: Path) -> None:
    (tmp_path / "n" / "b").mkdir(parents=True)
    for rel in ("n/a.md", "n/b/c.md", "n/z.md"):
        (tmp_path / rel).write_text("x", encoding="utf-8")
    spec_path = tmp_path / "deck.yaml"
    spec_path.write_text('name: t\nnotes: ["n/z.md", "n/**/*.md"]\n', encoding="utf-8")
    assert load(spec_path).note_files() == [tmp_path / "n/z.md", tmp_path / "n/a.md",
                                            tmp_path / "n/b/c.md"]


def test_a_file_name_that_is_not_utf8_is_reported_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "sigmoid.md").write_text(SIGMOID, encoding="utf-8")
    with open(os.fsencode(tmp_path) + b"/\xffbad.md", "wb") as f:
        f.write(SIGMOID.encode("utf-8"))
    result = run_quizgen("export", ".", "--format", "json", "-o", "o.json", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "\\xffbad.md:0: error: the name is not valid UTF-8 (rename it): skipped" in (
        result.stderr)
    assert "Traceback" not in result.stderr
    cards = json.loads((tmp_path / "o.json").read_text(encoding="utf-8"))["cards"]
    assert {c["source"]["path"] for c in cards} == {"sigmoid.md"}


def test_a_tree_deeper_than_the_recursion_limit_is_walked(tmp_path: Path) -> None:
    fd = os.open(tmp_path, os.O_RDONLY)
    for _ in range(1200):  # 2,400 characters of path, within PATH_MAX; made one level at a time
        os.mkdir("a", dir_fd=fd)
        inner = os.open("a", os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = inner
    note = os.open("sigmoid.md", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
    os.close(fd)
    with os.fdopen(note, "w", encoding="utf-8") as f:
        f.write(SIGMOID)
    try:
        [found] = collect([tmp_path])
        assert found.name == "sigmoid.md" and len(found.relative_to(tmp_path).parts) == 1201
    finally:  # shutil.rmtree (the tmp_path clean-up) recurses, so take the tree down here
        deepest = tmp_path.joinpath(*["a"] * 1200)
        (deepest / "sigmoid.md").unlink()
        for depth in range(1200, 0, -1):
            tmp_path.joinpath(*["a"] * depth).rmdir()
