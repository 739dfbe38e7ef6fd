"""quizgen side by side with ankdown 0.7.1, the fastest Markdown → Anki tool we know of.

    python benchmarks/bench_peers.py                 # 1,000 notes, 3 alternations
    python benchmarks/bench_peers.py --notes 10000 --runs 1

ankdown (misaka, a C Markdown parser, + genanki) is installed in a venv of its own
(``benchmarks/.ankdown-venv``, made on the first run): it pins old libraries, and its
``--config`` breaks on PyYAML 6, so it is run with none. It is fed the very definitions quizgen
finds in the synthetic vault, written in its syntax (front ``%`` back ``---``), one file per
note, so both tools write the same 5 cards per note.

Every figure is a fresh process, as a user's command is (interpreter start and imports
included); the two tools are run alternately, so that a machine that slows down slows both, and
each figure is the median of the runs. CPU time and peak memory come from ``wait4``. Printed:
each step's wall, CPU and peak memory, and its ratio to ankdown's time in the same run.

Both tools run from compiled bytecode, as installed tools do: ankdown's venv has it from pip,
and quizgen's package is compiled once before timing (an editable install on a machine that sets
``PYTHONDONTWRITEBYTECODE`` would otherwise compile every module on every run).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_vault import note as vault_note  # noqa: E402

ANKDOWN = "ankdown==0.7.1"


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    peak_mb: float


def timed(cmd: Sequence[str], cwd: Path) -> Run:
    """Run ``cmd`` to the end; its wall time, CPU time and peak resident memory."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err.decode()[-2000:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def ankdown_venv(where: Path) -> Path:
    """The ankdown script of its own venv, made on the first run."""
    script = where / "bin" / "ankdown"
    if not script.exists():
        print(f"installing {ANKDOWN} into {where} …", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
        subprocess.run([str(where / "bin" / "python"), "-m", "pip", "install", "-q", ANKDOWN],
                       check=True)
    return script


def write_vault(folder: Path, notes: int) -> None:
    import random

    rng = random.Random(1)
    folder.mkdir(parents=True)
    for i in range(notes):
        (folder / f"note{i:05d}.md").write_text(vault_note(i, rng), encoding="utf-8")


_ANKDOWN_VAULT = """
import sys
from pathlib import Path
from quizgen.parse import collect
from quizgen.pipeline import parse_notes
vault, folder = Path(sys.argv[1]), Path(sys.argv[2])
folder.mkdir(parents=True)
count = 0
for note in parse_notes(collect([vault])).notes:
    body = [f"什么是 {d.term}？\\n\\n%\\n\\n{d.text}\\n\\n---\\n" for d in note.definitions]
    count += len(body)
    (folder / Path(note.path).name).write_text("\\n".join(body), encoding="utf-8")
print(count)
"""


def write_ankdown_vault(vault: Path, folder: Path) -> int:
    """quizgen's definitions of each note in ankdown's syntax; returns the number of cards.

    In a process of its own: the commands timed later are forked from this one, and a fat
    parent would count in their peak memory."""
    out = subprocess.run([sys.executable, "-c", _ANKDOWN_VAULT, str(vault), str(folder)],
                         check=True, capture_output=True, text=True)
    return int(out.stdout.strip().splitlines()[-1])


def edit_one(vault: Path, n: int) -> None:
    """Change the wording of one definition in one note (a typical edit)."""
    path = sorted(vault.glob("*.md"))[len(list(vault.glob("*.md"))) // 2]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("我们通常", f"我们往往（第 {n} 次修改）", 1)
                    if "我们通常" in text else text.replace("：", f"：（{n}）", 1),
                    encoding="utf-8")


def median(runs: list[Run]) -> Run:
    return Run(statistics.median(r.wall for r in runs), statistics.median(r.cpu for r in runs),
               max(r.peak_mb for r in runs))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--notes", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3, help="alternations (median is reported)")
    ap.add_argument("--venv", type=Path, default=HERE / ".ankdown-venv",
                    help="where ankdown's own venv lives")
    ap.add_argument("--keep", type=Path, help="work in this folder and leave it (default: temp)")
    ap.add_argument("--baseline", type=Path,
                    help="another quizgen command (an older version) to time alongside")
    args = ap.parse_args()

    ankdown = ankdown_venv(args.venv)
    # The command installed beside this interpreter, as ankdown's is run from its venv: a
    # version manager's shim found first on PATH would add its own start-up to every run.
    beside = Path(sys.executable).parent / "quizgen"
    quizgen = str(beside) if beside.is_file() else shutil.which("quizgen") or "quizgen"
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(HERE.parent / "quizgen")],
                   check=True)
    work = args.keep or Path(tempfile.mkdtemp(prefix="quizgen-peers-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        vault, adk = work / "vault", work / "ankdown"
        for p in (vault, adk, work / "out"):
            shutil.rmtree(p, ignore_errors=True)
        write_vault(vault, args.notes)
        cards = write_ankdown_vault(vault, adk)
        out = work / "out"
        out.mkdir()
        spec = work / "deck.yaml"
        spec.write_text('name: "Bench"\nnotes: ["vault/*.md"]\nseed: 1\noutput: out/deck\n'
                        "cards: {variants_per_concept: 3}\nformats: [apkg]\n", encoding="utf-8")

        def fresh(path: Path) -> Callable[[], None]:
            def clear() -> None:
                if not path.parent.is_dir():
                    return
                for p in path.parent.glob(path.name + "*"):
                    shutil.rmtree(p) if p.is_dir() else p.unlink()
                shutil.rmtree(path.parent / ".quizgen-cache", ignore_errors=True)
            return clear

        ad_hoc_defs = out / "defs.apkg"
        ad_hoc_all = out / "all.apkg"
        deck_apkg = out / "deck" / "deck.apkg"
        steps: dict[str, tuple[list[str], Callable[[], None]]] = {
            "ankdown, definitions": (
                [str(ankdown), "-r", str(adk), "-p", str(out / "ankdown.apkg")], lambda: None),
            "quizgen ad hoc, definitions, cold": (
                [quizgen, "export", str(vault), "--kinds", "definition", "-o", str(ad_hoc_defs)],
                fresh(ad_hoc_defs)),
            "quizgen deck spec, every kind, cold": (
                [quizgen, "export", str(spec)], fresh(deck_apkg)),
        }
        if args.baseline:
            base_out = out / "baseline"
            base_spec = work / "baseline.yaml"
            base_spec.write_text(spec.read_text(encoding="utf-8").replace(
                "output: out/deck", "output: out/baseline"), encoding="utf-8")
            steps["baseline ad hoc, definitions, cold"] = (
                [str(args.baseline), "export", str(vault), "--kinds", "definition", "-o",
                 str(base_out / "defs.apkg")], fresh(base_out / "defs.apkg"))
            steps["baseline deck spec, every kind, cold"] = (
                [str(args.baseline), "export", str(base_spec)], fresh(base_out / "baseline.apkg"))
        results: dict[str, list[Run]] = {name: [] for name in steps}
        extra: dict[str, list[Run]] = {k: [] for k in (
            "quizgen deck spec, nothing changed", "quizgen deck spec, one note edited",
            "quizgen ad hoc, every kind, cold", "quizgen ad hoc, nothing changed",
            "quizgen ad hoc, one note edited")}
        edits = 0
        for r in range(args.runs):
            print(f"run {r + 1}/{args.runs} …", flush=True)
            for name, (cmd, clear) in steps.items():
                clear()
                results[name].append(timed(cmd, work))
            # The deck spec's package of this run is warm now: rebuild it.
            deck_cmd = steps["quizgen deck spec, every kind, cold"][0]
            extra["quizgen deck spec, nothing changed"].append(timed(deck_cmd, work))
            edits += 1
            edit_one(vault, edits)
            extra["quizgen deck spec, one note edited"].append(timed(deck_cmd, work))
            adhoc = [quizgen, "export", str(vault), "-o", str(ad_hoc_all)]
            fresh(ad_hoc_all)()
            extra["quizgen ad hoc, every kind, cold"].append(timed(adhoc, work))
            extra["quizgen ad hoc, nothing changed"].append(timed(adhoc, work))
            edits += 1
            edit_one(vault, edits)
            extra["quizgen ad hoc, one note edited"].append(timed(adhoc, work))
            if args.baseline:
                base_cmd = steps["baseline deck spec, every kind, cold"][0]
                extra.setdefault("baseline deck spec, one note edited", [])
                edits += 1
                edit_one(vault, edits)
                extra["baseline deck spec, one note edited"].append(timed(base_cmd, work))
                base_adhoc = [str(args.baseline), "export", str(vault), "-o",
                              str(out / "baseline" / "all.apkg")]
                timed(base_adhoc, work)
                edits += 1
                edit_one(vault, edits)
                extra.setdefault("baseline ad hoc, one note edited", []).append(
                    timed(base_adhoc, work))
        results.update(extra)
        base = median(results["ankdown, definitions"])
        print(f"\n{args.notes} notes; {cards} definition cards for ankdown; median of "
              f"{args.runs} alternated run(s); {os.cpu_count()} cores")
        print(f"{'step':40} {'wall s':>8} {'cpu s':>8} {'peak MB':>8} {'÷ ankdown':>10}")
        for name, runs in results.items():
            m = median(runs)
            print(f"{name:40} {m.wall:8.2f} {m.cpu:8.2f} {m.peak_mb:8.0f} "
                  f"{m.wall / base.wall:9.2f}x")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
