"""What an Anki note is made from, hashed: a rebuild tells an unchanged card by it, without
rendering the card (:mod:`quizgen.export.anki_notes`) or loading the Markdown renderer."""

from __future__ import annotations

import hashlib
import importlib.util
from functools import cache
from pathlib import Path

from quizgen.model import Card

# Bump when field HTML changes for a reason the sources hashed by render_version() do not show.
RENDER_VERSION = "1"
# Everything between a card and its row in the database (markdown-it's version is in its
# __init__).
_RENDERING_MODULES = ("quizgen.export.anki", "quizgen.export.anki_db",
                      "quizgen.export.anki_inputs", "quizgen.export.anki_notes",
                      "quizgen.export.anki_models", "quizgen.export.html",
                      "quizgen.export.media", "quizgen.richtext", "quizgen.latex", "markdown_it")


def stable_source(card: Card) -> str:
    """``path:line`` with the path as in the card's key (relative to the deck spec), not as
    the build's working folder shows it: building from another folder must not change a
    field, or Anki would re-stamp (and overwrite) every note."""
    return f"{card.key.split('|', 1)[0]}:{card.source.line}"


@cache
def render_version() -> str:
    """Hash of the code that turns cards into rows (read once per process): rows cached by
    another version are rendered again, and keep their ``mod`` unless their content changed."""
    h = hashlib.sha1(RENDER_VERSION.encode())
    for name in _RENDERING_MODULES:
        # Found, not imported: a rebuild that renders nothing need not load markdown-it.
        spec = importlib.util.find_spec(name)
        path = spec.origin if spec else None
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
    """Hash of everything :func:`~quizgen.export.anki_notes.build` reads from ``card`` (plus
    the render version): equal hashes give equal notes, images aside (see
    :func:`has_images`)."""
    cz = card.cloze
    parts = (
        render_version(), card.kind, card.deck, card.key, card.tags, card.front, card.back,
        card.extra, stable_source(card), card.term, card.note_title,
        tuple((c.text, c.correct) for c in card.choices),
        None if cz is None else (cz.before, cz.hidden, cz.after, cz.display),
    )
    return hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()
