"""Frozen values passed between the stages: parse → generate → export.

Nothing but data lives here; every stage imports this module and none imports another stage.
Text fields that reach a card ("rich text") are plain text in which math is delimited by
``\\( … \\)`` (inline) or ``\\[ … \\]`` (display); light Markdown emphasis (``**bold**``,
``*em*``, `` `code` ``) may remain in definition text. Exporters escape everything else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SourceRef:
    """Where something came from: a path as given to the parser and a 1-based line."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class Symbol:
    """One entry of a "其中 / where" legend: what a symbol in a formula means."""

    symbol: str
    meaning: str
    line: int = 0


@dataclass(frozen=True)
class Definition:
    """A term defined in a note, with its other names (English name, abbreviation)."""

    term: str
    aliases: tuple[str, ...]
    text: str
    source: SourceRef
    heading: str = ""
    formula: str | None = None  # the display formula the text runs into ("…定义为:"), LaTeX
    scope: str = ""  # what a list of definitions is about ("博弈满足以下假设"), shown on cards
    shape: str = ""  # "explicit" (术语：定义 …), "sentence" (*术语*是…) or "named" (…称为*术语*)


@dataclass(frozen=True)
class Formula:
    """A formula as written in a note.

    ``latex`` is the formula with ``\\tag`` removed and surrounding whitespace trimmed (the
    author's text otherwise); ``normalized`` is the copy used for matching (NFKC, ``log`` →
    ``\\log`` …). ``context`` names the definition term or heading the formula belongs to.
    """

    latex: str
    display: bool
    source: SourceRef
    normalized: str = ""
    tag: str | None = None
    concept: str | None = None
    symbols: tuple[Symbol, ...] = ()
    context: str = ""
    key: bool = False  # worth learning: defined, named, referred to, explained or a concept
    name: str = ""  # what cards call it: the term it defines or the phrase introducing it
    lhs: str = ""  # its left-hand side when that names it (``I(X;Y)``), LaTeX


@dataclass(frozen=True, slots=True)  # one per key formula of every note of a big vault
class FormulaHead:
    """What a key display formula is called, and a digest of what it says: enough for the deck
    to tell two notes' formulas of one name apart without holding either formula."""

    name: str
    lhs: str
    concept: str | None
    context: str
    digest: str  # of the formula's text, spacing ignored


@dataclass(frozen=True)
class Skipped:
    """Something the parser saw and left out on purpose, and why (``quizgen check --explain``)."""

    what: str  # "definition" | "formula" | "legend"
    text: str  # the candidate term, the formula's LaTeX, or the legend's symbol
    reason: str
    source: SourceRef


@dataclass(frozen=True)
class Problem:
    """Something wrong with an input file: never raised to the user, always reported."""

    path: str
    line: int
    message: str
    severity: str = "error"  # "error" | "warning"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"


@dataclass(frozen=True)
class Note:
    """One Markdown file after parsing."""

    path: str
    title: str
    tags: tuple[str, ...] = ()
    category: str = ""
    date: str = ""
    definitions: tuple[Definition, ...] = ()
    formulas: tuple[Formula, ...] = ()
    images: tuple[SourceRef, ...] = ()  # SourceRef.path holds the image path as written
    problems: tuple[Problem, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    heads: tuple[FormulaHead, ...] = ()  # of its key display formulas, in order
    language: str = "zh"  # "en" when its prose is English: cards ask in that language


@dataclass(frozen=True)
class Choice:
    """One option of a multiple-choice question; ``misconception`` names a wrong option's origin."""

    text: str
    value: str
    correct: bool
    misconception: str | None = None


@dataclass(frozen=True)
class Answer:
    """An exact answer (a sympy string such as ``log(2)/2``) and its value as a float."""

    value: str
    float: float


@dataclass(frozen=True)
class Variant:
    """A numeric question instance, verified by its concept before it is turned into a card."""

    concept: str
    index: int
    question: str
    params: Mapping[str, Any] = field(hash=False)
    answer: Answer
    choices: tuple[Choice, ...]
    explanation: str = ""


@dataclass(frozen=True)
class Cloze:
    """A formula split around the part to hide: ``before + hidden + after`` is the LaTeX."""

    before: str
    hidden: str
    after: str
    display: bool = True


@dataclass(frozen=True)
class Card:
    """What every exporter consumes.

    ``id`` is the stable identity (Anki GUID), derived from ``key``: what the card is about,
    never its editable text. ``front``/``back``/``extra`` are rich text (see module doc).
    """

    id: str
    key: str
    kind: str
    deck: str
    tags: tuple[str, ...]
    front: str
    back: str
    source: SourceRef
    extra: str = ""
    concept: str | None = None
    params: Mapping[str, Any] | None = field(default=None, hash=False)
    answer: Answer | None = None
    choices: tuple[Choice, ...] = ()
    cloze: Cloze | None = None
    term: str = ""
    note_title: str = ""
    category: str = ""


@dataclass(frozen=True)
class Dropped:
    """A card the quality gate kept out of every output, and why (see ``generate.gate``)."""

    key: str
    kind: str
    reason: str  # one of generate.gate.REASONS
    detail: str
    source: SourceRef
