"""A note read without the parser (``pipeline._read``) reads as the parser's reader reads it."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from quizgen.parse.reader import read
from quizgen.pipeline import _read

PIECES = [b"# \xe6\xa0\x87\xe9\xa2\x98\n", b"text ", b"\n", b"\r\n", b"\r", b"\0", b" ", b"\t",
          b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xe4\xb8", b"\x80",
          "互信息：度量。".encode()]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12))
def test_a_note_reads_as_the_parsers_reader_reads_it(pieces: list[bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "n.md"
        path.write_bytes(b"".join(pieces))
        assert _read(path, "n.md") == read(path, "n.md")


def test_a_missing_note_reads_as_the_parsers_reader_reads_it(tmp_path: Path) -> None:
    assert _read(tmp_path / "gone.md", "gone.md") == read(tmp_path / "gone.md", "gone.md")
