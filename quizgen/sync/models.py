"""quizgen's note types in a live collection: checked, created when missing, their templates
and CSS brought up to date when quizgen's own change.

A note type of the same name with other fields or card templates is someone else's: it is
never changed, and the sync stops before writing anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from quizgen.export.anki_models import SHAPES, Shape, css, digests
from quizgen.sync.client import ActionFailed, Call, Client, SyncError
from quizgen.sync.state import SyncState


class Clash(SyncError):
    """The collection has a note type of one of quizgen's names with another schema."""


def _template_names(shape: Shape) -> list[str]:
    return [name for name, _, _ in shape.templates]


def check(client: Client, present: Mapping[str, int]) -> None:
    """Stop when a note type named like one of quizgen's has other fields or templates.

    Raises:
        Clash: it does (the message says what to rename).
        ActionFailed: Anki did not answer the questions.
    """
    mine = [s for s in SHAPES if s.name in present]
    calls: list[Call] = []
    for s in mine:
        calls += [("modelFieldNames", {"modelName": s.name}),
                  ("modelTemplates", {"modelName": s.name})]
    replies = client.multi(calls)
    for i, s in enumerate(mine):
        fields, templates = replies[2 * i], replies[2 * i + 1]
        if fields.error is not None or templates.error is not None:
            raise ActionFailed("modelFieldNames", str(fields.error or templates.error))
        theirs = [str(f) for f in fields.result or []]
        names = sorted(str(t) for t in (templates.result or {}))
        if theirs != list(s.fields) or names != sorted(_template_names(s)):
            raise Clash(
                f"Anki already has a note type named {s.name!r} with the fields "
                f"{', '.join(theirs) or '(none)'} and the card types {', '.join(names)}; "
                f"quizgen's {s.name!r} has the fields {', '.join(s.fields)} and the card type "
                f"{', '.join(_template_names(s))}. quizgen never changes a note type it did not "
                "make: rename that one in Anki (Tools → Manage Note Types → Rename) and sync "
                "again. Nothing was changed.")


def _templates(shape: Shape) -> list[dict[str, str]]:
    return [{"Name": t["name"], "Front": t["qfmt"], "Back": t["afmt"]}
            for t in shape.template_dicts()]


def create(client: Client, shapes: Iterable[Shape], state: SyncState) -> list[str]:
    """Create the note types ``shapes`` with quizgen's fields, templates and CSS.

    Raises:
        ActionFailed: Anki refused one.
    """
    made: list[str] = []
    for shape in shapes:
        client.invoke("createModel", modelName=shape.name, inOrderFields=list(shape.fields),
                      cardTemplates=_templates(shape), css=css(), isCloze=shape.cloze)
        state.models[shape.name] = digests()[shape.model_id]
        made.append(shape.name)
    return made


def refresh(client: Client, present: Mapping[str, int], state: SyncState) -> list[str]:
    """Send quizgen's templates and CSS to its note types when they changed in quizgen since
    the last sync. A note type first seen (imported from an .apkg) is only recorded: its
    templates are the package's, and CSS customised in Anki is kept.

    Raises:
        ActionFailed: Anki refused an update.
    """
    calls: list[Call] = []
    names: list[str] = []
    for shape in SHAPES:
        if shape.name not in present:
            continue
        digest = digests()[shape.model_id]
        sent = state.models.get(shape.name)
        state.models[shape.name] = digest
        if sent is None or sent == digest:
            continue
        templates: dict[str, Any] = {t["Name"]: {"Front": t["Front"], "Back": t["Back"]}
                                     for t in _templates(shape)}
        calls += [("updateModelTemplates", {"model": {"name": shape.name,
                                                      "templates": templates}}),
                  ("updateModelStyling", {"model": {"name": shape.name, "css": css()}})]
        names.append(shape.name)
    for reply in client.multi(calls):
        if reply.error is not None:
            raise ActionFailed("updateModelTemplates", reply.error)
    return names


def needed(shapes: Sequence[Shape], present: Mapping[str, int]) -> list[Shape]:
    """The note types among ``shapes`` the collection lacks, each once."""
    return [s for s in dict.fromkeys(shapes) if s.name not in present]
