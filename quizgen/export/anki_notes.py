"""One quizgen card → the note type and field HTML of one Anki note.

Card content is untrusted and may be malformed; a card that cannot be shown correctly is
reported as a :class:`~quizgen.model.Problem` and left out, never raised.

:func:`inputs_digest` hashes what a note is made from, so that a rebuild can tell an unchanged
card without rendering it. It covers the card fields read here and :func:`render_version`,
which changes with the code that turns them into HTML.
"""

from __future__ import annotations

import hashlib
import importlib
import re
import string
from dataclasses import dataclass
from functools import cache, lru_cache, partial
from pathlib import Path

import markdown_it

from quizgen.export.anki_models import BASIC, CHOICE, CLOZE, Shape
from quizgen.export.html import ImageHook, cloze_text, plain, render
from quizgen.export.media import Media
from quizgen.model import Card, Problem

# Bump when field HTML changes for a reason the sources hashed by render_version() do not show.
RENDER_VERSION = "1"
# Everything between a card and its row in the database.
_RENDERING_MODULES = ("quizgen.export.anki", "quizgen.export.anki_db",
                      "quizgen.export.anki_notes", "quizgen.export.html",
                      "quizgen.export.media", "quizgen.richtext", "quizgen.latex")

_TAG_SPACE = re.compile(r"[\s\"\x00-\x1f\x7f]+")


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


def stable_source(card: Card) -> str:
    """``path:line`` with the path as in the card's key (relative to the deck spec), not as
    the build's working folder shows it: building from another folder must not change a
    field, or Anki would re-stamp (and overwrite) every note."""
    return f"{card.key.split('|', 1)[0]}:{card.source.line}"


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


@cache
def render_version() -> str:
    """Hash of the code that turns cards into rows (read once per process): rows cached by
    another version are rendered again, and keep their ``mod`` unless their content changed."""
    h = hashlib.sha1(f"{RENDER_VERSION}|markdown-it {markdown_it.__version__}".encode())
    for name in _RENDERING_MODULES:
        path = importlib.import_module(name).__file__
        try:
            h.update(Path(path).read_bytes() if path else name.encode())
        except OSError:  # sources not installed: the version string has to do
            h.update(name.encode())
    return h.hexdigest()


def has_images(card: Card) -> bool:
    """Whether rendering may read an image file (whose bytes the card does not show)."""
    return any("![" in t for t in (card.front, card.back, card.extra)) or any(
        "![" in c.text for c in card.choices)


def inputs_digest(card: Card) -> str:
    """Hash of everything :func:`build` reads from ``card`` (plus the render version): equal
    hashes give equal notes, images aside (see :func:`has_images`)."""
    cz = card.cloze
    parts = (
        render_version(), card.kind, card.deck, card.key, card.tags, card.front, card.back,
        card.extra, stable_source(card), card.term, card.note_title,
        tuple((c.text, c.correct) for c in card.choices),
        None if cz is None else (cz.before, cz.hidden, cz.after, cz.display),
    )
    return hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()
