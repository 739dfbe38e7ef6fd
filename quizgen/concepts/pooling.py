"""Max and average pooling: output ``(i, j)`` of a ``size × size`` window moved by ``stride``
over a feature map, ``y_{ij} = max`` (or mean) of ``x[i·s : i·s + k, j·s : j·s + k]``.
``row`` and ``col`` are 0-based (the question counts from 1)."""

from __future__ import annotations

import random
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import quizgen.concepts.format as fmt
from quizgen.concepts.base import Concept, Params, Solution
from quizgen.concepts.exact import Rat, Value
from quizgen.concepts.shapes import compact
from quizgen.patterns import lazy_pattern

_REGION = r"_\{\(?\w,\w\)?\\in\w+(?:_\{?\w+\}?)?\}"
_MAX = lazy_pattern(rf"^(?:[a-z](?:_\{{?\w+\}}?)?=)?\\max{_REGION}[a-z]_\{{?\w+,?\w+\}}?$")
_MEAN = lazy_pattern(rf"^(?:[a-z](?:_\{{?\w+\}}?)?=)?\\frac\{{1\}}\{{\|\w+(?:_\{{?\w+\}}?)?\|\}}"
                     rf"\\sum{_REGION}[a-z]_\{{?\w+,?\w+\}}?$")


def recognise(latex: str, context: str) -> bool:
    s = compact(latex).rstrip(".,")
    # A max or a mean over a 2-D window R of x_{pq}: the pooling window, named or not.
    return bool(_MAX.match(s) or _MEAN.match(s))


def sample(rng: random.Random) -> Params | None:
    size, stride = rng.choice(((2, 2), (2, 2), (3, 1), (2, 1), (3, 2)))
    n = rng.choice((4, 4, 5))
    grid = [[rng.randint(0, 9) for _ in range(n)] for _ in range(n)]
    out = (n - size) // stride + 1
    return {"input": grid, "size": size, "stride": stride, "mode": rng.choice(("max", "avg")),
            "row": rng.randrange(out), "col": rng.randrange(out)}


def window(grid: list[list[int]], size: int, stride: int, i: int, j: int) -> list[int]:
    return [grid[r][c] for r in range(i * stride, i * stride + size)
            for c in range(j * stride, j * stride + size)]


def pool(values: list[int], mode: str) -> Fraction:
    return Fraction(max(values)) if mode == "max" else Fraction(sum(values), len(values))


def _read(params: Mapping[str, Any]) -> tuple[list[list[int]], int, int, str, int, int]:
    grid = params["input"]
    size, stride, mode = params["size"], params["stride"], params["mode"]
    i, j = params["row"], params["col"]
    if not (isinstance(grid, list) and grid and all(isinstance(r, list) and len(r) == len(grid)
                                                   for r in grid)):
        raise ValueError("input must be a square matrix")
    if mode not in ("max", "avg") or not all(isinstance(v, int) and v >= 0 for v in
                                              (size, stride, i, j)) or size < 1 or stride < 1:
        raise ValueError("bad pooling settings")
    out = (len(grid) - size) // stride + 1
    if not (0 <= i < out and 0 <= j < out):
        raise ValueError("row/col outside the output")
    return grid, size, stride, mode, i, j


def solve(params: Mapping[str, Any]) -> Solution:
    grid, size, stride, mode, i, j = _read(params)
    answer = Rat(pool(window(grid, size, stride, i, j), mode))
    # Second route: pool the whole map with the window's top-left corners listed explicitly,
    # then read entry (i, j).
    n = len(grid)
    corners = range(0, n - size + 1, stride)
    full = [[pool([grid[r][c] for r in range(top, top + size) for c in range(left, left + size)],
                  mode) for left in corners] for top in corners]
    other = "avg" if mode == "max" else "max"
    distractors: list[tuple[str, Value]] = [
        ("other_pooling_mode", Rat(pool(window(grid, size, stride, i, j), other))),
        ("rows_and_columns_swapped", Rat(pool(window(grid, size, stride, j, i), mode))),
        ("window_pooled_over_the_whole_map", Rat(pool([v for row in grid for v in row], mode))),
    ]
    if stride > 1:
        distractors.append(("stride_ignored", Rat(pool(window(grid, size, 1, i, j), mode))))
    if mode == "avg":
        distractors.append(("sum_not_mean", Rat(Fraction(sum(window(grid, size, stride, i, j))))))
    else:
        distractors.append(("min_instead_of_max", Rat(Fraction(min(window(grid, size, stride,
                                                                          i, j))))))
    rows = r"\\ ".join(" & ".join(str(v) for v in row) for row in grid)
    matrix = rf"\begin{{bmatrix}}{rows}\end{{bmatrix}}"
    name = "最大池化" if mode == "max" else "平均池化"
    question = (
        rf"对 {n}\(\times\){n} 的特征图 \[X={matrix}\] 做 {size}\(\times\){size}、步长 {stride} 的"
        rf"{name}（无填充）。输出特征图第 {i + 1} 行第 {j + 1} 列的值是多少？"
    )
    cells = window(grid, size, stride, i, j)
    r0, c0 = i * stride + 1, j * stride + 1
    explanation = (
        rf"该输出对应输入的第 {r0}–{r0 + size - 1} 行、"
        rf"第 {c0}–{c0 + size - 1} 列（起点 = 输出下标 × 步长），"
        rf"窗口内的值为 \({', '.join(map(str, cells))}\)，"
        rf"{'取最大' if mode == 'max' else '取平均'}得 "
        rf"\({fmt.with_approx(answer)}\)。池化层没有可学习参数，只做降采样。"
    )
    return Solution(
        answer=answer,
        cross_check=Rat(full[i][j]),
        distractors=tuple(distractors),
        question=question,
        explanation=explanation,
        invariants=(("min ≤ output ≤ max of the window", min(cells) <= answer.q <= max(cells)),),
    )


CONCEPT = Concept(
    name="pooling",
    title="池化 (Pooling)",
    canonical=(r"\max_{(p,q)\in R}x_{pq}", r"\frac{1}{|R|}\sum_{(p,q)\in R}x_{pq}"),
    recognise=recognise,
    sample=sample,
    solve=solve,
)
