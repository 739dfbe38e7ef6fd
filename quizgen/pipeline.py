"""The one place the stages are wired: read → parse → generate → export.

Every function returns values (reports) and raises only for what the caller must stop on
(:class:`~quizgen.spec.SpecError`); note content problems are collected, never raised.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing as mp
import os
import random
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from quizgen import spec as spec_mod
from quizgen.cache import BuildCache
from quizgen.generate import (
    DeckContext,
    Gated,
    VariantSource,
    choice,
    deck_context,
    from_one_note,
    generate,
)
from quizgen.generate.identity import derive_seed
from quizgen.model import Card, Dropped, Note, Problem, Variant
from quizgen.parse import collect, parse_text
from quizgen.parse.reader import read

if TYPE_CHECKING:
    from quizgen.sync.client import Client as SyncClient
    from quizgen.sync.remote import Tick as SyncTick
    from quizgen.sync.run import Options as SyncOptions
    from quizgen.sync.run import SyncReport

Progress = Callable[[Iterable[Path]], Iterable[Path]]


def _no_progress(items: Iterable[Path]) -> Iterable[Path]:
    return items


@dataclass(frozen=True)
class Parsed:
    notes: tuple[Note, ...]  # every file that could be read, in order
    # files that could not be read (binary, not UTF-8, too big …), and reading warnings
    unreadable: tuple[Problem, ...] = ()
    digests: Mapping[str, str] = field(default_factory=dict)  # note path → sha1 of its text

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
    dropped: tuple[Dropped, ...] = ()  # cards the quality gate kept out
    unwritten: tuple[Problem, ...] = ()  # outputs that could not be written (also in problems)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity != "error")


def display_path(path: Path, cwd: str | None = None) -> str:
    """How a note is named in messages: relative to the working folder when inside it.

    String work (``abspath``, not ``resolve``): it runs for every note of every build.
    """
    here = cwd or os.getcwd()
    full = os.path.abspath(path)
    if full.startswith(here.rstrip(os.sep) + os.sep):
        return full[len(here.rstrip(os.sep)) + 1 :].replace(os.sep, "/")
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
    digests: dict[str, str] = {}
    cwd = os.getcwd()
    for path in progress(list(files)):
        name = display_path(path, cwd)
        text, problem = read(path, name)
        if problem is not None:
            unreadable.append(problem)  # or a warning about text that was still read
        if text is None:
            continue
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()
        digests[name] = digest
        note = cache.note(name, digest) if cache else None
        if note is None:
            misses.append((len(slots), name, digest))
            jobs.append((name, text))
        slots.append(note)
    for (slot, name, digest), note in zip(misses, _parse_many(jobs), strict=True):
        slots[slot] = note
        if cache:
            cache.put_note(name, digest, note)
    return Parsed(tuple(n for n in slots if n is not None), tuple(unreadable), digests)


def parse_paths(paths: Sequence[Path], progress: Progress = _no_progress) -> Parsed:
    """``quizgen parse``: files and folders (recursive), no cache."""
    found: list[Problem] = []
    parsed = parse_notes(list(collect(paths, found)), None, progress)
    return replace(parsed, unreadable=(*found, *parsed.unreadable))


def variant_source(cache: BuildCache, short: dict[str, int] | None = None) -> VariantSource:
    """Variants from the cache, made (and cached) on a miss; sympy loads only on a miss.

    A concept with fewer distinct questions than asked for gives what it has; ``short`` then
    records concept → the fewest made (for :func:`shortfall_warning`).
    """

    def get(concept: str, seed: int, count: int) -> list[Variant]:
        if count <= 0:
            return []
        hit = cache.variants(concept, seed, count)
        if hit is not None:
            return hit
        from quizgen.concepts import make_variants

        made = make_variants(concept, seed, count)
        cache.put_variants(concept, seed, made)
        if len(made) < count and short is not None:
            short[concept] = min(len(made), short.get(concept, count))
        return made

    return get


def shortfall_warning(short: Mapping[str, int], asked: int, spec: Path) -> tuple[Problem, ...]:
    """One warning, at the spec's ``variants_per_concept`` line, naming every concept that ran
    out of distinct variants and how many it made."""
    if not short:
        return ()
    try:
        lines = spec.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        lines = []
    line = next((i for i, t in enumerate(lines, 1) if "variants_per_concept" in t), 0)
    made = ", ".join(f"{c} {n}" for c, n in sorted(short.items()))
    return (Problem(str(spec), line, f"variants_per_concept is {asked}, more than some concepts "
                                     f"have distinct questions for; made {made}", "warning"),)


def check_font(font: str | None, formats: Sequence[str], where: str) -> None:
    """Refuse an unknown font before anything is written (only PDFs use one).

    Raises:
        SpecError: ``font`` names no bundled or installed CJK font; the message starts with
            ``where``.
    """
    if font is None or not {"quiz", "sheet"}.intersection(formats):
        return
    from quizgen.export.fonts import choose

    try:
        choose(font)
    except ValueError as exc:
        raise spec_mod.SpecError(f"{where}: {exc}") from exc


def _build_time() -> int | None:
    """``SOURCE_DATE_EPOCH`` (reproducible-builds.org): the time stamped on changed notes, so
    that two builds of the same notes are byte-identical; None means now."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "")
    return int(value) if value.isdigit() else None


