"""One term, one definition card across the deck (``quizgen.generate.terms``)."""

from __future__ import annotations

from quizgen.generate import DeckContext, generate
from quizgen.generate.identity import card_id
from quizgen.model import Card, Note
from quizgen.parse import parse_text

CTX = DeckContext("ML", "ML", 7, ("definition", "reverse"))
SHORT = "重参数 (Reparameterization)：一种处理期望形式目标函数的技巧。\n"
FULL = ("重参数 (Reparameterization)：把随机变量写成参数与无关噪声的确定函数，"
        "使梯度可以穿过采样的技巧。\n")


def cards(*notes: Note) -> list[Card]:
    return [c for c in generate(list(notes), CTX, lambda *_: []).cards if c.kind == "definition"]


def test_a_term_defined_in_several_notes_gives_one_card_with_the_fullest_definition() -> None:
    a, b = parse_text(SHORT, "notes/a.md"), parse_text(FULL, "notes/b.md")
    (only,) = cards(a, b)
    assert only.back.startswith("把随机变量写成")
    assert only.extra == "出处：notes/b.md:1；另见：notes/a.md:1"  # where the text comes from
    assert only.source.path == "notes/a.md"  # identity stays with the first note by path


def test_identity_is_kept_when_another_note_defining_the_term_is_added_or_removed() -> None:
    a, b = parse_text(SHORT, "notes/a.md"), parse_text(FULL, "notes/b.md")
    c = parse_text(FULL.replace("技巧", "方法"), "notes/c.md")
    (alone,) = cards(a)
    (two,) = cards(a, b)
    (three,) = cards(a, b, c)
    assert alone.id == two.id == three.id == card_id("ML", "notes/a.md|definition|重参数")
    (without_b,) = cards(a, c)
    assert without_b.id == alone.id


def test_names_shared_through_an_alias_are_one_term() -> None:
    a = parse_text("自监督学习 (Self-Supervised Learning)：从数据自身构造监督信号的学习。\n",
                   "notes/a.md")
    b = parse_text("Self-Supervised Learning (SSL)：learning with labels made from the data.\n",
                   "notes/b.md")
    assert len(cards(a, b)) == 1


def test_no_term_question_when_the_definition_uses_the_term_itself() -> None:
    """Masked, "直接将三维＿＿＿抛入网络" would give the answer away."""
    a = parse_text("点云 (point clouds)：由三维坐标点组成的集合，常把点云直接输入网络训练。\n",
                   "notes/a.md")
    kinds = {c.kind for c in generate([a], CTX, lambda *_: []).cards}
    assert kinds == {"definition"}
    # Used inside its own first clause, the text explains nothing: no card at all.
    b = parse_text("点云 (point clouds)：直接将三维点云抛入网络进行训练的方法。\n", "notes/b.md")
    assert not b.definitions and b.skipped[0].reason == "explains the term with itself"


def test_the_reverse_card_is_asked_with_the_fullest_definition_and_no_name() -> None:
    a = parse_text("自监督学习 (SSL)：从无标注数据中学习表示的方法。\n", "notes/a.md")
    b = parse_text("自监督学习 (Self-Supervised Learning)：不需要人工标注，从数据本身构造"
                   "监督信号，再用代理任务学习通用特征表示的学习方法。\n", "notes/b.md")
    (rev,) = [c for c in generate([a, b], CTX, lambda *_: []).cards if c.kind == "reverse"]
    assert "代理任务" in rev.front
    for name in ("自监督学习", "SSL", "Self-Supervised Learning"):
        assert name not in rev.front


def test_a_step_of_an_algorithm_is_named_with_its_section_and_never_merged() -> None:
    """An HMM note and an EM note both define "M步"; each card says whose step it is and shows
    that note's own definition."""
    from quizgen.generate import DeckContext, generate
    from quizgen.parse import parse_text

    hmm = parse_text("## Baum-Welch 算法\n\n- M步：极大化 Q 函数，调整参数使 Q 函数最大。\n",
                     "hmm.md")
    em = parse_text("## 三硬币模型的 EM 算法\n\n- M步：用后验概率重新估计三枚硬币的参数。\n",
                    "em.md")
    ctx = DeckContext(deck="d", namespace="d", seed=1, kinds=("definition",))
    fronts = sorted((c.front, c.back) for c in generate([hmm, em], ctx, lambda *a: []).cards)
    assert fronts == [
        ("M步 是什么？（Baum-Welch 算法）", "极大化 Q 函数，调整参数使 Q 函数最大。"),
        ("M步 是什么？（三硬币模型的 EM 算法）", "用后验概率重新估计三枚硬币的参数。"),
    ]


def test_a_step_written_with_a_space_is_a_step_too() -> None:
    """"1.  E step：…" under "# 期望最大" (an EM note that writes the steps in English)."""
    from quizgen.generate import DeckContext, generate
    from quizgen.parse import parse_text

    em = parse_text("# 期望最大\n\n1.  E step：计算对数似然在隐变量后验下的期望\n"
                    "2.  M step：计算使这个期望最大化的参数\n", "em.md")
    ctx = DeckContext(deck="d", namespace="d", seed=1, kinds=("definition",))
    assert sorted(c.front for c in generate([em], ctx, lambda *a: []).cards) == [
        "E step 是什么？（期望最大）", "M step 是什么？（期望最大）"]
