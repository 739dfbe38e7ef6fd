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

from quizgen.model import Problem
from quizgen.walk import Walker, glob_files

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

    def note_files(self, problems: list[Problem] | None = None) -> list[Path]:
        """Files matched by the ``notes`` globs, sorted, each real file once; folders that
        cannot be read and symlink cycles are added to ``problems`` (see :mod:`quizgen.walk`).

        Raises:
            SpecError: a glob matches no file.
        """
        walker = Walker()
        found: list[Path] = []
        for pattern in self.notes:
            before = len(walker.problems)
            matches = glob_files(walker, self.folder, pattern)
            if not matches:
                why = "; ".join(str(p) for p in walker.problems[before:])
                raise SpecError(f"{self.path}: notes: the glob {pattern!r} matches no file"
                                + (f" ({why})" if why else ""))
            found.extend(walker.once(matches))
        if problems is not None:
            problems.extend(walker.problems)
        return found


_TOP_KEYS = {
    "name", "notes", "seed", "cards", "quiz", "sheet", "output", "font", "formats",
}
_CARD_KEYS = {"kinds", "variants_per_concept", "subdeck_per_note"}
_QUIZ_KEYS = {"title", "versions", "questions"}
_SHEET_KEYS = {"title"}
FORMATS = ("apkg", "quiz", "sheet", "json")
MAX_SPEC_BYTES = 1024 * 1024  # a deck spec is a few lines; anything this big is a mistake
MAX_QUESTIONS = 1000  # per kind in a printed quiz
_CONTROL_CHARS = frozenset(chr(c) for c in (*range(32), 127))


def deck_name_problem(name: str) -> str | None:
    """Why ``name`` cannot be an Anki deck name (empty, an empty ``::`` part, a control
    character), or None."""
    if not name.strip():
        return "the deck name is empty"
    if any(not part.strip() for part in name.split("::")):
        return f"{name!r} has an empty deck name between '::' separators"
    if _CONTROL_CHARS.intersection(name):
        return f"{name!r} contains a control character"
    return None


def _check_keys(where: str, data: Mapping[Any, Any], allowed: set[str]) -> None:
    for key in data:
        if key not in allowed:
            expected = ", ".join(sorted(allowed))
            raise SpecError(f"{where}: unknown key {key!r} (expected one of: {expected})")


def _typed(where: str, value: Any, kind: type | tuple[type, ...], expected: str) -> Any:
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        shown = repr(value)
        shown = shown if len(shown) <= 80 else shown[:77] + "..."
        raise SpecError(f"{where}: expected {expected}, got {type(value).__name__} {shown}")
    return value


def _whole(where: str, value: Any, low: int, high: int) -> int:
    n: int = _typed(where, value, int, "a whole number")
    if not low <= n <= high:
        raise SpecError(f"{where}: expected a whole number from {low} to {high}, got {n}")
    return n


def _text(where: str, value: Any, expected: str = "a string") -> str:
    text: str = _typed(where, value, str, expected)
    return text


def _section(path: Path, data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key)
    if value is None:
        return {}
    return dict(_typed(f"{path}: {key}", value, dict, "a mapping"))


