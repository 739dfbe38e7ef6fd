"""Finding note files: folders searched recursively, deck-spec globs, each real file once.

One walker serves ``quizgen parse/check/export FOLDER`` and the ``notes`` globs of deck specs.
Symbolic links to folders are followed, but every real folder (device and inode) is read only
once: a link back to a folder above it (``notes/a/sub/up -> ..``) would otherwise repeat the
notes for ever, so it is skipped with a warning. A folder that cannot be read is an error
naming it, never a silent gap. Hidden files and folders (``.git``, ``.obsidian``, ``.trash``)
are left out unless a glob names them, as ``glob`` does.
"""

from __future__ import annotations

import fnmatch
import glob as globlib
import os
import stat
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from quizgen.model import Problem

_FileId = tuple[int, int]

NOTE_SUFFIXES = (".md", ".markdown")


def _identity(st: os.stat_result) -> _FileId:
    return st.st_dev, st.st_ino


class Walker:
    """Files under folders; collects what it could not read in :attr:`problems`.

    Every file comes with its identity (device, inode), so callers can keep one path per
    real file (:meth:`once`).
    """

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self._seen: set[_FileId] = set()

    def once(self, found: Sequence[tuple[Path, _FileId]]) -> list[Path]:
        """The paths of files not given by an earlier call (a link, a second glob)."""
        out: list[Path] = []
        for path, key in found:
            if key not in self._seen:
                self._seen.add(key)
                out.append(path)
        return out

    def report(self, path: Path, message: str, severity: str = "error") -> None:
        shown = os.fsencode(path.as_posix()).decode("utf-8", "backslashreplace")
        self.problems.append(Problem(shown, 0, message, severity))

    def regular(self, path: Path, entry: os.DirEntry[str] | None = None) -> _FileId | None:
        """The identity of ``path`` when it is a regular file, else None and a problem saying
        why (a broken link, a device, a pipe: reading a pipe would wait for ever). ``entry``
        is the path's entry of a folder listing, whose stat is cheaper (and kept)."""
        try:
            st = entry.stat() if entry is not None else path.stat()
        except OSError as exc:
            if entry.is_symlink() if entry is not None else path.is_symlink():
                self.report(path, "broken or looping symbolic link: skipped", "warning")
            else:
                self.report(path, f"cannot read file: {exc.strerror or exc}")
            return None
        if not stat.S_ISREG(st.st_mode):
            self.report(path, "not a regular file (a device or a pipe?): skipped", "warning")
            return None
        return _identity(st)

    def files(
        self, folder: Path, keep: Callable[[tuple[str, ...]], bool], depth: int | None = None,
        hidden: bool = False,
    ) -> list[tuple[Path, _FileId]]:
        """Files under ``folder`` whose parts relative to it pass ``keep``, in sorted order.

        ``depth`` limits how many folders deep the search goes (None: no limit); ``hidden``
        includes names starting with a dot.
        """
        out: list[tuple[Path, _FileId]] = []
        try:
            top = _identity(folder.stat())
        except OSError as exc:
            self.report(folder, f"cannot read folder: {exc.strerror or exc}")
            return out
        done = {top}
        # Depth first with an explicit stack (a tree deeper than Python's recursion limit is
        # only a deep tree). A frame: the folder, its parts below ``folder``, the folders above
        # it (a link to one of them is a cycle), and its names still to visit, last first.
        stack: list[tuple[Path, tuple[str, ...], tuple[_FileId, ...], list[os.DirEntry[str]]]] = [
            (folder, (), (top,), self._names(folder))
        ]
        while stack:
            here, rel, above, entries = stack[-1]
            if not entries:
                stack.pop()
                continue
            entry = entries.pop()
            name = entry.name
            if name.startswith(".") and not hidden:
                continue
            path = here / name
            if not _utf8(name):
                self.report(path, "the name is not valid UTF-8 (rename it): skipped")
                continue
            parts = (*rel, name)
            try:
                # The listing's file type: no stat for anything but a symbolic link.
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if not is_dir:
                if keep(parts) and (key := self.regular(path, entry)) is not None:
                    out.append((path, key))
                continue
            if depth is not None and len(rel) >= depth:
                continue
            try:
                key = _identity(entry.stat())
            except OSError as exc:
                self.report(path, f"cannot read folder: {exc.strerror or exc}")
                continue
            if key in above:
                self.report(path, f"symbolic link to {_target(path)!r} leads back to a folder "
                            "above it: not followed (a cycle)", "warning")
                continue
            if key in done:
                continue  # the same folder reached by a second path: read once
            done.add(key)
            stack.append((path, parts, (*above, key), self._names(path)))
        return out

    def _names(self, folder: Path) -> list[os.DirEntry[str]]:
        """The entries of ``folder``, sorted by name last first; none (and an error) when
        unreadable."""
        try:
            with os.scandir(folder) as it:
                return sorted(it, key=lambda e: e.name, reverse=True)
        except OSError as exc:
            self.report(folder, f"cannot read folder: {exc.strerror or exc}; its notes are "
                        "left out")
            return []


