"""Mutual information of a joint table:
``I(X;Y) = Σ_{x,y} p(x,y) log p(x,y) / (p(x) p(y)) = H(X) + H(Y) − H(X,Y)``."""

from __future__ import annotations

import random
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import quizgen.concepts.format as fmt
from quizgen.concepts.base import Concept, Params, Solution
from quizgen.concepts.cross_entropy import other_base
from quizgen.concepts.exact import LogLin, Value, fraction_of
from quizgen.concepts.info import entropy, plogq
from quizgen.concepts.sampling import as_json, base_of, composition, pick_grid
from quizgen.concepts.shapes import compact, lhs
from quizgen.patterns import lazy_pattern

_MI_LHS = lazy_pattern(r"^I\([^;,=]+;[^;=]+\)$")
_RATIO = lazy_pattern(
    r"\\log\\frac\{([a-zA-Z])\((\w),(\w)\)\}\{\1\(\2\)\1\(\3\)\}"
    r"|([a-zA-Z])\((\w),(\w)\)\\log\\frac\{\4\(\5(?:\||\\mid)\6\)\}\{\4\(\5\)\}"
)
MIN_NATS = 0.01  # an almost-independent table gives a question about rounding noise


def recognise(latex: str, context: str) -> bool:
    s = compact(latex)
    # Only the definition itself (a sum or expectation of a log ratio) is labelled: identities
    # through entropies or KL, pointwise MI and worked numbers are about MI but not MI's formula.
    if "H(" in s or "KL" in s or r"\log" not in s:
        return False
    summed = any(t in s for t in (r"\sum", r"\int", r"\mathbb{E}"))
    if _MI_LHS.match(lhs(s)):
        return summed
    return summed and bool(_RATIO.search(s))


def sample(rng: random.Random) -> Params | None:
    rows, cols = 2, rng.choice((2, 2, 3))
    cells = composition(rng, rows * cols, pick_grid(rng, rows * cols))
    rng.shuffle(cells)
    joint = [cells[r * cols : (r + 1) * cols] for r in range(rows)]
    params = {"joint": [as_json(row) for row in joint], "base": rng.choice((2, "e"))}
    if mutual_information(joint, "e").to_float() < MIN_NATS:
        return None
    return params


def _table(raw: object) -> list[list[Fraction]]:
    if not isinstance(raw, list) or not raw or not all(isinstance(r, list) and r for r in raw):
        raise ValueError("joint must be a non-empty list of non-empty rows")
    table = [[fraction_of(v) for v in row] for row in raw]
    if len({len(r) for r in table}) != 1:
        raise ValueError("joint rows must have the same length")
    if any(v < 0 for r in table for v in r) or sum(sum(r) for r in table) != 1:
        raise ValueError("joint must be non-negative and sum to 1")
    return table


def mutual_information(joint: list[list[Fraction]], base: Any) -> LogLin:
    px = [sum(r, Fraction(0)) for r in joint]
    py = [sum(c, Fraction(0)) for c in zip(*joint, strict=True)]
    total = LogLin((), base)
    for i, row in enumerate(joint):
        for j, pxy in enumerate(row):
            if pxy:
                total = total + plogq(pxy, pxy / (px[i] * py[j]), base)
    return total


def solve(params: Mapping[str, Any]) -> Solution:
    joint = _table(params["joint"])
    base = base_of(params["base"])
    answer = mutual_information(joint, base)
    px = [sum(r, Fraction(0)) for r in joint]
    py = [sum(c, Fraction(0)) for c in zip(*joint, strict=True)]
    hx, hy = entropy(px, base), entropy(py, base)
    hxy = entropy([v for r in joint for v in r], base)
    distractors: tuple[tuple[str, Value], ...] = (
        ("bits_vs_nats", answer.in_base(other_base(base))),
        ("sum_of_marginal_entropies", hx + hy),
        ("joint_entropy_instead", hxy),
        ("conditional_entropy_instead", hxy - hy),
        ("sign_flipped", -answer),
    )
    rows = r"\\ ".join(
        rf"x_{i + 1} & " + " & ".join(fmt.num(v) for v in row)
        for i, row in enumerate(params["joint"])
    )
    heads = " & ".join(rf"y_{j + 1}" for j in range(len(joint[0])))
    cols = "c" * len(joint[0])
    table = rf"\begin{{array}}{{c|{cols}}} p(x,y) & {heads} \\ \hline {rows} \end{{array}}"
    log = fmt.log_cmd(base)
    question = (
        rf"随机变量 \(X, Y\) 的联合分布如下：\[{table}\]"
        rf"求互信息（mutual information）"
        rf"\(I(X;Y)=\sum_{{x,y}}p(x,y){log}\frac{{p(x,y)}}{{p(x)p(y)}}\)，{fmt.base_word(base)}。"
    )
    explanation = (
        rf"边缘分布 \(p(x)={fmt.vector(as_json(px))}\)，\(p(y)={fmt.vector(as_json(py))}\)。"
        rf"按定义求和得 \(I(X;Y)={fmt.with_approx(answer)}\)；"
        rf"等价地 \(I(X;Y)=H(X)+H(Y)-H(X,Y)\)，其中 \(H(X)\approx {fmt.sig(hx.to_float())}\)，"
        rf"\(H(Y)\approx {fmt.sig(hy.to_float())}\)，\(H(X,Y)\approx {fmt.sig(hxy.to_float())}\)。"
    )
    return Solution(
        answer=answer,
        cross_check=hx + hy - hxy,  # second route: entropies
        distractors=distractors,
        question=question,
        explanation=explanation,
        invariants=(
            ("0 ≤ I ≤ min(H(X), H(Y))",
             -1e-12 <= answer.to_float() <= min(hx.to_float(), hy.to_float()) + 1e-12),
        ),
    )


CONCEPT = Concept(
    name="mutual_information",
    title="互信息 (Mutual Information)",
    canonical=(r"\sum_{x}\sum_{y} p(x,y)\log\frac{p(x,y)}{p(x)p(y)}",),
    recognise=recognise,
    sample=sample,
    solve=solve,
    up_to_scale=True,  # in bits or nats: the same quantity
)
