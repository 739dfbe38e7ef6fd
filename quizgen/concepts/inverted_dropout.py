"""Inverted dropout: a kept unit is scaled during training so that its expectation stays ``x``.

``{"p_drop": d, "x": x}``: with drop rate ``d`` a kept unit outputs ``x / (1 − d)``. The question
states the rate in words, not as ``p``: notes write the same rule as ``h/(1−p)`` (``p`` the drop
rate, d2l) and as ``x/p`` (``p`` the keep probability), and either reader must see their own
formula in it. Standard dropout (no scaling in training, ``E = p·x``) is
:mod:`quizgen.concepts.dropout`: a note teaches one of the two, and its drills follow it.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import quizgen.concepts.format as fmt
from quizgen.concepts.base import Concept, Params, Solution
from quizgen.concepts.exact import Rat, Value, fraction_of, json_number
from quizgen.concepts.shapes import compact, context_has
from quizgen.patterns import lazy_pattern

# E[x̃] = p·(x/p) + 0·(1−p): the expectation of the scaled unit
_EXPECTATION = lazy_pattern(r"([a-z])\\frac\{[a-z]\}\{\1\}\+0\(1-\1\)")
_SCALED = lazy_pattern(r"^[a-z](?:'|\^\{?\\prime\}?)=\\frac\{[a-z]\}\{(?:1-)?[a-z]\}")
# h' = 0 with probability p, h/(1-p) otherwise (d2l's inverted dropout, written as cases)
_CASES = lazy_pattern(r"^(?:\\begin\{aligned\})?[a-z](?:'|\^\{?\\prime\}?)=\\begin\{cases\}0&.*"
                      r"\\frac\{[a-z]\}\{(?:1-)?[a-z]\}&")
DROP = (Fraction(1, 10), Fraction(1, 5), Fraction(1, 4), Fraction(3, 10), Fraction(2, 5),
        Fraction(1, 2))


def recognise(latex: str, context: str) -> bool:
    s = compact(latex)
    if _EXPECTATION.search(s) or _CASES.match(s):  # both shapes are inverted dropout's alone
        return True
    return context_has(context, "dropout", "丢弃", "暂退", "失活") and bool(_SCALED.match(s))


def sample(rng: random.Random) -> Params:
    d = rng.choice(DROP)
    x = rng.choice((Fraction(rng.randint(1, 12)), Fraction(rng.randint(1, 9), 2)))
    return {"p_drop": json_number(d), "x": json_number(x)}


def solve(params: Mapping[str, Any]) -> Solution:
    d = fraction_of(params["p_drop"])
    x = fraction_of(params["x"])
    if not 0 < d < 1:
        raise ValueError("p_drop must lie strictly between 0 and 1")
    keep = 1 - d
    answer = Rat(x / keep)
    # Second route: the kept value v is defined by E[mask·v] = x over the enumerated Bernoulli
    # mask {kept: 1 − d, dropped: d}; solve that expectation for v.
    outcomes = ((keep, Fraction(1)), (d, Fraction(0)))
    weight = sum((prob * mask for prob, mask in outcomes), Fraction(0))
    cross = Rat(x / weight)
    expectation = sum((pr * m * answer.q for pr, m in outcomes), Fraction(0))
    distractors: tuple[tuple[str, Value], ...] = (
        ("no_inverse_scaling", Rat(x)),
        ("multiplied_by_keep_probability", Rat(keep * x)),
        ("divided_by_drop_rate", Rat(x / d)),
        ("multiplied_by_drop_rate", Rat(d * x)),
    )
    ds, ks, xs = fmt.num(params["p_drop"]), fmt.num(json_number(keep)), fmt.num(params["x"])
    question = (
        rf"使用 inverted dropout（训练时把保留下来的神经元输出除以保留概率，测试时不再缩放），"
        rf"丢弃率为 {ds}（每个神经元以 {ks} 的概率被保留）。某神经元的输出为 \(x={xs}\) 且本次被"
        rf"保留，训练时它实际输出多少？"
    )
    explanation = (
        rf"保留时输出 \(x\) 除以保留概率 \(1-{ds}={ks}\)：\(\frac{{{xs}}}{{{ks}}}="
        rf"{fmt.with_approx(answer)}\)。这样期望 \({ks}\cdot\frac{{{xs}}}{{{ks}}}+0\cdot {ds}"
        rf"={xs}\) 与不做 dropout 时相同，测试时无需缩放。"
    )
    return Solution(
        answer=answer,
        cross_check=cross,
        distractors=distractors,
        question=question,
        explanation=explanation,
        invariants=(("E[mask · x/(1-d)] = x", expectation == x),),
    )


CONCEPT = Concept(
    name="inverted_dropout",
    title="反向随机失活 (Inverted Dropout)",
    canonical=(r"\frac{x}{p}", r"\frac{x}{1-p}"),
    recognise=recognise,
    sample=sample,
    solve=solve,
)
