"""Every concept's answer recomputed from its exported ``params`` with plain floats.

Written from the textbook definitions, independently of :mod:`quizgen.concepts` (``math`` only),
the way another tool recomputes ``answer.float`` from the JSON export. Used by the concept tests
and by the end-to-end export test.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

Params = Mapping[str, Any]


def _log(x: float, base: Any) -> float:
    return math.log(x) / (math.log(2) if base == 2 else 1.0)


def _softmax(z: list[float], k: int) -> float:
    top = max(z)
    ex = [math.exp(v - top) for v in z]
    return ex[k] / sum(ex)


def softmax(p: Params) -> float:
    return _softmax(list(p["logits"]), p["index"])


def mutual_information(p: Params) -> float:
    joint = p["joint"]
    px = [sum(r) for r in joint]
    py = [sum(r[j] for r in joint) for j in range(len(joint[0]))]
    return sum(
        v * _log(v / (px[i] * py[j]), p["base"])
        for i, r in enumerate(joint) for j, v in enumerate(r) if v > 0
    )


def contrastive_loss(p: Params) -> float:
    m, pairs = p["margin"], p["pairs"]
    total = sum(q["y"] * q["d"] ** 2 + (1 - q["y"]) * max(m - q["d"], 0) ** 2 for q in pairs)
    return total / (2 * len(pairs))


def dropout(p: Params) -> float:
    return p["p_keep"] * p["x"]


def inverted_dropout(p: Params) -> float:
    return p["x"] / (1 - p["p_drop"])


def cross_entropy(p: Params) -> float:
    return -sum(a * _log(b, p["base"]) for a, b in zip(p["p"], p["q"], strict=True) if a > 0)


def kl_divergence(p: Params) -> float:
    return sum(a * _log(a / b, p["base"]) for a, b in zip(p["p"], p["q"], strict=True) if a > 0)


def entropy(p: Params) -> float:
    return -sum(a * _log(a, p["base"]) for a in p["p"] if a > 0)


def sigmoid(p: Params) -> float:
    return 1 / (1 + math.exp(-p["x"]))


def infonce(p: Params) -> float:
    sims, t = p["sims"], p["tau"]
    return -math.log(math.exp(sims[0] / t) / sum(math.exp(s / t) for s in sims))


def softmax_temperature(p: Params) -> float:
    return _softmax([z / p["tau"] for z in p["logits"]], p["index"])


def gumbel_softmax(p: Params) -> float:
    z = [(a + g) / p["tau"] for a, g in zip(p["logits"], p["gumbels"], strict=True)]
    return _softmax(z, p["index"])


def perplexity(p: Params) -> float:
    probs = p["probs"]
    return float(math.prod(probs) ** (-1 / len(probs)))


def ngram_probability(p: Params) -> float:
    k = p["add_k"]
    return (p["count_ngram"] + k) / (p["count_context"] + k * p["vocab"])


def attention_weight(p: Params) -> float:
    q = p["query"]
    scores = [sum(a * b for a, b in zip(q, key, strict=True)) / math.sqrt(len(q))
              for key in p["keys"]]
    return _softmax(scores, p["index"])


def batch_norm(p: Params) -> float:
    xs = p["batch"]
    mu = sum(xs) / len(xs)
    var = sum((x - mu) ** 2 for x in xs) / len(xs)
    return p["gamma"] * (xs[p["index"]] - mu) / math.sqrt(var + p["eps"]) + p["beta"]


def l2_penalty(p: Params) -> float:
    lam = p["lambda"] / 2 if p["half"] else p["lambda"]
    return lam * sum(w * w for w in p["weights"])


def adam_bias_correction(p: Params) -> float:
    return p["moment"] / (1 - p["beta"] ** p["t"])


def momentum_update(p: Params) -> float:
    b, g = p["beta"], p["grad"]
    v = b * p["velocity"] + ((1 - b) * g if p["dampened"] else g)
    return p["theta"] - p["lr"] * v


def gaussian_reparameterization(p: Params) -> float:
    return p["mu"] + p["sigma"] * p["eps"]


def kl_gaussian_standard(p: Params) -> float:
    return 0.5 * sum(m * m + s * s - math.log(s * s) - 1
                     for m, s in zip(p["mu"], p["sigma"], strict=True))


def receptive_field(p: Params) -> float:
    r, jump = 1, 1
    for layer in p["layers"]:
        r += (layer["kernel"] - 1) * jump
        jump *= layer["stride"]
    return r


def conv_output_size(p: Params) -> float:
    return math.floor((p["size"] + 2 * p["padding"] - p["kernel"]) / p["stride"]) + 1


def classification_metric(p: Params) -> float:
    tp, fp, fn, tn = p["tp"], p["fp"], p["fn"], p["tn"]
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    return {
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall),
        "accuracy": (tp + tn) / (tp + fp + fn + tn),
    }[p["metric"]]


def cosine_similarity(p: Params) -> float:
    a, b = p["a"], p["b"]
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    return dot / (math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)))


def label_smoothing(p: Params) -> float:
    probs, k, e = p["probs"], p["target"], p["epsilon"]
    n = len(probs)
    q = [(1 - e) * (i == k) + e / n for i in range(n)]
    return -sum(qi * math.log(pi) for qi, pi in zip(q, probs, strict=True))


def binary_cross_entropy(p: Params) -> float:
    y, q = p["y"], p["p"]
    return -(y * _log(q, p["base"]) + (1 - y) * _log(1 - q, p["base"]))


def focal_loss(p: Params) -> float:
    pt = p["p"]
    return -p["alpha"] * (1 - pt) ** p["gamma"] * math.log(pt)


def pooling(p: Params) -> float:
    k, s, i, j = p["size"], p["stride"], p["row"], p["col"]
    window = [p["input"][r][c] for r in range(i * s, i * s + k) for c in range(j * s, j * s + k)]
    return max(window) if p["mode"] == "max" else sum(window) / len(window)


RECOMPUTE: dict[str, Callable[[Params], float]] = {
    f.__name__: f for f in (
        softmax, mutual_information, contrastive_loss, dropout, cross_entropy, kl_divergence,
        entropy, sigmoid, infonce, softmax_temperature, gumbel_softmax, perplexity,
        ngram_probability, attention_weight, batch_norm, l2_penalty, adam_bias_correction,
        momentum_update, gaussian_reparameterization, kl_gaussian_standard, receptive_field,
        conv_output_size, classification_metric, cosine_similarity, label_smoothing,
        binary_cross_entropy, focal_loss, pooling, inverted_dropout,
    )
}
