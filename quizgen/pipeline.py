"""The one place the stages are wired: read → parse → generate → export.

Every function returns values (reports) and raises only for what the caller must stop on
(:class:`~quizgen.spec.SpecError`); note content problems are collected, never raised.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import random
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from quizgen import deck_state
from quizgen import spec as spec_mod
from quizgen.ahead import DrillMaker
from quizgen.cache import BuildCache, FileMark, code_fingerprint, index_note
from quizgen.generate import (
    DeckContext,
    FormulaChecks,
    Gated,
    VariantSource,
    choice,
    deck_context,
    from_one_note,
    generate,
    labels,
)
from quizgen.generate.identity import derive_seed
from quizgen.generate.variant import drill_requests
from quizgen.model import Card, Dropped, Note, Problem, Variant
from quizgen.patterns import compile_all
from quizgen.serialize import DecodeError, pack, unpack

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
    unreadable: tuple[Problem, ...] = ()  # files that could not (binary, not UTF-8, too big …)
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
    parsed: int = 0  # notes parsed in this build (the others came from the cache)
    generated: int = 0  # notes whose own cards were made in this build (the others were kept)
    rendered: int = 0  # Anki notes rendered in this build
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
    text = os.fspath(path)
    folder, name = os.path.split(text)
    if name in ("", ".", ".."):
        full = os.path.abspath(text)
        if full.startswith(here.rstrip(os.sep) + os.sep):
            return full[len(here.rstrip(os.sep)) + 1 :].replace(os.sep, "/")
        return path.as_posix()
    # The notes of a vault share a few folders: each folder is named once.
    shown = _shown_folder(folder, here)
    return path.as_posix() if shown is None else shown + name


@lru_cache(maxsize=1024)
def _shown_folder(folder: str, cwd: str) -> str | None:
    """How :func:`display_path` names a folder (with a final "/"; "" for the working folder),
    or None when it is outside the working folder."""
    full = os.path.normpath(os.path.join(cwd, folder)).rstrip(os.sep) + os.sep
    inside = cwd.rstrip(os.sep) + os.sep
    return full[len(inside) :].replace(os.sep, "/") if full.startswith(inside) else None


PARALLEL_FROM = 200  # below this many notes a process pool costs more than it saves


def _parse_one(job: tuple[str, str]) -> tuple[bytes, bytes]:
    """A note parsed, as the cache stores it (bytes cross the process boundary much faster
    than pickled dataclasses do): the whole note and its index."""
    from quizgen.parse import parse_text

    note = parse_text(job[1], job[0])
    return pack(note), pack(index_note(note))


def _parse_many(jobs: list[tuple[str, str]]) -> list[tuple[bytes, bytes]]:
    """Parse on every core for big batches (the extractors are pure Python, so threads don't
    help)."""
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) < PARALLEL_FROM or workers < 2:
        return [_parse_one(j) for j in jobs]
    import multiprocessing as mp  # (costs a rebuild of a few notes more than their parse)
    from concurrent.futures import ProcessPoolExecutor

    if "fork" not in mp.get_all_start_methods():
        return [_parse_one(j) for j in jobs]
    compile_all()  # once here, not once in every worker
    with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
        return list(pool.map(_parse_one, jobs, chunksize=max(1, len(jobs) // (workers * 4))))


@dataclass(frozen=True)
class Scanned:
    """The note files of a build: which text each holds now, and the notes parsed anew."""

    files: tuple[tuple[str, str, Path], ...]  # (display name, text hash, path), in order
    fresh: frozenset[str]  # display names of the notes parsed in this build (now cached)
    unreadable: tuple[Problem, ...] = ()


def scan(files: Iterable[Path], cache: BuildCache, progress: Progress = _no_progress) -> Scanned:
    """Find out what changed and parse only that; never raises on note content.

    A file whose size and mtime are those recorded is not even read; one that differs is read
    and hashed, and parsed only when its text is new to the cache.
    """
    found: list[tuple[str, str, Path]] = []
    jobs: list[tuple[str, str]] = []
    unreadable: list[Problem] = []
    cwd = os.getcwd()
    now = time.time_ns()
    for path in progress(list(files)):
        name = display_path(path, cwd)
        try:
            st: os.stat_result | None = os.stat(path)
        except OSError:
            st = None
        mark = cache.file(name)
        if (st is not None and mark is not None and mark.matches(st.st_size, st.st_mtime_ns)
                and cache.has_note(name, mark.sha1)):
            found.append((name, mark.sha1, path))
            continue
        text, problem = _read(path, name)
        if problem is not None:
            unreadable.append(problem)  # or a warning about text that was still read
        if text is None:
            continue
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()
        # A file read with a warning is not marked as seen: it is read (and warned of) again.
        if st is not None and problem is None:
            cache.put_file(name, FileMark(st.st_size, st.st_mtime_ns, now, digest))
        found.append((name, digest, path))
        if not cache.has_note(name, digest):
            jobs.append((name, text))
    digests = {n: d for n, d, _ in found}
    # Straight into the cache (read back as needed): a cold build of a big vault would
    # otherwise hold every note twice.
    for (name, _), (note, idx) in zip(jobs, _parse_many(jobs), strict=True):
        cache.put_packed_note(name, digests[name], note, idx)
    return Scanned(tuple(found), frozenset(n for n, _ in jobs), tuple(unreadable))


PLAIN_BYTES = 1 << 20  # a note this small and plain is read here (see ``_read``)


def _read(path: Path, name: str) -> tuple[str | None, Problem | None]:
    """A note's text as :func:`quizgen.parse.reader.read` gives it. A file that is plain
    UTF-8 (no byte-order mark, NUL or carriage return; not empty, not big) is the text of its
    bytes, read without importing the parser (a note touched but not changed is not parsed);
    any other is read by the parser's reader."""
    try:
        with open(path, "rb") as f:
            data = f.read(PLAIN_BYTES + 1)
    except OSError:
        data = b""
    marks = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")  # byte-order marks
    if (0 < len(data) <= PLAIN_BYTES and data.strip() and b"\0" not in data
            and b"\r" not in data and not data.startswith(marks)):
        with contextlib.suppress(UnicodeDecodeError):
            return data.decode("utf-8"), None
    from quizgen.parse.reader import read  # (with the parser)

    return read(path, name)


