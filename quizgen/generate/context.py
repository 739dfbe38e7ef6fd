"""What card generation needs to know about the deck being built."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import PurePosixPath

from quizgen.generate.phrasing import ZH, Phrasing
from quizgen.generate.terms import TermIndex
from quizgen.headings import heading_words, names_a_part
from quizgen.latex import one_line
from quizgen.model import Formula, FormulaHead, Note, Variant
from quizgen.patterns import lazy_pattern

VariantSource = Callable[[str, int, int], list[Variant]]
"""(concept, seed, count) → verified variants; the pipeline plugs a cache in here."""
FormulaChecks = Callable[[str, str, str], str]
"""(concept or "", term, normalised LaTeX) → why the formula is certainly wrong, or "" (see
:mod:`quizgen.generate.fidelity`); the pipeline plugs a cache in here."""

_TAG_BAD = lazy_pattern(r"[\s\"]+")


@dataclass(frozen=True)
class DeckContext:
    deck: str  # root deck name; '::' makes sub-decks
    namespace: str  # identity namespace (stable across renames of the deck title)
    seed: int
    kinds: tuple[str, ...]
    variants_per_concept: int = 3
    subdeck_per_note: bool = False
    # note path (as in SourceRef) → the path used in identities, independent of the cwd
    key_paths: Mapping[str, str] = field(default_factory=dict)
    terms: TermIndex | None = None  # the deck's terms across notes (set by ``generate``)
    # formula labels two notes give to different formulas (see ``labels``; set with terms)
    shared_labels: frozenset[str] = frozenset()
    # formulas several notes write alike: "label\0digest" → those notes, the card's maker first
    repeated: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    checks: FormulaChecks | None = field(default=None, compare=False)  # None: no cache

    def key_path(self, note: Note) -> str:
        return self.key_paths.get(note.path, note.path)

    def deck_for(self, note: Note) -> str:
        title = note.title if self.subdeck_per_note else ""
        return _deck_name(self.deck, note.category, title)

    def tags_for(self, note: Note) -> tuple[str, ...]:
        return _tags(note.tags, self.key_path(note))


# Every card of a note asks for the same deck and tags: computed once per note (these run
# tens of thousands of times on a big vault).
@lru_cache(maxsize=4096)
def _deck_name(root: str, category: str, title: str) -> str:
    parts = [root, category.replace("::", ":"), title.replace("::", ":")]
    return "::".join(p.strip() for p in parts if p.strip())


@lru_cache(maxsize=4096)
def _tags(note_tags: tuple[str, ...], key_path: str) -> tuple[str, ...]:
    out: list[str] = []
    for t in (*note_tags, PurePosixPath(key_path).stem):
        clean = _TAG_BAD.sub("_", t.strip()).strip("_")
        if clean and clean not in out:
            out.append(clean)
    return tuple(out)


# A concept split off from another keeps the identities of the formulas it took over, so their
# cards keep their review history (inverted dropout was once part of dropout).
_KEY_FAMILY = {"inverted_dropout": "dropout"}


def formula_keys(note: Note) -> dict[int, str]:
    """Identity of each display formula of a note, by index in ``note.formulas``.

    Built from the equation tag, the concept or the owning definition/heading plus an ordinal,
    never from the LaTeX, so fixing a typo in a formula keeps its cards.
    """
    keys: dict[int, str] = {}
    seen: dict[str, int] = {}
    for i, f in enumerate(note.formulas):
        if not f.display:
            continue
        if f.tag:
            base = f"tag:{f.tag}"
        else:
            base = (f"concept:{_KEY_FAMILY.get(f.concept, f.concept)}" if f.concept
                    else f"ctx:{f.context}")
        n = seen.get(base, 0)
        seen[base] = n + 1
        keys[i] = f"{base}#{n}"
    return keys


# Names that say what kind of formula it is but not which one: on a card they need the note.
_GENERIC_NAMES = frozenset({
    "损失函数", "目标函数", "优化问题", "目标", "损失", "似然函数", "更新规则", "更新公式", "梯度",
    "输出", "期望输出", "计算", "公式", "表达式", "loss", "loss function", "objective",
    "objective function", "update rule", "gradient", "output", "likelihood function",
    "前向传播", "反向传播", "forward pass", "backward pass", "forward propagation",
    "backpropagation", "概率分布", "概率分布模型", "density", "probability distribution",
    "预测值", "预测", "预测函数", "参数估计", "估计值", "最优解", "概率密度", "密度函数",
    "概率密度函数", "后验概率", "先验概率", "代价函数", "假设函数", "决策函数", "判别函数",
    "评分函数", "得分函数", "正则项", "惩罚项", "参数更新", "权重更新", "prediction",
    "estimate", "estimator", "density function", "pdf", "posterior", "prior", "cost function",
    "hypothesis", "decision function", "score function", "penalty", "regularization term",
    "残差", "预测输出", "最终的预测输出", "输出值", "residual", "最优化问题", "模型", "model",
    "期望值", "期望", "expectation", "expected value",
    "对数似然", "对数似然函数", "似然", "log-likelihood", "log likelihood", "likelihood",
    "拉格朗日函数", "拉格朗日乘子式", "lagrangian", "lagrange function",
    "数学模型", "模型公式", "mathematical model",
})

# Words that say which variant of a generic quantity, not whose: "对数条件概率" and "平均损失"
# are as generic as "概率" and "损失" (word2vec's skip-gram and every classifier have one).
_QUALIFIERS = lazy_pattern(
    r"^(?:对数|负对数|负|条件|联合|边缘|边际|平均|总|经验|期望|整体|总体|最终|"
    # "先验分布" is N(0, I) in a VAE and Dirichlet in LDA: whose prior, the card must say
    r"先验|后验|近似后验|真实后验|变分|近似|"
    r"(?:log|negative|conditional|joint|marginal|average|mean|total|expected|empirical|overall|"
    r"prior|posterior|approximate|variational|true)"
    r"[ -])+")
_GENERIC_HEADS = frozenset({
    "概率", "似然", "似然函数", "损失", "损失函数", "误差", "风险", "代价", "分布", "概率分布",
    "probability", "likelihood", "loss", "error", "risk", "cost", "distribution",
})


# ...unless the pair is itself a textbook quantity with one formula.
_NAMED_QUANTITIES = frozenset({
    "条件概率", "联合概率", "边缘概率", "边际概率", "经验风险", "期望风险", "边缘似然", "边际似然",
    "conditional probability", "joint probability", "marginal probability", "empirical risk",
    "expected risk", "marginal likelihood",
})


def _generic(name: str) -> str:
    """The generic name ``name`` is ("参数的更新" is 参数更新, "对数条件概率" is 概率), or ""."""
    folded = name.casefold()
    for form in (folded, folded.replace("的", "")):
        if form in _GENERIC_NAMES:
            return form
        head = _QUALIFIERS.sub("", form)
        if head != form and head in _GENERIC_HEADS and form not in _NAMED_QUANTITIES:
            return form
    return ""


# The steps of an algorithm ("Initialization", "Termination", "递推"): on a card, a step needs
# the algorithm it belongs to.
_STEP_NAMES = frozenset({
    "initialization", "initialisation", "loop", "recursion", "induction", "termination",
    "backtracking", "iteration", "初始化", "递推", "递归", "终止", "回溯", "迭代",
})

# "\(\text{TPR}\)（TPR）": the name only repeats what the left-hand side says.
_LHS_WORDS = lazy_pattern(r"\\(?:text|mathrm|textrm|operatorname|mathit|mbox)\s*|[{}\s]")
def _same_words(lhs: str, name: str) -> bool:
    return _LHS_WORDS.sub("", lhs).casefold() == name.replace(" ", "").casefold()


_TITLE_LIKE = lazy_pattern(r"[\u3400-\u9fff]|[A-Za-z]{3,}")


def _usable_title(title: str) -> bool:
    """A title that names the note's topic, not a file name ("05-logistic-regression-en")."""
    return bool(_TITLE_LIKE.search(title)) and not re.fullmatch(r"[\w-]*\d[\w-]*", title)


