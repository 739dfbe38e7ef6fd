"""Notes written by others (../shared): no error that is the parser's fault, every $$ found."""

from __future__ import annotations

import re
from pathlib import Path

from quizgen.parse import collect, parse_file
from tests.conftest import shared_dir

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")


def dollar_blocks_outside_fences(text: str) -> int:
    """Count ``$$ … $$`` pairs outside code fences, independently of the parser."""
    kept: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        m = _FENCE.match(line)
        if m:
            marker = m.group(1)
            if fence is None:
                fence = marker[0]
            elif marker[0] == fence:
                fence = None
            continue
        if fence is None:
            kept.append(line)
    return "\n".join(kept).count("$$") // 2


def test_real_notes_parse_cleanly_and_find_every_display_formula() -> None:
    root = shared_dir("realnotes")
    files = list(collect([root]))
    assert len(files) >= 15
    total = 0
    for path in files:
        note = parse_file(path)
        assert note.problems == (), (path, note.problems)
        found = sum(f.display for f in note.formulas)
        assert found == dollar_blocks_outside_fences(path.read_text(encoding="utf-8")), path
        total += found
    assert total > 200


def test_no_d2l_marker_leaks_into_formulas() -> None:
    root = shared_dir("realnotes")
    for path in collect([root]):
        for f in parse_file(path).formulas:
            assert ":eqlabel:" not in f.latex and ":numref:" not in f.latex, (path, f.latex)


def test_seeds_parse_and_only_truncated_math_is_reported() -> None:
    """Seed excerpts are cut off with '...': math left open at a cut is the input's fault."""
    root = shared_dir("seeds")
    files = sorted(p for p in Path(root).glob("*.txt"))
    assert files
    definitions = 0
    for path in files:
        note = parse_file(path)
        lines = path.read_text(encoding="utf-8").split("\n")
        for problem in note.problems:
            assert "unclosed" in problem.message, problem
            assert lines[problem.line - 1].rstrip().endswith("..."), problem
        definitions += len(note.definitions)
    assert definitions >= 10


def test_seed_contrastive_loss_has_its_legend() -> None:
    root = shared_dir("seeds")
    note = parse_file(root / "000_4a68fa4c03e2e9ea.txt")
    loss = next(f for f in note.formulas if "margin" in f.latex and f.display)
    assert [s.symbol for s in loss.symbols] == ["d", "y", "margin"]
    assert loss.symbols[2].meaning == "设定的阈值"
    mi = next(d for d in note.definitions if d.term == "互信息")
    assert mi.aliases == ("Mutual Information",)
