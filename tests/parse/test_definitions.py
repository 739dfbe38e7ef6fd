"""Definition text edge cases."""

from __future__ import annotations

import pytest

from quizgen.parse import parse_file, parse_text
from tests.conftest import FIXTURES


def assert_left_out(text: str, why: str) -> None:
    """``text`` gives no definition, and ``quizgen check`` says why (``why`` is in the reason)."""
    note = parse_text(text, "a.md")
    assert note.definitions == ()
    assert any(why in s.reason for s in note.skipped), note.skipped


def test_an_image_inside_a_definition_does_not_end_it() -> None:
    text = "衡量不确定性的量，见图 ![示意](in.png) 后面还有文字。"
    note = parse_text(f"**熵 (Entropy)**：{text}\n", "a.md")
    assert note.definitions[0].text == text


def test_exclamation_still_ends_a_sentence() -> None:
    note = parse_text("**熵 (Entropy)**：不确定性的度量! 下一句不是定义。\n", "a.md")
    assert note.definitions[0].text == "不确定性的度量!"


# Shapes from real Chinese notes (an OMSCS machine-learning blog; our own wording here): the
# sentence naming the term explains a symbol of the formula above it.
@pytest.mark.parametrize(
    "text",
    [
        "$$\nP(A \\mid B)=\\frac{P(B\\mid A)P(A)}{P(B)}\n$$\n\n"
        "其中条件概率 $P(A \\mid B)$ 也被称为**后验概率(posterior probability)**。\n",
        "$$\nU_{t+1}(s)=R(s)+\\gamma\\max_a\\sum_{s'}T(s,a,s')U_t(s')\n$$\n\n"
        "式中 $U_t(s)$ 为 $t$ 时刻状态 $s$ 的效用。"
        "这样的迭代过程称为**价值迭代(value iteration)**。\n",
    ],
    ids=["legend-names-the-term", "legend-before-the-naming-sentence"],
)
def test_a_symbol_legend_is_not_the_definition_of_a_term(text: str) -> None:
    note = parse_text(f"# 笔记\n\n{text}", "a.md")
    assert note.definitions == ()
    assert any(s.what == "definition" for s in note.skipped)


def test_a_pronoun_for_the_term_does_not_open_its_answer() -> None:
    """"**贝尔曼方程**：其定义了…" (a Chinese RL tutorial's glossary): 其 is the term itself."""
    note = parse_text(
        "**贝尔曼方程（Bellman equation）**：其定义了当前状态与未来状态的迭代关系。\n", "a.md"
    )
    assert note.definitions[0].text == "定义了当前状态与未来状态的迭代关系。"


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        # a Chinese RL tutorial's glossary; a multi-armed bandit post (English)
        ("**逆课程学习（reverse curriculum learning）**："
         "相较于课程学习，逆课程学习为更广义的方法。", False),
        ("**No exploration**: the most naive approach and a bad one.", False),
        ("**Bagging**: a simple method that averages the predictions of many trees.", True),
        ("**Adam**：相较于 SGD，Adam 为每个参数维护一阶和二阶矩的估计。", True),
    ],
)
def test_a_judgement_or_comparison_is_not_a_definition(line: str, kept: bool) -> None:
    assert bool(parse_text(line + "\n", "a.md").definitions) is kept


@pytest.mark.parametrize(
    ("paragraph", "text"),
    [
        # d2l-zh softmax-regression.md:114: the sentence before is an example ("例如，…"),
        # one instance of the property rather than what it is
        ("此外，我们需要一个目标函数。例如，在分类器输出0.5的所有样本中，我们希望这些样本"
         "刚好有一半实际上属于预测的类别。这个属性叫做*校准*（calibration）。", None),
        # a Gaussian-process note: "例如我们做线性回归…。这种方法叫做**参数化的方法**。"
        ("通常我们先定义函数的参数，再学习它们。例如我们做线性回归，学习这样一个函数就相当于"
         "训练回归参数（权重、偏置）。这种方法叫做**参数化的方法**。", None),
        # the same note's shape when the sentence before says what the method does
        ("首先定义函数的参数，然后根据训练数据来学习这个函数的参数。这种方法叫做"
         "**参数化的方法**。", "首先定义函数的参数，然后根据训练数据来学习这个函数的参数"),
        # d2l-zh mlp.md:64: the sentence before is a way of looking at the architecture
        ("最简单的方法是将许多全连接层堆叠在一起。我们可以把前几层看作表示，把最后一层看作"
         "线性预测器。这种架构通常称为*多层感知机*（multilayer perceptron）。", None),
    ],
)
def test_a_naming_sentence_takes_the_sentence_before_only_when_it_says_what(
    paragraph: str, text: str | None
) -> None:
    defs = parse_text(paragraph + "\n", "a.md").definitions
    assert [d.text for d in defs] == ([text] if text else [])


# Shapes from real notes (an English GAN lecture note, Chinese decision-tree, Transformer and
# optimiser notes; our own wording here): a bold or colon label followed by a point.
@pytest.mark.parametrize(
    "text",
    [
        "**Key Insight:** GANs learn a test statistic with a neural network.\n",
        "**Derivation:** The discriminator's objective is to maximize the log-likelihood.\n",
        "**Vanishing gradient**: We see that the derivative is almost always below one.\n",
        "- **Learning Rate Balance**: The learning rates of both nets must be balanced.\n",
        "- **Update Frequency**: Often the discriminator is updated several times.\n",
        "- 预剪枝：减少训练时间，但有欠拟合风险。\n",
        "- 训练阶段：解码器会有输入，这个输入是目标语句。\n",
        "**定理（Theorem）：** 设 $f$ 是一个凸函数，且设 $X$ 是一个随机变量。\n",
        "## Causes of Instability\n\n- **Minimax Nature**: The adversarial game creates competing"
        " objectives.\n- **Mode Collapse**: The generator produces few distinct samples.\n",
        "## 为什么 Decoder 需要做 Mask\n\n- 掩码：遮住未来位置，使解码器只看到已生成的词。\n",
    ],
)
def test_a_label_and_a_point_is_not_a_definition(text: str) -> None:
    note = parse_text(f"# 笔记\n\n{text}", "a.md")
    assert note.definitions == ()
    assert any(s.what == "definition" for s in note.skipped)


