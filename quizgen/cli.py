"""The ``quizgen`` command: thin wrappers that parse options, call the pipeline and report.

Exit codes: 0 success; 1 some note or card had an error (everything else was still written);
2 bad usage or an unusable deck spec (nothing written); 3 an output could not be written (the
previous file, if any, is left as it was).
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from quizgen import pipeline
from quizgen.generate import Gated
from quizgen.generate.gate import REASONS
from quizgen.model import Formula, Note, Problem
from quizgen.spec import ALL_KINDS, SpecError, deck_name_problem, load

if TYPE_CHECKING:
    from quizgen.sync.run import SyncReport

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_WRITE = 0, 1, 2, 3


def _progress(label: str) -> pipeline.Progress:
    """A progress bar on a terminal; silent when stderr is a pipe or a file (CI, scripts)."""

    def wrap(items: Iterable[Path]) -> Iterable[Path]:
        seq = list(items)
        if not sys.stderr.isatty() or len(seq) < 50:
            yield from seq
            return
        with click.progressbar(seq, label=label, file=sys.stderr) as bar:
            yield from bar

    return wrap


def _report_problems(problems: Sequence[Problem], limit: int = 50) -> None:
    for p in problems[:limit]:
        click.echo(str(p), err=True)
    if len(problems) > limit:
        click.echo(f"… and {len(problems) - limit} more", err=True)


def _summary(parts: Sequence[str], errors: int, warnings: int, seconds: float) -> None:
    tail = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    click.echo(f"quizgen: {', '.join(parts)}; {tail}; {seconds:.2f} s", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="quizgen")
def main() -> None:
    """Turn Markdown study notes into Anki decks, printable quizzes and study sheets."""


def formula_name(f: Formula) -> str:
    """What cards call a formula, as plain text: ``I(X;Y)（互信息）``, ``互信息`` or ``I(X;Y)``."""
    if f.name and f.lhs:
        return f"{f.lhs}（{f.name}）"
    return f.name or f.lhs


def note_json(note: Note) -> dict[str, Any]:
    """One note in the ``quizgen parse --json`` schema."""
    return {
        "path": note.path,
        "title": note.title,
        "tags": list(note.tags),
        "definitions": [
            {"term": d.term, "aliases": list(d.aliases), "text": d.text, "line": d.source.line,
             "formula": d.formula}
            for d in note.definitions
        ],
        "formulas": [
            {
                "latex": f.latex,
                "display": f.display,
                "line": f.source.line,
                "concept": f.concept,
                "symbols": [{"symbol": s.symbol, "meaning": s.meaning} for s in f.symbols],
                "key": f.key,
                "name": formula_name(f),
            }
            for f in note.formulas
        ],
    }


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (stable schema).")
def parse(paths: tuple[Path, ...], as_json: bool) -> None:
    """Parse notes (files, or folders searched recursively for *.md) and show what was found.

    Exit code 1 when any file had an error; everything that did parse is still printed.
    """
    start = time.perf_counter()
    parsed = pipeline.parse_paths(paths, _progress("parsing"))
    errors = parsed.errors
    if as_json:
        body = {
            "notes": [note_json(n) for n in parsed.notes],
            "errors": [{"path": p.path, "line": p.line, "message": p.message} for p in errors],
        }
        click.echo(json.dumps(body, ensure_ascii=False, indent=1))
    else:
        click.echo(f"{'note':48} {'defs':>5} {'display':>8} {'inline':>7} {'legends':>8}")
        for n in parsed.notes:
            disp = sum(f.display for f in n.formulas)
            legends = sum(bool(f.symbols) for f in n.formulas)
            name = n.path if len(n.path) <= 48 else "…" + n.path[-47:]
            click.echo(
                f"{name:48} {len(n.definitions):>5} {disp:>8} {len(n.formulas) - disp:>7} "
                f"{legends:>8}"
            )
    _report_problems(parsed.problems)  # with --json too: warnings have no place in its schema
    defs = sum(len(n.definitions) for n in parsed.notes)
    forms = sum(len(n.formulas) for n in parsed.notes)
    _summary(
        [f"{len(parsed.notes)} notes", f"{defs} definitions", f"{forms} formulas"],
        len(errors), len(parsed.problems) - len(errors), time.perf_counter() - start,
    )
    sys.exit(EXIT_ERRORS if errors else EXIT_OK)


def card_quality(gated: Gated) -> dict[str, Any]:
    """Per kind: cards made and dropped (by reason); the notes with the most drops."""
    made = Counter(c.kind for c in gated.cards)
    kinds: dict[str, dict[str, Any]] = {}
    for kind in sorted(set(made) | {d.kind for d in gated.dropped}):
        reasons = Counter(d.reason for d in gated.dropped if d.kind == kind)
        kinds[kind] = {"made": made[kind], "dropped": sum(reasons.values()),
                       "reasons": dict(reasons.most_common())}
    worst = Counter(d.source.path for d in gated.dropped).most_common(10)
    return {
        "kinds": kinds,
        "notes": [{"path": path, "dropped": n} for path, n in worst],
        "dropped": [{"path": d.source.path, "line": d.source.line, "kind": d.kind,
                     "reason": d.reason, "detail": d.detail} for d in gated.dropped],
    }


def _print_card_quality(report: dict[str, Any]) -> None:
    click.echo(f"{'kind':12} {'made':>6} {'dropped':>8}  why")
    for kind, row in report["kinds"].items():
        why = ", ".join(f"{n} {REASONS.get(r, r)}" for r, n in row["reasons"].items())
        click.echo(f"{kind:12} {row['made']:>6} {row['dropped']:>8}  {why}")
    if report["notes"]:
        click.echo("notes with the most dropped cards:")
        for row in report["notes"]:
            click.echo(f"  {row['dropped']:>4}  {row['path']}")
    for d in report["dropped"][:200]:
        click.echo(f"{d['path']}:{d['line']}: dropped {d['kind']} card ({d['reason']}): "
                   f"{d['detail']}")


def _cannot_write(exc: OSError) -> NoReturn:
    click.echo(f"error: {pipeline.write_failure(exc).message}", err=True)
    sys.exit(EXIT_WRITE)


def _export_failed(exc: OSError, as_json: bool) -> NoReturn:
    """An export stopped by a write error: the report (with --json, as JSON) and exit 3."""
    failed = pipeline.write_failure(exc)
    _finish(pipeline.BuildReport(problems=(failed,), unwritten=(failed,)), as_json)


def _dropped(report: pipeline.BuildReport) -> list[str]:
    """The summary's note of the cards the quality gate kept out, by reason."""
    if not report.dropped:
        return []
    by_reason = Counter(d.reason for d in report.dropped)
    # A rebuild gates only the notes it makes again; `quizgen check --cards` counts the deck.
    among = (f" among the {report.generated} notes made again"
             if 0 < report.generated < report.notes else "")
    return [f"{len(report.dropped)} dropped by the card gate{among} ("
            + ", ".join(f"{n} {r}" for r, n in by_reason.most_common()) + ")"]


