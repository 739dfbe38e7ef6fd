"""InfoNCE (the contrastive loss of CPC, SimCLR's NT-Xent, MoCo) for one anchor:
``L = −log( exp(s_0/τ) / Σ_{j=0}^{K} exp(s_j/τ) )`` with the positive pair's similarity
``s_0`` first and ``K`` negatives; in nats."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import quizgen.concepts.format as fmt
from quizgen.concepts.base import Concept, Params, Solution
from quizgen.concepts.exact import LogExp, Value, exp_add, exp_term, fraction_of, json_number
from quizgen.concepts.logits import log_sum_exp_route, neg_log_softmax, softmax_of
from quizgen.concepts.shapes import (
    compact,
    context_has,
    divides_by_temperature,
    exp_fractions,
    log_of_exp_fraction,
)
from quizgen.patterns import lazy_pattern

_SIMILARITY = lazy_pattern(r"sim\(|\\top|\\cdot|\\langle|\^T")
TAUS = (Fraction(1, 10), Fraction(1, 5), Fraction(1, 2), Fraction(1))


def recognise(latex: str, context: str) -> bool:
    s = compact(latex)
    if not log_of_exp_fraction(s):
        return False
    for top, bottom in exp_fractions(s):
        if divides_by_temperature(top) and divides_by_temperature(bottom):
            return True
        if _SIMILARITY.search(top) and context_has(
            context, "infonce", "info nce", "nce", "nt-xent", "对比", "contrastive"
        ):
            return True
    return False


def sample(rng: random.Random) -> Params | None:
    k = rng.choice((2, 3, 3, 4))
    positive = Fraction(rng.randint(3, 9), 10)
    negatives = [Fraction(rng.randint(-5, 7), 10) for _ in range(k)]
    if positive in negatives:
        return None
    return {"sims": [json_number(v) for v in (positive, *negatives)],
            "tau": json_number(rng.choice(TAUS))}


def solve(params: Mapping[str, Any]) -> Solution:
    sims = [fraction_of(v) for v in params["sims"]]
    tau = fraction_of(params["tau"])
    if len(sims) < 2 or tau <= 0:
        raise ValueError("need a positive and at least one negative similarity, tau > 0")
    logits = [v / tau for v in sims]
    answer = neg_log_softmax(logits, 0)
    negatives = exp_add(*(exp_term(v - logits[0]) for v in logits[1:]))
    distractors: list[tuple[str, Value]] = [
        ("temperature_ignored", neg_log_softmax(sims, 0)),
        ("multiplied_by_temperature", neg_log_softmax([v * tau for v in sims], 0)),
        ("positive_left_out_of_denominator", LogExp.of(negatives)),
        ("probability_not_loss", softmax_of(logits, 0)),
        ("negative_as_positive", neg_log_softmax(logits, 1)),
    ]
    k = len(sims) - 1
    ts = fmt.num(params["tau"])
    negs = ", ".join(fmt.num(v) for v in params["sims"][1:])
    question = (
        rf"对比学习中，锚点与其正样本的余弦相似度为 \(s_0={fmt.num(params['sims'][0])}\)，与 {k} 个"
        rf"负样本的相似度为 \({negs}\)，温度 \(\tau={ts}\)。求这个锚点的 InfoNCE 损失 "
        rf"\(\mathcal{{L}}=-\log\frac{{\exp(s_0/\tau)}}{{\sum_{{j=0}}^{{{k}}}\exp(s_j/\tau)}}\)"
        r"（自然对数）。"
    )
    hardest = max(sims[1:])
    explanation = (
        rf"相似度除以温度得 \({fmt.vector(logits)}\)，"
        rf"\(\mathcal{{L}}=\log\sum_{{j}}e^{{(s_j-s_0)/\tau}}={fmt.with_approx(answer)}\)。"
        r"分母包含正样本本身，所以损失总为正；"
        + (rf"最难的负样本（相似度 {fmt.num(hardest)}）比正样本还像锚点，损失很大。"
           if hardest > sims[0] else
           r"\(\tau\) 越小，与正样本差距越小的难负样本在分母中的比重越大。")
    )
    loss = answer.to_float()
    bound = math.log(k + 1)
    return Solution(
        answer=answer,
        cross_check=log_sum_exp_route(logits, 0),
        distractors=tuple(distractors),
        question=question,
        explanation=explanation,
        invariants=(
            ("loss > 0", loss > 0),
            ("loss ≤ log(K+1) when the positive is the most similar",
             hardest > sims[0] or loss <= bound + 1e-12),
        ),
    )


CONCEPT = Concept(
    name="infonce",
    title="InfoNCE 损失 (InfoNCE Loss)",
    canonical=(r"-\log\frac{\exp(s_0/\tau)}{\sum_{j=0}^{K}\exp(s_j/\tau)}",),
    recognise=recognise,
    sample=sample,
    solve=solve,
    up_to_scale=True,  # summed or averaged over a batch, in bits or nats: the same loss
)