@pytest.mark.parametrize(
    "text",
    [
        "- **Forget Gate**: The forget gate \\(f_t\\) controls how much is removed.\n",
        "- **Noise Model**: A model that outputs pure noise might assign some likelihood.\n",
        "- **Forward KL**: minimising \\(D(p\\|q)\\) over \\(q\\) is mass-covering.\n",
        "- **Generator**: Minimizes a two-sample test objective.\n",
        "- **SGD-M**：引入了动量，加速 SGD 在正确方向的下降并抑制震荡。\n",
    ],
)
def test_a_label_whose_text_is_about_the_term_is_a_definition(text: str) -> None:
    assert len(parse_text(f"# 笔记\n\n{text}", "a.md").definitions) == 1


# Shapes from real Chinese notes (a model-evaluation note, a Q-learning note, a lecture-notes
# write-up of logistic regression; our own wording here).
@pytest.mark.parametrize(
    "text",
    [
        "**回归任务**最常用的性能度量是均方误差。\n",  # a property of the term, not what it is
        "**交叉熵**的描述：这里把两个输出各自看做一个两点分布，它们的交叉熵之和就是"
        "要最小化的对象。\n",
        "实际上它们用的*模型*（function set）是一模一样的，都是同一个函数。\n",
        "- 基准真值(ground truth)：为验证算法的有效性，首先需要获知最优策略的基准真值。\n",
        "**定理1**：对于给定的数据集，ROC 空间和 PR 空间一一对应。\n",
        "**怎么理解**：我们都知道 AUC 是 ROC 曲线下方的面积。\n",
    ],
)
def test_a_remark_about_the_term_is_not_its_definition(text: str) -> None:
    assert parse_text(f"# 笔记\n\n{text}", "a.md").definitions == ()


def test_a_naming_sentence_takes_only_the_clause_that_names_the_term() -> None:
    """"我们通常把…称为测试数据，为了加以区分，…的数据集常称为验证集" names two things."""
    note = parse_text(
        "我们通常把模型在实际使用中遇到的数据称为测试数据，为了加以区分，模型选择中用于评估的"
        "数据集常称为“**验证集**”（validation set）。\n",
        "a.md",
    )
    assert [(d.term, d.text) for d in note.definitions] == [
        ("验证集", "模型选择中用于评估的数据集")]


# Shapes from real Chinese notes (an n-gram language-model note, a Q-learning experiment
# write-up, a DDPM note, a word2vec note; our own wording here).
@pytest.mark.parametrize(
    "text",
    [
        "当高阶序列出现零频率时，**回退（backoff）**法依次使用更低阶的序列。\n",  # 回退法
        "我们不采用原始概率，而是采用一个称为**困惑度（perplexity）**的变量。\n",
        "- 不同初始值的影响(different initial values)：算法性能取决于行动值的初始估计值。\n",
        "- 未知词(unknown word)：但在另一些情况下我们不得不处理没有出现过的词。\n",
        "- 加 k 平滑(add-k smoothing)：对于一些任务有用，但在语言模型上依然表现不好。\n",
        "- 体裁：例如建立一个法律文件的翻译模型，则训练语料必须由法律文件组成。\n",
        "1. 概率：将得分经过 softmax 得到每个词的概率。\n",
        "**冷知识**：LSTM 可以被理解为比较长的短期记忆。\n",
        "**Formally**: train a classifier for each class to predict its probability.\n",
        "因此我们需要让训练集与测试集有相似的：\n\n- 方言：处理社交媒体贴文时尤为重要。\n",
        "Word2vec 包括两个模型：CBOW 和 Skip-Gram。\n",  # a word2vec note
    ],
)
def test_no_definition_from_a_label_a_fragment_or_an_aside(text: str) -> None:
    assert parse_text(f"# 笔记\n\n{text}", "a.md").definitions == ()


def test_a_term_with_another_name_after_you_jiao_has_both_names() -> None:
    note = parse_text("- 前向过程又叫扩散过程，指的是对数据逐渐添加高斯噪声的过程。\n", "a.md")
    assert [(d.term, d.aliases) for d in note.definitions] == [("前向过程", ("扩散过程",))]


# Shapes from real notes (a loss-function note's reference list, a channel-capacity note, a
# Bayesian-regression note; our own wording here).
@pytest.mark.parametrize(
    "text",
    [
        "6. https://pytorch.org/docs/stable/generated/torch.nn.CrossEntropyLoss.html\n",
        "3. [AI-EDU: 交叉熵损失函数](https://example.org/ce.html)\n",
        "> 公式参考文章-AI-EDU：交叉熵损失函数，但是将样本数改为 $n$。\n",
        "ref：https://blog.example.org/110517599\n",
        "ex：知道单个符号的转移矩阵，可求两个符号的联合转移矩阵。\n",
        "**Given**: a training dataset of pairs.\n",
        "- **Recall the gain vector** is defined as the weight of the new sample.\n",
        # a speech-features note's list of pitch trackers
        "2. Getf0: David Talkin, “A robust algorithm for pitch tracking (rapt),” Speech coding "
        "and synthesis, vol. 495, pp. 518, 1995.\n",
    ],
)
def test_no_definition_from_a_link_a_citation_or_a_label(text: str) -> None:
    assert parse_text(f"# 笔记\n\n{text}", "a.md").definitions == ()


def test_a_bold_x_definition_label_defines_x() -> None:
    note = parse_text("**损失函数定义**：量化模型预测和真实标签之间差异的非负函数。\n", "a.md")
    assert [d.term for d in note.definitions] == ["损失函数"]


def test_a_one_word_english_alias_may_be_an_instruction_word() -> None:
    note = parse_text("召回率 (Recall)：所有真实的正类样本中，被模型找出来的比例。\n", "a.md")
    assert [(d.term, d.aliases) for d in note.definitions] == [("召回率", ("Recall",))]


def test_a_term_named_in_an_image_alt_text_is_still_defined() -> None:
    note = parse_text("卷积核 (Kernel)：在输入上滑动的小矩阵 ![卷积核示意](k3.png)。\n", "a.md")
    assert [d.term for d in note.definitions] == ["卷积核"]


