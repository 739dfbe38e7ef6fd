"""What a display formula is called and whether it is key (``quizgen.parse.naming``).

Shapes from real Chinese notes (an OMSCS machine-learning blog; our own wording here)."""

from __future__ import annotations

import pytest

from quizgen.parse.naming import name_formula

FORMULA = "P(C, X_1, \\ldots, X_n) = P(C) \\prod_i P(X_i \\mid C)"


@pytest.mark.parametrize(
    ("intro", "name"),
    [
        ("此时样本的联合概率为：", "样本的联合概率"),  # 此时 is when, not part of the name
        ("朴素贝叶斯分类器的联合概率为：", "朴素贝叶斯分类器的联合概率"),
        ("一般需要采用迭代的方法：", ""),  # a way of doing something is no formula's name
        ("联合概率可以写成如下形式：", "联合概率"),
        ("The joint probability is given by the equation below:", "joint probability"),
        # d2l-zh word2vec.md:82: "以下公式建模" says what the formula does, not what it is
        ("生成中心词的条件概率可以由以下公式建模:", ""),
        ("求解如下优化问题：", "优化问题"),
        # an LSTM note: "数学表达式为" says the formula is maths, not which one
        ("所以 f_t 表示的是遗忘前一序列细胞状态的概率，数学表达式为", ""),
        ("交叉熵的数学表达式为", "交叉熵"),
        # an optimizer note: the formula is what AdaGrad introduces, not AdaGrad
        ("AdaGrad引入了二阶动量：", "二阶动量"),
        # windmissing's VAE note, line 151: what is introduced and to what end, no name
        ("引入条件信息实现可控生成：", ""),
        # an SVM note: what is done to the objective is no name
        ("Which is equivalent to *minimizing* the objective function of:", ""),
        # an entropy note: "their" joint probability is p(x)p(y) only for the two named before
        ("根据随机变量的独立性，它们的联合概率为：", ""),
        # a gradient-descent note: words that say what sort of thing, not which
        ("这样就得到了两者之间的关系：", ""),
        ("依靠这两个值构造参数的更新值，参数的更新值为：", ""),
        ("满足这个条件的约束条件为：", ""),
        ("均匀分布时熵的值为：", ""),
        # the clause before the formula introduces it; the sentence's first clause does not
        ("唯一不同的是，AdaGrad 根据历史梯度调整学习率，参数更新公式为：", "参数更新"),
        ("唯一不同的是，AdaGrad 根据历史梯度调整学习率，参数为：", ""),
        # an entropy note: 熵 is a term of one character (因, cut from 因为, is not)
        ("对于离散型随机变量，熵定义为：", "熵"),
    ],
)
def test_the_name_an_introduction_gives(intro: str, name: str) -> None:
    assert name_formula(FORMULA, intro).name == name


@pytest.mark.parametrize(
    "intro",
    [
        "以下图为例，图中所示随机变量的联合概率可以表示为：",  # the formula is the figure's
        "通过取对数得到累加的形式：",  # obtained from the formula before
    ],
)
def test_formulas_a_card_cannot_stand_alone_on_are_not_key(intro: str) -> None:
    verdict = name_formula(FORMULA, intro)
    assert not verdict.key and verdict.why_not


def test_a_forward_pointer_to_the_formula_is_not_a_reference_elsewhere() -> None:
    verdict = name_formula(FORMULA, "联合概率的定义如下所示：")
    assert verdict.key and verdict.name == "联合概率"


def test_a_formula_derived_from_a_numbered_one_still_stands_alone() -> None:
    """d2l-zh word2vec.md:58: "根据 :eqref:`…`，…的对数条件概率为：" names a formula a card can
    show by itself (the reference says where it comes from, not what it is about)."""
    verdict = name_formula(FORMULA, "通常，根据式 (1)，中心词和上下文词的对数条件概率为：")
    assert verdict.key and verdict.name == "对数条件概率"


def test_a_step_of_working_is_not_key() -> None:
    """An entropy note's Lagrangian: "计算偏导：" introduces a step, not a result to learn."""
    verdict = name_formula("\\frac{\\partial L}{\\partial p_k} = -\\log p_k - \\lambda",
                           "计算偏导：")
    assert not verdict.key and "step" in verdict.why_not


def test_an_equation_a_term_solves_is_not_named_by_the_term() -> None:
    """A Q-learning note: "Q-learning 是…算法，用于求解以下方程：" names no formula "Q-learning"."""
    verdict = name_formula("q(s,a)=\\mathbb{E}[R+\\gamma\\max_a q(S',a)]", "用于求解以下方程：",
                           paragraph_term="Q-learning")
    assert verdict.name == ""