# A left-hand side every model writes the same way: a loss, cost, risk or objective by its
# usual letter, or the minimum or maximum of one.
_GENERIC_LHS = lazy_pattern(
    r"\s*(?:\\(?:mathop\s*\{\s*(?:\\text\s*\{\s*|\\)?|operatorname\*?\s*\{\s*|arg\s*\\?)?"
    r"(?:min|max|argmin|argmax)\s*\}*\s*(?:_\{[^{}]*\}|_\\?\w+)?\s*)?"
    r"(?:\\mathcal\s*\{[LJR]\}|[LJCER]|\\(?:operatorname|text|mathrm)\s*\{(?:Cost|Loss|cost|loss)\})"
    r"\s*(?:_\{?[^=(]{0,20}?\}?)?\s*\(",
)


# "\\text{Anomaly Score}", "\\text{Recon Loss}": a left side in words that ends in a kind of
# quantity every method defines its own way.
_WORDED_LHS = lazy_pattern(
    r"\s*\\(?:text|mathrm|operatorname|textrm)\s*\{[^{}]*?\b(?:score|loss|error|cost|risk|"
    r"objective|reward|distance|similarity|penalty)\s*\}", re.I)


def section_topic(heading: str, name: str) -> str:
    """The section a formula stands in, when its heading names a topic ("2、AdaGrad" →
    AdaGrad): a generic name ("参数更新") said with it is one formula of one method, where the
    note's title would name all of them at once. "" for a heading that names a part of a text
    ("三、推导过程"), says too much to be a name, or is the name itself."""
    topic = heading_words(heading)
    if (not topic or len(topic) > 24 or names_a_part(topic)
            or not _TITLE_LIKE.search(topic) or re.search(r"[，,。:：？?!！]", topic)
            or topic.casefold() == name.casefold()):
        return ""
    return topic