def test_an_either_or_question_is_not_a_definition() -> None:
    """An EM note: "我们计算第一组数据是抛硬币A出现的还是抛硬币B出现的"."""
    note = parse_text("我们计算第一组给定的数据（这里给了很多组数据）是抛硬币A出现的还是抛硬币B"
                      "出现的。\n", "a.md")
    assert note.definitions == ()


def test_a_latin_alias_ends_where_chinese_prose_starts() -> None:
    """An XGBoost note: "XGBoost 又叫 ExtremeGBoost 本质上还是 gbdt，…" (a lone 还是 is "still
    is", not an either-or)."""
    note = parse_text("XGBoost 又叫 ExtremeGBoost 本质上还是 gbdt，只是将 gbdt 的速度和效率发挥到了"
                      "极致\n", "a.md")
    assert [(d.term, d.aliases, d.text) for d in note.definitions] == [
        ("XGBoost", ("ExtremeGBoost",), "本质上还是 gbdt，只是将 gbdt 的速度和效率发挥到了极致")]
    # notes/generative/reparameterization.md: a name with a Chinese part keeps it
    note = parse_text("Gumbel Softmax,又称为 Concrete 分布,是用 softmax 代替 argmax 得到的 "
                      "Gumbel Max 的光滑近似,从而可以求导。\n", "a.md")
    assert [d.aliases for d in note.definitions] == [("Concrete 分布",)]


def test_a_generic_word_with_a_name_in_another_language_is_a_term() -> None:
    note = parse_text("- 策略 (policy)：智能体在每个状态下选择动作的规则。\n", "a.md")
    assert [d.term for d in note.definitions] == ["策略"]


def test_a_property_whose_owner_is_not_named_is_no_definition() -> None:
    """A decision-tree note lists the properties of information content under "### 信息":
    "非负性是什么？" on a card has no single answer."""
    note = parse_text("### 信息\n\n- 非负性：不存在负信息量的事件。\n"
                      "- 单调性：概率越大，信息量越小。\n", "a.md")
    assert note.definitions == ()
    kept = parse_text("- 凸性 (convexity)：函数图像上任意两点连线在图像上方。\n", "a.md")
    assert [d.term for d in kept.definitions] == ["凸性"]


@pytest.mark.parametrize(("text", "why"), [
    # a word2vec note lists its training steps and its test scripts
    ("- 第一步：获取训练样本\n- 第二步：构建1个神经网络\n", "ordinal label"),
    ("- word relation test set :**./demo-word-accuracy.sh**,\n", "a file or a command"),
    # a BatchNorm note's own typo ("被称在论文中称之为") leaves a naming fragment
    ("由于参数变化而引起网络中间层数据分布发生变化的这一过程被称在论文中称之为**内部协变量偏移**。\n",
     "fragment"),
    # a statistical-learning note: "再结构化一下这三个部分，好好理解：" and its generic words
    ("再结构化一下这三个部分，好好理解：\n\n* 模型：需要学习的条件概率分布或者决策函数\n"
     "* 策略：按照什么样的准则学习或选择最优的模型。\n", "a generic word"),
    # a factorization-machines note documents a library's parameters and its own upkeep
    ("6. verbose : bool，是否需要打印当前迭代时的训练误差（training error）.\n", "API parameter"),
    ("- TODO：训练数据集与测试数据集的误差率关系。\n- 版权声明：本文为原创文章，转载请注明来源.\n",
     "housekeeping"),
    ("- 第1个等号：对称矩阵 $W$ 对角线上半部分；\n",
     "ordinal label"),
    # a naive-Bayes note: when the model is useful is not what it is
    ("- 伯努利模型：如果特征向量是二进制（即0和1），那这个模型是非常有用的。\n",
     "when it is useful"),
    # a boosting note's algorithm: a step says what is done
    ("### 提升树的步骤\n\n1. **拟合残差**$r_{mi}$学习一个回归树，得到$T(x)$\n",
     "a point in a list"),
    # a loss-function note quotes an English answer to its own why-question
    ("> 为什么交叉熵的代价函数是求均值而不是求和?\n>  Cross entropy loss is defined as the "
     "expectation of the distribution, and that's why we use mean instead of sum.\n",
     "answers a why"),
    # a word2vec note: the two sides of a comparison, not what PCA and word2vec are
    ("跟传统的降维方法如PCA比，区别在于：\n\n- PCA：经过编码-解码之后，信息丢失尽可能少。\n"
     "- word2vec：经过编码-解码之后，中心词映射为背景词。\n", "a point in a list"),
])
def test_labels_paths_and_fragments_make_no_definition(text: str, why: str) -> None:
    note = parse_text(text, "a.md")
    assert note.definitions == ()
    assert note.skipped and all(why in s.reason for s in note.skipped)


@pytest.mark.parametrize("text", [
    # a factorization-machines note captions its figure in HTML
    '<div class="caption">FM特征数据结构：User相关、Item相关、类别相关的特征</div>\n',
    # a boosting note: a category and praise
    "Boosting方法是一种常用的统计学习方法，应用广泛且有效\n",
    "- 交叉熵损失函数：新的损失函数\n",
    # an optimizer note: the name in full is no definition
    "* AdaGrad：自适应梯度算法。SGD以相同的学习率去更新各个分量。\n",
    # a spectral-clustering note: about "this kind of algorithm", and only when there is an edge
    "- **紧致性 (Compactness)**: 这类算法（如 K-means）通常假设簇是凸的。\n",
    "- **边集 (Edges)**：只有当节点 $i$ 和 $j$ 之间存在边时，它们才有正的连接权重。\n",
    # an SVM note: only how it compares
    "核方法 (kernel method) 是比支持向量机更为一般的机器学习方法。\n",
])
def test_captions_praise_and_comparisons_make_no_definition(text: str) -> None:
    assert parse_text(text, "a.md").definitions == ()


