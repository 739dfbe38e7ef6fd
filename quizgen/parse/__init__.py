"""Markdown notes → :class:`quizgen.model.Note` values.

``parse_text`` never raises on note content: anything wrong becomes a
:class:`~quizgen.model.Problem` with the file and line, and the rest of the note still parses.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from quizgen.latex import clean_text
from quizgen.model import Definition, Formula, Note, Problem, SourceRef, Symbol
from quizgen.parse import definitions, formulas, legends
from quizgen.parse.blocks import PLACEHOLDER, Block, read_blocks
from quizgen.parse.frontmatter import FrontMatter, read_front_matter
from quizgen.parse.problems import unclosed_math
from quizgen.parse.reader import read

NOTE_SUFFIXES = (".md", ".markdown")

__all__ = ["NOTE_SUFFIXES", "collect", "parse_file", "parse_text"]


def _legend_after(items: list[Block], i: int, pos: int) -> tuple[Block, int] | None:
    """Where the legend of a formula ending at ``items[i].text[pos]`` starts, if it has one."""
    block = items[i]
    rest = block.text[pos:]
    if rest.strip():
        return (block, pos) if legends.starts_legend(rest) else None
    if i + 1 < len(items) and items[i + 1].kind in ("para", "item"):
        nxt = items[i + 1]
        if legends.starts_legend(nxt.text):
            return nxt, 0
    return None


def _list_legend(items: list[Block], i: int) -> tuple[Block, ...]:
    """``其中：`` followed by list items that each explain one symbol."""
    out: list[Block] = []
    for nxt in items[i + 1 :]:
        if nxt.kind != "item" or not nxt.text.lstrip().startswith("\ue000"):
            break
        out.append(nxt)
    return tuple(out)


def parse_text(text: str, path: str) -> Note:
    """Parse one note's text; ``path`` is how the note is named in every SourceRef."""
    text = clean_text(text)
    doc = read_blocks(text)
    problems: list[Problem] = []
    front = FrontMatter()
    if doc.front_matter is not None:
        front, problem = read_front_matter(doc.front_matter, path)
        if problem:
            problems.append(problem)
    items = list(doc.blocks)
    title = front.title
    heading = ""
    context = ""
    defs: list[Definition] = []
    forms: list[Formula] = []
    images: list[SourceRef] = []
    for i, block in enumerate(items):
        problems.extend(unclosed_math(block, path))
        images.extend(SourceRef(img.src, img.line) for img in block.images)
        if block.kind != "math" and not block.text.strip():
            continue
        if block.kind == "heading":
            heading = block.plain()
            context = heading
            if not title and block.level == 1:
                title = heading
            continue
        found = definitions.extract(block, path, heading)
        defs.extend(d for _, d in found)
        for m in PLACEHOLDER.finditer(block.text):
            span = block.maths[int(m.group(1))]
            symbols: tuple[Symbol, ...] = ()
            if span.display:
                where = _legend_after(items, i, m.end())
                if where is not None:
                    symbols = legends.parse(*where)
                    if not symbols and legends.bare_lead(where[0].text[where[1] :]):
                        symbols = tuple(
                            s for item in _list_legend(items, items.index(where[0]))
                            for s in legends.parse(item, 0)
                        )
            # The definition whose text the formula sits in (or follows) names it best.
            before = [d for pos, d in found if pos < m.start()]
            if before:
                context = " ".join((before[-1].term, *before[-1].aliases))
            formula = formulas.make(span, path, context, symbols)
            if formula is not None:
                forms.append(formula)
    return Note(
        path=path,
        title=title or Path(path).stem,
        tags=front.tags,
        category=front.category,
        date=front.date,
        definitions=tuple(defs),
        formulas=tuple(forms),
        images=tuple(images),
        problems=tuple(problems),
    )


def parse_file(path: Path, display: str | None = None) -> Note:
    """Read and parse one file; unreadable files give a Note with only a Problem."""
    name = display if display is not None else str(path)
    text, problem = read(path, name)
    if text is None:
        assert problem is not None
        return Note(path=name, title=path.stem, problems=(problem,))
    return parse_text(text, name)


def collect(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named directly, and Markdown files under folders (recursively, sorted)."""
    seen: set[Path] = set()
    for p in paths:
        found = (
            sorted(q for q in p.rglob("*") if q.suffix.lower() in NOTE_SUFFIXES and q.is_file())
            if p.is_dir()
            else [p]
        )
        for q in found:
            key = q.resolve()
            if key not in seen:
                seen.add(key)
                yield q
