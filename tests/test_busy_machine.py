"""Two builds of the example deck, the second with every core busy, are byte-identical."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.bounded import run_quizgen
from tests.conftest import REPO

# Everything a user takes away from a build; the state file next to the .apkg also records the
# cache file's mtime (to detect a cache changed behind its back), which no build can repeat.
DELIVERABLES = ("ml-basics.apkg", "ml-basics-quiz.pdf", "ml-basics-key.pdf",
                "ml-basics-quiz.json", "ml-basics-sheet.pdf", "ml-basics.json")


def _build(where: Path) -> dict[str, bytes]:
    shutil.copytree(REPO / "notes", where / "notes")
    shutil.copytree(REPO / "decks", where / "decks")
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    for args in (("export", "decks/ml-basics.yaml"),
                 ("export", "decks/ml-basics.yaml", "--format", "json")):
        result = run_quizgen(*args, cwd=where, env=env, timeout=300)
        assert result.returncode == 0, result.stderr
    return {name: (where / "build" / name).read_bytes() for name in DELIVERABLES}


def test_a_busy_machine_builds_the_same_bytes(tmp_path: Path) -> None:
    idle = _build(tmp_path / "idle")
    spin = [subprocess.Popen([sys.executable, "-c", "while True: pass"])
            for _ in range(2 * (os.cpu_count() or 1))]
    try:
        busy = _build(tmp_path / "busy")
    finally:
        for p in spin:
            p.kill()
            p.wait()
    assert [n for n in DELIVERABLES if idle[n] != busy[n]] == []
