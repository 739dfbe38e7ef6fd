"""Images referenced by notes → package media under content-hash names.

Anki keeps all media in one flat folder and matches by base name, so ``img/a.png`` of two notes
would collide; a name made from the bytes (``qg-<sha1[:16]>.png``) never does, and the same
picture used twice is stored once. Paths come from untrusted notes: anything that resolves
outside the notes folder (``../``, absolute paths, symlinks out) is refused, never read.
"""

from __future__ import annotations

import hashlib
import html
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from quizgen.model import Problem, SourceRef

_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".avif"})
MAX_BYTES = 20 * 1024 * 1024  # a "picture" bigger than this is a mistake, not a figure


def locate(src: str, note_dir: Path, root: Path) -> tuple[Path | None, Problem | None]:
    """The image file ``src`` (as written in a note in ``note_dir``) names, or why it is not
    used: ``quizgen check`` and every export judge images with this one function.

    ``root`` is the resolved notes folder. A path that leaves it (``../``, absolute, a symlink
    out), cannot be resolved (a symlink loop) or is a URL is refused; a missing file, a file
    that is no image or too big is skipped. The problem's path and line are placeholders the
    caller fills in (:func:`at`). Never raises.
    """
    written = unquote(src)
    if urlsplit(written).scheme or written.startswith("//"):
        return None, _why(f"image {written!r} is not a local file; showing its alt text",
                          "warning")
    if Path(written).is_absolute() or os.path.isabs(written):
        return None, _why(f"image {written!r}: absolute paths are refused; use a path relative "
                          "to the note")
    if "\0" in written:
        return None, _why(f"image {written!r}: a path cannot hold a NUL character")
    try:
        target = (note_dir / written).resolve()
    except (OSError, RuntimeError, ValueError):  # symlink loops
        return None, _why(f"image {written!r} cannot be resolved (a symlink loop?)")
    if not target.is_relative_to(root):
        return None, _why(f"image {written!r} is outside the notes folder {root}; refused")
    ext = target.suffix.lower()
    if ext not in _EXTENSIONS:
        return None, _why(f"image {written!r}: {ext[:20]!r} is not an image type" if ext
                          else f"image {written!r} has no extension", "warning")
    try:
        if not target.is_file():
            return None, _why(f"image {written!r} not found ({target})", "warning")
        if target.stat().st_size > MAX_BYTES:
            return None, _why(f"image {written!r} is larger than {MAX_BYTES // 2**20} MB",
                              "warning")
    except OSError as exc:
        return None, _why(f"image {written!r} cannot be read: {exc.strerror}")
    return target, None


def _why(message: str, severity: str = "error") -> Problem:
    return Problem("", 0, message, severity)


def at(problem: Problem, source: SourceRef) -> Problem:
    """``problem`` placed at ``source`` (the note line that shows the image)."""
    return Problem(source.path, source.line, problem.message, problem.severity)


class Media:
    """Collects the images of one package: base name → file on disk, plus problems found."""

    def __init__(self, notes_root: Path) -> None:
        self.root = notes_root.resolve()
        self.files: dict[str, Path] = {}
        self.problems: list[Problem] = []
        self.used: list[str] = []  # names shown since the caller last cleared it
        self._names: dict[Path, str] = {}

    def _note_dir(self, source: SourceRef) -> Path:
        """The folder of the note: source paths are relative to the working folder (as the
        pipeline names them) or, failing that, to the notes folder."""
        path = Path(source.path)
        if not path.is_absolute() and not path.exists():
            path = self.root / path
        return path.parent

    def image(self, src: str, alt: str, source: SourceRef) -> str:
        """``<img>`` HTML naming the packaged copy, or the escaped alt text (with a problem)."""
        target, problem = locate(src, self._note_dir(source), self.root)
        name = self._names.get(target) if target is not None else None
        if target is not None and name is None:
            name, problem = self._add(target, src)
        if name is None:
            if problem is not None:
                self.problems.append(at(problem, source))
            return html.escape(alt)
        self.used.append(name)
        return f'<img src="{name}" alt="{html.escape(alt)}">'

    def _add(self, target: Path, src: str) -> tuple[str | None, Problem | None]:
        try:
            digest = hashlib.sha1(target.read_bytes()).hexdigest()[:16]
        except OSError as exc:
            return None, _why(f"image {unquote(src)!r} cannot be read: {exc.strerror}")
        name = f"qg-{digest}{target.suffix.lower()}"
        self._names[target] = name
        self.files[name] = target
        return name, None
