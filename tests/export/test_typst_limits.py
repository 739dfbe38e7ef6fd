"""Formulas too big to convert: refused before tex2typst sees them, printed as source, reported
at the note line (the converter is quadratic in length and exponential in nesting)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quizgen.export.typst_math import MAX_LATEX_CHARS, MAX_NESTING, nesting, too_big
from quizgen.parse import collect, parse_file
from tests.bounded import run_python, run_quizgen
from tests.conftest import NOTES, shared_dir

BRACES = "{" * 4000 + "x" + "}" * 4000  # 34 s for one sheet before the limit
TERMS = "L=" + "+".join(f"a_{{{i}}}x^{{{i}}}" for i in range(5000))  # 83 KB: minutes
SQRTS = r"\sqrt" * 25 + " x"  # 130 characters, each \sqrt doubles the time: ~5 minutes
HATS = r"\hat{" * 22 + "x" + "}" * 22


@pytest.mark.parametrize("latex", [BRACES, TERMS, SQRTS, HATS])
def test_oversized_formulas_are_refused_without_converting(latex: str) -> None:
    code = (
        "import sys; from quizgen.export.typst_math import latex_to_typst; "
        "print(latex_to_typst(sys.argv[1]))"
    )
    result = run_python(code, latex)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "None"
    assert too_big(latex) is not None


def test_nesting_counts_groups_and_chains_of_argument_commands() -> None:
    assert nesting(r"\frac{a}{b}") == 1
    assert nesting(r"\hat{\hat{x}}") == 2
    assert nesting(r"\hat\hat x") == 2
    assert nesting(r"\sigma\odot\varepsilon") == 0
    assert nesting(r"e^{-\frac{(x-\mu)^2}{2\sigma^{2}}}") == 3
    assert nesting(r"\{ \} \\ x") == 0
    assert too_big("x" * MAX_LATEX_CHARS) is None
    assert too_big("{" * (MAX_NESTING + 1) + "}" * (MAX_NESTING + 1)) is not None


def test_the_notes_and_real_notes_stay_within_the_limits() -> None:
    files = list(collect([NOTES, shared_dir("realnotes")]))
    formulas = [f for p in files for f in parse_file(p).formulas]
    assert len(formulas) > 1000
    assert [str(f.source) for f in formulas if too_big(f.latex)] == []


def test_export_prints_them_as_source_and_reports_file_and_line(tmp_path: Path) -> None:
    head = "# 长公式\n\n长公式 (long)：很长。\n\n"
    (tmp_path / "braces.md").write_text(f"{head}$$\n{BRACES}\n$$\n", encoding="utf-8")
    (tmp_path / "terms.md").write_text(f"{head}$$\n{TERMS}\n$$\n", encoding="utf-8")
    roots = f"# 根\n\n根号 (roots)：写作 \\({SQRTS}\\) 的式子。\n"
    (tmp_path / "sqrts.md").write_text(roots, encoding="utf-8")
    (tmp_path / "ok.md").write_text(f"{head}$$\nH(X)=-\\sum_x p(x)\\log p(x)\n$$\n", "utf-8")
    out = tmp_path / "sheet.pdf"
    result = run_quizgen("export", tmp_path, "--format", "sheet", "-o", out, "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["formula_fallbacks"] == 3 and out.stat().st_size > 0
    where = {(Path(w["path"]).name, w["line"]): w["message"] for w in report["warnings"]}
    assert set(where) == {("braces.md", 5), ("terms.md", 5), ("sqrts.md", 3)}
    assert "too big to typeset: 8,001 characters" in where[("braces.md", 5)]
    assert "nested 25 levels deep" in where[("sqrts.md", 3)]
    assert all(len(m) < 400 for m in where.values())  # the formula is cut in the message …
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert "more characters)" in text  # … and in the fallback box
    assert len(text) < 20_000
