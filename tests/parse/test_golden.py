"""Golden files: `quizgen parse --json` output for each parser fixture, compared as text.

After an intended change, refresh them with ``QUIZGEN_UPDATE_GOLDEN=1 python -m pytest
tests/parse/test_golden.py`` and review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from quizgen.cli import note_json
from quizgen.parse import parse_file
from tests.conftest import FIXTURES, REPO

CASES = sorted((FIXTURES / "parser").glob("*.md"))
GOLDEN = FIXTURES / "golden"


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_parse_output_matches_golden(path: Path) -> None:
    name = path.relative_to(REPO).as_posix()
    note = parse_file(path, name)
    text = json.dumps(
        {"note": note_json(note), "errors": [str(p) for p in note.problems]},
        ensure_ascii=False, indent=1,
    ) + "\n"
    golden = GOLDEN / f"{path.stem}.json"
    if os.environ.get("QUIZGEN_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.is_file(), f"missing {golden}; run with QUIZGEN_UPDATE_GOLDEN=1"
    assert text == golden.read_text(encoding="utf-8")
