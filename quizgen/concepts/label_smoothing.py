"""Cross-entropy with label smoothing (Szegedy et al. 2016): the target
``q = (1 − ε)·onehot(k) + ε/K`` replaces the one-hot label, and ``L = −Σ_i q_i ln p_i`` (nats)."""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import quizgen.concepts.format as fmt
from quizgen.concepts.base import Concept, Params, Solution
from quizgen.concepts.exact import LogLin, Value, fraction_of, json_number
from quizgen.concepts.info import cross_entropy, entropy
from quizgen.concepts.sampling import as_json, composition, distribution, pick_grid
from quizgen.concepts.shapes import compact, context_has
from quizgen.patterns import lazy_pattern

_E = r"(?:\\(?:var)?epsilon|\\alpha|\\eta)"
# (1 − ε)·y_k + ε/K, y_k(1 − α) + α/K, (1 − ε)δ_{k,y} + ε u(k)
_SMOOTHED = lazy_pattern(
    rf"(?:\(1-{_E}\)[a-z\\][^+=]*|[a-z\\][^+=]*\(1-{_E}\))\+(?:\\frac\{{{_E}\}}\{{(?:K|k|C|N|\|\w+\|)\}}"
    rf"|{_E}/(?:K|C|N)|{_E}u\()"
)
_NAMES = ("label smoothing", "标签平滑", "smooth")


def recognise(latex: str, context: str) -> bool:
    s = compact(latex)
    if not _SMOOTHED.search(s):
        return False
    # The same mixture is also an ε-greedy policy (1 − ε + ε/|A|): name it or show labels y / δ.
    return context_has(context, *_NAMES) or bool(re.search(r"y_|\\delta|y\^|q'|q\^", s))


EPSILONS = (Fraction(1, 10), Fraction(1, 10), Fraction(1, 5), Fraction(1, 20))


def sample(rng: random.Random) -> Params | None:
    k = rng.choice((3, 4, 4, 5))
    probs = composition(rng, k, pick_grid(rng, k))
    target = rng.randrange(k)
    if probs[target] == max(probs) and rng.random() < 0.3:
        return None  # mostly a model that is not already right: a loss worth computing
    return {"probs": as_json(probs), "target": target, "epsilon": json_number(rng.choice(EPSILONS))}


def smoothed(k: int, target: int, eps: Fraction, others: Fraction | None = None) -> list[Fraction]:
    """The smoothed target; ``others`` overrides the off-target mass (a misconception)."""
    off = eps / k if others is None else others
    return [(1 - eps + eps / k) if i == target and others is None else
            ((1 - eps) if i == target else off) for i in range(k)]


def solve(params: Mapping[str, Any]) -> Solution:
    ps = distribution(params["probs"])
    k, target = len(ps), params["target"]
    eps = fraction_of(params["epsilon"])
    if not isinstance(target, int) or not 0 <= target < k or not 0 < eps < 1:
        raise ValueError("target must be a class index and 0 < epsilon < 1")
    if any(p == 0 for p in ps):
        raise ValueError("a smoothed target puts mass on every class: no zero probabilities")
    q = smoothed(k, target, eps)
    answer = cross_entropy(q, ps, "e")
    # Second route: (1 − ε)·CE(one-hot) + ε·CE(uniform), the two losses the smoothing mixes.
    one_hot = -LogLin.ln(ps[target])
    uniform = cross_entropy([Fraction(1, k)] * k, ps, "e")
    cross = one_hot.scale(1 - eps) + uniform.scale(eps)
    spread = smoothed(k, target, eps, others=eps / (k - 1))
    kept = [Fraction(1) if i == target else eps / k for i in range(k)]
    distractors: list[tuple[str, Value]] = [
        ("no_smoothing", one_hot),
        ("epsilon_spread_over_other_classes_only", cross_entropy(spread, ps, "e")),
        ("target_keeps_full_mass", cross_entropy(kept, ps, "e")),
        ("only_the_target_term", one_hot.scale(q[target])),
        ("bits_instead_of_nats", answer.in_base(2)),
    ]
    pos, es = target + 1, fmt.num(params["epsilon"])
    question = (
        rf"{k} 分类，样本的真实类别是第 {pos} 类，模型输出 \(p={fmt.vector(params['probs'])}\)。"
        rf"使用标签平滑 "
        rf"\(\varepsilon={es}\)：目标分布 \(q_i=(1-\varepsilon)\,y_i+\frac{{\varepsilon}}{{K}}\)，"
        r"损失 \(L=-\sum_i q_i\ln p_i\)。求 \(L\)（单位 nat）。"
    )
    explanation = (
        rf"平滑后的目标 \(q={fmt.exact_vector(q)}\)：真实类得 \(1-\varepsilon+\varepsilon/K\)，"
        rf"其余每类 "
        rf"\(\varepsilon/K\)。\(L=-\sum_i q_i\ln p_i={fmt.with_approx(answer)}\)。"
        r"平滑让模型不再把正确类的概率推向 1（logit 无限增大），起正则化作用，也改善校准。"
    )
    return Solution(
        answer=answer,
        cross_check=cross,
        distractors=tuple(distractors),
        question=question,
        explanation=explanation,
        invariants=(("q sums to 1", sum(q, Fraction(0)) == 1),
                    ("L ≥ H(q)", answer.to_float() >= entropy(q, "e").to_float() - 1e-12)),
    )


CONCEPT = Concept(
    name="label_smoothing",
    title="标签平滑 (Label Smoothing)",
    canonical=(r"(1-\epsilon)y_i+\frac{\epsilon}{K}",),
    recognise=recognise,
    sample=sample,
    solve=solve,
)
