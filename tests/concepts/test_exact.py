"""The exact number fields used for answers and cross-checks."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from quizgen.concepts.exact import (
    ExpFrac,
    LogExp,
    LogLin,
    Rat,
    RatLog,
    Surd,
    exp_add,
    exp_term,
    fraction_of,
    json_number,
)


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


def test_surd_is_canonical_across_routes() -> None:
    # √(1/8)·√2 = 1/2 and (13/50)^(-1/2) = 5√26/13: products of radicals reduce to one form.
    assert (Surd.power(Fraction(1, 8), Fraction(1, 2)) * Surd.power(Fraction(2), Fraction(1, 2))
            ).rational() == Fraction(1, 2)
    a = Surd.power(Fraction(13, 50), Fraction(-1, 2))
    assert a == Surd.rat(Fraction(5, 13)) * Surd.power(Fraction(26), Fraction(1, 2))
    assert a.latex() == r"\frac{5}{13}\sqrt{26}"
    assert math.isclose(a.to_float(), (50 / 13) ** 0.5)
    assert Surd.power(Fraction(1, 64), Fraction(-1, 3)).rational() == 4
    assert Surd.prime_power({2: Fraction(5, 3)}).latex() == r"2\sqrt[3]{4}"


def test_surd_and_rat_compare_exactly() -> None:
    assert Surd.rat(Fraction(3, 4)).exact_equal(Rat(Fraction(3, 4)))
    assert not (Surd.power(Fraction(2), Fraction(1, 2)) - Surd.rat(Fraction(1))).exact_equal(
        Rat(Fraction(2, 5)))


def test_log_sum_exp_folds_its_offset() -> None:
    s = exp_add(exp_term(Fraction(0)), exp_term(Fraction(-3)))
    shifted = exp_add(exp_term(Fraction(2)), exp_term(Fraction(-1)))
    assert LogExp.of(s, Fraction(2)) == LogExp.of(shifted)
    assert LogExp.of(s, Fraction(2)).exact_equal(LogExp.of(shifted))
    assert math.isclose(LogExp.of(shifted).to_float(), math.log(math.e**2 + math.e**-1))
    assert LogExp.of(s).scaled(Fraction(2)).exact_equal(LogExp.of(s)) is None


def test_ratlog_gathers_its_logs_in_one_argument() -> None:
    v = RatLog(Fraction(139, 200), -LogLin.ln(Fraction(6, 5)))
    assert v.latex() == r"0.695-\ln 1.2"
    assert math.isclose(v.to_float(), 0.695 - math.log(1.2))
    assert v == RatLog(Fraction(139, 200), LogLin.ln(Fraction(5)) - LogLin.ln(Fraction(6)))
    with pytest.raises(ValueError):
        RatLog(Fraction(0), LogLin.ln(Fraction(2), 2))


@pytest.mark.parametrize(
    ("q", "shown"),
    [
        (Fraction(20, 13), "\\log_{2} \\frac{20}{13}"),  # not 2-\log_{2} 2.6
        (Fraction(8, 3), "\\log_{2} \\frac{8}{3}"),
        (Fraction(1, 8), "-3"),
        (Fraction(3), "\\log_{2} 3"),
    ],
)
def test_a_base_two_log_keeps_its_whole_part_inside_a_small_argument(
    q: Fraction, shown: str
) -> None:
    value = LogLin.ln(q, 2)
    assert value.latex() == shown
    assert math.isclose(value.to_float(), math.log2(q))