def _finish(report: pipeline.BuildReport, as_json: bool) -> NoReturn:
    if as_json:
        click.echo(json.dumps({
            "outputs": [str(p) for p in report.outputs],
            "cards": report.cards,
            "notes": report.notes,
            "orphans": list(report.orphans),
            "formula_fallbacks": report.fallbacks,
            "dropped": [{"key": d.key, "kind": d.kind, "reason": d.reason, "detail": d.detail,
                         "path": d.source.path, "line": d.source.line} for d in report.dropped],
            "errors": [{"path": p.path, "line": p.line, "message": p.message}
                       for p in report.errors],
            "warnings": [{"path": p.path, "line": p.line, "message": p.message}
                         for p in report.warnings],
            "seconds": round(report.seconds, 3),
        }, ensure_ascii=False, indent=1))
    for p in report.unwritten:  # with --json too: the exit code alone does not say which
        click.echo(f"error: {p.message}", err=True)
    if not as_json:
        _report_problems([p for p in report.problems if p not in report.unwritten])
        if report.orphans:
            click.echo(
                f"{len(report.orphans)} card(s) from the previous build are gone from the notes "
                "(an .apkg cannot delete them; see 'Orphans' in the README):", err=True,
            )
            for key in report.orphans[:20]:
                click.echo(f"  {key}", err=True)
    parts = [f"{report.cards} cards from {report.notes} notes"]
    parts += [str(p) for p in report.outputs]
    parts += _dropped(report)
    if report.fallbacks:
        parts.append(f"{report.fallbacks} formulas printed as LaTeX source")
    _summary(parts, len(report.errors), len(report.warnings), report.seconds)
    sys.exit(EXIT_WRITE if report.unwritten else EXIT_ERRORS if report.errors else EXIT_OK)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["apkg", "json", "quiz", "sheet"]),
              help="Output format (without a deck spec; default apkg).")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Output file (without a deck spec).")
