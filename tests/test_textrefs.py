"""Phrases that point outside a card (``quizgen.textrefs``)."""

from __future__ import annotations

import pytest

from quizgen.textrefs import points_outside


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("如上图所示，损失下降。", "如上图"),
        ("行为策略采用均匀分布(图7.4(c))。", "图7.4"),  # a Q-learning experiment write-up
        ("行为策略采用均匀分布 (图 )。", "(图 )"),  # the same, its number in math, left out
        ("see Fig. 3 for the curve", "Fig. 3"),
        ("the figure above shows it", "the figure above"),
        ("图神经网络在图上传播信息。", None),
        ("度量不确定性的量 ![图3](a.png)。", None),  # the image is on the card
        ("下面的公式：\\[x\\]", None),  # points at the formula right after it
    ],
)
def test_points_outside(text: str, found: str | None) -> None:
    assert points_outside(text) == found
