"""LaTeX → Typst math: the notes' constructs convert and compile; garbage and unsafe code do not."""

from __future__ import annotations

import pytest

from quizgen.export.typst_math import compiles, is_safe, latex_to_typst, sympy_to_typst

NOTES_STYLE = [
    r"\mathrm{softmax}(z_i)=\frac{e^{z_i}}{\sum_{j=1}^K e^{z_j}}",
    r"I(X;Y)=\sum_{x\in X}\sum_{y\in Y}p(x,y)log\frac{p(x|y)}{p(x)}",
    r"\mathop{min}\limits_{\theta\in M}d(p_\theta,p_{data})",
    r"\begin{aligned} p(w_1, w_2)&=p(w_1) * p(w_2 \mid w_1) \\ &= x \end{aligned}",
    r"\int p_{\theta}(z) f(z)dz\,\,\,\text{(连续情形)}\qquad \sum_{z} p_{\theta}(z) f(z)",
    r"L_{\theta}=\mathbb{E}_{z\sim p_{\theta}(z)}[f(z)]\tag{1}",
    r"A\xrightarrow{a}B",
    r"A\xrightarrow[n+1]{a+b}B",
    r"\color{red}{x}+y",
    r"\textbf{x}",
    r"a\stackrel{?}{=}b",
    r"\sum\nolimits_i x_i",
    r"L=\frac{1}{2N}\sum_{n-1}^N[yd^2+(1-y)max(margin-d, 0)^2]",
    r"\begin{cases} a & x>0 \\ b & \text{否则} \end{cases}",
    r"H(p,q)=-\sum_i \boxed{?}",
]


@pytest.mark.parametrize("latex", NOTES_STYLE)
def test_notes_formulas_convert_and_compile(latex: str) -> None:
    math = latex_to_typst(latex)
    assert math is not None
    assert compiles(math), math


def test_fixes_are_applied() -> None:
    assert latex_to_typst(r"\mathop{min}\limits_{\theta\in M}f") == (
        'op("min", limits: #true)_(theta in M) f'
    )
    # tex2typst alone drops the parentheses around a multi-token \overset argument.
    assert latex_to_typst(r"a\stackrel{n+1}{=}b") == "a limits(=)^(n + 1) b"
    assert latex_to_typst(r"x\tag{3}") == "x"
    assert latex_to_typst("log x") == "log x"  # an operator, not the letters l o g
    assert "red" not in (latex_to_typst(r"\color{red}{x}") or "red")


@pytest.mark.parametrize(
    "garbage",
    ["", "   ", r"\frac{", r"\begin{aligned} x", "}}}{{{", r"\text{", "\x00\\", r"\mathrm{#}"],
)
def test_garbage_gives_none(garbage: str) -> None:
    assert latex_to_typst(garbage) is None


def test_unknown_command_converts_but_does_not_compile() -> None:
    math = latex_to_typst(r"\foo{bar}")
    assert math is None or not compiles(math)


@pytest.mark.parametrize(
    "latex",
    [
        r"\read(\text{/etc/passwd})",
        r"\eval(\text{1+1})",
        r"\json(\text{x.json})",
        r"\sys.inputs",
        r"\image(\text{a.png})",
    ],
)
def test_code_in_formulas_is_refused(latex: str) -> None:
    assert latex_to_typst(latex) is None


def test_screen() -> None:
    assert is_safe('op("read", limits: #true) "#read(x)" a #h(-math.thin.amount) b')
    for bad in ['read("x")', "#import", "a $ #b", "x // y", "a /* b", '"open', "std.read"]:
        assert not is_safe(bad), bad


def test_sympy_answers() -> None:
    assert sympy_to_typst("-log(2)/2 + 3*log(3)/4") == "- log(2)/2 + 3 dot log(3)/4"
    assert sympy_to_typst("E**2") == "e^2"
    assert sympy_to_typst("sqrt(2)/2") == "sqrt(2)/2"
    for bad in ["__import__('os')", "read(1)", "1e-5", "x", ""]:
        assert sympy_to_typst(bad) is None, bad
