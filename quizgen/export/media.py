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

    def _refuse(self, source: SourceRef, message: str, alt: str) -> str:
        self.problems.append(Problem(source.path, source.line, message))
        return html.escape(alt)

    def image(self, src: str, alt: str, source: SourceRef) -> str:
        """``<img>`` HTML naming the packaged copy, or the escaped alt text (with a problem)."""
        written = unquote(src)
        if urlsplit(written).scheme or written.startswith("//"):
            return self._refuse(source, f"image {written!r} is not a local file; showing its "
                                "alt text", alt)
        if Path(written).is_absolute() or os.path.isabs(written):
            return self._refuse(source, f"image {written!r}: absolute paths are refused; use a "
                                "path relative to the note", alt)
        try:
            target = (self._note_dir(source) / written).resolve()
        except (OSError, RuntimeError):  # symlink loops
            return self._refuse(source, f"image {written!r} cannot be resolved", alt)
        if not target.is_relative_to(self.root):
            return self._refuse(source, f"image {written!r} is outside the notes folder "
                                f"{self.root}; refused", alt)
        name = self._names.get(target) or self._add(target, written, source)
        if name is None:
            return html.escape(alt)
        self.used.append(name)
        return f'<img src="{name}" alt="{html.escape(alt)}">'

    def _add(self, target: Path, written: str, source: SourceRef) -> str | None:
        ext = target.suffix.lower()
        if ext not in _EXTENSIONS:
            self._refuse(source, f"image {written!r}: {ext or 'no extension'} is not an image "
                         "type", "")
            return None
        try:
            if not target.is_file():
                self._refuse(source, f"image {written!r} not found ({target})", "")
                return None
            if target.stat().st_size > MAX_BYTES:
                self._refuse(source, f"image {written!r} is larger than "
                             f"{MAX_BYTES // 2**20} MB", "")
                return None
            digest = hashlib.sha1(target.read_bytes()).hexdigest()[:16]
        except OSError as exc:
            self._refuse(source, f"image {written!r} cannot be read: {exc.strerror}", "")
            return None
        name = f"qg-{digest}{ext}"
        self._names[target] = name
        self.files[name] = target
        return name
