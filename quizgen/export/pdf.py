"""Printable quizzes with answer keys, and study sheets: jinja2 → Typst source → PDF.

Templates live in ``quizgen/templates/print``. Autoescaping is off because the output is Typst,
not HTML; instead every value reaches a template either as a Typst string literal (the ``s``
filter) or as markup built by :mod:`quizgen.export.typst_text`, which quotes all note text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from quizgen.atomic import write_atomic
from quizgen.export import fonts as fontlib
from quizgen.export.pdf_quiz import key_views, quiz_views
from quizgen.export.pdf_sheet import sheet_groups
from quizgen.export.typst_compile import compile_with_fallback
from quizgen.export.typst_math import PRELUDE, too_big
from quizgen.export.typst_text import MathWriter, literal, shorten
from quizgen.model import Card, Note, Problem
from quizgen.patterns import lazy_pattern


@dataclass(frozen=True)
class PdfReport:
    """What was written; ``fallbacks`` are formulas printed as LaTeX source instead of math."""

    paths: tuple[Path, ...]
    pages: int
    formulas: int
    fallbacks: tuple[str, ...]
    problems: tuple[Problem, ...]


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("quizgen", "templates/print"),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["s"] = literal
    return env


def _render(template: str, fonts: fontlib.Fonts, size: str, **context: Any) -> str:
    return _environment().get_template(template).render(
        fonts=fonts, size=size, math_prelude=PRELUDE, **context
    )


# Typst writes one uncompressed `/Type /Page` dictionary per page; counting them avoids a PDF
# reader dependency at run time.
_PAGE = lazy_pattern(rb"/Type\s*/Page(?![s\w])")


def _pages(pdf: bytes) -> int:
    return len(_PAGE.findall(pdf))


def _fallback_problems(writer: MathWriter, where: str) -> list[Problem]:
    """One warning per formula printed as source, at the note line it came from when known."""
    out: list[Problem] = []
    for latex in dict.fromkeys(writer.fallbacks):
        src = writer.sources.get(latex)
        size = too_big(latex)
        why = f" (too big to typeset: {size})" if size else ""
        message = f"formula printed as LaTeX source in {where}{why}: {shorten(latex, 120)}"
        out.append(Problem(src.path if src else where, src.line if src else 0, message,
                           "warning"))
    return out


def write_quiz(
    versions: Sequence[Sequence[Card]],
    quiz_path: Path,
    key_path: Path,
    *,
    title: str,
    font: str | None = None,
    date: str = "",
) -> PdfReport:
    """Write the quiz (one section per version) and its answer key.

    ``versions[v]`` holds version v's questions, already selected and ordered. Raises
    ValueError for an unknown ``font``, RuntimeError when a template does not compile, and
    OSError when a file cannot be written.
    """
    fonts = fontlib.choose(font)

    def quiz(w: MathWriter) -> str:
        views = quiz_views(versions, w)
        return _render("quiz.typ.j2", fonts, "10.5pt", title=title, date=date, versions=views)

    def key(w: MathWriter) -> str:
        views = key_views(versions, w)
        return _render("key.typ.j2", fonts, "10pt", title=title, versions=views)

    quiz_pdf, quiz_math = compile_with_fallback(quiz, fonts)
    key_pdf, key_math = compile_with_fallback(key, fonts, compact=True)
    write_atomic(quiz_path, quiz_pdf)
    write_atomic(key_path, key_pdf)
    fallbacks = tuple(dict.fromkeys([*quiz_math.fallbacks, *key_math.fallbacks]))
    return PdfReport(
        paths=(quiz_path, key_path),
        pages=_pages(quiz_pdf) + _pages(key_pdf),
        formulas=len(set(quiz_math.used) | set(key_math.used)) + len(fallbacks),
        fallbacks=fallbacks,
        problems=(
            *_fallback_problems(quiz_math, str(quiz_path)),
            *_fallback_problems(key_math, str(key_path)),
        ),
    )


def write_sheet(
    notes: Sequence[Note], path: Path, *, title: str, font: str | None = None
) -> PdfReport:
    """Write a two-column study sheet: definitions and display formulas with their legends.

    Raises ValueError for an unknown ``font``, RuntimeError when the template does not compile,
    and OSError when the file cannot be written.
    """
    fonts = fontlib.choose(font)

    def sheet(w: MathWriter) -> str:
        groups = sheet_groups(notes, w)
        return _render("sheet.typ.j2", fonts, "8.5pt", title=title, groups=groups)

    pdf, math = compile_with_fallback(sheet, fonts)
    write_atomic(path, pdf)
    fallbacks = tuple(dict.fromkeys(math.fallbacks))
    return PdfReport(
        paths=(path,),
        pages=_pages(pdf),
        formulas=len(math.used) + len(fallbacks),
        fallbacks=fallbacks,
        problems=tuple(_fallback_problems(math, str(path))),
    )
