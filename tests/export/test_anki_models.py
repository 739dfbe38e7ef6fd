"""The note type schema is frozen: Anki re-imports only into an identical schema."""

from __future__ import annotations

from quizgen.export.anki_models import SHAPES

# Changing anything here breaks re-import into every existing collection: never do it. Add a
# new note type (new id) instead, or use the spare fields.
FROZEN = {
    1787605393: ("quizgen Basic", ("Front", "Back", "Extra", "Source", "Key", "Spare1", "Spare2"),
                 ("Card",)),
    2005786251: ("quizgen Cloze", ("Text", "Context", "Extra", "Source", "Key", "Spare1",
                                   "Spare2"), ("Cloze",)),
    1404618117: ("quizgen Choice", ("Question", "Options", "Answer", "Back", "Extra", "Source",
                                    "Key", "Spare1", "Spare2"), ("Choice",)),
}


def test_schema_is_frozen() -> None:
    assert {s.model_id: (s.name, s.fields, tuple(t[0] for t in s.templates))
            for s in SHAPES} == FROZEN


def test_templates_name_only_existing_fields() -> None:
    import re

    for s in SHAPES:
        for t in s.template_dicts():
            text = t["qfmt"] + t["afmt"]
            used = set(re.findall(r"\{\{[#/^]?(?:cloze:)?([A-Za-z0-9]+)\}\}", text))
            assert used <= set(s.fields) | {"FrontSide"}, (s.name, used - set(s.fields))
