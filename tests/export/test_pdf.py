"""Quiz, answer key and study sheet PDFs, read back with pypdf and rendered with pypdfium2."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pypdfium2
import pytest
from pypdf import PdfReader

from quizgen.export.pdf import PdfReport, write_quiz, write_sheet
from quizgen.model import (
    Answer,
    Card,
    Choice,
    Cloze,
    Definition,
    Formula,
    Note,
    SourceRef,
    Symbol,
)

MI_TEXT = "表示两个变量之间的关系，衡量一个变量包含另一个变量的信息量"
HOSTILE = '#read("/etc/passwd") 与 $x$ 与 2 * 3 * 4 与 @ref 与 <b> // 注释 [c] = d \\ e'


def _card(kind: str, key: str, front: str, back: str, line: int, **extra: object) -> Card:
    return Card(
        id=key, key=key, kind=kind, deck="ML", tags=(), front=front, back=back,
        source=SourceRef("notes/info.md", line), **extra,  # type: ignore[arg-type]
    )


def _choice(version: int) -> Card:
    values = ["0.5", "0.25", "1", "2"]
    correct = version % 4
    return _card(
        "choice", "choice|softmax",
        "\\(\\mathrm{softmax}(z)_1\\) 的值是多少？其中 \\(z=(\\ln 1, \\ln 1)\\)",
        "", 5,
        choices=tuple(
            Choice(f"\\({v}\\)", v, i == correct) for i, v in enumerate(values)
        ),
        answer=Answer("1/2", 0.5),
    )


def _variant(version: int) -> Card:
    p = [0.5, 0.25][version]
    h = -(p * __import__("math").log(p) + (1 - p) * __import__("math").log(1 - p))
    exact = ["log(2)", "-log(3)*3/4 + log(4)"][version]
    return _card(
        "variant", f"variant|entropy|{version}",
        f"伯努利分布 \\(p={p}\\) 的熵 \\(H(p)\\) 是多少（单位 nat）？", "", 12,
        answer=Answer(exact, h), concept="entropy",
    )


def _versions() -> list[list[Card]]:
    definition = _card("definition", "def|mi", "互信息 (Mutual Information) 是什么？", MI_TEXT, 3)
    recall = _card(
        "recall", "recall|kl", "写出 KL 散度的定义式。",
        "\\[D_{KL}(p\\|q)=\\sum_x p(x)\\log\\frac{p(x)}{q(x)}\\]", 20,
    )
    cloze = _card(
        "cloze", "cloze|ce", "补全公式（交叉熵）：\\[H(p,q)=-\\sum_i \\boxed{?}\\]",
        "\\[H(p,q)=-\\sum_i p_i\\log q_i\\]", 30,
        cloze=Cloze("H(p,q)=-\\sum_i ", "p_i\\log q_i", ""),
    )
    hostile = _card("definition", "def|hostile", f"{HOSTILE} 是什么？", HOSTILE, 40)
    return [
        [_choice(0), definition, _variant(0), recall, cloze, hostile],
        [hostile, cloze, _variant(1), _choice(1), recall, definition],
    ]


def _text(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def _ink(path: Path) -> int:
    """Non-white pixels on page 1 rendered in grey."""
    page = pypdfium2.PdfDocument(path)[0]
    bitmap = page.render(scale=0.5, grayscale=True)
    return sum(1 for b in bytes(bitmap.buffer) if b < 200)


@pytest.fixture(scope="module")
def quiz(tmp_path_factory: pytest.TempPathFactory) -> tuple[PdfReport, Path, Path]:
    out = tmp_path_factory.mktemp("quiz")
    report = write_quiz(_versions(), out / "quiz.pdf", out / "key.pdf", title="信息论测验")
    return report, out / "quiz.pdf", out / "key.pdf"


def _version_pages(pages: list[str]) -> dict[str, str]:
    """Page text joined per version, found by the "版本 X" header each version starts with."""
    out: dict[str, str] = {}
    current = ""
    for text in pages:
        m = re.search(r"版本\s*([A-Z])", text)
        if m and m.group(1) not in out:
            current = m.group(1)
        out[current] = out.get(current, "") + text
    return out


def test_each_version_has_its_numbered_questions(quiz: tuple[PdfReport, Path, Path]) -> None:
    report, quiz_path, _ = quiz
    versions = _version_pages(_text(quiz_path))
    assert sorted(versions) == ["A", "B"]
    for text in versions.values():
        numbers = [int(n) for n in re.findall(r"(?m)^\s*(\d+)\.\s*$|(?<!\S)(\d+)\.(?=\s)", text)
                   for n in n if n]
        assert sorted(set(numbers) & set(range(1, 10))) == [1, 2, 3, 4, 5, 6]
    assert report.pages >= 3
    assert report.fallbacks == ()


def test_chinese_definition_is_extractable(quiz: tuple[PdfReport, Path, Path]) -> None:
    _, quiz_path, key_path = quiz
    assert "互信息" in "".join(_text(quiz_path))
    assert MI_TEXT[:12] in "".join(_text(key_path)).replace("\n", "")


def test_key_has_every_answer(quiz: tuple[PdfReport, Path, Path]) -> None:
    _, _, key_path = quiz
    key = _version_pages(_text(key_path))
    for label, cards in zip("AB", _versions(), strict=True):
        text = key[label]
        for card in cards:
            if card.answer is not None:
                assert f"{card.answer.float:.6g}" in text
            letters = [i for i, c in enumerate(card.choices) if c.correct]
            if letters:
                n = cards.index(card) + 1
                assert re.search(rf"{n}\.\s*{'ABCD'[letters[0]]}", text), (label, n)
            assert f"notes/info.md:{card.source.line}" in text


def test_versions_differ(quiz: tuple[PdfReport, Path, Path]) -> None:
    _, quiz_path, key_path = quiz
    quiz_v = _version_pages(_text(quiz_path))
    key_v = _version_pages(_text(key_path))
    assert quiz_v["A"].replace("A", "") != quiz_v["B"].replace("B", "")
    assert "0.562335" in key_v["B"] and "0.562335" not in key_v["A"]


def test_untrusted_text_prints_literally(quiz: tuple[PdfReport, Path, Path]) -> None:
    _, quiz_path, key_path = quiz
    for path in (quiz_path, key_path):
        text = "".join(_text(path))
        pieces = ('#read("/etc/passwd")', "$x$", "2 * 3 * 4", "@ref", "<b>", "// 注释", "[c] = d")
        for piece in pieces:
            assert piece in text, (path.name, piece)
        assert "root:" not in text


def test_first_pages_are_not_blank(quiz: tuple[PdfReport, Path, Path]) -> None:
    # A blank page has no ink at all; a header plus a few questions has well over 1,000 dark
    # pixels at this scale, whichever CJK font the machine provides.
    _, quiz_path, key_path = quiz
    assert _ink(quiz_path) > 1000
    assert _ink(key_path) > 1000


def test_same_input_same_bytes(tmp_path: Path, quiz: tuple[PdfReport, Path, Path]) -> None:
    _, quiz_path, key_path = quiz
    write_quiz(_versions(), tmp_path / "q.pdf", tmp_path / "k.pdf", title="信息论测验")

    def digest(p: Path) -> str:
        return hashlib.sha256(p.read_bytes()).hexdigest()

    assert digest(tmp_path / "q.pdf") == digest(quiz_path)
    assert digest(tmp_path / "k.pdf") == digest(key_path)
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".tmp"]


def test_bad_formula_falls_back_without_stopping(tmp_path: Path) -> None:
    front = "写出 \\(\\foo{x}\\) 与 \\(\\frac{a}{\\)。"
    bad = _card("recall", "recall|bad", front, "\\(\\bar{x}\\)", 9)
    report = write_quiz([[bad]], tmp_path / "q.pdf", tmp_path / "k.pdf", title="T")
    assert set(report.fallbacks) == {"\\foo{x}", "\\frac{a}{"}
    assert "\\foo{x}" in "".join(_text(tmp_path / "q.pdf"))
    assert report.problems and all(p.severity == "warning" for p in report.problems)


def _notes() -> list[Note]:
    src = SourceRef("notes/info.md", 3)
    mi = Formula(
        "I(X;Y)=\\sum_{x\\in X}\\sum_{y\\in Y}p(x,y)\\log\\frac{p(x|y)}{p(x)}", True, src,
        tag="1", context="互信息",
        symbols=(Symbol("p(x,y)", "联合分布"), Symbol("p(x)", "边缘分布")),
    )
    softmax = Formula("\\mathrm{softmax}(z_i)=\\frac{e^{z_i}}{\\sum_j e^{z_j}}", True, src)
    return [
        Note(
            "notes/info.md", "信息论", category="基础",
            definitions=(Definition("互信息", ("Mutual Information",), MI_TEXT, src),),
            formulas=(mi, Formula("x", False, src)),
        ),
        Note("notes/softmax.md", "Softmax", category="激活函数", formulas=(softmax,),
             definitions=(Definition("Softmax", (), HOSTILE, src),)),
    ]


def test_sheet(tmp_path: Path) -> None:
    path = tmp_path / "sheet.pdf"
    report = write_sheet(_notes(), path, title="公式速查")
    text = "".join(_text(path))
    assert MI_TEXT[:12] in text.replace("\n", "")
    assert "联合分布" in text and "(1)" in text and '#read("/etc/passwd")' in text
    assert report.formulas == 4 and report.fallbacks == ()
    assert _ink(path) > 500
