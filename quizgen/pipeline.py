"""The one place the stages are wired: read → parse → generate → export.

Every function returns values (reports) and raises only for what the caller must stop on
(:class:`~quizgen.spec.SpecError`); note content problems are collected, never raised.
"""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
import random
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from quizgen import spec as spec_mod
from quizgen.cache import BuildCache
from quizgen.generate import DeckContext, generate
from quizgen.generate.identity import derive_seed
from quizgen.model import Card, Note, Problem, Variant
from quizgen.parse import collect, parse_text
from quizgen.parse.reader import read

Progress = Callable[[Iterable[Path]], Iterable[Path]]


def _no_progress(items: Iterable[Path]) -> Iterable[Path]:
    return items


@dataclass(frozen=True)
class Parsed:
    notes: tuple[Note, ...]  # every file that could be read, in order
    unreadable: tuple[Problem, ...] = ()  # files that could not (binary, not UTF-8, too big …)

    @property
    def problems(self) -> tuple[Problem, ...]:
        return self.unreadable + tuple(p for n in self.notes for p in n.problems)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")


@dataclass(frozen=True)
class BuildReport:
    outputs: tuple[Path, ...] = ()
    cards: int = 0
    notes: int = 0
    problems: tuple[Problem, ...] = ()
    orphans: tuple[str, ...] = ()
    fallbacks: int = 0
    seconds: float = 0.0
    details: dict[str, object] = field(default_factory=dict)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity != "error")


