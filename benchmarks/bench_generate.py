"""Card generation speed on a synthetic vault (goal: all cards of 1,000 notes with 3 variants
per concept ≤ 3 s, sympy's import included; a rebuild with a warm cache imports no sympy).

    python benchmarks/make_vault.py benchmarks/vault
    python benchmarks/bench_generate.py benchmarks/vault

Runs in a fresh interpreter so that importing sympy is part of the cold figure.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import textwrap

CODE = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    from quizgen import pipeline
    from quizgen.cache import BuildCache
    from quizgen.generate import generate
    from quizgen.parse import collect
    from quizgen.spec import ALL_KINDS
    files = list(collect([Path(sys.argv[1])]))
    notes = list(pipeline.parse_notes(files).notes)
    ctx = pipeline._context("Bench", 1, ALL_KINDS, notes, Path.cwd(), 3)
    cache = BuildCache(Path(sys.argv[2]))
    t0 = time.perf_counter()
    cards = generate(notes, ctx, pipeline.variant_source(cache))
    seconds = time.perf_counter() - t0
    cache.save()
    print(json.dumps({"seconds": seconds, "cards": len(cards),
                      "computed": sum(c.answer is not None for c in cards),
                      "sympy": "sympy" in sys.modules}))
    """
)


def main() -> None:
    vault = sys.argv[1] if len(sys.argv) > 1 else "benchmarks/vault"
    with tempfile.TemporaryDirectory() as cache:
        for label in ("cold (empty variant cache)", "warm (variants cached)"):
            out = subprocess.run([sys.executable, "-c", CODE, vault, cache], check=True,
                                 capture_output=True, text=True).stdout
            r = json.loads(out.strip().splitlines()[-1])
            print(f"{label}: {r['cards']} cards ({r['computed']} computed) in "
                  f"{r['seconds']:.2f} s, sympy imported: {r['sympy']}")


if __name__ == "__main__":
    main()
