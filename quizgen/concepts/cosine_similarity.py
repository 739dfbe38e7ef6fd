"""Cosine similarity: ``cos(a, b) = a·b / (‖a‖ ‖b‖)``, exact with square roots.

The extra key ``story`` words the question (word vectors, embeddings of two views in
contrastive learning, user/item vectors); ``a`` and ``b`` are what is computed.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import quizgen.concepts.format as fmt
from quizgen.concepts.base import Concept, Params, Solution
from quizgen.concepts.exact import Rat, Surd, Value, fraction_of
from quizgen.concepts.shapes import compact, fractions
from quizgen.patterns import lazy_pattern

_VEC = r"(?:\\hat\{)?(?:[a-zA-Z]|\\(?:theta|phi|psi))(?:\})?(?:_\{?\w+\}?)?(?:\^\{?[+\w]\}?)?"
_DOT = lazy_pattern(
    rf"^(?:{_VEC}\^(?:\\top|T|\{{\\top\}}|\{{T\}})(?:{_VEC})|{_VEC}(?:\\cdot)?{_VEC}"
    rf"|\\langle{_VEC},{_VEC}\\rangle|\\sum_?\{{?\w*\}}?{_VEC}{_VEC})$")
_NORM = rf"\\\|{_VEC}\\\|(?:_\{{?2\}}?|_2)?"
_NORMS = lazy_pattern(rf"^{_NORM}{_NORM}$")
_ROOT_OF_SUM = r"\\sqrt\{\\sum[^{}]*(?:\{[^{}]*\}[^{}]*)*\}"
_ROOTS = lazy_pattern(rf"^{_ROOT_OF_SUM}{_ROOT_OF_SUM}$")


def recognise(latex: str, context: str) -> bool:
    s = compact(latex).replace(r"\cdot", "")
    for num, den in fractions(s):
        if _DOT.match(num) and (_NORMS.match(den) or _ROOTS.match(den)):
            # ρ(X, Y) weighs each product by a probability p_ij: a correlation, not a cosine.
            return "p_" not in num
    return False


STORIES = ("words", "views", "items")


def sample(rng: random.Random) -> Params | None:
    n = rng.choice((2, 3, 3, 4))
    a = [rng.randint(-3, 4) for _ in range(n)]
    b = [rng.randint(-3, 4) for _ in range(n)]
    if not any(a) or not any(b) or sum(x * y for x, y in zip(a, b, strict=True)) == 0:
        return None
    return {"a": a, "b": b, "story": rng.choice(STORIES)}


def solve(params: Mapping[str, Any]) -> Solution:
    a = [fraction_of(v) for v in params["a"]]
    b = [fraction_of(v) for v in params["b"]]
    if len(a) != len(b) or not any(a) or not any(b):
        raise ValueError("a and b must be non-zero vectors of one length")
    dot = sum((x * y for x, y in zip(a, b, strict=True)), Fraction(0))
    aa = sum((x * x for x in a), Fraction(0))
    bb = sum((y * y for y in b), Fraction(0))
    inv_norms = Surd.power(aa * bb, Fraction(-1, 2))
    answer = Surd.rat(dot) * inv_norms
    # Second route: the law of cosines, ‖a − b‖² = ‖a‖² + ‖b‖² − 2‖a‖‖b‖cos θ.
    diff = sum(((x - y) ** 2 for x, y in zip(a, b, strict=True)), Fraction(0))
    cross = Surd.rat((aa + bb - diff) / 2) * inv_norms
    l1 = sum((abs(x) for x in a), Fraction(0)) * sum((abs(y) for y in b), Fraction(0))
    candidates: list[tuple[str, Value]] = [
        ("dot_product_not_normalised", Rat(dot)),
        ("divided_by_squared_norms", Rat(dot / (aa * bb))),
        ("only_one_norm", Surd.rat(dot) * Surd.power(aa, Fraction(-1))),
        ("mean_squared_norm_instead", Rat(2 * dot / (aa + bb))),
        ("l1_norms_instead", Rat(dot / l1)),
        ("cosine_distance_instead", Surd.rat(Fraction(1)) - answer),
    ]
    # A "cosine" outside [−1, 1] would give itself away.
    distractors = [(n, v) for n, v in candidates if abs(v.to_float()) <= 1]
    va, vb = fmt.vector(params["a"]), fmt.vector(params["b"])
    setting = {
        "words": rf"两个词向量 \(a={va}\)，\(b={vb}\)",
        "views": rf"同一张图片两个增强视图的表示 \(a={va}\)，\(b={vb}\)",
        "items": rf"用户向量 \(a={va}\) 与物品向量 \(b={vb}\)",
    }.get(params.get("story", "words"), rf"向量 \(a={va}\)，\(b={vb}\)")
    question = (
        rf"{setting}。求它们的余弦相似度 \(\cos(a,b)=\frac{{a^\top b}}{{\|a\|\,\|b\|}}\)。"
    )
    roots = rf"\sqrt{{{fmt.num(aa)}}}\,\sqrt{{{fmt.num(bb)}}}"
    explanation = (
        rf"\(a^\top b={fmt.num(dot)}\)，\(\|a\|^2={fmt.num(aa)}\)，\(\|b\|^2={fmt.num(bb)}\)，"
        rf"\(\cos(a,b)={fmt.worked(fmt.frac(fmt.num(dot), roots), answer)}\)。"
        r"余弦相似度只看方向不看长度：把任一向量放大若干倍，结果不变，取值在 \([-1,1]\) 之间。"
    )
    value = answer.to_float()
    return Solution(
        answer=answer,
        cross_check=cross,
        distractors=tuple(distractors),
        question=question,
        explanation=explanation,
        invariants=(("|cos| ≤ 1", abs(value) <= 1 + 1e-12),
                    ("scaling a leaves cos unchanged",
                     Surd.rat(dot * 3) * Surd.power(aa * 9 * bb, Fraction(-1, 2)) == answer)),
    )


CONCEPT = Concept(
    name="cosine_similarity",
    title="余弦相似度 (Cosine Similarity)",
    canonical=(
        r"\frac{\sum_i a_ib_i}{\sqrt{\sum_i a_i^2}\sqrt{\sum_i b_i^2}}",
        r"\frac{a^\top b}{\|a\|\|b\|}",
    ),
    recognise=recognise,
    sample=sample,
    solve=solve,
)
