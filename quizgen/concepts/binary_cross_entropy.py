"""Binary cross-entropy of one prediction: ``−(y log p + (1 − y) log(1 − p))`` for the label
``y`` (0, 1 or a soft label) and the predicted probability ``p`` of the positive class.

Its own concept rather than a case of :mod:`cross_entropy`: the formula family is the two-term
one with a single probability, and so are its slips (which term survives when ``y = 0``).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import quizgen.concepts.format as fmt
from quizgen.concepts.base import Concept, Params, Solution
from quizgen.concepts.cross_entropy import other_base
from quizgen.concepts.exact import LogLin, Rat, Value, fraction_of, json_number
from quizgen.concepts.info import entropy, kl
from quizgen.concepts.sampling import base_of
from quizgen.concepts.shapes import compact
from quizgen.patterns import lazy_pattern

_LOG = r"\\(?:log|ln)(?:_\{?\w+\}?)?"
# The predicted probability: p, \hat{y}, σ(z), D(x), D(G(z)), with an optional index.
_P = r"(?:\\hat\{?y\}?|[a-zA-Z]|\\sigma|\\pi)(?:_(?:\{\w+\}|\w))?(?:\((?:[^()]|\([^()]*\))*\))?"
_Y = r"(?:y|t|z)(?:_(?:\{\w+\}|\w))?"
_BCE = lazy_pattern(
    rf"(?P<y>{_Y}){_LOG}\(?(?P<p>{_P})\)?(?P<sep>[+-])\(1-(?P=y)\){_LOG}\(1-(?P=p)\)"
)
# What makes it a loss rather than a log-likelihood: −[…], −1/N Σ […], or −y log p − (1−y)…
_NEGATED = lazy_pattern(r"-(?:\\frac\{1\}\{\w+\})?"
                        r"(?:\\sum(?:_\{[^{}]*\}|_\w)?(?:\^\{[^{}]*\}|\^\w)?)?"
                        r"(?:\[|\(|\\\{)?$")


def recognise(latex: str, context: str) -> bool:
    s = compact(latex)
    m = _BCE.search(s)
    if not m:
        return False
    before = s[: m.start()]
    if m.group("sep") == "-":
        return before.endswith("-")
    return bool(_NEGATED.search(before))


PROBS = tuple(Fraction(k, 20) for k in range(1, 20))
SOFT = (Fraction(1, 10), Fraction(9, 10), Fraction(1, 5), Fraction(4, 5), Fraction(7, 10))


def sample(rng: random.Random) -> Params | None:
    y: Fraction = Fraction(rng.randint(0, 1)) if rng.random() < 0.8 else rng.choice(SOFT)
    p = rng.choice(PROBS)
    if p == y:
        return None
    return {"y": json_number(y), "p": json_number(p), "base": rng.choice((2, "e", "e"))}


def bce(y: Fraction, p: Fraction, base: Any) -> LogLin:
    total = LogLin((), base)
    if y:
        total = total - LogLin.ln(p, base).scale(y)
    if 1 - y:
        total = total - LogLin.ln(1 - p, base).scale(1 - y)
    return total


def solve(params: Mapping[str, Any]) -> Solution:
    y, p = fraction_of(params["y"]), fraction_of(params["p"])
    base = base_of(params["base"])
    if not 0 <= y <= 1 or not 0 < p < 1:
        raise ValueError("y must lie in [0, 1] and p in (0, 1)")
    answer = bce(y, p, base)
    # Second route: H(y) + D_KL(y ‖ p) on the two-point distributions (y, 1 − y), (p, 1 − p).
    cross = entropy([y, 1 - y], base) + kl([y, 1 - y], [p, 1 - p], base)
    distractors: list[tuple[str, Value]] = [
        ("bits_vs_nats", answer.in_base(other_base(base))),
        ("probabilities_swapped", bce(y, 1 - p, base)),
        ("only_the_positive_term", -LogLin.ln(p, base)),
        ("squared_error_instead", Rat((y - p) ** 2)),
        ("log10_instead", answer.in_base(10)),
    ]
    if y in (0, 1):
        distractors = [d for d in distractors if d[0] != "only_the_positive_term" or y == 0]
    ys, ps = fmt.num(params["y"]), fmt.num(params["p"])
    log = fmt.log_cmd(base)
    label = {"1": "正类（\\(y=1\\)）", "0": "负类（\\(y=0\\)）"}.get(ys, rf"软标签 \(y={ys}\)")
    question = (
        rf"二分类模型经 sigmoid 输出正类概率 \(p={ps}\)，该样本的标签为{label}。求二元交叉熵 "
        rf"\(L=-\left[y{log} p+(1-y){log}(1-p)\right]\)，{fmt.base_word(base)}。"
    )
    if y == 1:
        live = rf"只剩 \(-{log} p=-{log} {ps}\) 一项"
    elif y == 0:
        live = rf"只剩 \(-{log}(1-p)=-{log} {fmt.num(1 - p)}\) 一项"
    else:
        live = "两项都要算"
    explanation = (
        rf"{live}：\(L={fmt.with_approx(answer)}\)。预测越自信地偏离标签，损失增长越快"
        r"（\(p\to 0\) 而 \(y=1\) 时趋于无穷），这正是交叉熵比平方误差更适合分类的原因。"
    )
    return Solution(
        answer=answer,
        cross_check=cross,
        distractors=tuple(distractors),
        question=question,
        explanation=explanation,
        invariants=(("L ≥ H(y) ≥ 0", answer.to_float() >= entropy([y, 1 - y], base).to_float()
                     - 1e-12),),
    )


CONCEPT = Concept(
    name="binary_cross_entropy",
    title="二元交叉熵 (Binary Cross Entropy)",
    canonical=(r"-(y\log p+(1-y)\log(1-p))",),
    recognise=recognise,
    sample=sample,
    solve=solve,
    up_to_scale=True,  # summed or averaged over a batch, in bits or nats: the same loss
)