def _context(
    deck: str, seed: int, kinds: Sequence[str], notes: Sequence[Note], key_root: Path,
    variants_per_concept: int = 3, subdeck_per_note: bool = False,
) -> DeckContext:
    keys: dict[str, str] = {}
    root = os.path.abspath(key_root)
    for n in notes:
        # abspath, not resolve(): string work only (thousands of notes), and a path through a
        # symlinked folder keeps the identity it was first built with.
        try:
            keys[n.path] = os.path.relpath(os.path.abspath(n.path), root).replace(os.sep, "/")
        except ValueError:
            keys[n.path] = Path(n.path).as_posix()
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


@dataclass(frozen=True)
class Outputs:
    """Where each format is written."""

    apkg: Path
    json: Path
    quiz: Path
    key: Path
    sheet: Path
    quiz_json: Path | None = None

    @classmethod
    def for_deck(cls, out_dir: Path, stem: str) -> Outputs:
        return cls(
            apkg=out_dir / f"{stem}.apkg", json=out_dir / f"{stem}.json",
            quiz=out_dir / f"{stem}-quiz.pdf", key=out_dir / f"{stem}-key.pdf",
            sheet=out_dir / f"{stem}-sheet.pdf", quiz_json=out_dir / f"{stem}-quiz.json",
        )

    @classmethod
    def single(cls, out: Path) -> Outputs:
        """``-o FILE``: every format goes to FILE; a quiz's key beside it as FILE-key."""
        return cls(apkg=out, json=out, quiz=out, key=out.with_name(f"{out.stem}-key{out.suffix}"),
                   sheet=out)


@dataclass(frozen=True)
class Extras:
    """Settings of the printed outputs."""

    quiz_title: str = "测验"
    sheet_title: str = "公式速查"
    font: str | None = None


def quiz_versions(
    notes: Sequence[Note], ctx: DeckContext, variants: VariantSource, versions: int,
    counts: dict[str, int],
) -> list[list[Card]]:
    """Each version's cards generated with that version's seed, then the same questions chosen."""
    kinds = tuple(k for k in counts if counts[k] > 0)
    per_version = [
        list(generate(notes, replace(ctx, seed=derive_seed(ctx.seed, "quiz", v), kinds=kinds),
                      variants).cards)
        for v in range(versions)
    ]
    return select_quiz(per_version, counts, ctx.seed)


@contextmanager
def _writing(failed: list[Problem], path: Path) -> Iterator[None]:
    """An output that cannot be written is reported, and the other formats are still written."""
    try:
        yield
    except OSError as exc:
        name = exc.filename or path
        failed.append(Problem(str(name), 0, f"cannot write {name}: {exc.strerror or exc}"))