def display_path(path: Path) -> str:
    """How a note is named in messages: relative to the working folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


PARALLEL_FROM = 200  # below this many notes a process pool costs more than it saves


def _parse_one(job: tuple[str, str]) -> Note:
    return parse_text(job[1], job[0])


def _parse_many(jobs: list[tuple[str, str]]) -> list[Note]:
    """Parse on every core for big batches (markdown-it is pure Python, so threads don't help)."""
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) < PARALLEL_FROM or workers < 2 or "fork" not in mp.get_all_start_methods():
        return [_parse_one(j) for j in jobs]
    with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
        return list(pool.map(_parse_one, jobs, chunksize=max(1, len(jobs) // (workers * 4))))


def parse_notes(
    files: Iterable[Path], cache: BuildCache | None = None, progress: Progress = _no_progress
) -> Parsed:
    """Parse files (unchanged ones come from the cache); never raises on note content."""
    slots: list[Note | None] = []
    jobs: list[tuple[str, str]] = []
    misses: list[tuple[int, str, str]] = []  # slot, name, digest
    unreadable: list[Problem] = []
    for path in progress(list(files)):
        name = display_path(path)
        text, problem = read(path, name)
        if text is None:
            assert problem is not None
            unreadable.append(problem)
            continue
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()
        note = cache.note(name, digest) if cache else None
        if note is None:
            misses.append((len(slots), name, digest))
            jobs.append((name, text))
        slots.append(note)
    for (slot, name, digest), note in zip(misses, _parse_many(jobs), strict=True):
        slots[slot] = note
        if cache:
            cache.put_note(name, digest, note)
    return Parsed(tuple(n for n in slots if n is not None), tuple(unreadable))


def parse_paths(paths: Sequence[Path], progress: Progress = _no_progress) -> Parsed:
    """``quizgen parse``: files and folders (recursive), no cache."""
    return parse_notes(collect(paths), None, progress)


def variant_source(cache: BuildCache) -> Callable[[str, int, int], list[Variant]]:
    """Variants from the cache, made (and cached) on a miss; sympy loads only on a miss."""

    def get(concept: str, seed: int, count: int) -> list[Variant]:
        if count <= 0:
            return []
        hit = cache.variants(concept, seed, count)
        if hit is not None:
            return hit
        from quizgen.concepts import make_variants

        made = make_variants(concept, seed, count)
        cache.put_variants(concept, seed, made)
        return made

    return get


def _context(
    deck: str, seed: int, kinds: Sequence[str], notes: Sequence[Note], key_root: Path,
    variants_per_concept: int = 3, subdeck_per_note: bool = False,
) -> DeckContext:
    keys: dict[str, str] = {}
    for n in notes:
        p = Path(n.path)
        try:
            keys[n.path] = os.path.relpath(p.resolve(), key_root.resolve()).replace(os.sep, "/")
        except ValueError:
            keys[n.path] = p.as_posix()
    return DeckContext(
        deck=deck, namespace=deck.split("::")[0], seed=seed, kinds=tuple(kinds),
        variants_per_concept=variants_per_concept, subdeck_per_note=subdeck_per_note,
        key_paths=keys,
    )


def select_quiz(
    cards_by_version: Sequence[Sequence[Card]], counts: dict[str, int], seed: int
) -> list[list[Card]]:
    """The same questions in every version (chosen once by key), each version in its own order.

    Variant parameters and option order differ because each version's cards were generated
    with that version's seed.
    """
    base = cards_by_version[0]
    rng = random.Random(derive_seed(seed, "quiz-select"))
    chosen: list[str] = []
    for kind, n in counts.items():
        pool = [c.key for c in base if c.kind == kind and c.key not in chosen]
        chosen.extend(rng.sample(pool, min(n, len(pool))))
    out: list[list[Card]] = []
    for v, cards in enumerate(cards_by_version):
        by_key = {c.key: c for c in cards}
        questions = [by_key[k] for k in chosen if k in by_key]
        random.Random(derive_seed(seed, "quiz-order", v)).shuffle(questions)
        out.append(questions)
    return out


def export_cards(
    cards: Sequence[Card], notes: Sequence[Note], out_dir: Path, stem: str, formats: Sequence[str],
    *, quiz_versions: Sequence[Sequence[Card]] = (), quiz_title: str = "测验",
    sheet_title: str = "公式速查", font: str | None = None, notes_root: Path | None = None,
    json_path: Path | None = None, seed: int = 0,
) -> tuple[list[Path], list[Problem], tuple[str, ...], int]:
    """Write the requested outputs; returns (paths, problems, orphans, formula fallbacks)."""
    outputs: list[Path] = []
    problems: list[Problem] = []
    orphans: tuple[str, ...] = ()
    fallbacks = 0
    if "json" in formats:
        from quizgen.export.json_cards import write_json

        path = json_path or out_dir / f"{stem}.json"
        write_json(cards, path, seed=seed)
        outputs.append(path)
    if "apkg" in formats:
        from quizgen.export.anki import write_apkg

        apkg = out_dir / f"{stem}.apkg"
        rep = write_apkg(cards, apkg, notes_root=notes_root or Path.cwd())
        outputs.append(apkg)
        problems.extend(rep.problems)
        orphans = rep.orphans
    if "quiz" in formats and quiz_versions:
        from quizgen.export.json_cards import write_json
        from quizgen.export.pdf import write_quiz

        quiz, key = out_dir / f"{stem}-quiz.pdf", out_dir / f"{stem}-key.pdf"
        prep = write_quiz(quiz_versions, quiz, key, title=quiz_title, font=font)
        qjson = out_dir / f"{stem}-quiz.json"
        write_json([c for v in quiz_versions for c in v], qjson, seed=seed,
                   versions=[[c.id for c in v] for v in quiz_versions])
        outputs.extend([quiz, key, qjson])
        problems.extend(prep.problems)
        fallbacks += len(prep.fallbacks)
    if "sheet" in formats:
        from quizgen.export.pdf import write_sheet

        sheet = out_dir / f"{stem}-sheet.pdf"
        srep = write_sheet(notes, sheet, title=sheet_title, font=font)
        outputs.append(sheet)
        problems.extend(srep.problems)
        fallbacks += len(srep.fallbacks)
    return outputs, problems, orphans, fallbacks


def export_deck(
    spec: spec_mod.DeckSpec, progress: Progress = _no_progress, seed: int | None = None,
    formats: Sequence[str] | None = None,
) -> BuildReport:
    """``quizgen export decks/x.yaml``: everything the deck spec asks for.

    Raises:
        SpecError: a glob in the spec matches nothing.
    """
    start = time.perf_counter()
    seed = spec.seed if seed is None else seed
    out_dir = spec.output_dir()
    cache = BuildCache(out_dir / ".quizgen-cache")
    parsed = parse_notes(spec.note_files(), cache, progress)
    notes = list(parsed.notes)
    variants = variant_source(cache)
    ctx = _context(spec.name, seed, spec.kinds, notes, spec.folder,
                   spec.variants_per_concept, spec.subdeck_per_note)
    cards = generate(notes, ctx, variants)
    formats = tuple(formats or spec.formats)
    quiz_versions: list[list[Card]] = []
    if "quiz" in formats and spec.quiz is not None:
        counts = dict(spec.quiz.questions)
        kinds = tuple(k for k in counts if counts[k] > 0)
        per_version = [
            generate(notes, replace(ctx, seed=derive_seed(seed, "quiz", v), kinds=kinds), variants)
            for v in range(spec.quiz.versions)
        ]
        quiz_versions = select_quiz(per_version, counts, seed)
    if "sheet" in formats and spec.sheet is None:
        formats = tuple(f for f in formats if f != "sheet")
    out_dir.mkdir(parents=True, exist_ok=True)
    notes_root = _common_root(spec.note_files()) or spec.folder
    outputs, problems, orphans, fallbacks = export_cards(
        cards, notes, out_dir, spec.stem, formats, quiz_versions=quiz_versions,
        quiz_title=spec.quiz.title if spec.quiz else "测验",
        sheet_title=spec.sheet.title if spec.sheet else "公式速查", font=spec.font,
        notes_root=notes_root, seed=seed,
    )
    cache.save()
    return BuildReport(
        outputs=tuple(outputs), cards=len(cards), notes=len(parsed.notes),
        problems=parsed.problems + tuple(problems), orphans=orphans, fallbacks=fallbacks,
        seconds=time.perf_counter() - start,
    )


def _common_root(paths: Sequence[Path]) -> Path | None:
    if not paths:
        return None
    return Path(os.path.commonpath([str(p.resolve().parent) for p in paths]))


def export_paths(
    paths: Sequence[Path], fmt: str, out: Path, *, seed: int = 0, deck: str = "quizgen",
    kinds: Sequence[str] = spec_mod.DEFAULT_KINDS, variants_per_concept: int = 3,
    versions: int = 2, title: str | None = None, font: str | None = None,
    progress: Progress = _no_progress,
) -> BuildReport:
    """``quizgen export PATH... --format F -o OUT``: ad-hoc export without a deck spec."""
    start = time.perf_counter()
    files = list(collect(paths))
    cache = BuildCache(None)
    parsed = parse_notes(files, cache, progress)
    notes = list(parsed.notes)
    variants = variant_source(cache)
    ctx = _context(deck, seed, kinds, notes, Path.cwd(), variants_per_concept)
    cards = generate(notes, ctx, variants)
    quiz_versions: list[list[Card]] = []
    out_dir = out.parent
    out_dir.mkdir(parents=True, exist_ok=True)
    outputs: list[Path] = []
    problems: list[Problem] = []
    orphans: tuple[str, ...] = ()
    fallbacks = 0
    root = _common_root([Path(n.path) for n in parsed.notes]) or Path.cwd()
    if fmt == "json":
        from quizgen.export.json_cards import write_json

        write_json(cards, out, seed=seed)
        outputs.append(out)
    elif fmt == "apkg":
        from quizgen.export.anki import write_apkg

        rep = write_apkg(cards, out, notes_root=root)
        outputs.append(out)
        problems.extend(rep.problems)
        orphans = rep.orphans
    elif fmt == "quiz":
        from quizgen.export.pdf import write_quiz

        qkinds = ("choice", "variant", "recall")
        per_version = [
            generate(notes, replace(ctx, seed=derive_seed(seed, "quiz", v), kinds=qkinds),
                     variants)
            for v in range(versions)
        ]
        quiz_versions = select_quiz(per_version, {"choice": 10, "variant": 5, "recall": 5}, seed)
        key = out.with_name(out.stem + "-key" + out.suffix)
        prep = write_quiz(quiz_versions, out, key, title=title or "测验", font=font)
        outputs.extend([out, key])
        problems.extend(prep.problems)
        fallbacks = len(prep.fallbacks)
    elif fmt == "sheet":
        from quizgen.export.pdf import write_sheet

        srep = write_sheet(notes, out, title=title or "公式速查", font=font)
        outputs.append(out)
        problems.extend(srep.problems)
        fallbacks = len(srep.fallbacks)
    return BuildReport(
        outputs=tuple(outputs), cards=len(cards), notes=len(parsed.notes),
        problems=parsed.problems + tuple(problems), orphans=orphans, fallbacks=fallbacks,
        seconds=time.perf_counter() - start,
    )
