"""What real notes turn into: the extraction and gate rules, asserted over notes/, the seeds
and ../shared/realnotes (the seeds and real notes are skipped when ../shared is absent).

The checks here are written independently of the parser's own rules: a term is looked at as
a reader would (a function word at its edge, half a bracket, Markdown left in it), a card as a
student would (markup leaking, one prompt with two answers, an alias offered as a wrong
option).
"""

from __future__ import annotations

import re
import shutil
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest

from quizgen import pipeline
from quizgen.generate import Gated
from quizgen.model import Card, Note
from quizgen.parse import collect
from quizgen.richtext import segments
from tests.conftest import NOTES, SHARED

CORPORA = ("notes", "seeds", "realnotes")


@cache
def _files(name: str, tmp: Path) -> tuple[Path, ...]:
    if name == "notes":
        return tuple(collect([NOTES]))
    root = SHARED / name
    if not root.is_dir():
        pytest.skip(f"{root} is not available")
    if name == "seeds":
        # The seeds are .txt excerpts; as notes they are .md files.
        out = tmp / "seeds"
        out.mkdir(exist_ok=True)
        for p in sorted(root.glob("*.txt")):
            shutil.copy(p, out / f"{p.stem}.md")
        return tuple(collect([out]))
    return tuple(collect([root]))


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[list[Note], Gated]]:
    tmp = tmp_path_factory.mktemp("corpora")
    out: dict[str, tuple[list[Note], Gated]] = {}
    for name in CORPORA:
        try:
            files = _files(name, tmp)
        except pytest.skip.Exception:
            continue
        parsed = pipeline.parse_notes(files)
        out[name] = (list(parsed.notes), pipeline.check_cards(parsed, [files[0].parent]))
    return out


def _each(corpora: dict[str, tuple[list[Note], Gated]], name: str) -> tuple[list[Note], Gated]:
    if name not in corpora:
        pytest.skip(f"{name} is not available")
    return corpora[name]


# --- terms -----------------------------------------------------------------------------------

_EDGE_WORDS = ("的", "而", "就", "所以", "其实", "那么", "即", "则")
_WORDS_ENDING_IN_ZE = ("法则", "规则", "准则", "原则", "正则", "细则")  # 则 as a noun, not "then"
_BRACKETS = {"(": ")", "（": "）", "[": "]", "【": "】"}


def _bad_term(term: str) -> str | None:
    if re.search(r"[*`|#\\$]|\[|\]", term):
        return "markup"
    depth: list[str] = []
    for ch in term:
        if ch in _BRACKETS:
            depth.append(_BRACKETS[ch])
        elif ch in _BRACKETS.values() and (not depth or depth.pop() != ch):
            return "unbalanced bracket"
    if depth:
        return "unbalanced bracket"
    if term.startswith(_EDGE_WORDS) or (term.endswith(_EDGE_WORDS)
                                         and not term.endswith(_WORDS_ENDING_IN_ZE)):
        return "function word at an edge"
    if re.match(r"^在.+中", term):
        return "在…中"
    return None


@pytest.mark.parametrize("name", CORPORA)
def test_no_term_breaks_the_term_rules(corpora: dict[str, tuple[list[Note], Gated]],
                                       name: str) -> None:
    notes, _ = _each(corpora, name)
    bad = [(str(d.source), d.term, why) for n in notes for d in n.definitions
           for t in (d.term, *d.aliases) if (why := _bad_term(t))]
    assert bad == []
    assert sum(len(n.definitions) for n in notes) >= 10


@pytest.mark.parametrize("name", CORPORA)
def test_no_definition_comes_from_a_table_row(corpora: dict[str, tuple[list[Note], Gated]],
                                              name: str) -> None:
    notes, _ = _each(corpora, name)
    for n in notes:
        lines = Path(n.path).read_text(encoding="utf-8").split("\n")
        for d in n.definitions:
            assert not lines[d.source.line - 1].lstrip().startswith("|"), d.source


_CUE_END = re.compile(r"(?:定义为|如下|公式为|表示为|可表示为|is defined as)\s*[:：]?\s*$")


@pytest.mark.parametrize("name", CORPORA)
def test_no_definition_stops_at_its_formula(corpora: dict[str, tuple[list[Note], Gated]],
                                            name: str) -> None:
    """A definition whose text announces a formula carries that formula."""
    notes, _ = _each(corpora, name)
    cut = [(str(d.source), d.term) for n in notes for d in n.definitions
           if _CUE_END.search(d.text) and d.formula is None]
    assert cut == []


# --- formulas --------------------------------------------------------------------------------

