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