def write_outputs(
    formats: Sequence[str], where: Outputs, cards: Sequence[Card], notes: Sequence[Note],
    versions: Sequence[Sequence[Card]], extras: Extras, *, notes_root: Path, seed: int,
    keep: frozenset[str] = frozenset(),
) -> tuple[list[Path], list[Problem], tuple[str, ...], int, list[Problem]]:
    """Write the requested formats; returns (paths, problems, orphans, formula fallbacks,
    outputs that could not be written)."""
    outputs: list[Path] = []
    problems: list[Problem] = []
    failed: list[Problem] = []
    orphans: tuple[str, ...] = ()
    fallbacks = 0
    if "json" in formats:
        from quizgen.export.json_cards import write_json

        with _writing(failed, where.json):
            write_json(cards, where.json, seed=seed)
            outputs.append(where.json)
    if "apkg" in formats:
        from quizgen.export.anki import write_apkg

        with _writing(failed, where.apkg):
            rep = write_apkg(cards, where.apkg, notes_root=notes_root, keep=keep,
                             now=_build_time())
            outputs.append(where.apkg)
            problems.extend(rep.problems)
            orphans = rep.orphans
    if "quiz" in formats and versions:
        from quizgen.export.json_cards import write_quiz_json
        from quizgen.export.pdf import write_quiz

        with _writing(failed, where.quiz):
            prep = write_quiz(versions, where.quiz, where.key, title=extras.quiz_title,
                              font=extras.font)
            outputs.extend([where.quiz, where.key])
            problems.extend(prep.problems)
            fallbacks += len(prep.fallbacks)
        if where.quiz_json is not None:
            with _writing(failed, where.quiz_json):
                write_quiz_json(versions, where.quiz_json, seed=seed)
                outputs.append(where.quiz_json)
    if "sheet" in formats:
        from quizgen.export.pdf import write_sheet

        with _writing(failed, where.sheet):
            srep = write_sheet(notes, where.sheet, title=extras.sheet_title, font=extras.font)
            outputs.append(where.sheet)
            problems.extend(srep.problems)
            fallbacks += len(srep.fallbacks)
    return outputs, problems, orphans, fallbacks, failed


