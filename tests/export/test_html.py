"""Rich text → Anki field HTML: math protected and escaped, Markdown inline, nothing injected."""

from __future__ import annotations

import html
import re

from hypothesis import given
from hypothesis import strategies as st

from quizgen.export.html import _markdown, _prose, cloze_text, math_html, no_image, plain, render
from quizgen.model import Cloze
from tests.export.conftest import render_issues


def test_markdown_around_math_leaves_the_math_alone() -> None:
    out = render(r"**交叉熵** 是 \(H(p,q)=-\sum_i p_i\log q_i\)，*注意* `x_i` 与 a_b_c")
    assert out == (
        r"<strong>交叉熵</strong> 是 \(H(p,q)=-\sum_i p_i\log q_i\)，<em>注意</em> "
        "<code>x_i</code> 与 a_b_c"
    )


def test_math_is_escaped_on_one_line_with_no_double_braces() -> None:
    out = render("若 \\[a<b \\& c>d,\n\\frac{1}{x_{i}}\\] 则")
    assert out == r"若 \[a&lt;b \&amp; c&gt;d, \frac{1}{x_{i} }\] 则"
    assert math_html("}}}") == "} } }" and math_html("{{x") == "{ {x"


def test_untrusted_text_is_text() -> None:
    out = render('<script>alert(1)</script><img src=x onerror=alert(1)> {{c1::x}} {{Front}}')
    assert "<" not in out.replace("&lt;", "")
    assert "{" not in out and "&#123;&#123;c1::x&#125;&#125;" in out
    assert render("[sound:a.mp3]") == "&#91;sound:a.mp3]"
    assert render("a\x1fb\x00") == "ab"  # \x1f would split Anki's fields
    # An escaped backslash before a bracket must not open or close a formula in MathJax.
    for text in ("\\\\)", "a \\\\[x", "\\\\(y"):
        assert render_issues(render(text)) == [] and "\\[" not in html.unescape(render(text))


def test_quotes_in_math_cannot_leave_an_attribute() -> None:
    out = render(r'![\(a" onerror="x\)](p.png)')
    assert 'onerror="' not in out and "&quot;" in out


def test_cloze_sits_inside_the_formula() -> None:
    cz = Cloze(r"\sigma_i=\frac{", "e^{z_{i}}", r"}{\sum_j e^{z_j}}")
    out = cloze_text(cz)
    assert out == r"\[\sigma_i=\frac{ {{c1:: e^{z_{i} } }} }{\sum_j e^{z_j} }\]"
    assert out.count("{{c") == 1 and out.count("}}") == 1
    assert "::" not in cloze_text(Cloze("a=", "b::c", "")).split("c1::", 1)[1]


def test_plain_and_newlines() -> None:
    assert plain("a|b{c}") == "a|b&#123;c&#125;"
    assert render("一\n二") == "一<br>\n二"
    assert render("**一**\n二") == "<strong>一</strong><br>\n二"


@given(st.text(alphabet=st.sampled_from(list("ab<>&{}[]*_`!\\()$\"' \nx中")), max_size=60))
def test_any_text_renders_safely(text: str) -> None:
    out = render(text)
    assert "{{" not in out and "}}" not in out.replace("} }", "")
    assert not re.search(r"<(?!/?(strong|em|code|br)>)", out)
    assert render_issues(out) == []


@given(st.text(alphabet=st.sampled_from(list("ab<>&\"' \t\n\r{}[]#~:|中\ue000\ue0011")),
               max_size=40))
def test_markdown_free_text_skips_markdown_it_with_the_same_html(text: str) -> None:
    expected = _markdown().renderInline(text, {"image": no_image}).translate(
        str.maketrans({"{": "&#123;", "}": "&#125;", "[": "&#91;"}))
    assert _prose(text, no_image) == expected


def test_markdown_free_line_breaks_match_markdown_it() -> None:
    for text in ("a  \n  b", "a \t\nb", "a\r\nb\rc", "a\n \t\nb", 'x"y\'z&<>'):
        assert _prose(text, no_image) == _markdown().renderInline(text, {"image": no_image})