@click.option("--seed", type=int, help="Seed for every random choice (default: the spec's, or 0).")
@click.option("--deck", default="quizgen", show_default=True,
              help="Deck name without a spec ('::' makes sub-decks).")
@click.option("--kinds", help=f"Comma-separated card kinds (of {', '.join(ALL_KINDS)}).")
@click.option("--font", help="Font family for PDFs (a CJK font; default: bundled Noto).")
@click.option("--json", "as_json", is_flag=True, help="Print the build report as JSON.")
def export(
    paths: tuple[Path, ...], fmt: str | None, output: Path | None, seed: int | None, deck: str,
    kinds: str | None, font: str | None, as_json: bool,
) -> None:
    """Build a deck: `quizgen export decks/NAME.yaml` writes everything the spec asks for
    (.apkg, quiz + key PDFs, study sheet); `quizgen export NOTES... --format F -o FILE` exports
    notes without a spec.
    """
    if len(paths) == 1 and paths[0].suffix in (".yaml", ".yml"):
        ignored = [name for name, given in (("-o", output), ("--deck", deck != "quizgen"),
                                            ("--kinds", kinds)) if given]
        if ignored:
            raise click.UsageError(f"{', '.join(ignored)}: set this in the deck spec; the "
                                   "option is for exports without one")
        try:
            spec = load(paths[0])
            if font is not None:
                spec = replace(spec, font=font)
            formats = (fmt,) if fmt else None
            report = pipeline.export_deck(spec, _progress("parsing"), seed, formats)
        except SpecError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_USAGE)
        except OSError as exc:
            _export_failed(exc, as_json)
        _finish(report, as_json)
    bad_deck = deck_name_problem(deck)
    if bad_deck:
        raise click.BadParameter(bad_deck, param_hint="--deck")
    fmt = fmt or "apkg"
    if output is None:
        output = Path(f"quizgen.{ {'apkg': 'apkg', 'json': 'json'}.get(fmt, 'pdf') }")
    kind_list = tuple(k.strip() for k in kinds.split(",")) if kinds else ALL_KINDS
    bad = [k for k in kind_list if k not in ALL_KINDS]
    if bad:
        raise click.BadParameter(f"unknown kind(s): {', '.join(bad)}", param_hint="--kinds")
    try:
        report = pipeline.export_paths(
            paths, fmt, output, seed=seed or 0, deck=deck, kinds=kind_list, font=font,
            progress=_progress("parsing"),
        )
    except SpecError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except OSError as exc:
        _export_failed(exc, as_json)
    _finish(report, as_json)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--stress", type=int, default=0, metavar="N",
              help="Also generate N variants per concept with different seeds and report.")
