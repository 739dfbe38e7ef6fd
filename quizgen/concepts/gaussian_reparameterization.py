"""The Gaussian reparameterisation trick: ``z = μ + σ·ε`` with ``ε ~ N(0, 1)``.

With the extra key ``variance`` the encoder is said to output ``σ²`` (as VAEs often do), so the
student must take its square root first; ``sigma`` is that root.
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

_SIGMA_EPS = (r"(?:\\sigma(?:_\{?\w+\}?)?(?:\\odot|\\circ)?\\(?:var)?epsilon(?:_\{?\w+\}?)?"
              r"|\\(?:var)?epsilon(?:_\{?\w+\}?)?(?:\\odot|\\circ)?\\sigma(?:_\{?\w+\}?)?)")
_REPARAM = lazy_pattern(rf"^(?:[a-z]|\\tilde\{{[a-z]\}})(?:_\{{?\w+\}}?)?(?:\^\{{\(\w+\)\}})?="
                        rf"\\mu(?:_\{{?\w+\}}?)?\+{_SIGMA_EPS}(?:,|$)")


def recognise(latex: str, context: str) -> bool:
    return bool(_REPARAM.match(compact(latex).rstrip(".")))


SIGMAS = tuple(Fraction(k, 10) for k in (1, 2, 3, 4, 5, 6, 8, 12, 15, 20, 25))


def sample(rng: random.Random) -> Params | None:
    mu = Fraction(rng.randint(-20, 20), 10)
    sigma = rng.choice(SIGMAS)
    eps = Fraction(rng.randint(-25, 25), 10)
    if eps == 0 or sigma == 1:
        return None
    params: dict[str, Any] = {"mu": json_number(mu), "sigma": json_number(sigma),
                              "eps": json_number(eps)}
    if rng.random() < 0.4:
        params["variance"] = json_number(sigma * sigma)
    return params


def solve(params: Mapping[str, Any]) -> Solution:
    mu, sigma, eps = (fraction_of(params[k]) for k in ("mu", "sigma", "eps"))
    if sigma <= 0:
        raise ValueError("sigma must be positive")
    answer = Rat(mu + sigma * eps)
    # Second route: z is the quantile of N(μ, σ²) that standardises back to ε.
    cross = Rat(sigma * (eps + mu / sigma))
    given_variance = "variance" in params
    distractors: list[tuple[str, Value]] = [
        ("variance_used_as_std", Rat(mu + sigma * sigma * eps)),
        ("sigma_left_out", Rat(mu + eps)),
        ("mu_and_sigma_swapped", Rat(sigma + mu * eps)),
        ("noise_subtracted", Rat(mu - sigma * eps)),
        ("everything_multiplied", Rat(mu * sigma * eps)),
    ]
    ms, es = fmt.num(params["mu"]), fmt.num(params["eps"])
    if given_variance:
        encoder = rf"均值 \(\mu={ms}\) 和方差 \(\sigma^2={fmt.num(params['variance'])}\)"
        root = rf"先开方得 \(\sigma={fmt.num(params['sigma'])}\)，"
    else:
        encoder = rf"均值 \(\mu={ms}\) 和标准差 \(\sigma={fmt.num(params['sigma'])}\)"
        root = ""
    question = (
        rf"VAE 的编码器对某个隐变量输出{encoder}。用重参数技巧 \(z=\mu+\sigma\varepsilon\) 采样，"
        rf"本次从 \(\mathcal{{N}}(0,1)\) 抽到 \(\varepsilon={es}\)。送入解码器的 \(z\) 是多少？"
    )
    explanation = (
        rf"{root}\(z={ms}+{fmt.num(params['sigma'])}\times {fmt.factor(params['eps'])}"
        rf"={fmt.with_approx(answer)}\)。随机性全在与参数无关的 \(\varepsilon\) 里，"
        r"所以 \(\partial z/\partial\mu=1\)、\(\partial z/\partial\sigma=\varepsilon\)，"
        r"梯度能穿过采样传回编码器。"
    )
    return Solution(
        answer=answer,
        cross_check=cross,
        distractors=tuple(distractors),
        question=question,
        explanation=explanation,
        invariants=(("(z − μ)/σ = ε", (answer.q - mu) / sigma == eps),),
    )


CONCEPT = Concept(
    name="gaussian_reparameterization",
    title="高斯重参数 (Gaussian Reparameterization)",
    canonical=(r"\mu+\sigma\epsilon", r"\mu_j+\sigma_j\epsilon_j"),
    recognise=recognise,
    sample=sample,
    solve=solve,
)
