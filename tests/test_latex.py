"""LaTeX clean-up: look-alikes, tags, bare function names, brace balance."""

from __future__ import annotations

import pytest

from quizgen.latex import braces_balanced, clean_text, normalize, one_line, split_tag
from quizgen.richtext import segments


def test_clean_text_folds_lookalikes_and_keeps_full_width_punctuation() -> None:
    assert clean_text("⾮线性\u200b函数（Sigmoid）：𝑝") == "非线性函数（Sigmoid）：p"


@pytest.mark.parametrize(
    ("latex", "formula", "tag"),
    [
        ("L=\\mathbb{E}[f(z)]\\tag{1}", "L=\\mathbb{E}[f(z)]", "1"),
        ("a=b \\tag*{3.2} \\label{eq:x}", "a=b", "3.2"),
        ("a=b\\nonumber", "a=b", None),
        (" x ", "x", None),
    ],
)
def test_split_tag(latex: str, formula: str, tag: str | None) -> None:
    assert split_tag(latex) == (formula, tag)


def test_normalize_adds_backslashes_only_to_bare_function_names() -> None:
    src = "p log\\frac{a}{b} + max(margin-d, 0) \\max x \\mathop{min}\\limits maximum"
    assert normalize(src) == (
        "p \\log\\frac{a}{b} + \\max(margin-d, 0) \\max x \\mathop{min}\\limits maximum"
    )


def test_one_line_and_braces() -> None:
    assert one_line("a\n  = b\n") == "a = b"
    assert braces_balanced("\\frac{a}{b}\\{") and not braces_balanced("\\frac{a}{b")
    assert not braces_balanced("}{")


def test_richtext_segments_round_trip() -> None:
    rich = "设 \\(x_1\\) 与 \\[\\frac{1}{2}\\] 末尾"
    parts = segments(rich)
    assert [(p.math, p.display) for p in parts] == [
        (False, False), (True, False), (False, False), (True, True), (False, False),
    ]
    rebuilt = "".join(
        (f"\\[{p.text}\\]" if p.display else f"\\({p.text}\\)") if p.math else p.text
        for p in parts
    )
    assert rebuilt == rich


def test_group_end_reads_each_formula_once_and_keeps_its_meaning() -> None:
    import random

    from quizgen.latex import _braces, group_end

    def scan(latex: str, start: int) -> int:  # the definition: read from ``start``
        if start >= len(latex) or latex[start] != "{":
            return -1
        depth = 0
        for i, step in _braces(latex, start):
            depth += step
            if depth == 0:
                return i + 1
        return -1

    rng = random.Random(3)
    for _ in range(3000):
        s = "".join(rng.choice("{}\\ab") for _ in range(rng.randint(0, 24)))
        assert [group_end(s, i) for i in range(len(s) + 1)] == [
            scan(s, i) for i in range(len(s) + 1)], s
