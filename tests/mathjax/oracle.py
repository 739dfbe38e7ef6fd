"""MathJax 3 as the oracle for card math: can Anki's MathJax typeset these formulas?

One node process (``check.js``) checks a whole batch; each distinct formula is typeset once.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Sequence
from typing import NamedTuple

from tests.mathjax.install import HERE, mathjax_root, node

SCRIPT = HERE / "check.js"


class Failure(NamedTuple):
    """A formula MathJax cannot typeset and what MathJax said."""

    tex: str
    display: bool
    message: str


class Verdict(NamedTuple):
    """MathJax's answer for one formula: ``ok``, or the error's id and message."""

    ok: bool
    id: str = ""  # MathJax's TexError id: "Misplaced", "MissingCloseBrace", …
    message: str = ""


def _run(args: Sequence[str], payload: object) -> object:
    done = subprocess.run(
        [node(), str(SCRIPT), *args], input=json.dumps(payload), capture_output=True,
        text=True, encoding="utf-8", check=False, timeout=600,
        env={**os.environ, "MATHJAX_FULL": str(mathjax_root())},
    )
    if done.returncode != 0:
        raise RuntimeError(f"{SCRIPT.name} failed ({done.returncode}):\n{done.stderr}")
    return json.loads(done.stdout)


def typeset(items: Sequence[tuple[str, bool]]) -> list[Verdict]:
    """One verdict per item (``(tex, display)``), in order."""
    unique = list(dict.fromkeys((tex, bool(display)) for tex, display in items))
    if not unique:
        return []
    answers = _run([], [{"tex": tex, "display": display} for tex, display in unique])
    assert isinstance(answers, list) and len(answers) == len(unique)
    verdict = {
        item: Verdict(a["ok"], a.get("id", ""), a.get("message", ""))
        for item, a in zip(unique, answers, strict=True)
    }
    return [verdict[(tex, bool(display))] for tex, display in items]


def mathml(formulas: Sequence[str]) -> list[str]:
    """The MathML MathJax makes of each display formula (``error: …`` when it cannot)."""
    answers = _run(["--mathml"], [{"tex": tex, "display": True} for tex in formulas])
    assert isinstance(answers, list) and len(answers) == len(formulas)
    return [a["mathml"] if a["ok"] else f"error: {a['message']}" for a in answers]


def typeset_errors(items: Sequence[tuple[str, bool]]) -> list[Failure]:
    """The items MathJax cannot typeset, in order, each once."""
    unique = list(dict.fromkeys((tex, bool(display)) for tex, display in items))
    return [Failure(tex, display, v.message)
            for (tex, display), v in zip(unique, typeset(unique), strict=True) if not v.ok]


def mathjax_finds(pages: Sequence[str]) -> list[list[tuple[str, bool]]]:
    """The formulas MathJax itself finds in each HTML page, with Anki's delimiter settings
    (to hold :func:`tests.mathjax.find.math_in_html` to)."""
    found = _run(["--find"], list(pages))
    assert isinstance(found, list)
    return [[(m["tex"], m["display"]) for m in page] for page in found]
