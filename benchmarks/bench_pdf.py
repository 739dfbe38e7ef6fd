"""Printed-output speed and formula fidelity (goals: quiz + key ≤ 3 s, study sheet ≤ 3 s).

    python benchmarks/bench_pdf.py [--questions 200] [--versions 2]

1. a quiz of N questions per version (choice, variant, recall, definition, cloze cards whose
   text and formulas come from the project's notes) and its answer key, in a fresh process
   (imports and font loading included, formula conversion caches cold);
2. a study sheet of every note under notes/;
3. fidelity: the share of display formulas in notes/ and ../shared (seeds, realnotes) printed
   as math rather than as LaTeX source, with the failures listed.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

QUIZ = textwrap.dedent(
    """
    import json, math, random, sys, tempfile, time
    t0 = time.perf_counter()
    from pathlib import Path
    from quizgen.export.pdf import write_quiz
    from quizgen.model import Answer, Card, Choice, Cloze, SourceRef
    from quizgen.parse import collect, parse_file
    n, versions = int(sys.argv[1]), int(sys.argv[2])
    notes = [parse_file(p) for p in collect([Path("notes")])]
    defs = [d for note in notes for d in note.definitions]
    forms = [f for note in notes for f in note.formulas if f.display]

    def card(i, v):
        rng = random.Random(i * 1000 + v)
        d, f = defs[i % len(defs)], forms[i % len(forms)]
        src = SourceRef(d.source.path, d.source.line)
        kind = ("choice", "variant", "recall", "definition", "cloze")[i % 5]
        common = dict(id=str(i), key=str(i), deck="d", tags=(), source=src)
        if kind == "choice":
            opts = [defs[(i + k) % len(defs)].term for k in range(4)]
            rng.shuffle(opts)
            return Card(kind=kind, front=f"哪个术语的定义是：{d.text[:60]}", back="",
                        choices=tuple(Choice(o, o, o == d.term) for o in opts), **common)
        if kind == "variant":
            x = rng.randint(2, 9)
            front = f"若 \\\\(x={x}\\\\)，求 \\\\(\\\\log x\\\\) 的值。"
            return Card(kind=kind, front=front, back="",
                        answer=Answer(f"log({x})", math.log(x)), **common)
        if kind == "recall":
            return Card(kind=kind, front=f"写出 {f.context or '该'} 的公式。",
                        back=f"\\\\[{f.latex}\\\\]", **common)
        if kind == "cloze" and "=" in f.latex:
            left, right = f.latex.split("=", 1)
            return Card(kind=kind, front="补全公式：", back=f"\\\\[{f.latex}\\\\]",
                        cloze=Cloze(left + "=", right, ""), **common)
        return Card(kind="definition", front=f"{d.term} 是什么？", back=d.text, **common)

    cards = [[card(i, v) for i in range(n)] for v in range(versions)]
    out = Path(tempfile.mkdtemp())
    t1 = time.perf_counter()
    r = write_quiz(cards, out / "quiz.pdf", out / "key.pdf", title="基准测验")
    t2 = time.perf_counter()
    print(json.dumps({"total": t2 - t0, "write_quiz": t2 - t1, "pages": r.pages,
                      "formulas": r.formulas, "fallbacks": len(r.fallbacks),
                      "kb": sum(p.stat().st_size for p in r.paths) // 1024}))
    """
)

SHEET = textwrap.dedent(
    """
    import json, sys, tempfile, time
    t0 = time.perf_counter()
    from pathlib import Path
    from quizgen.export.pdf import write_sheet
    from quizgen.parse import collect, parse_file
    notes = [parse_file(p) for p in collect([Path("notes")])]
    t1 = time.perf_counter()
    r = write_sheet(notes, Path(tempfile.mkdtemp()) / "sheet.pdf", title="公式速查")
    t2 = time.perf_counter()
    print(json.dumps({"total": t2 - t0, "write_sheet": t2 - t1, "notes": len(notes),
                      "pages": r.pages, "formulas": r.formulas, "fallbacks": len(r.fallbacks)}))
    """
)


def _run(code: str, *args: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=REPO, capture_output=True, text=True, check=True
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def fidelity() -> None:
    sys.path.insert(0, str(REPO))
    from quizgen.export.typst_math import compiles, latex_to_typst
    from quizgen.parse import parse_file

    folders = [REPO / "notes", SHARED / "seeds", SHARED / "realnotes"]
    failed: list[tuple[str, int, str]] = []
    total = 0
    for folder in (f for f in folders if f.is_dir()):
        for path in sorted(folder.rglob("*")):
            if path.suffix not in (".md", ".txt") or path.name == "README.md":
                continue
            for f in parse_file(path).formulas:
                if not f.display:
                    continue
                total += 1
                math = latex_to_typst(f.latex)
                if math is None or not compiles(math):
                    failed.append((str(path.relative_to(REPO.parent)), f.source.line, f.latex))
    share = 100 * (total - len(failed)) / total if total else 0.0
    print(f"fidelity: {total - len(failed)}/{total} display formulas as math ({share:.1f} %)")
    for where, line, latex in failed:
        print(f"  fallback {where}:{line}: {latex}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--questions", type=int, default=200)
    ap.add_argument("--versions", type=int, default=2)
    args = ap.parse_args()
    quiz = _run(QUIZ, str(args.questions), str(args.versions))
    print(f"quiz: {args.questions} questions x {args.versions} versions + key: {quiz}")
    print(f"sheet: {_run(SHEET)}")
    fidelity()


if __name__ == "__main__":
    main()
