"""Classification metrics from a confusion matrix: precision ``TP/(TP+FP)``, recall
``TP/(TP+FN)``, ``F1 = 2PR/(P+R)`` and accuracy ``(TP+TN)/(TP+FP+FN+TN)``.

The extra key ``story`` picks the setting the question describes (spam filtering, disease
screening, defect detection); the counts are what the parameters say.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from quizgen.concepts.base import Concept, Params, Solution
from quizgen.concepts.exact import Rat, Value
from quizgen.concepts.format import frac, with_approx, worked
from quizgen.concepts.shapes import compact, fractions, lhs
from quizgen.patterns import lazy_pattern

METRICS = ("precision", "recall", "f1", "accuracy")
_SHAPES = {
    "precision": re.compile(r"TP/(?:TP\+FP|FP\+TP)"),
    "recall": re.compile(r"TP/(?:TP\+FN|FN\+TP)"),
    "f1": re.compile(r"2TP/2TP\+(?:FP\+FN|FN\+FP)"
                     r"|2(?:PR|RP|PRECISIONRECALL)/(?:P\+R|R\+P|PRECISION\+RECALL)"
                     r"|2/\\FRAC\{1\}\{P\}\+\\FRAC\{1\}\{R\}"),
}
_F1_SCALED = lazy_pattern(
    r"2\\frac\{(?:PR|RP|PrecisionRecall)\}\{(?:P\+R|R\+P|Precision\+Recall)\}")
_ALL_FOUR = {"TP", "TN", "FP", "FN"}
_LHS_NAMES = {
    "precision": ("precision", "p", "精确率", "查准率", "精度"),
    "recall": ("recall", "r", "召回率", "查全率", "tpr", "sensitivity", "灵敏度"),
    "f1": ("f1", "f_1", "f_{1}", "f1-score", "f1score"),
    "accuracy": ("accuracy", "acc", "准确率", "正确率"),
}


def which(latex: str) -> str | None:
    """The metric a formula defines, from the shape of its fraction (``None`` for others)."""
    s = compact(latex)
    if _F1_SCALED.search(s):
        return "f1"
    for num, den in fractions(s):
        text = f"{num}/{den}".upper()
        for name, shape in _SHAPES.items():
            if shape.fullmatch(text):
                return name
        if num.upper() in ("TP+TN", "TN+TP") and set(den.upper().split("+")) == _ALL_FOUR:
            return "accuracy"
    return None


def canonical_for(latex: str) -> tuple[str, ...]:
    """The standard forms of the metric the formula's left side names (else its shape), so a
    precision written with FN (recall's denominator) is reported instead of matching recall."""
    left = lhs(compact(latex)).casefold()
    for name, words in _LHS_NAMES.items():
        if left in words or any(left.startswith(w) for w in words if len(w) > 2):
            return _CANONICAL[name]
    shape = which(latex)
    return _CANONICAL[shape] if shape else tuple(f for forms in _CANONICAL.values() for f in forms)


_CANONICAL = {
    "precision": (r"\frac{TP}{TP+FP}",),
    "recall": (r"\frac{TP}{TP+FN}",),
    # "PR" reads as one name (like TP), so both spellings of the product are standard forms.
    "f1": (r"\frac{2PR}{P+R}", r"\frac{2P\cdot R}{P+R}", r"\frac{2TP}{2TP+FP+FN}"),
    "accuracy": (r"\frac{TP+TN}{TP+TN+FP+FN}",),
}


def recognise(latex: str, context: str) -> bool:
    return which(latex) is not None


STORIES = ("spam", "screening", "defect")


def sample(rng: random.Random) -> Params | None:
    tp, fp, fn = rng.randint(1, 60), rng.randint(0, 40), rng.randint(0, 40)
    tn = rng.randint(0, 200)
    if fp == fn == 0:
        return None
    return {"tp": tp, "fp": fp, "fn": fn, "tn": tn, "metric": rng.choice(METRICS),
            "story": rng.choice(STORIES)}


def metric(name: str, tp: int, fp: int, fn: int, tn: int) -> Fraction:
    """The metric from the four counts; raises ZeroDivisionError when it is undefined."""
    p, r = Fraction(tp, tp + fp), Fraction(tp, tp + fn)
    return {
        "precision": p,
        "recall": r,
        "f1": 2 * p * r / (p + r),
        "accuracy": Fraction(tp + tn, tp + fp + fn + tn),
    }[name]


_STORY = {
    "spam": ("垃圾邮件过滤器", "垃圾邮件", "正常邮件"),
    "screening": ("疾病筛查模型", "患者", "健康者"),
    "defect": ("缺陷检测模型", "次品", "合格品"),
}
_ASK = {"precision": "精确率（precision）", "recall": "召回率（recall）", "f1": "F1 值",
        "accuracy": "准确率（accuracy）"}


def solve(params: Mapping[str, Any]) -> Solution:
    counts = [params[k] for k in ("tp", "fp", "fn", "tn")]
    if not all(isinstance(c, int) and not isinstance(c, bool) and c >= 0 for c in counts):
        raise ValueError("counts must be non-negative integers")
    tp, fp, fn, tn = counts
    name = params["metric"]
    if name not in METRICS or tp == 0:
        raise ValueError("unknown metric, or no true positives")
    answer = Rat(metric(name, tp, fp, fn, tn))
    # Second route: through the error rates (1 − FDR, 1 − FNR, 2TP/(2TP+FP+FN), 1 − error).
    cross = Rat({
        "precision": 1 - Fraction(fp, tp + fp),
        "recall": 1 - Fraction(fn, tp + fn),
        "f1": Fraction(2 * tp, 2 * tp + fp + fn),
        "accuracy": 1 - Fraction(fp + fn, tp + fp + fn + tn),
    }[name])
    p, r = metric("precision", *counts), metric("recall", *counts)
    distractors: list[tuple[str, Value]] = [
        (f"{other}_instead", Rat(metric(other, *counts))) for other in METRICS if other != name
    ]
    if name == "f1":
        distractors.append(("arithmetic_mean_of_p_and_r", Rat((p + r) / 2)))
    if name in ("precision", "recall"):
        distractors.append(("true_positives_over_all", Rat(Fraction(tp, sum(counts)))))
    if tn + fp:
        distractors.append(("specificity_instead", Rat(Fraction(tn, tn + fp))))
    system, positive, negative = _STORY.get(params.get("story", "spam"), _STORY["spam"])
    question = (
        f"{system}在测试集上的结果：{tp} 个{positive}被正确判为{positive}（\\(TP={tp}\\)），"
        f"{fp} 个{negative}被误判为{positive}（\\(FP={fp}\\)），"
        f"{fn} 个{positive}被漏判为{negative}（\\(FN={fn}\\)），"
        f"{tn} 个{negative}被正确判为{negative}（\\(TN={tn}\\)）。"
        f"以{positive}为正类，求 {_ASK[name]}。"
    )
    formula = {
        "precision": r"\(P=\frac{TP}{TP+FP}=" + worked(frac(str(tp), str(tp + fp)), answer),
        "recall": r"\(R=\frac{TP}{TP+FN}=" + worked(frac(str(tp), str(tp + fn)), answer),
        "f1": (rf"\(P=\frac{{{tp}}}{{{tp + fp}}}\)，\(R=\frac{{{tp}}}{{{tp + fn}}}\)，"
               r"\(F_1=\frac{2PR}{P+R}=" + with_approx(answer)),
        "accuracy": r"\(\frac{TP+TN}{TP+FP+FN+TN}="
                    + worked(frac(str(tp + tn), str(sum(counts))), answer),
    }[name]
    why = {
        "precision": "精确率只看被判为正类的样本里有多少是真的，分母里是 FP。",
        "recall": "召回率只看真实的正类被找回了多少，分母里是 FN。",
        "f1": "F1 是 P 与 R 的调和平均，总是偏向两者中较小的那个。",
        "accuracy": "正负类不平衡时，准确率会被大量 TN 撑高，看不出正类找得好不好。",
    }[name]
    explanation = f"{formula}\\)。{why}"
    return Solution(
        answer=answer,
        cross_check=cross,
        distractors=tuple(distractors),
        question=question,
        explanation=explanation,
        invariants=(("0 ≤ metric ≤ 1", 0 <= answer.q <= 1),
                    ("min(P, R) ≤ F1 ≤ max(P, R)",
                     min(p, r) <= metric("f1", *counts) <= max(p, r))),
    )


CONCEPT = Concept(
    name="classification_metric",
    title="分类评价指标 (Precision / Recall / F1 / Accuracy)",
    canonical=tuple(f for forms in _CANONICAL.values() for f in forms),
    recognise=recognise,
    sample=sample,
    solve=solve,
    canonical_for=canonical_for,
)
