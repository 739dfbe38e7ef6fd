"""The .apkg container: a zip whose collection database is compressed in independent chunks.

A rebuild changes a few pages of a database of hundreds of megabytes (10,000 notes ≈ 200 MB),
and compressing all of it again would cost more than everything else a one-note rebuild does.
So the database is deflated in chunks of 256 KiB, each ended with a full flush (the compressor
forgets its history there, and the output ends on a byte boundary), which makes the
concatenation of the chunks' outputs one valid deflate stream that any unzip reads. The next
build hashes each chunk of the new database and copies the compressed bytes of every chunk that
is unchanged straight from the previous package; only changed chunks are compressed again.

The chunk table is returned to the caller (kept in the build state) with the package's size
and mtime: a package changed by anything else is not reused. Same database and media → same
bytes (fixed timestamps, sorted names).
"""

from __future__ import annotations

import hashlib
import json
import struct
import zlib
from collections.abc import Mapping
from contextlib import ExitStack
from pathlib import Path
from typing import Any, BinaryIO

from quizgen.export.anki_state import file_mark

CHUNK = 1 << 18
LEVEL = 1  # a third of the default level's time, for some 15 % more bytes
_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01, 00:00: fixed, for reproducible bytes
_STORED, _DEFLATED = 0, 8
_LIMIT = 0xFFFFFFFF  # no ZIP64: 4 GiB per entry is far beyond any deck


def _local_header(name: bytes, method: int, crc: int, csize: int, usize: int) -> bytes:
    return struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x800, method, 0, _DOS_DATE, crc, csize,
                       usize, len(name), 0) + name


def _central(name: bytes, method: int, crc: int, csize: int, usize: int, offset: int) -> bytes:
    return struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x800, method, 0, _DOS_DATE,
                       crc, csize, usize, len(name), 0, 0, 0, 0, 0, offset) + name


class _Writer:
    def __init__(self, f: BinaryIO) -> None:
        self.f = f
        self.entries: list[bytes] = []

    def entry(self, name: str, data: bytes, method: int) -> None:
        raw = name.encode("utf-8")
        body = data if method == _STORED else _deflate_all(data)
        offset = self.f.tell()
        crc = zlib.crc32(data)
        self.f.write(_local_header(raw, method, crc, len(body), len(data)))
        self.f.write(body)
        self.entries.append(_central(raw, method, crc, len(body), len(data), offset))

    def finish(self) -> None:
        start = self.f.tell()
        for e in self.entries:
            self.f.write(e)
        size = self.f.tell() - start
        n = len(self.entries)
        self.f.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n, n, size, start, 0))


def _deflate_all(data: bytes) -> bytes:
    c = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def _deflate_chunk(data: bytes) -> bytes:
    c = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(zlib.Z_FULL_FLUSH)


_END = zlib.compressobj(LEVEL, zlib.DEFLATED, -15).flush()  # the final (empty) block


def _previous(previous: Mapping[str, Any] | None, old: Path) -> list[list[Any]]:
    """The chunk table of the previous package, if that package is still the one described."""
    if not previous:
        return []
    mark = previous.get("mark")
    chunks = previous.get("chunks")
    if not isinstance(mark, list) or list(file_mark(old) or ()) != mark:
        return []
    return chunks if isinstance(chunks, list) else []


def write(db: Path, media: Mapping[str, bytes], out: Path, *, previous: Mapping[str, Any] | None,
          old: Path) -> dict[str, Any]:
    """Write the package ``out`` from the database ``db`` and the images ``media`` (by name),
    reusing compressed chunks of the package ``old`` that ``previous`` describes.

    Returns the description of the new package (without its mark: the caller adds it once
    the file is in place).

    Raises:
        OSError: a file cannot be read or written, or the database is over 4 GiB.
    """
    reuse = _previous(previous, old)
    table: list[list[Any]] = []
    with ExitStack() as stack:
        f = stack.enter_context(out.open("wb"))
        src = stack.enter_context(db.open("rb"))
        prev = stack.enter_context(old.open("rb")) if reuse else None
        w = _Writer(f)
        name = b"collection.anki2"
        offset = f.tell()
        f.write(_local_header(name, _DEFLATED, 0, 0, 0))
        crc = usize = csize = 0
        i = 0
        while chunk := src.read(CHUNK):
            digest = hashlib.sha1(chunk).hexdigest()
            crc = zlib.crc32(chunk, crc)
            usize += len(chunk)
            at = f.tell()
            old_entry = reuse[i] if i < len(reuse) else None
            body: bytes | None = None
            if (prev is not None and old_entry is not None and old_entry[0] == len(chunk)
                    and old_entry[1] == digest):
                prev.seek(old_entry[2])
                body = prev.read(old_entry[3])
                if len(body) != old_entry[3]:
                    body = None
            if body is None:
                body = _deflate_chunk(chunk)
            f.write(body)
            csize += len(body)
            table.append([len(chunk), digest, at, len(body)])
            i += 1
        f.write(_END)
        csize += len(_END)
        if usize > _LIMIT or csize > _LIMIT:
            raise OSError(f"cannot write {out}: the collection is over 4 GiB")
        end = f.tell()
        f.seek(offset)
        f.write(_local_header(name, _DEFLATED, crc, csize, usize))
        f.seek(end)
        w.entries.append(_central(name, _DEFLATED, crc, csize, usize, offset))
        names = sorted(media)
        w.entry("media", json.dumps({str(i): n for i, n in enumerate(names)}).encode(),
                _DEFLATED)
        for i, n in enumerate(names):
            w.entry(str(i), media[n], _STORED)  # images are compressed already
        w.finish()
    return {"chunks": table}