def load_notes(scanned: Scanned, cache: BuildCache, names: Iterable[str],
               index: bool = False) -> dict[str, Note]:
    """The notes ``names`` of a scan, whole (or their index, see
    :func:`quizgen.cache.index_note`): parsed in this build, else from the cache, else (a
    damaged entry) parsed again."""
    wanted = set(names)
    out: dict[str, Note] = {}
    rest = {n: d for n, d, _ in scanned.files if n in wanted}
    out.update(cache.notes(rest, index=index))
    for name, _, path in scanned.files:
        if name in wanted and name not in out:
            from quizgen.parse import parse_file

            note = parse_file(path, name)
            out[name] = index_note(note) if index else note
    return out


def parse_notes(
    files: Iterable[Path], cache: BuildCache | None = None, progress: Progress = _no_progress
) -> Parsed:
    """Parse files (unchanged ones come from the cache); never raises on note content."""
    cache = cache or BuildCache(None)
    scanned = scan(files, cache, progress)
    notes = load_notes(scanned, cache, (n for n, _, _ in scanned.files))
    return Parsed(tuple(notes[n] for n, _, _ in scanned.files), scanned.unreadable,
                  {n: d for n, d, _ in scanned.files})


def parse_paths(paths: Sequence[Path], progress: Progress = _no_progress) -> Parsed:
    """``quizgen parse``: files and folders (recursive), no cache."""
    from quizgen.walk import collect

    found: list[Problem] = []
    parsed = parse_notes(list(collect(paths, found)), None, progress)
    return replace(parsed, unreadable=(*found, *parsed.unreadable))


def variant_source(cache: BuildCache, short: dict[str, int] | None = None,
                   ahead: DrillMaker | None = None) -> VariantSource:
    """Variants from the cache, made (and cached) on a miss, by ``ahead`` when it was asked
    for them; sympy loads (here) only on a miss that ``ahead`` does not answer.

    A concept with fewer distinct questions than asked for gives what it has; ``short`` then
    records concept → the fewest made (for :func:`shortfall_warning`).
    """

    def get(concept: str, seed: int, count: int) -> list[Variant]:
        if count <= 0:
            return []
        hit = cache.variants(concept, seed, count)
        if hit is not None:
            return hit
        made = ahead.take((concept, seed, count)) if ahead is not None else None
        if made is None:
            from quizgen.concepts import make_variants

            made = make_variants(concept, seed, count)
        cache.put_variants(concept, seed, made)
        if len(made) < count and short is not None:
            short[concept] = min(len(made), short.get(concept, count))
        return made

    return get


def formula_checks(cache: BuildCache) -> FormulaChecks:
    """The gate's formula verdicts from the cache, computed (and cached) on a miss: a rebuild
    does not load sympy for formulas it has judged before."""

    seen: dict[tuple[str, str, str], str] = {}  # a formula is on several cards of a build

    def get(concept: str, term: str, latex: str) -> str:
        if (concept, term, latex) in seen:
            return seen[concept, term, latex]
        key = _check_key(concept, term, latex)
        hit = cache.check(key)
        if hit is None:
            from quizgen.generate.fidelity import contradicts

            hit = contradicts(concept, term, latex)
            cache.put_check(key, hit)
        seen[concept, term, latex] = hit
        return hit

    return get


