"""Finding math in card HTML as MathJax does: entities, element boundaries, skipped tags."""

from __future__ import annotations

import pytest

from tests.mathjax.find import math_in_html
from tests.mathjax.oracle import mathjax_finds

CASES: list[tuple[str, list[tuple[str, bool]]]] = [
    (r"前 \(x^2\) 中 \[a &lt; b &amp;&amp; c\] 后", [("x^2", False), ("a < b && c", True)]),
    # quizgen escapes braces in prose as entities; inside math they are braces again
    (r"\(\frac&#123;1&#125;&#123;2&#125;\)", [(r"\frac{1}{2}", False)]),
    # a line break is part of the string, an element is not
    (r"\(a<br>b\)", [("a\nb", False)]),
    (r'\(a<span class="cloze">b</span>\) \(c\)', [("c", False)]),
    (r"<div>\(a</div><div>\)</div>", []),
    (r"\(a<!-- -->b\)", [("ab", False)]),
    # skipped and ignored elements
    (r"<code>\(x\)</code> <pre>\[y\]</pre> \(z\)", [("z", False)]),
    (r'<span class="mathjax_ignore">\(x\)</span>', []),
    (r'<span class="mathjax_ignore"><b class="mathjax_process">\(x\)</b></span>', [("x", False)]),
    # only \( \) and \[ \] with Anki's settings: no $, no bare environments, no \ref
    (r"$x$ 与 $$y$$ 与 \begin{aligned}a\end{aligned} 与 \ref{x}", []),
    # the closing delimiter counts outside braces only; a backslash escapes the next character
    (r"\(\text{\)}\) \(\{ \)", [(r"\text{\)}", False), (r"\{ ", False)]),
    (r"\(a \\) b\)", [(r"a \\) b", False)]),
    # a word joiner keeps a prose backslash from meeting a bracket (quizgen's prose escape)
    ("\\\u2060(不是公式) \\(y\\)", [("y", False)]),
    # an unclosed formula is skipped, later ones are still found
    (r"\(a \[b\]", [("b", True)]),
    (r"\[ {a \]", []),
    (r"\(\)", [("", False)]),
    ("<img src=x alt='\\(x\\)'> \\(&#x1D6FC;\\)", [("\U0001d6fc", False)]),
]


@pytest.mark.parametrize(("page", "expected"), CASES)
def test_math_in_html(page: str, expected: list[tuple[str, bool]]) -> None:
    assert math_in_html(page) == expected


@pytest.mark.usefixtures("mathjax")
def test_mathjax_finds_the_same() -> None:
    pages = [page for page, _ in CASES]
    assert mathjax_finds(pages) == [math_in_html(p) for p in pages]
