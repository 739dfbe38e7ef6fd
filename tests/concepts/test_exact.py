"""The exact number fields used for answers and cross-checks."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from quizgen.concepts.exact import ExpFrac, LogLin, Rat, exp_add, exp_term, fraction_of, json_number


def test_loglin_is_canonical() -> None:
    a = LogLin.ln(Fraction(3, 4))
    b = LogLin.ln(Fraction(3)) - LogLin.ln(Fraction(2)).scale(Fraction(2))
    assert a == b and a.exact_equal(b)
    assert math.isclose(a.to_float(), math.log(0.75))


def test_loglin_base_two_reads_log2_of_2_as_one() -> None:
    assert LogLin.ln(Fraction(8), 2).rational() == 3
    assert str(LogLin.ln(Fraction(1, 4), 2).to_sympy()) == "-2"


def test_expfrac_equality_by_cross_multiplication() -> None:
    one, e = exp_term(Fraction(0)), exp_term(Fraction(1))
    a = ExpFrac(e, exp_add(one, e))
    b = ExpFrac(one, exp_add(exp_term(Fraction(-1)), one))
    assert a.exact_equal(b)
    assert not a.exact_equal(ExpFrac(one, exp_add(e, one)))
    assert a.latex() == r"\frac{e}{1+e}"


def test_decimal_parameters_are_read_from_their_text() -> None:
    assert fraction_of(0.1) == Fraction(1, 10)
    assert json_number(Fraction(7, 20)) == 0.35
    assert json_number(Fraction(4)) == 4
    with pytest.raises(ValueError):
        json_number(Fraction(1, 3))
    assert Rat(Fraction(1, 3)).latex() == r"\frac{1}{3}"