def _check_key(concept: str, term: str, latex: str) -> str:
    return hashlib.sha1(f"{concept}|{term}|{latex}".encode()).hexdigest()


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
    deck: str, seed: int, kinds: Sequence[str], paths: Iterable[str], key_root: Path,
    variants_per_concept: int = 3, subdeck_per_note: bool = False,
) -> DeckContext:
    keys: dict[str, str] = {}
    root = os.path.abspath(key_root)
    inside = root.rstrip(os.sep) + os.sep
    cwd = os.getcwd()
    folders: dict[str, str | None] = {}  # folder → its identity path + "/" (None: outside)
    for path in paths:
        # abspath, not resolve(): string work only (thousands of notes), and a path through a
        # symlinked folder keeps the identity it was first built with.
        folder, name = os.path.split(path)
        if name not in ("", ".", ".."):  # the usual case: each folder is worked out once
            if folder not in folders:
                there = os.path.normpath(os.path.join(cwd, folder)).rstrip(os.sep) + os.sep
                folders[folder] = (there[len(inside) :].replace(os.sep, "/")
                                   if there.startswith(inside) else None)
            shown = folders[folder]
            if shown is not None:
                keys[path] = shown + name
                continue
        full = os.path.normpath(os.path.join(cwd, path))
        if full.startswith(inside):  # the usual case, without relpath's cost
            keys[path] = full[len(inside) :].replace(os.sep, "/")
            continue
        try:
            keys[path] = os.path.relpath(full, root).replace(os.sep, "/")
        except ValueError:
            keys[path] = Path(path).as_posix()
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


def write_failure(exc: OSError, path: Path | None = None) -> Problem:
    """The error that an output (``exc.filename``, else ``path``) could not be written."""
    name = exc.filename or path or ""
    return Problem(str(name), 0, f"cannot write {name}: {exc.strerror or exc}")


@contextmanager
def _writing(failed: list[Problem], path: Path) -> Iterator[None]:
    """An output that cannot be written is reported, and the other formats are still written."""
    try:
        yield
    except OSError as exc:
        failed.append(write_failure(exc, path))


def write_outputs(
    formats: Sequence[str], where: Outputs, cards: Iterable[Card], notes: Sequence[Note],
    versions: Sequence[Sequence[Card]], extras: Extras, *, notes_root: Path, seed: int,
    keep: frozenset[str] = frozenset(), group: Callable[[Card], str] | None = None,
) -> tuple[list[Path], list[Problem], tuple[str, ...], int, int, int, list[Problem]]:
    """Write the requested formats; returns (paths, problems, orphans, formula fallbacks,
    cards in the package or written, Anki notes rendered, outputs that could not be
    written)."""
    outputs: list[Path] = []
    problems: list[Problem] = []
    failed: list[Problem] = []
    orphans: tuple[str, ...] = ()
    fallbacks = 0
    count = len(cards) if isinstance(cards, list) else 0
    rendered = 0
    if "json" in formats:
        from quizgen.export.json_cards import write_json

        every = list(cards)
        count = len(every)
        with _writing(failed, where.json):
            write_json(every, where.json, seed=seed)
            outputs.append(where.json)
    if "apkg" in formats:
        from quizgen.export.anki import by_note_file, write_apkg

        with _writing(failed, where.apkg):
            rep = write_apkg(cards, where.apkg, notes_root=notes_root, keep=keep,
                             group=group or by_note_file, now=_build_time())
            outputs.append(where.apkg)
            problems.extend(rep.problems)
            orphans = rep.orphans
            count = rep.notes
            rendered = rep.rendered
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
    return outputs, problems, orphans, fallbacks, count, rendered, failed


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


@dataclass(frozen=True)
class Job:
    """One build. A deck spec and an ad-hoc export (a deck spec made from the command line)
    both become one, and go through :func:`build`: the same stages, the same cache."""

    deck: str
    files: tuple[Path, ...]
    key_root: Path  # card identities are note paths relative to it
    notes_root: Path  # images must resolve inside it
    seed: int
    kinds: tuple[str, ...]
    formats: tuple[str, ...]
    where: Outputs
    cache: Path  # the build cache file (beside the outputs)
    variants_per_concept: int = 3
    subdeck_per_note: bool = False
    quiz: tuple[int, Mapping[str, int]] | None = None  # versions, questions per kind
    extras: Extras = Extras()
    warnings: tuple[Problem, ...] = ()
    spec: Path | None = None  # the deck spec file (where a shortfall of variants is reported)


def cache_file(folder: Path, name: str) -> Path:
    """Where the build cache of the output ``name`` in ``folder`` lives."""
    return folder / ".quizgen-cache" / f"{name}.sqlite"