def test_wiki_links_read_as_their_text() -> None:
    """An Obsidian LDA note: "是[[分类器#判别分类器]]的一种"; a matrix in math stays."""
    note = parse_text("线性判别分析 (LDA)：是[[分类器#判别分类器]]的一种，见[[感知器#定义|感知器]]"
                      "与[[熵]]。![[fig.png]]\n\n$$A=[[1,2],[3,4]]$$\n", "a.md")
    assert [d.text for d in note.definitions] == ["是判别分类器的一种，见感知器与熵。"]
    assert [f.latex for f in note.formulas] == ["A=[[1,2],[3,4]]"]


def test_a_name_given_for_a_reason_is_no_definition() -> None:
    """An LDA note: "…不同类别的边界为二次曲线，故此方法称为**二次判别分析**"."""
    note = parse_text("由于这是一个关于 $x$ 的二次函数，不同类别的边界为二次曲线，故此方法称为"
                      "**二次判别分析**(quadratic discriminant analysis, QDA)。\n", "a.md")
    assert note.definitions == ()
    assert [s.reason for s in note.skipped] == ["says why it is so called, not what it is"]


def test_a_step_under_a_generic_heading_is_asked_with_the_note_title() -> None:
    """An EM note puts its E-step under "1.1 基础定义 (Basic Definitions)"."""
    note = parse_text("# EM 算法\n\n## 1.1 基础定义 (Basic Definitions)\n\n"
                      "1. **E-step**：计算隐变量的后验分布\n", "a.md")
    assert [(d.term, d.scope) for d in note.definitions] == [("E-step", "EM 算法")]


def test_a_label_inside_a_phrase_does_not_cut_the_definition_before_it() -> None:
    """An EM note: "E-step：计算…后验分布，构建对数似然的期望函数 (Q函数)：" is one step."""
    note = parse_text("1. **E-step (Expectation)**:\n"
                      "   计算后验分布，构建对数似然的期望函数 (Q函数)：\n", "a.md")
    assert [(d.term, d.text) for d in note.definitions] == [
        ("E-step", "计算后验分布，构建对数似然的期望函数 (Q函数)")]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        # A logistic-regression review note lists a ROC curve's parts under labels.
        ("## 7.1 ROC 曲线\n\n- **全称**：Receiver Operating Characteristic\n"
         "- **横坐标**：假阳性率 FPR = FP / (FP + TN)\n- **绘制方法**：改变分类阈值\n",
         "a label of one part of a description (全称, 横坐标, 常用算法), not a term"),
        # A decision-tree note on pruning; a note's closing metadata; an RL note's footer.
        ("**常用算法**：CCP (Cost Complexity Pruning)\n",
         "a label of one part of a description (全称, 横坐标, 常用算法), not a term"),
        ("> 整理日期：2026-03-16\n",
         "a label of one part of a description (全称, 横坐标, 常用算法), not a term"),
        ("Source: Practical RL, HSE University\n",
         "a label of one part of a description (全称, 横坐标, 常用算法), not a term"),
        # An MLE note's numbered steps, and a log-loss note's point.
        ("1. **写出似然函数**：如前所述，似然函数为连乘。\n",
         "a step to do (写出…, 求导并求解), not a term"),
        ("- **取负号**：变成最小化问题，方便梯度下降计算\n",
         "a step to do (写出…, 求导并求解), not a term"),
        ("**过拟合**：像背答案的学生，练习题都会，但考试新题不会\n",
         "gives an analogy, not what it is"),
        ("- **损失函数**：越小越好\n", "says only which way is better"),
        # A perceptron note states the theorem's hypothesis; its conclusion is in the next block.
        ("感知机收敛定理:  训练集 $X_i$, 若它是线性可分的， 即 $\\exists W$, 使得:\n",
         "states a condition without what follows from it"),
        # An MLE note: where and how much it is used says nothing of what it is.
        ("极大似然估计是一种在统计学中广泛使用的参数估计方法。\n",
         "only names a category it belongs to"),
    ],
)
def test_labels_steps_and_pictures_make_no_definition(text: str, reason: str) -> None:
    note = parse_text(text, "a.md")
    assert note.definitions == ()
    assert reason in [s.reason for s in note.skipped]


def test_a_conditional_with_its_conclusion_still_defines() -> None:
    """A DBSCAN note: "若 x_j 的 ε-邻域至少包含 MinPts 个样本，则 x_j 是一个核心对象"."""
    note = parse_text("- 核心对象（core object）：若$x_j$的邻域至少包含MinPts个样本，"
                      "则$x_j$是一个核心对象。\n", "a.md")
    assert [d.term for d in note.definitions] == ["核心对象"]


def test_items_about_what_a_heading_asks_are_points_not_terms() -> None:
    """A review note answers "1.1 什么是逻辑回归？" with labelled points about it."""
    note = parse_text("### 1.1 什么是逻辑回归？\n\n- **有监督学习**：有特征（X），有标签（y）\n"
                      "- **分类问题**：标签是离散的，不是连续的\n", "a.md")
    assert note.definitions == ()


def test_a_list_the_note_says_of_itself_has_no_scope() -> None:
    """A PPO note: "本模块由以下原子组合而成：" then "- **Actor-Critic架构**：Actor学习策略，…";
    on a card "（本模块由以下原子组合而成）" would point at a note the card does not show."""
    note = parse_text("本模块由以下原子组合而成：\n- **GAE**：广义优势估计，平衡偏差-方差\n"
                      "- **Actor-Critic架构**：Actor学习策略，Critic学习价值函数\n", "a.md")
    assert [(d.term, d.scope) for d in note.definitions] == [("GAE", ""),
                                                              ("Actor-Critic架构", "")]


def test_a_list_under_a_question_number_has_no_scope() -> None:
    """The same note's answer key: "**Q7：**" then "- **TP (True Positive)**：真正例…"."""
    note = parse_text("**Q7：**\n- **TP (True Positive)**：真正例，实际为正例，预测也为正例\n",
                      "a.md")
    assert [(d.term, d.scope) for d in note.definitions] == [("TP", "")]


