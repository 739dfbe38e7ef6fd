"""The example deck's printed quiz: its key agrees with the quiz cards exported as JSON."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from quizgen.cli import main
from tests.concepts.recompute import RECOMPUTE
from tests.conftest import REPO


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("deck")
    shutil.copytree(REPO / "notes", root / "notes")
    (root / "decks").mkdir()
    spec = (REPO / "decks" / "ml-basics.yaml").read_text(encoding="utf-8")
    (root / "decks" / "ml-basics.yaml").write_text(spec, encoding="utf-8")
    result = CliRunner().invoke(main, ["export", str(root / "decks" / "ml-basics.yaml"),
                                       "--format", "quiz"])
    assert result.exit_code == 0, result.output
    return root / "build"


def _pages(path: Path) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(path).pages]


def test_key_matches_the_quiz_json_and_answers_recompute(build: Path) -> None:
    body = json.loads((build / "ml-basics-quiz.json").read_text(encoding="utf-8"))
    versions = [v["cards"] for v in body["versions"]]
    assert [v["version"] for v in body["versions"]] == ["A", "B"]
    assert len(versions[0]) == len(versions[1]) == 20
    key_text = "".join(_pages(build / "ml-basics-key.pdf"))
    computed = 0
    for version in versions:
        for card in version:
            if "answer" in card:
                computed += 1
                assert card["answer"]["float"] == pytest.approx(
                    RECOMPUTE[card["concept"]](card["params"]), rel=1e-9)
                assert f"{card['answer']['float']:.6g}" in key_text, card["id"]
    assert computed >= 10
    # The two versions ask the same questions in another order, with other numbers.
    a, b = versions
    assert [c["key"] for c in a] != [c["key"] for c in b]
    assert sorted(c["key"] for c in a) == sorted(c["key"] for c in b)
    params_a = {c["key"]: c.get("params") for c in a}
    params_b = {c["key"]: c.get("params") for c in b}
    assert any(params_a[k] != params_b[k] for k in params_a if params_a[k] is not None)


def test_each_version_has_twenty_numbered_questions(build: Path) -> None:
    text = "".join(_pages(build / "ml-basics-quiz.pdf"))
    assert text.count("版本 A") >= 1 and text.count("版本 B") >= 1
    assert "共 20 题" in text