def export_deck(
    spec: spec_mod.DeckSpec, progress: Progress = _no_progress, seed: int | None = None,
    formats: Sequence[str] | None = None,
) -> BuildReport:
    """``quizgen export decks/x.yaml``: everything the deck spec asks for.

    Raises:
        SpecError: a glob in the spec matches nothing.
        OSError: an output cannot be written.
    """
    out_dir = spec.output_dir()
    chosen = tuple(formats or spec.formats)
    if spec.sheet is None:
        chosen = tuple(f for f in chosen if f != "sheet")
    check_font(spec.font, chosen, f"{spec.path}: font")
    found: list[Problem] = []
    if not spec.notes:
        found.append(Problem(str(spec.path), 0, "notes: the list is empty, so no note is "
                             "exported", "warning"))
    files = tuple(spec.note_files(found))
    job = Job(
        deck=spec.name, files=files, key_root=spec.folder,
        notes_root=spec.notes_root(), seed=spec.seed if seed is None else seed,
        kinds=tuple(spec.kinds), formats=chosen, where=Outputs.for_deck(out_dir, spec.stem),
        cache=cache_file(out_dir, spec.stem), variants_per_concept=spec.variants_per_concept,
        subdeck_per_note=spec.subdeck_per_note,
        quiz=(spec.quiz.versions, dict(spec.quiz.questions)) if spec.quiz else None,
        extras=Extras(
            quiz_title=spec.quiz.title if spec.quiz else Extras.quiz_title,
            sheet_title=spec.sheet.title if spec.sheet else Extras.sheet_title, font=spec.font,
        ),
        warnings=tuple(found), spec=spec.path,
    )
    return build(job, progress)


DEFAULT_QUIZ = {"choice": 10, "variant": 5, "recall": 5}


def export_paths(
    paths: Sequence[Path], fmt: str, out: Path, *, seed: int = 0, deck: str = "quizgen",
    kinds: Sequence[str] = spec_mod.DEFAULT_KINDS, variants_per_concept: int = 3,
    versions: int = 2, title: str | None = None, font: str | None = None,
    progress: Progress = _no_progress,
) -> BuildReport:
    """``quizgen export PATH... --format F -o OUT``: the deck spec the command line describes.

    Raises:
        OSError: the output cannot be written.
    """
    from quizgen.atomic import check_target
    from quizgen.walk import collect  # (quizgen.parse loads only when a note is parsed)

    check_font(font, (fmt,), "--font")
    check_target(out)  # before any work (and before the build cache beside it is made)
    found: list[Problem] = []
    files = tuple(collect(paths, found))
    if not files:
        named = ", ".join(p.as_posix() for p in paths)
        found.append(Problem(named, 0, "no Markdown notes (*.md) found here", "warning"))
    warnings = tuple(found)
    # Identities are relative to what was named on the command line, so the same notes give
    # the same card ids whichever folder the command runs from.
    key_root = _common_root([p if p.is_dir() else p.parent for p in paths], parent=False)
    job = Job(
        deck=deck, files=files, key_root=key_root or Path.cwd(),
        notes_root=_common_root(list(files)) or Path.cwd(), seed=seed, kinds=tuple(kinds),
        formats=(fmt,), where=Outputs.single(out), cache=cache_file(out.parent, out.name),
        variants_per_concept=variants_per_concept,
        quiz=(versions, DEFAULT_QUIZ) if fmt == "quiz" else None,
        extras=Extras(quiz_title=title or Extras.quiz_title,
                      sheet_title=title or Extras.sheet_title, font=font),
        warnings=warnings,
    )
    return build(job, progress)


def build(job: Job, progress: Progress = _no_progress) -> BuildReport:
    """Run one build: scan and parse what changed, make the cards, write every format.

    A package (.apkg) rebuilt alone reuses the cards of every note whose text, deck settings
    and choice distractors are unchanged (their notes are not even decoded: deck-level work
    reads their index); the other formats need every card and note.

    Raises:
        OSError: an output cannot be written.
    """
    with _bulk_work():
        cache = BuildCache(job.cache)
        ahead = DrillMaker.start() if _drills_ahead(job, cache) else None
        try:
            return _build(job, cache, progress, ahead)
        finally:
            if ahead is not None:
                ahead.close()
            cache.close()


def _drills_ahead(job: Job, cache: BuildCache) -> bool:
    """Whether a package build makes its drills in a second process (:mod:`quizgen.ahead`):
    when the package is streamed, the deck has drills, nothing is cached yet (a first build:
    a deck whose notes show no concept never caches a drill) and there is a second core."""
    streamed = "apkg" in job.formats and not any(
        f in job.formats for f in ("json", "quiz", "sheet"))
    return (streamed and job.variants_per_concept > 0
            and bool({"variant", "choice"}.intersection(job.kinds))
            and (os.cpu_count() or 1) > 1 and cache.empty())


@dataclass
class _Plan:
    """What a build makes: the deck's context, the notes it reads (in order; ``index`` holds
    their index notes), each note's cards fingerprint, the notes whose cards are kept, every
    note's problems, and what to record once the package is written."""

    ctx: DeckContext
    reads: list[str]
    index: Mapping[str, Note]
    fingerprints: dict[str, str]
    skip: set[str]
    problems: tuple[Problem, ...]
    deck_key: str = ""
    view: deck_state.View | None = None
    record: Callable[[], None] | None = None


_NO_POOL = choice.Pool({}, {})  # a deck without definition-choice cards reads no distractors


