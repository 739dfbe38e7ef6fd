"""Per-note mod times between builds."""

from __future__ import annotations

import json
from pathlib import Path

from quizgen.export import anki_state


def test_mod_changes_only_with_content(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    st = anki_state.load(path)
    assert st.stamp(st.notes, "g", "k", "h1", 100) == (100, True)
    anki_state.save(st, path)
    st = anki_state.load(path)
    assert st.stamp(st.notes, "g", "k", "h1", 200) == (100, False)
    assert st.stamp(st.notes, "g", "k", "h2", 300) == (300, True)
    # A clock behind the last build still yields a strictly newer mod.
    assert st.stamp(st.notes, "g", "k", "h3", 50) == (301, True)


def test_damaged_or_foreign_state_is_an_empty_state(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    for text in ("{", "[]", '{"version": 99}', '{"version": 1, "notes": {"g": {"mod": "x"}}}'):
        path.write_text(text)
        assert anki_state.load(path).notes == {}


def test_save_is_sorted_and_stable(tmp_path: Path) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    st = anki_state.State()
    st.stamp(st.notes, "z", "kz", "h", 1)
    st.stamp(st.notes, "a", "ka", "h", 1)
    anki_state.save(st, a)
    anki_state.save(anki_state.load(a), b)
    assert a.read_bytes() == b.read_bytes()
    assert a.read_text().index('"a"') < a.read_text().index('"z"')


def test_cache_description_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    st = anki_state.State(render="r1", cache=(10, 20),
                          media={"qg-a.png": anki_state.Source("/n/a.png", 3, 4)})
    st.stamp(st.notes, "g", "k", "h", 1)
    st.notes["g"].inputs, st.notes["g"].media = "in", ("qg-a.png",)
    st.stamp(st.notes, "orphan", "k2", "h2", 2)
    anki_state.save(st, path)
    back = anki_state.load(path)
    assert back == st


def test_damaged_columns_are_an_empty_table(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    good = {"id": ["g"], "key": ["k"], "hash": ["h"], "mod": [1], "inputs": [""]}
    for bad in ({**good, "mod": [True]}, {**good, "id": ["g", "h"]}, {**good, "key": [1]},
                {**good, "media": {"g": [1]}}, {**good, "inputs": None}, []):
        path.write_text(json.dumps({"version": 2, "notes": bad}))
        assert anki_state.load(path).notes == {}
    path.write_text(json.dumps({"version": 2, "notes": good, "cache": [1, "x"]}))
    assert set(anki_state.load(path).notes) == {"g"} and anki_state.load(path).cache is None
