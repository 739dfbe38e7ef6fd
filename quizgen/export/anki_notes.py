"""One quizgen card → the note type and field HTML of one Anki note.

Card content is untrusted and may be malformed; a card that cannot be shown correctly is
reported as a :class:`~quizgen.model.Problem` and left out, never raised. What a note is made
from is hashed by :mod:`quizgen.export.anki_inputs`, so that a rebuild tells an unchanged card
without rendering it (or even importing this module).
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import lru_cache, partial

from quizgen.export.anki_inputs import stable_source
from quizgen.export.anki_models import BASIC, CHOICE, CLOZE, Shape
from quizgen.export.html import ImageHook, cloze_text, plain, render
from quizgen.export.media import Media
from quizgen.model import Card, Problem
from quizgen.patterns import lazy_pattern

_TAG_SPACE = lazy_pattern(r"[\s\"\x00-\x1f\x7f]+")


@dataclass(frozen=True)
class Built:
    shape: Shape
    fields: tuple[str, ...]
    tags: tuple[str, ...]


class CardError(ValueError):
    """A card that cannot be turned into a working Anki note (reported, not raised)."""


@lru_cache(maxsize=4096)  # the cards of a note share its tags
def anki_tags(tags: tuple[str, ...]) -> tuple[str, ...]:
    """Tags Anki keeps as given: no spaces or quotes (→ ``_``), no empty ``::`` parts.

    Chinese and other letters stay as they are; ``::`` keeps its meaning (a tag hierarchy).
    """
    out: list[str] = []
    for tag in tags:
        parts = (_TAG_SPACE.sub("_", p).strip("_:") for p in tag.split("::"))
        clean = "::".join(p for p in parts if p)
        if clean and clean not in out:
            out.append(clean)
    return tuple(out)


def _common(card: Card, image: ImageHook) -> tuple[str, str, str]:
    """Extra, Source and Key: the fields every note type ends with (before the spares)."""
    return render(card.extra, image), plain(stable_source(card)), plain(card.key)


def _basic(card: Card, image: ImageHook) -> tuple[str, ...]:
    front = render(card.front, image)
    if not front:
        raise CardError("card has no question text")
    return (front, render(card.back, image), *_common(card, image), "", "")


def _cloze(card: Card, image: ImageHook) -> tuple[str, ...]:
    cz = card.cloze
    if cz is None or not cz.hidden.strip():
        raise CardError("cloze card has nothing to hide")
    context = card.term or card.note_title
    return (cloze_text(cz), plain(context), *_common(card, image), "", "")


def _choice(card: Card, image: ImageHook) -> tuple[str, ...]:
    letters = string.ascii_uppercase
    correct = [i for i, c in enumerate(card.choices) if c.correct]
    if len(correct) != 1:
        raise CardError(f"choice card needs exactly one correct option, has {len(correct)}")
    if len(card.choices) > len(letters):
        raise CardError(f"choice card has {len(card.choices)} options (at most 26)")
    items = []
    for i, choice in enumerate(card.choices):
        cls = "qg-opt qg-correct" if choice.correct else "qg-opt"
        items.append(
            f'<li class="{cls}"><span class="qg-letter">{letters[i]}</span>'
            f"<span>{render(choice.text, image)}</span></li>"
        )
    right = card.choices[correct[0]]
    answer = f'<span class="qg-letter">{letters[correct[0]]}</span> {render(right.text, image)}'
    back = "" if card.back.strip() == right.text.strip() else render(card.back, image)
    options = f'<ul class="qg-options">{"".join(items)}</ul>'
    question = render(card.front, image)
    if not question:
        raise CardError("card has no question text")
    return (question, options, answer, back, *_common(card, image), "", "")


def build(card: Card, media: Media) -> Built | Problem:
    """The note for ``card``, or the problem that keeps it out of the package."""
    image: ImageHook = partial(media.image, source=card.source)
    try:
        if card.kind == "cloze":
            return Built(CLOZE, _cloze(card, image), anki_tags(card.tags))
        if card.kind == "choice":
            return Built(CHOICE, _choice(card, image), anki_tags(card.tags))
        return Built(BASIC, _basic(card, image), anki_tags(card.tags))
    except CardError as exc:
        return Problem(card.source.path, card.source.line, f"{card.kind} card {card.key}: {exc}")
