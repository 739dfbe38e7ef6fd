"""Phrases that point outside a card (``quizgen.textrefs``)."""

from __future__ import annotations

import pytest

from quizgen.textrefs import points_back, points_outside


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("如上图所示，损失下降。", "如上图"),
        ("行为策略采用均匀分布(图7.4(c))。", "图7.4"),  # a Q-learning experiment write-up
        ("行为策略采用均匀分布 (图 )。", "(图 )"),  # the same, its number in math, left out
        ("see Fig. 3 for the curve", "Fig. 3"),
        ("the figure above shows it", "the figure above"),
        ("图神经网络在图上传播信息。", None),
        ("如上所述，似然函数为连乘。", "如上所述"),  # an MLE note's worked example
        ("度量不确定性的量 ![图3](a.png)。", None),  # the image is on the card
        ("下面的公式：\\[x\\]", None),  # points at the formula right after it
        # an entropy note explains its Venn diagram
        ("是信息熵的交集，即中间重合的部分就是 I(X,Y)。", "中间重合的部分"),
        ("左边的椭圆代表 H(X)", "左边的椭圆"),
        ("the shaded region is the mutual information", "shaded region"),
        ("左边的式子除以右边", None),
        # "上表现" is "performs on", "下表示" is "under … denotes", not a table
        ("模型在训练集上表现很好、在测试集上表现差的现象", None),
        ("在这种情况下表示为向量，可以如下表示为：", None),
        ("如下表所示，准确率更高。", "如下表"),
        # an MDP note: the discount factor's explanation is in a course
        ("γ∈ [0, 1]，它的引入有很多理由，其中某课程对其进行了非常有趣的数学解释。",
         "课程对其进行了"),
        # a policy-iteration item: "有两部分组成，下面两个步骤一直在迭代进行"
        ("一种迭代方法，下面两个步骤一直在迭代进行", "下面两个步骤"),
    ],
)
def test_points_outside(text: str, found: str | None) -> None:
    assert points_outside(text) == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("随着投掷次数的增加，这个估计值会越来越接近真实的潜在概率", "这个估计值"),
        ("基于上述假设的语言模型", "上述假设的"),
        ("the model improves as these estimates converge", "these estimates"),
        ("用某一位置相邻区域的统计特征代替网络在该位置的输出", None),  # named before
        ("从数据构造标签，再用这些伪标签学习表示", None),  # "标签" is named before
        ("因此模型收敛；此时学习率应该减小", None),  # 因此, 此时, 应该: no pointer
        ("a model of text. This model assigns", None),
    ],
)
def test_points_back(text: str, found: str | None) -> None:
    assert points_back(text) == found