def test_properties_listed_under_an_item_with_math_are_points() -> None:
    """A DBSCAN note: "- 给定邻域参数$(\\epsilon, MinPts)$，簇$C$是满足以下性质的非空样本子集："
    with 连接性 (connectivity) and 最大性 (maximality) nested under it."""
    note = parse_text("- 给定邻域参数$(\\epsilon, MinPts)$，簇$C$是满足以下性质的非空样本子集：\n"
                      "\t1. 连接性（connectivity）：$x_i \\in C$ 与 $x_j$密度相连\n"
                      "\t2. 最大性（maximality）：$x_j$由$x_i$密度可达则$x_j \\in C$\n", "a.md")
    assert note.definitions == ()


def test_a_short_word_nested_under_a_bare_label_is_its_property() -> None:
    """A channel-coding note: "- **[对称]**" with "- 容量: 取输入对称，结果为…" nested under it;
    a Latin name under a label is still a term."""
    note = parse_text("- **[对称]**\n    - 容量: 取输入对称，结果为 $H(Y) - H(Y|X)$\n"
                      "- **决策树**\n    - ID3：使用信息增益选择划分特征的决策树算法\n", "a.md")
    assert [d.term for d in note.definitions] == ["ID3"]


def test_a_name_that_means_something_defines_it() -> None:
    """A TD-learning note: "On-policy simply means using the current policy (…)"; a pronoun or
    a noun phrase with an article before "means" is no term."""
    note = parse_text("On-policy simply means using the current policy. This means that the loss "
                      "goes down. A large learning rate means faster but unstable training.\n",
                      "a.md")
    assert [(d.term, d.text) for d in note.definitions] == [
        ("On-policy", "simply means using the current policy.")]


def test_a_bare_value_is_no_definition() -> None:
    """Review notes list a model's parts as values ("- **损失函数**：交叉熵"); a short noun
    phrase that describes ("方差的平方根") still defines."""
    note = parse_text("### 逻辑回归\n\n- **损失函数**：交叉熵\n- **标准差**：方差的平方根\n",
                      "a.md")
    assert [d.term for d in note.definitions] == ["标准差"]
    assert ("损失函数", "only gives its value or another name, not what it is") in [
        (s.text, s.reason) for s in note.skipped]


def test_a_definition_left_out_for_its_text_still_names_its_paragraphs_formula() -> None:
    """An MLE note: "极大似然估计是一种在统计学中广泛使用的参数估计方法。" gives no card, and the
    formula its paragraph leads to is still the MLE's."""
    note = parse_text("极大似然估计是一种在统计学中广泛使用的参数估计方法。\n"
                      "设$\\theta$是模型参数。那么极大似然估计的目标就是找到使似然最大的参数。\n$$\n"
                      "\\hat{\\theta} = \\arg\\max_{\\theta} p(X|\\theta)\n$$\n", "a.md")
    assert note.definitions == ()
    assert [(f.name, f.key) for f in note.formulas if f.display] == [("极大似然估计", True)]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        # A structural-risk note: examples after "例如：", consequences after "所以：".
        ("但也有一些方法会直接或间接调整结构，例如：\n\n- 剪枝：训练中或训练后删掉连接\n",
         "a point in a list of"),
        ("所以：\n\n- 普通深度学习：通常固定结构，只学参数\n", "a point in a list of"),
        # A stochastic-approximation note: the two step-size conditions.
        ("只要步长序列满足两个条件：\n"
         "1.  **足够大**：$\\sum_k \\alpha_k = \\infty$ （能走到任意远的地方）\n",
         "a point in a list of"),
        ("-   **大数定律** $\\to$ **蒙特卡洛均值** $\\to$ **Robbins-Monro 迭代**。\n",
         "a fragment of a sentence"),
        # A VAE lecture's applications list.
        ("- representation learning：我们在训练模型打游戏的时候，如果直接把pixel作为state，"
         "就会有很多问题。\n", "tells how it is used, not what it is"),
        # An answer key: "AC: For every point, …".
        ("> AC: For every point, the loss is a function of $\\theta$, so the criterion is a sum.\n",
         "the letters of an answer's options, not a term"),
        # A lecture's ridge objective under "loss function".
        ("The loss function is defined as:\n\n$$J_{n,\\lambda}(\\theta)=\\frac{1}{n}\\sum_t "
         "(y_t-\\theta x_t)^2+\\frac{\\lambda}{2}\\|\\theta\\|^2$$\n",
         "a generic name (损失函数, loss function) for one model's formula"),
    ],
)
def test_examples_conditions_stories_and_answer_letters_make_no_definition(
        text: str, reason: str) -> None:
    assert_left_out(text, reason)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        # An MDP note: "已知贝尔曼算子是一种缩放算子…" (it is known that …).
        ("已知贝尔曼算子是一种缩放算子，对于缩放算子O，有对于任意范数i成立。\n",
         "starts with the function word '已知'"),
        # A kernel-methods note: "**Kernel Method (思想)**: 非线性带来高维转换".
        ("*   **Kernel Method (思想)**: 非线性带来高维转换 ($\\mathcal{X} \\to \\mathcal{Z}$)。\n",
         "its bracket labels an aspect (思想, 计算), not another name"),
        # An HMM note's label lines, each only a symbol.
        ("词序列：${\\bf{x}}=x_1\\cdots x_T$\n标记序列：${\\bf{y}}=y_1\\cdots y_T$\n",
         "only a symbol for it, not what it is"),
        # An n-gram note indents with HTML entities: "序列： \n&emsp;&emsp; $w$ \n…".
        ("序列： \n&emsp;&emsp; ${\\bf{w}} = (w_1w_2\\cdots w_k)$\n&emsp;\n"
         "序列的概率`(chain rule)`: \n&emsp;&emsp; $p(w)=p(w_1)p(w_2|w_1)$\n",
         "only a symbol for it, not what it is"),
    ],
)
def test_known_that_aspects_and_symbol_lines_make_no_definition(text: str, reason: str) -> None:
    assert_left_out(text, reason)


def test_a_line_that_runs_on_into_a_formula_is_no_new_label() -> None:
    """d2l-zh attention-scoring-functions.md:33: the definition's second line "再经过softmax运算
    得到的：" ends in a colon and still belongs to it."""
    note = parse_text("注意力权重（标量）：是通过注意力评分函数$a$将两个向量映射成标量，\n"
                      "再经过softmax运算得到的：\n\n$$\\alpha = \\mathrm{softmax}(a)$$\n", "a.md")
    assert [d.text for d in note.definitions] == [
        "是通过注意力评分函数\\(a\\)将两个向量映射成标量，再经过softmax运算得到的"]


