"""Writing outputs so that a reader never sees half a file and a crash never loses the old one."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def temp_beside(path: Path, suffix: str = ".tmp") -> Iterator[Path]:
    """A fresh temporary path in ``path``'s folder, removed afterwards unless renamed.

    Not ``mkstemp``: its 0600 mode would survive the rename; this file follows the umask like
    any file the user's tools write.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}{suffix}")
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    try:
        yield tmp
    finally:
        tmp.unlink(missing_ok=True)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``."""
    with temp_beside(path) as tmp:
        tmp.write_bytes(data)
        os.replace(tmp, path)
