"""Deck specs (``decks/*.yaml``): which notes, which card kinds, seed, quiz and sheet settings.

Read with ``yaml.safe_load`` and validated by hand so that every mistake names the file, the
key and what was expected.
"""

from __future__ import annotations

import glob
import itertools
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ALL_KINDS = ("definition", "reverse", "cloze", "recall", "legend", "variant", "choice")
DEFAULT_KINDS = ALL_KINDS
PRINTABLE_KINDS = ("choice", "variant", "recall", "definition", "reverse", "cloze", "legend")


class SpecError(ValueError):
    """A deck spec that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class QuizSpec:
    title: str = "测验"
    versions: int = 2
    questions: Mapping[str, int] = field(default_factory=lambda: {"choice": 10, "variant": 5})


@dataclass(frozen=True)
class SheetSpec:
    title: str = "公式速查"


@dataclass(frozen=True)
class DeckSpec:
    path: Path  # the spec file; relative globs and output are resolved against its folder
    name: str
    notes: tuple[str, ...]
    seed: int = 0
    kinds: tuple[str, ...] = DEFAULT_KINDS
    variants_per_concept: int = 3
    subdeck_per_note: bool = False
    quiz: QuizSpec | None = None
    sheet: SheetSpec | None = None
    output: str = "../build"
    font: str | None = None
    formats: tuple[str, ...] = ("apkg", "quiz", "sheet")

    @property
    def folder(self) -> Path:
        return self.path.parent

    @property
    def stem(self) -> str:
        return self.path.stem

    def output_dir(self) -> Path:
        return (self.folder / self.output).resolve()

    def notes_root(self) -> Path:
        """The folder the ``notes`` globs start from (their part before the first wildcard):
        images anywhere under it may be used, even beside the matched notes' own folders."""
        bases: list[str] = []
        for pattern in self.notes:
            parts = Path(pattern).parts
            fixed = list(itertools.takewhile(lambda p: not glob.has_magic(p), parts))
            base = self.folder.joinpath(*fixed) if fixed else self.folder
            bases.append(str((base if base.is_dir() else base.parent).resolve()))
        return Path(os.path.commonpath(bases)) if bases else self.folder.resolve()

    def note_files(self) -> list[Path]:
        """Files matched by the ``notes`` globs, sorted, each once.

        Raises:
            SpecError: a glob matches no file.
        """
        found: dict[Path, None] = {}
        for pattern in self.notes:
            full = str(self.folder / pattern)
            matches = sorted(Path(p) for p in glob.glob(full, recursive=True) if Path(p).is_file())
            if not matches:
                raise SpecError(f"{self.path}: notes: the glob {pattern!r} matches no file")
            for m in matches:
                found.setdefault(m, None)
        return list(found)


_TOP_KEYS = {
    "name", "notes", "seed", "cards", "quiz", "sheet", "output", "font", "formats",
}
_CARD_KEYS = {"kinds", "variants_per_concept", "subdeck_per_note"}
_QUIZ_KEYS = {"title", "versions", "questions"}
_SHEET_KEYS = {"title"}


def _check_keys(where: str, data: Mapping[str, Any], allowed: set[str]) -> None:
    for key in data:
        if key not in allowed:
            expected = ", ".join(sorted(allowed))
            raise SpecError(f"{where}: unknown key {key!r} (expected one of: {expected})")


def _typed(where: str, value: Any, kind: type | tuple[type, ...], expected: str) -> Any:
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise SpecError(f"{where}: expected {expected}, got {type(value).__name__} {value!r}")
    return value


def _section(path: Path, data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key) or {}
    return dict(_typed(f"{path}: {key}", value, dict, "a mapping"))


def load(path: Path) -> DeckSpec:
    """Read and validate a deck spec.

    Raises:
        SpecError: unreadable file, invalid YAML, unknown key or wrong type.
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SpecError(f"{path}: cannot read deck spec: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise SpecError(f"{path}: deck spec is not UTF-8") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise SpecError(f"{path}{line}: deck spec is not valid YAML") from exc
    _typed(str(path), data, dict, "a YAML mapping at the top level")
    _check_keys(str(path), data, _TOP_KEYS)
    if "name" not in data or "notes" not in data:
        raise SpecError(f"{path}: the keys 'name' and 'notes' are required")
    name = str(_typed(f"{path}: name", data["name"], str, "a deck name string")).strip()
    notes_raw = data["notes"]
    if isinstance(notes_raw, str):
        notes_raw = [notes_raw]
    notes = _typed(f"{path}: notes", notes_raw, list, "a list of globs")
    for i, g in enumerate(notes):
        _typed(f"{path}: notes[{i}]", g, str, "a glob string")

    cards = _section(path, data, "cards")
    _check_keys(f"{path}: cards", cards, _CARD_KEYS)
    kinds = tuple(_typed(f"{path}: cards.kinds", cards.get("kinds", list(DEFAULT_KINDS)), list,
                         "a list of card kinds"))
    for k in kinds:
        if k not in ALL_KINDS:
            raise SpecError(
                f"{path}: cards.kinds: unknown kind {k!r} (expected: {', '.join(ALL_KINDS)})"
            )
    vpc = _typed(f"{path}: cards.variants_per_concept", cards.get("variants_per_concept", 3),
                 int, "a whole number")
    if not 0 <= vpc <= 50:
        raise SpecError(f"{path}: cards.variants_per_concept: expected 0 to 50, got {vpc}")

    quiz: QuizSpec | None = None
    if data.get("quiz") is not None:
        q = _section(path, data, "quiz")
        _check_keys(f"{path}: quiz", q, _QUIZ_KEYS)
        versions = _typed(f"{path}: quiz.versions", q.get("versions", 2), int, "a whole number")
        if not 1 <= versions <= 26:
            raise SpecError(f"{path}: quiz.versions: expected 1 to 26, got {versions}")
        questions = dict(_typed(f"{path}: quiz.questions", q.get("questions", {}), dict,
                                "a mapping of card kind to count"))
        for k, n in questions.items():
            if k not in PRINTABLE_KINDS:
                raise SpecError(f"{path}: quiz.questions: unknown kind {k!r}")
            _typed(f"{path}: quiz.questions.{k}", n, int, "a whole number")
        quiz = QuizSpec(
            title=str(q.get("title", "测验")), versions=versions,
            questions=questions or QuizSpec().questions,
        )
    sheet: SheetSpec | None = None
    if data.get("sheet") is not None:
        s = _section(path, data, "sheet")
        _check_keys(f"{path}: sheet", s, _SHEET_KEYS)
        sheet = SheetSpec(title=str(s.get("title", "公式速查")))
    formats = data.get("formats", ["apkg", "quiz", "sheet"])
    for f in _typed(f"{path}: formats", formats, list, "a list of output formats"):
        if f not in ("apkg", "quiz", "sheet", "json"):
            raise SpecError(f"{path}: formats: unknown format {f!r} (apkg, quiz, sheet, json)")
    return DeckSpec(
        path=path,
        name=name,
        notes=tuple(notes),
        seed=_typed(f"{path}: seed", data.get("seed", 0), int, "a whole number"),
        kinds=kinds,
        variants_per_concept=vpc,
        subdeck_per_note=bool(
            _typed(f"{path}: cards.subdeck_per_note", cards.get("subdeck_per_note", False), bool,
                   "true or false")
        ),
        quiz=quiz,
        sheet=sheet,
        output=str(_typed(f"{path}: output", data.get("output", "../build"), str, "a folder")),
        font=data.get("font") if isinstance(data.get("font"), str) else None,
        formats=tuple(formats),
    )
