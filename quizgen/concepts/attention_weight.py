"""Scaled dot-product attention weight: ``α_j = softmax_j(q·k_j / √d)`` with ``d = len(q)``.

Queries and keys have ``d = 4`` components, so ``√d = 2`` keeps every score rational (the usual
textbook choice); the question shows the keys as a matrix and asks for one weight.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import quizgen.concepts.format as fmt
from quizgen.concepts.base import Concept, Params, Solution
from quizgen.concepts.exact import Rat, Value, fraction_of
from quizgen.concepts.logits import e_sum, softmax_of, stable_softmax, sums_to_one
from quizgen.concepts.shapes import compact, context_has, exp_fractions, log_of_exp_fraction
from quizgen.patterns import lazy_pattern

_SQRT_D = lazy_pattern(r"\\sqrt\{d(?:_\{?k\}?)?\}|\\sqrt\{D\}")
_QK = lazy_pattern(r"q|Q|\\top|\^T|\\cdot|\\langle")
# softmax(QK^T/√d)V, softmax(q^T k_i/√d): the scaled scores inside a named softmax.
_NAMED = lazy_pattern(r"softmax\((?:\\frac\{[^{}]*(?:K|k)[^{}]*\}\{\\sqrt\{d|[^()]*/\\sqrt\{d)")


def recognise(latex: str, context: str) -> bool:
    s = compact(latex)
    if log_of_exp_fraction(s) or not _SQRT_D.search(s):
        return False
    if any(_SQRT_D.search(top) and _QK.search(top) for top, _ in exp_fractions(s)):
        return True
    return bool(_NAMED.search(s)) or (
        "softmax(" in s and context_has(context, "attention", "注意力") and "K" in s
    )


D = 4
ENTRIES = (-1, 0, 0, 1, 1, 2)


def sample(rng: random.Random) -> Params | None:
    n = rng.choice((2, 3, 3, 4))
    query = [rng.choice(ENTRIES) for _ in range(D)]
    keys = [[rng.choice(ENTRIES) for _ in range(D)] for _ in range(n)]
    scores = [sum(a * b for a, b in zip(query, k, strict=True)) for k in keys]
    if len(set(scores)) == 1 or not any(query):
        return None
    return {"query": query, "keys": keys, "index": rng.randrange(n)}


def _matrix(rows: list[list[Any]]) -> str:
    body = r"\\ ".join(" & ".join(fmt.num(v) for v in row) for row in rows)
    return rf"\begin{{bmatrix}}{body}\end{{bmatrix}}"


def solve(params: Mapping[str, Any]) -> Solution:
    q = [fraction_of(v) for v in params["query"]]
    keys = [[fraction_of(v) for v in k] for k in params["keys"]]
    j = params["index"]
    d = len(q)
    if d != D or not keys or any(len(k) != d for k in keys):
        raise ValueError(f"query and keys need {D} components")
    if not isinstance(j, int) or not 0 <= j < len(keys):
        raise ValueError("index must be a position in keys")
    dots = [sum((a * b for a, b in zip(q, k, strict=True)), Fraction(0)) for k in keys]
    scores = [v / 2 for v in dots]  # √4 = 2
    answer = softmax_of(scores, j)
    n = len(keys)
    distractors: list[tuple[str, Value]] = [
        ("no_sqrt_d_scaling", softmax_of(dots, j)),
        ("divided_by_d_not_sqrt_d", softmax_of([v / d for v in dots], j)),
        ("uniform_weights", Rat(Fraction(1, n))),
        ("weight_of_another_key", softmax_of(scores, (j + 1) % n)),
    ]
    if 0 < scores[j] < 1:  # a raw score outside (0, 1) would give itself away as no weight
        distractors.append(("score_not_normalised", Rat(scores[j])))
    pos = j + 1
    keys_tex = _matrix(params["keys"])
    question = (
        rf"缩放点积注意力中，查询 \(q={fmt.vector(params['query'])}\)，{n} 个键按行排成 "
        rf"\(K={keys_tex}\)（第 \(i\) 行为 \(k_i\)，维度 \(d={d}\)）。注意力权重 "
        r"\(\alpha_i=\mathrm{softmax}_i\left(\frac{q^\top k_i}{\sqrt{d}}\right)\)。"
        rf"第 {pos} 个键得到的权重 \(\alpha_{{{pos}}}\) 是多少？"
    )
    explanation = (
        rf"点积 \(q^\top k_i={fmt.vector(dots)}\)，除以 \(\sqrt{{d}}=2\) "
        rf"得 \({fmt.vector(scores)}\)，softmax 后 "
        rf"\(\alpha_{{{pos}}}={fmt.worked(fmt.frac(e_sum([scores[j]]), e_sum(scores)), answer)}\)。"
        r"除以 \(\sqrt{d}\) 是因为 \(d\) 维随机向量的点积方差约为 \(d\)："
        r"不缩放时 softmax 容易饱和，"
        r"梯度几乎为 0。"
    )
    return Solution(
        answer=answer,
        cross_check=stable_softmax(scores, j),
        distractors=tuple(distractors),
        question=question,
        explanation=explanation,
        invariants=(("weights sum to 1", sums_to_one(scores)),),
    )


CONCEPT = Concept(
    name="attention_weight",
    title="缩放点积注意力 (Scaled Dot-Product Attention)",
    canonical=(
        r"\frac{\exp(q^\top k_i/\sqrt{d})}{\sum_{j=1}^{n}\exp(q^\top k_j/\sqrt{d})}",
    ),
    recognise=recognise,
    sample=sample,
    solve=solve,
)
