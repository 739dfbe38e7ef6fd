"""What can be a term: the rules every definition's term and alias must pass.

A pattern that finds "X (Y)：…" or "…称为 *X*" only proposes a term; real notes then hand it
``的生成树``, ``其实就``, ``在信息论中信息增益``, ``伯努利分布 (（0)`` or a table row. A term
starts at a clause boundary, so it never starts or ends with a function word; its brackets
balance; it carries no Markdown or math; it is short, as names are.
"""

from __future__ import annotations

import re
from functools import lru_cache

from quizgen.patterns import lazy_pattern

_CJK = lazy_pattern(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = lazy_pattern(r"[A-Za-z][A-Za-z0-9'’\-]*")

# Words a term never starts with: particles, conjunctions, adverbs and demonstratives that
# show the pattern began mid-clause ("而偏导数就", "所以 arg max 操作", "在信息论中…").
_BAD_START_ZH = (
    "的", "而", "就", "所以", "其实", "那么", "即", "则", "在", "和", "与", "或", "但", "并", "也",
    "还", "又", "对于", "对", "把", "将", "被", "从", "这", "那", "该", "此", "其", "我们", "你",
    "他", "它", "如果", "若", "因为", "因此", "于是", "然后", "首先", "其次", "最后", "其中", "当",
    "由于", "通过", "使用", "利用", "用", "为了", "关于", "根据", "例如", "比如", "以及", "及",
    "并且", "而且", "可以", "可", "会", "能", "要", "让", "使", "给", "向", "以", "再", "都", "只",
    "所谓", "称", "叫", "是", "有", "个", "种", "一个", "一种", "这种", "这个", "同样", "另外",
    "此外", "总之", "换句话说", "简单来说", "一般", "通常", "即使", "虽然", "不", "没", "假设",
    "尽管", "现在", "考虑", "再举", "接下来", "下面", "上面", "回忆", "注意", "显然", "事实上",
    "实际上", "另一方面", "一方面", "上述", "下述", "以上", "以下", "已知", "可知", "可见",
    "众所周知", "注意到", "易知",
    # what the text has or said before ("已有策略模型：…", "前一节讲到：…"), not a name
    "已有", "现有", "前一节", "上一节", "前一章", "上一章", "本节", "本章", "本文", "上文", "前文",
    "下文", "后文", "前面", "之前", "刚才", "这里",
)
def opens_with_function_word(text: str) -> bool:
    """Whether ``text`` starts with a word that cannot start a name ("再经过…", "所以…")."""
    head = text.lstrip()
    return head.startswith(_BAD_START_ZH) and not _is_known_compound(head)


_BAD_END_ZH = (
    "的", "就", "是", "了", "着", "过", "而", "和", "与", "及", "中", "里", "时", "后", "前",
    "即", "为", "也", "都", "地", "得", "把", "被", "将", "在", "对", "从", "或", "并", "等",
    "呢", "吗", "吧", "啊", "叫", "可以", "还", "又", "再", "所", "分别",
    # "经验风险关注：…" says what the term attends to
    "关注", "强调", "认为", "要求", "希望", "考虑", "在于", "负责", "看重", "追求", "关心",
    "讲到", "提到", "说到", "讲过", "提过", "说过",
    "下",  # "简单翻译下：…", "总结一下"
)
# Names that end in a character that is also a function word.
_GOOD_END_ZH = ("行为", "作为", "对称", "成对", "配对")
_BAD_WORDS_EN = {
    "the", "a", "an", "this", "that", "these", "those", "it", "its", "we", "our", "you", "they",
    "which", "who", "what", "where", "when", "here", "there", "of", "and", "or", "to", "in",
    "on", "for", "with", "by", "as", "is", "are", "be", "was", "were", "has", "have", "so",
    "thus", "then", "also", "such", "if", "but", "not", "can", "may", "let", "one", "each",
}
# Words that open an instruction to the reader ("Recall the gain vector"), not a name; alone
# ("Recall") they may be one.
_BAD_START_EN = {"recall", "note", "see", "given", "consider", "suppose", "assume",
                 "remember", "notice", "observe"}
# Words of a link or a citation, not of a concept ("公式参考文章-AI-EDU", "https").
_CITATION = lazy_pattern(
    r"参考|来源|出处|链接|引用|原文|转载|^(?:https?|ftp|www)$"
    # a link's label ("pdf: [*Batch Normalization: …*](…)", "Paper:", "代码：")
    r"|^(?:pdf|paper|papers|code|codes|slides?|video|videos|arxiv|github|url|doi|website|"
    r"homepage|project page|blog|论文|论文地址|代码|代码地址|视频|主页|官网|地址|项目地址|博客)$",
    re.I)
_MARKUP = lazy_pattern(r"[*`|#\[\]{}<>=\\$^_~]|\ue000|\ue001|!\[")
_SENTENCE_PUNCT = lazy_pattern(r"[，。；！？,;!?：:、\n]")
_PAIRS = {"(": ")", "（": "）", "[": "]", "【": "】", "「": "」", "《": "》", "“": "”"}

_EN_VERBS = {"is", "are", "was", "were", "not", "does", "do", "did", "can", "will", "has", "have",
             "be", "been", "may", "should", "would", "could", "must"}
_ABBREVIATIONS = {"i.e", "e.g", "etc", "cf", "vs", "et al", "viz", "ibid", "a.k.a"}
_REFERENCE = lazy_pattern(
    r"^(?:chapter|chap\.?|section|sec\.?|part|lecture|lesson|week|appendix|figure|table|"
    r"fig\.?|ch\.?)\s*\d|^第\s*[\d一二三四五六七八九十百]+\s*[章节讲课部篇周]|^\d+(?:\.\d+)+\s",
    re.I,
)
# "第一步：获取训练样本", "第1个等号：…", "Step 2: …": where an item stands in a list (or in a
# derivation), not what it is.
_ORDINAL = lazy_pattern(
    r"^(?:第\s*[\d一二三四五六七八九十]+\s*(?:步|个|点|条|项|部分|阶段|种|类|层|轮|次)\S{0,4}|"
    r"(?:step|stage|phase|part|round)\s*\d+|(?:first|second|third|fourth|fifth|final|last)\s+"
    r"(?:step|stage|phase|part))$",
    re.I,
)
# Words that name a kind of thing in every field: "模型 是什么？" has as many answers as there are
# subjects ("统计学习三要素" lists 模型, 策略, 算法; an XGBoost note has a 停止条件). With a name
# in another language beside it ("策略 (policy)") the author means one thing.
GENERIC_NOUNS = frozenset({
    "模型", "策略", "算法", "方法", "数据", "特征", "参数", "函数", "目标", "过程", "规则",
    "准则", "任务", "结构", "原理", "机制", "框架", "理论", "系统", "方案", "技术", "指标", "标准",
    "流程", "停止条件", "终止条件", "收敛条件", "参数估计", "参数估计方法", "参数描述", "数学模型",
    "合理性", "顺序", "输入", "输出", "输入空间", "输出空间", "样本", "变量", "训练", "测试",
    "预测", "编码器", "解码器", "主干网络",
    # one model's layers: "投影层：将输入层的 2c 个向量求和" is CBOW's, not every network's
    "输入层", "输出层", "投影层", "隐藏层", "隐含层", "隐层", "嵌入层", "input layer",
    "output layer", "hidden layer", "projection layer", "embedding layer",
    "encoder", "decoder", "backbone", "model", "strategy",
    "algorithm", "method", "data", "feature", "features", "parameter",
    "parameters", "function", "task", "process", "rule", "criterion", "framework", "mechanism",
    "theory", "system", "approach", "technique", "metric", "condition", "training", "testing",
    "prediction", "input", "output",
})
# Names every model gives its own formula: with a formula and no other name, a definition of
# one of these defines that model's loss ("loss function is defined as: J_{n,λ}(θ)=…").
GENERIC_FORMULA_TERMS = frozenset({
    "损失函数", "目标函数", "代价函数", "优化目标", "优化问题", "损失", "目标", "loss",
    "loss function", "cost function", "objective", "objective function", "cost",
})
_HOUSEKEEPING = lazy_pattern(
    r"^(?:todo|fixme|xxx|tbd|wip)\b|版权|声明|转载|免责|\binstall(?:ation)?\b|安装|下载|"
    r"\bsetup\b|\busage\b|用法",
    re.I,
)
MAX_CJK_CHARS = 14
MAX_EN_WORDS = 6


def _balanced(s: str) -> bool:
    stack: list[str] = []
    closers = {v: k for k, v in _PAIRS.items()}
    for ch in s:
        if ch in _PAIRS:
            stack.append(ch)
        elif ch in closers and (not stack or stack.pop() != closers[ch]):
            return False
    return not stack


@lru_cache(maxsize=8192)  # the same candidate terms recur in every note of a topic
def term_problem(term: str, *, alias: bool = False, marked: bool = False) -> str | None:
    """Why ``term`` cannot be a term (or an alias), or ``None`` when it can.

    ``marked``: the author set the term off with emphasis (``*通过时间反向传播*``), so its
    edges are the author's and the function-word rules do not apply.
    """
    t = term.strip()
    if not t:
        return "empty"
    if _MARKUP.search(t):
        return "carries Markdown or math markup"
    if _SENTENCE_PUNCT.search(t):
        return "spans a clause boundary"
    if not _balanced(t):
        return "unbalanced brackets"
    if any(c in t for c in "()（）") and not alias:
        return "has brackets inside"
    if not (_CJK.search(t) or _LATIN_WORD.search(t)):
        return "has no letters"
    if alias and re.match(r"^(?:如|例如|比如|即|e\.g\.|i\.e\.|such as|see)", t, re.I):
        return "an example or a remark, not a name"
    if t.casefold().rstrip(".") in _ABBREVIATIONS:
        return "an abbreviation, not a term"
    if not alias and re.fullmatch(r"[A-Za-z](?:_?\d)?\s*(?:\(.*\))?", t):
        return "a symbol, not a term"
    if _REFERENCE.match(t):
        return "a reference (chapter, section, source), not a term"
    if _ORDINAL.match(t):
        return "an ordinal label (第一步, Step 2), not a term"
    if _HOUSEKEEPING.search(t):
        return "a note's housekeeping (TODO, 版权声明, install), not a term"
    if _CITATION.search(t):
        return "a link or citation, not a term"
    if t[0].isdigit() and not _CJK.search(t[:4]) and not re.match(r"\d+[-\s]?[A-Za-z]", t):
        return "starts with a number"
    cjk = len(_CJK.findall(t))
    words = _LATIN_WORD.findall(t)
    if cjk > MAX_CJK_CHARS or (not cjk and len(words) > MAX_EN_WORDS) or len(t) > 60:
        return "too long for a name"
    if re.fullmatch(r"非[\u3400-\u9fff]{1,3}[式型的]", t):
        # "非欧式(manifold,graph)：在流形或图的结构上进行卷积": a kind of approach said by what
        # it is not, in a list of the kinds of one thing the card does not name
        return "a negated kind (非欧式), not a name"
    if re.match(r"(?:左边|右边|左侧|右侧|上图|下图|左图|右图|上表|下表)", t):
        return "points at a part of a picture or a page"  # "左边公式 (椭圆方程)：…"
    if cjk and not marked:
        if opens_with_function_word(t):
            word = next(w for w in _BAD_START_ZH if t.lstrip().startswith(w))
            return f"starts with the function word {word!r}"
        if t.endswith(_BAD_END_ZH) and not t.endswith(_GOOD_END_ZH):
            word = next(w for w in _BAD_END_ZH if t.endswith(w))
            return f"ends with the function word {word!r}"
        if re.match(r"^在.+中", t):
            return "is a place phrase (在…中)"
        if re.match(r"^(?:怎么|怎样|如何|为什么|为何|什么|何为|哪些)", t):
            return "a question, not a name"
        if re.search(r"包括|包含|分为|分成|主要有|可以|需要|采用|使用|用于|提出|"
                     r"退化为|变为|变成|转化为|等价于|简化为|化为", t[1:]):
            # "Word2vec 包括两个模型：…", "gpt 论文提出一个半监督学习方法：…", "退化为欧氏距离：…"
            return "a clause, not a name"
        if re.search(r"[\u3400-\u9fff](?:及|以及)[\u3400-\u9fff]|\s[&＆]\s|[\u3400-\u9fff][&＆]",
                     t):
            return "joins two things (A 及 B, A & B), not one name"  # "模型架构及大小：…"
        if re.search(r"[这那该此]", t[1:]):
            return "points back with a demonstrative (这/那/该/此)"
    if words and not cjk:
        if any(w.casefold() in _EN_VERBS | {"that", "which", "who"} for w in words) and \
                len(words) > 1:
            return "a clause, not a name"
        if words[0].casefold() in _BAD_WORDS_EN | _BAD_START_EN and len(words) > 1:
            return f"starts with {words[0]!r}"
        if words[-1].casefold() in _BAD_WORDS_EN:
            return f"ends with {words[-1]!r}"
    return None


# Names that begin with a character that is also a function word ("对比学习", "向量", "有监督
# 学习"): the start rule must not reject them.
_COMPOUNDS = ("对比", "对抗", "对数", "对偶", "对称", "对齐", "对角", "向量", "有向", "有监督",
              "有效", "有限", "可微", "可分", "可逆", "可解释", "可学习", "能量", "并行", "再参数",
              "用户", "当前", "个体", "在线", "以太", "注意力")


def _is_known_compound(term: str) -> bool:
    return term.startswith(_COMPOUNDS)
