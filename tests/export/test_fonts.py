"""Choosing the CJK font: bundled Noto SC by default, a system family with real bold preferred."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizgen.export.fonts import BUNDLED_SANS, BUNDLED_SERIF, bundled, parse_fc_list, pick

FC_LIST = (
    "Noto Sans CJK SC,Noto Sans CJK SC Regular\tRegular\t/usr/share/fonts/noto/NotoSansCJK.ttc\n"
    "Noto Sans CJK SC,Noto Sans CJK SC Bold\tBold\t/usr/share/fonts/noto/NotoSansCJK-Bold.ttc\n"
    "AR PL UMing CN\tLight\t/usr/share/fonts/arphic/uming.ttc\n"
    "broken line\n"
)


def test_bundled_fonts_exist() -> None:
    fonts = bundled()
    assert fonts.cjk == BUNDLED_SERIF and fonts.fake_bold
    assert any(Path(p, "NotoSerifSC-Regular.otf").is_file() for p in fonts.paths)


def test_parse_fc_list() -> None:
    found = {f.family: f for f in parse_fc_list(FC_LIST)}
    assert found["Noto Sans CJK SC"].has_bold
    assert found["Noto Sans CJK SC"].folders == ("/usr/share/fonts/noto",)
    assert not found["AR PL UMing CN"].has_bold
    assert "broken line" not in found


def test_pick_prefers_a_system_font_with_bold() -> None:
    installed = parse_fc_list(FC_LIST)
    assert pick(None, installed).cjk == "Noto Sans CJK SC"
    assert not pick(None, installed).fake_bold
    assert pick("ar pl uming cn", installed).fake_bold
    assert pick(BUNDLED_SANS, installed).cjk == BUNDLED_SANS


def test_pick_without_system_fonts_uses_bundled() -> None:
    assert pick(None, ()) == bundled()
    assert pick(None, parse_fc_list(FC_LIST.splitlines()[2])).cjk == BUNDLED_SERIF


def test_unknown_font_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown font"):
        pick("Comic Sans CJK", ())
