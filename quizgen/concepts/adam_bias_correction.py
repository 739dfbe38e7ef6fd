"""Adam's bias correction: ``m̂_t = m_t / (1 − β^t)`` for a moment average started at 0.

``moment`` is the biased running average at step ``t``. When the extra key ``grads`` is present
the question gives the gradients instead and the student first accumulates
``m_t = β m_{t−1} + (1 − β) g_t`` from ``m_0 = 0`` (``moment`` is that value); ``which`` says
whether it is the first moment or the second (``grads`` then hold ``g_t²``).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import quizgen.concepts.format as fmt
from quizgen.concepts.base import Concept, Params, Solution
from quizgen.concepts.exact import Rat, Value, fraction_of, json_number
from quizgen.concepts.shapes import compact, fractions
from quizgen.patterns import lazy_pattern

_MOMENT = lazy_pattern(r"^(?:m|v|s|M|V)(?:_\{?t\}?|_t)$|^\\(?:mathbf|boldsymbol)\{[mvs]\}_\{?t\}?$")
_ONE_MINUS_POWER = lazy_pattern(r"^1-\\beta(?:_\{?\d\}?|_\d)?\^\{?t\}?$")


def recognise(latex: str, context: str) -> bool:
    s = compact(latex)
    return any(_MOMENT.match(num) and _ONE_MINUS_POWER.match(den) for num, den in fractions(s))


FIRST = (Fraction(9, 10), Fraction(8, 10), Fraction(1, 2))
SECOND = (Fraction(99, 100), Fraction(999, 1000))


def accumulate(beta: Fraction, grads: list[Fraction]) -> Fraction:
    """``m_t`` from ``m_0 = 0`` by the moving-average recursion."""
    m = Fraction(0)
    for g in grads:
        m = beta * m + (1 - beta) * g
    return m


def sample(rng: random.Random) -> Params | None:
    second = rng.random() < 0.3
    beta = rng.choice(SECOND if second else FIRST)
    t = rng.randint(1, 3) if rng.random() < 0.6 else rng.randint(1, 10)
    if t <= 3 and rng.random() < 0.6:
        # Give the gradients: the student accumulates the average, then corrects it.
        grads = [Fraction(rng.randint(1 if second else -5, 8), 10) for _ in range(t)]
        if second:
            grads = [g * g for g in grads]
        m = accumulate(beta, grads)
        if m == 0:
            return None
        try:
            return {"beta": json_number(beta), "t": t, "moment": json_number(m),
                    "grads": [json_number(g) for g in grads],
                    "which": "second" if second else "first"}
        except ValueError:
            return None
    g = Fraction(rng.randint(1, 9), 10) * (1 if second or rng.random() < 0.7 else -1)
    typical = g * g if second else g
    # Half the time the history was a constant gradient, so the corrected value is exactly it.
    factor = 1 if rng.random() < 0.5 else rng.choice((Fraction(1, 2), Fraction(3, 2), 2))
    m = (1 - beta**t) * typical * factor
    try:
        return {"beta": json_number(beta), "t": t, "moment": json_number(m),
                "which": "second" if second else "first"}
    except ValueError:
        return None


def solve(params: Mapping[str, Any]) -> Solution:
    beta, m = fraction_of(params["beta"]), fraction_of(params["moment"])
    t = params["t"]
    if not isinstance(t, int) or isinstance(t, bool) or t < 1 or not 0 < beta < 1:
        raise ValueError("t must be a positive step number and 0 < beta < 1")
    bias = 1 - beta**t
    answer = Rat(m / bias)
    # Second route: 1 − β^t = (1 − β)(1 + β + … + β^{t−1}), the weights' total after t steps.
    weights = sum((beta**i for i in range(t)), Fraction(0)) * (1 - beta)
    cross = Rat(m / weights)
    distractors: list[tuple[str, Value]] = [
        ("no_bias_correction", Rat(m)),
        ("multiplied_instead_of_divided", Rat(m * bias)),
        ("beta_not_raised_to_t", Rat(m / (1 - beta))),
        ("divided_by_beta_power", Rat(m / beta**t)),
    ]
    if t > 1:
        distractors.append(("power_t_minus_1", Rat(m / (1 - beta ** (t - 1)))))
    second = params.get("which") == "second"
    sym, b_sym = (r"v", r"\beta_2") if second else (r"m", r"\beta_1")
    bs, ms = fmt.num(params["beta"]), fmt.num(params["moment"])
    grads = params.get("grads")
    if isinstance(grads, list) and grads:
        label = r"g_t^2" if second else r"g_t"
        seq = ", ".join(fmt.num(g) for g in grads)
        given = (rf"前 {t} 步的 \({label}\) 依次为 \({seq}\)，\({sym}_0=0\)，"
                 rf"\({sym}_t={b_sym} {sym}_{{t-1}}+(1-{b_sym}){label}\)")
        steps = rf"先累积得 \({sym}_{{{t}}}={fmt.with_approx(Rat(m))}\)，再"
    else:
        given = rf"第 \(t={t}\) 步时的滑动平均 \({sym}_{{{t}}}={ms}\)"
        steps = ""
    moment = "二阶矩（梯度平方）" if second else "一阶矩（梯度）"
    question = (
        rf"Adam 用零初始化的指数滑动平均估计梯度的{moment}，\({b_sym}={bs}\)。{given}。"
        rf"偏差修正后的 \(\hat{{{sym}}}_{{{t}}}=\frac{{{sym}_t}}{{1-{b_sym}^t}}\) 是多少？"
    )
    explanation = (
        rf"{steps}除以 \(1-{b_sym}^{{{t}}}={fmt.with_approx(Rat(bias))}\)："
        rf"\(\hat{{{sym}}}_{{{t}}}={fmt.with_approx(answer)}\)。滑动平均从 0 开始，"
        rf"前几步的权重之和只有 "
        rf"\(1-{b_sym}^t\)，估计值偏向 0；除以它正好补回来，\(t\) 大时修正趋于 1。"
    )
    return Solution(
        answer=answer,
        cross_check=cross,
        distractors=tuple(distractors),
        question=question,
        explanation=explanation,
        invariants=(("|m̂| ≥ |m|", abs(answer.q) >= abs(m)),
                    ("moment matches the gradients", not isinstance(grads, list)
                     or accumulate(beta, [fraction_of(g) for g in grads]) == m)),
    )


CONCEPT = Concept(
    name="adam_bias_correction",
    title="Adam 偏差修正 (Adam Bias Correction)",
    canonical=(r"\frac{m_t}{1-\beta^t}", r"\frac{m_t}{1-\beta_1^t}"),
    recognise=recognise,
    sample=sample,
    solve=solve,
)
