"""A :class:`~quizgen.sync.run.SyncReport` in words (summary parts, detail lines) and as the
JSON object ``quizgen sync --json`` prints."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from quizgen.model import Problem
from quizgen.sync.run import SyncReport

LISTED = 20  # keys listed per kind of detail; the counts are always complete


def summary_parts(rep: SyncReport) -> list[str]:
    would = "would be " if rep.dry_run else ""
    parts = [f"{rep.cards} cards", f"{rep.added} {would}added", f"{rep.updated} {would}updated",
             f"{rep.unchanged} unchanged"]
    if rep.kept:
        parts.append(f"{len(rep.kept)} Anki edits kept")
    if rep.conflicts:
        parts.append(f"{len(rep.conflicts)} conflicts")
    parts.append(f"{len(rep.orphans)} orphans" + (f" {rep.orphan_action}" if rep.orphans
                                                  else ""))
    if rep.media:
        parts.append(f"{rep.media} images uploaded")
    return parts


def _listed(head: str, keys: Sequence[str]) -> list[str]:
    return [head, *(f"  {k}" for k in keys[:LISTED])] + (
        [f"  … and {len(keys) - LISTED} more"] if len(keys) > LISTED else [])


def details(rep: SyncReport, keep_anki: bool) -> list[str]:
    """What the user should read besides the summary: remarks, conflicts, orphans, the plan
    of a dry run."""
    lines = [f"note: {remark}" for remark in rep.notes]
    if rep.conflicts:
        side = "Anki's" if keep_anki else "the notes'"
        lines += _listed(f"{len(rep.conflicts)} note(s) changed both in the notes and in Anki; "
                         f"{side} version was kept (--keep-anki keeps Anki's):", rep.conflicts)
    if rep.orphans:
        lines += _listed(f"{len(rep.orphans)} note(s) in Anki whose source is gone "
                         f"({rep.orphan_action}; find them in Anki with "
                         "\"tag:quizgen::orphan\"):", rep.orphans)
    if rep.dry_run:
        for what, keys in (("add", [w.card.key for w in rep.plan.add]),
                           ("update", [c.want.card.key for c in rep.plan.update])):
            if keys:
                lines += _listed(f"would {what} {len(keys)}:", keys)
        lines.append("dry run: nothing was written to Anki")
    return lines


def as_json(rep: SyncReport, problems: Sequence[Problem], seconds: float) -> dict[str, Any]:
    return {
        "cards": rep.cards, "added": rep.added, "added_from_package": rep.packaged,
        "updated": rep.updated,
        "unchanged": rep.unchanged, "kept_from_anki": list(rep.kept),
        "conflicts": list(rep.conflicts), "orphans": list(rep.orphans),
        "orphan_action": rep.orphan_action, "media": rep.media, "decks": list(rep.decks),
        "note_types": list(rep.models), "moved": rep.moved, "dry_run": rep.dry_run,
        "remarks": list(rep.notes), "requests": rep.requests,
        "problems": [{"path": p.path, "line": p.line, "severity": p.severity,
                      "message": p.message} for p in problems],
        "seconds": round(seconds, 3),
    }
