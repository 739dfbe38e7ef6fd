"""How a card asks, in the language its note is written in.

Chinese notes (the common case) get Chinese questions; a note written in English gets English
ones, so that "What is likelihood?" is not asked as "likelihood 是什么？". Drills computed for a
concept keep their own (Chinese) wording: they come from the concept registry, not the note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from quizgen.model import Definition, Note
from quizgen.patterns import lazy_pattern
from quizgen.richtext import CJK

BLANK = "＿＿＿"  # where a masked name stood


@dataclass(frozen=True)
class Phrasing:
    """The frames of one language."""

    lang: str

    @property
    def zh(self) -> bool:
        return self.lang != "en"

    def what_is(self, label: str) -> str:
        return f"{label} 是什么？" if self.zh else f"What is {label}?"

    def which_term(self, definition: str, *, of_these: bool = False) -> str:
        """The masked definition as a question; one that opens with the blank ("＿＿＿ is an
        adaptive method…") already reads as a sentence about the term."""
        if definition.startswith(BLANK):
            if self.zh:
                return f"{'下列' if of_these else ''}哪个术语填在空白处：{definition}"
            return f"Which {'of these terms' if of_these else 'term'} fills the blank: {definition}"
        if self.zh:
            return f"{'下列' if of_these else ''}哪个术语的定义是：{definition}"
        return f"Which {'of these terms' if of_these else 'term'} is defined as: {definition}"

    def complete(self, label: str) -> str:
        if self.zh:
            return f"补全公式（{label}）：" if label else "补全公式："
        return f"Complete the formula ({label}): " if label else "Complete the formula: "

    def recall(self, label: str) -> str:
        if self.zh:
            left = " " if label[:1].isascii() else ""
            right = " " if label[-1:].isascii() else ""
            if label.endswith(("公式", "方程", "等式", "不等式")):
                return f"写出{left}{label}"  # "写出贝叶斯公式", not "贝叶斯公式的公式"
            return f"写出{left}{label}{right}的公式"
        return f"Write down the formula for {label}"

    def legend(self, formula: str, symbol: str) -> str:
        if self.zh:
            return f"在公式 {formula} 中，{symbol} 表示什么？"
        return f"In the formula {formula}, what does {symbol} stand for?"

    def aside(self, text: str) -> str:
        """Context after a question: the list a term comes from, a formula's name."""
        if not text:
            return ""
        return f"（{text}）" if self.zh else f" — {text}"

    def named(self, lhs: str, name: str) -> str:
        """A formula by its left-hand side and its name: ``\\(I(X;Y)\\)（互信息）``."""
        return f"{lhs}（{name}）" if self.zh else f"{lhs} ({name})"

    def step_of(self, step: str, whole: str) -> str:
        """A step said with its algorithm: ``前向算法的终止``, ``Termination step of Forward
        algorithm``."""
        return f"{whole}的{step}" if self.zh else f"{step} step of {whole}"

    def in_note(self, name: str, title: str) -> str:
        """A generic name said with the note's title: ``Softmax 笔记中的损失函数``."""
        if not self.zh:
            return f"the {name} in {title}"
        return f"{title}{' ' if title[-1:].isascii() else ''}中的{name}"  # "MQA 中的 head_i"

    def where(self, shown: str, also: str) -> str:
        """Where else the deck defines a term (a card's extra field)."""
        parts = []
        if shown:
            parts.append(f"出处：{shown}" if self.zh else f"Source: {shown}")
        if also:
            parts.append(f"另见：{also}" if self.zh else f"See also: {also}")
        return ("；" if self.zh else "; ").join(parts)

    @property
    def list_sep(self) -> str:
        return "；" if self.zh else "; "


ZH = Phrasing("zh")
EN = Phrasing("en")


def titled(front: str, title: str) -> str:
    """A question told apart from another's by its note's title, in the question's language."""
    if title in front:
        return front
    return f"{front}（{title}）" if CJK.search(front) else f"{front} ({title})"


def phrasing_for(note: Note, d: Definition | None = None) -> Phrasing:
    """The note's language; for a definition quoted in English inside a Chinese note (term and
    text without a Chinese character), English."""
    if note.language == "en":
        return EN
    if d is not None and not CJK.search(d.term) and not CJK.search(d.text):
        return EN
    return ZH


# The frames around a masked definition and the context after it, in either language: the gate
# compares what the questions say, not how they are framed.
TERM_QUESTION = lazy_pattern(
    r"^(?:(?:下列)?哪个术语(?:的定义是|填在空白处)：|"
    r"Which (?:of these terms|term) (?:is defined as|fills the blank): )"
)
ASIDE = lazy_pattern(r"(?:（[^（）]*）| — [^—]*)$")
WHAT_IS = lazy_pattern(r"^What is (?P<label>.*)\?$|^(?P<label_zh>.*) 是什么？$", re.S)


def asked_label(front: str) -> str:
    """The term label a "what is …?" question asks about, its context left out."""
    m = WHAT_IS.match(ASIDE.sub("", front))
    if m is None:
        return front
    return m.group("label") if m.group("label") is not None else m.group("label_zh")
