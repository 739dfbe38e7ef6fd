"""Read a note file defensively: size, binary content and encoding problems become Problems."""

from __future__ import annotations

import codecs
from pathlib import Path

from quizgen.model import Problem

MAX_BYTES = 2 * 1024 * 1024  # far above any real note; keeps one stray dump from stalling a build
# Byte-order marks of other encodings (UTF-32 first: its LE mark begins with UTF-16's).
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes, path: str) -> tuple[str | None, Problem | None]:
    """Text of a note, or ``None`` and the reason it cannot be read as one.

    Notes are UTF-8, with or without a byte-order mark; UTF-16/32 text is named as such. A NUL
    byte in the first 8 KB means a binary file; one further on (a damaged text file) is removed
    with a warning, which is returned together with the text.
    """
    if not data.strip():
        return None, Problem(path, 1, "empty file: nothing to parse")
    if len(data) > MAX_BYTES:
        mb = len(data) / 1024 / 1024
        return None, Problem(path, 1, f"file is {mb:.1f} MB; notes over 2 MB are skipped")
    wide = next((enc for bom, enc in _WIDE_BOMS if data.startswith(bom)), None)
    if wide is not None:  # what Windows editors call "Unicode"; its NULs would read as binary
        return None, Problem(path, 1, f"{wide.upper()} text (byte-order mark {data[:2].hex()}); "
                             "save the file as UTF-8")
    nul = data.find(b"\0", 0, 8192)
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        return None, Problem(path, line, "binary file (NUL byte): not a Markdown note")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start]
        return None, Problem(
            path, line, f"not UTF-8 (byte 0x{byte:02x}); save the file as UTF-8"
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\0" in text:
        line = text.count("\n", 0, text.index("\0")) + 1
        count = text.count("\0")
        return text.replace("\0", ""), Problem(
            path, line, f"{count} NUL byte{'s' * (count != 1)} removed (first on this line)",
            "warning",
        )
    return text, None


def read(path: Path, display: str) -> tuple[str | None, Problem | None]:
    """Read and decode ``path`` (see :func:`decode`); OS errors are reported, never raised."""
    try:
        with path.open("rb") as f:
            data = f.read(MAX_BYTES + 1)
            if len(data) > MAX_BYTES:
                size = f.seek(0, 2)
                return None, Problem(
                    display, 1, f"file is {size / 1024 / 1024:.1f} MB; notes over 2 MB are skipped"
                )
    except OSError as exc:
        return None, Problem(display, 1, f"cannot read file: {exc.strerror or exc}")
    return decode(data, display)