@pytest.mark.parametrize(
    "intro",
    [
        "其數學式為：",  # a Traditional-Chinese logistic-regression note
        "这也是公式化的表达：",
        "对其中第二项成立的理由：",
        "因而reward可以写为：",  # a policy-gradient note
        "一般的目标函数都包含下面两项：",  # an XGBoost note: how many parts, not which formula
        "结论：",  # an EM note's proof ends with one
        "等号成立条件：",
        "损失由以下三部分组成：",
    ],
)
def test_words_about_the_formula_name_no_formula(intro: str) -> None:
    assert name_formula(FORMULA, intro).name == ""


def test_an_objective_that_states_the_model_is_not_key() -> None:
    """A factorization-machines note: "线性模型的目标函数：y = w_0 + Σ w_i x_i" is the model."""
    verdict = name_formula("y = w_{0} + \\sum_{i=1}^{n} w_{i} x_{i}", "线性模型的目标函数为：")
    assert not verdict.key and "model's output" in verdict.why_not
    assert name_formula("L = \\sum_i (y_i - \\hat y_i)^2", "线性模型的损失函数为：").key


def test_a_result_reached_in_the_working_is_not_the_terms_formula() -> None:
    """An EM note's convergence proof: "所以：" before H(θ⁽ᵗ⁺¹⁾, θ⁽ᵗ⁾) ≤ H(θ⁽ᵗ⁾, θ⁽ᵗ⁾)."""
    verdict = name_formula("H(a, b) \\le H(b, b)", "所以：", defined_term="Jensen's Inequality")
    assert not verdict.key and verdict.name == ""


def test_a_pointer_is_not_a_name() -> None:
    """A naive-Bayes note: "对于类别概率估计可以使用如下的公式进行估计："."""
    assert name_formula(FORMULA, "对于类别概率估计可以使用如下的公式进行估计：").name == ""


@pytest.mark.parametrize("latex", [
    # a softmax-gradient note's worked example: its one-hot label and its logits
    "y = \\boxed{0}\\boxed{1}\\boxed{0}",
    "o = \\begin{bmatrix}2 & 3 & 4\\end{bmatrix}",
])
def test_example_data_is_not_a_formula(latex: str) -> None:
    verdict = name_formula(latex, "The label y for X is:")
    assert not verdict.key and verdict.why_not == "a value, not a formula"


def test_a_letter_for_a_quantity_is_notation_not_a_formula() -> None:
    """A maximum-entropy note's setup: "P(X=x_i) = p_i, i=1,2,…,n"."""
    assert not name_formula("P(X=x_i) = p_i, i=1,2, \\cdots, n", "离散随机变量的概率分布为：").key
    assert name_formula("E = mc^2", "质能方程为：").key


def test_a_value_is_not_a_formula() -> None:
    verdict = name_formula("d_{model}=512", "模块间传递的向量长度为：")
    assert not verdict.key


@pytest.mark.parametrize("intro", [
    "**公式**：",  # a decision-tree note's entropy, labelled only "公式"
    "2. **计算对应的 CDF**：",  # an inverse-transform-sampling note's steps
    "3. **反解 CDF**，得到：",
    "**修改后的原始问题**：",  # an SVM note: modified for kernels, said two lines earlier
    "Here, it can be used to convert action values into action probabilities. The function "
    "commonly used is:",  # a TD-learning note
])
def test_words_in_a_names_place_that_name_no_formula(intro: str) -> None:
    verdict = name_formula("x = F^{-1}(u)", intro)
    assert verdict.name == ""


def test_a_sentence_written_as_math_is_not_a_formula() -> None:
    """A perceptron note: "$$找到W, 使得: W^T\\overrightarrow X \\geq 0$$"."""
    verdict = name_formula("找到W, 使得: W^T\\overrightarrow X \\geq 0", "**感知机的训练目标**：")
    assert not verdict.key and verdict.why_not == "a sentence written as math, not a formula"
    assert name_formula("Score = MSE + \\alpha \\times 叶子节点数", "**代价复杂度**为：").key


@pytest.mark.parametrize("intro", ["设损失函数为：", "模型记为："])
def test_an_example_or_a_notation_names_no_formula(intro: str) -> None:
    """A gradient-descent note's worked example ("设损失函数为：L(x, y) = x^2 + 2y^2") and a
    risk note's notation ("模型记为：\\hat y = f(x;\\theta)")."""
    assert name_formula("L(x, y) = x^2 + 2y^2", intro).name == ""


