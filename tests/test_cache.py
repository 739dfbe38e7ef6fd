"""The build cache: hits, misses, damage, and JSON round trips of the model."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from quizgen.atomic import write_atomic
from quizgen.cache import BuildCache
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
    cache = BuildCache(tmp_path)
    cache.put_note("a.md", "h1", note)
    cache.put_variants("sigmoid", 5, [v])
    cache.save()
    again = BuildCache(tmp_path)
    assert again.note("a.md", "h1") == note
    assert again.note("a.md", "other-hash") is None
    assert again.variants("sigmoid", 5, 1) == [v]
    assert again.variants("sigmoid", 5, 2) is None


def test_damaged_cache_is_a_cold_cache(tmp_path: Path) -> None:
    (tmp_path / "notes.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "variants.json").write_text('{"version": "x", "entries": []}', encoding="utf-8")
    cache = BuildCache(tmp_path)
    assert cache.note("a.md", "h") is None and cache.variants("softmax", 1, 1) is None


def test_prune_forgets_deleted_notes(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path)
    cache.put_note("a.md", "h", Note("a.md", "a"))
    cache.put_note("b.md", "h", Note("b.md", "b"))
    cache.prune({"b.md"})
    cache.save()
    assert BuildCache(tmp_path).note("a.md", "h") is None
    assert BuildCache(tmp_path).note("b.md", "h") == Note("b.md", "b")


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