def _read(path: Path) -> Any:
    if path.exists() and not path.is_dir() and not path.is_file():  # reading a pipe waits
        raise SpecError(f"{path}: a deck spec must be a file, not a device or a pipe")
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_SPEC_BYTES + 1)
    except OSError as exc:
        raise SpecError(f"{path}: cannot read deck spec: {exc.strerror or exc}") from exc
    if len(raw) > MAX_SPEC_BYTES:
        raise SpecError(f"{path}: deck spec is larger than {MAX_SPEC_BYTES // 1024} KB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpecError(f"{path}: deck spec is not UTF-8") from exc
    import yaml  # (an ad-hoc export reads no spec: it does without the YAML library)

    from quizgen import safe_yaml

    try:
        return safe_yaml.load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        reason = getattr(exc, "problem", None)
        raise SpecError(f"{path}{line}: deck spec is not valid YAML"
                        + (f": {reason}" if reason else "")) from exc
    except safe_yaml.YamlRefused as exc:
        raise SpecError(f"{path}: deck spec refused: {exc}") from exc


def load(path: Path) -> DeckSpec:
    """Read and validate a deck spec: everything that can be checked without the notes is
    checked here, before anything is written.

    Raises:
        SpecError: unreadable file, invalid or oversized YAML, unknown key, wrong type or a
            value out of range.
    """
    data = _read(path)
    _typed(str(path), data, dict, "a YAML mapping at the top level")
    _check_keys(str(path), data, _TOP_KEYS)
    if "name" not in data or "notes" not in data:
        raise SpecError(f"{path}: the keys 'name' and 'notes' are required")
    name = _text(f"{path}: name", data["name"], "a deck name string").strip()
    bad_name = deck_name_problem(name)
    if bad_name:
        raise SpecError(f"{path}: name: {bad_name}")
    notes_raw = data["notes"]
    if isinstance(notes_raw, str):
        notes_raw = [notes_raw]
    notes = _typed(f"{path}: notes", notes_raw, list, "a list of globs")
    for i, g in enumerate(notes):
        if not _text(f"{path}: notes[{i}]", g, "a glob string").strip():
            raise SpecError(f"{path}: notes[{i}]: expected a glob, got an empty string")

    cards = _section(path, data, "cards")
    _check_keys(f"{path}: cards", cards, _CARD_KEYS)
    kinds = tuple(_typed(f"{path}: cards.kinds", cards.get("kinds", list(DEFAULT_KINDS)), list,
                         "a list of card kinds"))
    for k in kinds:
        if not isinstance(k, str) or k not in ALL_KINDS:
            raise SpecError(
                f"{path}: cards.kinds: unknown kind {k!r} (expected: {', '.join(ALL_KINDS)})"
            )
    vpc = _whole(f"{path}: cards.variants_per_concept", cards.get("variants_per_concept", 3),
                 0, 50)

    quiz: QuizSpec | None = None
    if data.get("quiz") is not None:
        q = _section(path, data, "quiz")
        _check_keys(f"{path}: quiz", q, _QUIZ_KEYS)
        versions = _whole(f"{path}: quiz.versions", q.get("versions", 2), 1, 26)
        questions = dict(_typed(f"{path}: quiz.questions", q.get("questions") or {}, dict,
                                "a mapping of card kind to count"))
        for k, n in questions.items():
            if not isinstance(k, str) or k not in PRINTABLE_KINDS:
                raise SpecError(f"{path}: quiz.questions: unknown kind {k!r} (expected: "
                                f"{', '.join(PRINTABLE_KINDS)})")
            _whole(f"{path}: quiz.questions.{k}", n, 0, MAX_QUESTIONS)
        quiz = QuizSpec(
            title=_text(f"{path}: quiz.title", q.get("title", "测验"), "a title string"),
            versions=versions, questions=questions or QuizSpec().questions,
        )
    sheet: SheetSpec | None = None
    if data.get("sheet") is not None:
        s = _section(path, data, "sheet")
        _check_keys(f"{path}: sheet", s, _SHEET_KEYS)
        sheet = SheetSpec(title=_text(f"{path}: sheet.title", s.get("title", "公式速查"),
                                      "a title string"))
    formats = _typed(f"{path}: formats", data.get("formats", ["apkg", "quiz", "sheet"]), list,
                     "a list of output formats")
    for f in formats:
        if not isinstance(f, str) or f not in FORMATS:
            raise SpecError(f"{path}: formats: unknown format {f!r} ({', '.join(FORMATS)})")
    if not formats:
        raise SpecError(f"{path}: formats: the list is empty, so nothing would be written")
    output = _text(f"{path}: output", data.get("output", "../build"), "a folder")
    if not output.strip():
        raise SpecError(f"{path}: output: expected a folder, got an empty string")
    font = data.get("font")
    if font is not None and not _text(f"{path}: font", font, "a font family name").strip():
        raise SpecError(f"{path}: font: expected a font family name, got an empty string")
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
        output=output,
        font=font,
        formats=tuple(formats),
    )
