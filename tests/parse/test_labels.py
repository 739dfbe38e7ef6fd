"""Precision and recall of the parser against hand-labelled notes and fixtures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
import yaml

from quizgen.model import Formula, Note
from quizgen.parse import parse_file
from tests.conftest import FIXTURES, REPO

LABELS = sorted((FIXTURES / "labels").glob("*.yaml"))


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def _norm(s: str) -> str:
    return "".join(s.casefold().split()).strip("*")


def _names(term: str, aliases: Any) -> set[str]:
    return {_norm(term), *(_norm(a) for a in aliases or ())}


def _load() -> list[tuple[dict[str, Any], Note]]:
    out = []
    for label_file in LABELS:
        label = yaml.safe_load(label_file.read_text(encoding="utf-8"))
        path = REPO / label["file"]
        out.append((label, parse_file(path, label["file"])))
    return out


@pytest.fixture(scope="module")
def labelled() -> list[tuple[dict[str, Any], Note]]:
    if len(LABELS) < 10:
        pytest.fail("labelled fixtures are missing")
    return _load()


def _definition_score(labelled: list[tuple[dict[str, Any], Note]]) -> tuple[Score, list[str]]:
    score, misses = Score(), []
    for label, note in labelled:
        expected = label.get("definitions") or []
        found = list(note.definitions)
        used: set[int] = set()
        for exp in expected:
            names = _names(exp["term"], exp.get("aliases"))
            hit = next(
                (i for i, d in enumerate(found) if i not in used
                 and abs(d.source.line - exp["line"]) <= 1
                 and names & _names(d.term, d.aliases)),
                None,
            )
            if hit is None:
                score.fn += 1
                misses.append(f"missed {label['file']}:{exp['line']} {exp['term']}")
            else:
                used.add(hit)
                score.tp += 1
        for i, d in enumerate(found):
            if i not in used:
                score.fp += 1
                misses.append(f"extra {label['file']}:{d.source.line} {d.term}")
    return score, misses


def test_definitions_precision_and_recall(labelled: list[tuple[dict[str, Any], Note]]) -> None:
    score, misses = _definition_score(labelled)
    assert score.tp + score.fn >= 40
    assert score.precision >= 0.97, misses
    assert score.recall >= 0.95, misses


def test_definitions_get_the_formula_that_completes_them(
    labelled: list[tuple[dict[str, Any], Note]],
) -> None:
    checked = 0
    for label, note in labelled:
        for exp in label.get("definitions") or []:
            if "formula" not in exp:
                continue
            d = next(d for d in note.definitions if abs(d.source.line - exp["line"]) <= 1
                     and _names(exp["term"], exp.get("aliases")) & _names(d.term, d.aliases))
            assert (d.formula is not None) == exp["formula"], (label["file"], exp)
            checked += 1
    assert checked >= 3


def _formula_at(note: Note, line: int) -> Formula | None:
    return next((f for f in note.formulas if f.display and f.source.line == line), None)


def _key_and_name_scores(labelled: list[tuple[dict[str, Any], Note]]) -> tuple[
        Score, int, int, list[str]]:
    """Key-formula precision/recall, and how many labelled key formulas are named right."""
    key, named, right, misses = Score(), 0, 0, []
    for label, note in labelled:
        # Formulas sharing a line (a seed paragraph) are compared in order.
        on_line: dict[int, list[Formula]] = {}
        for g in note.formulas:
            if g.display:
                on_line.setdefault(g.source.line, []).append(g)
        for exp in label.get("formulas") or []:
            pending = on_line.get(exp["line"]) or []
            f = pending.pop(0) if pending else None
            if "key" not in exp:
                continue
            got = bool(f and f.key)
            if exp["key"] and got:
                key.tp += 1
            elif exp["key"]:
                key.fn += 1
                misses.append(f"not key {label['file']}:{exp['line']}")
            elif got:
                key.fp += 1
                misses.append(f"key but should not be {label['file']}:{exp['line']}")
            if exp["key"] and "name" in exp:
                named += 1
                if f is not None and _norm(f.name) == _norm(exp["name"]):
                    right += 1
                else:
                    misses.append(f"name {label['file']}:{exp['line']} {f.name if f else None!r}"
                                  f" != {exp['name']!r}")
    return key, named, right, misses


def test_key_formulas_and_their_names(labelled: list[tuple[dict[str, Any], Note]]) -> None:
    key, named, right, misses = _key_and_name_scores(labelled)
    assert key.tp + key.fn >= 30 and named >= 25
    assert key.precision >= 0.95, misses
    assert key.recall >= 0.9, misses
    assert right / named >= 0.95, misses


def test_display_formulas_precision_and_recall(
    labelled: list[tuple[dict[str, Any], Note]],
) -> None:
    score, misses = Score(), []
    for label, note in labelled:
        expected = sorted(f["line"] for f in label.get("formulas") or [])
        found = sorted(f.source.line for f in note.formulas if f.display)
        remaining = list(found)
        for line in expected:
            if line in remaining:
                remaining.remove(line)
                score.tp += 1
            else:
                score.fn += 1
                misses.append(f"missed {label['file']}:{line}")
        score.fp += len(remaining)
        misses += [f"extra {label['file']}:{line}" for line in remaining]
    assert score.tp + score.fn >= 40
    assert score.precision >= 0.95, misses
    assert score.recall >= 0.95, misses


def test_concepts_recognised(labelled: list[tuple[dict[str, Any], Note]]) -> None:
    score, misses = Score(), []
    for label, note in labelled:
        # Formulas sharing a line are compared in order.
        got_by_line: dict[int, list[str | None]] = {}
        for f in note.formulas:
            if f.display:
                got_by_line.setdefault(f.source.line, []).append(f.concept)
        for f in label.get("formulas") or []:
            want = f.get("concept")
            pending = got_by_line.get(f["line"]) or [None]
            got = pending.pop(0)
            if want and got == want:
                score.tp += 1
            elif want:
                score.fn += 1
                misses.append(f"missed {want} at {label['file']}:{f['line']} (got {got})")
            elif got:
                score.fp += 1
                misses.append(f"extra {got} at {label['file']}:{f['line']}")
    assert score.tp >= 8
    assert score.precision >= 0.9, misses
    assert score.recall >= 0.8, misses


def _symbol_names(symbol: str) -> set[str]:
    s = _norm(symbol)
    return {s, s.split("=")[0]}


def test_legend_recall(labelled: list[tuple[dict[str, Any], Note]]) -> None:
    found_n, expected_n, misses = 0, 0, []
    for label, note in labelled:
        for legend in label.get("legends") or []:
            # A seed paragraph holds several formulas on one line: any of them may carry it.
            symbols = tuple(s for f in note.formulas
                            if f.display and f.source.line == legend["formula_line"]
                            for s in f.symbols)
            got = set().union(*(_symbol_names(s.symbol) for s in symbols))
            for sym in legend["symbols"]:
                expected_n += 1
                if _symbol_names(sym) & got:
                    found_n += 1
                else:
                    misses.append(f"{label['file']}:{legend['formula_line']} {sym}")
    assert expected_n >= 15
    assert found_n / expected_n >= 0.9, misses


def test_legend_meanings_are_paired_in_order(
    labelled: list[tuple[dict[str, Any], Note]],
) -> None:
    """"β、η 分别为动量系数和学习率": β → 动量系数, η → 学习率."""
    checked = 0
    for label, note in labelled:
        for legend in label.get("legends") or []:
            if "meanings" not in legend:
                continue
            f = _formula_at(note, legend["formula_line"])
            assert f is not None
            got = {_norm(s.symbol): _norm(s.meaning) for s in f.symbols}
            for sym, meaning in zip(legend["symbols"], legend["meanings"], strict=True):
                assert got.get(_norm(sym)) == _norm(meaning), (label["file"], sym, got)
                checked += 1
    assert checked >= 2


def test_every_labelled_file_exists() -> None:
    for label_file in LABELS:
        label = yaml.safe_load(label_file.read_text(encoding="utf-8"))
        assert (REPO / label["file"]).is_file(), label_file


if __name__ == "__main__":  # a quick report while labelling: python -m tests.parse.test_labels
    s, m = _definition_score(_load())
    print(f"definitions P={s.precision:.3f} R={s.recall:.3f}", *m, sep="\n")
    k, named, right, m = _key_and_name_scores(_load())
    print(f"key formulas P={k.precision:.3f} R={k.recall:.3f}; names right {right}/{named}",
          *m, sep="\n")
