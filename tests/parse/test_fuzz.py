"""The parser never raises, whatever the text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from quizgen.parse import parse_text

_PIECES = st.sampled_from(
    ["$", "$$", "\\[", "\\]", "\\(", "\\)", "{", "}", "\\", "互信息", "（", "）", "：", ":",
     "**", "*", "\n", "\n\n", "其中", "where ", "---\n", "```", "`", "x", " ", "\\tag{1}", "=",
     "- ", "# ", "\u200b", "⾮", ":eqlabel:", "|", "是一种", "又称"]
)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_arbitrary_text_never_raises(text: str) -> None:
    note = parse_text(text, "fuzz.md")
    for f in note.formulas:
        assert f.source.line >= 1


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, max_size=60).map("".join))
def test_math_delimiter_soup_never_raises(text: str) -> None:
    note = parse_text(text, "fuzz.md")
    lines = text.count("\n") + 1
    for item in (*note.definitions, *note.formulas):
        assert 1 <= item.source.line <= lines + 1
    for p in note.problems:
        assert 1 <= p.line <= lines + 1
