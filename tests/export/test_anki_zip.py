"""The package zip: chunked deflate that any unzip reads, with chunks reused across builds."""

from __future__ import annotations

import os
import random
import zipfile
from pathlib import Path

import pytest

from quizgen.export import anki_zip
from quizgen.export.anki_state import file_mark


def _db(path: Path, seed: int, size: int) -> bytes:
    rng = random.Random(seed)
    words = [bytes(rng.choice(b"abcdefgh") for _ in range(6)) for _ in range(50)]
    data = b" ".join(rng.choice(words) for _ in range(size // 7 + 1))[:size]
    path.write_bytes(data)
    return data


def _write(db: Path, out: Path, previous: dict[str, object] | None) -> dict[str, object]:
    described = anki_zip.write(db, {"qg-a.png": b"\x89PNG img"}, out, previous=previous,
                               old=out.with_name("old.apkg"))
    described["mark"] = list(file_mark(out) or ())
    return described


def test_the_package_reads_back_whole(tmp_path: Path) -> None:
    data = _db(tmp_path / "c.anki2", 1, 3 * anki_zip.CHUNK + 123)
    out = tmp_path / "p.apkg"
    _write(tmp_path / "c.anki2", out, None)
    with zipfile.ZipFile(out) as z:
        assert z.testzip() is None
        assert z.namelist() == ["collection.anki2", "media", "0"]
        assert z.read("collection.anki2") == data and z.read("0") == b"\x89PNG img"
        assert z.read("media") == b'{"0": "qg-a.png"}'
    assert os.path.getsize(out) < len(data) / 2


def test_unchanged_chunks_are_copied_and_the_bytes_are_those_of_a_fresh_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "c.anki2"
    data = bytearray(_db(db, 2, 4 * anki_zip.CHUNK))
    old = tmp_path / "old.apkg"
    first = _write(db, old, None)
    data[anki_zip.CHUNK + 10 : anki_zip.CHUNK + 14] = b"EDIT"  # one page of chunk 1 changes
    data += b"appended rows"
    db.write_bytes(bytes(data))
    compressed: list[int] = []
    real = anki_zip._deflate_chunk

    def counting(chunk: bytes) -> bytes:
        compressed.append(len(chunk))
        return real(chunk)

    monkeypatch.setattr(anki_zip, "_deflate_chunk", counting)
    _write(db, tmp_path / "p.apkg", first)
    monkeypatch.undo()
    assert compressed == [anki_zip.CHUNK, len(b"appended rows")]  # chunk 1 and the new tail
    _write(db, tmp_path / "fresh.apkg", None)
    assert (tmp_path / "p.apkg").read_bytes() == (tmp_path / "fresh.apkg").read_bytes()
    with zipfile.ZipFile(tmp_path / "p.apkg") as z:
        assert z.read("collection.anki2") == bytes(data)


def test_a_package_changed_since_is_not_reused(tmp_path: Path) -> None:
    db = tmp_path / "c.anki2"
    _db(db, 3, 2 * anki_zip.CHUNK)
    old = tmp_path / "old.apkg"
    first = _write(db, old, None)
    old.write_bytes(old.read_bytes()[:-1] + b"\0")  # same size, other bytes, other mtime
    os.utime(old, ns=(1, 1))
    _write(db, tmp_path / "p.apkg", first)
    with zipfile.ZipFile(tmp_path / "p.apkg") as z:
        assert z.testzip() is None
