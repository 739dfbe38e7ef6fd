"""Outputs: no half-written file, errors that name the output, leftovers of killed runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from quizgen.atomic import write_atomic
from tests.bounded import run_python, run_quizgen
from tests.conftest import REPO

NOTE = "**熵 (Entropy)**：不确定性的度量。\n"
KILLED_MID_WRITE = """
import os, signal, sys
from pathlib import Path
from quizgen.atomic import temp_beside
with temp_beside(Path(sys.argv[1])) as tmp:
    tmp.write_bytes(b"half a fi")
    os.kill(os.getpid(), signal.SIGKILL)
"""


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_an_output_folder_given_as_o_is_named_and_json_still_prints(tmp_path: Path) -> None:
    (tmp_path / "n.md").write_text(NOTE, encoding="utf-8")
    (tmp_path / "out").mkdir()
    for fmt in ("json", "apkg", "sheet"):
        result = run_quizgen("export", "n.md", "--format", fmt, "-o", "out", "--json",
                             cwd=tmp_path)
        assert result.returncode == 3, result.stderr
        assert "error: cannot write out: is a folder" in result.stderr
        assert ".tmp" not in result.stderr + result.stdout
        report = json.loads(result.stdout)
        assert report["outputs"] == []
        assert report["errors"] == [{"path": "out", "line": 0,
                                     "message": "cannot write out: is a folder; give a file name"}]
    assert list((tmp_path / "out").iterdir()) == []


def test_one_unwritable_output_still_writes_the_others(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "n.md").write_text(NOTE, encoding="utf-8")
    (tmp_path / "deck.yaml").write_text(
        'name: t\nnotes: ["notes/*.md"]\noutput: out\nformats: [json, apkg]\n', encoding="utf-8")
    (tmp_path / "out" / "deck.json").mkdir(parents=True)  # the JSON output is a folder
    result = run_quizgen("export", "deck.yaml", "--json", cwd=tmp_path)
    assert result.returncode == 3, result.stderr
    report = json.loads(result.stdout)
    assert [Path(p).name for p in report["outputs"]] == ["deck.apkg"]
    assert "deck.json" in report["errors"][0]["message"]


def test_a_killed_write_leaves_the_old_file_and_the_next_write_clears_the_leftover(
    tmp_path: Path,
) -> None:
    out = tmp_path / "deck.json"
    out.write_bytes(b"the previous build")
    killed = run_python(KILLED_MID_WRITE, str(out))
    assert killed.returncode == -9
    assert out.read_bytes() == b"the previous build"
    [leftover] = _leftovers(tmp_path)
    assert leftover.startswith(".deck.json.")
    old = time.time() - 10
    os.utime(tmp_path / leftover, (old, old))  # from before the next run started
    again = run_python("import sys; from pathlib import Path; from quizgen.atomic import "
                       "write_atomic; write_atomic(Path(sys.argv[1]), b'new')", str(out))
    assert again.returncode == 0, again.stderr
    assert out.read_bytes() == b"new" and _leftovers(tmp_path) == []


def test_a_running_write_is_never_disturbed(tmp_path: Path) -> None:
    out = tmp_path / "deck.json"
    hold = ("import sys, time; from pathlib import Path; from quizgen.atomic import "
            "temp_beside\nwith temp_beside(Path(sys.argv[1])):\n print('ready', flush=True)\n"
            " time.sleep(60)")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    holder = subprocess.Popen([sys.executable, "-c", hold, str(out)], stdout=subprocess.PIPE,
                              text=True, env=env)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "ready\n"
        [live] = _leftovers(tmp_path)
        old = time.time() - 10
        os.utime(tmp_path / live, (old, old))
        write_atomic(out, b"x")
        assert _leftovers(tmp_path) == [live]
    finally:
        holder.kill()
        holder.wait()


def test_a_device_or_pipe_is_never_replaced(tmp_path: Path) -> None:
    (tmp_path / "n.md").write_text(NOTE, encoding="utf-8")
    os.mkfifo(tmp_path / "pipe")
    for target in (tmp_path / "pipe", Path(os.devnull)):
        result = run_quizgen("export", "n.md", "--format", "json", "-o", target, cwd=tmp_path)
        assert result.returncode == 3, result.stderr
        assert f"cannot write {target}: is a device, pipe or socket" in result.stderr
    assert Path(os.devnull).is_char_device() and (tmp_path / "pipe").is_fifo()
