"""The note types of the package: constant ids, frozen field and template names.

Anki matches note types by id and then by schema (the number and names of fields and
templates). Renaming or adding a field under an existing id makes Anki import a copy of the
note type and skip every update, so:

- the ids below never change;
- the field and template names never change (``Spare1``/``Spare2`` are reserved so a future
  field needs no schema change); ``tests/export/test_anki_models.py`` pins them;
- CSS and template *text* may change freely: Anki takes them when the note type's ``mod`` is
  newer, which :mod:`quizgen.export.anki_state` takes care of.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

# Never change these ids (see the module doc).
BASIC_ID = 1787605393
CLOZE_ID = 2005786251
CHOICE_ID = 1404618117

_TEMPLATES = resources.files("quizgen") / "templates" / "anki"


def _read(name: str) -> str:
    return (_TEMPLATES / name).read_text(encoding="utf-8")


def css() -> str:
    """The style sheet every note type carries."""
    return _read("style.css")


@dataclass(frozen=True)
class Shape:
    """A note type as data: what the schema test pins and what the content hash covers."""

    model_id: int
    name: str
    fields: tuple[str, ...]  # frozen
    templates: tuple[tuple[str, str, str], ...]  # (frozen name, front file, back file)
    cloze: bool = False

    def template_dicts(self) -> list[dict[str, str]]:
        return [{"name": n, "qfmt": _read(q), "afmt": _read(a)} for n, q, a in self.templates]

    def digest(self) -> str:
        """Hash of everything Anki stores for the note type: changes → a newer ``mod``."""
        body = json.dumps(
            [self.name, self.fields, self.template_dicts(), _read("style.css")], sort_keys=True
        )
        return hashlib.sha1(body.encode("utf-8")).hexdigest()


BASIC = Shape(
    BASIC_ID, "quizgen Basic",
    ("Front", "Back", "Extra", "Source", "Key", "Spare1", "Spare2"),
    (("Card", "basic_front.html", "basic_back.html"),),
)
CLOZE = Shape(
    CLOZE_ID, "quizgen Cloze",
    ("Text", "Context", "Extra", "Source", "Key", "Spare1", "Spare2"),
    (("Cloze", "cloze_front.html", "cloze_back.html"),),
    cloze=True,
)
CHOICE = Shape(
    CHOICE_ID, "quizgen Choice",
    ("Question", "Options", "Answer", "Back", "Extra", "Source", "Key", "Spare1", "Spare2"),
    (("Choice", "choice_front.html", "choice_back.html"),),
)
SHAPES: tuple[Shape, ...] = (BASIC, CLOZE, CHOICE)


def _model(shape: Shape) -> Any:
    import genanki  # only when a collection row is written: a rebuild may need none

    return genanki.Model(
        shape.model_id, shape.name, fields=[{"name": f} for f in shape.fields],
        templates=shape.template_dicts(), css=_read("style.css"),
        model_type=genanki.Model.CLOZE if shape.cloze else genanki.Model.FRONT_BACK,
        sort_field_index=0,
    )


def model_json(shape: Shape, mod: int, deck_id: int) -> dict[str, Any]:
    """The note type as the collection row stores it, stamped with its own ``mod`` instead of
    the package-wide timestamp genanki would put there."""
    data: dict[str, Any] = _model(shape).to_json(0, deck_id)
    data["mod"] = mod
    return data


@cache
def digests() -> dict[int, str]:
    """Content hash of each note type, by id (templates are read once per process)."""
    return {s.model_id: s.digest() for s in SHAPES}
