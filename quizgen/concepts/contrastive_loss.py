"""Contrastive loss with a margin (Hadsell, Chopra & LeCun 2006):
``L = 1/(2N) Σ_n [ y_n d_n² + (1 − y_n) max(m − d_n, 0)² ]``, ``y = 1`` for a similar pair."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import quizgen.concepts.format as fmt
from quizgen.concepts.base import Concept, Params, Solution
from quizgen.concepts.exact import Approx, Rat, Value, fraction_of, json_number
from quizgen.concepts.shapes import compact
from quizgen.patterns import lazy_pattern

_HINGE = lazy_pattern(r"\\max\((?:0,)?(?:\\?[A-Za-z]+)(?:_(?:\{\w+\}|\w))?-d")
_SQUARED_D = lazy_pattern(r"d(?:_(?:\{\w+\}|\w))?\^\{?2")


def recognise(latex: str, context: str) -> bool:
    s = compact(latex)
    return bool(_HINGE.search(s)) and "(1-y" in s and bool(_SQUARED_D.search(s))


def sample(rng: random.Random) -> Params | None:
    n = rng.choice((2, 3, 3, 4))
    margin = rng.choice((Fraction(1), Fraction(3, 2), Fraction(2)))
    # Constructive: one similar pair and one dissimilar pair inside the margin, so both terms of
    # the loss matter; the rest is free.
    ys = [1, 0] + [rng.randint(0, 1) for _ in range(n - 2)]
    ds = [Fraction(rng.randint(1, 10), 4), Fraction(rng.randint(1, int(margin * 4) - 1), 4)]
    ds += [Fraction(rng.randint(1, 10), 4) for _ in range(n - 2)]
    order = list(range(n))
    rng.shuffle(order)
    return {
        "pairs": [{"d": json_number(ds[i]), "y": ys[i]} for i in order],
        "margin": json_number(margin),
    }


def _pairs(params: Mapping[str, Any]) -> list[tuple[Fraction, int]]:
    out = []
    for pair in params["pairs"]:
        y = pair["y"]
        if y not in (0, 1) or isinstance(y, bool):
            raise ValueError("y must be 0 or 1")
        d = fraction_of(pair["d"])
        if d < 0:
            raise ValueError("a distance is non-negative")
        out.append((d, int(y)))
    if not out:
        raise ValueError("no pairs")
    return out


def loss(pairs: list[tuple[Fraction, int]], m: Fraction, *, hinge: bool = True,
         square: bool = True, swap: bool = False) -> Fraction:
    """The loss summed over pairs (not yet divided by 2N), with optional misconceptions."""
    total = Fraction(0)
    for d, y in pairs:
        y = 1 - y if swap else y
        gap = max(m - d, Fraction(0)) if hinge else m - d
        total += y * d * d + (1 - y) * (gap * gap if square else gap)
    return total


def solve(params: Mapping[str, Any]) -> Solution:
    pairs = _pairs(params)
    m = fraction_of(params["margin"])
    n = len(pairs)
    total = loss(pairs, m)
    answer = Rat(total / (2 * n))
    # Second route: a plain floating-point loop over the pairs.
    acc = 0.0
    for d, y in pairs:
        df = float(d)
        acc += df * df if y == 1 else max(float(m) - df, 0.0) ** 2
    cross = Approx(acc / (2 * n))
    grouped = (
        sum((d * d for d, y in pairs if y == 1), Fraction(0))
        + sum((max(m - d, Fraction(0)) ** 2 for d, y in pairs if y == 0), Fraction(0))
    ) / (2 * n)
    distractors: tuple[tuple[str, Value], ...] = (
        ("no_1_over_2N", Rat(total)),
        ("mean_without_half", Rat(total / n)),
        ("no_hinge", Rat(loss(pairs, m, hinge=False) / (2 * n))),
        ("hinge_not_squared", Rat(loss(pairs, m, square=False) / (2 * n))),
        ("labels_swapped", Rat(loss(pairs, m, swap=True) / (2 * n))),
    )
    ms = fmt.num(params["margin"])
    rows = r"\\ ".join(
        rf"{i + 1} & {fmt.num(p['d'])} & {p['y']}" for i, p in enumerate(params["pairs"])
    )
    table = rf"\begin{{array}}{{c|c|c}} n & d_n & y_n \\ \hline {rows} \end{{array}}"
    question = (
        r"对比损失（contrastive loss）"
        r"\(L=\frac{1}{2N}\sum_{n=1}^{N}\left[y_n d_n^2+(1-y_n)\max(m-d_n,0)^2\right]\)，"
        rf"其中 \(y_n=1\) 表示相似样本对。设 margin \(m={ms}\)，\(N={n}\) 个样本对如下："
        rf"\[{table}\]求 \(L\)。"
    )
    terms = "+".join(
        rf"{fmt.num(p['d'])}^2" if p["y"] == 1 else rf"\max({ms}-{fmt.num(p['d'])},0)^2"
        for p in params["pairs"]
    )
    explanation = (
        r"相似对（\(y=1\)）贡献 \(d^2\)，不相似对（\(y=0\)）只有距离小于 margin 时才贡献 "
        rf"\((m-d)^2\)：\(L=\frac{{1}}{{{2 * n}}}\left[{terms}\right]={fmt.with_approx(answer)}\)。"
    )
    return Solution(
        answer=answer,
        cross_check=cross,
        distractors=distractors,
        question=question,
        explanation=explanation,
        invariants=(
            ("grouped sums agree", grouped == answer.q),
            ("loss is finite and non-negative", math.isfinite(acc) and answer.q >= 0),
        ),
    )


CONCEPT = Concept(
    name="contrastive_loss",
    title="对比损失 (Contrastive Loss)",
    canonical=(
        r"\frac{1}{2N}\sum_{n=1}^{N}\left[y_n d_n^2+(1-y_n)\max(m-d_n,0)^2\right]",
    ),
    recognise=recognise,
    sample=sample,
    solve=solve,
    up_to_scale=True,  # summed or averaged over a batch, in bits or nats: the same loss
)
