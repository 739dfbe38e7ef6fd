"""The build cache: hits, misses, damage, and JSON round trips of the model."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from quizgen.atomic import write_atomic
from quizgen.cache import RACY_NS, BuildCache, FileMark, index_note
from quizgen.model import Answer, Choice, Note, Variant
from quizgen.parse import parse_text
from quizgen.serialize import from_data, to_data

NOTE = (
    "**熵 (Entropy)**：不确定性。\n\n$$\nH(X)=-\\sum_x p(x)\\log p(x)\n$$\n"
    "其中 \\(p\\) 为分布。\n"
)


def test_notes_and_variants_survive_a_round_trip_through_disk(tmp_path: Path) -> None:
    note = parse_text(NOTE, "a.md")
    v = Variant("sigmoid", 0, "q", {"x": 1}, Answer("1/(1+exp(-1))", 0.73),
                (Choice("a", "1", True), Choice("b", "2", False, "m")))
    path = tmp_path / "c.sqlite"
    cache = BuildCache(path)
    cache.put_note("a.md", "h1", note)
    cache.put_variants("sigmoid", 5, [v])
    cache.put_file("a.md", FileMark(10, 20, 30, "h1"))
    cache.put_cards_fingerprint("a.md", "fp")
    cache.close()
    again = BuildCache(path)
    assert again.note("a.md", "h1") == note
    assert again.note("a.md", "other-hash") is None
    assert again.notes({"a.md": "h1"}, index=True) == {"a.md": index_note(note)}
    assert again.variants("sigmoid", 5, 1) == [v]
    assert again.variants("sigmoid", 5, 2) is None
    assert again.file("a.md") == FileMark(10, 20, 30, "h1")
    assert again.cards_fingerprint("a.md") == "fp"
    again.close()


def test_a_file_is_trusted_by_its_stat_only_when_it_was_not_racily_new() -> None:
    mark = FileMark(size=10, mtime=5 * RACY_NS, checked=7 * RACY_NS, sha1="h")
    assert mark.matches(10, 5 * RACY_NS)
    assert not mark.matches(11, 5 * RACY_NS) and not mark.matches(10, 5 * RACY_NS + 1)
    # Written within the clock's resolution of being read: an edit in the same tick would
    # leave size and mtime as they were, so the text is read again.
    assert not FileMark(10, 5 * RACY_NS, 5 * RACY_NS + 1, "h").matches(10, 5 * RACY_NS)


def test_damaged_cache_is_a_cold_cache(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    path.write_bytes(b"{not a database" * 100)
    cache = BuildCache(path)
    assert cache.note("a.md", "h") is None and cache.variants("softmax", 1, 1) is None
    cache.put_note("a.md", "h", Note("a.md", "a"))
    cache.close()
    assert BuildCache(path).note("a.md", "h") == Note("a.md", "a")


def test_prune_forgets_deleted_notes(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    cache = BuildCache(path)
    cache.put_note("a.md", "h", Note("a.md", "a"))
    cache.put_note("b.md", "h", Note("b.md", "b"))
    cache.prune({"b.md"})
    cache.close()
    assert BuildCache(path).note("a.md", "h") is None
    assert BuildCache(path).note("b.md", "h") == Note("b.md", "b")


@given(st.text(max_size=200))
def test_any_parsed_note_round_trips_through_json(text: str) -> None:
    note = parse_text(text, "x.md")
    assert from_data(Note, to_data(note)) == note


def test_atomic_write_replaces_whole_and_follows_umask(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    write_atomic(target, b"one")
    write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in tmp_path.iterdir()] == ["out.bin"]
    assert target.stat().st_mode & 0o044  # readable by others, unlike mkstemp's 0600


def test_a_cache_that_cannot_be_written_costs_speed_only(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    cache = BuildCache(blocker / "sub" / "c.sqlite")  # its folder cannot exist
    cache.put_note("a.md", "h", Note("a.md", "a"))
    assert cache.note("a.md", "h") == Note("a.md", "a")
    cache.close()


def test_the_code_fingerprints_cover_every_module_the_stages_import() -> None:
    """A rule changed in a module the parser imports (textrefs, headings …) must invalidate
    the cached notes, or a rebuild would keep what the old rule made."""
    import ast

    from quizgen.cache import _PACKAGE, CARD_CODE, NOTE_CODE

    def imported(folder: str) -> set[str]:
        found = set()
        for path in (_PACKAGE / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = ([node.module or ""] if isinstance(node, ast.ImportFrom)
                         else [a.name for a in node.names] if isinstance(node, ast.Import)
                         else [])
                found |= {n.split(".")[1] for n in names
                          if n.startswith("quizgen.") and n.count(".") >= 1}
        return found

    def covered(code: tuple[str, ...]) -> set[str]:
        return {c.removesuffix(".py") for c in code}

    assert imported("parse") | imported("concepts") <= covered(NOTE_CODE)
    assert imported("generate") <= covered(CARD_CODE)
