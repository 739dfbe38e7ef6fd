"""Every card of the example deck, the seeds and the real notes, built as `quizgen export`
builds it and rendered by real Anki, typesets in MathJax 3 without an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.mathjax.cards import failures
from tests.mathjax.corpus import CORPORA, corpus_sides, summary
from tests.mathjax.find import math_in_html
from tests.mathjax.oracle import mathjax_finds

pytestmark = pytest.mark.usefixtures("mathjax")

@pytest.mark.parametrize("name", CORPORA)
def test_every_card_formula_typesets(name: str, tmp_path: Path) -> None:
    sides = corpus_sides(name, tmp_path)
    pages = [s.html for s in sides]
    # The formulas checked are the ones MathJax itself finds on the rendered cards.
    assert mathjax_finds(pages) == [math_in_html(p) for p in pages]
    found = failures(sides)
    if not found:
        return
    listing = (f"{len(found)} formula(s) on rendered {name} cards that MathJax cannot "
               f"typeset:\n{summary(found)}")
    pytest.fail(listing)
