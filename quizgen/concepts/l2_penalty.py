"""L2 regularisation (weight decay) penalty: ``(λ/2)·Σ_i w_i²`` (``half``) or ``λ·Σ_i w_i²``.

The ``½`` convention is the one whose gradient is ``λw`` (the decay a framework applies); the
question says which convention the loss uses, as notes and papers do.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import quizgen.concepts.format as fmt
from quizgen.concepts.base import Concept, Params, Solution
from quizgen.concepts.exact import Rat, Surd, Value, fraction_of, json_number
from quizgen.concepts.shapes import compact, context_has
from quizgen.patterns import lazy_pattern

_LAMBDA = r"(?:\\lambda|\\alpha|\\beta)"
_COEF = rf"(?:\\frac\{{{_LAMBDA}\}}\{{2\}}|\\frac\{{1\}}\{{2\}}{_LAMBDA}|{_LAMBDA})"
_W = r"(?:w|W|\\theta|\\omega)"
_SQUARED_NORM = rf"\\\|{_W}\\\|(?:_\{{?2\}}?)?\^\{{?2\}}?"
_SUM_OF_SQUARES = (rf"\\sum(?:_\{{[^{{}}]*\}}|_\w)?(?:\^\{{[^{{}}]*\}}|\^\w)?"
                   rf"{_W}_(?:\{{\w+\}}|\w)\^\{{?2\}}?")
_PENALTY = lazy_pattern(rf"{_COEF}(?:{_SQUARED_NORM}|{_SUM_OF_SQUARES})")
_NAMES = ("l2", "正则", "regulari", "weight decay", "权重衰减", "ridge", "岭回归")


def recognise(latex: str, context: str) -> bool:
    s = compact(latex)
    if not _PENALTY.search(s):
        return False
    # λ‖w‖² is specific to weight decay; α‖w‖² or β‖w‖² only under a matching heading.
    return bool(re.search(r"\\lambda", s)) or context_has(context, *_NAMES)


def sample(rng: random.Random) -> Params | None:
    n = rng.choice((2, 3, 3, 4))
    weights = [Fraction(rng.randint(-6, 6), rng.choice((2, 10))) for _ in range(n)]
    if not any(weights):
        return None
    lam = rng.choice((Fraction(1, 10), Fraction(1, 100), Fraction(1, 2), Fraction(1),
                      Fraction(1, 1000), Fraction(2, 10)))
    return {"weights": [json_number(w) for w in weights], "lambda": json_number(lam),
            "half": rng.random() < 0.6}


def solve(params: Mapping[str, Any]) -> Solution:
    ws = [fraction_of(v) for v in params["weights"]]
    lam = fraction_of(params["lambda"])
    half = params["half"]
    if not ws or lam <= 0 or not isinstance(half, bool):
        raise ValueError("need weights, lambda > 0 and half true/false")
    squares = sum((w * w for w in ws), Fraction(0))
    coef = lam / 2 if half else lam
    answer = Rat(coef * squares)
    # Second route: Euler's theorem for a degree-2 form, P = ½ Σ w_j ∂P/∂w_j.
    grad = [2 * coef * w for w in ws]
    cross = Rat(sum((w * g for w, g in zip(ws, grad, strict=True)), Fraction(0)) / 2)
    l1 = sum((abs(w) for w in ws), Fraction(0))
    distractors: list[tuple[str, Value]] = [
        ("half_convention_confused", Rat((lam if half else lam / 2) * squares)),
        ("l1_instead_of_l2", Rat(coef * l1)),
        ("norm_not_squared", Surd.rat(coef) * Surd.power(squares, Fraction(1, 2))),
        ("square_of_sum", Rat(coef * sum(ws, Fraction(0)) ** 2)),
        ("lambda_left_out", Rat(squares / 2 if half else squares)),
    ]
    lam_s = fmt.num(params["lambda"])
    term = r"\frac{\lambda}{2}\|w\|_2^2" if half else r"\lambda\|w\|_2^2"
    question = (
        rf"训练时在损失上加 L2 正则项 \({term}\)（\(\lambda={lam_s}\)）。当前权重 "
        rf"\(w={fmt.vector(params['weights'])}\)，正则项的值是多少？"
    )
    squares_tex = "+".join(rf"({fmt.num(v)})^2" if fraction_of(v) < 0 else rf"{fmt.num(v)}^2"
                           for v in params["weights"])
    coef_tex = r"\frac{\lambda}{2}" if half else r"\lambda"
    grad_note = (
        r"这种写法的梯度恰好是 \(\lambda w\)，即每步把权重按比例缩小（权重衰减）。" if half else
        r"它的梯度是 \(2\lambda w\)；"
        r"很多框架的 weight_decay 对应 \(\frac{\lambda}{2}\|w\|^2\) 的写法。"
    )
    explanation = (
        rf"\(\|w\|_2^2={squares_tex}={fmt.with_approx(Rat(squares))}\)，乘以 \({coef_tex}\) 得 "
        rf"\({fmt.with_approx(answer)}\)。" + grad_note
    )
    return Solution(
        answer=answer,
        cross_check=cross,
        distractors=tuple(distractors),
        question=question,
        explanation=explanation,
        invariants=(("penalty ≥ 0", answer.q >= 0),),
    )


CONCEPT = Concept(
    name="l2_penalty",
    title="L2 正则 (L2 Regularization)",
    canonical=(
        r"\frac{\lambda}{2}\sum_{i}w_i^2",
        r"\lambda\sum_{i}w_i^2",
        r"\frac{\lambda}{2}\|w\|^2",
        r"\lambda\|w\|^2",
    ),
    recognise=recognise,
    sample=sample,
    solve=solve,
    up_to_scale=True,  # λ or λ/2 before the norm: a convention
)