@click.option("--explain", is_flag=True,
              help="Also list what the parser left out (not a term, not a definition, a "
                   "formula with no name or no reason to learn it), with file:line.")
@click.option("--cards", "cards_report", is_flag=True,
              help="Also make every card and report, per kind, how many were made and dropped "
                   "by the quality gate, why, and the notes with the most drops.")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
def check(paths: tuple[Path, ...], stress: int, explain: bool, cards_report: bool,
          as_json: bool) -> None:
    """Lint notes (unclosed math, empty definitions, duplicate terms, formulas that differ
    from the standard form) and, with --stress, verify many generated variants per concept.
    """
    from quizgen.lint import lint, stress_all

    start = time.perf_counter()
    parsed = pipeline.parse_paths(paths, _progress("parsing"))
    problems = list(parsed.problems) + lint(parsed.notes)
    skipped = [s for n in parsed.notes for s in n.skipped]
    gated = pipeline.check_cards(parsed, paths) if cards_report else None
    stress_reports = stress_all(stress) if stress > 0 else {}
    # Repeated variants across hundreds of seeds are expected for small parameter spaces (a
    # deck never repeats one); errors and equal options within a question are not.
    stress_errors = sum(len(r.get("errors", [])) + int(r.get("duplicate_distractors", 0))
                        for r in stress_reports.values())
    errors = [p for p in problems if p.severity == "error"]
    if as_json:
        body: dict[str, Any] = {
            "problems": [{"path": p.path, "line": p.line, "severity": p.severity,
                          "message": p.message} for p in problems],
            "stress": stress_reports,
            "skipped": [{"path": s.source.path, "line": s.source.line, "what": s.what,
                         "text": s.text, "reason": s.reason} for s in skipped],
        }
        if gated is not None:
            body["cards"] = card_quality(gated)
        click.echo(json.dumps(body, ensure_ascii=False, indent=1))
    else:
        _report_problems(problems, limit=200)
        for name, r in stress_reports.items():
            click.echo(f"stress {name}: {json.dumps(r, ensure_ascii=False)}")
        if explain:
            for s in skipped:
                text = s.text if len(s.text) <= 60 else s.text[:57] + "…"
                click.echo(f"{s.source}: left out {s.what} {text!r}: {s.reason}")
        if gated is not None:
            _print_card_quality(card_quality(gated))
    _summary([f"{len(parsed.notes)} notes checked"]
             + ([f"{stress} variants per concept stressed"] if stress else []),
             len(errors) + stress_errors, len(problems) - len(errors),
             time.perf_counter() - start)
    sys.exit(EXIT_ERRORS if errors or stress_errors else EXIT_OK)


EXIT_ANKI = 4


