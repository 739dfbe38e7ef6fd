"""Sigmoid (logistic) function: ``σ(x) = 1 / (1 + e^{-x})``."""

from __future__ import annotations

import random
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import quizgen.concepts.format as fmt
from quizgen.concepts.base import Concept, Params, Solution
from quizgen.concepts.exact import ExpFrac, exp_add, exp_mul, exp_term, fraction_of
from quizgen.concepts.shapes import compact, exp_argument, fractions
from quizgen.patterns import lazy_pattern

_ONE = exp_term(Fraction(0))
_MINUS_ONE = exp_term(Fraction(0), Fraction(-1))
_VAR = lazy_pattern(r"\\?[A-Za-z]+(?:_(?:\{\w+\}|\w))?")


def recognise(latex: str, context: str) -> bool:
    s = compact(latex)
    for num, den in fractions(s):
        for one, rest in (("1+", den[2:]), ("+1", den[:-2])):
            if not (den.startswith(one) if one == "1+" else den.endswith(one)):
                continue
            arg = exp_argument(rest)
            if arg is None:
                continue
            if num == "1" and arg.startswith("-") and _VAR.fullmatch(arg[1:].strip("()")):
                return True
            if exp_argument(num) == arg and _VAR.fullmatch(arg):
                return True
    return False


def sample(rng: random.Random) -> Params | None:
    if rng.random() < 0.7:
        x: int | float = rng.choice((-5, -4, -3, -2, -1, 1, 2, 3, 4, 5))
    else:
        x = rng.choice((-3.5, -2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5))
    return {"x": x}


def _sigma(x: Fraction) -> ExpFrac:
    return ExpFrac(_ONE, exp_add(_ONE, exp_term(-x)))


def solve(params: Mapping[str, Any]) -> Solution:
    x = fraction_of(params["x"])
    answer = _sigma(x)
    # Second route: σ(x) = (1 + tanh(x/2)) / 2 with tanh(t) = (e^t − e^{−t}) / (e^t + e^{−t}).
    t = x / 2
    th_num = exp_add(exp_term(t), exp_term(-t, Fraction(-1)))
    th_den = exp_add(exp_term(t), exp_term(-t))
    via_tanh = ExpFrac(exp_add(th_den, th_num), exp_mul(th_den, exp_term(Fraction(0), Fraction(2))))
    symmetric = exp_add(exp_mul(answer.num, _sigma(-x).den), exp_mul(_sigma(-x).num, answer.den))
    tanh_x = ExpFrac(exp_add(exp_term(2 * x), _MINUS_ONE), exp_add(exp_term(2 * x), _ONE))
    den = exp_add(_ONE, exp_term(-x))
    distractors = (
        ("sign_flip_exponent", ExpFrac(_ONE, exp_add(_ONE, exp_term(x)))),
        ("no_one_plus", ExpFrac(exp_term(x))),
        ("tanh_instead", tanh_x),
        ("derivative_instead", ExpFrac(exp_term(-x), exp_mul(den, den))),
        ("minus_in_denominator", ExpFrac(_ONE, exp_add(_ONE, exp_term(-x, Fraction(-1))))),
    )
    xs = fmt.num(params["x"])
    question = rf"Sigmoid 函数 \(\sigma(x)=\frac{{1}}{{1+e^{{-x}}}}\)。求 \(\sigma({xs})\)。"
    explanation = (
        rf"代入 \(x={xs}\)：\(\sigma({xs})=\frac{{1}}{{1+e^{{{fmt.num(-x)}}}}}"
        rf"={fmt.with_approx(answer)}\)。注意指数是 \(-x\)，且 \(\sigma(x)+\sigma(-x)=1\)。"
    )
    return Solution(
        answer=answer,
        cross_check=via_tanh,
        distractors=distractors,
        question=question,
        explanation=explanation,
        invariants=(("σ(x) + σ(−x) = 1", symmetric == exp_mul(answer.den, _sigma(-x).den)),),
    )


CONCEPT = Concept(
    name="sigmoid",
    title="Sigmoid",
    canonical=(r"\frac{1}{1+e^{-x}}",),
    recognise=recognise,
    sample=sample,
    solve=solve,
)