def _choice_terms(kinds: Sequence[str]) -> bool:
    """Whether a deck of ``kinds`` has definition-choice cards (see ``choice.cards``)."""
    return "choice" in kinds and "reverse" not in kinds


def _state_key(job: Job) -> str:
    """What the stored deck-level state and the fingerprints it keeps were made for."""
    code = code_fingerprint("generate", "parse", "concepts", "model.py", "richtext.py",
                            "latex.py", "pipeline.py", "deck_state.py", "cache.py")
    body = pack([code, job.deck, job.seed, list(job.kinds), job.variants_per_concept,
                 job.subdeck_per_note, os.path.abspath(job.key_root), os.getcwd()])
    return hashlib.sha1(body).hexdigest()


def _by_parts(job: Job, cache: BuildCache, scanned: Scanned, base: DeckContext,
              held: frozenset[str]) -> _Plan | None:
    """A package rebuilt from the stored deck-level state, brought up to date by what changed
    (see :mod:`quizgen.deck_state`): only the notes whose cards may read something that changed
    are decoded and fingerprinted again; the others keep the fingerprint recorded. None when
    there is no state to start from."""
    names = [n for n, _, _ in scanned.files]
    digests = {n: d for n, d, _ in scanned.files}
    rows = cache.deck_rows()

    def index_of(which: Iterable[str]) -> Mapping[str, Note]:
        return load_notes(scanned, cache, which, index=True)

    view = deck_state.update(rows, _state_key(job), names, digests, index_of, base.key_paths)
    if view is None:
        return None
    stored = {n: cache.cards_fingerprint(n) for n in names}
    needed = set(view.candidates)
    needed.update(n for n in names if stored[n] is None or base.key_paths.get(n, n) not in held)
    index = index_of(needed | view.sites)
    if not view.require(index[n] for n in needed):
        return None
    ctx = replace(base, terms=view.terms, shared_labels=view.shared_labels,
                  repeated=view.repeated)
    fingerprints: dict[str, str] = {}
    skip: set[str] = set()
    for n in names:
        if n in needed:
            fingerprints[n] = _cards_fingerprint(ctx, index[n], digests[n], _NO_POOL)
        else:
            fingerprints[n] = stored[n] or ""
        if stored[n] == fingerprints[n] and base.key_paths.get(n, n) in held:
            skip.add(n)
    problems = tuple(p for n in names for p in view.problems.get(n, ()))
    reads = [n for n in names if n in needed or n in view.sites]
    return _Plan(ctx, reads, index, fingerprints, skip, problems, view=view)


def _whole(job: Job, cache: BuildCache, scanned: Scanned, base: DeckContext,
           held: frozenset[str], reuse: bool, whole_deck: bool) -> _Plan:
    """The deck-level work from every note's index (and, for a package, the state recorded
    for the next build to start from)."""
    names = [n for n, _, _ in scanned.files]
    digests = {n: d for n, d, _ in scanned.files}
    index = load_notes(scanned, cache, names, index=True)
    problems = tuple(p for n in names for p in index[n].problems)
    stored = {n: cache.cards_fingerprint(n) for n in names}
    fingerprints: dict[str, str] = {}
    skip: set[str] = set()
    if (reuse and not whole_deck and cache.meta("inputs") == _deck_inputs(job, names, digests)
            and all(stored[n] is not None and base.key_path(index[n]) in held for n in names)):
        # Every note's text and every setting as in the last build, which made (or kept)
        # the cards of every note the package holds: all of them are kept, so the deck's
        # terms and distractors, which only notes' own cards read, are not worked out. The
        # deck's drills, made again, read none of them.
        from quizgen.generate.terms import TermIndex

        ctx = replace(base, terms=TermIndex({}), shared_labels=frozenset())
        plan = _Plan(ctx, names, index, {n: f for n, f in stored.items() if f is not None},
                     set(names), problems, cache.meta("deck") or "")
    else:
        ctx = deck_context([index[n] for n in names], base)
        # What every choice card draws on (a deck without definition-choice cards reads none)
        ring = (choice.ring([index[n] for n in names], ctx) if _choice_terms(ctx.kinds)
                else _NO_POOL)
        # A note's cards depend on its text and on the deck (settings, distractor pool,
        # merged terms): with the same deck as last time, a note whose text is unchanged
        # keeps its recorded fingerprint.
        deck_key = _deck_key(ctx, ring, job.key_root)
        same_deck = cache.meta("deck") == deck_key
        for n in names:
            was = stored[n]
            if was is not None and same_deck:
                fingerprints[n] = was
            else:
                fingerprints[n] = _cards_fingerprint(ctx, index[n], digests[n], ring)
            if ctx.key_path(index[n]) in held and was == fingerprints[n]:
                skip.add(n)
        plan = _Plan(ctx, names, index, fingerprints, skip, problems, deck_key)
        if reuse and not whole_deck and not _choice_terms(ctx.kinds):
            terms = ctx.terms
            assert terms is not None

            def record() -> None:
                deck_state.record(cache.deck_rows(), _state_key(job), names, digests, index,
                                  terms)

            plan.record = record
    return plan