@pytest.mark.parametrize("intro", [
    "因",  # a PRML note: "因 $$p(y)=…$$" (因为 cut short)
    "下面几个性质表明了这种近似的**合理性**：",  # a Monte Carlo note: a property, owner unnamed
    "The *corresponding loss* is:",  # a DDPM note
    "在Metropolos采样中，概率为：",  # an MCMC note: which probability? (the acceptance one)
    "The probability is:",
])
def test_a_character_a_property_or_a_relative_name_names_no_formula(intro: str) -> None:
    assert name_formula("p(y)=p(z)\\left|\\frac{dz}{dy}\\right|", intro).name == ""


@pytest.mark.parametrize(("latex", "intro"), [
    # an attention lecture: the weights come "via softmax"; the formula uses softmax
    ("\\vec b = softmax(\\vec a)", "- then, *softmax*:"),
    ("p = \\operatorname{Softmax}\\left(W h\\right)", "**Softmax** 表示为："),
])
def test_a_formula_that_only_applies_its_name_does_not_define_it(latex: str,
                                                                  intro: str) -> None:
    verdict = name_formula(latex, intro)
    assert not verdict.key and verdict.why_not.startswith("applies"), verdict
    assert name_formula("\\text{softmax}(z)_i = \\frac{e^{z_i}}{\\sum_j e^{z_j}}",
                        "*softmax* 定义为：").name == "softmax"


@pytest.mark.parametrize("intro", [
    # the attention lecture's MLP score: what computes it, not its name
    "- **MLP**: α is computed by a *neural network* (usually composed by a single layer):",
    "但所有 head 使用同一组：",  # an MQA note: which K and V, not a name
])
def test_an_agent_or_a_which_one_names_no_formula(intro: str) -> None:
    assert name_formula("\\alpha(k, q) = \\tanh(W_k k + W_q q)", intro).name == ""


def test_a_measure_through_a_marked_term_is_named_by_it() -> None:
    """d2l-en information-theory.md:106 and :543: "measure … through *entropy*", "via
    *cross-entropy*" name the formula that follows."""
    intro = ("we measure the expected amount of information through *entropy* "
             "(or *Shannon entropy*)")
    assert name_formula("H(X) = - E_{x \\sim P} [\\log p(x)].", intro).name == "entropy"
    assert name_formula("\\textrm{CE}(P, Q) = - E_{x \\sim P} [\\log(q(x))].",
                        "we can also measure the divergence … via *cross-entropy*,").name == \
        "cross-entropy"


@pytest.mark.parametrize("intro", [
    "模型修改如下：",  # an FM note: what is done to the model
    "**似然函数确定**：",  # the same note's NMF: a step
    "*   **退化为欧氏距离**：如果 $\\Sigma = I$（单位矩阵），则：",  # a Gaussian-MLE note
])
def test_what_is_done_to_a_formula_names_none(intro: str) -> None:
    assert name_formula("y = w_0 + \\sum_i w_i x_i", intro).name == ""


@pytest.mark.parametrize(("latex", "intro"), [
    # an HMM note: the matrices by their entries, the model by its parameters
    ("A=[a_{ij}]_{N\\times N}", "状态转移矩阵："),
    ("\\pi = (\\pi_i)", "初始状态概率向量："),
    # a GMM post: the true parameters as a tuple
    ("\\theta^{(\\text{true})} := (\\pi_k^{(\\text{true})}, \\mu_k^{(\\text{true})})",
     "The true parameters are:"),
])
def test_a_matrix_or_tuple_by_its_entries_is_notation(latex: str, intro: str) -> None:
    verdict = name_formula(latex, intro)
    assert not verdict.key and "notation" in verdict.why_not
    assert name_formula("\\sigma(x) = (1+e^{-x})^{-1}", "sigmoid 函数为：").key


@pytest.mark.parametrize("intro", [
    "基本的公式：",  # a diffusion note's Bayes rule: which formula?
    "**定理**：",  # a GMM note with three theorems
    "似然函数呈比例：",
    "函数原型如下:",  # a logistic-regression note under "*Sigmoid 函数原型*"
])
def test_a_kind_of_formula_or_a_clause_names_none(intro: str) -> None:
    assert name_formula("P(A|B) = \\frac{P(B|A)P(A)}{P(B)}", intro).name == ""


def test_a_qualifier_of_its_form_names_no_formula() -> None:
    """A diffusion note: "贝叶斯公式…。它的基本形式是：" — the formula is Bayes', not "基本"."""
    assert name_formula("P(A|B) = \\frac{P(B|A)P(A)}{P(B)}", "它的基本形式是：").name == ""
