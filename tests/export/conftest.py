"""Hand-made cards and a real Anki collection to import them into."""

from __future__ import annotations

import re
import struct
import tempfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from quizgen.model import Card, Choice, Cloze, SourceRef

DECK = "机器学习::基础"
NS = "机器学习"


def tiny_png(rgb: tuple[int, int, int] = (0, 160, 0)) -> bytes:
    """A valid 1×1 PNG of one colour (different colours → different bytes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + bytes(rgb))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(
        b"IEND", b""
    )


@dataclass(frozen=True)
class Vault:
    """A notes folder on disk (a note file and its images) that cards point into."""

    root: Path
    note: Path  # notes/ml/softmax.md

    def src(self, line: int) -> SourceRef:
        return SourceRef(str(self.note), line)


@pytest.fixture
def vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Vault:
    # genanki and anki write temp files to TMPDIR; keep them in the test's folder.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    root = tmp_path / "notes"
    (root / "ml" / "img").mkdir(parents=True)
    note = root / "ml" / "softmax.md"
    note.write_text("# Softmax\n", encoding="utf-8")
    (root / "ml" / "img" / "softmax.png").write_bytes(tiny_png())
    (tmp_path / "secret.png").write_bytes(tiny_png((255, 0, 0)))
    return Vault(root, note)


def card(v: Vault, kind: str, key: str, front: str, back: str, line: int = 3,
         **extra: Any) -> Card:
    full = f"ml/softmax.md|{kind}|{key}"
    return Card(
        id=f"qg-{kind}-{key}", key=full, kind=kind, deck=DECK, tags=("机器学习", "deep learning"),
        front=front, back=back, source=v.src(line), note_title="Softmax", category="",
        **extra,
    )


SOFTMAX = r"\sigma(\mathbf{z})_i=\frac{e^{z_i}}{\sum_j e^{z_j}}"
MALICIOUS = "<script>alert(1)</script> 与 <img src=x onerror=alert(1)> 以及 {{c1::oops}}"


def sample_cards(v: Vault, *, definition: str = "", formula: str = SOFTMAX) -> list[Card]:
    """A realistic deck: Chinese definitions with math, a softmax cloze hiding the numerator,
    a choice card, a legend, an image and a malicious card."""
    definition = definition or (
        r"**Softmax** 函数把任意实数向量 \(\mathbf{z}\) 映射为概率分布：\[" + formula + r"\]"
        r"，其中 \(0<\sigma_i<1\) 且 \(\sum_i \sigma_i = 1\)。"
    )
    numerator_at = formula.index(r"\frac{") + len(r"\frac{")
    return [
        card(v, "definition", "def:Softmax", "什么是 Softmax（归一化指数函数）？", definition,
             line=3, term="Softmax"),
        card(v, "reverse", "def:Softmax", "哪个函数：" + definition.replace("Softmax", "____"),
             "Softmax", line=3, term="Softmax"),
        card(v, "cloze", "concept:softmax#0", r"补全公式（Softmax）：\[?\]",
             r"\[" + formula + r"\]", line=5, term="Softmax", concept="softmax",
             cloze=Cloze(formula[:numerator_at], "e^{z_i}",
                         formula[numerator_at + len("e^{z_i}"):])),
        card(v, "choice", "def:交叉熵", "下列哪个术语的定义是：衡量两个分布 \\(p, q\\) 差异的 ____",
             "交叉熵 (Cross Entropy)", line=9, term="交叉熵",
             choices=(Choice("Softmax", "Softmax", False, "other_term"),
                      Choice("交叉熵", "交叉熵", True),
                      Choice("KL 散度", "KL 散度", False, "other_term"),
                      Choice(r"\(\log\)-似然", "似然", False, "other_term"))),
        card(v, "legend", "concept:softmax#0:z_j",
             r"在 \(" + SOFTMAX + r"\) 中，\(z_j\) 表示什么？",
             "第 \\(j\\) 个类别的 logit（未归一化得分）", line=7, term="Softmax"),
        card(v, "recall", "concept:softmax#0", "写出 Softmax 的公式。", r"\[" + SOFTMAX + r"\]",
             line=5, extra="图示：![softmax 曲线](img/softmax.png)"),
        card(v, "variant", "softmax#0", r"设 \(z=(1, 2)\)，求 \(\sigma(z)_1\)（精确值）。",
             r"\(\frac{1}{1+e}\)", line=5, concept="softmax"),
        card(v, "definition", "def:恶意", MALICIOUS, "`{{Front}}` 与 [sound:evil.mp3] 不应生效",
             line=11, term="恶意"),
    ]


class Anki:
    """A real Anki collection (the headless backend) to import packages into."""

    def __init__(self, path: Path) -> None:
        from anki.collection import Collection

        self.col = Collection(str(path))

    def import_(self, apkg: Path) -> Any:
        from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

        request = ImportAnkiPackageRequest(
            package_path=str(apkg), options=ImportAnkiPackageOptions(with_scheduling=True)
        )
        log = self.col.import_anki_package(request).log
        self.col.models._clear_cache()  # stale after a backend import
        return log

    def notes(self) -> list[Any]:
        return [self.col.get_note(nid) for nid in self.col.find_notes("")]

    def note(self, guid: str) -> Any:
        return next(n for n in self.notes() if n.guid == guid)

    def rendered(self) -> Iterator[tuple[Any, str]]:
        """(card, HTML) for both sides of every card."""
        for note in self.notes():
            for c in note.cards():
                out = c.render_output()
                yield c, out.question_text
                yield c, out.answer_text


@pytest.fixture
def anki(tmp_path: Path) -> Iterator[Anki]:
    a = Anki(tmp_path / "collection.anki2")
    yield a
    a.col.close()


_MATH = re.compile(r"\\\((.*?)\\\)|\\\[(.*?)\\\]", re.S)


def render_issues(html: str) -> list[str]:
    """What would show broken: unbalanced spans, math delimiters or braces inside math."""
    issues: list[str] = []
    if html.count("<span") != html.count("</span>"):
        issues.append("unbalanced <span>")
    opens = [m.group() for m in re.finditer(r"\\[\(\[]|\\[\)\]]", html)]
    depth = 0
    for tok in opens:
        depth += 1 if tok in ("\\(", "\\[") else -1
        if depth not in (0, 1):
            issues.append("nested or unbalanced math delimiters")
            break
    if depth != 0:
        issues.append("unclosed math delimiter")
    for m in _MATH.finditer(html):
        body = re.sub(r"\\[{}]", "", m.group(1) or m.group(2) or "")
        level = 0
        for ch in body:
            level += {"{": 1, "}": -1}.get(ch, 0)
            if level < 0:
                break
        if level != 0:
            issues.append(f"unbalanced braces in math: {body!r}")
    return issues


def kinds(cards: Sequence[Card]) -> set[str]:
    return {c.kind for c in cards}
