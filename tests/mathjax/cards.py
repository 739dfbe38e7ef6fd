"""Card math as Anki shows it: a package imported into a real collection, every card rendered
(question and answer: clozes substituted, fields as stored), its formulas found as MathJax
finds them and typeset by MathJax."""

from __future__ import annotations

import html
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from quizgen.export.anki import write_apkg
from quizgen.model import Card
from tests.export.conftest import Anki
from tests.mathjax.find import math_in_html
from tests.mathjax.oracle import Verdict, typeset


@dataclass(frozen=True)
class Side:
    """One rendered side of one Anki card."""

    kind: str  # the quizgen card kind (from the note's Key field)
    source: str  # note path:line (the Source field)
    key: str
    side: str  # "question" | "answer"
    html: str
    ord: int = 0  # which card of the note (a cloze number - 1)


@dataclass(frozen=True)
class Found:
    """A formula MathJax cannot typeset, where it shows."""

    kind: str
    source: str
    side: str
    tex: str
    display: bool
    id: str  # MathJax's error id, e.g. "Misplaced"
    message: str
    key: str = ""
    # On a question side: the same formula as the card's answer side shows it, when that
    # differs (a cloze's blank filled in); the answer side repeats the question first.
    revealed: str = ""


@contextmanager
def temp_files_in(folder: Path) -> Iterator[None]:
    """Temporary files inside ``folder``: genanki leaves a database in TMPDIR on every write."""
    old, tempfile.tempdir = tempfile.tempdir, str(folder)
    try:
        yield
    finally:
        tempfile.tempdir = old


def rendered_sides(apkg: Path, collection: Path) -> list[Side]:
    """Every card of ``apkg`` imported into a new collection at ``collection`` and rendered."""
    anki = Anki(collection)
    try:
        log = anki.import_(apkg)
        assert not log.conflicting, "the package's note types clash with the collection's"
        sides: list[Side] = []
        for note in anki.notes():
            key = html.unescape(note["Key"])
            kind = key.split("|")[1] if key.count("|") >= 2 else "?"
            source = html.unescape(note["Source"])
            for card in note.cards():
                out = card.render_output()
                sides.append(Side(kind, source, key, "question", out.question_text, card.ord))
                sides.append(Side(kind, source, key, "answer", out.answer_text, card.ord))
        return sides
    finally:
        anki.col.close()


def render_cards(cards: Sequence[Card], folder: Path, notes_root: Path | None = None) -> list[Side]:
    """``cards`` written by quizgen's own .apkg writer into ``folder``, then rendered by Anki."""
    with temp_files_in(folder):
        rep = write_apkg(cards, folder / "cards.apkg", notes_root=notes_root or folder, now=1)
    assert rep.problems == (), rep.problems
    return rendered_sides(rep.path, folder / "cards.anki2")


def failures(sides: Sequence[Side]) -> list[Found]:
    """Each formula on each side that MathJax cannot typeset (a formula shown on both sides of
    a card is listed for each side)."""
    math = [math_in_html(s.html) for s in sides]
    answers = {(s.key, s.ord): m for s, m in zip(sides, math, strict=True)
               if s.side == "answer"}
    located = [(s, i, tex, display) for s, m in zip(sides, math, strict=True)
               for i, (tex, display) in enumerate(m)]
    verdicts: list[Verdict] = typeset([(tex, display) for _, _, tex, display in located])
    found = []
    for (s, i, tex, display), v in zip(located, verdicts, strict=True):
        if v.ok:
            continue
        shown = answers.get((s.key, s.ord), [])
        revealed = shown[i][0] if s.side == "question" and i < len(shown) else tex
        found.append(Found(s.kind, s.source, s.side, tex, display, v.id, v.message, s.key,
                           "" if revealed == tex else revealed))
    return found
