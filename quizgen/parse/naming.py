"""What a display formula is called, and whether it is worth learning (a *key* formula).

A formula is named by what it is, never by the section heading it sits under or by a term
defined paragraphs earlier (one heading such as "2.5 方差" covers many formulas, so a prompt
named after it has many answers):

1. the term it defines: a definition whose text ends in 定义为 / 公式为 / "is defined as" right
   before it;
2. the phrase introducing it: "交叉熵损失为", "The cross-entropy loss is given by", "we define
   the *differential joint entropy* as";
3. the term defined earlier in the same paragraph, when the words right before the formula only
   announce it ("计算公式为:");
4. its own left-hand side when that says what it is (``I(X;Y)``, ``\\text{softmax}(z)_i``,
   ``L_{\\text{InfoNCE}}``), shown next to the name when there is one.

A formula is key when a student has a reason to learn it: it is defined or named, its tag is
referred to in the text, it has a symbol legend, or it is a recognised concept; and it is not a
step of a derivation (announced by 因此 / 代入得 / "we get", starting with ``=``, a long chain of
``=``) or the arithmetic of a worked example.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from quizgen.latex import names_itself, top_level_relations
from quizgen.parse.cues import ANNOUNCES, GENERIC_SUBJECTS, derives
from quizgen.parse.markdown import TEXT_COMMAND
from quizgen.parse.terms import term_problem
from quizgen.patterns import lazy_pattern
from quizgen.textrefs import points_outside

# Cues that make the formula the definition of the term before it (not just an example in it).
DEFINES = lazy_pattern(
    r"(?:定义为|定义如下|定义是|定义|公式为|公式是|公式如下|计算公式为|计算方式为|计算如下|表达式为|"
    r"可表示为|可以表示为|表示为|可写为|可以写为|可写成|写为|写成|等于|为|"
    r"is defined as|are defined as|is defined by|defined as|is given by|are given by|"
    r"can be written as|is written as|is computed as|is calculated as)\s*[:：,，]?\s*$",
    re.I,
)
_INTRO_ZH = lazy_pattern(
    r"^(?P<subject>.+?)\s*(?:的)?(?:数学)?(?:定义|计算公式|公式|表达式|形式|计算方式|更新规则|更新公式)?"
    r"\s*(?:可以|可)?(?:重写为|改写为|定义为|定义如下|表示为|写为|写成|写作|计算为|如下|等于|为|是)"
    r"(?:下面的|以下|如下的|如下|下列)?(?:公式|式子|形式|方程|等式)?(?:所示)?\s*[:：]?\s*$"
)
# "ReLU函数被定义为该元素与0的最大值：": the subject of 被定义为 is what the formula defines.
_DEFINED_ZH = lazy_pattern(
    r"^(?P<subject>[^，,。]{1,20}?)\s*(?:被|可以被|可被)?定义(?:为|成)[^。]{0,40}$"
)
# "softmax 的雅可比矩阵有一个简洁的形式：", "sigmoid 的导数可以用它自身表示".
_HAS_FORM = lazy_pattern(
    r"^(?P<subject>[^，,。]{2,20}?)\s*(?:有|具有)(?:一个|如下的|下面的)?[^，,。]{0,6}?(?:形式|表达式)"
    r"\s*[:：]?\s*$|^(?P<subject2>[^，,。]{2,20}?)\s*可以?(?:用[^，,。]{1,8})?(?:表示|写)(?:为|成)?"
)
# "…求解下面的经验风险最小化问题：": the noun that the sentence ends on before its colon.
_FOLLOWING = lazy_pattern(
    r"(?:下面|以下|如下|下列)(?P<np>[\u3400-\u9fff]{2,24}?)(?=的一种|的一个|的方法|的技巧|的做法|[，,：:]|\s*$)"
)
_VERB_END = ("得到", "给出", "计算", "表示", "求得", "所示", "可得", "得", "推导", "定义", "写出")
_CLOSED_FORM_EN = lazy_pattern(
    r"^(?P<subject>.+?)\s+(?:has|takes)\s+(?:a|the)\s+(?:closed|simple|compact|following|"
    r"neat)[\s-]*(?:form|expression)\s*:?\s*$", re.I,
)
# "池化和卷积的输出尺寸公式相同：" → 输出尺寸; "欧氏距离按特征的每一维计算:" → 欧氏距离.
_FORMULA_OF = lazy_pattern(
    r"^(?P<subject>[^，,。]{2,24}?)(?:的)?(?:计算)?公式(?:相同|一样|如下|为|是)\s*[:：]?\s*$"
    r"|^(?P<subject2>[\u3400-\u9fffA-Za-z][\u3400-\u9fffA-Za-z\- ]{1,10}?)(?:按|通过|由|用)"
    r"[^，,。]{1,20}?(?:计算|算出|求得|得到)\s*[:：]\s*$"
)
# "相似度通常取余弦相似度：", "AdaGrad引入了二阶动量：" → the formula is what is taken.
_TAKEN = lazy_pattern(
    r"(?:通常|一般|常)?(?:取|采用|选用|使用|引入了?|引进了?)(?P<subject>[\u3400-\u9fff]{2,10})\s*[:：]\s*$"
)
# "先计算均值：", "再求方差："
_COMPUTE_ZH = lazy_pattern(
    r"^(?:先|再|然后|最后|接着)?(?:计算|求出|求解|求(?!解))(?!如下|以下|下面|下列)(?P<subject>[\u3400-\u9fff]{2,8})\s*[:：]?\s*$"
)
_INTRO_EN = lazy_pattern(
    r"^(?:.*?\b(?:we|one)\s+(?:can\s+)?(?:define|write|call)\s+)?(?P<subject>.+?)\s*,?\s+"
    r"(?:(?:is|are|can be|may be)\s+)?(?:defined as|given by|written as|computed as|calculated as|"
    r"as follows|as|is|are)(?:\s+the\s+(?:following\s+)?(?:equation|formula|expression)"
    r"(?:\s+below)?)?\s*[:：]?\s*$",
    re.I,
)
_CONTEXT_LEAD = lazy_pattern(
    r"^(?:.{0,16}?(?:中|时|里|上|下|来说|而言)[，,]\s*|(?:则|那么|于是|而|且|另外|此外|同样)[，,]?\s*)"
)
_CONTEXT_END = ("下", "时", "中", "里", "上", "后", "前", "来说", "而言", "情形", "情况", "时候")
_EN_DETERMINER = lazy_pattern(r"^(?:the|a|an|its|their|our|this|that)\s+", re.I)
_SENTENCE_START = lazy_pattern(r"[。！？!?；;]|\.(?=\s)|\n\s*\n")
_NUMBER = lazy_pattern(r"\d+(?:\.\d+)?")
_COMMAND = lazy_pattern(r"\\[A-Za-z]+")

# A left-hand side that says what it is: a named function of arguments, a word in \text{…},
# an operator name.
_NAMED_LHS = lazy_pattern(
    r"\\(?:text|mathrm|operatorname|textrm|mathit)\s*\{[A-Za-z]{2,}|"
    r"(?:^|[^A-Za-z\\])(?:[A-Za-z]|\\mathcal\s*\{?[A-Za-z]\}?|\\[A-Za-z]+)\s*(?:_\{[^{}]*\}|_[A-Za-z0-9])?"
    r"\s*(?:\^\{[^{}]*\}|\^[A-Za-z0-9])?\s*(?:\\left)?\s*[(\[]\s*[^()\[\]]*[,;|]"
)

_TRAILING_CUE = lazy_pattern(r"(?:定义为|公式为|表示为|可表示为|如下|为|是)?\s*[:：]?\s*$")
_GENERIC_FORMULA = lazy_pattern(r"(?:其|它的)?(?:计算)?(?:公式|定义|表达式)")

# "若 X 与 Y 独立，则…", "if X and Y are independent then": a card showing the formula alone
# would state it without the condition it needs.
_CONDITION = lazy_pattern(
    r"(?:^|[\s，,。；;])(?:若|如果|假如|假设|倘若|只有当|当[^，,。]{1,30}时|在[^，,。]{1,20}(?:条件|情况)下"
    r"|[^，,。：:\ue000\ue001]{1,20}时(?=[，,]))"
    r"|\b(?:if|when|whenever|suppose|supposing|assuming|assume|given that|provided that|"
    r"independent)\b",
    re.I,
)

_PICTURE = lazy_pattern(r"图|表|fig|table|plot|graph", re.I)

MAX_CHAIN = 2  # top-level relations a formula to learn may have ("I = H(X)-H(X|Y) = …")


@dataclass(frozen=True)
class Naming:
    """The verdict on one display formula."""

    key: bool
    name: str = ""
    lhs: str = ""
    why_not: str = ""  # why it is not key (for ``quizgen check --explain``)
    defines: bool = False  # named by the definition it completes


def sentence_before(text: str) -> str:
    """The last (partial) sentence of ``text``: the words that introduce what follows."""
    starts = [m.end() for m in _SENTENCE_START.finditer(text)]
    return text[starts[-1] :] if starts else text


def _size(text: str) -> int:
    """CJK characters plus Latin words: how much a phrase says."""
    return len(re.findall(r"[\u3400-\u9fff]", text)) + len(re.findall(r"[A-Za-z]+", text))


def _clean_subject(subject: str) -> str:
    s = _CONTEXT_LEAD.sub("", subject.strip(" ，,:：*"))
    s = re.sub(r"^(?:因为|由于|所以|因此|而|且)", "", s)
    s = re.sub(r"^(?:此时|这时|那时|这里|此处|这样)的?", "", s)  # 此时样本的… → 样本的…
    s = re.sub(r"^[^，,]{1,10}?时(?:候)?(?=它的|其)", "", s)  # 训练时它的期望输出 → 它的期望输出
    s = re.sub(r"^(?:其|它的|它|该|此|一个|一种|某个|每个|这个)(?=[\u3400-\u9fffA-Za-z])", "", s)
    s = re.sub(r"[*`]", "", s).strip()
    s = _EN_DETERMINER.sub("", s)
    return s.strip(" ，,")


_MARKED_TERM = lazy_pattern(r"(?P<mark>\*\*|\*)(?P<term>[^*\n]{1,50}?)(?P=mark)(?!\*)")
_AFTER_MARKED = lazy_pattern(
    r"^(?:\s*[(（][^()（）]{0,60}[)）])?[^。；;!?！？]{0,60}?"
    r"(?:is|are|be|as|by|:|：|,|，|为|是|如下|定义为|表示为|可表示为|写为|given by|"
    r"defined as)?\s*$",
    re.I,
)


# A marked term after a preposition or 由/通过/用 is what does the work or where it happens.
_AGENT_BEFORE = lazy_pattern(
    # ("we measure … through *entropy*" and "given by the *sigmoid*" still name it)
    r"(?<!given )\b(?:by|with|using|in|on|from)\s+(?:(?:a|an|the|its|their)\s+)?$"
    r"|(?:由|通过|用|利用|使用|借助|采用|经过)\s*$",
    re.I,
)


def marked_name(intro: str) -> str:
    """A term the author set off with emphasis in the words introducing a formula ("we define
    the *joint entropy* … as", "*交叉熵损失*为"): the formula is that term's."""
    # "(or *Shannon entropy*)" after a marked term is its other name, not the term.
    found = [m for m in _MARKED_TERM.finditer(intro)
             if not re.search(r"[(（]\s*(?:or|或|也称|又称)?\s*$", intro[: m.start()])]
    if not found:
        return ""
    m = found[-1]
    if _AGENT_BEFORE.search(intro[: m.start()]):
        return ""  # "α is computed by a *neural network*": what computes it, not its name
    rest = intro[m.end() :]
    bare = re.sub(r"[(（][^()（）]*[)）]|[\s,，.。:：;；]|\ue000\d+\ue001", "", rest)
    if len(rest) > 60 or not _AFTER_MARKED.match(rest) or not (
            ANNOUNCES.search(intro) or not bare):
        return ""
    if re.search(r"[\u3400-\u9fff]", bare) and (len(bare) > 8 or "的" in bare):
        return ""  # "生成*上下文词*“the”…的条件概率：" — the term only qualifies the subject
    term = m.group("term").strip()
    if _DOING.fullmatch(term):
        return ""  # "equivalent to *minimizing* the objective": what is done, not a name
    if not_a_name(term):
        return ""
    return term if term_problem(term, marked=True) is None else ""


# Words that sit where a formula's name would but name none: the word for a formula itself
# ("**公式**："), a step of a procedure ("2. **计算对应的 CDF**：", "**代入反函数**得到"), a
# name only relative to something earlier ("**修改后的原始问题**："), or a generic noun with
# a participle ("The function commonly used is:").
_NO_NAME = lazy_pattern(
    r"(?:其|它的)?(?:基本|一般|通用|核心|主要|最终|完整|具体)?的?(?:计算)?"
    r"(?:公式|式子|表达式|数学表达式|数学形式)"
    # "写出定理的公式": which theorem?
    r"|定理|引理|推论|命题|(?:the\s+)?(?:theorem|lemma|corollary|proposition)"
    r"|(?:the\s+)?(?:formula|equation|expression|math|maths)",
    re.I,
)
_STEP_VERB = lazy_pattern(
    r"(?:计算|求出?|反解|代入|生成|定义|写出|列出|推导|令|取|使用|构造|建立|初始化|更新|重复|"
    r"选择|得到|确定|带入|解出|化简|整理|设|假设|假定|例如|比如)(?!机|图|复杂度|量|值|计|备|置)"
    # "模型记为：" names its notation, not a result
    r"|.*(?:记|记作|记号)$"
)
_RELATIVE = lazy_pattern(
    r"(?:修改|改进|简化|化简|变换|整理|更新|替换|推广|扩展)后的|(?:新|最终|上述|上面|前面)的"
)
_GENERIC_HEAD_EN = lazy_pattern(
    r"(?:function|formula|equation|expression|quantity|value|term|result|rule)\s+"
    r"(?:(?:most|very)\s+)?(?:commonly|usually|often|typically|generally|frequently)?\s*"
    r"(?:used|obtained|given|shown|defined|written|applied)\b",
    re.I,
)


# "P(X=x_i) = p_i, i=1,2,…,n": the right side is one letter, so the formula only names the
# quantity on the left (the max-entropy note's setup), it states nothing to remember.
_NOTATION = lazy_pattern(
    r"^\s*[^=]{1,60}?=\s*(?:\\[A-Za-z]+|[A-Za-z])(?:_\{?[\w,]{1,6}\}?)?(?:\^\{?[\w*]{1,3}\}?)?"
    r"\s*(?:[,，;；]\s*(?:\\quad\s*)?[a-z]\s*=.*)?\s*[.。]?\s*$")
# Chinese words that make a display block a sentence rather than a formula.
_PROSE_IN_MATH = lazy_pattern(r"使得|找到|满足|其中|求出|假设|如果|那么|因为|所以")


# Words that say what sort of thing a formula gives but not which ("参数", "关系", "约束条件"),
# alone or strung together ("参数的更新值", "函数的下降值"): every derivation has them.
_VACUOUS_WORD = (
    r"(?:函数|关系式?|参数|变量|结果|条件|约束(?:条件)?|迭代(?:公式|式)?|不?等式|方程组?|"
    r"形式|更新值|下降值?|变化量?|增量|定义|问题|数值|取值|值|表示|近似|展开式?|推导|乘积|"
    r"比值|向量|矩阵|元素|分量|部分|项|原型|函数原型)"
)
_VACUOUS = lazy_pattern(
    rf"{_VACUOUS_WORD}(?:的?{_VACUOUS_WORD})*"
    r"|(?:the\s+)?(?:(?:function|relation|relationship|parameters?|variables?|result|"
    r"condition|constraints?|iteration|update|equality|inequality|form|definition|problem|"
    r"value|vector|matrix|element|approximation|expansion)\s*)+"
    # "概率为：" alone: which probability? ("条件概率" is one)
    r"|概率|分布|概率分布|(?:the\s+)?(?:probability|distribution)",
    re.I,
)


def not_a_name(name: str) -> bool:
    """Words in a formula's name slot that name no formula (see ``_NO_NAME`` and the rest):
    also one Chinese character ("因", cut from 因为), a property of something unnamed ("合理性"),
    and an English name only relative to another ("corresponding loss")."""
    name = name.strip(" *：:")
    return bool(_NO_NAME.fullmatch(name) or _VACUOUS.fullmatch(name)
                or re.search(r"的(?:取)?值$", name)  # a value in one case: "熵的值" = log n
                or _STEP_VERB.match(name) or _RELATIVE.match(name)
                or _GENERIC_HEAD_EN.match(name) or _RELATIVE_EN.search(name)
                or (re.fullmatch(r"[\u3400-\u9fff]", name) and name not in _ONE_CHAR_TERMS)
                or re.fullmatch(r"[\u3400-\u9fff]{1,4}性", name)
                # "模型修改如下：", "似然函数确定：": what is done to it, not its name
                or re.search(r"(?:修改|改进|改写|变形|确定|求解|化简|简化|展开|推导)$", name)
                or re.match(r"(?:退化为|变为|变成|转化为|等价于|简化为|化为)", name)
                or re.search(r"呈|正比|成比例", name)  # "似然函数呈比例": a clause
                # "它的基本形式是：" — a qualifier left of 形式, not the thing's name
                or _QUALIFIER.fullmatch(name)
                # "所有 head 使用同一组：" — which one, not what
                or re.match(r"(?:同一|同样的?|相同的?|每一?|各)(?:组|个|种|类|套|批|份)", name))


_QUALIFIER = lazy_pattern(r"(?:基本|一般|标准|完整|具体|最终|通用|简单|常见|主要|常用)的?")
# The technical terms that are one character long (any other is a word cut short: 因 of 因为).
_ONE_CHAR_TERMS = frozenset("熵秩迹核矩")
_RELATIVE_EN = lazy_pattern(
    r"^(?:corresponding|resulting|modified|new|final|above|following|previous|same)\b"
    r"|\bcorresponding$", re.I)


_DOING = lazy_pattern(
    r"(?:minimi[sz]|maximi[sz]|optimi[sz]|comput|calculat|solv|find|us|tak|gett|mak|"
    r"approximat|estimat|updat)ing", re.I,
)


def phrase_name(intro: str) -> str:
    """The name an introducing phrase gives ("交叉熵损失为" → 交叉熵损失), or ""."""
    intro = intro.strip()
    if not intro:
        return ""
    marked = marked_name(intro)
    if marked:
        return marked
    if "*" in intro:
        return ""
    zh = bool(re.search(r"[\u3400-\u9fff]", intro))
    if not zh:
        m = _CLOSED_FORM_EN.match(intro) or _INTRO_EN.match(intro)
        return _subject_or_nothing(m.group("subject")) if m else ""
    clauses = re.split(r"[，,]", intro)
    for clause in (clauses[-1], clauses[0]):
        introduced = False
        for m in (_DEFINED_ZH.match(clause), _INTRO_ZH.match(clause), _HAS_FORM.match(clause),
                  _COMPUTE_ZH.match(clause), _FORMULA_OF.match(clause), _TAKEN.search(clause)):
            raw = m and (m.groupdict().get("subject") or m.groupdict().get("subject2"))
            if raw:
                introduced = True
                if subject := _subject_or_nothing(raw):
                    return subject
        if introduced:
            # The clause right before the formula introduces it: when what it names is no
            # name, the sentence's first clause ("唯一不同的是") is not one either.
            return ""
    return ""


def object_name(intro: str) -> str:
    """The noun a sentence points at the formula with: "求解下面的经验风险最小化问题：" →
    经验风险最小化问题; "…处理如下期望形式的目标函数的一种技巧：" → 目标函数."""
    m = _FOLLOWING.search(intro)
    if not m:
        return ""
    noun = m.group("np").lstrip("的").rsplit("的", 1)[-1]
    # "以下四个公式进行理解": a count of formulas and what they are for, not a name
    if len(noun) < 2 or noun.endswith(_VERB_END) or _FORMULA_VERB.search(noun) or \
            _COUNTED_FORMULAS.match(noun):
        return ""
    return _subject_or_nothing(noun)


_COUNTED_FORMULAS = lazy_pattern(r"[一二两三四五六七八九十几\d]+\s*(?:个|条|组)")
# "以下公式建模" / "下面的式子描述": the word for a formula and what it does, not a name.
_FORMULA_VERB = lazy_pattern(r"(?:公式|方程|式子|等式|表达式)[\u3400-\u9fff]")


def points_forward(intro: str) -> bool:
    """"如下 / 以下 / 下面的 X": the formula is that X, whatever the sentence defines."""
    return bool(_FOLLOWING.search(intro))


# "采用迭代的方法：" describes how something is done; the formula is one step of it, and
# "迭代的方法的公式" asks for nothing a student could name.
_MANNER = lazy_pattern(r"(?:的(?:方法|方式|办法|做法|思路|手段|途径|写法)|写法)$")
# "错误率与精度可分别描述": several formulas at once, and a verb, not a name.
_CLAUSE_NAME = lazy_pattern(
    # "引入条件信息实现可控生成": what is done and to what end, not a name
    r"实现|使得|以便|用于|用来|达到|^[中的而且和与]|^(?:因而|因此|所以|于是|从而|定义)|得来$|理由|原因|分别|如下|以下|下面|下列|(?:可以?|能)(?:被)?(?:描述|表示|写|定义|计算)|(?:描述|表示|计算|定义)$"
)


# "一般的目标函数都包含下面两项：": how many parts there are, not what the formula is.
_COUNT = lazy_pattern(
    r"^(?:[这那]|以下|下面|如下)?(?:[一二两三四五六七八九十几数多]+|\d+)\s*"
    r"(?:个|项|种|类|部分|个部分|步|点|条|组|式|层|阶段|方面|维|块)(?:组成|构成)?$"
)


def _numbers_only(latex: str) -> bool:
    """Whether the right side is numbers alone (a worked example's data: a one-hot label, a
    vector of logits written ``\\boxed{2}\\boxed{3}\\boxed{4}`` or in a matrix)."""
    if "=" not in latex:
        return False
    right = latex.rsplit("=", 1)[1]
    bare = re.sub(r"\\(?:begin|end)\{[a-z]*\*?\}|\\[A-Za-z]+|[\s{}\[\]()&\\,;.|+-]", "", right)
    return bare.isdigit()


_OBJECTIVE = lazy_pattern(r"目标函数|损失|代价函数|\bobjective\b|\bloss\b|\bcost\b", re.I)
_PREDICTION = lazy_pattern(
    r"\\?hat\{?y\}?(?:_\{?\w+\}?)?|y(?:_\{?\w+\}?)?|[fh](?:_\{?\\?\w+\}?)?\(x\)"
)


# "计算偏导：", "得到方程：": the formula is a step of working, whatever it is called.
STEP_WORDS = frozenset({
    "偏导", "偏导数", "导数", "结果", "推导", "推导公式", "推导过程", "证明", "证", "derivative",
    "result", "derivation", "proof", "结论", "conclusion", "等号成立条件", "成立条件", "条件",
})


# "它们的联合概率为：" (two independent variables): what holds for the things just named, not
# the formula of the noun (the joint probability is p(x)p(y) only for them).
_THEIR = lazy_pattern(r"^\s*(?:它们|他们|她们|二者|两者)的?")


def acceptable_name(name: str) -> bool:
    """Whether ``name`` may name a formula (the checks a phrase's subject goes through)."""
    return bool(_subject_or_nothing(name))


def _subject_or_nothing(raw: str) -> str:
    if _THEIR.match(raw):
        return ""
    subject = _clean_subject(raw).rstrip(" .。:：")
    if "的" in subject and len(subject.rsplit("的", 1)[-1]) >= 2 and (
            "和" in subject or "与" in subject):
        subject = subject.rsplit("的", 1)[-1]  # "池化和卷积的输出尺寸" → 输出尺寸
    if (not subject or GENERIC_SUBJECTS.match(subject) or subject.endswith(_CONTEXT_END)
            or _MANNER.search(subject) or _CLAUSE_NAME.search(subject) or _COUNT.match(subject)
            or points_outside(subject) or not_a_name(subject)
            or term_problem(subject) is not None or "\ue000" in subject):
        return ""
    return subject


# Spacing or a style an author put before a formula (``\\kern{4 em}``, ``\\displaystyle``): not
# part of its left-hand side.
_LEADING_SPACE = lazy_pattern(
    r"^\s*(?:\\(?:kern|hspace|mkern|hskip)\s*\{[^{}]*\}|\\q?quad\b|\\[,;:! ]|~"
    r"|\\(?:displaystyle|textstyle)\b)+"
)


def left_side(latex: str) -> str:
    """The formula's left-hand side when it says what the formula is, else ""."""
    rel = top_level_relations(latex)
    if not rel:
        return ""
    lhs = _LEADING_SPACE.sub("", latex[: rel[0][0]].replace("&", "")).strip()
    if not lhs or len(lhs) > 60 or "\\\\" in lhs or "\\begin" in lhs:
        return ""
    return lhs if _NAMED_LHS.search(lhs) else ""


def _worked_example(latex: str) -> bool:
    """Numbers doing the work: ``≈ −301029995.6``, ``0.2\\log 0.2 + …``."""
    body = _COMMAND.sub(" ", latex)
    body = re.sub(r"[_^]\s*(?:\{[^{}]*\}|\w)", " ", body)  # indices and powers are notation
    numbers = _NUMBER.findall(body)
    letters = re.findall(r"[A-Za-z]", body)
    digits = sum(len(n) for n in numbers)
    return (digits >= 6 and digits > len(letters)) or bool(re.search(r"\d\.\d{3,}", body))


# `\sum_{n-1}^N` where `n=1` was meant (real notes): a card would teach the typo.
_LIMIT_TYPO = lazy_pattern(r"\\(?:sum|prod)\s*_\s*\{\s*[A-Za-z]\s*-\s*\d+\s*\}")


def _right_side(latex: str) -> str | None:
    """What stands right of a formula's one top-level relation (``None`` for a chain)."""
    rel = top_level_relations(latex)
    if len(rel) != 1:
        return None
    at, relation = rel[0]
    return latex[at + len(relation):]


def _entries_only(latex: str) -> bool:
    """``A=[a_{ij}]_{N\\times N}``, ``\\pi = (\\pi_i)``, ``\\theta := (\\pi_k, \\mu_k,
    \\Sigma_k)``: the right side only lists what the left side is made of."""
    right = _right_side(latex)
    if right is None:
        return False
    right = re.sub(r"\\(?:left|right|big|Big)\b|\s", "", right).rstrip(".,")
    right = re.sub(r"_\{[^{}]*\}$|_\w$", "", right)  # the size: _{N\times N}
    right = re.sub(r"\\(?:text|mathrm|rm)\{([^{}]*)\}", r"\1", right)
    m = re.fullmatch(r"[\[(](.+)[\])]", right)
    if m is None or re.search(r"[+\-*/=<>|]|\\(?:frac|sum|prod|int|log|exp|mid)", m.group(1)):
        return False
    return all(_ENTRY.fullmatch(part) for part in m.group(1).split(","))


# One entry of a matrix or tuple: a letter or command, its index, its superscript, its argument.
_ENTRY = lazy_pattern(r"\\?[A-Za-z]+(?:_\{?[\w,]+\}?)?(?:\^\{?\(?[\w\\]+\)?\}?)?(?:\([\w,]*\))?")


def _applies(name: str, latex: str) -> bool:
    """Whether the right side is only ``name(…)``: ``\\vec b = softmax(\\vec a)`` under
    "obtain attention weights via softmax" uses softmax; the card would ask for its formula."""
    right = _right_side(latex)
    if right is None or not re.fullmatch(r"[A-Za-z][A-Za-z -]{1,30}", name):
        return False
    right = re.sub(r"\\(?:operatorname|mathrm|text|rm)\s*", "", right)
    right = re.sub(r"[\s{}]|\\[,;!]|\\left|\\right", "", right).rstrip(".,")
    word = re.sub(r"[\s-]", "", name)
    return bool(re.fullmatch(rf"\\?{re.escape(word)}\(.*\)", right, re.I))


def derivation_step(latex: str, intro: str) -> str:
    """Why the formula is a step of a derivation, worked arithmetic or a likely typo, or ""."""
    if _LIMIT_TYPO.search(latex):
        return "its summation limit looks like a typo (n-1 for n=1)"
    head = latex.lstrip().removeprefix("&").lstrip()
    if re.match(r"(?:=|\\approx|\\Rightarrow|\\implies|\\leq?|\\geq?|<|>|\\propto|\\equiv)", head):
        return "continues the formula before it"
    if derives(intro):
        return "a step of a derivation"
    if len(top_level_relations(latex)) > MAX_CHAIN:
        return "a chain of steps, not one fact"
    if _worked_example(latex):
        return "worked-example arithmetic"
    return ""


@lru_cache(maxsize=4096)  # a vault names the same formula after the same words many times
def name_formula(
    latex: str, intro: str, *, defined_term: str = "", paragraph_term: str = "",
    referenced: bool = False, has_legend: bool = False, concept: str | None = None,
) -> Naming:
    """Name one display formula and decide whether it is key.

    ``intro`` is the sentence right before the formula (same paragraph, or the end of the
    paragraph before when the formula opens its block); ``defined_term`` the term whose
    definition runs into this formula (or, with no ``intro``, whose paragraph it follows);
    ``paragraph_term`` the last term defined earlier in the same paragraph.
    """
    lhs = left_side(latex)
    # "目标函数定义为：" names its own subject, even inside the definition of another term.
    phrase = phrase_name(intro) or object_name(intro)
    # "所以：" alone before it: a result reached in the working, not the term's formula (a
    # definition's own sentence may run into it with "…，从而可以求导：").
    cue_only = derives(intro) and len(re.sub(r"[\s:：,，.。]", "", intro)) <= 4
    defines = bool(defined_term) and not phrase and not points_forward(intro) and not cue_only
    name = defined_term if defines else phrase
    if not name and paragraph_term and not derives(intro) and not points_forward(intro):
        # The definition's own sentence runs into the formula, or only a short link stands
        # between them ("对离散分布，", "计算公式为：", "For discrete distributions:").
        rest = _clean_subject(_TRAILING_CUE.sub("", intro))
        if (not rest or GENERIC_SUBJECTS.match(rest) or _GENERIC_FORMULA.fullmatch(rest)
                or _size(rest) <= 12 or intro.lstrip(" *").startswith(paragraph_term)):
            name = paragraph_term
    # The words of a definition that runs into its formula ("…,从而可以求导:") or of a marked
    # term's introduction are not derivation cues.
    step = derivation_step(latex, "" if defines or marked_name(intro) else intro)
    if not step and not defines and _CONDITION.search(intro):
        step = "holds only under a condition the card would not show"
    ref = points_outside(intro, formula_follows=True) or ""
    if not step and _PICTURE.search(ref):
        # "以下图为例，图中所示随机变量的联合概率可以表示为：" — the formula is that figure's
        # (one derived "根据式 (3)" still stands alone).
        step = f"its introduction refers to a figure or table not shown ({ref})"
    if not step and (re.fullmatch(r"\s*[^=]{1,30}=\s*-?\d+(?:\.\d+)?\s*", latex)
                     or _numbers_only(latex)):
        step = "a value, not a formula"  # "d_{model}=512", "y = \\boxed{0}\\boxed{1}\\boxed{0}"
    if not step and not concept and _NOTATION.match(re.sub(r"\([^()]*\)", "()", latex)):
        step = "gives a quantity a letter (notation), not a result"  # P(X=x_i) = p_i
    if not step and not concept and _entries_only(latex):
        step = "writes a matrix or tuple by its entries (notation), not a result"  # A=[a_ij]
    if not step and _PROSE_IN_MATH.search(TEXT_COMMAND.sub("", latex)):
        step = "a sentence written as math, not a formula"  # "找到W, 使得: W^T X \\geq 0"
    if not step and name and _applies(name, latex):
        step = f"applies {name} to something, it does not define {name}"  # b = softmax(a)
    if not step and name.casefold() in STEP_WORDS:
        step = f"names a step of working ({name}), not a result"
    left = re.sub(r"\s+", "", latex.split("=", 1)[0]) if "=" in latex else ""
    if not step and _OBJECTIVE.search(name) and _PREDICTION.fullmatch(left):
        # "线性模型的目标函数：y = w_0 + Σ w_i x_i" writes the model, not what is minimised.
        step = f"called {name} but it states the model's output ({left})"
    reasons = bool(name) or referenced or has_legend or bool(concept) or names_itself(lhs)
    if step and (not concept or step.startswith("its summation")):
        return Naming(False, "", "", step)
    if not reasons:
        return Naming(False, "", lhs, "nothing says it is a definition or a named result")
    return Naming(True, name, lhs, "", defines)