def test_a_term_that_ends_in_what_it_attends_to_is_none() -> None:
    """A structural-risk note: "- 经验风险关注：训练数据上错多少" (empirical risk attends to …)."""
    note = parse_text("- 经验风险关注：训练数据上错多少\n- **经验风险**：训练误差的平均\n", "a.md")
    assert [d.term for d in note.definitions] == ["经验风险"]
    assert ("经验风险关注", "ends with the function word '关注'") in [
        (s.text, s.reason) for s in note.skipped]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        # A PCA note: "是基于以下原因：" then one "label：…" paragraph per reason.
        ("要求主成分之间垂直，是基于以下原因：\n\n信息的独立性：正交的坐标轴确保信息独立。\n\n"
         "计算简便：正交性质简化了对主成分的计算。\n", "a point in a list of"),
        # A deep-learning optimisation note: a statement whose object is the term.
        ("局部极小值：由于模型可辨识性问题，神经网络都会具有多个局部极小值。\n",
         "a statement that ends in the term"),
        # A pointer-generator paper note: the model's parts.
        ("- Encoder: Single Bi-LSTM + Linear Projection\n", "a generic word"),
        # A PRML sampling note: "proposal distribution：现在构造一个simple distribution q(z)".
        ("proposal distribution：现在构造一个simple distribution $q(z)$\n",
         "tells how it is used, not what it is"),
    ],
)
def test_reasons_statements_parts_and_next_steps_make_no_definition(text: str,
                                                                     reason: str) -> None:
    assert_left_out(text, reason)


def test_option_letters_outside_an_answer_are_an_acronym() -> None:
    """"AD：自动微分…" names automatic differentiation; only in a quoted solution are letters
    the options of an answer."""
    note = parse_text("AD：自动微分，按链式法则在计算图上求导的一类方法。\n", "a.md")
    assert [d.term for d in note.definitions] == ["AD"]


@pytest.mark.parametrize(("text", "why"), [
    # a PCA lecture summary and a regression lecture summary (English bullet notes)
    ("- **Aim**: find a new coordinate system s.t. the variance is largest\n", "label"),
    ("- **Another view of PCA**: s-dim plane minimising residual sum squares to data\n",
     "label"),
    ("- **Informal definition**: line segment between any two points lies above the graph\n",
     "label"),
    ("- **Modular**: changing kernel leads to a different feature space transformation\n",
     "label"),
    ("1. **Initialisation**: choose a starting guess, set i = 1\n2. **Termination**: decide "
     "whether to stop\n", "label"),
    # an entropy note: the sentence after the second name only gives a third
    ("**信息熵也叫香农熵，在机器学习中，由于熵的计算是依据样本数据而来，故也叫经验熵。**\n",
     "third name"),
])
def test_labels_and_names_in_english_and_chinese_notes_define_nothing(text: str,
                                                                      why: str) -> None:
    assert_left_out(text, why)


def test_an_english_term_that_is_an_adjective_in_able_is_still_a_term() -> None:
    """An EM note: "tractable：可以显式地写出并计算" defines the word."""
    note = parse_text("- **Kernel PCA**: map data to feature space, then run PCA\n"
                      "- tractable：可以显式地写出并计算\n", "a.md")
    assert [d.term for d in note.definitions] == ["Kernel PCA", "tractable"]


def test_obsidian_marks_and_see_also_pointers_leave_the_text() -> None:
    """Obsidian vaults highlight (==…==), comment (%%…%%), tag (#机器学习) and footnote ([^1]);
    a definition that ends "详见 [[其他笔记]]" points at another page."""
    text = ("梯度下降 (Gradient Descent)：一种沿着[[负梯度]]方向迭代更新参数的"
            "==优化算法==[^1]。\n\n"
            "交叉熵 (Cross Entropy)：衡量两个分布之间差异的量，"
            "详见 [[信息论#交叉熵|交叉熵笔记]]。\n\n"
            "**动量 (Momentum)**：加入历史梯度的指数滑动平均 %%私有\n注释%% 以加速收敛。\n\n"
            "过拟合 (Overfitting)：模型在训练集上表现很好、在测试集上表现差的现象 #机器学习\n\n"
            "[^1]: 参考文献。\n")
    note = parse_text(text, "a.md")
    assert [(d.term, d.text) for d in note.definitions] == [
        ("梯度下降", "一种沿着负梯度方向迭代更新参数的优化算法。"),
        ("交叉熵", "衡量两个分布之间差异的量。"),
        ("动量", "加入历史梯度的指数滑动平均以加速收敛。"),
        ("过拟合", "模型在训练集上表现很好、在测试集上表现差的现象"),
    ]
    assert [d.source.line for d in note.definitions] == [1, 3, 5, 8]


@pytest.mark.parametrize(("text", "why"), [
    # a batch-norm note: a paper link under its label
    ("pdf: [*Batch Normalization: Accelerating Deep Network Training*](http://x.org/a.pdf)\n",
     "link or citation"),
    # an attention note: the label of MQA's one difference, the acronym's words
    ("**核心区别**：**所有 head 共享同一个 K 和 V**。\n", "label of one part"),
    ("MQA：Multi-Query Attention（多查询注意力）\n", "full name"),
    ("GQA：Grouped Query Attention\n", "full name"),
    # a knowledge-distillation note: how many points follow
    ("kd 两个关键问题：teacher 有什么 knowledge，怎么 distillation\n", "counts the parts"),
    # a policy-gradient note: what the text has or said before
    ("* 已有策略模型：πθ(s,a)（线性模型或者神经网络模型）\n", "function word '已有'"),
    ("前一节讲到：P(τ|θ)可以通过π(a|s)的模型表达。\n", "前一节"),
    # an activation note: what the model uses, not what it is
    ("**原始 Transformer** 使用的前馈激活函数就是 ReLU。\n", ""),
    # an attention lecture: only what it is part of
    ("__SE layers__ are a building component of __Squeeze and Excitation Networks__.\n",
     "part of"),
    # a word2vec note: one model's layer
    ("2. **投影层**：将输入层的 2c 个向量做求和累加处理。\n", "generic word"),
])
def test_link_labels_counts_and_parts_define_nothing(text: str, why: str) -> None:
    assert_left_out(text, why)


