"""Receptive field of a stack of convolution / pooling layers on the input:
``r_0 = 1``, ``r_l = r_{l−1} + (k_l − 1)·Π_{i<l} s_i``.

The extra key ``kinds`` names each layer (``conv``, ``pool``, ``dilated``) for the question;
``dilations`` gives a dilated layer's rate, whose ``kernel`` is then the effective size
``d(k−1)+1`` and ``base_kernels`` the kernel as written.
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
from quizgen.concepts.shapes import compact, context_has
from quizgen.patterns import lazy_pattern

_R = r"(?:r|RF|R|l)"
_IDX = r"_(?:\{[^{}]+\}|\w)"
# bottom-up: r_l = r_{l-1} + (k_l - 1)·Π s_i ; top-down: RF_{n-1} = (RF_n - 1)·stride_n + ksize_n
_BOTTOM_UP = lazy_pattern(rf"^{_R}{_IDX}={_R}{_IDX}\+\((?:k|f|ksize|kernel){_IDX}?-1\)"
                          rf"(?:\\prod|\\Pi|s{_IDX}|j{_IDX}|stride|S{_IDX})")
_TOP_DOWN = lazy_pattern(rf"^{_R}{_IDX}=\({_R}{_IDX}-1\)(?:s|stride|S){_IDX}"
                         rf"\+(?:k|ksize|f|kernel){_IDX}")
_NAMES = ("receptive field", "感受野", "rf")


def recognise(latex: str, context: str) -> bool:
    s = compact(latex).rstrip(".,")
    if _BOTTOM_UP.match(s) or _TOP_DOWN.match(s):
        return True
    # RF = 1 + Σ (k_l − 1)·Π s_i written as one sum, under a receptive-field heading
    return bool(re.search(r"\\sum[^=]*\(k_\{?\w\}?-1\)\\prod", s)) and context_has(context, *_NAMES)


def sample(rng: random.Random) -> Params | None:
    n = rng.choice((2, 3, 3, 4))
    layers: list[dict[str, int]] = []
    kinds: list[str] = []
    dilations: list[int] = []
    base: list[int] = []
    for _ in range(n):
        kind = rng.choices(("conv", "pool", "dilated"), (6, 3, 1))[0]
        if kind == "pool":
            k = s = rng.choice((2, 2, 3))
            if k == 3:
                s = 2
            d = 1
        else:
            k, s = rng.choice(((3, 1), (3, 1), (3, 2), (5, 1), (1, 1), (7, 2), (5, 2)))
            d = rng.choice((2, 3)) if kind == "dilated" and k > 1 else 1
            if d == 1 and kind == "dilated":
                kind = "conv"
        layers.append({"kernel": d * (k - 1) + 1, "stride": s})
        kinds.append(kind)
        dilations.append(d)
        base.append(k)
    if all(layer["stride"] == 1 for layer in layers) and rng.random() < 0.6:
        return None  # strides are where students go wrong; ask about them most of the time
    params: dict[str, Any] = {"layers": layers, "kinds": kinds}
    if any(d > 1 for d in dilations):
        params["dilations"] = dilations
        params["base_kernels"] = base
    return params


def _layers(params: Mapping[str, Any]) -> list[tuple[int, int]]:
    out = []
    for layer in params["layers"]:
        k, s = layer["kernel"], layer["stride"]
        if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in (k, s)):
            raise ValueError("kernel and stride must be positive integers")
        out.append((k, s))
    if not out:
        raise ValueError("no layers")
    return out


def field(layers: list[tuple[int, int]], jump: str = "product", own_stride: bool = False) -> int:
    """Bottom-up receptive field; ``jump`` and ``own_stride`` model the usual slips."""
    r, strides = 1, []
    for k, s in layers:
        if own_stride:
            strides.append(s)
        j = math.prod(strides) if jump == "product" else (sum(strides) if strides else 1)
        if jump == "none":
            j = 1
        r += (k - 1) * j
        if not own_stride:
            strides.append(s)
    return r


def top_down(layers: list[tuple[int, int]]) -> int:
    """The other direction: from one output unit back to the input, RF ← (RF − 1)·s + k."""
    rf = 1
    for k, s in reversed(layers):
        rf = (rf - 1) * s + k
    return rf


_KIND_TEXT = {"conv": "卷积", "pool": "池化", "dilated": "空洞卷积"}


def solve(params: Mapping[str, Any]) -> Solution:
    layers = _layers(params)
    answer = Rat(Fraction(field(layers)))
    distractors: list[tuple[str, Value]] = [
        ("strides_added_not_multiplied", Rat(Fraction(field(layers, "sum")))),
        ("strides_ignored", Rat(Fraction(field(layers, "none")))),
        ("own_stride_included", Rat(Fraction(field(layers, own_stride=True)))),
        ("sum_of_kernel_sizes", Rat(Fraction(sum(k for k, _ in layers)))),
        ("product_of_kernel_sizes", Rat(Fraction(math.prod(k for k, _ in layers)))),
    ]
    kinds = params.get("kinds") or ["conv"] * len(layers)
    dil = params.get("dilations") or [1] * len(layers)
    base = params.get("base_kernels") or [k for k, _ in layers]
    described = []
    for i, ((_, s), kind) in enumerate(zip(layers, kinds, strict=True)):
        kb = base[i]
        name = _KIND_TEXT.get(kind, "卷积")
        extra = f"、膨胀率 {dil[i]}" if dil[i] > 1 else ""
        described.append(rf"第 {i + 1} 层 {kb}\(\times\){kb} {name}（步长 {s}{extra}）")
    n = len(layers)
    question = (
        f"一个网络依次为：{'，'.join(described)}，均不考虑填充的影响。"
        f"第 {n} 层输出特征图上的一个点，在输入图像上的感受野边长是多少？"
    )
    steps, r, jump = [], 1, 1
    for i, (k, s) in enumerate(layers):
        r += (k - 1) * jump
        steps.append(rf"r_{i + 1}={r}")
        jump *= s
    dil_note = ("空洞卷积的等效核大小为 \\(d(k-1)+1\\)。" if any(d > 1 for d in dil) else "")
    explanation = (
        rf"自底向上 \(r_l=r_{{l-1}}+(k_l-1)\prod_{{i<l}}s_i\)，\(r_0=1\)：\({','.join(steps)}\)。"
        rf"{dil_note}每层新增的视野要乘以它之前所有层步长的乘积（特征图上相邻两点在输入上相隔这么远），"
        r"当前层自己的步长不算在内。"
    )
    return Solution(
        answer=answer,
        cross_check=Rat(Fraction(top_down(layers))),
        distractors=tuple(distractors),
        question=question,
        explanation=explanation,
        invariants=(("r ≥ the largest kernel", field(layers) >= max(k for k, _ in layers)),),
    )


CONCEPT = Concept(
    name="receptive_field",
    title="感受野 (Receptive Field)",
    canonical=(
        r"r_{l-1}+(k_l-1)\prod_{i=1}^{l-1}s_i",
        r"(r_{l}-1)s_{l}+k_{l}",
    ),
    recognise=recognise,
    sample=sample,
    solve=solve,
)
