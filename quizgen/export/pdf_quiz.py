"""What the quiz and answer-key templates show for each card, as safe Typst markup."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from quizgen.export.typst_math import sympy_to_typst
from quizgen.export.typst_text import MathWriter, literal, text
from quizgen.model import Card
from quizgen.richtext import segments

LETTERS = "ABCDEFGH"
# Ruled answer lines under free-response questions, by card kind.
_LINES = {"definition": 3, "recall": 3, "reverse": 2, "legend": 2, "variant": 2}
_BLANK = r"\boxed{\qquad\qquad\qquad}"


@dataclass(frozen=True)
class QuizItem:
    """One numbered question: body and options are Typst markup."""

    number: int
    body: str
    options: tuple[str, ...] = ()
    columns: int = 1
    lines: int = 0


@dataclass(frozen=True)
class KeyItem:
    """One answer-key row."""

    number: int
    answer: str
    source: str
    letter: str = ""


@dataclass(frozen=True)
class VersionView:
    label: str
    items: tuple[QuizItem, ...]


@dataclass(frozen=True)
class KeyView:
    label: str
    items: tuple[KeyItem, ...]
    letters: tuple[tuple[int, str], ...]


def version_label(index: int) -> str:
    """0 → "A", 25 → "Z", 26 → "AA"."""
    label = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        label = chr(ord("A") + rest) + label
    return label


def _width(rich: str) -> int:
    """Printed width of rich text in Latin-letter units (CJK counts double, math roughly)."""
    total = 0
    for seg in segments(rich):
        if seg.math:
            total += len(re.sub(r"\\[A-Za-z]+|[{}_^ ]", "x", seg.text)) // 2 + 2
        else:
            total += sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in seg.text)
    return total


def _columns(options: Sequence[str]) -> int:
    widest = max((_width(o) for o in options), default=0)
    if len(options) >= 4 and widest <= 16:
        return 4
    return 2 if widest <= 38 else 1


def _cloze_body(card: Card, w: MathWriter) -> str:
    """The prompt text of the card, then the formula with a blank box where the part was."""
    assert card.cloze is not None
    prompt = "".join(s.text for s in segments(card.front) if not s.math).strip()
    cz = card.cloze
    return text(prompt) + w.math(f"{cz.before}{_BLANK}{cz.after}", display=True, at=card.source)


def quiz_item(number: int, card: Card, w: MathWriter) -> QuizItem:
    """A question as printed: options laid out compactly, space to write otherwise."""
    if card.cloze is not None:
        return QuizItem(number, _cloze_body(card, w))
    at = card.source
    body = w.rich(card.front, at)
    if card.choices:
        options = tuple(w.rich(c.text, at) for c in card.choices)
        return QuizItem(number, body, options, _columns([c.text for c in card.choices]))
    return QuizItem(number, body, lines=_LINES.get(card.kind, 2))


def _exact(card: Card) -> str:
    """``= exact ≈ decimal`` for a computed answer."""
    if card.answer is None:
        return ""
    pretty = sympy_to_typst(card.answer.value)
    exact = f"${pretty} $" if pretty is not None else f"#raw({literal(card.answer.value)});"
    return text("= ") + exact + text(f" ≈ {card.answer.float:.6g}")


def key_item(number: int, card: Card, w: MathWriter) -> KeyItem:
    """The answer row for one question: letter, exact value, or the expected text."""
    source = str(card.source)
    correct = [i for i, c in enumerate(card.choices) if c.correct]
    if correct:
        i = correct[0]
        letter = LETTERS[i] if i < len(LETTERS) else str(i + 1)
        answer = (
            f"#text(size: 1.15em, strong({literal(letter)}));#h(0.6em)"
            f"{w.rich(card.choices[i].text, card.source)}#h(0.8em){_exact(card)}"
        )
        return KeyItem(number, answer, source, letter)
    if card.cloze is not None:
        return KeyItem(number, w.math(card.cloze.hidden, display=False, at=card.source), source)
    if card.answer is not None:
        return KeyItem(number, _exact(card), source)
    return KeyItem(number, w.rich(card.back, card.source), source)


def quiz_views(versions: Sequence[Sequence[Card]], w: MathWriter) -> list[VersionView]:
    return [
        VersionView(version_label(v), tuple(quiz_item(n, c, w) for n, c in enumerate(cards, 1)))
        for v, cards in enumerate(versions)
    ]


def key_views(versions: Sequence[Sequence[Card]], w: MathWriter) -> list[KeyView]:
    out: list[KeyView] = []
    for v, cards in enumerate(versions):
        items = tuple(key_item(n, c, w) for n, c in enumerate(cards, 1))
        letters = tuple((i.number, i.letter) for i in items if i.letter)
        out.append(KeyView(version_label(v), items, letters))
    return out