@contextmanager
def _bulk_work() -> Iterator[None]:
    """Pause the cyclic garbage collector: a build makes tens of thousands of small acyclic
    objects, and collections triggered by their sheer number cost as much as the work."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def export_deck(
    spec: spec_mod.DeckSpec, progress: Progress = _no_progress, seed: int | None = None,
    formats: Sequence[str] | None = None,
) -> BuildReport:
    """``quizgen export decks/x.yaml``: everything the deck spec asks for.

    Raises:
        SpecError: a glob in the spec matches nothing.
    """
    with _bulk_work():
        return _export_deck(spec, progress, seed, formats)


def _export_deck(
    spec: spec_mod.DeckSpec, progress: Progress, seed: int | None, formats: Sequence[str] | None,
) -> BuildReport:
    start = time.perf_counter()
    seed = spec.seed if seed is None else seed
    formats = tuple(formats or spec.formats)
    if spec.sheet is None:
        formats = tuple(f for f in formats if f != "sheet")
    check_font(spec.font, formats, f"{spec.path}: font")
    out_dir = spec.output_dir()
    where = Outputs.for_deck(out_dir, spec.stem)
    cache = BuildCache(out_dir / ".quizgen-cache")
    found: list[Problem] = []
    if not spec.notes:
        found.append(Problem(str(spec.path), 0, "notes: the list is empty, so no note is "
                             "exported", "warning"))
    files = spec.note_files(found)
    parsed = parse_notes(files, cache, progress)
    parsed = replace(parsed, unreadable=(*found, *parsed.unreadable))
    notes = list(parsed.notes)
    short: dict[str, int] = {}
    variants = variant_source(cache, short)
    ctx = deck_context(notes, _context(spec.name, seed, spec.kinds, notes, spec.folder,
                                       spec.variants_per_concept, spec.subdeck_per_note))
    # Only the .apkg can reuse unchanged notes' cards (from its previous build); JSON needs all.
    ring = choice.ring(notes, ctx)  # the distractor terms every note's choice cards draw on
    skip, keep = (
        _reusable_notes(parsed, ctx, cache, where.apkg, ring) if "json" not in formats
        and "apkg" in formats else (set(), set())
    )
    gated = generate(notes, ctx, variants, skip_notes=skip)
    cards = list(gated.cards)
    _remember_note_cards(cards, parsed, ctx, cache, skip, ring)
    cache.prune(set(parsed.digests))
    versions: list[list[Card]] = []
    if "quiz" in formats and spec.quiz is not None:
        versions = quiz_versions(notes, ctx, variants, spec.quiz.versions,
                                 dict(spec.quiz.questions))
    extras = Extras(
        quiz_title=spec.quiz.title if spec.quiz else Extras.quiz_title,
        sheet_title=spec.sheet.title if spec.sheet else Extras.sheet_title, font=spec.font,
    )
    outputs, problems, orphans, fallbacks, failed = write_outputs(
        formats, where, cards, notes, versions, extras,
        notes_root=spec.notes_root(), seed=seed, keep=frozenset(keep),
    )
    cache.save()
    return BuildReport(
        outputs=tuple(outputs), cards=len(cards) + len(keep), notes=len(parsed.notes),
        problems=(*parsed.problems, *problems, *failed,
                  *shortfall_warning(short, spec.variants_per_concept, spec.path)),
        orphans=orphans, fallbacks=fallbacks, seconds=time.perf_counter() - start,
        dropped=gated.dropped, unwritten=tuple(failed),
    )


DEFAULT_QUIZ = {"choice": 10, "variant": 5, "recall": 5}


def export_paths(
    paths: Sequence[Path], fmt: str, out: Path, *, seed: int = 0, deck: str = "quizgen",
    kinds: Sequence[str] = spec_mod.DEFAULT_KINDS, variants_per_concept: int = 3,
    versions: int = 2, title: str | None = None, font: str | None = None,
    progress: Progress = _no_progress,
) -> BuildReport:
    """``quizgen export PATH... --format F -o OUT``: ad-hoc export without a deck spec."""
    start = time.perf_counter()
    check_font(font, (fmt,), "--font")
    found: list[Problem] = []
    files = list(collect(paths, found))
    cache = BuildCache(None)
    parsed = parse_notes(files, cache, progress)
    if not files:
        named = ", ".join(p.as_posix() for p in paths)
        found.append(Problem(named, 0, "no Markdown notes (*.md) found here", "warning"))
    parsed = replace(parsed, unreadable=(*found, *parsed.unreadable))
    notes = list(parsed.notes)
    variants = variant_source(cache)
    # Identities are relative to what was named on the command line, so the same notes give
    # the same card ids whichever folder the command runs from.
    key_root = _common_root([p if p.is_dir() else p.parent for p in paths], parent=False)
    ctx = deck_context(notes, _context(deck, seed, kinds, notes, key_root or Path.cwd(),
                                       variants_per_concept))
    gated = generate(notes, ctx, variants)
    cards = list(gated.cards)
    quiz = quiz_versions(notes, ctx, variants, versions, DEFAULT_QUIZ) if fmt == "quiz" else []
    extras = Extras(quiz_title=title or Extras.quiz_title,
                    sheet_title=title or Extras.sheet_title, font=font)
    outputs, problems, orphans, fallbacks, failed = write_outputs(
        (fmt,), Outputs.single(out), cards, notes, quiz, extras,
        notes_root=_common_root(files) or Path.cwd(), seed=seed,
    )
    return BuildReport(
        outputs=tuple(outputs), cards=len(cards), notes=len(parsed.notes),
        problems=(*parsed.problems, *problems, *failed), orphans=orphans, fallbacks=fallbacks,
        seconds=time.perf_counter() - start, dropped=gated.dropped, unwritten=tuple(failed),
    )


def check_cards(parsed: Parsed, paths: Sequence[Path], seed: int = 0) -> Gated:
    """``quizgen check --cards``: every card the notes give (all kinds), through the gate."""
    notes = list(parsed.notes)
    key_root = _common_root([p if p.is_dir() else p.parent for p in paths], parent=False)
    ctx = deck_context(notes, _context("quizgen", seed, spec_mod.DEFAULT_KINDS, notes,
                                       key_root or Path.cwd()))
    return generate(notes, ctx, variant_source(BuildCache(None)))


def _cards_fingerprint(ctx: DeckContext, note: Note, parsed: Parsed, r: choice.Pool) -> str:
    """What a note's own cards depend on: its text, the deck's card settings and seed, and the
    distractor terms its definition-choice cards take from the rest of the deck."""
    parts = (parsed.digests.get(note.path), ctx.deck, ctx.namespace, ",".join(ctx.kinds),
             ctx.subdeck_per_note, ctx.key_path(note), ctx.seed, choice.signature(note, r, ctx),
             ctx.terms.signature(note) if ctx.terms else "")
    return hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()[:16]


def _reusable_notes(
    parsed: Parsed, ctx: DeckContext, cache: BuildCache, apkg: Path, r: choice.Pool
) -> tuple[set[str], set[str]]:
    """Notes whose per-note cards the previous .apkg build already holds unchanged.

    Returns (note paths to skip in generation, card ids to keep from the previous package).
    """
    from quizgen.export.anki import reusable

    held = reusable(apkg)
    skip: set[str] = set()
    keep: set[str] = set()
    if not held:
        return skip, keep
    for note in parsed.notes:
        ids = cache.note_card_ids(note.path, _cards_fingerprint(ctx, note, parsed, r))
        if ids is not None and held.issuperset(ids):
            skip.add(note.path)
            keep.update(ids)
    return skip, keep


def _remember_note_cards(
    cards: Sequence[Card], parsed: Parsed, ctx: DeckContext, cache: BuildCache, skip: set[str],
    r: choice.Pool,
) -> None:
    by_note: dict[str, list[str]] = {n.path: [] for n in parsed.notes if n.path not in skip}
    for c in cards:
        if from_one_note(c) and c.source.path in by_note:
            by_note[c.source.path].append(c.id)
    for note in parsed.notes:
        if note.path in by_note:
            cache.put_note_card_ids(
                note.path, _cards_fingerprint(ctx, note, parsed, r), by_note[note.path]
            )


def _common_root(paths: Sequence[Path], parent: bool = True) -> Path | None:
    """The deepest folder holding all ``paths`` (their parent folders when ``parent``)."""
    if not paths:
        return None
    dirs = [os.path.abspath(p) for p in paths]
    if parent:
        dirs = [os.path.dirname(d) for d in dirs]
    common = os.path.commonpath(dirs)
    return Path(common).resolve()  # image paths are checked against it after resolving links


def _sync(gated: Gated, parsed: Parsed, client: SyncClient, options: SyncOptions,
          notes_root: Path, state_path: Path, package_state: Path | None, tick: SyncTick | None,
          start: float) -> tuple[BuildReport, SyncReport]:
    from quizgen.sync.run import sync

    # Orphans of a build with errors may be notes that merely failed to parse: never act on them.
    options = replace(options, hold_orphans=options.hold_orphans or bool(parsed.errors))
    build = BuildReport(cards=len(gated.cards), notes=len(parsed.notes),
                        problems=parsed.problems, dropped=gated.dropped,
                        seconds=time.perf_counter() - start)  # the sync's own time is its own
    return build, sync(gated.cards, client, notes_root=notes_root, state_path=state_path,
                       package_state=package_state, options=options, tick=tick)


def sync_deck(
    spec: spec_mod.DeckSpec, client: SyncClient, options: SyncOptions,
    progress: Progress = _no_progress, tick: SyncTick | None = None, seed: int | None = None,
) -> tuple[BuildReport, SyncReport]:
    """``quizgen sync decks/x.yaml``: the deck's cards into a running Anki. Its sync state
    lives beside the .apkg's, in the spec's output folder.

    Raises:
        SpecError: a glob in the spec matches nothing.
        SyncError: Anki cannot be reached, refused, or stopped midway (see quizgen.sync).
    """
    with _bulk_work():
        start = time.perf_counter()
        out_dir = spec.output_dir()
        cache = BuildCache(out_dir / ".quizgen-cache")
        parsed = parse_notes(spec.note_files(), cache, progress)
        ctx = _context(spec.name, spec.seed if seed is None else seed, spec.kinds,
                       list(parsed.notes), spec.folder, spec.variants_per_concept,
                       spec.subdeck_per_note)
        gated = generate(list(parsed.notes), ctx, variant_source(cache))
        cache.save()
        apkg = Outputs.for_deck(out_dir, spec.stem).apkg
        from quizgen.export.anki_state import default_path

        return _sync(gated, parsed, client, options, spec.notes_root(),
                     out_dir / f"{spec.stem}.sync-state.json", default_path(apkg), tick, start)


def sync_paths(
    paths: Sequence[Path], client: SyncClient, options: SyncOptions, *, seed: int = 0,
    deck: str = "quizgen", kinds: Sequence[str] = spec_mod.DEFAULT_KINDS,
    progress: Progress = _no_progress, tick: SyncTick | None = None,
) -> tuple[BuildReport, SyncReport]:
    """``quizgen sync PATH...``: notes without a spec; the sync state is kept in
    ``.quizgen-cache/`` of the folder the paths share (one per deck name)."""
    with _bulk_work():
        start = time.perf_counter()
        files = list(collect(paths))
        parsed = parse_notes(files, BuildCache(None), progress)
        key_root = _common_root([p if p.is_dir() else p.parent for p in paths], parent=False)
        root = key_root or Path.cwd()
        ctx = _context(deck, seed, kinds, list(parsed.notes), root)
        gated = generate(list(parsed.notes), ctx, variant_source(BuildCache(None)))
        name = hashlib.sha1(deck.encode("utf-8")).hexdigest()[:12]
        state = root / ".quizgen-cache" / f"sync-{name}.json"
        return _sync(gated, parsed, client, options, _common_root(files) or Path.cwd(), state,
                     None, tick, start)
