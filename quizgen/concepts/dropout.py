"""Dropout with keep probability ``p``.

Two question types, told apart by the parameters:

* ``{"p_keep": p, "x": x}`` – standard dropout: the expected training output of a unit whose
  output is ``x`` is ``E = p·x + 0·(1−p) = p·x`` (so test time multiplies by ``p``).
* ``{"p_keep": p, "x": x, "inverted": true}`` – inverted dropout: a kept unit is scaled during
  training so that the expectation stays ``x``; the value it outputs is ``x / p``.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import quizgen.concepts.format as fmt
from quizgen.concepts.base import Concept, Params, Solution
from quizgen.concepts.exact import Rat, Value, fraction_of, json_number
from quizgen.concepts.shapes import compact, context_has

_EXPECTATION = re.compile(
    r"([a-z])([a-z])\+0\(1-\1\)|0\(1-([a-z])\)\+\3[a-z]"
    # inverted dropout: E[x̃] = p·(x/p) + 0·(1−p)
    r"|([a-z])\\frac\{[a-z]\}\{\4\}\+0\(1-\4\)"
)
_SCALED = re.compile(r"^[a-z](?:'|\^\{?\\prime\}?)=\\frac\{[a-z]\}\{(?:1-)?[a-z]\}")
KEEP = (Fraction(1, 2), Fraction(3, 5), Fraction(7, 10), Fraction(3, 4), Fraction(4, 5),
        Fraction(9, 10))


# h' = 0 with probability p, h/(1-p) otherwise (d2l's inverted dropout, written as cases)
_CASES = re.compile(r"^(?:\\begin\{aligned\})?[a-z](?:'|\^\{?\\prime\}?)=\\begin\{cases\}0&.*"
                    r"\\frac\{[a-z]\}\{(?:1-)?[a-z]\}&")


def recognise(latex: str, context: str) -> bool:
    s = compact(latex).replace(r"\cdot", "")
    if _EXPECTATION.search(s) or _CASES.match(s):  # both shapes are dropout's alone
        return True
    return context_has(context, "dropout", "丢弃", "暂退") and bool(_SCALED.match(s))


def sample(rng: random.Random) -> Params | None:
    p = rng.choice(KEEP)
    if rng.random() < 0.35:
        out = Fraction(rng.choice((1, 2, 3, 4, 5, 6, 8, 10)))
        x = out * p
        return {"p_keep": json_number(p), "x": json_number(x), "inverted": True}
    x = rng.choice((Fraction(rng.randint(1, 10)), Fraction(rng.randint(1, 9), 2)))
    return {"p_keep": json_number(p), "x": json_number(x)}


def solve(params: Mapping[str, Any]) -> Solution:
    p = fraction_of(params["p_keep"])
    x = fraction_of(params["x"])
    if not 0 < p < 1:
        raise ValueError("p_keep must lie strictly between 0 and 1")
    inverted = params.get("inverted", False) is True
    ps, xs = fmt.num(params["p_keep"]), fmt.num(params["x"])
    # Second route: enumerate the Bernoulli mask {kept: p, dropped: 1 − p}.
    outcomes = ((p, Fraction(1)), (1 - p, Fraction(0)))
    distractors: tuple[tuple[str, Value], ...]
    invariants: tuple[tuple[str, bool], ...]
    if inverted:
        answer = Rat(x / p)
        # The kept value v is defined by E[mask·v] = x; solve the enumerated expectation for v.
        weight = sum((prob * mask for prob, mask in outcomes), Fraction(0))
        cross = Rat(x / weight)
        expectation = sum((pr * m * answer.q for pr, m in outcomes), Fraction(0))
        invariants = (("E[mask · x/p] = x", expectation == x),)
        distractors = (
            ("no_inverse_scaling", Rat(x)),
            ("multiplied_by_p", Rat(p * x)),
            ("used_drop_rate", Rat(x / (1 - p))),
            ("scaled_by_drop_rate", Rat((1 - p) * x)),
        )
        question = (
            rf"使用 inverted dropout（训练时把保留的神经元输出除以保留概率，测试时不再缩放），"
            rf"保留概率 \(p={ps}\)。某神经元的输出为 \(x={xs}\) 且本次被保留，"
            rf"训练时它实际输出多少？"
        )
        explanation = (
            rf"保留时输出 \(x/p\)，这样 \(E=p\cdot\frac{{x}}{{p}}+0\cdot(1-p)=x\)，测试时无需缩放："
            rf"\(\frac{{{xs}}}{{{ps}}}={fmt.with_approx(answer)}\)。"
        )
    else:
        answer = Rat(p * x)
        cross = Rat(sum((prob * mask * x for prob, mask in outcomes), Fraction(0)))
        invariants = ()
        distractors = (
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
        invariants=invariants,
    )


CONCEPT = Concept(
    name="dropout",
    title="Dropout",
    canonical=(r"p x", r"\frac{x}{p}"),
    recognise=recognise,
    sample=sample,
    solve=solve,
)
