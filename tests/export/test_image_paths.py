"""One judgement of image paths for `quizgen check` and every export, symlink loops included."""

from __future__ import annotations

from pathlib import Path

from tests.bounded import run_quizgen
from tests.export.conftest import tiny_png

IMAGES = ["ok.png", "loop.png", "a.png", "../outside.png", "/etc/passwd", "missing.png",
          "notes.txt", "http://example.com/x.png", "a%00.png", "%2e%2e/outside.png"]


def _folder(tmp_path: Path) -> Path:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "ok.png").write_bytes(tiny_png())
    (notes / "loop.png").symlink_to("loop.png")
    (notes / "a.png").symlink_to("b.png")
    (notes / "b.png").symlink_to("a.png")
    (tmp_path / "outside.png").write_bytes(tiny_png())
    (notes / "notes.txt").write_text("x", encoding="utf-8")
    lines = ["# 图", ""]
    for i, src in enumerate(IMAGES):
        lines += [f"术语{i} (Term {i})：度量不确定性的量 ![图{i}]({src})。", ""]
    (notes / "n.md").write_text("\n".join(lines), encoding="utf-8")
    return notes


def _messages(stderr: str) -> set[str]:
    return {line for line in stderr.splitlines() if "image " in line}


def test_check_and_export_say_the_same_about_every_image(tmp_path: Path) -> None:
    notes = _folder(tmp_path)
    check = run_quizgen("check", notes, cwd=tmp_path)
    export = run_quizgen("export", notes, "--format", "apkg", "-o", tmp_path / "d.apkg",
                         cwd=tmp_path)
    for result in (check, export):
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
    assert _messages(check.stderr) == _messages(export.stderr)
    found = _messages(check.stderr)
    assert len(found) == len(IMAGES) - 1  # every image but ok.png
    assert "notes/n.md:5: error: image 'loop.png' cannot be resolved (a symlink loop?)" in found
    assert "notes/n.md:7: error: image 'a.png' cannot be resolved (a symlink loop?)" in found
    assert any(m.startswith("notes/n.md:9: error: image '../outside.png' is outside") for m in
               found)
    assert any(m.startswith("notes/n.md:13: warning: image 'missing.png' not found") for m in
               found)
    assert "notes/n.md:19: error: image 'a\\x00.png': a path cannot hold a NUL character" in found
    assert any(m.startswith("notes/n.md:21: error: image '../outside.png' is outside") for m in
               found)
