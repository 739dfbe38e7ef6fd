"""Parsing speed on a synthetic vault: notes per second (goal ≥ 1,000 on 2 cores).

    python benchmarks/make_vault.py benchmarks/vault
    python benchmarks/bench_parse.py benchmarks/vault
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from quizgen.parse import collect
from quizgen.pipeline import parse_notes


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "benchmarks/vault")
    files = list(collect([folder]))
    size = sum(f.stat().st_size for f in files)
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        parsed = parse_notes(files)
        best = min(best, time.perf_counter() - start)
    defs = sum(len(n.definitions) for n in parsed.notes)
    forms = sum(sum(f.display for f in n.formulas) for n in parsed.notes)
    print(f"{len(files)} notes ({size / 1024:.0f} KB), {defs} definitions, {forms} display "
          f"formulas: best of 3 {best:.3f} s = {len(files) / best:.0f} notes/s")


if __name__ == "__main__":
    main()
