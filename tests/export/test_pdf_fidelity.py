"""Share of real display formulas printed as math rather than as LaTeX source."""

from __future__ import annotations

from pathlib import Path

from quizgen.export.typst_math import compiles, latex_to_typst
from quizgen.parse import parse_file
from tests.conftest import NOTES, shared_dir

SUFFIXES = (".md", ".txt")


def _display_formulas(folders: list[Path]) -> list[str]:
    files = [
        p for folder in folders for p in sorted(folder.rglob("*"))
        if p.suffix in SUFFIXES and p.name not in ("README.md", "LICENSE") and p.is_file()
    ]
    return [f.latex for p in files for f in parse_file(p).formulas if f.display]


def test_display_formulas_print_as_math() -> None:
    formulas = _display_formulas([NOTES, shared_dir("seeds"), shared_dir("realnotes")])
    assert len(formulas) > 100
    failed = [
        latex for latex in formulas
        if (math := latex_to_typst(latex)) is None or not compiles(math)
    ]
    assert len(failed) <= 0.02 * len(formulas), failed
