"""Writing outputs so that a reader never sees half a file and a crash never loses the old one.

Every output is written to a temporary file beside it (``.NAME.PID.RANDOM.tmp``) and renamed
over it. A run that is killed leaves its temporary file behind; the next write of the same
output removes such leftovers once their run is gone.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# When this process started writing, roughly: a leftover is only removed when it is older.
_STARTED = time.time()
# A leftover of a run whose process id is in use again (or of another machine sharing the
# folder) is removed once it is this old: no write takes a day.
_STALE_SECONDS = 24 * 3600


def _leftovers(path: Path) -> Iterator[tuple[Path, int]]:
    """Temporary files of earlier writes of ``path``, with the process id that made each."""
    pattern = re.compile(rf"\.{re.escape(path.name)}\.(\d+)\.[0-9a-f]{{8}}\.[A-Za-z0-9]+")
    with contextlib.suppress(OSError), os.scandir(path.parent) as it:
        for entry in it:
            m = pattern.fullmatch(entry.name)
            if m:
                yield Path(entry.path), int(m.group(1))


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process, or no permission to ask
        return True
    return True


def remove_leftovers(path: Path) -> None:
    """Remove temporary files that killed runs left beside ``path`` (never a live run's)."""
    for tmp, pid in _leftovers(path):
        try:
            age = tmp.stat().st_mtime
        except OSError:
            continue
        if age < _STARTED and (not _alive(pid) or age < time.time() - _STALE_SECONDS):
            with contextlib.suppress(OSError):
                tmp.unlink()


def check_target(path: Path) -> None:
    """Refuse an output path that names a folder, a device, a pipe or a socket.

    Raises:
        OSError: naming ``path``.
    """
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a folder; give a file name", str(path))
    if path.exists() and not path.is_file():  # renaming over /dev/null would replace it
        raise OSError(errno.EEXIST, "is a device, pipe or socket, not a file; refusing to "
                      "replace it", str(path))


@contextmanager
def temp_beside(path: Path, suffix: str = ".tmp") -> Iterator[Path]:
    """A fresh temporary path in ``path``'s folder, removed afterwards unless renamed.

    Not ``mkstemp``: its 0600 mode would survive the rename; this file follows the umask like
    any file the user's tools write.

    Raises:
        OSError: the folder cannot be made or written, or ``path`` is a folder or a device;
            the error names ``path``, not the temporary file.
    """
    check_target(path)
    try:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except FileExistsError:  # a part of the folder path is a file
            raise NotADirectoryError(errno.ENOTDIR, "part of the path is a file, not a folder",
                                     str(path)) from None
        remove_leftovers(path)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}{suffix}")
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    except OSError as exc:
        raise _naming(exc, path) from exc
    try:
        yield tmp
    finally:
        tmp.unlink(missing_ok=True)


def replace(tmp: Path, path: Path) -> None:
    """Rename ``tmp`` over ``path``; an error names ``path``."""
    try:
        os.replace(tmp, path)
    except OSError as exc:
        raise _naming(exc, path) from exc


def _naming(exc: OSError, path: Path) -> OSError:
    """``exc`` as it concerns ``path`` (the temporary file's name means nothing to a user)."""
    return type(exc)(exc.errno, exc.strerror or str(exc), str(path))


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``.

    Raises:
        OSError: naming ``path``; the previous file, if any, is left as it was.
    """
    with temp_beside(path) as tmp:
        try:
            tmp.write_bytes(data)
        except OSError as exc:
            raise _naming(exc, path) from exc
        replace(tmp, path)
