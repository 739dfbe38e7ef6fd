"""Per-note mod times between builds, kept in a SQLite file updated in place."""

from __future__ import annotations

import json
from pathlib import Path

from quizgen.export import anki_state
from quizgen.export.anki_state import Source, Stamp, open_state, read_legacy


def test_mod_changes_only_with_content(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    st = open_state(path)
    assert st.stamp("g", "k", "h1", 100)[0].mod == 100
    st.commit()
    st.close()
    st = open_state(path)
    assert st.stamp("g", "k", "h1", 200) == (Stamp("k", "h1", 100), False)
    assert st.stamp("g", "k", "h2", 300)[0].mod == 300
    # A clock behind the last build still yields a strictly newer mod.
    assert st.stamp("g", "k", "h3", 50) == (Stamp("k", "h3", 301), True)
    st.close()


def test_damaged_or_foreign_state_is_an_empty_state(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    for junk in (b"not a database at all, but long enough" * 50, b""):
        path.write_bytes(junk)
        st = open_state(path)
        assert st.all_notes() == {} and st.models == {}
        st.close()
        path.unlink()


def test_only_touched_rows_are_written_and_everything_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    st = open_state(path)
    st.render, st.cache, st.package = "r1", (10, 20), {"zip": {"chunks": []}}
    st.media = {"qg-a.png": Source("/n/a.png", 3, 4)}
    st.stamp("g", "k", "h", 1)
    st.touch("g", Stamp("k", "h", 1, "in", ("qg-a.png",), "notes/a.md", 7))
    st.stamp("orphan", "k2", "h2", 2)
    st.stamp_model("1", "Basic", "mh", 5)
    st.commit()
    st.close()
    back = open_state(path)
    assert (back.render, back.cache, back.package) == ("r1", (10, 20), {"zip": {"chunks": []}})
    assert back.media == {"qg-a.png": Source("/n/a.png", 3, 4)}
    assert back.all_notes() == {"g": Stamp("k", "h", 1, "in", ("qg-a.png",), "notes/a.md", 7),
                                "orphan": Stamp("k2", "h2", 2)}
    assert back.models == {"1": Stamp("Basic", "mh", 5)}
    assert back.orphans() == ["k2"] and back.groups() == {"notes/a.md": True}
    assert back.guids_showing("qg-a.png") == {"g"} and back.groups_showing(["qg-a.png"]) == {
        "notes/a.md"}
    back.close()


def test_json_state_files_of_versions_1_and_2_are_read(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    v1 = {"version": 1, "models": {"7": {"key": "m", "hash": "x", "mod": 3}},
          "notes": {"g": {"key": "k", "hash": "h", "mod": 9}, "bad": {"mod": "x"}}}
    path.write_text(json.dumps(v1))
    assert read_legacy(path) == ({"g": Stamp("k", "h", 9)}, {"7": Stamp("m", "x", 3)})
    good = {"id": ["g"], "key": ["k"], "hash": ["h"], "mod": [1], "inputs": [""]}
    path.write_text(json.dumps({"version": 2, "notes": good, "cache": [1, "x"]}))
    assert read_legacy(path) == ({"g": Stamp("k", "h", 1)}, {})
    for bad in ({**good, "mod": [True]}, {**good, "id": ["g", "h"]}, {**good, "key": [1]}, []):
        path.write_text(json.dumps({"version": 2, "notes": bad}))
        assert read_legacy(path) == ({}, {})
    for text in ("{", "[]", '{"version": 99}'):
        path.write_text(text)
        assert read_legacy(path) == ({}, {})


def test_migration_keeps_every_mod_and_removes_the_json_file(tmp_path: Path) -> None:
    legacy = tmp_path / "d.apkg.quizgen-state.json"
    legacy.write_text(json.dumps({"version": 1, "models": {},
                                  "notes": {"g": {"key": "k", "hash": "h", "mod": 9}}}))
    st = open_state(anki_state.default_path(tmp_path / "d.apkg"), legacy)
    assert st.all_notes() == {"g": Stamp("k", "h", 9)} and not legacy.exists()
    st.close()
    # A damaged JSON file is left where it is (nothing was migrated from it).
    legacy.write_text("{")
    other = anki_state.default_path(tmp_path / "e.apkg")
    open_state(other, legacy).close()
    assert legacy.exists()
