"""Bad input never crashes and never hides the other notes."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizgen.parse import parse_text
from quizgen.pipeline import parse_paths

GOOD = (
    "---\ntitle: ok\n---\n\n**熵 (Entropy)**：不确定性的度量。\n\n"
    "$$\nH(X)=-\\sum_x p(x)\\log p(x)\n$$\n"
)


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    (tmp_path / "good.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "latin1.md").write_bytes("# Titel\n\nÜbung: x\n".encode("latin-1"))
    (tmp_path / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0IHDR")
    (tmp_path / "empty.md").write_bytes(b"")
    (tmp_path / "huge.md").write_bytes(b"a" * (5 * 1024 * 1024))
    (tmp_path / "yaml.md").write_text("---\ntitle: [unclosed\ntags: x\n---\n\n# Body\n", "utf-8")
    return tmp_path


def test_each_bad_file_gives_one_clear_error_and_good_notes_still_parse(folder: Path) -> None:
    parsed = parse_paths([folder])
    by_file = {Path(p.path).name: p for p in parsed.problems}
    assert "not UTF-8" in by_file["latin1.md"].message and by_file["latin1.md"].line == 3
    assert "binary" in by_file["binary.md"].message
    assert "empty" in by_file["empty.md"].message
    assert "MB" in by_file["huge.md"].message
    assert "YAML" in by_file["yaml.md"].message and by_file["yaml.md"].line in (2, 3, 4)
    good = next(n for n in parsed.notes if n.path.endswith("good.md"))
    assert good.definitions[0].term == "熵"
    assert good.formulas[0].display
    assert "good.md" not in by_file


@pytest.mark.parametrize(
    ("text", "line", "what"),
    [
        ("# T\n\nok\n\n$$\nx^2 + 1\n", 5, "$$"),
        ("# T\n\n见 $x + y 没有闭合\n", 3, "$"),
        ("# T\n\n第一行\n公式 \\[ x^2 = 1 没有闭合\n", 4, "\\["),
        ("# T\n\n公式 \\( \\alpha 没有闭合\n", 3, "\\("),
    ],
)
def test_unclosed_math_is_reported_with_its_line(text: str, line: int, what: str) -> None:
    note = parse_text(text, "n.md")
    assert [(p.line, what in p.message) for p in note.problems] == [(line, True)]


def test_currency_and_escaped_brackets_are_not_errors_or_math() -> None:
    note = parse_text("价格 $5 和 $10。\n\n\\[解析\\] 见上文。\n", "n.md")
    assert note.problems == ()
    assert note.formulas == ()


def test_broken_front_matter_keeps_the_body() -> None:
    note = parse_text("---\ntitle: [x\n---\n\n**损失 (Loss)**：误差的度量。\n", "n.md")
    assert note.problems and note.definitions[0].term == "损失"
