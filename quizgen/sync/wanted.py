"""Cards → the notes the build wants in Anki, rendered by the .apkg exporter's own code
(:func:`quizgen.export.anki_notes.build`): the same note types, fields, tags and image names as
the package holds, so either route can continue the other.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from quizgen.export.anki import note_digest
from quizgen.export.anki_models import Shape
from quizgen.export.anki_notes import Built, build
from quizgen.export.html import plain
from quizgen.export.media import Media
from quizgen.model import Card, Problem


@dataclass(frozen=True)
class Wanted:
    """One note as the build wants it in Anki."""

    guid: str
    key: str  # the card key, as the Key field holds it (HTML)
    built: Built
    deck: str
    media: tuple[str, ...]  # image names the fields show
    card: Card

    @property
    def shape(self) -> Shape:
        return self.built.shape

    @property
    def fields(self) -> tuple[str, ...]:
        return self.built.fields

    @cached_property
    def hash(self) -> str:
        """:func:`fields_hash` of the fields (compared with Anki's several times a sync)."""
        return fields_hash(self.built.fields)

    @property
    def digest(self) -> str:
        """The .apkg state's hash of this note (note type, fields, tags)."""
        return note_digest(self.built)


def fields_hash(fields: Iterable[str]) -> str:
    """Hash of a note's fields as Anki keeps them: Anki stores note text NFC-normalised, so
    text that differs only in normal form is the same note."""
    # One normalisation of the joined text: nothing composes across the \x1f separator.
    text = unicodedata.normalize("NFC", "\x1f".join(fields))
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def key_field(key: str) -> str:
    """The Key field's value for a card key (what :func:`build` writes there), as Anki keeps
    it."""
    return unicodedata.normalize("NFC", plain(key))


def wanted(cards: Sequence[Card], media: Media) -> tuple[list[Wanted], list[Problem]]:
    """Render every card; cards that cannot become a working note are reported, not raised."""
    out: list[Wanted] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for card in cards:
        if card.id in seen:
            problems.append(Problem(card.source.path, card.source.line,
                                    f"duplicate card id {card.id} ({card.key}); kept the first"))
            continue
        built = build(card, media)
        shown = tuple(dict.fromkeys(media.used))
        media.used.clear()
        problems.extend(media.problems)
        media.problems.clear()
        if isinstance(built, Problem):
            problems.append(built)
            continue
        seen.add(card.id)
        out.append(Wanted(card.id, key_field(card.key), built, card.deck, shown, card))
    return out, list(dict.fromkeys(problems))
