"""n-gram conditional probability from counts, with add-k smoothing:
``p(w | context) = (C(context, w) + k) / (C(context) + k·V)``; ``k = 0`` is the maximum-likelihood
estimate, ``k = 1`` Laplace (add-one) smoothing. The extra keys ``words`` and ``tokens`` only
word the question (which bigram, how long the corpus is)."""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import quizgen.concepts.format as fmt
from quizgen.concepts.base import Concept, Params, Solution
from quizgen.concepts.exact import Rat, Value, fraction_of, json_number
from quizgen.concepts.shapes import compact, context_has, fractions
from quizgen.patterns import lazy_pattern

# A count function: C(..), c(..), \#(..), count(..), N(..).
_COUNT = r"(?:C|c|N|\\#|count|\\operatorname\{count\})"
_ARGS = lazy_pattern(rf"^{_COUNT}\(([^()]*)\)")
_NAMES = ("n-gram", "ngram", "gram", "语言模型", "language model", "平滑", "smoothing", "laplace",
          "拉普拉斯", "极大似然", "maximum likelihood", "mle")
BIGRAMS = (("我", "爱"), ("深度", "学习"), ("机器", "翻译"), ("the", "cat"), ("I", "am"),
           ("new", "york"), ("自然", "语言"), ("神经", "网络"))
KS = (0, 0, 1, 1, Fraction(1, 2), Fraction(1, 10))


def _count_args(text: str) -> int | None:
    """Arguments of the count function at the start of ``text`` (after an optional ``+k``)."""
    m = _ARGS.match(text)
    if not m:
        return None
    return len([a for a in re.split(r",|\\mid|\|", m.group(1)) if a]) or None


def recognise(latex: str, context: str) -> bool:
    s = compact(latex)
    for num, den in fractions(s):
        top, bottom = _count_args(num), _count_args(den)
        # C(w_{i-1}, w_i) over C(w_{i-1}): one word more on top than below.
        if top is not None and bottom is not None and top == bottom + 1:
            return context_has(context, *_NAMES) or bool(re.search(r"[pP]\([^=]*(?:\||\\mid)", s))
    return False


def sample(rng: random.Random) -> Params | None:
    k = rng.choice(KS)
    vocab = rng.choice((1000, 2000, 5000, 10, 20, 50)) if k else rng.choice((1000, 5000, 10000))
    context = rng.choice((2, 4, 5, 8, 10, 20, 25, 40, 50, 100, 200))
    ngram = 0 if k and rng.random() < 0.4 else rng.randint(1, context)
    if not k and ngram == context:
        return None  # probability 1: nothing to compute
    tokens = context * rng.choice((20, 50, 100))
    return {
        "count_ngram": ngram, "count_context": context, "vocab": vocab,
        "add_k": json_number(Fraction(k)), "words": list(rng.choice(BIGRAMS)), "tokens": tokens,
    }


def _counts(params: Mapping[str, Any]) -> tuple[Fraction, Fraction, Fraction, Fraction]:
    c, n = fraction_of(params["count_ngram"]), fraction_of(params["count_context"])
    v, k = fraction_of(params["vocab"]), fraction_of(params["add_k"])
    if c < 0 or n < c or v < 1 or k < 0 or n + k * v == 0:
        raise ValueError("need 0 ≤ count_ngram ≤ count_context, vocab ≥ 1, add_k ≥ 0")
    return c, n, v, k


def solve(params: Mapping[str, Any]) -> Solution:
    c, n, v, k = _counts(params)
    answer = Rat((c + k) / (n + k * v))
    distractors: list[tuple[str, Value]] = []
    tokens = params.get("tokens")
    if k:
        # Second route: smoothing interpolates the MLE and the uniform distribution 1/V.
        weight = n / (n + k * v)
        cross = Rat(weight * (c / n) + (1 - weight) / v) if n else Rat(1 / v)
        distractors += [
            ("smoothing_only_in_numerator", Rat((c + k) / n)),
            ("k_not_multiplied_by_vocab", Rat((c + k) / (n + k))),
            ("unsmoothed_estimate", Rat(c / n)),
        ]
        if k != 1:
            distractors.append(("added_vocab_without_k", Rat((c + k) / (n + v))))
    else:
        cross = Rat(1 - (n - c) / n)  # one minus the share of other continuations
        distractors.append(("smoothed_anyway", Rat((c + 1) / (n + v))))
        if isinstance(tokens, int) and tokens > 0:
            distractors += [("divided_by_corpus_size", Rat(c / tokens)),
                            ("context_probability", Rat(n / tokens))]
    prev, word = params.get("words") or ("w_{i-1}", "w_i")
    pair = f"“{prev} {word}”"
    corpus = f"语料共 {tokens} 个词，" if isinstance(tokens, int) else ""
    counts = (rf"{corpus}“{prev}”出现 {params['count_context']} 次，"
              rf"{pair} 出现 {params['count_ngram']} 次")
    cond = rf"p(\text{{{word}}}\mid\text{{{prev}}})"
    ks = fmt.num(params["add_k"])
    if k == 0:
        method = "用极大似然估计"
        formula = r"\(p(w_i\mid w_{i-1})=\frac{C(w_{i-1},w_i)}{C(w_{i-1})}\)"
    else:
        name = "加一（Laplace）平滑" if k == 1 else f"加 \\(k\\) 平滑（\\(k={ks}\\)）"
        method = f"词表大小 \\(V={params['vocab']}\\)，用{name}"
        formula = (r"\(p(w_i\mid w_{i-1})=\frac{C(w_{i-1},w_i)+k}"
                   r"{C(w_{i-1})+kV}\)")
    question = f"训练 bigram 语言模型：{counts}。{method} {formula}，求 \\({cond}\\)。"
    why = ("没见过的组合也得到非零概率，代价是从高频组合里“挪走”一部分概率。" if k else
           "这是条件概率，分母是上下文的次数而不是语料总词数；没见过的组合概率为 0，"
           "所以实践中要平滑。")
    kv = "" if not k else (rf"+{ks}" if k != 1 else "+1")
    den = "" if not k else (rf"+{ks}\times {params['vocab']}" if k != 1 else f"+{params['vocab']}")
    written = fmt.frac(f"{params['count_ngram']}{kv}", f"{params['count_context']}{den}")
    explanation = rf"\({cond}={fmt.worked(written, answer)}\)。{why}"
    return Solution(
        answer=answer,
        cross_check=cross,
        distractors=tuple(distractors),
        question=question,
        explanation=explanation,
        invariants=(("0 ≤ p ≤ 1", 0 <= answer.q <= 1),
                    ("smoothing never gives 0", not k or answer.q > 0)),
    )


CONCEPT = Concept(
    name="ngram_probability",
    title="n-gram 概率估计 (n-gram Probability)",
    canonical=(
        r"\frac{C(w_{i-1},w_i)}{C(w_{i-1})}",
        r"\frac{C(w_{i-1},w_i)+1}{C(w_{i-1})+V}",
        r"\frac{C(w_{i-1},w_i)+k}{C(w_{i-1})+kV}",
    ),
    recognise=recognise,
    sample=sample,
    solve=solve,
)
