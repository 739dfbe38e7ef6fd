"""``quizgen watch``: a real process watching real files (inotify through watchfiles)."""

from __future__ import annotations

import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from quizgen.watch import relevant
from tests.conftest import NOTES

NOTE = "deep-learning/softmax.md"


def _lines(stream: object, out: queue.Queue[str]) -> None:
    for line in iter(stream.readline, ""):  # type: ignore[attr-defined]
        out.put(line)


def _wait_for(lines: queue.Queue[str], seen: list[str], text: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.1)
        except queue.Empty:
            continue
        seen.append(line)
        if text in line:
            return
    raise AssertionError(f"no {text!r} within {timeout} s; got: {''.join(seen)}")


def test_one_edit_triggers_exactly_one_rebuild(tmp_path: Path) -> None:
    (tmp_path / "notes" / "deep-learning").mkdir(parents=True)
    note = tmp_path / "notes" / NOTE
    note.write_text((NOTES / NOTE).read_text(encoding="utf-8"), encoding="utf-8")
    spec = tmp_path / "deck.yaml"
    # The output folder lies inside the watched notes folder: its writes must not count.
    spec.write_text('name: "测试"\nnotes: ["notes/**/*.md"]\nformats: [json]\n'
                    "output: notes/build\n", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-c", "from quizgen.cli import main; main()", "watch", str(spec),
         "--debounce", "200"],
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, cwd=tmp_path)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_lines, args=(proc.stderr, lines), daemon=True).start()
    seen: list[str] = []
    try:
        _wait_for(lines, seen, "watching", 60)
        text = note.read_text(encoding="utf-8")
        note.write_text(text + "\n补充一句。\n", encoding="utf-8")  # an editor's two writes
        note.write_text(text + "\n补充一句话。\n", encoding="utf-8")
        (tmp_path / "notes" / ".draft.md.swp").write_text("x", encoding="utf-8")  # ignored
        _wait_for(lines, seen, "1 file changed", 30)
        time.sleep(2.0)  # room for a second rebuild, if there were to be one
        while not lines.empty():
            seen.append(lines.get())
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(20)
    rebuilds = [line for line in seen if ": rebuilt:" in line]
    assert len(rebuilds) == 2, "".join(seen)  # the first build and the one after the edit
    assert rebuilds[0].split()[1] == "start:" and "cards" in rebuilds[1]
    assert (tmp_path / "notes" / "build" / "deck.json").is_file()


def test_only_notes_specs_and_images_outside_the_output_count(tmp_path: Path) -> None:
    root, out = tmp_path / "notes", tmp_path / "notes" / "build"
    assert relevant(str(root / "a.md"), [root], [out])
    assert relevant(str(root / "img" / "x.PNG"), [root], [out])
    assert not relevant(str(root / "a.md~"), [root], [out])
    assert not relevant(str(out / "deck.json"), [root], [out])
    assert not relevant(str(out / "x.md"), [root], [out])
    assert not relevant(str(root / ".git" / "x.md"), [root], [out])
    assert not relevant(str(root / ".a.md.123.tmp"), [root], [out])
    hidden_home = tmp_path / ".notes"  # a hidden folder above the watched one is fine
    assert relevant(str(hidden_home / "a.md"), [hidden_home], [])
