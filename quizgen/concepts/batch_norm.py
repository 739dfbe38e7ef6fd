"""Batch normalisation in training mode, one feature:
``y_i = γ (x_i − μ_B) / √(σ_B² + ε) + β`` with the batch mean ``μ_B`` and the *population*
variance ``σ_B² = (1/m) Σ (x_i − μ_B)²`` of the mini-batch."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import quizgen.concepts.format as fmt
from quizgen.concepts.base import Concept, Params, Solution
from quizgen.concepts.exact import Surd, Value, fraction_of, json_number
from quizgen.concepts.shapes import compact, context_has, fractions
from quizgen.patterns import lazy_pattern

_CENTRED = lazy_pattern(r"^\(?(?:\\hat\{)?[a-z](?:_\{?\w+\}?)?\}?(?:\^\{\(k\)\})?-"
                        r"(?:\\mu|\\hat\{\\mu\}|E|\\mathbb\{E\})")
# σ̂_B with ε folded into its definition (d2l): a batch statistic, named by its subscript.
_BATCH_STD = lazy_pattern(r"^(?:\\hat\{\\sigma\}|\\sigma)_(?:\\mathcal\{B\}|\{?B\}?)$")
_AFFINE = lazy_pattern(r"\\gamma(?:\\odot)?\\frac")
_SCALE = lazy_pattern(r"^\\sqrt\{(?:\\sigma|\\mathrm\{Var\}|Var)[^{}]*(?:\{[^{}]*\}[^{}]*)*"
                      r"\+\\(?:var)?epsilon\}$")
_OTHER_NORMS = ("layer norm", "layernorm", "层归一化", "层标准化", "instance norm", "group norm",
                "组归一化", "实例归一化")


_OTHER_NORM_NAMES = lazy_pattern(r"LayerNorm|LN\(|InstanceNorm|GroupNorm|RMSNorm|GN\(|IN\(")


def recognise(latex: str, context: str) -> bool:
    s = compact(latex)
    if context_has(context, *_OTHER_NORMS) or _OTHER_NORM_NAMES.search(s):
        return False  # the same arithmetic over features, not over the batch
    return any(
        _CENTRED.match(num) and (_SCALE.match(den) or (_BATCH_STD.match(den) and _AFFINE.search(s)))
        for num, den in fractions(s)
    )


def sample(rng: random.Random) -> Params | None:
    m = rng.choice((3, 4, 4, 5))
    batch = [Fraction(rng.randint(-4, 8), rng.choice((1, 1, 2))) for _ in range(m)]
    if len(set(batch)) == 1:
        return None
    gamma = rng.choice((Fraction(1), Fraction(2), Fraction(1, 2), Fraction(3, 2)))
    beta = rng.choice((Fraction(0), Fraction(1), Fraction(-1), Fraction(1, 2)))
    eps = rng.choice((Fraction(0), Fraction(0), Fraction(1, 100), Fraction(1, 10)))
    mu = sum(batch, Fraction(0)) / m
    var = sum(((x - mu) ** 2 for x in batch), Fraction(0)) / m
    if not _is_square(var + eps) and rng.random() < 0.8:
        return None  # mostly batches whose σ² + ε is a square: answers a student can check
    return {"batch": [json_number(v) for v in batch], "index": rng.randrange(m),
            "gamma": json_number(gamma), "beta": json_number(beta), "eps": json_number(eps)}


def _is_square(q: Fraction) -> bool:
    return all(math.isqrt(v) ** 2 == v for v in (q.numerator, q.denominator))


def normalised(x: Fraction, mu: Fraction, var: Fraction, eps: Fraction) -> Surd:
    """``(x − μ) / √(var + ε)`` exactly."""
    return Surd.rat(x - mu) * Surd.power(var + eps, Fraction(-1, 2))


def solve(params: Mapping[str, Any]) -> Solution:
    xs = [fraction_of(v) for v in params["batch"]]
    i = params["index"]
    gamma, beta, eps = (fraction_of(params[k]) for k in ("gamma", "beta", "eps"))
    m = len(xs)
    if m < 2 or not isinstance(i, int) or not 0 <= i < m or eps < 0:
        raise ValueError("need a batch of ≥ 2, an index into it and eps ≥ 0")
    mu = sum(xs, Fraction(0)) / m
    var = sum(((x - mu) ** 2 for x in xs), Fraction(0)) / m
    if var + eps == 0:
        raise ValueError("constant batch with eps = 0")
    g, b = Surd.rat(gamma), Surd.rat(beta)
    answer = g * normalised(xs[i], mu, var, eps) + b
    # Second route: the variance as E[x²] − μ², the shortcut formula.
    var2 = sum((x * x for x in xs), Fraction(0)) / m - mu * mu
    cross = g * normalised(xs[i], mu, var2, eps) + b
    xhat = normalised(xs[i], mu, var, eps)
    total = Surd()
    for x in xs:
        total = total + normalised(x, mu, var, eps)
    distractors: list[tuple[str, Value]] = [
        ("sample_variance_not_population", g * normalised(xs[i], mu, var * m / (m - 1), eps) + b),
        ("variance_not_square_rooted", Surd.rat(gamma * (xs[i] - mu) / (var + eps) + beta)),
        ("gamma_beta_left_out", xhat),
        ("gamma_and_beta_swapped", b * xhat + g),
    ]
    if beta:
        distractors.append(("beta_inside_the_scale", g * (xhat + b)))
    if eps:
        distractors.append(("epsilon_outside_the_root",
                            Surd.rat(xs[i] - mu) * Surd.power(var, Fraction(-1, 2))
                            * Surd.rat(gamma) + b if var else xhat))
    pos = i + 1
    batch = fmt.vector(params["batch"])
    g_s, b_s, e_s = fmt.num(params["gamma"]), fmt.num(params["beta"]), fmt.num(params["eps"])
    question = (
        rf"训练阶段，某个特征在一个 mini-batch 上的取值为 \(x={batch}\)（\(m={m}\)）。BN 层参数 "
        rf"\(\gamma={g_s}\)，\(\beta={b_s}\)，\(\epsilon={e_s}\)，"
        r"\(y_i=\gamma\frac{x_i-\mu_B}{\sqrt{\sigma_B^2+\epsilon}}+\beta\)，"
        r"其中 \(\sigma_B^2\) 为 batch "
        rf"的方差。第 {pos} 个样本的输出 \(y_{{{pos}}}\) 是多少？"
    )
    explanation = (
        rf"\(\mu_B={fmt.with_approx(Surd.rat(mu))}\)，"
        rf"\(\sigma_B^2=\frac{{1}}{{m}}\sum_i(x_i-\mu_B)^2={fmt.with_approx(Surd.rat(var))}\)"
        rf"（除以 \(m\) 而不是 \(m-1\)），\(\hat{{x}}_{{{pos}}}={fmt.with_approx(xhat)}\)，"
        rf"\(y_{{{pos}}}=\gamma\hat{{x}}_{{{pos}}}+\beta={fmt.with_approx(answer)}\)。"
        r"\(\epsilon\) 防止方差为 0 时除零；\(\gamma,\beta\) 让网络能恢复原来的尺度和偏移。"
    )
    return Solution(
        answer=answer,
        cross_check=cross,
        distractors=tuple(distractors),
        question=question,
        explanation=explanation,
        invariants=(("normalised batch has mean 0", total.rational() == 0),),
    )


CONCEPT = Concept(
    name="batch_norm",
    title="批归一化 (Batch Normalization)",
    canonical=(
        r"\gamma\frac{x_i-\mu}{\sqrt{\sigma^2+\epsilon}}+\beta",
        r"\frac{x_i-\mu}{\sqrt{\sigma^2+\epsilon}}",
        r"\gamma\frac{x-\mu}{\sigma}+\beta",  # ε inside the batch σ̂ (d2l's form)
    ),
    recognise=recognise,
    sample=sample,
    solve=solve,
)
