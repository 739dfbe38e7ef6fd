"""Rebuild when notes change: one rebuild per burst of changes.

watchfiles (Rust ``notify`` underneath) reports changes in batches and debounces them: an
editor that saves by writing a temporary file and renaming it, or a ``git checkout`` touching
fifty notes, is one batch and so one rebuild. Files the build itself writes (its output folder,
hidden temporary files, caches) are not watched, or every build would trigger the next.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

WATCHED_SUFFIXES = frozenset({".md", ".yaml", ".yml", ".png", ".jpg", ".jpeg", ".gif", ".svg",
                              ".webp", ".bmp", ".avif"})


def _inside(full: str, folder: Path) -> str | None:
    """``full`` relative to ``folder`` when inside it."""
    base = os.path.abspath(folder).rstrip(os.sep) + os.sep
    return full[len(base):] if full.startswith(base) else None


def relevant(path: str, roots: Iterable[Path], ignore: Iterable[Path]) -> bool:
    """Whether a changed path can change the build: a note, a spec or an image, not hidden
    (below the watched folder), not inside a folder the build writes to."""
    full = os.path.abspath(path)
    if Path(full).suffix.lower() not in WATCHED_SUFFIXES:
        return False
    if any(_inside(full, d) is not None for d in ignore):
        return False
    for root in roots:
        rel = _inside(full, root)
        if rel is not None and any(part.startswith(".") for part in rel.split(os.sep)):
            return False
    return True


def watch(roots: Sequence[Path], rebuild: Callable[[set[Path]], None], *,
          ignore: Sequence[Path] = (), debounce_ms: int = 300,
          ready: Callable[[], None] | None = None, stop: threading.Event | None = None) -> int:
    """Call ``rebuild`` with the changed files after each burst of changes under ``roots``,
    until interrupted (Ctrl-C) or ``stop`` is set; returns how many rebuilds ran. ``ready`` is
    called once the watcher runs (changes before it are not seen)."""
    from watchfiles import watch as changes_of

    count = 0
    # Empty batches on a timeout tell when the watcher is up (and let `stop` be checked).
    for changes in changes_of(*roots, watch_filter=lambda _, p: relevant(p, roots, ignore),
                              debounce=debounce_ms, step=50, stop_event=stop,
                              raise_interrupt=False, yield_on_timeout=True, rust_timeout=500):
        if not changes:
            if ready is not None:
                ready()
                ready = None
            continue
        rebuild({Path(p) for _, p in changes})
        count += 1
    return count
