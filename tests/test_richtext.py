"""Rich text: cutting math from prose, and undoing the author's line wrapping."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizgen.richtext import join_soft_breaks, segments


@pytest.mark.parametrize(("text", "joined"), [
    # d2l-zh attention-scoring-functions.md:33 wraps mid-sentence: no space between CJK.
    ("将两个向量映射成标量，\n再经过softmax运算", "将两个向量映射成标量，再经过softmax运算"),
    # d2l-en softmax-regression.md:400 wraps English prose: one space.
    ("decoding, transmitting,\nand manipulating", "decoding, transmitting, and manipulating"),
    ("映射成\n\\(x\\)\n的函数", "映射成 \\(x\\) 的函数"),
    ("shown by\n    indentation", "shown by indentation"),
])
def test_line_wrapping_inside_a_paragraph_is_undone(text: str, joined: str) -> None:
    assert join_soft_breaks(text) == joined


@pytest.mark.parametrize("text", [
    "分为两类：\n- 有监督\n- 无监督",  # a list starts
    "步骤：\n1. 初始化\n2. 迭代",
    "| a | b |\n| - | - |",
    "第一段\n\n第二段",  # a blank line
    "hard  \nbreak",  # two trailing spaces
    "hard\\\nbreak",  # a trailing backslash
    "\\[a\n=b\\]",  # inside a formula
])
def test_breaks_the_author_meant_are_kept(text: str) -> None:
    assert join_soft_breaks(text) == text


@given(st.text(alphabet="ab 中文\n\\()[]$-", max_size=40))
def test_joining_keeps_every_formula_and_never_adds_a_line(text: str) -> None:
    out = join_soft_breaks(text)
    assert [s.text for s in segments(out) if s.math] == [s.text for s in segments(text) if s.math]
    assert out.count("\n") <= text.count("\n")
    assert join_soft_breaks(out) == out