@pytest.mark.parametrize("name", CORPORA)
def test_no_name_is_shared_by_two_key_formulas(corpora: dict[str, tuple[list[Note], Gated]],
                                               name: str) -> None:
    """Within a section (across sections a generic name is said with its section, and the
    gate keeps one answer per prompt)."""
    notes, _ = _each(corpora, name)
    for n in notes:
        by_name: dict[tuple[str, str, str], set[str]] = defaultdict(set)
        for f in n.formulas:
            if f.key and f.name:
                by_name[(f.name, f.lhs, f.context)].add(re.sub(r"\s+", "", f.latex))
        assert {k: v for k, v in by_name.items() if len(v) > 1} == {}, n.path


@pytest.mark.parametrize("name", CORPORA)
def test_formula_names_come_from_the_words_next_to_them(
    corpora: dict[str, tuple[list[Note], Gated]], name: str,
) -> None:
    """A name is in the prose right before its formula (or the formula's own definition),
    never only in a heading further up."""
    notes, _ = _each(corpora, name)
    for n in notes:
        lines = Path(n.path).read_text(encoding="utf-8").split("\n")
        for f in n.formulas:
            if not f.name:
                continue
            before = "".join(line for line in lines[max(0, f.source.line - 12) : f.source.line]
                             if not line.startswith("#"))
            before = before.replace("*", "").replace(" ", "")
            assert f.name.replace(" ", "") in before, (str(f.source), f.name)


# --- cards -----------------------------------------------------------------------------------

_LEAKS = re.compile(r":(?:eqref|numref|label|eqlabel|cite|citet|citep|begin_tab|end_tab|width):"
                    r"|\[\*\*|\*\*\]|\(\*\*|\*\*\)")


def _texts(card: Card) -> list[str]:
    parts = [card.front, card.back, card.extra, *(c.text for c in card.choices)]
    if card.cloze is not None:
        parts += [card.cloze.before, card.cloze.hidden, card.cloze.after]
    return parts


@pytest.mark.parametrize("name", CORPORA)
def test_no_markup_leaks_into_a_card(corpora: dict[str, tuple[list[Note], Gated]],
                                     name: str) -> None:
    _, gated = _each(corpora, name)
    leaks = [(c.key, t) for c in gated.cards for t in _texts(c) if _LEAKS.search(t)]
    assert leaks == []


def _answer(card: Card) -> str:
    if card.cloze is not None:
        return re.sub(r"\s+", "", card.cloze.hidden)
    return re.sub(r"\s+", "", card.back)


@pytest.mark.parametrize("name", CORPORA)
def test_one_prompt_one_answer(corpora: dict[str, tuple[list[Note], Gated]], name: str) -> None:
    _, gated = _each(corpora, name)
    answers: dict[tuple[str, str], set[str]] = defaultdict(set)
    for c in gated.cards:
        prompt = c.front if c.cloze is None else c.cloze.before + "?" + c.cloze.after
        answers[(c.kind, re.sub(r"\s+", "", prompt))].add(_answer(c))
    assert {k: v for k, v in answers.items() if len(v) > 1} == {}


@pytest.mark.parametrize("name", CORPORA)
def test_no_wrong_option_is_a_name_of_the_answer(corpora: dict[str, tuple[list[Note], Gated]],
                                                 name: str) -> None:
    notes, gated = _each(corpora, name)
    names_of: dict[str, set[str]] = defaultdict(set)
    for n in notes:
        for d in n.definitions:
            group = {d.term.casefold(), *(a.casefold() for a in d.aliases)}
            for x in group:
                names_of[x] |= group
    for c in gated.cards:
        if c.kind != "choice" or c.concept is not None:
            continue
        right = next(o.text for o in c.choices if o.correct).casefold()
        wrong = {o.text.casefold() for o in c.choices if not o.correct}
        assert not wrong & names_of[right], (c.key, wrong & names_of[right])


@pytest.mark.parametrize("name", CORPORA)
def test_cards_point_at_nothing_they_do_not_show(
    corpora: dict[str, tuple[list[Note], Gated]], name: str,
) -> None:
    _, gated = _each(corpora, name)
    pointers = re.compile(r"上述矩阵|如上图|如下图|上图|下图|the figure above|the table below"
                          r"|[式图表]\s*[(（]\s*\d[\d.]*\s*[)）]|Eq\.\s*\(\d")
    found = []
    for c in gated.cards:
        if c.concept is not None:
            continue
        prose = "".join(s.text for s in segments(c.front) if not s.math)
        if pointers.search(prose):
            found.append((c.key, prose[:80]))
    assert found == []