def crowded_names(formulas: Iterable[Formula | FormulaHead]) -> frozenset[str]:
    """Generic names (folded) that a note gives to two or more of its key formulas: "参数更新"
    under AdaGrad, under RMSProp and under Adam. Said with the note's title, each would ask for
    all of them; said with its section, each asks for one."""
    seen: dict[str, int] = {}
    sides: dict[str, set[str]] = {}
    for f in formulas:
        if not (isinstance(f, FormulaHead) or (f.key and f.display)):
            continue
        if name := _generic(f.name):
            seen[name] = seen.get(name, 0) + 1
        elif not f.name and f.lhs:
            # one digest per distinct formula (what ``labels`` holds) or its spacing-free text
            said = f.digest if isinstance(f, FormulaHead) else re.sub(r"\s+", "", f.latex)
            sides.setdefault(_side_key(f.lhs), set()).add(said)
    return frozenset([*(n for n, count in seen.items() if count > 1),
                      *(k for k, forms in sides.items() if len(forms) > 1)])


_LAYOUT = lazy_pattern(r"\s+|\\[,;!: ]|\\q?quad\b")


def _side_key(lhs: str) -> str:
    """How ``crowded_names`` knows a formula named only by its left side: ``head_i`` under
    MHA, under MQA and under GQA is one label for three formulas."""
    return "lhs:" + _LAYOUT.sub("", one_line(lhs))


# What a title says about the series it belongs to, not about its topic: "ML 学习笔记 7 xgboost"
# is about xgboost.
_SERIES = lazy_pattern(
    r"^\s*(?:(?:ML|DL|NLP|CV|机器学习|深度学习|统计学习|强化学习)\s*)?(?:学习)?(?:笔记|notes?)\s*"
    r"(?:[\d.]+|[一二三四五六七八九十]+)?\s*[：:、.\-—]*\s*", re.I)


def topic_of(title: str) -> str:
    """The note's title without its series words ("ML 学习笔记 7 xgboost" → xgboost)."""
    rest = _SERIES.sub("", title, count=1).strip()
    if not rest:
        return ""  # "学习笔记": no topic at all
    return rest if _usable_title(rest) else title


def formula_label(f: Formula | FormulaHead, title: str = "", p: Phrasing = ZH,
                  crowded: frozenset[str] = frozenset()) -> str:
    """How a card names a formula (rich text): ``\\(I(X;Y)\\)（互信息）``, ``互信息`` or
    ``\\(\\text{softmax}(z)_i\\)``; "" when the note gives it no name. A generic name ("损失函数")
    is said with the note's title, or not at all when the note has no real title."""
    title = topic_of(title)
    name = f.name
    if generic := _generic(name):
        # the note's title, unless the note says this of several formulas (or has no title)
        usable = _usable_title(title)
        where = (section_topic(f.context, name) if generic in crowded or not usable
                 else "") or (title if usable else "")
        name = p.in_note(name, where) if where else ""
    elif name.casefold() in _STEP_NAMES:
        # "Termination" under "2. Forward algorithm": the forward, backward and Viterbi
        # algorithms each end with one.
        whole = re.sub(r"^[\d.\s]+", "", f.context).strip()
        name = p.step_of(name, whole) if whole and whole.casefold() != name.casefold() else ""
    if name and f.lhs and _same_words(f.lhs, name):
        name = ""
    if name and f.lhs and len(f.lhs) <= 40:
        return p.named(f"\\({one_line(f.lhs)}\\)", name)
    if name:
        return name
    if f.lhs:
        lhs = f"\\({one_line(f.lhs)}\\)"
        if _side_key(f.lhs) in crowded:
            # the note writes this left side for several formulas: said with its section
            # ("MQA中的 head_i"), or not named at all
            topic = section_topic(f.context, "")
            return p.in_note(lhs, topic) if topic else ""
        if _GENERIC_LHS.match(f.lhs) or _WORDED_LHS.match(f.lhs):
            # every model has an L(w, b, α) and a Cost(ŷ, y): said with the note, or not at all
            return p.in_note(lhs, title) if _usable_title(title) else ""
        return lhs
    return concept_title(f.concept, p) if f.concept else ""


def concept_title(concept: str, p: Phrasing = ZH) -> str:
    """A recognised formula's name from the concept registry ("KL 散度 (KL Divergence)"; in an
    English note the English part): the formula and the concept's name agree, or it would
    not have been recognised."""
    # Imported here: the registry loads every concept module (~40 ms), which a rebuild that
    # makes no such card never needs.
    from quizgen.concepts import get

    title = get(concept).title
    english = re.search(r"\(([^()]*[A-Za-z][^()]*)\)\s*$", title)
    return english.group(1) if english and not p.zh else title
