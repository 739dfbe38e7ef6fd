"""Standard dropout with keep probability ``p``: no scaling during training, so the expected
training output of a unit whose output is ``x`` is ``E = p·x + 0·(1−p) = p·x`` (and test time
multiplies by ``p``). A unit scaled during training instead is
:mod:`quizgen.concepts.inverted_dropout`: a note teaches one of the two, and its drills follow it.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import quizgen.concepts.format as fmt
from quizgen.concepts.base import Concept, Params, Solution
from quizgen.concepts.exact import Rat, Value, fraction_of, json_number
from quizgen.concepts.shapes import compact
from quizgen.patterns import lazy_pattern

_EXPECTATION = lazy_pattern(r"([a-z])([a-z])\+0\(1-\1\)|0\(1-([a-z])\)\+\3[a-z]")
KEEP = (Fraction(1, 2), Fraction(3, 5), Fraction(7, 10), Fraction(3, 4), Fraction(4, 5),
        Fraction(9, 10))


def recognise(latex: str, context: str) -> bool:
    return bool(_EXPECTATION.search(compact(latex)))  # the expectation is dropout's alone


def sample(rng: random.Random) -> Params:
    p = rng.choice(KEEP)
    x = rng.choice((Fraction(rng.randint(1, 10)), Fraction(rng.randint(1, 9), 2)))
    return {"p_keep": json_number(p), "x": json_number(x)}


def solve(params: Mapping[str, Any]) -> Solution:
    p = fraction_of(params["p_keep"])
    x = fraction_of(params["x"])
    if not 0 < p < 1:
        raise ValueError("p_keep must lie strictly between 0 and 1")
    ps, xs = fmt.num(params["p_keep"]), fmt.num(params["x"])
    # Second route: enumerate the Bernoulli mask {kept: p, dropped: 1 − p}.
    outcomes = ((p, Fraction(1)), (1 - p, Fraction(0)))
    answer = Rat(p * x)
    cross = Rat(sum((prob * mask * x for prob, mask in outcomes), Fraction(0)))
    distractors: tuple[tuple[str, Value], ...] = (
        ("forgot_keep_scaling", Rat(x)),
        ("used_drop_rate", Rat((1 - p) * x)),
        ("divided_by_p", Rat(x / p)),
        ("divided_by_drop_rate", Rat(x / (1 - p))),
    )
    question = (
        rf"训练时每个神经元以概率 \(p={ps}\) 被保留（丢弃率 \(1-p\)），训练时不做缩放。"
        rf"某神经元在 dropout 之前的输出为 \(x={xs}\)，训练时 dropout 之后该输出的期望 "
        rf"\(E\) 是多少？"
    )
    explanation = (
        rf"\(E=p\cdot x+0\cdot(1-p)={ps}\times {xs}={fmt.with_approx(answer)}\)；"
        rf"因此预测阶段要把输出（或权重）乘以 \(p\) 以保持同样的期望。"
    )
    return Solution(
        answer=answer,
        cross_check=cross,
        distractors=distractors,
        question=question,
        explanation=explanation,
    )


CONCEPT = Concept(
    name="dropout",
    title="Dropout",
    canonical=(r"p x",),
    recognise=recognise,
    sample=sample,
    solve=solve,
)