def _build(job: Job, cache: BuildCache, progress: Progress,
           ahead: DrillMaker | None = None) -> BuildReport:
    start = time.perf_counter()
    scanned = scan(job.files, cache, progress)
    names = [n for n, _, _ in scanned.files]
    whole_deck = any(f in job.formats for f in ("json", "quiz", "sheet"))
    reuse = "apkg" in job.formats and "json" not in job.formats
    base = replace(_context(job.deck, job.seed, job.kinds, names, job.key_root,
                            job.variants_per_concept, job.subdeck_per_note),
                   checks=formula_checks(cache))
    held: frozenset[str] = frozenset()
    if reuse:
        from quizgen.export.anki import reusable

        held = reusable(job.where.apkg)
    plan = None
    if reuse and not whole_deck and not _choice_terms(job.kinds):
        plan = _by_parts(job, cache, scanned, base, held)
    if plan is None:
        plan = _whole(job, cache, scanned, base, held, reuse, whole_deck)
    ctx, index, reads, skip = plan.ctx, plan.index, plan.reads, plan.skip
    if ahead is not None:
        ahead.ask(r for r in drill_requests([index[n] for n in reads], base)
                  if cache.variants(*r) is None)
    short: dict[str, int] = {}
    variants = variant_source(cache, short, ahead)
    todo = [n for n in names if n not in skip]
    cards: Iterable[Card]
    dropped: Sequence[Dropped]
    if whole_deck:
        whole = load_notes(scanned, cache, names)
        notes = [whole[n] for n in names]
        gated = generate(notes, ctx, variants, skip_notes=skip)
        cards, dropped = list(gated.cards), gated.dropped
    else:  # the package alone: cards are made batch by batch as it is written
        # (the notes read: those whose cards are made, and those the deck's drills are on)
        notes = [index[n] for n in reads]
        stream = _CardStream(scanned, cache, index, reads, todo, ctx, variants)
        cards, dropped = stream, stream.dropped
    versions: list[list[Card]] = []
    if "quiz" in job.formats and job.quiz is not None:
        versions = quiz_versions(notes, ctx, variants, job.quiz[0], dict(job.quiz[1]))
    keep = frozenset(ctx.key_paths.get(n, n) for n in skip)
    outputs, problems, orphans, fallbacks, count, rendered, failed = write_outputs(
        job.formats, job.where, cards, notes, versions, job.extras, notes_root=job.notes_root,
        seed=job.seed, keep=keep, group=_group,
    )
    if reuse:
        for n in names:
            if n not in skip:
                cache.put_cards_fingerprint(n, plan.fingerprints[n])
        if plan.view is not None:
            plan.view.commit()
        else:
            cache.put_meta("deck", plan.deck_key)
        if plan.record is not None:
            plan.record()
        cache.put_meta("inputs", _deck_inputs(job, names, {n: d for n, d, _ in scanned.files}))
    cache.prune(set(names))
    cache.save()
    return BuildReport(
        outputs=tuple(outputs), cards=count, notes=len(names),
        problems=job.warnings + scanned.unreadable + plan.problems + tuple(problems)
        + tuple(failed)
        + (shortfall_warning(short, job.variants_per_concept, job.spec) if job.spec else ()),
        orphans=orphans, fallbacks=fallbacks, seconds=time.perf_counter() - start,
        parsed=len(scanned.fresh), generated=len(todo), rendered=rendered,
        dropped=tuple(dropped), unwritten=tuple(failed),
    )


BATCH = 500  # notes whose cards are made (and held) at once when a package is streamed


@dataclass
class _CardStream:
    """The cards of a build made a batch of notes at a time, so that a big vault never holds
    all its cards (or all its notes, decoded) at once. Iterable again from the start (the
    package writer needs that when its cache breaks half-way); ``dropped`` holds what the
    quality gate kept out of the last pass.

    The gate's one-answer-per-prompt rule sees the cards of one batch at a time (as it sees
    only the notes made again on any rebuild)."""

    scanned: Scanned
    cache: BuildCache
    index: Mapping[str, Note]
    names: Sequence[str]
    todo: Sequence[str]  # notes whose own cards are made (the others' are kept)
    ctx: DeckContext
    variants: VariantSource
    dropped: list[Dropped] = field(default_factory=list)

    def __iter__(self) -> Iterator[Card]:
        self.dropped.clear()
        everyone = set(self.names)
        if len(self.todo) <= BATCH:  # one batch: the cards in generate's own order
            whole = load_notes(self.scanned, self.cache, self.todo)
            notes = [whole.get(n) or self.index[n] for n in self.names]
            gated = generate(notes, self.ctx, self.variants,
                             skip_notes=everyone - set(self.todo))
            self.dropped.extend(gated.dropped)
            yield from gated.cards
            return
        # A batch's variant drills are the deck pass's again, and share no prompt with a
        # note's own cards (the gate compares cards of one kind): not made per batch.
        own = replace(self.ctx, kinds=tuple(k for k in self.ctx.kinds if k != "variant"))
        parts = [self.todo[i : i + BATCH] for i in range(0, len(self.todo), BATCH)]
        for cards, dropped in _batches(self, own, parts):
            self.dropped.extend(dropped)
            yield from cards
        # The deck's own cards (concept drills) once, from the index of every note.
        deck = generate([self.index[n] for n in self.names], self.ctx, self.variants,
                        skip_notes=everyone)
        self.dropped.extend(d for d in deck.dropped if not _own_key(d.key))
        yield from (c for c in deck.cards if not from_one_note(c))


