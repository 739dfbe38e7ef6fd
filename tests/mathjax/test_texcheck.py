"""``quizgen.texcheck`` (the card gate's Python check) held to MathJax itself.

The gate runs without node; these tests make sure that what it lets through, MathJax
typesets: on hand-picked traps, on every formula of the three corpora, and on generated
TeX soup.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from quizgen.latex import one_line
from quizgen.parse import collect, parse_file
from quizgen.richtext import segments
from quizgen.texcheck import repair, tex_problem
from tests.conftest import NOTES, SHARED
from tests.mathjax.names import DATA, mathjax_names
from tests.mathjax.oracle import typeset

pytestmark = pytest.mark.usefixtures("mathjax")

# (TeX, MathJax rejects it) — the shapes real notes and clozes produce.
TRAPS = [
    ("a &= b \\\\ &= c", True),  # an aligned chain with no environment (real notes)
    ("a &=& b \\\\ &=& c", True),  # eqnarray habits
    ("\\left( a", True),
    ("a \\right)", True),
    ("\\begin{aligned} a &= b", True),
    ("a \\end{aligned}", True),
    ("\\begin{foo} a \\end{foo}", True),
    ("{a", True),
    ("a}", True),
    ("x^2^3", True),
    ("x_1_2", True),
    ("max\\limits_x f", True),
    ("\\begin{aligned} a \\tag{1} \\end{aligned}", True),
    ("\\bm{x}", True),
    ("\\argmax_x f(x)", True),
    ("\\frac{1}", True),
    ("\\sqrt", True),
    ("a_", True),
    ("\\hat", True),
    ("#1", True),
    ("\\left\\{ a \\right.", False),
    ("b_3. \\end{aligned}", True),  # a cloze that swallowed its closer
    ("\\right\\}", True),
    ("\\max\\limits_x f", False),
    ("\\mathop{min}\\limits_{\\theta}", False),
    ("\\begin{cases} a & b \\\\ c & d \\end{cases}", False),
    ("\\begin{array}{c|c} a & b \\end{array}", False),
    ("a \\\\ b", False),
    ("\\operatorname*{argmax}_x f", False),
    ("\\text{中文} + \\mathbb{R}", False),
    ("\\sum_{x}\\sum_{y} p_{X,Y}(x,y)", False),
    ("\\{x_i\\}_{i=1}^N", False),
    ("50\\%", False),
    ("\\boxed{?}", False),
]


@pytest.mark.parametrize(("tex", "bad"), TRAPS, ids=[t for t, _ in TRAPS])
def test_traps_are_judged_as_mathjax_judges_them(tex: str, bad: bool) -> None:
    (verdict,) = typeset([(tex, True)])
    assert (not verdict.ok) == bad, verdict  # the trap list itself is right
    if bad:
        assert tex_problem(tex) is not None
    else:
        assert tex_problem(tex) is None, tex_problem(tex)


@pytest.mark.parametrize("tex", ["a &= b \\\\ &= c", "a &=& b \\\\ &=& c", "50% + x"])
def test_repairs_typeset(tex: str) -> None:
    fixed = repair(tex)
    assert tex_problem(fixed) is None
    assert typeset([(fixed, True)])[0].ok


def _corpus_formulas() -> list[tuple[str, bool]]:
    roots = [NOTES] + [p for p in (SHARED / "realnotes", SHARED / "seeds") if p.is_dir()]
    items: set[tuple[str, bool]] = set()
    for root in roots:
        for path in [*collect([root]), *sorted(Path(root).glob("*.txt"))]:
            note = parse_file(path)
            items.update((one_line(f.latex), f.display) for f in note.formulas)
            for d in note.definitions:
                items.update((one_line(s.text), s.display) for s in segments(d.text) if s.math)
    return sorted(items)


def test_every_corpus_formula_is_judged_as_mathjax_judges_it() -> None:
    items = _corpus_formulas()
    assert len(items) > 300
    verdicts = typeset(items)
    wrong = [(tex, v.message, tex_problem(tex)) for (tex, _), v in zip(items, verdicts, strict=True)
             if v.ok != (tex_problem(tex) is None)]
    assert wrong == []


_SOUP = ["a", "x", "1", " ", "{", "}", "^", "_", "&", "\\\\", "=", "+", "(", ")", "\\left(",
         "\\right)", "\\frac", "\\sqrt", "\\sum", "\\limits", "\\begin{aligned}",
         "\\end{aligned}", "\\begin{cases}", "\\end{cases}", "\\alpha", "\\mathbb{R}", "\\hat",
         "\\text{x}", "'", "|", "\\|", "\\{", "\\}", "\\max", "\\tag{1}", "\\over", "\\left.",
         "\\right|", "\\middle|", "[", "]", "\\sqrt[3]", "\\begin{gathered}", "\\end{gathered}",
         "\\begin{array}{cc}", "\\end{array}", "\\operatorname{f}", "\\mathop{x}", "\\label{a}",
         "\\boxed{?}", "\\bm"]


def test_whatever_the_check_passes_mathjax_typesets() -> None:
    """Soundness on random TeX soup: the gate may refuse too much, never too little."""
    rng = random.Random(20261201)
    items = [("".join(rng.choice(_SOUP) for _ in range(rng.randint(1, 14))), True)
             for _ in range(4000)]
    passed = [(t, d) for t, d in items if tex_problem(t) is None]
    assert len(passed) > 100  # the soup is not all rejected
    bad = [(t, v.message) for (t, _), v in zip(passed, typeset(passed), strict=True) if not v.ok]
    assert bad == []


def test_the_names_file_matches_the_installed_mathjax() -> None:
    """``quizgen/data/mathjax_tex.json`` lists what MathJax knows (refresh it with
    ``python -m tests.mathjax.names`` after an upgrade)."""
    assert json.loads(DATA.read_text(encoding="utf-8")) == mathjax_names()
