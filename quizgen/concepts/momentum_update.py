"""One SGD-with-momentum step: ``v' = β v + g`` (PyTorch's form) or, ``dampened``,
``v' = β v + (1 − β) g`` (an exponential moving average), then ``θ' = θ − η v'``.

With the extra keys ``theta0`` and ``grads`` the question starts from ``v = 0`` one step earlier
and the student first finds ``θ`` and ``v`` (the ``theta``/``velocity`` in the parameters).
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

_V = r"(?:v|\\nu|V)"
_COEF = r"(?:\\beta|\\mu|\\gamma|\\rho|\\alpha|0\.9)"
_GRAD = r"(?:g|\\nabla[^=]*|\\frac\{\\partial)"
# v_t = μ v_{t−1} + g_t, v_t = β v_{t−1} + (1 − β) g_t, v ← γv + η∇J (any step index).
_VELOCITY = lazy_pattern(
    rf"^{_V}_(?:\{{?t\}}?|\{{t\+1\}})(?:=|\\leftarrow){_COEF}{_V}_(?:\{{?t-1\}}?|\{{?t\}}?)"
    rf"[+-](?:\(1-{_COEF}\)|\\eta|\\alpha|\\epsilon)?{_GRAD}"
)
_STEP = lazy_pattern(r"^\\theta_(?:\{t\+1\}|\{?t\}?)(?:=|\\leftarrow)\\theta_(?:\{?t\}?|\{t-1\})"
                     rf"[-+](?:\\eta|\\alpha|\\epsilon)?{_V}_(?:\{{?t\}}?|\{{t\+1\}})$")
_ADAPTIVE = ("adam", "rmsprop", "adagrad", "二阶矩", "second moment")


def recognise(latex: str, context: str) -> bool:
    s = compact(latex).rstrip(".,;")
    if context_has(context, *_ADAPTIVE) or "^2" in s or "^{2}" in s:
        return False  # Adam's moment estimates share the shape of a velocity
    return bool(_VELOCITY.match(s) or _STEP.match(s))


BETAS = (Fraction(9, 10), Fraction(1, 2), Fraction(8, 10), Fraction(99, 100))
LRS = (Fraction(1, 10), Fraction(1, 5), Fraction(1, 2), Fraction(1, 4))


def velocity(beta: Fraction, v: Fraction, g: Fraction, dampened: bool) -> Fraction:
    return beta * v + ((1 - beta) * g if dampened else g)


def sample(rng: random.Random) -> Params | None:
    beta, lr = rng.choice(BETAS), rng.choice(LRS)
    dampened = rng.random() < 0.35
    # θ of the same order as the step η·v, so the options differ in what the step does.
    g = Fraction(rng.randint(-30, 30), 10)
    if rng.random() < 0.5:
        theta0, g0 = Fraction(rng.randint(-10, 10), 10), Fraction(rng.randint(-30, 30), 10)
        v = velocity(beta, Fraction(0), g0, dampened)
        theta = theta0 - lr * v
        extra: dict[str, Any] = {"theta0": json_number(theta0), "grads": [json_number(g0),
                                                                          json_number(g)]}
    else:
        theta, v = Fraction(rng.randint(-10, 10), 10), Fraction(rng.randint(-30, 30), 10)
        extra = {}
    if g == 0 or v == 0:
        return None
    try:
        return {"theta": json_number(theta), "velocity": json_number(v), "grad": json_number(g),
                "beta": json_number(beta), "lr": json_number(lr), "dampened": dampened, **extra}
    except ValueError:
        return None


def solve(params: Mapping[str, Any]) -> Solution:
    theta, v, g, beta, lr = (fraction_of(params[k])
                             for k in ("theta", "velocity", "grad", "beta", "lr"))
    dampened = params["dampened"]
    if not isinstance(dampened, bool) or not 0 <= beta < 1 or lr <= 0:
        raise ValueError("need 0 ≤ beta < 1, lr > 0 and dampened true/false")
    v_new = velocity(beta, v, g, dampened)
    answer = Rat(theta - lr * v_new)
    # Second route: the update expanded into its momentum part and its fresh-gradient part.
    fresh = (1 - beta) * g if dampened else g
    cross = Rat(theta - lr * beta * v - lr * fresh)
    distractors: list[tuple[str, Value]] = [
        ("momentum_ignored", Rat(theta - lr * g)),
        ("added_instead_of_subtracted", Rat(theta + lr * v_new)),
        ("old_velocity_used", Rat(theta - lr * v)),
        ("other_velocity_convention", Rat(theta - lr * velocity(beta, v, g, not dampened))),
        ("beta_on_the_gradient", Rat(theta - lr * (v + beta * g))),
    ]
    bs, ls = fmt.num(params["beta"]), fmt.num(params["lr"])
    rule = (r"v_t=\beta v_{t-1}+(1-\beta)g_t" if dampened else r"v_t=\beta v_{t-1}+g_t")
    grads = params.get("grads")
    if isinstance(grads, list) and len(grads) == 2 and "theta0" in params:
        start = (rf"从 \(\theta_0={fmt.num(params['theta0'])}\)、\(v_0=0\) 出发，"
                 rf"前两步的梯度依次为 \(g_1={fmt.num(grads[0])}\)，\(g_2={fmt.num(grads[1])}\)。"
                 r"两步之后 \(\theta_2\) 是多少？")
        now, before = "2", "1"
        first = (rf"第一步 \(v_1={fmt.with_approx(Rat(v))}\)，"
                 rf"\(\theta_1={fmt.with_approx(Rat(theta))}\)；")
    else:
        start = (rf"当前 \(\theta_{{t-1}}={fmt.num(params['theta'])}\)，"
                 rf"\(v_{{t-1}}={fmt.num(params['velocity'])}\)，"
                 rf"新梯度 \(g_t={fmt.num(params['grad'])}\)。更新后的 \(\theta_t\) 是多少？")
        first, now, before = "", "t", "{t-1}"
    question = (
        rf"动量 SGD：\({rule}\)，\(\theta_t=\theta_{{t-1}}-\eta v_t\)，\(\beta={bs}\)，"
        rf"\(\eta={ls}\)。{start}"
    )
    explanation = (
        rf"{first}\(v_{now}={fmt.with_approx(Rat(v_new))}\)，"
        rf"\(\theta_{now}=\theta_{before}-\eta v_{now}={fmt.num(json_number(theta))}-{ls}\times "
        rf"{fmt.factor(json_number(v_new))}="
        rf"{fmt.with_approx(answer)}\)。动量把历史梯度按 \(\beta\) 指数衰减地累积："
        rf"方向一致时步子越走越大"
        + (r"（有效步长约放大 \(\frac{1}{1-\beta}\) 倍）" if not dampened else "")
        + r"，来回震荡的分量相互抵消。"
    )
    return Solution(
        answer=answer,
        cross_check=cross,
        distractors=tuple(distractors),
        question=question,
        explanation=explanation,
    )


CONCEPT = Concept(
    name="momentum_update",
    title="动量法 (SGD with Momentum)",
    canonical=(
        r"\beta v_{t-1}+g_t",
        r"\beta v_{t-1}+(1-\beta)g_t",
        r"\theta_t-\eta v_t",
        r"\mu v_{t-1}-\eta g_t",  # Sutskever et al.: the learning rate inside the velocity …
        r"\theta_t+v_t",  # … and the step added
    ),
    recognise=recognise,
    sample=sample,
    solve=solve,
)