Batch = tuple[list[Card], list[Dropped]]  # a batch's own cards, and what the gate kept out
Verdicts = dict[tuple[str, str, str], str]  # the formula checks a worker made (see fidelity)


def _batch(stream: _CardStream, own: DeckContext, part: Sequence[str], whole: Mapping[str, Note],
           variants: VariantSource) -> Batch:
    """The own cards of the notes ``part`` (``whole`` holds them decoded), made as one pass."""
    notes = [whole.get(n) or stream.index[n] for n in stream.names]
    gated = generate(notes, own, variants, skip_notes=set(stream.names) - set(part))
    return ([c for c in gated.cards if from_one_note(c)],
            [d for d in gated.dropped if _own_key(d.key)])


# What a forked batch worker inherits (set just before the pool forks): the stream, the
# batches' deck context, and the drills their choice cards ask for, already answered.
_FORKED: tuple[_CardStream, DeckContext, dict[tuple[str, int, int], list[Variant]]] | None = None


def _batch_job(part: list[str], blobs: dict[str, bytes]) -> tuple[Batch, Verdicts]:
    """One batch in a worker. Its notes come as the cache's bytes (decoded here, as
    :func:`load_notes` does; one missing or damaged is parsed again); it never touches the
    cache's connection or the drill helper's pipe, which belong to the parent."""
    assert _FORKED is not None
    stream, own, answered = _FORKED
    whole: dict[str, Note] = {}
    for name, blob in blobs.items():
        with contextlib.suppress(DecodeError):
            whole[name] = unpack(Note, blob)
    for name, _, path in stream.scanned.files:
        if name in part and name not in whole:
            from quizgen.parse import parse_file

            whole[name] = parse_file(path, name)

    def variants(concept: str, seed: int, count: int) -> list[Variant]:
        if count <= 0:
            return []
        made = answered.get((concept, seed, count))
        if made is None:  # not asked for ahead: made as the parent would make it
            from quizgen.concepts import make_variants

            made = make_variants(concept, seed, count)
        return made

    verdicts: Verdicts = {}

    def checks(concept: str, term: str, latex: str) -> str:
        # Made here and handed back: the parent records them in the cache.
        key = (concept, term, latex)
        if key not in verdicts:
            from quizgen.generate.fidelity import contradicts

            verdicts[key] = contradicts(concept, term, latex)
        return verdicts[key]

    return _batch(stream, replace(own, checks=checks), part, whole, variants), verdicts


def _batches(stream: _CardStream, own: DeckContext, parts: list[Sequence[str]]) -> Iterator[Batch]:
    """Each batch's own cards, in order: made on every core when there are several batches
    (each batch is one independent pass, so the cards are those of the batches made one after
    the other), while this process writes the batches already made."""
    workers = min(os.cpu_count() or 1, 8, len(parts))
    import multiprocessing as mp

    if workers < 2 or "fork" not in mp.get_all_start_methods():
        for part in parts:
            yield _batch(stream, own, part, load_notes(stream.scanned, stream.cache, part),
                         stream.variants)
        return
    from concurrent.futures import Future, ProcessPoolExecutor

    global _FORKED
    index = [stream.index[n] for n in stream.names]
    # Answered here, in the order the batches would ask (cache, helper, or made here, and
    # cached as usual): a worker's own answers would be lost with it.
    answered = {r: stream.variants(*r) for r in drill_requests(index, own)}
    _FORKED = (stream, own, answered)
    compile_all()  # once here, not once in every worker
    digests = {n: d for n, d, _ in stream.scanned.files}
    try:
        with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
            pending: list[Future[tuple[Batch, Verdicts]]] = []

            def done() -> Batch:
                batch, verdicts = pending.pop(0).result()
                for (concept, term, latex), why in verdicts.items():
                    stream.cache.put_check(_check_key(concept, term, latex), why)
                return batch

            for part in parts:
                # At most one batch waits beyond those being made: memory stays bounded.
                if len(pending) > workers:
                    yield done()
                blobs = stream.cache.packed_notes({n: digests[n] for n in part})
                pending.append(pool.submit(_batch_job, list(part), blobs))
            while pending:
                yield done()
    finally:
        _FORKED = None