def test_an_acronym_with_what_it_does_is_still_defined() -> None:
    """Only the bare expansion is another name; words on what it does make the definition."""
    note = parse_text("MQA：Multi-Query Attention，所有 head 共享同一组 K 和 V 的注意力。\n"
                      "\nSVM：Support Vector Machine，寻找最大间隔超平面的二分类模型。\n", "a.md")
    assert [d.term for d in note.definitions] == ["MQA", "SVM"]


def test_an_apposition_gives_its_content_without_its_ji() -> None:
    """A Q-learning note: "提高模型的**泛化能力**，也就是能处理没有见过的类似情形"."""
    note = parse_text("我们希望提高模型的**泛化能力**，也就是能处理没有见过的类似情形。\n", "a.md")
    assert [(d.term, d.text) for d in note.definitions] == [
        ("泛化能力", "能处理没有见过的类似情形")]


@pytest.mark.parametrize(("text", "why"), [
    # a Gaussian-MLE note's labelled explanation
    ("*   **形状控制**：协方差矩阵 $\\Sigma$ 决定了分布的形状（椭圆的方向和长短轴）。\n",
     "statement about something else"),
    ("**逆矩阵的分解**：由于 $\\Sigma$ 正定，其逆矩阵存在，且可以分解为特征向量之和。\n",
     "step of working"),
    ("**几何意义**：马氏距离本质上是将数据投影到主轴方向，再用标准差标准化。\n",
     "labels an explanation"),
    ("*   **左边公式 (椭圆方程)**：$\\frac{y_1^2}{\\lambda_1} + \\frac{y_2^2}{\\lambda_2} = r$ "
     "描述了所有距离均值“同样远”的点构成的轨迹（等高线）。\n", "part of a picture"),
    ("*   **退化为欧氏距离**：如果协方差是单位矩阵，马氏距离就是欧氏距离。\n", "clause"),
    # a GPT paper note
    ("gpt 论文提出一个半监督学习方法（后续论文叫自监督 self supervised learning）：在没有标号"
     "的文本上训练一个大语言模型。\n", "clause"),
    ("2. **模型架构及大小**：12 层的 transformer 解码器结构，每一层的维度是 768。\n",
     "joins two things"),
    ("提出问题：之前微调后模型的泛化性可能并不是那么好，只是有点过拟合了。\n", "remark label"),
    # an ROC/AUC note: "简单翻译下：首先AUC值是一个概率值…"
    ("简单翻译下：首先AUC值是一个概率值，是正样本排在负样本前面的概率。\n", "'下'"),
    # a PCA lecture: "Mind that the covariance matrix is defined as:"
    ("Mind that the covariance matrix is defined as the mean outer product of deviations.\n",
     "clause"),
])
def test_explanation_labels_and_clauses_define_nothing(text: str, why: str) -> None:
    assert_left_out(text, why)


def test_items_of_what_something_shows_itself_in_are_points() -> None:
    """A GPT note: "`GPT-3` 中的上下文学习主要体现在：" then "1. **多任务学习**：GPT-3 在预训练
    阶段就接触到了多种不同的任务…" (not what multi-task learning is)."""
    text = ("2，`GPT-3` 中的上下文学习主要体现在：\n\n"
            "1. **多任务学习**：GPT-3 在预训练阶段就接触到了多种不同的任务和数据类型。\n"
            "2. **上下文提示**：GPT-3 通过在输入中包含任务描述来引导模型执行任务。\n")
    note = parse_text(text, "a.md")
    assert note.definitions == ()
    assert all("a point in a list of" in s.reason for s in note.skipped), note.skipped


def test_a_list_intro_is_its_subject_without_how_it_is_named() -> None:
    """A word-embedding note: "…有三个维度的变化，通常称为：" then "* **valence**：…"; a
    sentence too long for an aside gives none."""
    short = parse_text("情感含义的三个维度，通常称为：\n\n* **valence**：刺激的愉悦程度\n", "a.md")
    assert [(d.term, d.scope) for d in short.definitions] == [("valence", "情感含义的三个维度")]
    long = parse_text("在情感含义上的早期工作（Osgood 等人，1957）发现词在情感含义上有三个维度的"
                      "变化，通常称为：\n\n* **valence**：刺激的愉悦程度\n", "a.md")
    assert [(d.term, d.scope) for d in long.definitions] == [("valence", "")]


def test_a_name_in_the_math_an_item_is_nested_under_is_a_symbol() -> None:
    """An LSTM note: "- input: 维度为 (seq\\_len,batch,input\\_size)" then "- batch: 传入的句子
    的数量"."""
    text = ("- input: 一个句子,维度为$(seq\\_len,batch,input\\_size)$\n"
            "    - seq_len: 句子长度，即token数量，也是时间步\n"
            "    - batch:传入的句子的数量\n")
    note = parse_text(text, "a.md")
    assert "batch" not in [d.term for d in note.definitions]
    assert any(s.text == "batch" and "symbol of the math" in s.reason for s in note.skipped)


def test_what_a_term_relates_to_is_no_definition() -> None:
    """A word-embedding note: "语义框架 (semantic frame)：语义框架的概念和语义场关系紧密"."""
    note = parse_text("语义框架 (semantic frame)：语义框架的概念和语义场关系紧密\n", "a.md")
    assert note.definitions == ()
    assert [s.reason for s in note.skipped] == ["says only what it relates to"]


