"""Typst source → PDF bytes, with formulas that stop the document swapped for their source.

Checking every formula alone costs ~4 ms each, so the whole document is compiled first; only
when that fails are its formulas checked one by one (cached), the failing ones shown as LaTeX
source, and the document compiled again.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import typst

from quizgen.export.fonts import Fonts
from quizgen.export.typst_math import compiles
from quizgen.export.typst_text import MathWriter

# Each round removes every formula that fails alone; a second failure means the template is wrong.
_ROUNDS = 2


def compile_pdf(source: str, fonts: Fonts) -> bytes:
    """Compile Typst source to PDF. Raises typst.TypstError when the source does not compile.

    The root is a fresh folder holding only the source, so nothing in a document can read the
    user's files; system fonts are ignored so output does not change with what else is
    installed.
    """
    with tempfile.TemporaryDirectory(prefix="quizgen-typst-") as root:
        main = Path(root) / "main.typ"
        main.write_text(source, encoding="utf-8")
        pdf = typst.compile(
            main,
            format="pdf",
            root=Path(root),
            font_paths=[Path(f) for f in fonts.paths],
            ignore_system_fonts=True,
            pdf_tags=False,
        )
    assert isinstance(pdf, bytes)
    return pdf


def compile_with_fallback(
    render: Callable[[MathWriter], str], fonts: Fonts, *, compact: bool = False
) -> tuple[bytes, MathWriter]:
    """Render with a fresh :class:`MathWriter` and compile, falling back formula by formula.

    ``compact`` is passed to the writer (display formulas set in the line).

    Raises RuntimeError when the document fails for a reason other than a formula.
    """
    bad: frozenset[str] = frozenset()
    for attempt in range(_ROUNDS + 1):
        writer = MathWriter(bad=bad, compact=compact)
        source = render(writer)
        try:
            return compile_pdf(source, fonts), writer
        except typst.TypstError as exc:
            failing = {latex for latex, math in writer.used.items() if not compiles(math)}
            if not failing or attempt == _ROUNDS:
                raise RuntimeError(f"printed document does not compile: {exc.message}") from exc
            bad |= failing
    raise AssertionError("unreachable")
