"""Definition text edge cases."""

from __future__ import annotations

from quizgen.parse import parse_text


def test_an_image_inside_a_definition_does_not_end_it() -> None:
    text = "衡量不确定性的量，见图 ![示意](in.png) 后面还有文字。"
    note = parse_text(f"**熵 (Entropy)**：{text}\n", "a.md")
    assert note.definitions[0].text == text


def test_exclamation_still_ends_a_sentence() -> None:
    note = parse_text("**熵 (Entropy)**：不确定性的度量! 下一句不是定义。\n", "a.md")
    assert note.definitions[0].text == "不确定性的度量!"
