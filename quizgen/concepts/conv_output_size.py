"""Output size of a convolution or pooling layer along one side:
``o = ⌊(n + 2p − k) / s⌋ + 1`` (``p`` padding on each side).

With the extra key ``before`` (a layer ``{"size", "kernel", "padding", "stride"}``) the question
chains two layers: the student first finds the first layer's output, which is ``size``.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from quizgen.concepts.base import Concept, Params, Solution
from quizgen.concepts.exact import Rat, Value
from quizgen.concepts.shapes import compact, context_has, fractions

_NAMES = ("输出尺寸", "输出大小", "output size", "output shape", "特征图大小", "feature map size",
          "卷积", "convolution", "池化", "pooling", "padding", "填充", "步幅", "stride")


def _output_fraction(num: str, den: str) -> bool:
    """``(n + 2p − k)/s``: a doubled padding added, a kernel subtracted, a stride below."""
    terms = re.findall(r"[+-]?[^+-]+", num)
    doubled = any(re.fullmatch(r"\+?2(?:\\times)?[A-Za-z](?:_\{?\w+\}?)?", t) for t in terms)
    minus = any(t.startswith("-") for t in terms)
    return doubled and minus and bool(re.fullmatch(r"[A-Za-z](?:_\{?\w+\}?)?", den))


def recognise(latex: str, context: str) -> bool:
    s = compact(latex)
    for num, den in fractions(s):
        if not _output_fraction(num, den):
            continue
        frac = rf"\frac{{{num}}}{{{den}}}"
        after = s.split(frac, 1)[1] if frac in s else ""
        floored = after.startswith(r"\rfloor+1") or after.startswith(r"\rfloor+1".replace("\\", ""))
        if floored or (after.startswith("+1") and context_has(context, *_NAMES)):
            return True
    return False


def output_size(n: int, k: int, p: int, s: int) -> int:
    return (n + 2 * p - k) // s + 1


def _layer(rng: random.Random, n: int) -> dict[str, int] | None:
    k, s, p = rng.choice(((3, 1, 1), (3, 2, 1), (5, 1, 2), (5, 2, 2), (7, 2, 3), (2, 2, 0),
                          (3, 2, 0), (3, 1, 0), (5, 1, 0), (1, 1, 0), (3, 3, 0), (4, 2, 1)))
    if n + 2 * p < k:
        return None
    return {"size": n, "kernel": k, "padding": p, "stride": s}


def sample(rng: random.Random) -> Params | None:
    n = rng.choice((7, 8, 13, 14, 15, 16, 27, 28, 31, 32, 55, 56, 63, 64, 112, 224, 227))
    layer = _layer(rng, n)
    if layer is None:
        return None
    if rng.random() < 0.4:
        second = _layer(rng, output_size(n, layer["kernel"], layer["padding"], layer["stride"]))
        if second is None:
            return None
        return {**second, "before": layer}
    return layer


def _read(layer: Mapping[str, Any]) -> tuple[int, int, int, int]:
    values = tuple(layer[key] for key in ("size", "kernel", "padding", "stride"))
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        raise ValueError("size, kernel, padding and stride must be integers")
    n, k, p, s = values
    if n < 1 or k < 1 or p < 0 or s < 1 or n + 2 * p < k:
        raise ValueError("the kernel does not fit the padded input")
    return n, k, p, s


def _describe(n_text: str, k: int, p: int, s: int, pooling: bool) -> str:
    what = "池化窗口" if pooling else "卷积核"
    return f"{what} {k}\\(\\times\\){k}，步长 {s}，每边填充 {p}"


def solve(params: Mapping[str, Any]) -> Solution:
    n, k, p, s = _read(params)
    answer = Rat(Fraction(output_size(n, k, p, s)))
    # Second route: count the window positions 0, s, 2s, … that fit in the padded input.
    positions = sum(1 for start in range(0, n + 2 * p, s) if start + k <= n + 2 * p)
    distractors: list[tuple[str, Value]] = [
        ("padding_counted_once", Rat(Fraction((n + p - k) // s + 1))),
        ("plus_one_left_out", Rat(Fraction((n + 2 * p - k) // s))),
        ("ceiling_not_floor", Rat(Fraction(math.ceil(Fraction(n + 2 * p - k, s)) + 1))),
        ("stride_ignored", Rat(Fraction(n + 2 * p - k + 1))),
        ("kernel_not_subtracted", Rat(Fraction((n + 2 * p) // s + 1))),
    ]
    if (n + 2 * p - k) % s:
        distractors.append(("no_floor", Rat(Fraction(n + 2 * p - k, s) + 1)))
    if p:
        distractors.append(("padding_ignored", Rat(Fraction((n - k) // s + 1))))
    if s > 1:
        distractors.append(("size_just_divided_by_stride", Rat(Fraction(n // s))))
    pooling = p == 0 and k == s and k in (2, 3)
    before = params.get("before")
    if isinstance(before, Mapping):
        n0, k0, p0, s0 = _read(before)
        first = _describe(str(n0), k0, p0, s0, k0 == s0 and p0 == 0)
        question = (
            f"输入特征图边长为 {n0}。先经过一层（{first}），再经过一层"
            f"（{_describe(str(n), k, p, s, pooling)}）。第二层输出的边长是多少？"
        )
        prefix = rf"第一层：\(\lfloor({n0}+2\times {p0}-{k0})/{s0}\rfloor+1={n}\)；第二层："
    else:
        question = (
            f"输入特征图边长为 {n}，{_describe(str(n), k, p, s, pooling)}。"
            r"输出特征图的边长 \(o=\left\lfloor\frac{n+2p-k}{s}\right\rfloor+1\) 是多少？"
        )
        prefix = ""
    explanation = (
        rf"{prefix}\(o=\left\lfloor\frac{{{n}+2\times {p}-{k}}}{{{s}}}\right\rfloor+1"
        rf"={int(answer.q)}\)。"
        r"\(2p\) 是因为两边都填充；向下取整是因为最后放不下一个完整窗口的部分被丢弃；"
        r"\(+1\) 数的是窗口的第一个位置。"
    )
    return Solution(
        answer=answer,
        cross_check=Rat(Fraction(positions)),
        distractors=tuple(distractors),
        question=question,
        explanation=explanation,
        invariants=(("output ≥ 1", answer.q >= 1),),
    )


CONCEPT = Concept(
    name="conv_output_size",
    title="卷积输出尺寸 (Convolution Output Size)",
    canonical=(
        r"\left\lfloor\frac{n+2p-k}{s}\right\rfloor+1",
        r"\frac{n+2p-k}{s}+1",
        r"\left\lfloor\frac{n-k+p+s}{s}\right\rfloor",  # d2l: p counts both sides' padding
    ),
    recognise=recognise,
    sample=sample,
    solve=solve,
)
