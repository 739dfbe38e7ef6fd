"""Patterns compiled on first use behave as compiled ones (``quizgen.patterns``)."""

from __future__ import annotations

import re

from quizgen import patterns
from quizgen.patterns import compile_all, lazy_pattern


def test_a_lazy_pattern_matches_as_the_compiled_one_does() -> None:
    lazy = lazy_pattern(r"(?P<term>[\u4e00-\u9fff]+)（(\w+)）", re.I)
    eager = re.compile(r"(?P<term>[\u4e00-\u9fff]+)（(\w+)）", re.I)
    text = "互信息（MI）与交叉熵（CE）"
    m, n = lazy.search(text), eager.search(text)
    assert m is not None and n is not None and m.groups() == n.groups()
    assert lazy.findall(text) == eager.findall(text)
    assert lazy.sub(r"\2", text) == eager.sub(r"\2", text)
    assert (lazy.pattern, lazy.flags, lazy.groups, lazy.groupindex) == (
        eager.pattern, eager.flags, eager.groups, eager.groupindex)
    assert lazy_pattern(rb"\x00+").findall(b"a\x00\x00b") == [b"\x00\x00"]


def test_a_pattern_compiles_on_first_use_and_compile_all_compiles_the_rest() -> None:
    used, unused = lazy_pattern("x+"), lazy_pattern("y+")
    assert "search" not in vars(used) and "search" not in vars(unused)
    assert used.match("xx") is not None
    assert "search" in vars(used) and "search" not in vars(unused)
    compile_all()
    assert all("search" in vars(p) for p in patterns._MADE)
