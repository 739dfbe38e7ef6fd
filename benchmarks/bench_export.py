"""End-to-end export speed on a synthetic vault (goals: cold ≤ 5 s, one-note rebuild ≤ 1 s).

    python benchmarks/make_vault.py benchmarks/vault
    python benchmarks/bench_export.py benchmarks/vault

Each step runs in a fresh interpreter, as a user's command would (sympy's import included):
1. cold: no cache, .apkg written (parse + generate with variants + write);
2. rebuild after editing one note (cache warm: only that note is parsed, sympy not imported);
3. genanki alone writing the same cards, for the ratio.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

RUN = textwrap.dedent(
    """
    import json, sys, time
    t0 = time.perf_counter()
    from pathlib import Path
    from quizgen import pipeline, spec
    s = spec.load(Path(sys.argv[1]))
    r = pipeline.export_deck(s, formats=["apkg"])
    print(json.dumps({"seconds": time.perf_counter() - t0, "cards": r.cards,
                      "sympy": "sympy" in sys.modules, "errors": len(r.errors)}))
    """
)

GENANKI_ONLY = textwrap.dedent(
    """
    import json, sys, time
    import genanki
    cards = json.loads(open(sys.argv[1], encoding="utf-8").read())["cards"]
    t0 = time.perf_counter()
    model = genanki.Model(1607392319, "Basic", fields=[{"name": "Front"}, {"name": "Back"}],
        templates=[{"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{Back}}"}])
    deck = genanki.Deck(2059400110, "bench")
    for c in cards:
        deck.add_note(genanki.Note(model=model, fields=[c["front"], c["back"]], guid=c["id"]))
    genanki.Package(deck).write_to_file(sys.argv[2])
    print(json.dumps({"seconds": time.perf_counter() - t0}))
    """
)


def run(code: str, *args: str) -> dict[str, object]:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    vault = Path(sys.argv[1] if len(sys.argv) > 1 else "benchmarks/vault").resolve()
    work = Path(tempfile.mkdtemp(prefix="quizgen-bench-"))
    try:
        notes = work / "notes"
        shutil.copytree(vault, notes)
        deck = work / "deck.yaml"
        deck.write_text(
            'name: "Bench"\nnotes: ["notes/*.md"]\nseed: 1\noutput: build\n'
            "cards: {variants_per_concept: 3}\nformats: [apkg]\n", encoding="utf-8",
        )
        start = time.perf_counter()
        cold = run(RUN, str(deck))
        cold_wall = time.perf_counter() - start
        first = sorted(notes.glob("*.md"))[0]
        first.write_text(first.read_text(encoding="utf-8").replace("合成", "合成（改）", 1),
                         encoding="utf-8")
        start = time.perf_counter()
        warm = run(RUN, str(deck))
        warm_wall = time.perf_counter() - start
        # genanki alone, on the same cards (exported as JSON first, outside the timing)
        from quizgen import pipeline

        cards_json = work / "cards.json"
        pipeline.export_paths([notes], "json", cards_json, seed=1)
        plain = run(GENANKI_ONLY, str(cards_json), str(work / "plain.apkg"))
        n = len(sorted(notes.glob("*.md")))
        print(f"notes: {n}, cards: {cold['cards']}")
        print(f"cold export:     {cold_wall:.2f} s wall ({cold['seconds']:.2f} s in-process), "
              f"sympy imported: {cold['sympy']}")
        print(f"one-note rebuild: {warm_wall:.2f} s wall ({warm['seconds']:.2f} s in-process), "
              f"sympy imported: {warm['sympy']}")
        print(f"genanki alone:   {plain['seconds']:.2f} s; cold export / genanki = "
              f"{float(cold['seconds']) / float(plain['seconds']):.1f}x")  # type: ignore[arg-type]
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
