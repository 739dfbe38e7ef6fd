"""How numbers and exact values are shown in questions, options and explanations."""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from quizgen.concepts.exact import Value, fraction_of, rat_latex

DIGITS = 4  # significant digits shown next to an exact value; options must differ at this precision


def sig(x: float, digits: int = DIGITS) -> str:
    """``x`` with ``digits`` significant digits in positional notation (``0.6652``, ``12.35``)."""
    if x == 0 or not math.isfinite(x):
        return "0" if x == 0 else str(x)
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(x))))
    text = f"{x:.{decimals}f}"
    return "0" if float(text) == 0 else text


def short_decimal(q: Fraction, max_decimals: int = 4) -> str | None:
    """The exact decimal text of ``q`` when it has at most ``max_decimals`` decimals."""
    scaled = q * 10**max_decimals
    if scaled.denominator != 1:
        return None
    sign = "-" if q < 0 else ""
    whole, rest = divmod(abs(scaled.numerator), 10**max_decimals)
    frac = str(rest).rjust(max_decimals, "0").rstrip("0")
    return f"{sign}{whole}.{frac}" if frac else f"{sign}{whole}"


def display_key(value: Value) -> str:
    """What a reader can tell apart: the value at the display precision."""
    return sig(value.to_float())


def with_approx(value: Value) -> str:
    """Exact LaTeX of ``value``, then ``≈`` and its decimal unless it is a short decimal; a
    fraction too long to read (``\\frac{66973009}{299700100}``) shows only its decimal."""
    q = value.rational()
    if q is not None and short_decimal(q) is not None:
        return rat_latex(q)
    if q is not None and max(abs(q.numerator), q.denominator) >= 10**5:
        return rf"\approx {sig(value.to_float())}"
    return rf"{value.latex()}\approx {sig(value.to_float())}"


def num(v: Any) -> str:
    """A JSON parameter as LaTeX (``0.25``, ``-2``)."""
    dec = short_decimal(fraction_of(v), 6)
    return dec if dec is not None else str(v)


def vector(values: Sequence[Any]) -> str:
    """``(a, b, c)`` in LaTeX."""
    return "(" + ", ".join(num(v) for v in values) + ")"


def base_word(base: Any) -> str:
    """How the question names the unit of an information quantity."""
    return r"以 2 为底（单位 bit）" if base == 2 else r"以 \(e\) 为底（单位 nat）"


def log_cmd(base: Any) -> str:
    return r"\log_2" if base == 2 else r"\ln"


def worked(written: str, value: Value) -> str:
    """``written = exact ≈ decimal``, without repeating ``written`` when it already is the exact
    form."""
    result = with_approx(value)
    return result if written == value.latex() or written == result else f"{written}={result}"


def frac(num: str, den: str) -> str:
    return rf"\frac{{{num}}}{{{den}}}"


def factor(v: Any) -> str:
    """A parameter as a factor in a product: negative numbers in brackets (``(-0.5)``)."""
    text = num(v)
    return f"({text})" if text.startswith("-") else text


def exact_vector(values: Sequence[Fraction]) -> str:
    """``(0.05, \\frac{1}{30}, …)``: exact rationals, short decimals where they have one."""
    return "(" + ", ".join(rat_latex(v) for v in values) + ")"
