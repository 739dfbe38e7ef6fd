"""`quizgen check` compares formulas with bounded work: huge numbers and deep sums give
"untranslatable" at once, and the verdict does not depend on the clock."""

from __future__ import annotations

import itertools
import json
import time
from pathlib import Path

import pytest

from quizgen.concepts import check_formula
from tests.bounded import run_python, run_quizgen

SIGMOID = r"\sigma(x)=\frac{1}{1+e^{-x}}"
NESTED_SUMS = SIGMOID + "+" + "".join(rf"\sum_{{{v}=1}}^{{9}}" for v in "abcdefg") + " x"


@pytest.mark.parametrize(
    ("latex", "message"),
    [
        (SIGMOID + r" + 10^{10^{9}}", "numbers too large to compare"),
        (SIGMOID + r" + 2^{2^{2^{2^{2}}}}", "numbers too large to compare"),
        (SIGMOID + r" + ((10^{600})^{100})^{100}", "numbers too large to compare"),
        (NESTED_SUMS, "comparison exceeded its work limit"),
    ],
)
def test_runaway_formulas_are_untranslatable(latex: str, message: str) -> None:
    code = (
        "import sys; from quizgen.concepts import check_formula; "
        "r = check_formula('sigmoid', sys.argv[1]); print(r.status, '|', r.message)"
    )
    result = run_python(code, latex, timeout=30)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"untranslatable | {message}"


def test_check_on_the_reproduction_finishes(tmp_path: Path) -> None:
    (tmp_path / "sig.md").write_text(
        "# Sigmoid\n\nSigmoid 函数 (sigmoid)：定义为：\n\n$$\n" + SIGMOID + " + 10^{10^{9}}\n$$\n",
        encoding="utf-8",
    )
    parsed = run_quizgen("parse", tmp_path, "--json")
    assert json.loads(parsed.stdout)["notes"][0]["formulas"][0]["concept"] == "sigmoid"
    result = run_quizgen("check", tmp_path, timeout=30)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr


def test_small_powers_still_compare() -> None:
    assert check_formula("sigmoid", r"\sigma(x)=\frac{1}{1+e^{-x}}").status == "match"
    assert check_formula("sigmoid", r"\sigma(x)=\frac{1}{1+2^{10} e^{-x}}").status == "mismatch"


def test_the_verdict_does_not_depend_on_the_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    formula = r"I(X;Y)=\sum_{x}\sum_{y}p(x,y)\log\frac{p(x,y)}{p(x)p(y)}"
    normal = check_formula("mutual_information", formula)
    ticks = itertools.count()
    monkeypatch.setattr(time, "perf_counter", lambda: 1e9 + 10.0 * next(ticks))
    monkeypatch.setattr(time, "monotonic", lambda: 1e9 + 10.0 * next(ticks))
    assert check_formula("mutual_information", formula) == normal
    assert normal.status == "match"
