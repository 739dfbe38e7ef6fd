"""The Markdown → blocks layer: CommonMark structure from pulldown-cmark, math by our rules."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from quizgen.parse import parse_text
from quizgen.parse.blocks import PH_OPEN, Block, read_blocks


def _blocks(text: str) -> list[Block]:
    return list(read_blocks(text).blocks)


def _maths(text: str) -> list[tuple[str, bool, int, str]]:
    return [(m.latex, m.display, m.line, m.markup) for b in _blocks(text) for m in b.maths]


def test_front_matter_is_taken_out_with_its_lines_kept() -> None:
    doc = read_blocks("---\ntitle: 熵\ntags: [a]\n---\n\n# 熵\n\n第 7 行。\n")
    assert doc.front_matter == "title: 熵\ntags: [a]"
    assert [(b.kind, b.text, b.line) for b in doc.blocks] == [("heading", "熵", 6),
                                                              ("para", "第 7 行。", 8)]
    assert read_blocks("---\nnever closed\n").front_matter is None


def test_display_block_lines_never_become_markdown() -> None:
    # `- x` and `# x` lines inside $$ are formula lines, not a list or a heading.
    text = "定义为：\n\n$$\nH(X) =\n- \\sum_x p(x)\\log p(x)\n# 注\n$$\n\n其中 \\(p\\) 为分布。\n"
    blocks = _blocks(text)
    assert [b.kind for b in blocks] == ["para", "math", "para"]
    assert blocks[1].maths[0].latex == "\nH(X) =\n- \\sum_x p(x)\\log p(x)\n# 注\n"
    assert (blocks[1].line, blocks[2].maths[0].line) == (3, 9)


def test_dollars_right_after_a_paragraph_line_stay_in_the_paragraph() -> None:
    blocks = _blocks("表达式如下：\n$$\\mathrm{GELU}(x)=x\\,\\Phi(x)$$\n"
                     "其中，\\(\\Phi\\) 为分布函数。\n")
    assert len(blocks) == 1 and blocks[0].kind == "para"
    assert [(m.display, m.line) for m in blocks[0].maths] == [(True, 2), (False, 3)]
    assert blocks[0].breaks and blocks[0].line_at(blocks[0].text.index("其中")) == 3


def test_a_bare_dollar_line_under_a_paragraph_opens_a_block_with_blank_lines() -> None:
    """A Typora-written LSTM note: ``$$`` right under the sentence, blank lines around the
    formula inside ``\\begin{equation}``. Read inline, the math would never close."""
    text = ("遗忘门的输出，数学表达式为\n$$\n\\begin{equation}\n\nf_t=\\sigma(x)\n\n"
            "\\end{equation}\n$$\n\n下一段，\n$$\na=b\n$$\n还在段落里。\n")
    blocks = _blocks(text)
    assert [b.kind for b in blocks] == ["para", "math", "para"]
    assert blocks[1].maths[0].latex.split() == ["\\begin{equation}", "f_t=\\sigma(x)",
                                                "\\end{equation}"]
    assert [(m.display, m.line) for m in blocks[2].maths] == [(True, 11)]


def test_a_bare_dollar_line_under_a_paragraph_opens_a_block_with_markdown_lines() -> None:
    """An Obsidian cross-entropy note: ``$$`` right under the sentence, and lines of the
    formula Markdown would read as a heading underline (``=``) or a list item (``- …``)."""
    text = ("对目标输出进行偏导：\n$$\n\\frac{\\partial{C}}{\\partial{a}}\n=\n"
            "- \\frac{y}{a} + \\frac{1-y}{1-a}\n$$\n> 注意\n")
    blocks = _blocks(text)
    assert [b.kind for b in blocks] == ["para", "math", "para"]
    assert blocks[1].maths[0].latex.strip().split("\n") == [
        "\\frac{\\partial{C}}{\\partial{a}}", "=", "- \\frac{y}{a} + \\frac{1-y}{1-a}"]


def test_a_display_block_in_a_tab_indented_list_item() -> None:
    """The same entropy note indents its list items, and the ``$$`` lines in them, with tabs."""
    text = "- 熵的计算公式为\n\n\t$$ H(p) = -\\sum_{i} p(i) \\log p(i) $$\n\n\t- 下一项\n"
    assert [(m.latex.strip(), m.display) for b in _blocks(text) for m in b.maths] == [
        ("H(p) = -\\sum_{i} p(i) \\log p(i)", True)]


def test_a_formula_in_a_quote_loses_the_quote_markers() -> None:
    """A Bayesian-regression note sets its results in quotes: ``> $$`` / ``> \\begin{align}`` …;
    its ``\\\\[6pt]`` row spacing is no unclosed ``\\[``."""
    text = "> $$\n> \\begin{align}\n> a &= b \\\\[6pt]\n> c &= d\n> \\end{align}\n> $$\n"
    note = parse_text(text, "a.md")
    assert [f.latex for f in note.formulas] == [
        "\\begin{align}\na &= b \\\\[6pt]\nc &= d\n\\end{align}"]
    assert note.problems == ()


def test_inline_math_rules() -> None:
    assert _maths("价格 $5 和 $10 两种，另有 $x$ 与 $$y$$。") == [("x", False, 1, "$"),
                                                 ("y", True, 1, "$$")]
    assert _maths("见 \\[解析\\] 与 \\[1\\]，而 \\(a_i\\) 和 \\[b=1\\] 是公式。") == [
        ("a_i", False, 1, "\\("), ("b=1", True, 1, "\\[")]
    assert _maths("`code $x$ \\(y\\)` 与 \\\\(z\\\\) 与 \\$5") == []
    # a DDPM note pads its LaTeX before the closing `$`; a price never had LaTeX in it
    assert _maths("从 $x_{T} \\sim N(0, I) $开始，价格 $5 和 $10。") == [
        ("x_{T} \\sim N(0, I) ", False, 1, "$")]
    # `$\ h_t\ $` pads the math with control spaces; `$x $` still is no math (pandoc)
    assert _maths("$\\ h_t\\ $：隐藏状态、$\\ x_t\\ $：输入，$a $ 与 $b$") == [
        ("\\ h_t\\ ", False, 1, "$"), ("\\ x_t\\ ", False, 1, "$"), ("b", False, 1, "$")]
    # `*` and `_` inside math are math, never emphasis.
    block = _blocks("\\(a*b\\) 与 *重点* 与 $p_i*q_i$")[0]
    assert block.text == f"{PH_OPEN}0\ue001 与 *重点* 与 {PH_OPEN}1\ue001"


def test_text_stays_as_written_where_markdown_would_rewrite_it() -> None:
    (b,) = _blocks("A &amp; B <b>粗</b> <http://x.y> ![图 *a*](img/图.png) **强** \\* 末")
    assert b.text == ("A &amp; B <b>粗</b> <http://x.y> ![图 *a*](img/%E5%9B%BE.png) **强** "
                      "* 末")
    assert [(i.src, i.line) for i in b.images] == [("img/%E5%9B%BE.png", 1)]
    (html,) = _blocks("<div>**重点** $x$</div>\n")
    assert html.kind == "para" and html.text.startswith("<div>**重点** ") and html.maths


def test_lists_headings_and_code() -> None:
    text = ("# 标题\n\n- **策略（policy）**：规则\n  续行 \\(x\\)\n- 二\n  - 嵌套\n\n```\n"
            "$x$ 不是公式\n```\n")
    blocks = _blocks(text)
    # An item's level is how deep its list is nested.
    assert [(b.kind, b.level, b.line) for b in blocks] == [("heading", 1, 1), ("item", 1, 3),
                                                          ("item", 1, 5), ("item", 2, 6)]
    assert blocks[1].text == f"**策略（policy）**：规则\n续行 {PH_OPEN}0\ue001"
    assert blocks[1].raw == "**策略（policy）**：规则\n续行 \\(x\\)"
    assert blocks[1].maths[0].line == 4


@given(st.text(alphabet="ab $\\()[]*_`#->\n\t![]{}&<", max_size=80))
def test_any_text_gives_blocks_whose_placeholders_name_their_formulas(text: str) -> None:
    for b in _blocks(text):
        assert b.text.count(PH_OPEN) == len(b.maths)
        assert all(b.line <= m.line for m in b.maths)
        assert list(b.breaks) == sorted(b.breaks)


def test_gitlab_and_xiaoshujiang_math() -> None:
    """A PCA note writes GitLab's $`v`$; an entropy note the 小书匠 editor's `!$H(X)$` inline
    and ```mathjax! fences (with $$ inside) for display; ```math is GitHub's and GitLab's."""
    assert _maths("单位向量为$`v`$，约束为$`v^{T}v = 1`$。") == [
        ("v", False, 1, "$`"), ("v^{T}v = 1", False, 1, "$`")]
    assert _maths("左边代表 `!$H(X)$` ，代码 `x$y` 与 `!$a`。") == [("H(X)", False, 1, "`!$")]
    # an optimizer note writes its inline math as `$…$` code spans; `$HOME` is still code
    assert _maths("导数 `$dy/dx$` 的多变量表达式，`$HOME` 不是。") == [("dy/dx", False, 1, "`$")]
    text = "联合概率为：\n```mathjax!\n$$\np(x,y) = p(x)p(y)\n$$\n```\n\n```math\na^2+b^2\n```\n"
    assert _maths(text) == [("\np(x,y) = p(x)p(y)\n", True, 2, "$$"), ("a^2+b^2", True, 8, "$$")]
    # ```latex shows LaTeX source as code
    assert _maths("```latex\n\\frac{a}{b}\n```\n") == []