class _Bars:
    """One progress bar per phase of a sync (reading, adding, updating …), on a terminal."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._label = ""
        self._done = 0

    def __call__(self, label: str, done: int, total: int) -> None:
        if not sys.stderr.isatty() or total < 200:
            return
        if label != self._label:
            self.close()
            self._bar = click.progressbar(length=total, label=label, file=sys.stderr)
            self._bar.__enter__()
            self._label, self._done = label, 0
        self._bar.update(done - self._done)
        self._done = done

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar, self._label = None, ""


def _run_sync(paths: tuple[Path, ...], url: str, api_key: str | None, orphans: str, yes: bool,
              keep_anki: bool, dry_run: bool, seed: int | None, deck: str, kinds: str | None,
              ) -> tuple[pipeline.BuildReport, SyncReport]:
    """Build and sync; raises SpecError, SyncError, OSError for the caller to report."""
    from quizgen.sync.client import Client, SyncError
    from quizgen.sync.run import Options

    bars = _Bars()

    def confirm(n: int) -> bool:
        bars.close()
        return yes or click.confirm(f"Delete {n} orphan note(s) from Anki, with their review "
                                    "history?", default=False, err=True)

    options = Options(orphans=orphans, keep_anki=keep_anki, dry_run=dry_run,
                      confirm_delete=confirm)
    try:
        client = Client(url, api_key)
    except SyncError as exc:
        raise click.BadParameter(str(exc), param_hint="--url") from exc
    try:
        if len(paths) == 1 and paths[0].suffix in (".yaml", ".yml"):
            return pipeline.sync_deck(load(paths[0]), client, options, _progress("parsing"),
                                      bars, seed)
        kind_list = tuple(k.strip() for k in kinds.split(",")) if kinds else ALL_KINDS
        bad = [k for k in kind_list if k not in ALL_KINDS]
        if bad:
            raise click.BadParameter(f"unknown kind(s): {', '.join(bad)}", param_hint="--kinds")
        return pipeline.sync_paths(paths, client, options, seed=seed or 0, deck=deck,
                                   kinds=kind_list, progress=_progress("parsing"), tick=bars)
    finally:
        bars.close()
        client.close()


_ANKI_OPTIONS = [
    click.option("--url", default="http://127.0.0.1:8765", show_default=True,
                 envvar="QUIZGEN_ANKICONNECT_URL", help="Where AnkiConnect listens."),
    click.option("--api-key", envvar="QUIZGEN_ANKICONNECT_KEY",
                 help="AnkiConnect's API key, if its config sets one."),
    click.option("--orphans", type=click.Choice(["report", "tag", "suspend", "delete"]),
                 default="tag", show_default=True,
                 help="What to do with notes whose source is gone: list them, tag them "
                      "quizgen::orphan, tag and suspend them, or delete them."),
    click.option("--yes", is_flag=True, help="Delete orphans without asking (needed for "
                 "--orphans=delete when not on a terminal)."),
    click.option("--keep-anki", is_flag=True,
                 help="In a conflict (changed in the notes and in Anki), keep Anki's version."),
]


def _anki_options(f: Any) -> Any:
    for option in reversed(_ANKI_OPTIONS):
        f = option(f)
    return f


def _delete_needs_yes(orphans: str, yes: bool, dry_run: bool) -> None:
    if orphans == "delete" and not yes and not dry_run and not sys.stdin.isatty():
        click.echo("error: --orphans=delete deletes notes and their review history: add --yes "
                   "to confirm when not on a terminal", err=True)
        sys.exit(EXIT_USAGE)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@_anki_options
@click.option("--dry-run", is_flag=True, help="Print what would change; write nothing.")
@click.option("--seed", type=int, help="Seed for every random choice (default: the spec's, or 0).")
@click.option("--deck", default="quizgen", show_default=True,
              help="Deck name without a spec ('::' makes sub-decks).")
@click.option("--kinds", help=f"Comma-separated card kinds (of {', '.join(ALL_KINDS)}).")
@click.option("--json", "as_json", is_flag=True, help="Print the sync report as JSON.")
def sync(paths: tuple[Path, ...], url: str, api_key: str | None, orphans: str, yes: bool,
         keep_anki: bool, dry_run: bool, seed: int | None, deck: str, kinds: str | None,
         as_json: bool) -> None:
    """Push a deck into a running Anki through AnkiConnect: `quizgen sync decks/NAME.yaml`, or
    `quizgen sync NOTES...` without a spec. Adds new notes, updates changed ones, keeps edits
    made in Anki to notes whose source did not change, and handles notes whose source is gone
    (--orphans). The same notes, note types and ids as the .apkg, so both routes mix.

    Exit codes: 0 done; 1 some note had an error (the rest was synced); 2 bad usage or spec;
    3 the sync state could not be written; 4 Anki unreachable, refused, or stopped midway (a
    rerun completes it).
    """
    from quizgen.sync import report
    from quizgen.sync.client import SyncError
    from quizgen.sync.run import PartialSync

    _delete_needs_yes(orphans, yes, dry_run)
    try:
        build, rep = _run_sync(paths, url, api_key, orphans, yes, keep_anki, dry_run, seed,
                               deck, kinds)
    except SpecError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except PartialSync as exc:
        done = exc.report
        click.echo(f"error: {exc}", err=True)
        click.echo(f"stopped midway; done before that: {done.added} added, {done.updated} "
                   "updated. Run the same command again: it reads what Anki holds and does "
                   "the rest.", err=True)
        sys.exit(EXIT_ANKI)
    except SyncError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_ANKI)
    except OSError as exc:
        _cannot_write(exc)
    problems = [*build.problems, *rep.problems]
    errors = sum(p.severity == "error" for p in problems)
    seconds = build.seconds + rep.seconds
    if as_json:
        click.echo(json.dumps(report.as_json(rep, problems, seconds), ensure_ascii=False,
                              indent=1))
    else:
        _report_problems(problems)
        for line in report.details(rep, keep_anki):
            click.echo(line, err=True)
    _summary(report.summary_parts(rep) + _dropped(build), errors, len(problems) - errors,
             seconds)
    sys.exit(EXIT_ERRORS if errors else EXIT_OK)


@main.command()
@click.argument("spec_path", metavar="DECK_SPEC",
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--sync", "and_sync", is_flag=True,
              help="Sync into a running Anki after each rebuild (instead of writing files).")
@click.option("--format", "fmt", type=click.Choice(["apkg", "json", "quiz", "sheet"]),
              help="Write only this format on each rebuild (default: the spec's).")
@_anki_options
@click.option("--debounce", type=int, default=300, show_default=True, metavar="MS",
              help="Wait this long for a burst of changes to end before rebuilding.")
def watch(spec_path: Path, and_sync: bool, fmt: str | None, url: str, api_key: str | None,
          orphans: str, yes: bool, keep_anki: bool, debounce: int) -> None:
    """Rebuild a deck (and with --sync, sync it) whenever one of its notes, images or the spec
    changes; one status line per rebuild. Stop with Ctrl-C.
    """
    from quizgen.sync.client import SyncError
    from quizgen.sync.report import summary_parts
    from quizgen.watch import watch as watch_loop

    _delete_needs_yes(orphans, yes, False)

    def rebuild(changed: set[Path]) -> None:
        start = time.perf_counter()
        what = f"{len(changed)} file{'s' * (len(changed) != 1)} changed" if changed else "start"
        stamp = time.strftime("%H:%M:%S")
        try:
            if and_sync:
                build, rep = _run_sync((spec_path,), url, api_key, orphans, yes, keep_anki,
                                       False, None, "quizgen", None)
                problems: Sequence[Problem] = [*build.problems, *rep.problems]
                parts = summary_parts(rep)
                for remark in rep.notes:
                    click.echo(f"  note: {remark}", err=True)
            else:
                report = pipeline.export_deck(load(spec_path), formats=(fmt,) if fmt else None)
                problems = report.problems
                parts = [f"{report.cards} cards"] + [str(p) for p in report.outputs]
        except (SpecError, SyncError, OSError) as exc:
            click.echo(f"{stamp} {what}: failed: {exc}", err=True)
            return
        errors = sum(p.severity == "error" for p in problems)
        for p in problems[:5]:
            click.echo(f"  {p}", err=True)
        verb = "synced" if and_sync else "rebuilt"
        click.echo(f"{stamp} {what}: {verb}: {', '.join(parts)}; {errors} errors, "
                   f"{len(problems) - errors} warnings; {time.perf_counter() - start:.2f} s",
                   err=True)

    try:
        spec = load(spec_path)
    except SpecError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    rebuild(set())
    roots = [spec.notes_root(), spec_path.resolve()]
    watch_loop(roots, rebuild, ignore=[spec.output_dir()], debounce_ms=debounce,
               ready=lambda: click.echo(f"watching {', '.join(str(r) for r in roots)} "
                                        "(Ctrl-C stops)", err=True))
