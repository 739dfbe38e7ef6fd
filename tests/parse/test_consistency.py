"""A note that writes one quantity with two opposite signs gets no card for either."""

from __future__ import annotations

from quizgen.parse import parse_text

# jhl13's perceptron note, lines 21-28: the loss "定义为" without its minus sign, then minimised
# with it.
PERCEPTRON = (
    "感知机学习的损失函数定义为\n\n$$L(w, b)=\\sum\\limits_{x_i\\in M}^{}y_i(w\\cdot{x_i}+b)$$\n\n"
    "**感知机算法的原始形式**\n$\\min\\limits_{w,b}L(w,b)=-\\sum\\limits_{x_i\\in M}^{}"
    "y_i(w\\cdot{x_i}+b)$\n")


def test_opposite_signs_make_neither_formula_key() -> None:
    note = parse_text(PERCEPTRON, "p.md")
    assert [f.key for f in note.formulas] == [False, False]
    assert any(s.what == "formula" and "opposite signs at lines 3 and 6" in s.reason
               for s in note.skipped)


def test_the_same_sign_twice_is_no_contradiction() -> None:
    note = parse_text(PERCEPTRON.replace("=-\\sum", "=\\sum"), "p.md")
    assert note.formulas[0].key
    assert not any("opposite signs" in s.reason for s in note.skipped)


def test_a_negation_in_brackets_is_found_and_other_left_sides_are_not() -> None:
    text = ("交叉熵损失定义为\n\n$$H(p, q) = \\sum_x p(x) \\log q(x)$$\n\n"
            "也就是\n\n$$H(p,q)=-\\left(\\sum_x p(x)\\log q(x)\\right)$$\n\n"
            "熵定义为\n\n$$H(p) = -\\sum_x p(x) \\log q(x)$$\n")
    note = parse_text(text, "h.md")
    flagged = {s.source.line for s in note.skipped if "opposite signs" in s.reason}
    assert flagged <= {3, 7} and 3 in flagged
    assert note.formulas[2].key