def _utf8(name: str) -> bool:
    """Whether a file name decoded from the file system is text (undecodable bytes become
    surrogates, which no output can encode)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _target(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return path.as_posix()


def notes_under(
    walker: Walker, folder: Path, suffixes: Sequence[str]
) -> list[tuple[Path, _FileId]]:
    """Markdown notes (by suffix, any case) anywhere under ``folder``."""
    wanted = tuple(s.lower() for s in suffixes)
    return walker.files(folder, lambda parts: parts[-1].lower().endswith(wanted))


def glob_files(walker: Walker, folder: Path, pattern: str) -> list[tuple[Path, _FileId]]:
    """Files matching ``pattern`` (``**`` for any folders, relative to ``folder`` unless
    absolute), as :func:`glob.glob` with ``recursive=True`` would list them, without
    following a folder twice."""
    parts = Path(pattern).parts
    fixed = 0
    while fixed < len(parts) and not globlib.has_magic(parts[fixed]):
        fixed += 1
    base = folder.joinpath(*parts[:fixed])
    rest = parts[fixed:]
    if not rest:
        key = walker.regular(base) if base.exists() else None
        return [] if key is None else [(base, key)]
    if not base.is_dir():
        return []
    depth = None if "**" in rest else len(rest) - 1
    hidden = any(p.startswith(".") for p in rest)
    return walker.files(base, lambda rel: _matches(rest, rel), depth, hidden)


def _matches(pattern: Sequence[str], parts: Sequence[str]) -> bool:
    """glob's rules: ``**`` is any number of folders, a wildcard never matches a leading dot."""
    if not pattern:
        return not parts
    head = pattern[0]
    if head == "**" and len(pattern) == 1:
        return bool(parts) and not any(p.startswith(".") for p in parts)
    if head == "**":
        if _matches(pattern[1:], parts):
            return True
        return bool(parts) and len(parts) > 1 and not parts[0].startswith(".") and _matches(
            pattern, parts[1:]
        )
    if not parts:
        return False
    name = parts[0]
    if name.startswith(".") and not head.startswith("."):
        return False
    return fnmatch.fnmatchcase(name, head) and _matches(pattern[1:], parts[1:])


def walk_paths(walker: Walker, paths: Sequence[Path], suffixes: Sequence[str]) -> Iterator[Path]:
    """Files named directly (always, whatever their name), and notes under folders."""
    for p in paths:
        if not _utf8(str(p)):
            walker.report(p, "the name is not valid UTF-8 (rename it): skipped")
        elif p.is_dir():
            yield from walker.once(notes_under(walker, p, suffixes))
        elif (key := walker.regular(p)) is not None:
            yield from walker.once([(p, key)])


def collect(paths: Sequence[Path], problems: list[Problem] | None = None) -> Iterator[Path]:
    """Files named directly, and Markdown files under folders (recursively, sorted), each
    real file once; folders that cannot be read and symlink cycles are added to ``problems``."""
    walker = Walker()
    try:
        yield from walk_paths(walker, paths, NOTE_SUFFIXES)
    finally:
        if problems is not None:
            problems.extend(walker.problems)
