"""Perplexity of a language model on an ``N``-word text:
``PPL = (Π_i p_i)^{−1/N} = exp(−(1/N) Σ_i ln p_i)`` with ``p_i = p(w_i | w_{<i})``."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import quizgen.concepts.format as fmt
from quizgen.concepts.base import Concept, Params, Solution
from quizgen.concepts.exact import LogLin, Rat, Surd, Value, fraction_of, json_number
from quizgen.concepts.shapes import compact, context_has, lhs
from quizgen.patterns import lazy_pattern

_NAMES = ("perplexity", "困惑度", "ppl")
_PPL_LHS = lazy_pattern(r"^(?:PPL|PP|\\?(?:mathrm|text|operatorname)?\{?(?:PPL|PP|Perplexity)\}?)"
                        r"(?:\([^=]*\))?$")
# exp(-1/N Σ log p…) and (Π p…)^{-1/N} / \sqrt[N]{1/P(…)}
_MEAN_LOG = lazy_pattern(r"\\exp\(-\\frac\{1\}\{\w+\}\\sum|2\^\{-\\frac\{1\}\{\w+\}\\sum")
_ROOT = lazy_pattern(r"\^\{-\\frac\{1\}\{\w+\}\}|\^\{-1/\w+\}|\\sqrt\[\w+\]\{\\frac\{1\}\{[pP]")
PROBS = tuple(Fraction(k, d) for d in (2, 4, 5, 8, 10, 20) for k in range(1, d)
              if math.gcd(k, d) == 1)


def recognise(latex: str, context: str) -> bool:
    s = compact(latex)
    left = lhs(s)
    shaped = bool(_MEAN_LOG.search(s) or _ROOT.search(s))
    if not shaped or (r"\log" not in s and r"\prod" not in s and "P(" not in s
                      and "p(" not in s and r"\sqrt[" not in s):
        return False
    return bool(_PPL_LHS.match(left)) or context_has(context, *_NAMES)


def sample(rng: random.Random) -> Params | None:
    n = rng.choice((2, 3, 3, 4))
    if rng.random() < 0.4:  # powers of two: the answer is an integer or a simple root
        probs = [Fraction(1, 2 ** rng.randint(1, 3)) for _ in range(n)]
    else:
        probs = [rng.choice(PROBS) for _ in range(n)]
    if len(set(probs)) == 1 and rng.random() < 0.7:
        return None  # equal probabilities make PPL = 1/p: allowed, but rarely
    return {"probs": [json_number(p) for p in probs]}


def solve(params: Mapping[str, Any]) -> Solution:
    probs = [fraction_of(v) for v in params["probs"]]
    if not probs or any(not 0 < p <= 1 for p in probs):
        raise ValueError("probabilities must lie in (0, 1]")
    n = len(probs)
    product = math.prod(probs, start=Fraction(1))
    answer = Surd.power(product, Fraction(-1, n))
    # Second route: 2 to the cross-entropy in bits, one logarithm per word.
    bits = LogLin((), 2)
    for p in probs:
        bits = bits - LogLin.ln(p, 2).scale(Fraction(1, n))
    via_entropy = Surd.prime_power(dict(bits.terms))
    mean = sum(probs, Fraction(0)) / n
    nats = LogLin((), "e")
    for p in probs:
        nats = nats - LogLin.ln(p).scale(Fraction(1, n))
    distractors: list[tuple[str, Value]] = [
        ("mean_probability", Rat(mean)),
        ("inverse_of_mean_probability", Rat(1 / mean)),
        ("no_nth_root", Rat(1 / product)),
        ("cross_entropy_not_exponentiated", nats),
        ("positive_exponent", Surd.power(product, Fraction(1, n))),
    ]
    words = ", ".join(rf"p_{i + 1}={fmt.num(v)}" for i, v in enumerate(params["probs"]))
    question = (
        rf"语言模型在一个 {n} 个词的测试句子上，给每个词的条件概率 \(p_i=p(w_i\mid w_{{<i}})\) "
        rf"依次为 \({words}\)。"
        rf"求模型在这句话上的困惑度 \(\mathrm{{PPL}}=\left(\prod_{{i=1}}^{{{n}}}p(w_i\mid w_{{<i}})"
        rf"\right)^{{-1/{n}}}\)。"
    )
    product_tex = r"\times ".join(fmt.num(v) for v in params["probs"])
    explanation = (
        rf"\(\prod_i p_i={product_tex}={fmt.with_approx(Rat(product))}\)，"
        rf"\(\mathrm{{PPL}}=({Rat(product).latex()})^{{-1/{n}}}"
        rf"={fmt.with_approx(answer)}\)。困惑度是几何平均概率的倒数，"
        r"等于 \(e\) 的（以 nat 计）平均交叉熵次方：模型好像平均在这么多个词里均匀地猜。"
    )
    ppl = answer.to_float()
    return Solution(
        answer=answer,
        cross_check=via_entropy,
        distractors=tuple(distractors),
        question=question,
        explanation=explanation,
        invariants=(("1 ≤ PPL ≤ 1/min p", 1 - 1e-12 <= ppl <= float(1 / min(probs)) + 1e-9),
                    ("PPL = e^{cross-entropy in nats}",
                     math.isclose(math.exp(nats.to_float()), ppl, rel_tol=1e-12))),
    )


CONCEPT = Concept(
    name="perplexity",
    title="困惑度 (Perplexity)",
    canonical=(
        r"\exp\left(-\frac{1}{N}\sum_{i=1}^{N}\log p_i\right)",
        r"\left(\prod_{i=1}^{N}p_i\right)^{-\frac{1}{N}}",
    ),
    recognise=recognise,
    sample=sample,
    solve=solve,
)
