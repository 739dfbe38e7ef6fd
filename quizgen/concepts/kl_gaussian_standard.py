"""KL divergence of a diagonal Gaussian from the standard normal prior (the VAE regulariser):
``D_KL(N(μ, diag σ²) ‖ N(0, I)) = ½ Σ_j (μ_j² + σ_j² − ln σ_j² − 1)`` nats.

With the extra key ``variance`` the encoder outputs ``σ²`` per dimension (``sigma`` holds the
roots), as VAE code usually does.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import quizgen.concepts.format as fmt
from quizgen.concepts.base import Concept, Params, Solution
from quizgen.concepts.exact import LogLin, RatLog, Value, fraction_of, json_number
from quizgen.concepts.shapes import compact
from quizgen.patterns import lazy_pattern

_LOG_VAR = lazy_pattern(r"\\log\(?\(?\\sigma(?:_\{?\w+\}?)?\)?\^\{?2\}?"
                        r"|\\log\\sigma(?:_\{?\w+\}?)?\^\{?2")
_MU_SQ = lazy_pattern(r"\\mu(?:_\{?\w+\}?)?\)?\^\{?2")
_SIGMA_SQ = lazy_pattern(r"(?<!\\log)(?<!\\log\()\\sigma(?:_\{?\w+\}?)?\)?\^\{?2")
_HALF = lazy_pattern(r"\\frac\{1\}\{2\}|0\.5|/2")


def recognise(latex: str, context: str) -> bool:
    s = compact(latex)
    if not (_LOG_VAR.search(s) and _MU_SQ.search(s) and _HALF.search(s)):
        return False
    # σ² outside the log as well, and the constant 1 (1 + log σ² − μ² − σ², or … − 1).
    outside = _SIGMA_SQ.sub("", _LOG_VAR.sub("", s)) != _LOG_VAR.sub("", s)
    return outside and bool(re.search(r"\(1\+|-1\)|-1\]|-1$|\+1\)", s))


SIGMAS = tuple(Fraction(k, 10) for k in (2, 4, 5, 6, 8, 10, 12, 15, 20))


def sample(rng: random.Random) -> Params | None:
    dims = rng.choice((1, 2, 2, 3))
    mu = [Fraction(rng.randint(-15, 15), 10) for _ in range(dims)]
    sigma = [rng.choice(SIGMAS) for _ in range(dims)]
    if all(m == 0 for m in mu) and all(s == 1 for s in sigma):
        return None
    params: dict[str, Any] = {"mu": [json_number(m) for m in mu],
                              "sigma": [json_number(s) for s in sigma]}
    if rng.random() < 0.4:
        params["variance"] = [json_number(s * s) for s in sigma]
    return params


def _kl(mu: list[Fraction], var: list[Fraction], *, half: bool = True, log_of: str = "var",
        minus_one: bool = True, mean_term: bool = True) -> RatLog:
    total = RatLog(Fraction(0))
    for m, v in zip(mu, var, strict=True):
        log = LogLin.ln(v) if log_of == "var" else LogLin.ln(v).scale(Fraction(1, 2))
        total = total + RatLog(m * m * mean_term + v - (1 if minus_one else 0), -log)
    return total.scaled(Fraction(1, 2)) if half else total


def solve(params: Mapping[str, Any]) -> Solution:
    mu = [fraction_of(v) for v in params["mu"]]
    sigma = [fraction_of(v) for v in params["sigma"]]
    if not mu or len(mu) != len(sigma) or any(s <= 0 for s in sigma):
        raise ValueError("mu and sigma must match and sigma be positive")
    var = [s * s for s in sigma]
    answer = _kl(mu, var)
    # Second route: the KL between two univariate Gaussians, summed over the dimensions,
    # ln(σ₂/σ₁) + (σ₁² + (μ₁ − μ₂)²)/(2σ₂²) − ½ with μ₂ = 0, σ₂ = 1.
    cross = RatLog(Fraction(0))
    for m, s in zip(mu, sigma, strict=True):
        cross = cross + RatLog((s * s + m * m) / 2 - Fraction(1, 2), -LogLin.ln(s))
    distractors: list[tuple[str, Value]] = [
        ("no_one_half", _kl(mu, var, half=False)),
        ("log_sigma_not_log_variance", _kl(mu, var, log_of="sigma")),
        ("minus_one_left_out", _kl(mu, var, minus_one=False)),
        ("mean_term_left_out", _kl(mu, var, mean_term=False)),
        ("std_used_as_variance", _kl(mu, sigma)),
    ]
    dims = len(mu)
    mus = fmt.vector(params["mu"])
    if "variance" in params:
        given = rf"\(\mu={mus}\)，方差 \(\sigma^2={fmt.vector(params['variance'])}\)"
    else:
        given = rf"\(\mu={mus}\)，标准差 \(\sigma={fmt.vector(params['sigma'])}\)"
    question = (
        rf"VAE 的编码器对一个样本输出 {dims} 维对角高斯 \(q(z\mid x)\)：{given}。先验为 "
        r"\(\mathcal{N}(0,I)\)。求 KL 正则项 "
        r"\(D_{KL}=\frac{1}{2}\sum_j\left(\mu_j^2+\sigma_j^2-\ln\sigma_j^2-1\right)\)（单位 nat）。"
    )
    terms = "+".join(
        rf"({fmt.factor(m)}^2+{fmt.num(v)}-\ln {fmt.num(v)}-1)" for m, v in
        zip(params["mu"], [json_number(v) for v in var], strict=True)
    )
    explanation = (
        rf"\(D_{{KL}}=\frac{{1}}{{2}}\left[{terms}\right]={fmt.with_approx(answer)}\)。"
        r"每一维在 \(\mu_j=0,\sigma_j=1\) 时贡献 0：这一项把后验拉向先验，"
        r"\(\mu\) 偏离 0 或 \(\sigma\) 偏离 1 "
        r"都会受罚。"
    )
    return Solution(
        answer=answer,
        cross_check=cross,
        distractors=tuple(distractors),
        question=question,
        explanation=explanation,
        invariants=(("KL > 0 unless μ = 0, σ = 1", answer.to_float() > 0),),
    )


CONCEPT = Concept(
    name="kl_gaussian_standard",
    title="高斯分布与标准正态的 KL 散度 (KL to a Standard Normal)",
    canonical=(
        r"-\frac{1}{2}\left(1+\log\sigma^2-\mu^2-\sigma^2\right)",
        r"\frac{1}{2}\sum_{j}\left(\mu_j^2+\sigma_j^2-\log\sigma_j^2-1\right)",
        r"-\frac{1}{2}\sum_{j}\left(1+\log\sigma_j^2-\mu_j^2-\sigma_j^2\right)",
    ),
    recognise=recognise,
    sample=sample,
    solve=solve,
)