def _own_key(key: str) -> bool:
    """Whether a card key names a card made from one note (not a concept drill)."""
    kind = key.split("|")[1] if key.count("|") >= 2 else ""
    return kind != "variant" and not (kind == "choice" and "|def:" not in key)


def check_cards(parsed: Parsed, paths: Sequence[Path], seed: int = 0) -> Gated:
    """``quizgen check --cards``: every card the notes give (all kinds), through the gate."""
    notes = list(parsed.notes)
    key_root = _common_root([p if p.is_dir() else p.parent for p in paths], parent=False)
    ctx = deck_context(notes, _context("quizgen", seed, spec_mod.DEFAULT_KINDS,
                                       [n.path for n in notes], key_root or Path.cwd()))
    return generate(notes, ctx, variant_source(BuildCache(None)))


def _group(card: Card) -> str:
    """A note's own cards are reused as a group (its key path); concept drills belong to the
    deck (group ""), which is generated on every build."""
    return card.key.split("|", 1)[0] if from_one_note(card) else ""


def _deck_key(ctx: DeckContext, pool: choice.Pool, key_root: Path) -> str:
    """Everything of the deck a note's cards may take from outside the note: settings, the
    distractor pool, the merged terms (sets sorted: their order changes between runs)."""
    # Each entry once (every name of a term maps to the same entry, which lists every place
    # the deck defines it): names → entry numbers, then the entries.
    entries: dict[int, int] = {}
    names: list[tuple[str, int]] = []
    for name, e in sorted(ctx.terms.by_name.items() if ctx.terms else (), key=lambda t: t[0]):
        names.append((name, entries.setdefault(id(e), len(entries))))
    shown = {id(e): e for e in (ctx.terms.by_name.values() if ctx.terms else ())}
    terms = [(e.owner, e.chosen, e.also, sorted(e.names), e.spellings)
             for e in (shown[i] for i in entries)]
    body = pack([ctx.deck, ctx.namespace, list(ctx.kinds), ctx.subdeck_per_note, ctx.seed,
                 os.path.abspath(key_root),
                 [(t.term, sorted(t.names), t.text, t.note, t.heading, t.category)
                  for t in pool.terms], names, terms, sorted(ctx.shared_labels),
                 sorted(ctx.repeated.items())])
    return hashlib.sha1(body).hexdigest()


def _deck_inputs(job: Job, names: Sequence[str], digests: Mapping[str, str]) -> str:
    """Everything the deck-level work of a package build reads: the settings, the working
    folder (notes are named relative to it), the code, and every note by its text hash, in
    order. Two builds with the same inputs have the same deck (see :func:`_deck_key`)."""
    code = code_fingerprint("generate", "parse", "concepts", "model.py", "richtext.py",
                            "latex.py", "pipeline.py")
    body = pack([code, job.deck, job.seed, list(job.kinds), job.variants_per_concept,
                 job.subdeck_per_note, os.path.abspath(job.key_root), os.getcwd(),
                 [(n, digests[n]) for n in names]])
    return hashlib.sha1(body).hexdigest()


def _cards_fingerprint(ctx: DeckContext, note: Note, digest: str, r: choice.Pool) -> str:
    """What a note's own cards depend on: its text, the deck's card settings and seed, and
    what its cards take from the rest of the deck (distractor terms, merged definitions)."""
    parts = (digest, ctx.deck, ctx.namespace, ",".join(ctx.kinds), ctx.subdeck_per_note,
             ctx.key_path(note), ctx.seed, choice.signature(note, r, ctx),
             ctx.terms.signature(note) if ctx.terms else "",
             labels.signature(note, ctx.shared_labels, ctx.repeated))
    return hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()[:16]


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
        cache = BuildCache(cache_file(out_dir, spec.stem))  # the export's own: same notes
        try:
            parsed = parse_notes(spec.note_files(), cache, progress)
            ctx = replace(_context(spec.name, spec.seed if seed is None else seed, spec.kinds,
                                   [n.path for n in parsed.notes], spec.folder,
                                   spec.variants_per_concept, spec.subdeck_per_note),
                          checks=formula_checks(cache))
            gated = generate(list(parsed.notes), ctx, variant_source(cache))
            cache.save()
        finally:
            cache.close()
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
    from quizgen.walk import collect

    with _bulk_work():
        start = time.perf_counter()
        files = list(collect(paths))
        parsed = parse_notes(files, BuildCache(None), progress)
        key_root = _common_root([p if p.is_dir() else p.parent for p in paths], parent=False)
        root = key_root or Path.cwd()
        ctx = _context(deck, seed, kinds, [n.path for n in parsed.notes], root)
        gated = generate(list(parsed.notes), ctx, variant_source(BuildCache(None)))
        name = hashlib.sha1(deck.encode("utf-8")).hexdigest()[:12]
        state = root / ".quizgen-cache" / f"sync-{name}.json"
        return _sync(gated, parsed, client, options, _common_root(files) or Path.cwd(), state,
                     None, tick, start)
