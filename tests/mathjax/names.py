"""The TeX names MathJax knows, read from the installed mathjax-full (see ``names.js``).

``python -m tests.mathjax.names`` rewrites ``quizgen/data/mathjax_tex.json`` after a MathJax
upgrade; a test keeps the two equal.
"""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any

from tests.conftest import REPO
from tests.mathjax.install import HERE, mathjax_root, node

DATA = REPO / "quizgen" / "data" / "mathjax_tex.json"


def mathjax_names() -> dict[str, Any]:
    done = subprocess.run(
        [node(), str(HERE / "names.js")], capture_output=True, text=True, encoding="utf-8",
        check=True, timeout=120, env={**os.environ, "MATHJAX_FULL": str(mathjax_root())},
    )
    names: dict[str, Any] = json.loads(done.stdout)
    return names


if __name__ == "__main__":
    DATA.write_text(json.dumps(mathjax_names(), ensure_ascii=False, indent=0, sort_keys=True)
                    + "\n", encoding="utf-8")
    print(f"wrote {DATA}")
