"""Hostile note files: YAML bombs in front matter, NUL bytes, odd YAML values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quizgen import safe_yaml
from quizgen.parse import parse_text
from quizgen.parse.reader import decode
from tests.bounded import run_quizgen

BODY = "\n# 熵\n\n熵 (Entropy)：不确定性的度量。\n"


def bomb(levels: int = 8, width: int = 9) -> str:
    """A "billion laughs" front matter: 9**8 ≈ 43 million strings from ~460 bytes."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]" for i in range(1, levels + 1)]
    return "\n".join([*lines, f"title: *a{levels}", "tags: *a3"])


def test_alias_bomb_in_front_matter_is_refused_and_the_body_kept(tmp_path: Path) -> None:
    (tmp_path / "bomb.md").write_text(f"---\n{bomb()}\n---\n{BODY}", encoding="utf-8")
    (tmp_path / "ok.md").write_text(f"---\ntitle: 好\n---\n{BODY}", encoding="utf-8")
    result = run_quizgen("parse", tmp_path, "--json")
    assert result.returncode == 1, result.stderr
    body = json.loads(result.stdout)
    assert [Path(n["path"]).name for n in body["notes"]] == ["bomb.md", "ok.md"]
    assert body["notes"][0]["definitions"][0]["term"] == "熵"
    [error] = body["errors"]
    assert Path(error["path"]).name == "bomb.md" and error["line"] == 2
    assert error["message"].startswith("front matter refused: its aliases")


@pytest.mark.parametrize(
    "yaml_text",
    ["date: 2026-13-45", "date: 2026-02-30 25:61:00", "title: !!int 0x", "title: &a [*a]",
     "tags: &t {a: *t}", "? [a]\n: 1", "title: !!python/object:os.system ls"],
)
def test_front_matter_the_loader_cannot_build_is_one_error(yaml_text: str) -> None:
    note = parse_text(f"---\n{yaml_text}\n---\n{BODY}", "n.md")
    assert [p.severity for p in note.problems] == ["error"]
    assert "front matter" in note.problems[0].message
    assert note.definitions[0].term == "熵"


def test_benign_anchors_still_load() -> None:
    data = safe_yaml.load("base: &b [信息论, 自监督]\ntags: *b\nalso: *b\n")
    assert data["tags"] == ["信息论", "自监督"]


def test_expanded_size_stops_at_the_limit_even_for_cycles() -> None:
    loop: list[object] = []
    loop.append(loop)
    assert safe_yaml.expanded_size(loop, 1000) == 1001
    assert safe_yaml.expanded_size({"a": "xyz"}, 100) == 1 + (1 + 1) + (1 + 3)  # item + chars


def test_nul_byte_after_8_kb_is_removed_with_a_warning_at_its_line() -> None:
    head = "# 熵\n\n" + "正文。\n" * 3000
    text, problem = decode((head + "熵 (Entropy)：不确定\0性。\n").encode("utf-8"), "n.md")
    assert text is not None and "\0" not in text and "不确定性" in text
    assert problem is not None and problem.severity == "warning"
    assert problem.line == head.count("\n") + 1 and "NUL" in problem.message


def test_nul_byte_warning_reaches_the_export(tmp_path: Path) -> None:
    note = tmp_path / "n.md"
    note.write_bytes(("# 熵\n\n" + "正文。\n" * 3000 + "熵 (Entropy)：不确定\0性。\n").encode())
    result = run_quizgen("export", note, "--format", "json", "-o", tmp_path / "o.json")
    assert result.returncode == 0, result.stderr
    assert "n.md:3003: warning: 1 NUL byte removed" in result.stderr
    cards = json.loads((tmp_path / "o.json").read_text("utf-8"))["cards"]
    assert any("不确定性" in c["back"] or "不确定性" in c["front"] for c in cards)


@pytest.mark.parametrize(
    "body",
    [
        "\\(" * 400_000,  # every opener used to search the rest of the note for its closer
        "\\[" * 400_000,
        # every legend entry used to search all the text before it for a separator
        "$$\nx=y\n$$\n\n其中, " + "，".join(f"\\(x_{i}\\) 为 第{i}项" for i in range(16_000)),
    ],
    # short ids: pytest puts the id in PYTEST_CURRENT_TEST, and a 400 KB environment
    # variable makes every subprocess fail with "Argument list too long"
    ids=["inline-openers", "display-openers", "legend-entries"],
)
def test_notes_built_to_be_quadratic_parse_in_bounded_time(tmp_path: Path, body: str) -> None:
    note = tmp_path / "n.md"
    note.write_text("# T\n\n" + body + "\n", encoding="utf-8")
    result = run_quizgen("parse", note, "--json", timeout=60)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_utf16_and_utf32_are_named_as_such(encoding: str) -> None:
    text, problem = decode(BODY.encode(encoding), "n.md")
    assert text is None and problem is not None
    assert problem.message.startswith(f"{encoding.upper()} text") and "UTF-8" in problem.message


def test_utf8_with_a_byte_order_mark_is_read() -> None:
    assert decode(BODY.encode("utf-8-sig"), "n.md") == (BODY, None)


def test_deeply_nested_groups_are_read_in_linear_time(tmp_path: Path) -> None:
    """Concept recognition looked for every \\frac's groups by scanning them anew: 20,000
    nested \\frac took ten minutes; each formula's groups are now matched in one pass."""
    note = tmp_path / "n.md"
    nested = "\\frac{" * 100_000 + "x" + "}" * 100_000
    note.write_text(f"# 分式\n\n分式 (Frac)：定义为：\n\n$$\n{nested}\n$$\n", encoding="utf-8")
    result = run_quizgen("parse", note, "--json", timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["notes"][0]["formulas"][0]["display"]


def test_a_paragraph_of_many_emphasised_words_parses_in_bounded_time(tmp_path: Path) -> None:
    """Each emphasised term looked for its sentence's start from the paragraph's beginning:
    30 KB of ``*a `` took 22 s; 600 KB would take hours."""
    note = tmp_path / "n.md"
    note.write_text("# T\n\n" + "*a " * 200_000 + "\n", encoding="utf-8")
    result = run_quizgen("parse", note, "--json", timeout=60)
    assert result.returncode == 0, result.stderr


def test_sentence_start_is_the_last_end_in_the_text_before() -> None:
    import random

    from quizgen.parse.definitions import _SENTENCE_END, _sentence_start

    def scan(text: str, pos: int) -> int:  # the definition
        best = 0
        for m in _SENTENCE_END.finditer(text, 0, pos):
            best = m.end()
        return best

    rng = random.Random(5)
    pieces = ["。", "!", "![", ".", " ", "\n", "\n\n", "a", "Eq", "e.g", " \t", "\u3000", "x.",
              "?", "\n \n", "Fig."]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 16)))
        assert [_sentence_start(text, p) for p in range(len(text) + 1)] == [
            scan(text, p) for p in range(len(text) + 1)], text
