"""Write a synthetic vault of notes in the user's style (for benchmarks).

    python benchmarks/make_vault.py benchmarks/vault --notes 1000 --seed 1

Each note is ~2 KB with ~5 definitions and ~5 display formulas (some recognised concepts,
legends, inline math, a code fence), so parsing and generation do realistic work.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

TERMS = [
    ("互信息", "Mutual Information", "MI"), ("交叉熵", "Cross Entropy", "CE"),
    ("相对熵", "KL Divergence", "KL"), ("信息熵", "Entropy", "H"),
    ("对比损失", "Contrastive Loss", ""), ("暂退法", "Dropout", ""),
    ("池化", "Pooling", ""), ("感受野", "Receptive Field", "RF"),
    ("偏置", "Bias", ""), ("重参数", "Reparameterization", ""),
    ("语言模型", "Language Model", "LM"), ("优化器", "Optimizer", ""),
    ("激活函数", "Activation Function", ""), ("归一化", "Normalization", "BN"),
]
FORMULAS = [
    r"\sigma(z)_i=\frac{e^{z_i}}{\sum_{j=1}^{K} e^{z_j}}",
    r"I(X;Y)=\sum_{x}\sum_{y}p(x,y)\log\frac{p(x,y)}{p(x)p(y)}",
    r"L=\frac{1}{2N}\sum_{n=1}^{N}[y d^2+(1-y)\max(margin-d,0)^2]",
    r"H(p,q)=-\sum_{i} p_i\log q_i",
    r"D_{KL}(p\|q)=\sum_{i} p_i\log\frac{p_i}{q_i}",
    r"H(X)=-\sum_{x} p(x)\log p(x)",
    r"\sigma(x)=\frac{1}{1+e^{-x}}",
    r"\theta_{t+1}=\theta_t-\eta g_t",
    r"m_t=\beta_1 m_{t-1}+(1-\beta_1)g_t",
    r"RF_{l}=RF_{l-1}+(k_l-1)\prod_{i=1}^{l-1}s_i",
]
PROSE = [
    "在训练过程中我们通常会观察到损失函数的下降速度与学习率的大小密切相关，",
    "这一点在实际工程中非常重要，因为它决定了模型能否稳定收敛。",
    "直观上看，这个量刻画了两个分布之间的差异程度，",
    "当样本数量足够大时，经验估计会逐渐接近真实的期望值。",
]


def note(i: int, rng: random.Random) -> str:
    parts = [
        "---", f"title: 合成笔记 {i}", "category: Deep Learning",
        f"tags: [合成, 主题{i % 7}]", "date: 2026-01-18", "---", "", f"# 合成笔记 {i}", "",
    ]
    for j in range(5):
        term, en, abbr = rng.choice(TERMS)
        alias = f"{en}, {abbr}" if abbr else en
        colon = rng.choice([":", "："])
        parts.append(f"## 小节 {j}")
        parts.append("")
        parts.append(f"{term}{j} ({alias}){colon}{rng.choice(PROSE)}{rng.choice(PROSE)}")
        parts.append("")
        parts.append("$$")
        parts.append(rng.choice(FORMULAS))
        parts.append("$$")
        parts.append("")
        legend = "其中, \\(x\\) 为输入, \\(y\\) 代表标签, \\(K\\) 表示类别数。"
        parts.append(legend + rng.choice(PROSE))
        parts.append("")
    parts += ["```python", "loss = x$ + y  # $x$ in code is not math", "```", ""]
    return "\n".join(parts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("folder", type=Path)
    ap.add_argument("--notes", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    args.folder.mkdir(parents=True, exist_ok=True)
    for i in range(args.notes):
        (args.folder / f"note{i:04d}.md").write_text(note(i, rng), encoding="utf-8")
    print(f"wrote {args.notes} notes to {args.folder}")


if __name__ == "__main__":
    main()