@pytest.mark.parametrize(("text", "why"), [
    # an optimizer note's section subtitles and its summary label
    ("**随机梯度下降**：从 GD 到 mini-batch GD，到 SGD。\n", "progression"),
    ("一句话结论：Adam 逃离鞍点很快，但是不能像 SGD 一样擅长寻找泛化好的 flat minima。\n",
     "remark label"),
    # a logistic-regression note in traditional characters
    ("舉例：一千筆郵件的資料，分類出是垃圾郵件以及一般信件。\n", "remark label"),
    # a batch-norm post: "**Methodology**: derive the gradient …"
    ("**Methodology**: derive the gradient with respect to the centered inputs first.\n",
     "remark label"),
    # a GMM note: "更新均值：经计算，均值的变化…"
    ("更新均值：经计算，均值的变化量为各点残差的加权平均。\n", "result of working"),
    # an HMM note: a library's parameter names
    ("- 状态转移矩阵 (状态转移概率分布)：（就是初始化参数transmat_prior，也可以用params和求出的"
     "属性transmat_）\n", "code identifiers"),
    ("**问题解决**：将线性回归应用到分类问题。\n", "remark label"),
    ("**线形回归模型 & 对数线性回归模型**：数学上的一个特例经常归属于一个更一般的原型。\n",
     "joins two things"),
])
def test_subtitles_labels_workings_and_code_names_define_nothing(text: str, why: str) -> None:
    """(also: a regression note's "问题解决：将线性回归应用到分类问题" and its "线形回归模型 &
    对数线性回归模型：…")"""
    assert_left_out(text, why)


def test_by_computing_is_how_a_term_works() -> None:
    """d2l-zh mlp.md:174: "激活函数（activation function）通过计算加权和并加上偏置来确定神经元
    是否应该被激活" is a definition, not a result of working."""
    note = parse_text("*激活函数*（activation function）通过计算加权和并加上偏置来确定神经元是否"
                      "应该被激活，它们将输入信号转换为输出的可微运算。\n", "a.md")
    assert [d.term for d in note.definitions] == ["激活函数"]


def test_the_parameters_that_minimise_a_quantity_are_not_its_formula() -> None:
    """A regression note: "**均方差**, 即预测值与实际值之间的平方差。" then
    "(β*, ε*) = argmin Σ(f(x_i) - y_i)²"; an estimator's own argmin stays its formula."""
    text = ("对于回归问题，最常用的度量标准就是**均方差**, 即预测值与实际值之间的平方差。\n"
            "$$\n\\left(\\beta^*, \\varepsilon^*\\right)=\\operatorname{argmin} \\sum_{i=1}^m"
            "\\left(f\\left(x_i\\right)-y_i\\right)^2\n$$\n\n"
            "最大似然估计 (MLE)：使似然函数最大的参数值，定义为：\n"
            "$$\n\\hat\\theta = \\arg\\max_\\theta L(\\theta)\n$$\n")
    note = parse_text(text, "a.md")
    assert [(d.term, d.formula) for d in note.definitions] == [
        ("均方差", None), ("最大似然估计", "\\hat\\theta = \\arg\\max_\\theta L(\\theta)")]


def test_a_negated_kind_is_not_a_term() -> None:
    """Seed 000, line 31: "…; 非欧式(manifold,graph):在流形或图的结构上进行卷积,…" lists one
    kind of 3D deep learning by what it is not; 非线性激活 and 非极大值抑制 are still names."""
    note = parse_text("非欧式(manifold,graph):在流形或图的结构上进行卷积,三维点云可以表现为mesh"
                      "结构。\n\n非极大值抑制 (NMS)：去掉与得分最高的框重叠过多的候选框。\n",
                      "a.md")
    assert [d.term for d in note.definitions] == ["非极大值抑制"]
    assert any("negated kind" in s.reason for s in note.skipped), note.skipped


def test_remarks_examples_titles_and_reading_lists_define_nothing() -> None:
    """tests/fixtures/parser/remarks_and_examples.md (shapes cited in its labels file): only
    the one real definition is found, and every label left out says why."""
    note = parse_file(FIXTURES / "parser" / "remarks_and_examples.md", "a.md")
    assert [(d.term, d.source.line) for d in note.definitions] == [("Q-Learning", 5)]
    why = {(s.text, s.reason) for s in note.skipped if s.what == "definition"}
    assert ("感知机算法的原始形式", "a bold line that heads the lines under it, not a term a "
            "sentence defines") in why
    assert ("SARSA", "a point in a list of 示例") in why
    assert ("行为策略", "a point in a list of 关键") in why
    assert {"实践", "PS1", "书籍", "论文"} <= {t for t, _ in why}


def test_outlines_achievements_steps_and_trends_define_nothing() -> None:
    """tests/fixtures/parser/outlines_and_steps.md (shapes cited in its labels file)."""
    note = parse_file(FIXTURES / "parser" / "outlines_and_steps.md", "a.md")
    assert [(d.term, d.scope) for d in note.definitions] == [
        ("多数投票", ""), ("加权投票", ""),  # "最常见的有三种形式" says of what: no aside
        ("样本随机", "Random Forest 同时引入了两层多样性"),  # without its 于是
        ("特征随机", "Random Forest 同时引入了两层多样性"), ("信息量", "")]
    why = {s.text: s.reason for s in note.skipped if s.what == "definition"}
    assert why["Bagging"].startswith("a point in a list of 全文")
    assert why["想把单模型性能继续往上推"] == "a clause (想把…往上推), not a name"
    assert why["HMM"].startswith("says what it achieved")
    assert why["生成词汇"].startswith("a step done for each item")
    assert why["分母"].startswith("judges")
    assert why["Doc-Topic Part"].startswith("says how one thing grows")
    assert why["Softmax"] == "a point in a list of 不同方法只是"


def test_a_means_to_an_end_is_not_what_the_term_is() -> None:
    """familyld's decision-tree note, line 110: 剪枝 is only "the main means against
    overfitting"; 预剪枝 says how (line 116)."""
    note = parse_text("**剪枝** (pruning) 是决策树学习算法应对过拟合的主要手段。\n\n"
                      "**预剪枝** (prepruning) 是在决策树生成的过程中，对每个节点在划分前先进行"
                      "估计，若划分不能带来泛化性能提升，就停止划分。\n", "a.md")
    assert [d.term for d in note.definitions] == ["预剪枝"]
    assert any(s.text == "剪枝" and s.reason == "says only what it is used for"
               for s in note.skipped)
