"""Formulas cannot act in Anki: MathJax's link, class, id, style and data commands are made
inert before a formula reaches a field (what MathJax's ui/safe extension filters)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizgen.export.anki import write_apkg
from quizgen.export.html import inert_math, math_html, render
from quizgen.model import Cloze
from tests.export.conftest import Anki, Vault, card

_TOKEN = re.compile(r"\\(?:[A-Za-z]+|.)", re.S)
_FORBIDDEN = {"href", "class", "cssId", "style", "data", "require", "url"}


def active(latex: str) -> list[str]:
    """What in ``latex`` could still put an attribute on the page or load code."""
    found: list[str] = []
    for m in _TOKEN.finditer(latex):
        name = m.group()[1:]
        rest = latex[m.end():].lstrip()
        option = re.match(r"\[([^\]]*)\]?", rest)  # directly after the command: an option
        if name in _FORBIDDEN:
            bad = True
        elif name == "bbox":
            bad = option is not None and not re.fullmatch(r"[A-Za-z0-9#.,]*", option.group(1))
        elif name == "mmlToken":
            bad = not re.match(r"\{[^{}]*\}", rest) or bool(re.match(r"\{[^{}]*\}\s*\[", rest))
        elif name == "unicode":
            bad = not re.match(r"\{\s*(?:x[0-9A-Fa-f]+|[0-9]+)\s*\}", rest)
        else:
            bad = False
        if bad:
            found.append(m.group() + rest[:20])
    return found


@pytest.mark.parametrize(
    ("latex", "inert"),
    [
        (r"\href{javascript:alert(1)}{x}", "{}{x}"),
        (r"a\class{evil}{b}c", "a{}{b}c"),
        (r"\cssId{id}{\style{position:fixed;top:0}{x}}", "{}{{}{x}}"),
        (r"\data{onclick=alert(1)}{x}", "{}{x}"),
        (r"\url{https://example.com}", r"\text{https://example.com}"),
        (r"\require{html}\href{x}{y}", "{}{}{y}"),
        (r"\unicode{x41}+\unicode{65}", r"\unicode{x41}+\unicode{65}"),
        (r"\unicode[.8,0][Comic Sans; background:url(x)]{x41}", r"\unicode{x41}"),
        (r"\unicode{javascript}", "{}"),
        (r"\bbox[yellow,5px,border:1px solid red]{x}", r"\bbox[yellow,5px]{x}"),
        (r"\bbox[background-image:url(https://t.example/p.png)]{x}", r"\bbox{x}"),
        (r"\mmlToken{mi}[href='javascript:x' class='y']{x}", r"\mmlToken{mi}{x}"),
        # no macro brings one back, and what is left cannot join into a new one
        (r"\let\h\href\h{javascript:x}{y}", r"\let\h{}\h{javascript:x}{y}"),
        (r"\def\h{\href}", r"\def\h{{}}"),
        (r"\hr\href{}ef{javascript:x}{y}", r"\hr{}ef{javascript:x}{y}"),
        (r"\text{$\href{j}{x}$}", r"\text{${}{x}$}"),
        # what follows a removal cannot become an option of the command before it
        (r"\bbox\href{}[background:url(x)]{y}", r"\bbox{}[background:url(x)]{y}"),
        (r"\mmlToken{mi}\class{}[href=x]{y}", r"\mmlToken{mi}{}[href=x]{y}"),
        # not these commands
        (r"\\href", r"\\href"),
        (r"\hrefx + \classic", r"\hrefx + \classic"),
        (r"\frac{e^{z_i}}{\sum_j e^{z_j}}", r"\frac{e^{z_i}}{\sum_j e^{z_j}}"),
    ],
)
def test_active_commands_are_made_inert(latex: str, inert: str) -> None:
    assert inert_math(latex) == inert
    assert active(inert_math(latex)) == []


_PIECES = st.sampled_from([
    "\\href", "\\class", "\\cssId", "\\style", "\\data", "\\require", "\\url", "\\unicode",
    "\\bbox", "\\mmlToken", "\\hr", "ef", "\\let", "\\def", "\\", "\\\\", "{", "}", "[", "]",
    "x41", "javascript:", "color:red", ",", " ", "x", "5px", "(", ")",
])


@given(st.lists(_PIECES, max_size=30).map("".join))
def test_nothing_active_survives_and_a_second_pass_changes_nothing(latex: str) -> None:
    once = inert_math(latex)
    assert active(once) == [], (latex, once)
    assert inert_math(once) == once


def test_fields_carry_no_link_even_inside_a_cloze() -> None:
    assert "javascript" not in render(r"见 \(\href{javascript:alert(1)}{x}\)。")
    assert math_html(r"\class{a}{x}") == "{}{x}"


def test_real_anki_shows_no_link(vault: Vault, anki: Anki, tmp_path: Path) -> None:
    evil = r"\href{javascript:alert(document.cookie)}{x}+\style{position:fixed}{y}"
    cards = [
        card(vault, "definition", "def:x", "什么是 X？", rf"X 定义为 \[{evil}\]", term="X"),
        card(vault, "cloze", "concept:x#0", r"补全公式：\[?\]", rf"\[{evil}\]", line=5,
             cloze=Cloze(r"\href{javascript:alert(1)}{", "x", r"}+\cssId{i}{y}")),
    ]
    rep = write_apkg(cards, tmp_path / "d.apkg", notes_root=vault.root, now=1_000)
    anki.import_(rep.path)
    shown = [side for _, side in anki.rendered()]
    assert len(shown) == 4
    for side in shown:
        assert "javascript" not in side and "position:fixed" not in side
        assert not re.search(r"\\(?:href|style|cssId)(?![A-Za-z])", side), side


def test_a_formula_of_unclosed_options_stays_linear() -> None:
    from tests.bounded import run_python

    code = ("from quizgen.export.html import inert_math; "
            "print(inert_math('\\\\bbox[' * 100000) == '{}[' * 100000)")
    result = run_python(code, timeout=60)
    assert result.returncode == 0 and result.stdout.strip() == "True", result.stderr


# What MathJax (as Anki configures it) does with these commands, as MathML attributes.
_ACTS = re.compile(r'\s(?:href|class|id|style|fontfamily|mathbackground|data-(?!mjx-))="')
_RAW = [
    (r"\href{javascript:alert(1)}{x}", "href"),
    (r"\class{evil}{x}", "class"),
    (r"\cssId{i}{x}", "id"),
    (r"\style{position:fixed}{x}", "style"),
    (r"\let\h\href \h{javascript:alert(1)}{y}", "href"),
    (r"\bbox[background:url(https://t.example/p.png)]{y}", "style"),
    (r"\mmlToken{mi}[href='javascript:1']{x}", "href"),
    (r"\unicode[.5,0][Comic Sans]{x41}", "fontfamily"),
]


def _mathml(formulas: list[str]) -> list[str]:
    from tests.mathjax.install import MathJaxUnavailable, mathjax_root
    from tests.mathjax.oracle import mathml

    try:
        mathjax_root()
    except MathJaxUnavailable as exc:
        pytest.skip(str(exc))
    return mathml(formulas)


def test_real_mathjax_puts_no_attribute_on_the_page() -> None:
    raw = _mathml([tex for tex, _ in _RAW])
    for (tex, attribute), mathml in zip(_RAW, raw, strict=True):
        assert f' {attribute}="' in mathml, (tex, mathml)  # the threat is real …
    fields = [html.unescape(math_html(tex)) for tex, _ in _RAW]
    for tex, mathml in zip(fields, _mathml(fields), strict=True):
        assert not _ACTS.search(mathml), (tex, mathml)  # … and gone from the fields


@given(st.lists(st.lists(_PIECES, max_size=16).map("".join), min_size=40, max_size=40))
@settings(max_examples=3, deadline=None)
def test_real_mathjax_finds_no_attribute_in_any_filtered_formula(formulas: list[str]) -> None:
    inert = [html.unescape(math_html(f)) for f in formulas]
    for tex, mathml in zip(inert, _mathml(inert), strict=True):
        assert not _ACTS.search(mathml), (tex, mathml)
