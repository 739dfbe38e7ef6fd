"""Definitions in the shapes real notes use, and only where the text really defines.

Block structure (paragraphs, list items, emphasis, math) comes from markdown-it; what is left is
the prose pattern that says "this term means that", matched on a block's flattened text
(formulas are placeholders there, so no pattern can match inside math). Two families:

- the term comes first and the definition after it: ``术语 (English, ABBR)：定义``,
  ``Dropout (随机失活)：…``, ``**term**：…``, ``- **策略（policy）**：…``, ``池化：…`` at the start
  of a block, ``X 是一种/是指/指的是 …``, ``所谓X，是指…``, ``X，又称为 Y，…``, ``The **X** is …``,
  ``X (Y) is defined as …``, ``X refers to …``;
- the term is marked inside a sentence, ``*术语*（term）`` / ``*词嵌入*`` / ``*dropout*``: the
  sentence defines it only when it opens with the term and goes on to say what it is
  (``*激活函数*（activation function）通过…来确定…``), or names the term after saying what it is
  (``方差的平方根被称为*标准差*``, ``我们把…的过程称为*抽样*``, ``…is called the *likelihood*``).

Every candidate then passes the term rules (:mod:`quizgen.parse.terms`) and the content rules
below; what fails is returned as a :class:`~quizgen.model.Skipped` with the reason, so
``quizgen check --explain`` can show it. A sentence that only *names* a term (``这个属性叫做
*校准*``) is not its definition: the sentence before it, in the same paragraph, is taken when it
carries the content, else no definition is made.

A definition whose text ends where a display formula starts (``…定义为:`` / ``is defined as``)
gets that formula (same paragraph or the next ``$$`` block) as its ``formula``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from quizgen.model import Definition, Skipped, SourceRef
from quizgen.parse import formulas
from quizgen.parse.blocks import PH_CLOSE, PH_OPEN, PLACEHOLDER, Block
from quizgen.parse.cues import ANNOUNCES
from quizgen.parse.terms import (
    GENERIC_FORMULA_TERMS,
    GENERIC_NOUNS,
    opens_with_function_word,
    term_problem,
)
from quizgen.patterns import lazy_pattern
from quizgen.richtext import join_soft_breaks, segments
from quizgen.textrefs import points_outside

_CJK = "\u3400-\u9fff\uf900-\ufaff"
_CJK_RE = lazy_pattern(f"[{_CJK}]")
_LB, _RB, _COLON = "[(（]", "[)）]", "[:：]"
# Where a term may start: beginning of the block or after a sentence / clause boundary.
_START = rf"(?:^|(?<=[\s。；;！？!?,，、*{PH_CLOSE}]))(?<![A-Za-z] )"
_ALIAS = rf"(?P<alias>[^()（）\n{PH_OPEN}]{{1,80}}?)"
_CJK_TERM = rf"(?:(?:[A-Za-z][A-Za-z0-9\-]*\s?)?[{_CJK}][{_CJK}A-Za-z0-9\-·]{{0,13}})"
_EN_TERM = r"(?:[A-Za-z][A-Za-z0-9\-]*(?:[ \-][A-Za-z0-9][A-Za-z0-9\-]*){0,4})"
_COPULA = r"(?:是一种|是一类|是一个|是指|指的是|实际上是|其实是|就是|是)"

# 术语 (alias)：… / 术语 (alias) 是… / Dropout (随机失活)：…
_BRACKET_DEF = lazy_pattern(
    rf"{_START}(?P<term>{_CJK_TERM}|{_EN_TERM})\s*{_LB}{_ALIAS}{_RB}\s*"
    rf"(?:(?P<colon>{_COLON})|(?P<copula>{_COPULA}))"
)
# **term**：… / **策略（policy）**：… / **term** (alias)：…
_STRONG_DEF = lazy_pattern(
    rf"(?:^|(?<=[\s。；;！？!?]))\*\*(?P<inner>[^*\n]{{1,60}}?)(?:\*\*\s*"
    rf"(?:{_LB}(?P<alias>[^()（）\n]{{1,80}}){_RB})?\s*{_COLON}|\s*{_COLON}\s*\*\*)"
)
# 池化：… / Dropout：… at the very start of a paragraph or list item.
_LEAD_COLON = lazy_pattern(rf"^[ \t]*(?P<term>{_CJK_TERM}|{_EN_TERM})[ \t]*{_COLON}")
# X 是一种 / 是一类 / 是指 / 指的是 … ; 所谓X，是指 … ; Word2Vec 是…的一种模型
_IS_A = lazy_pattern(
    rf"(?:^|(?<=[。；;！？!?\n]))[ \t]*(?:所谓)?(?P<term>[^\s,，。；;:：{PH_OPEN}{PH_CLOSE}*!\[\]]"
    rf"[^\n,，。；;:：{PH_OPEN}{PH_CLOSE}*!\[\]]{{0,24}}?)\s*[,，]?\s*"
    rf"(?P<verb>是一种|是一类|是指|指的是|就是指|是(?=[^。；;！？!?\n]{{1,40}}?的(?:一种|一类|另一种)))"
)
# X，又称为 Y，…
_AKA = lazy_pattern(
    rf"(?:^|(?<=[。；;！？!?\n]))[ \t]*(?P<term>[^\s,，。；;:：{PH_OPEN}{PH_CLOSE}]"
    rf"[^\n,，。；;:：{PH_OPEN}{PH_CLOSE}]{{0,40}}?)\s*[,，]?\s*(?:又称为|又称|也称为|也称|也叫做|也叫|又叫)"
    rf"\s*(?P<alias>[^,，。；;:：\n（(){PH_OPEN}]{{1,30}}?(?:\s*[（(][^()（）\n]{{1,60}}[)）])?)"
    # A Latin name ends where a Chinese clause starts ("XGBoost 又叫 ExtremeGBoost 本质上还是
    # gbdt"), not where its Chinese part does ("又称 Concrete 分布").
    rf"(?=\s*[,，。；;:：]|$|(?<=[A-Za-z0-9])\s+(?:本质|其实|实际|就是|还是|也是|是|即|它|主要|通常|一般|可以))"
)
# The **X** is … / **X** is …
_EN_IS = lazy_pattern(
    r"(?:^|(?<=[.!?]\s))(?:(?:The|A|An)\s+)?\*\*(?P<term>[^*\n]{1,60})\*\*"
    r"(?:\s*\((?P<alias>[^()\n]{1,60})\))?\s*,?\s+(?P<verb>is|are|refers to|denotes|measures)\b"
)
# X (Y) is defined as … / X refers to … / X (simply) means …
_EN_DEFINED = lazy_pattern(
    r"(?:^|(?<=[.!?]\s))(?:(?:The|A|An)\s+)?(?P<term>[A-Za-z][A-Za-z\-–' ]{1,50}?)"
    r"\s*(?:\((?P<alias>[^()\n]{1,60})\))?\s+(?P<verb>(?:is|are) defined as|refers? to|"
    r"(?:simply |just |basically )?means)\b"
)
# "On-policy simply means …", "Overfitting means …": a name of one or two words, no article
# before it and no pronoun ("This means", "That simply means").
_MEANS_TERM = lazy_pattern(
    r"\s*(?!(?:this|that|it|which|what|these|those|there|here|each|every|one)\b)"
    r"[A-Za-z][A-Za-z\-]*(?:\s[A-Za-z][A-Za-z\-]*)?", re.I)
# A term marked inside a sentence: *术语*（term） / **术语**（term） / *词嵌入* / *dropout*.
_MARKED = lazy_pattern(
    rf"(?P<mark>\*\*|\*)(?P<term>[^*\n]{{1,40}}?)(?P=mark)(?!\*)"
    rf"(?:\s*{_LB}(?P<alias>[^()（）\n]{{1,60}}){_RB})?"
)
# A `!` that opens an image (`![alt](src)`) does not end a sentence.
_SENTENCE_END = lazy_pattern(
    r"[。！？?]|!(?!\[)|(?<!\bEq)(?<!\bEqs)(?<!\bFig)(?<!\be\.g)(?<!\bi\.e)(?<!\bvs)(?<!\bal)"
    r"(?<!\betc)(?<!\bSec)(?<!\bNo)(?<!\bcf)\.(?=\s|$)|\n(?=\s*\n)"
)
_ALIAS_SPLIT = lazy_pattern(r"\s*[,，;；、/]\s*")

# Bold lead-ins and colon labels that introduce a remark rather than name a term.
_NOT_TERMS = {
    "注意", "注", "提示", "例如", "例", "示例", "说明", "总结", "小结", "结论", "重点",
    "备注", "问题", "答案", "解析", "证明", "例题", "题目", "习题", "思考题", "思考", "练习",
    "优点", "缺点", "优势", "劣势", "原因", "作用", "目的", "目标", "思路", "思想", "方法",
    "特点", "定义", "公式", "输入", "输出", "结果", "代码", "步骤", "流程", "用途", "应用",
    "场景", "缺陷", "改进", "区别", "联系", "背景", "动机", "贡献", "创新点", "主要贡献",
    "细节", "效果", "分析", "讨论", "解释", "直觉", "直观理解", "个人理解", "理解", "问题描述",
    "概括", "简介", "摘要", "前言", "引言", "概述", "简述", "复杂度", "时间复杂度",
    "空间复杂度", "注解", "参考", "来源", "链接", "答", "问", "回答", "补充", "相同点", "不同点",
    "共同点", "关键词", "关键字", "参考文献", "参考资料", "资料", "引用", "出处", "wikipedia",
    "references", "reference", "q", "a", "answer", "see also",
    "note", "example", "tip", "warning", "summary", "remark", "proof", "exercise", "key point",
    "result", "output", "input", "value", "idea", "goal", "problem", "following",
    "above", "same", "point", "definition", "formula", "intuition", "method", "methods",
    "step", "steps", "pros", "cons", "advantages", "disadvantages", "motivation", "background",
    "implementation", "details", "question", "solution", "hint", "caution", "important",
    # labels of a statement, a step or a proof rather than names of a concept
    "定理", "引理", "推论", "命题", "做法", "本质", "本质思想", "核心思想", "基本思想", "主要思想",
    "核心", "关键", "要点", "关键点", "注意事项", "假设", "前提", "条件", "性质",
    "key insight", "insight", "key idea", "main idea", "core idea", "common theme", "theme",
    "derivation", "takeaway", "key takeaway", "theorem", "lemma", "corollary", "proposition",
    "observation", "claim", "assumption", "recall", "key points", "conclusion", "why",
    "冷知识", "小知识", "补充说明", "扩展", "拓展", "题外话", "延伸", "延伸阅读", "个人看法",
    "个人观点", "我的理解", "formally", "intuitively", "basically", "simply", "in short",
    "in practice", "generally", "specifically", "namely", "informally", "concretely", "in general",
    "ex", "eg", "given", "preliminary", "preliminaries", "prerequisites", "goals", "ref",
    "refs", "教程", "推荐阅读", "相关阅读", "数学式", "數學式",
    # a paper summary's sections ("提出问题：…", "解决办法：…")
    "提出问题", "解决办法", "解决方法", "解决方案", "实验", "实验结果", "实验设置", "数据集",
    "举例", "一句话结论", "一句话总结", "一句话", "问题解决", "解决思路", "解题思路", "问题分析",
    "methodology", "experiments", "results",
    "setup", "overview",
    # the same labels in traditional characters
    "舉例", "範例", "總結", "結論", "說明", "優點", "缺點", "問題", "註", "備註", "重點",
    # remarks in practice ("**实践**：通常使用固定的小 ε", "**PS1：**")
    "实践", "实战", "经验", "ps", "附", "附注", "旁注", "tips", "practice",
    # the kinds of source in a reading list ("- 书籍：Sutton & Barto …", "- 论文：Watkins …")
    "书籍", "书", "论文", "博客", "文章", "视频", "课程", "教材", "文档", "官方文档", "源码",
    "项目", "网站", "工具", "book", "books", "paper", "papers", "blog", "video", "videos",
    "course", "courses", "docs", "documentation", "code", "repo", "website", "tools",
}
# The parts of a description of one thing, each under its own label ("ROC 曲线" listed as
# "全称：…", "横坐标：…", "绘制方法：…"; "常用算法：CCP", "核心原因：…", "整理日期：…"): labels,
# alone or after a word that only qualifies them, not names of concepts.
_ATTRIBUTE = lazy_pattern(
    r"(?:核心|主要|常用|常见|基本|一般|具体|关键|根本|直接|最终|适用|应用|使用|实现|计算|绘制|"
    r"求解|整理|内容|更新|创建|发布|修改|文章|原文|"
    r"(?:key|main|core|basic|common|typical|final)\s+)?"
    r"(?:原因|理由|本质|目的|作用|用途|优点|缺点|特点|思想|思路|方法|算法|步骤|流程|公式|"
    r"时机|时间|日期|全称|简称|别称|横坐标|纵坐标|坐标轴|来源|出处|作者|场景|条件|结论|效果|"
    r"区别|差别|差异|不同点?|联系|改进|变化|创新点?|贡献|亮点|难点|局限性?|问题|挑战|优势|劣势|"
    r"意义|好处|代价|要点|方面|"
    r"source|author|date|reason|purpose|use|usage|example|examples|algorithm|formula)",
    re.I,
)
# "几何意义：…", "直观解释：…" label an explanation; "逆矩阵的分解：…", "马氏距离的推导：…" a
# step of working on something named elsewhere.
_EXPLAINS = lazy_pattern(
    r"[\u3400-\u9fff]{0,4}(?:意义|含义|解释|理解|直观|直觉|诠释)"
    r"|.+的(?:分解|推导|证明|计算|求解|化简|展开|变形|来源|由来|推广|应用)")
# "kd 两个关键问题：…", "三大优点": how many points follow, not a name.
_COUNTED_PARTS = lazy_pattern(
    r"[两二三四五六七八九十几\d]+\s*(?:个|大|点|种|条)\s*(?:关键|主要|核心|基本|重要)?"
    r"(?:问题|要点|步骤|方面|部分|原因|特点|优点|缺点|区别|阶段|要素|思想|方法)$")
# English labels of one part of a description ("- **Aim**: find a new coordinate system",
# "**Another view of PCA**: …", "**Informal definition**: …", "**Modular**: changing the kernel
# …", "**Termination**: decide whether to stop"): what the point is about, not a term.
_LABEL_EN = lazy_pattern(
    r"(?:(?:another|other|alternative|alternate|informal|formal|intuitive|best|main|general|"
    r"simple|simpler|first|second|third|next|final|key|basic|common|typical|overall|"
    r"high[- ]level)\s+)+"
    r"(?:view|extension|definition|model|approach|way|interpretation|formulation|example|"
    r"option|variant|version|idea|method|perspective|explanation|reason|case|form|use|"
    r"application|approximation|solution|trick|step)s?(?:\s+(?:of|for|to)\s+.+)?"
    r"|(?:aims?|variants?|extensions?|interpretations?|views?|initiali[sz]ation|termination|"
    r"iteration|update|properties|property|limitations?|drawbacks?|benefits?|strengths?|"
    r"weakness(?:es)?|applications?|uses?|complexity|runtime|issues?|challenges?|"
    r"trade-?offs?|requirements?|procedure|alternatives?|variations?|generali[sz]ations?)"
    r"|[A-Za-z]+(?:ular|ive|ous|ful|less)",  # an adjective alone: "Modular"
    re.I,
)
# A pipeline's step labels ("1. 概率：ŷ=softmax(z)", "2. 比较：…"): a name only with an alias.
_STEP_LABELS = frozenset({
    "概率", "比较", "计算", "预测", "更新", "初始化", "评估", "求解", "损失", "误差", "步骤",
    "过程",
})
# What a wish or a plan says ("想把单模型性能继续往上推", "已经有几类强模型"): no name has it.
_CLAUSE_TERM = lazy_pattern(r"想|把|往上|往下|如果|假如|需要|应该|希望|打算|已经|愿意|我们|你")
_ALSO_CALLED = lazy_pattern(r"(.{2,}?)(?:又叫做?|又称为?|也叫做?|也称为?|亦称|又名|或称)(.{2,})")
# '<div class="caption">FM特征数据结构：User相关、Item相关…</div>': a figure's caption.
_HTML = lazy_pattern(r"\s*<(?:div|p|span|figcaption|figure|center|font|table|tr|td|small|sup)\b",
                     re.I)
_NUMBERED = lazy_pattern(r"\s*(?:[0-9]+|[一二三四五六七八九十]+|[IVX]+)$")  # 定理1, Lemma 2
# "训练阶段：解码器会有输入…": a phase or a situation, and what happens in it.
_SITUATION = lazy_pattern(r"(?:阶段|时期|时|情况下|场景下?|过程中)$")
_PRONOUNS = {"这", "它", "这种", "这是", "其", "那", "这个", "它们", "这些", "此", "该", "也"}

# Sentence mode: what follows a term that opens its sentence but only places or compares it
# ("*凸性*在优化算法的设计中起到…作用", "*连续词袋*模型类似于跳元模型").
_WEAK_AFTER_ZH = lazy_pattern(
    r"^\s*(?:模型|算法|方法|函数|网络)?\s*(?:在|类似|与|和|跟|比|同|等|起到|扮演|非常|很|十分|更|较|最|已经|"
    r"一直|不|没|也|还|都|就|才|又|却|则|，|,|。|(?:使用|采用|所用|用到|利用|所)的|中的|里的|上的|"
    r"下的|时|中|里)"
)
_WEAK_AFTER_EN = lazy_pattern(
    r"^\s*,?\s*(?:and|or|in|on|of|with|for|to|at|by|from|as|than|like|also|too|was|were|has|"
    r"have|had|plays|play|becomes|seems|looks|can|could|may|might|will|would|should|does|did|"
    r"itself|which|that|[,.;:])\b",
    re.I,
)
_EN_VERB_NEXT = lazy_pattern(r"^\s*(?:\([^()]*\)\s*)?,?\s*[a-z]")
_PREDICATE_ZH = lazy_pattern(
    r"^\s*(?:[,，]\s*)?(?:也|又|即|就|则|通常|一般|常|可以|可|能够|被)?\s*"
    r"(?:是|指|表示|描述|衡量|度量|刻画|用于|用来|用以|通过|可以被认为是|可被认为是|被认为是|可以看作|"
    r"可看作|可以视为|可视为|可以理解为|可理解为|定义为|涉及|告诉我们|表明|指出|旨在|"
    r"负责|将|把|对|在.{0,12}?(?:上|中|时)(?:对|将|把|做|进行))"
)
_PREDICATE_EN = lazy_pattern(
    r"^\s*,?\s*(?:is|are|refers to|refer to|denotes|denote|measures|describes|means|"
    r"quantifies|captures|computes|maps|,\s*which\s+(?:is|are))\b",
    re.I,
)
# Sentence mode: a naming verb right before the marked term.
_NAMING_ZH = lazy_pattern(
    r"(?:被|也被|通常被|通常|一般|常|也|又|就|则)?"
    r"(?:称为|称作|称之为|叫做|叫作|被称为|描述为|命名为|视为|看作|简称为|简称)"
    r"(?P<tail>[^。；;！？!?]{0,12})$"
)
# "我们把 X 称为" / "(我们)称 X 为"; a bare 将/把 ("将单词映射到…的技术称为") is part of X.
_WE_CALL_ZH = lazy_pattern(
    r"(?:(?:我们|人们)?称(?P<content>(?:(?!称为|称作|叫做)[^，,])+?)为|(?:我们|人们)(?:通常|一般|可以)?(?:把|将)"
    r"(?P<content2>(?:(?!称为|称作|称之为|叫做).)+?)(?:称为|称作|称之为|叫做))"
    r"(?P<tail>[^。]{0,12})$"
)
_NAMING_EN = lazy_pattern(
    r"\b(?:is|are)\s+(?:often\s+|commonly\s+|usually\s+|also\s+|sometimes\s+|then\s+)*"
    r"(?:called|referred\s+to\s+as|known\s+as|termed|named|dubbed)\s+(?:the\s+|an?\s+)?$",
    re.I,
)
_WE_CALL_EN = lazy_pattern(r"\b(?:we|people)\s+call\s+(?P<content>.+?)\s+(?:the\s+|an?\s+)?$", re.I)
# The term sits inside an enumeration or is only the object of another verb.
_CONTEXT_CLAUSE = lazy_pattern(
    r"^(?:(?:In|For|With|Under|When|If|As|From|Given|By)\b[^,]{0,40},\s*|[^，,。]{0,16}?(?:中|时|里|上|下|来说|而言|看来)[，,]|(?:因此|所以|于是|此外|另外|同样|"
    r"例如|比如|其中|总之|一般来说|通常|事实上|实际上|简单来说|换句话说)[，,]?)"
)
# A sentence that explains the symbols of a formula ("式中 U_t(s) 为 t 时刻的效用") says what a
# symbol is, never what a named idea is, even when the next sentence names one.
_LEGEND_LEAD = lazy_pattern(r"^[\s,，]*(?:其中|式中|where\b|here\b)", re.I)
_DEMONSTRATIVE = lazy_pattern(
    r"(?:这个|这种|这一|这些|这样的|这类|那个|那种|该|此|上述|前面的|以上|其|这|that|this|these|"
    r"those|such|it)",
    re.I,
)
_FILLER_ZH = lazy_pattern(r"(?:我们|人们|也|通常|一般|常常|常|被|就|又|还|可以|可|都|所|将|把|的)")
_ORDINAL = lazy_pattern(
    r"(?:第[一二三四五六七八九十\d]+个?|前者|后者|the (?:first|second|former|latter)(?: one)?)",
    re.I,
)
# Term-first sentences that judge the term instead of saying what it is.
_JUDGES = lazy_pattern(
    r"^\s*[,，]?\s*(?:也|则)?是(?:一个|一种)?(?:很|非常|最)?"
    r"(?:自然|好|重要|关键|常见|流行|常用|有用|简单|合理|不错)的?"
    r"(?:选择|做法|工具|办法|方式|例子|起点|基础|部分|方法)"
)
# After "X，又称为 Y，" a new subject means the text goes on about something else.
_AKA_OFF_TOPIC = lazy_pattern(
    r"^\s*(?:我们|你|他们|她们|它们|人们|这|那|如果|但|但是|因为|所以|然后|其实|另外|此外)"
)
# A closing pointer to another page ("，详见 [[信息论]]", "; see also …"): not what it is.
_SEE_ALSO = lazy_pattern(
    r"\s*[，,；;]\s*(?:详见|参见|具体见|具体可见|可参考|更多(?:内容)?(?:见|参见|请见)|"
    r"see also\b|see\b)[^。.;；]*[。.]?\s*$", re.I)
_NAMES_AGAIN = lazy_pattern(
    r"(?:也|又|亦|还)(?:被)?(?:叫做?|称为?|称作|名为)[^，,。；;]{1,20}[。.]?\s*$")
_QUESTION = lazy_pattern(r"(?:是什么|是啥|什么是|为什么|吗|呢)\s*[？?]?\s*$|[？?]\s*$")


@dataclass(frozen=True)
class _Hit:
    start: int  # where the definition's pattern starts (ends the previous one's text)
    text_start: int
    term: str
    aliases: tuple[str, ...]
    shape: str
    sentence: bool = False  # sentence mode: the whole sentence is the definition


def remark_label(word: str) -> bool:
    """Whether ``word`` labels a remark ("注意", "示例", "关键", "PS1") rather than names a
    term."""
    return _NUMBERED.sub("", word.strip(" *")).casefold() in _NOT_TERMS


def _aliases(raw: str | None) -> tuple[str, ...]:
    if not raw:
        return ()
    return tuple(a.strip(" *") for a in _ALIAS_SPLIT.split(raw.strip()) if a.strip(" *"))


def _split_inner(inner: str) -> tuple[str, tuple[str, ...]]:
    """``策略（policy）`` inside bold → term ``策略``, alias ``policy``."""
    m = re.fullmatch(rf"\s*(?P<t>[^()（）]+?)\s*{_LB}(?P<a>[^()（）]+){_RB}\s*", inner)
    if m:
        return m.group("t"), _aliases(m.group("a"))
    return inner.strip(), ()


def _sentence_start(text: str, pos: int) -> int:
    """Where the sentence holding ``pos`` starts: just past the last sentence end in
    ``text[:pos]``.

    Every match of :data:`_SENTENCE_END` is one character, so the ends of the whole text are
    found once (:func:`_sentence_ends`); only a match whose look-ahead reaches ``pos`` (a ``.``
    just before it, a blank line whose spaces run up to it) can differ in the cut text, and
    those few are tried on it. Scanning ``text[:pos]`` anew for every emphasised term made a
    paragraph of many terms quadratic (30 KB: 22 s).
    """
    run = pos
    while run > 0 and text[run - 1] != "\n" and text[run - 1].isspace():
        run -= 1
    for p in range(pos - 1, max(run - 1, 0) - 1, -1):
        if _SENTENCE_END.match(text, p, pos):
            return p + 1
    ends = _sentence_ends(text)
    i = bisect.bisect_left(ends, max(run - 1, 0)) - 1
    return ends[i] + 1 if i >= 0 else 0


@lru_cache(maxsize=64)
def _sentence_ends(text: str) -> tuple[int, ...]:
    return tuple(m.start() for m in _SENTENCE_END.finditer(text))


def _sentence_end(text: str, pos: int) -> int:
    m = _SENTENCE_END.search(text, pos)
    return m.start() + (1 if m and text[m.start()] in "。！？!?." else 0) if m else len(text)


# Nouns that say what kind of remark follows, not which concept ("…的影响", "…的表现差异").
_GENERIC_HEADS = frozenset({
    "影响", "差异", "表现", "表现差异", "作用", "结果", "效果", "区别", "关系", "问题", "方法",
    "原因", "比较", "对比", "过程", "意义", "特点", "优点", "缺点", "好处", "变化", "选择", "设置",
})


def _hits(block: Block) -> list[_Hit]:
    text = block.text
    hits: list[_Hit] = []
    # Cheap substring tests first: most blocks contain none of the trigger characters, and
    # the regexes are the parser's hot path.
    bracket = "(" in text or "（" in text
    colon = ":" in text or "：" in text
    if bracket and (colon or "是" in text or "指" in text):
        for m in _BRACKET_DEF.finditer(text):
            body = m.start("copula") if m.group("copula") else m.end()
            term, start = m.group("term"), m.start()
            aliases = _aliases(m.group("alias"))
            if _CJK_RE.search(term) and aliases and all(_CJK_RE.search(a) for a in aliases):
                aliases = ()  # "注意力权重 (标量)": a remark in brackets, not another name
            if len(aliases) >= 2 and all(re.fullmatch(r"[a-z]+", a) for a in aliases):
                aliases = ()  # "非欧式(manifold, graph)": examples, not names
            prefix = re.match(r"([A-Za-z][A-Za-z0-9\-]*)\s(?=[\u3400-\u9fff])", term)
            if prefix and aliases and not any(_names_prefix(prefix.group(1), a) for a in aliases):
                # "n-gram 语言模型(language model)": the bracket names 语言模型 alone.
                term, start = term[prefix.end() :], start + prefix.end()
            if "的" in term:
                # "无向图 G 的生成树(spanning tree)是…": the bracket names what follows 的; in
                # "不同初始值的影响(different initial values)" what follows is no name at all.
                cut = term.rindex("的") + 1
                if term[cut:] in _GENERIC_HEADS:
                    continue
                term, start = term[cut:], m.start("term") + cut
            hits.append(_Hit(start, body, term, aliases, "bracket"))
    lead = _LEAD_COLON.match(text) if colon and block.kind in ("para", "item") else None
    if lead and _short_name(lead.group("term")):
        hits.append(_Hit(lead.start("term"), lead.end(), lead.group("term"), (), "lead-colon"))
    if "**" in text:
        for m in _STRONG_DEF.finditer(text):
            term, aliases = _split_inner(m.group("inner"))
            hits.append(_Hit(m.start(), m.end(), term, aliases + _aliases(m.group("alias")),
                             "strong-colon"))
        for m in _EN_IS.finditer(text):
            hits.append(_Hit(m.start(), m.start("verb"), m.group("term"),
                             _aliases(m.group("alias")), "en-is"))
    if "*" in text:
        hits.extend(_marked_hits(text))
    if "是" in text or "指" in text:
        for m in _IS_A.finditer(text):
            term = m.group("term").strip(" *")
            if term not in _PRONOUNS and not term.startswith(("这", "它", "我们", "如果", "但")):
                hits.append(_Hit(m.start("term"), m.start("verb"), term, (), "is-a"))
    if "称" in text or "叫" in text:
        for m in _AKA.finditer(text):
            term = m.group("term").strip(" *")
            if term not in _PRONOUNS and not term.startswith(("这", "它")):
                hits.append(_Hit(m.start("term"), m.end(), term,
                                 _aliases(m.group("alias").strip("*")), "aka"))
    if "defined as" in text or "refer" in text or " means " in text:
        for m in _EN_DEFINED.finditer(text):
            if m.group("verb").endswith("means") and not _MEANS_TERM.fullmatch(m.group(0)[
                    : m.start("term") - m.start()] + m.group("term")):
                continue  # "This means…", "A large learning rate means…": no term
            hits.append(_Hit(m.start(), m.start("verb"), m.group("term"),
                             _aliases(m.group("alias")), "en-defined"))
    # One definition per place: the earliest pattern wins, the most specific first.
    hits.sort(key=lambda h: h.start)
    kept: list[_Hit] = []
    for h in hits:
        if kept and (h.start < kept[-1].text_start or h.term == kept[-1].term):
            continue
        kept.append(h)
    return kept


def _names_prefix(prefix: str, alias: str) -> bool:
    """Whether an alias covers a term's Latin prefix: it contains it ("n-gram model") or the
    prefix is its initials ("KL" for "Kullback-Leibler divergence")."""
    if prefix.casefold() in alias.casefold():
        return True
    initials = "".join(w[0] for w in re.split(r"[\s\-]+", alias) if w)
    return initials.casefold().startswith(prefix.casefold())


def _short_name(term: str) -> bool:
    """``池化`` or ``Dropout`` before a colon is a name; ``难点在于…不可导`` is a clause."""
    cjk = len(_CJK_RE.findall(term))
    return (cjk <= 8 if cjk else len(term.split()) <= 4) and not re.search(
        r"在于|不|是|了|这|那|会|能|要|就|都|也|时|用|得|往往|可|应|需|被|让|使|把|将|对|从|给|为了",
        term)


_LINE_OF_ITS_OWN = lazy_pattern(r"[ \t]*\n")


def _marked_hits(text: str) -> list[_Hit]:
    """Terms marked with emphasis inside a sentence; ``或`` chains add aliases to the first."""
    out: list[_Hit] = []
    for m in _MARKED.finditer(text):
        if m.group("mark") == "**" and not text[: m.start()].strip() and \
                _LINE_OF_ITS_OWN.match(text, m.end()):
            # "**感知机算法的原始形式**" alone on a paragraph's first line heads the lines under
            # it (a loss, its gradients, the updates): a title, not a term a sentence defines.
            # (An emphasised term a wrapped line ends on still opens its sentence.)
            out.append(_Hit(m.start(), m.end(), m.group("term"), (), "title"))
            continue
        term, inner = _split_inner(m.group("term"))  # **博弈论(game theory)**
        aliases = inner + _aliases(m.group("alias"))
        start = _sentence_start(text, m.start())
        if out and out[-1].sentence and out[-1].start == start:
            between = text[_prev_end(text, out[-1]) : m.start()].strip()
            if between in ("或", "或者", "或称", "也叫", "又称", "or", ",", "，"):
                prev = out[-1]
                out[-1] = _Hit(prev.start, prev.text_start, prev.term,
                               (*prev.aliases, term, *aliases), prev.shape, True)
                continue
        if not aliases and not _CJK_RE.search(term) and m.group("mark") == "**":
            continue  # English bold is stress, unless a pattern above named it a term
        out.append(_Hit(start, m.start(), term, aliases, "marked", True))
    return out


def _prev_end(text: str, hit: _Hit) -> int:
    m = _MARKED.match(text, hit.text_start)
    return m.end() if m else hit.text_start


@dataclass(frozen=True)
class _Body:
    text: str
    end: int  # offset in block.text where the definition's text stops
    problem: str = ""


def _text_end(block: Block, start: int, limit: int) -> int:
    """End of the definition text: sentence end, a display formula, or the next definition."""
    text = block.text
    end = min(limit, _sentence_end(text, start))
    for i, span in enumerate(block.maths):
        if span.display:
            pos = text.find(f"{PH_OPEN}{i}{PH_CLOSE}", start, end)
            if pos >= 0:
                end = pos
    return end


# What makes a short text a statement or a description ("方差的平方根", "将单词映射到…")
# rather than a bare value ("损失函数：交叉熵", "优化器：Adam", "学习率：0.001").
_SAYS = lazy_pattern(
    r"的|之|是|为|指|用|将|把|使|让|对|在|从|按|以|由|与|和|或|及|不|无|可|能|会|要|个|种|类|"
    r"表示|衡量|描述|计算|得到|等于|包括|包含|\b(?:of|to|for|is|are|with|that|which|by)\b|[，,;；]",
    re.I)


def _bare_value(text: str) -> bool:
    prose = PLACEHOLDER.sub("", text).strip(" 。.")
    if not prose or _SAYS.search(prose):
        return False
    return _content_size(prose) <= (6 if _CJK_RE.search(prose) else 2)


def _content_size(s: str) -> int:
    """How much a phrase says: CJK characters plus Latin words, math and filler left out."""
    s = PLACEHOLDER.sub(" ", s)
    s = re.sub(r"\\\(.*?\\\)|\\\[.*?\\\]", " ", s)
    s = _FILLER_ZH.sub("", s)
    return len(_CJK_RE.findall(s)) + len(re.findall(r"[A-Za-z]{2,}", s))


def _names_only(content: str) -> bool:
    """``这个属性`` / ``该数值`` / ``This process``: a pointer back, not the content."""
    if _LEGEND_LEAD.match(content):
        return True  # "其中条件概率 P(A|B)…称为…": a legend, not a definition
    c = _CONTEXT_CLAUSE.sub("", content.strip(" ，,"))
    c = re.sub(r"^(?:我们|人们)?(?:称|把|将)", "", c)
    if re.match(r"^(?:这种|这个|这一|这类|这样的|这些|此时的?|该|此|上述|以上|the above|this|"
                r"these|such)", c, re.I):
        return True  # "这种交叉验证方法" / "此时的回归问题": the content is somewhere else
    last = _OPENER.sub("", re.split(r"[，,；;]", c)[-1].strip())
    if last is not c and re.match(r"^(?:这样的|这种|这个|这一|这些|此时的?|该|此)", last):
        return True  # "…，这样的过程": the name points at the clause, which may be anything
    m = _DEMONSTRATIVE.search(c)
    if m is None:
        return _content_size(c) < 4 or bool(_ORDINAL.fullmatch(c.strip()))
    rest = c[m.end() :]
    return _content_size(rest) <= 3 and _content_size(c[: m.start()]) <= 1


# "**交叉熵**的描述：这里把…看做…": a label for an explanation or a remark about the term.
_ABOUT_LABEL = lazy_pattern(
    r"^的(?:描述|解释|理解|说明|介绍|直观理解|直观解释|例子|作用|意义|优点|缺点|特点|由来)\s*[:：]"
)


def _said_after(block: Block, hit: _Hit, t_end: int, s_end: int) -> _Body:
    """What a sentence that opens with a marked term says about it. The card names the term;
    "的任意两点连线…" keeps its subject ("凸函数的任意两点连线…")."""
    said = _tidy(block.rich(t_end, s_end).lstrip(" ,，:："))
    if _ABOUT_LABEL.match(said):
        return _Body("", s_end, "an explanation or remark about the term, not its definition")
    return _Body(f"{hit.term.strip('* ')}{said}" if said.startswith("的") else said, s_end)


_WORD_GOES_ON = lazy_pattern(r"^[法器率值型量性度化机网层树图集项算式][\u3400-\u9fff]")


def _sentence_body(block: Block, hit: _Hit) -> _Body:
    """The definition a sentence gives a term marked inside it, or why it gives none."""
    text = block.text
    s_start, s_end = hit.start, _sentence_end(text, hit.text_start)
    m = _MARKED.match(text, hit.text_start)
    t_end = m.end() if m else hit.text_start
    before = text[s_start : hit.text_start]
    after = text[t_end:s_end]
    if _QUESTION.search(text[s_start:s_end]):
        return _Body("", s_end, "a question, not a definition")
    if _WORD_GOES_ON.match(after):
        # "**回退（backoff）**法依次使用…": the name is 回退法; the mark cut it short.
        return _Body("", s_end, "the name goes on past its mark")
    lead = _CONTEXT_CLAUSE.sub("", before.strip())
    english = not _CJK_RE.search(hit.term + after[:20])
    if apposition := re.match(r"^\s*[,，]\s*(?:即|也就是|亦即|也即)(?:说)?[,，]?\s*", after):
        # "我们需要*求和法则*（sum rule），即…": the apposition says what it is (without its 即).
        if _content_size(after) < 6:
            return _Body("", s_end, "too little said about the term")
        return _said_after(block, hit, t_end + apposition.end(), s_end)
    if not lead.strip(" ,，"):
        # The sentence opens with the term: it defines it only if it goes on to say what it is.
        tail = after.lstrip()
        tail = re.sub(r"^(?:模型|算法|方法|函数|网络|分布|损失)?", "", tail)
        if english:
            weak = bool(_WEAK_AFTER_EN.match(after)) or not _EN_VERB_NEXT.match(after)
        else:
            weak = bool(_WEAK_AFTER_ZH.match(tail))
        if weak or not tail.strip():
            return _Body("", s_end, "mentions the term without saying what it is")
        if _JUDGES.match(tail) or re.match(r"^\s*是.{0,6}的(?:基础|关键|核心|一部分|前提)", tail):
            return _Body("", s_end, "judges the term rather than saying what it is")
        if _content_size(after) < 6:
            return _Body("", s_end, "too little said about the term")
        return _said_after(block, hit, t_end, s_end)
    # What the sentence says the term is: the words before the naming verb ("方差的平方根"
    # 被称为 *标准差*) or between 把/将/称 and it ("我们把 从…抽取样本的过程 称为 *抽样*").
    span: tuple[int, int] | None = None
    if english:
        named = _NAMING_EN.search(before)
        if named:
            span = (0, named.start())
        elif (call := _WE_CALL_EN.search(before)) is not None:
            span = call.span("content")
    else:
        call = _WE_CALL_ZH.search(before)
        named = _NAMING_ZH.search(before)
        if call is not None:
            span = call.span("content") if call.group("content") else call.span("content2")
        elif named:
            span = (0, named.start())
    if span is None:
        return _Body("", s_end, "mentions the term without defining it")
    if not english:
        span = (_last_naming_clause(before, *span), span[1])
    content = before[span[0] : span[1]]
    if english and re.search(r"(?:\bwhat|,\s*which|,\s*that)\s*$", content.strip(), re.I):
        # "…, which is also known as *X*": what "which" stands for is not clear enough.
        return _Body("", s_end, "names the term in a relative clause")
    pointer = points_outside(content)
    if pointer:
        return _Body("", s_end, f"its content refers to something not shown ({pointer})")
    if english and re.search(r"\b(?:this|these|those|such)\s+[a-z]+", content, re.I):
        return _Body("", s_end, "its content points back at something in another sentence")
    if not english and re.search(r"(?:一个|一种|一些|某个|某种|一类)\s*$", content):
        # "…而是采用一个称为*困惑度*的变量": named in passing; what it is comes later.
        return _Body("", s_end, "names the term in passing")
    if _names_only(content):
        prev = _previous_sentence(block, s_start, content)
        if prev is None:
            return _Body("", s_end, "only names the term; what it means is not in this sentence")
        return _Body(_tidy(block.rich(prev, s_start)), s_end)
    return _Body(_tidy(block.rich(s_start + span[0], s_start + span[1])), s_end)


_NAMED_EARLIER = lazy_pattern(r"(?:称为|称作|称之为|叫做|叫作)[^，,；;]*[，,；;]\s*")
_PURPOSE = lazy_pattern(r"(?:为了|为)[^，,。]{1,20}[，,]\s*")


def _last_naming_clause(before: str, start: int, end: int) -> int:
    """Where the content of "…称为测试数据，为了加以区分，…的数据集常称为*验证集*" starts: after
    the clause that names something else, and after a purpose clause (为了加以区分，)."""
    for m in _NAMED_EARLIER.finditer(before, start, end):
        start = m.end()
    purpose = _PURPOSE.match(before, start, end)
    return purpose.end() if purpose else start


# Discourse openers and dangling pointers that a card does not need.
_OPENER = lazy_pattern(
    r"^\s*(?:(?:例如|比如|譬如|因此|所以|于是|此外|另外|同样|然而|但是|即|也就是说|告诉我们|"
    r"for example|e\.g\.|thus|hence|so)\s*[，,:：]?\s*"
    r"|(?:As|In|For|On|At|By|With|Under)\b[^,.]{0,50},\s*)",
    re.I,
)
# "决策树桩：特别地，只有一层划分的决策树": how the sentence links to the one before it, which
# the card does not show.
_LINKING_ADVERB = lazy_pattern(
    r"^\s*(?:特别地|特别是|特殊地|一般地|一般来说|通常来说|首先|其次|再次|最后|同时|另外|此外|"
    r"另一方面|简单来说|简单地说|简而言之|总之|总的来说|具体来说|具体地说|换句话说|换言之|"
    r"也就是说|相应地|类似地|同样地|同样|然而|不过|而)\s*[，,]\s*")
_DANGLING = lazy_pattern(r"(?<=的)(?:这种|这个|这一|这类|此种)")


_CATEGORY = lazy_pattern(
    r"^\s*(?:(?:也|则|就)?(?:是|为)(?:一种|一类|一个|另一种|另一类)?|一种|一类|新的?|新型的?)"
    r"(?P<rest>[^，,；;。：:]*)[。.]?\s*$"
)


_WIDELY_USED = lazy_pattern(
    r"^(?:在[^，,。的]{1,12}(?:中|里|上|领域))?(?:被)?(?:非常|十分|最)?(?:广泛|普遍|常|经常)?"
    r"(?:使用|应用|采用|用到)的"
)


def _category_only(text: str) -> bool:
    """"是另一种常用的优化算法" / "是经典的二分类模型" / "是…的基本问题之一": it says what kind of
    thing the term is and nothing that tells it from its siblings."""
    clauses = re.split(r"[，,；;]", PLACEHOLDER.sub("x", text), maxsplit=1)
    m = _CATEGORY.match(clauses[0])
    if m is None:
        return False
    # "在统计学中广泛使用的参数估计方法": where and how much it is used tells it from nothing.
    rest = _WIDELY_USED.sub("", m.group("rest"))
    # "是 tf-idf 之外的另一个加权函数": one more of a kind, told from none
    vague = (_content_size(rest) <= 10 or rest.rstrip(" 。.").endswith("之一")
             or bool(re.search(r"另一(?:个|种|类)", rest)))
    # "…的集成算法,除此之外 GBDT 还有很多其他的叫法…": what follows is only more names;
    # "…方法之一，通常用于离散变量的分类问题": only where it is used.
    return vague and (len(clauses) == 1 or bool(_ONLY_NAMES.search(clauses[1]))
                      or bool(_USAGE.match(clauses[1].strip()))
                      or bool(_PRAISE.fullmatch(clauses[1].strip(" 。."))))


# "…统计学习方法，应用广泛且有效": how good it is, not what it is.
_PRAISE = lazy_pattern(r"(?:应用|使用)?(?:非常|很|十分)?(?:广泛|有效|简单|流行|常用|强大|高效)"
                       r"(?:(?:且|而且|并且|又|和)(?:非常|很)?(?:广泛|有效|简单|流行|常用|强大|高效))*")


# What a term is used for, not what it is ("可用来计算价值函数的值").
_USAGE = lazy_pattern(
    r"^(?:其|它|也)?(?:通常|一般|常常|常|主要|可以|可|被广泛|广泛)?(?:被)?(?:用来|用于|应用于|用在|用以)"
)


# "剪枝：是决策树学习算法应对过拟合的主要手段": what it is a means to, and nothing of how.
_MEANS_TO = lazy_pattern(
    r"^(?:也|则|就)?是[^，,；;。]{0,20}?(?:应对|解决|防止|缓解|处理|对付|克服|避免|减少|降低|提高|"
    r"提升)[^，,；;。]{1,20}?的(?:主要|重要|常用|常见|有效|基本|一种|一个|一类)?(?:的)?"
    r"(?:手段|方法|办法|途径|工具|技术|策略|措施)[。.]?\s*$")


def _usage_only(text: str) -> bool:
    return (bool(_USAGE.match(text.strip())) and _content_size(text) <= 16) or bool(
        _MEANS_TO.match(PLACEHOLDER.sub("x", text.strip())))


# "相较于课程学习，逆课程学习为更广义的方法" / "the most naive approach and a bad one": how
# the term compares or how good it is, not what it is.
_COMPARED = lazy_pattern(
    r"^(?:相较于|相比于|相对于|相比|比起|与[^，,。]{1,20}相比)[^，,。]{0,20}[，,]"
)
_JUDGED_EN = lazy_pattern(
    r"^(?:is\s+)?(?:the|a|an)\s+(?:most\s+|very\s+|quite\s+)?(?:naive|simple|simplest|bad|good|"
    r"great|best|worst|popular|common|important|powerful|natural|useful|standard|classic)\b"
    r"[^.]{0,30}?\b(?:approach|method|one|idea|way|choice|tool|trick|model)\b",
    re.I,
)


# "实际上它们用的model是一模一样的": how two things compare, not what either is.
_SAME_AS = lazy_pattern(
    r"^(?:是|都是|也是)?(?:一模一样|一样|相同|相似|类似|不同|不一样|等价)的?(?:[，,。]|$)"
)


# "分母（积分）是不可行的": whether it can be done, not what it is.
_FEASIBLE = lazy_pattern(
    r"^\s*(?:是|也是|就是)?(?:不|很|非常|十分|相当)?(?:可行|不可行|必要|必需|重要|困难|昂贵|可能|"
    r"不可能|可解|不可解|难以计算|无法计算|intractable|feasible|infeasible)的?(?:[，,。]|$)")


def _judged_only(text: str) -> bool:
    prose = PLACEHOLDER.sub("x", text.strip())
    if _SAME_AS.match(prose) or _FEASIBLE.match(prose):
        return True
    compared = _COMPARED.match(prose)
    if compared and "更" in prose[compared.end() :]:
        return _content_size(prose[compared.end() :]) <= 14
    if re.match(r"^\s*是?比[^，,。]{1,20}?更[^，,；;]*[。.]?\s*$", prose):
        return True  # "是比支持向量机更为一般的机器学习方法": only how it compares
    judged = _JUDGED_EN.match(prose)
    return judged is not None and _content_size(
        re.sub(r"\b(?:and|or|but|a|an|the|one|bad|good)\b", " ", prose[judged.end() :])) <= 2


# "D. Talkin, 'A robust algorithm…', in Speech Coding and Synthesis, vol.": a reference entry.
_CITED = lazy_pattern(
    r"\b(?:vol\.|pp\.|et al\.|Proc\.|Proceedings of|ICASSP|Interspeech|arXiv:)", re.I
)
_LINK = lazy_pattern(r"^\s*(?://|https?://|www\.)\S+\s*$")


def _in_link(raw: str, term: str) -> bool:
    """Whether ``term`` is written inside a Markdown link's text (``[AI-EDU: 交叉熵](…)``)."""
    return "](" in raw and re.search(
        r"(?<!!)\[[^\]]*" + re.escape(term) + r"[^\]]*\]\(", raw) is not None  # not an image


# "写出似然函数：…", "求导并求解：…", "取负号：…": what a step of working does.
_TO_DO = lazy_pattern(
    r"(?:写出|求出|列出|证明|推导|代入|求导|取负号|取对数|两边|令\s*[A-Za-z\\\ue000])")
# "过拟合：像背答案的学生…": a picture of the term, not what it is.
_ANALOGY = lazy_pattern(r"^\s*(?:就像|好像|好比|像是|像|如同|犹如|仿佛|就好比|like an?\b)", re.I)
# "越小越好": only which way is better.
_BETTER = lazy_pattern(r"^\s*(?:是)?越(?:小|大|高|低)越好[。.]?\s*$")
# "若它是线性可分的，即存在 W 使得：…" with no 则 after it: a theorem's hypothesis without what
# it concludes.
_IF = lazy_pattern(r"(?:^|[，,；;：:\s])(?:若|如果|假如|倘若)|^\s*(?:if|suppose|assume)\b", re.I)
_THEN = lazy_pattern(r"则|那么?|就|便|\bthen\b|时[，,]", re.I)
# A date where a definition would be ("整理日期：2026-03-16").
# "贝叶斯网络：建立了有向图与因果推断的桥梁", "HMM：处理了具有时间依赖的序列数据": a verb in
# the perfect, what the model did for the field.
_ACHIEVED = lazy_pattern(
    r"^\s*(?:首次|率先|成功(?:地)?)?(?:建立|开创|处理|捕捉|展示|解决|提出|推动|奠定|证明|揭示|开启|"
    r"引领|突破|统一|连接|打通|架起)了")
# "文档 d 中…的词越多，新词属于主题 k 的概率就越大"
_TREND = lazy_pattern(r"越[^，,。；;]{0,30}[，,]?[^，,。；;]{0,30}越|the (?:more|larger|higher)\b"
                      r"[^.;]{0,60}\bthe (?:more|larger|higher|less|smaller|lower)\b", re.I)


def _trend_only(text: str) -> bool:
    """The text opens with a trend ("…的词越多，…概率就越大"); "一个事件带来的惊讶程度，概率越小，
    信息越多" says what it is first."""
    prose = PLACEHOLDER.sub("x", text)
    first = re.split(r"[，,；;。:：]", prose, maxsplit=1)[0]
    return bool(("越" in first or re.search(r"\bthe (?:more|larger|higher)\b", first, re.I))
                and _TREND.search(prose))


_FOR_EACH = lazy_pattern(
    r"^\s*(?:对于|对)(?:每一?|任意|所有|各|[^，,。]{0,12}?第)|^\s*for (?:each|every|all)\b", re.I)
_DATE = lazy_pattern(r"^\s*\d{4}\s*[-/.年]\s*\d{1,2}")
_EXAMPLE = lazy_pattern(
    r"^\s*(?:例如|比如|譬如|举例来说|举个例子|for example|for instance|e\.g\.)", re.I
)
# "但在另一些情况下我们不得不处理…" starts in the middle of a thought; "…而是采用一个" stops in it.
_FRAGMENT_START = lazy_pattern(
    r"^\s*(?:但是?|而且?|然而|并且|以及|或者|且|and|but|or)(?![A-Za-z])", re.I
)
# "\(\to\) 蒙特卡洛均值 \(\to\) …": the middle of a chain of arrows.
_ARROW_START = lazy_pattern(
    r"^\s*(?:\\\(\s*\\(?:to|rightarrow|Rightarrow|implies|longrightarrow|mapsto)\s*\\\)|→|⇒|->|=>)")
# "我们在训练模型打游戏的时候，如果…": how the author uses it, not what it is.
_NARRATIVE = lazy_pattern(
    r"^\s*(?:(?:我们|咱们|我)(?!们?把)(?:在|会|要|可以|需要|想|希望|知道|就|先|来|用)"
    r"|(?:现在|接下来|下面|这里|此时)(?:我们)?(?:构造|考虑|介绍|来|看|定义|引入|用|取))")
# "AC: For every point, …" in an answer key: the letters of the right options.
_OPTION_LETTERS = lazy_pattern(r"A?B?C?D?E?")
# Option letters that are also names: automatic differentiation, autoencoder, contrastive
# divergence, differential equation.
_LETTER_ACRONYMS = frozenset({"AD", "AE", "CD", "DE"})
_FRAGMENT_END = lazy_pattern(
    r"(?:一个|一种|一些|采用|使用|称为|称之|被称|称作|叫做|与|或|及|\b(?:the|a|an|of|and|or))\s*$",
    re.I,
)


# "word relation test set：./demo-word-accuracy.sh": where something is, not what it is.
_PATH = lazy_pattern(
    r"(?:\.{0,2}/|~/)?[\w.\-]+(?:/[\w.\-]+)*\.(?:sh|py|ipynb|txt|md|json|ya?ml|csv|"
    r"zip|tar|gz|bin|pt|pth|ckpt|h5)|\.{0,2}/[\w.\-/]+")


# "为什么交叉熵的代价函数是求均值而不是求和?\n Cross entropy loss is defined as …, and that's
# why we use mean": a sentence that answers a why/how question argues a point; it may name the
# term, but what it says is the reason (a "什么是 X？" question is answered by a definition).
_WHY_QUESTION = lazy_pattern(
    r"(?:^|[。.!！\n])\s*(?:>\s*)?(?:为什么|为何|为啥|怎么|怎样|如何|(?:why|how)\b)[^。.!！\n]*[?？]\s*$",
    re.I,
)


# "…不同类别的边界为二次曲线，故此方法称为**二次判别分析**": the reason for the name.
_THEREFORE = lazy_pattern(r"(?:^|[，,。；;])\s*(?:故|因此|所以|因而|于是|由此)[^，,。；;]{0,10}$")


def _answers_why(before: str) -> bool:
    return bool(_WHY_QUESTION.search(PLACEHOLDER.sub("x", before[-300:])))


# "task : 模型任务类型，string", "verbose : bool，是否…", "num_iter : int, 迭代次数": a library's
# parameter list.
# "（就是初始化参数transmat_prior，也可以用params和求出的属性transmat_）": a library's names.
_CODE_NAME = lazy_pattern(r"(?<![A-Za-z\\])(?:[a-z]{3,}_[a-z]{2,}|[a-z]{4,}_(?![A-Za-z0-9{]))")
# "随机梯度下降：从 GD 到 mini-batch GD，到 SGD。": a section's subtitle.
# ("从初始状态到终止状态的一次完整交互" says what an episode is: 的 makes it a noun phrase.)
_FROM_TO = lazy_pattern(
    r"^\s*从[^，,。；;的]{1,30}到[^，,。；;的]{1,30}(?:[，,]\s*(?:再)?到[^，,。；;的]{1,30})*[。.]?\s*$")
# ("通过计算加权和并加上偏置来确定…" says how an activation function works: not this.)
_WORKED = lazy_pattern(r"^\s*经过?(?:计算|推导|化简)|^\s*(?:计算|推导)(?:可得|得到|得)[，,:：]")
_API_TYPE = lazy_pattern(
    r"^\s*(?:int|integer|str|string|bool|boolean|float|double|list|dict|tuple|array|callable|"
    r"object)(?:\s*类型)?\s*[,，:：]|[,，]\s*(?:int|str|string|bool|boolean|float|double)\s*[。.]?\s*$",
    re.I,
)
# "AdaGrad：自适应梯度算法。", "ReLU：修正线性单元": the name in full, which a card would ask
# as "AdaGrad 是什么？" and answer with no more than its translation.
_FULL_NAME = lazy_pattern(
    r"(?:(?!的)[\u3400-\u9fff]){2,8}(?:算法|方法|模型|网络|单元|函数|机制|技术)"
)
# "MQA：Multi-Query Attention（多查询注意力）": the words an abbreviation stands for, maybe with
# a translation; another name, not what the thing is or does.
_BRACKETED = lazy_pattern(r"[(（][^()（）]*[)）]")


def _expands_only(term: str, text: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", term)
    if not (2 <= len(letters) <= 8 and letters.isupper()):
        return False
    words = _BRACKETED.sub(" ", text).strip(" 。.,，:：")
    if not re.fullmatch(r"[A-Za-z][A-Za-z\s'-]*", words):
        return False
    initials = "".join(w[0] for w in re.split(r"[\s-]+", words) if w).upper()
    it = iter(initials)
    return len(initials) <= len(letters) + 3 and all(c in it for c in letters.upper())


# "SE layers are a building component of Squeeze and Excitation Networks.": where it belongs,
# which the card's question already implies, not what it is.
_PART_OF = lazy_pattern(
    r"^\s*(?:is|are)\s+(?:a|an|one|the)\s+(?:[\w-]+\s+){0,2}?(?:component|part|piece|element|"
    r"building block|block|module|member|ingredient|layer)s?\s+of\s+[^.,;:]{1,60}[.]?\s*$"
    r"|^\s*是[^，,。；;]{1,24}的(?:一部分|组成部分|一个组件|一个模块|组件|模块|一层)[。.]?\s*$",
    re.I,
)


def _part_of_only(text: str) -> bool:
    return bool(_PART_OF.match(PLACEHOLDER.sub("x", text)))


# "如果特征向量是二进制，那这个模型是非常有用的": when to use it, not what it is.
_CONDITIONAL = lazy_pattern(
    r"^\s*(?:如果|假如|若是|要是|只要|一旦|只有当|只有在|仅当|if\b|when\b|whenever\b|only if\b)",
    re.I,
)


# "紧致性 (Compactness)：这类算法（如 K-means…）通常假设…": the sentence is about "this kind
# of algorithm" the text before it named, not about the term.
_POINTS_BACK = lazy_pattern(
    r"^\s*(?:这类|这种|这些|此类|该类|这一类|这样的|such\b|these\b|this kind\b)"
)


def _ends_in(text: str, term: str) -> bool:
    """"…神经网络都会具有多个局部极小值。" for 局部极小值: the text says something that ends in
    the term, which is its object, not its subject."""
    prose = PLACEHOLDER.sub("x", text).rstrip(" 。.!！")
    if not prose.casefold().endswith(term.casefold()) or len(prose) <= len(term) + 4:
        return False
    last = re.split(r"[，,；;。]", prose)[-1]
    return bool(re.search(r"具有|存在|出现|产生|导致|面临|遇到|会有|陷入", last))


def _fragment(text: str) -> bool:
    prose = PLACEHOLDER.sub("x", text).rstrip(" ,，.。:：;；")
    return bool(_FRAGMENT_START.match(prose) or _FRAGMENT_END.search(prose)
                or _ARROW_START.match(text))


# "预剪枝：减少训练测试时间，但有欠拟合风险": what the method costs and gains, not what it is.
_TRADE_OFF = lazy_pattern(
    r"风险|开销|代价|成本|优于|劣于|不如|更好|更差|更快|更慢|效率|耗时|容易|难以|缺点|优点|好处|坏处|"
    r"有用|有效|不好|较好|很好|表现|"
    r"^(?:减少|降低|提高|提升|节省|加快)"
)


def _pros_and_cons(text: str) -> bool:
    prose = PLACEHOLDER.sub("x", text)
    halves = re.split(r"[，,；;]\s*(?:但是?|然而|不过|却)", prose, maxsplit=1)
    return len(halves) == 2 and all(_TRADE_OFF.search(h) for h in halves)


# The words a sentence with a subject of its own opens with ("We update…", "If one network…",
# "Often the discriminator is…"): under a bold label, it states a point, it does not define.
_CLAUSE_OPENER = lazy_pattern(
    r"^(?:we|i|you|it|they|this|these|that|those|there|here|all|often|usually|sometimes|"
    r"if|when|while|since|because|so|thus|hence|but|however|also|our|its|their|each|every|"
    r"most|many|some|one)\b",
    re.I,
)
_AUXILIARY = lazy_pattern(
    r"\b(?:is|are|was|were|can|could|may|might|must|will|would|should|shall|has|have|had|"
    r"does|do|did|can't|cannot|won't)\b",
    re.I,
)


def _own_subject(term: str, text: str) -> bool:
    """Whether an English definition's text is a clause with a subject other than the term:
    "Learning Rate Balance: The learning rates … must be balanced" states a point about the
    learning rates. "Forget gate f_t … controls", "A model that outputs noise might…" and
    "Minimizes the probability…" are about the term."""
    prose = PLACEHOLDER.sub("x", re.sub(r"\\\(.*?\\\)", "x", text)).strip()
    if _CJK_RE.search(prose[:40]) or not re.match(r"[A-Za-z]", prose):
        return False
    if _CLAUSE_OPENER.match(prose):
        return True
    aux = _AUXILIARY.search(prose)
    if aux is None or aux.start() == 0:
        return False
    subject = prose[: aux.start()].casefold()
    # "A model that outputs noise might…" describes the term; so does "minimising D(p‖q) over
    # q is mass-covering" (what doing it means).
    if re.match(r"(?:(?:an?|the)\s+\w+\s+(?:that|which|who)|\w+ing)\b", subject):
        return False
    head = term.casefold().split()[-1] if term.split() else ""
    return len(head) >= 3 and head.rstrip("s") not in subject


# "形状控制：协方差矩阵 Σ 决定了分布的形状", "曲面高度：曲面上每一点的高度 p(x) 代表该点的
#概率密度": under a bold label, a subject of its own and a verb that states a fact about it.
_STATES_ZH = lazy_pattern(
    r"^(?P<subject>[^，,。；;：:()（）]{2,24}?)(?:决定了?|代表了?|意味着|会生成|会导致|说明了?|表明了?)")


def _other_subject_zh(term: str, text: str) -> bool:
    prose = PLACEHOLDER.sub("x", re.sub(r"\\\(.*?\\\)", "x", text)).strip()
    m = _STATES_ZH.match(prose)
    if m is None or not _CJK_RE.search(m.group("subject")):
        return False
    subject = m.group("subject")
    pronoun = re.fullmatch(r"[\s它其这该此]*(?:也|就|则|可以|能)?", subject)
    return term not in subject and not pronoun


# "语义框架：语义框架的概念和语义场关系紧密": how the term relates to another, not what it is.
_RELATES = lazy_pattern(
    r"(?:的(?:概念|定义|含义))?[^，,。；;]{0,16}?(?:关系|联系)(?:紧密|密切|很大|不大)"
    r"|(?:的(?:概念|定义|含义))?(?:与|和|跟)[^，,。；;]{1,16}(?:有关|相关|类似|相似)")


def _relates_only(term: str, text: str) -> bool:
    prose = PLACEHOLDER.sub("x", text).strip()
    return prose.startswith(term) and _RELATES.match(prose, len(term)) is not None and \
        _content_size(prose) <= 24


_ONLY_NAMES = lazy_pattern(r"叫法|别名|又称|也称|也叫|简称|名字|名称|also (?:called|known)")


def _circular(term: str, text: str) -> bool:
    """"点云：直接将三维点云抛入网络进行训练": the first clause uses the term it should explain
    (as its subject, "逆强化学习先找出奖励函数", or after 称为, it may)."""
    prose = re.sub(r"!\[[^\]]*\]\([^)]*\)|\\\(.*?\\\)|\\\[.*?\\\]", " ", text)
    first = re.split(r"[，,；;。]", prose, maxsplit=1)[0]
    at = first.find(term)
    return at > 0 and not re.search(r"(?:称为|称作|叫做|叫作|即|为|是)\s*$", first[:at])


_EMPHASIS = lazy_pattern(
    r"\*\*(?=\S)(.+?)(?<=\S)\*\*|(?<![*\w])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![*\w])")


def _unmark(text: str) -> str:
    """Emphasis markers out of a definition's prose: the term they set off is the card's
    question, and CommonMark leaves ``**术语(term)**是…`` as literal asterisks anyway."""
    if "*" not in text:
        return text
    out: list[str] = []
    for seg in segments(text):
        if seg.math:
            out.append(f"\\[{seg.text}\\]" if seg.display else f"\\({seg.text}\\)")
        else:
            out.append(_EMPHASIS.sub(lambda m: m.group(1) or m.group(2), seg.text)
                       .replace("**", ""))
    return "".join(out)


def _tidy(text: str) -> str:
    """A content phrase as a card's answer: no "例如，" opener, no "的这种", no trailing
    punctuation."""
    text = _OPENER.sub("", text.strip())
    text = _DANGLING.sub("", text)
    return text.strip(" \t\n,，;；:：。.")


# "**贝尔曼方程**：其定义了…": the pronoun is the term itself, which the card's front shows.
_SUBJECT_PRONOUN = lazy_pattern(r"^(?:它|其)(?=定义|是|指|表示|描述|用于|用来|可以|能够|通过)")


# "这个想法被称为…" points back at a described idea, process or property: the sentence before
# is its content. "该数值被称为…" or "此损失称为…" point at a quantity the text gave elsewhere
# (usually a formula), so the sentence before is only taken when it names that quantity too.
_IDEA_NOUNS = lazy_pattern(
    r"(?:想法|方法|技术|过程|操作|性质|属性|现象|架构|结构|策略|思想|方式|做法|技巧|机制|步骤|"
    r"idea|method|technique|approach|property|procedure|process|operation|architecture|trick|"
    r"phenomenon|strategy)\s*$", re.I,
)
_PRONOUN_START = lazy_pattern(
    r"^\s*(?:它|这|那|该|此|其|(?:they|it|this|that|these|those)\b)", re.I)


# "我们可以把前L-1层看作表示……。这种架构通常称为多层感知机": a way of looking at the thing is
# not what it is (d2l-zh mlp.md:64).
_VIEWED_AS = lazy_pattern(r"看作|看成|视为|视作|理解为|想象成|\b(?:think|view|regard) of\b", re.I)


def _previous_sentence(block: Block, s_start: int, content: str) -> int | None:
    """Start of the sentence before ``s_start`` in this block, when it is the content that
    the naming sentence (``content`` is its subject, e.g. 这个属性) points back at."""
    if s_start == 0:
        return None
    noun = _DEMONSTRATIVE.split(_CONTEXT_CLAUSE.sub("", content.strip(" ，,")))[-1].strip()
    prev = _sentence_start(block.text, max(0, s_start - 1))
    sentence = block.text[prev:s_start].strip()
    fits = bool(noun) and (_IDEA_NOUNS.search(noun) is not None
                           or (len(noun) >= 2 and noun.casefold() in sentence.casefold()))
    if (not fits or _content_size(sentence) < 8 or sentence.endswith(("：", ":"))
            # "例如我们做线性回归…。这种方法叫做参数化的方法": an instance, not what it is
            or _EXAMPLE.match(sentence)
            or _QUESTION.search(sentence) or _PRONOUN_START.match(sentence)
            or _LEGEND_LEAD.match(sentence) or _VIEWED_AS.search(sentence)
            or points_outside(block.rich(prev, s_start))
            or any(block.maths[int(m.group(1))].display for m in PLACEHOLDER.finditer(sentence))):
        return None
    return prev


_NEXT_LABEL_LINE = lazy_pattern(
    rf"\n(?=[ \t]*([^\s:：,，。{PH_OPEN}][^\n:：,，。{PH_OPEN}]{{0,23}})[:：])")
_RUNS_ON = ("的", "为", "是", "如下", "得", "到", "于", "有", "即", "和", "与")


def _after_body(block: Block, hit: _Hit, limit: int) -> _Body:
    start = hit.text_start
    end = _text_end(block, start, max(limit, start))
    for label in _NEXT_LABEL_LINE.finditer(block.text, start, end):
        # "词序列：$x$\n标记序列：$y$": each line is a label of its own; a text ends at its line
        # (not at "…\n再经过softmax运算得到的：", which runs on into its formula).
        words = label.group(1).strip(" \t`*")
        if not opens_with_function_word(words) and not words.endswith(_RUNS_ON):
            end = label.start()
            break
    body = _SUBJECT_PRONOUN.sub("", block.rich(start, end).strip(" \t\n:：,，*"))
    body = _SEE_ALSO.sub("。" if _CJK_RE.search(body) else ".", body)  # "，详见 交叉熵笔记。"
    if _QUESTION.search(block.text[start:end]) or re.match(
            r"^\s*(?:是|就是)?(?:什么|否|不是|如何|怎样|怎么|为什么|为何)", body):
        return _Body("", end, "a question, not a definition")
    if hit.shape == "aka" and (not body or _AKA_OFF_TOPIC.match(body)):
        # "X，又称为 Y，我们知道…": what follows the alias is about something else.
        return _Body("", end, "the text after its other name does not say what it is")
    if hit.shape == "aka" and _NAMES_AGAIN.search(body):
        # "信息熵也叫香农熵，在机器学习中，由于…，故也叫经验熵。": names, and why, but no content.
        return _Body("", end, "the text after its other name only gives it a third name")
    if hit.shape == "is-a" and _JUDGES.match(body):
        return _Body("", end, "judges the term rather than saying what it is")
    clause = re.split(r"[，,。；;]", body, maxsplit=1)[0]
    if "还是" in clause and ("是" in clause[: clause.index("还是")] or "还是" in clause[
            clause.index("还是") + 2 :] or clause.rstrip().endswith(("？", "?", "呢"))):
        # "…的数据是抛硬币A出现的还是抛硬币B出现的": an either-or question, not a definition;
        # a lone 还是 ("本质上还是 gbdt") means "still is"
        return _Body("", end, "an either-or question, not a definition")
    return _Body(body, end)


# A formula that gives the parameters minimising or maximising something.
_ESTIMATE = lazy_pattern(
    r"^[^=]*(?:\^\s*\{?\s*\*|\\hat)[^=]*=\s*(?:\\(?:arg\s*\\?|operatorname\*?\s*\{\s*arg\s*\\?|"
    r"mathop\s*\{\s*\\?arg\s*\\?|underset\s*\{[^{}]*\}\s*\{\s*\\?arg\s*\\?)|arg\s*)m(?:in|ax)")
_ESTIMATOR_TERM = lazy_pattern(r"估计|最小二乘|最优解|解法|estimat|least squares|solution|optimum",
                               re.I)


def _formula_after(
    block: Block, start: int, end: int, next_block: Block | None
) -> str | None:
    """The display formula a definition's text runs into, if it runs into one: right after
    it in the paragraph, or the ``$$`` block after the paragraph when the text announces it
    (``…定义为:``) or the paragraph is this definition alone."""
    rest = block.text[end:].lstrip(" \t\n:：,，")
    m = PLACEHOLDER.match(rest)
    if m:
        span = block.maths[int(m.group(1))]
        return formulas.clean(span.latex)[0] or None if span.display else None
    if rest.strip() or next_block is None or not _only_display(next_block):
        return None
    announced = ANNOUNCES.search(block.text[:end].rstrip())
    alone = not block.text[:start].strip(" \t\n*-")
    if announced or alone:
        return formulas.clean(next_block.maths[0].latex)[0] or None
    return None


def _only_display(block: Block) -> bool:
    """A ``$$`` block, or a paragraph that is one ``\\[ … \\]`` formula."""
    if block.kind == "math":
        return True
    m = PLACEHOLDER.fullmatch(block.text.strip())
    return m is not None and int(m.group(1)) == 0 and block.maths[0].display


_TRAILING_CUE = lazy_pattern(
    r"[,，;；]?\s*(?:其|它的|它)?(?:数学)?(?:定义|公式|计算公式|表达式|形式)?\s*"
    r"(?:定义为|定义如下|如下|可表示为|可以表示为|表示为|公式为|写为|写成|为|is defined as|"
    r"is given by|as follows)\s*[:：]?\s*$",
    re.I,
)


def extract(
    block: Block, path: str, heading: str, next_block: Block | None = None
) -> tuple[list[tuple[int, Definition]], list[Skipped]]:
    """Definitions found in one block, each with its offset in ``block.text``, and the
    candidates left out with the reason."""
    if block.kind in ("heading", "math") or not block.text:
        return [], []
    out: list[tuple[int, Definition]] = []
    skipped: list[Skipped] = []
    hits = []
    for h in _hits(block):
        if (h.shape == "bracket" and h.start and _CJK_RE.match(block.text[h.start - 1])
                and block.text[h.text_start - 1 : h.text_start] in (":", "：")):
            # "…构建对数似然的期望函数 (Q函数)：" — a label inside a phrase: no term starts there,
            # and the definition before it runs on ("…的生成树(spanning tree)是…" still defines).
            skipped.append(Skipped("definition", h.term, "starts inside a phrase",
                                   SourceRef(path, block.line_at(h.start))))
            continue
        hits.append(h)
    for i, h in enumerate(hits):
        source = SourceRef(path, block.line_at(h.start))
        term = h.term.strip(" \t\n*`\"'“”‘’「」")
        if term.endswith("定义") and len(term) > 3 and h.shape in ("strong-colon", "lead-colon"):
            term = term[:-2].rstrip("的 ")  # "**损失函数定义**：…" defines 损失函数
        also_called = _ALSO_CALLED.fullmatch(term)
        if also_called:  # "前向过程又叫扩散过程：…": one term, two names
            term = also_called.group(1)
            h = replace(h, aliases=(also_called.group(2), *h.aliases))
        problem = (
            "a table cell is not a definition" if block.kind == "cell" else
            "a bold line that heads the lines under it, not a term a sentence defines"
            if h.shape == "title" else
            "text inside HTML (a caption, a layout box), not prose" if _HTML.match(block.raw) else
            "a remark label, not a term" if remark_label(term) else
            "the letters of an answer's options, not a term"
            if len(term) >= 2 and _OPTION_LETTERS.fullmatch(term) and not h.aliases
            and term not in _LETTER_ACRONYMS else
            "a label of one part of a description (全称, 横坐标, 常用算法), not a term"
            if _ATTRIBUTE.fullmatch(term) and not h.aliases else
            "a label of one part of a description (Aim, Another view of PCA), not a term"
            if _LABEL_EN.fullmatch(term) and not h.aliases else
            "a step to do (写出…, 求导并求解), not a term" if _TO_DO.match(term) else
            "a clause (想把…往上推), not a name" if _CLAUSE_TERM.search(term) and not h.aliases else
            "counts the parts of something (两个关键问题), not a term"
            if _COUNTED_PARTS.search(term) else
            "labels an explanation or a step of working (几何意义, 逆矩阵的分解), not a term"
            if _EXPLAINS.fullmatch(term) and not h.aliases else
            "a step label, not a term" if term in _STEP_LABELS and not h.aliases else
            "a generic word (模型, 策略, 停止条件), not the name of one thing"
            if term.casefold() in GENERIC_NOUNS and not h.aliases else
            "a phase or situation, not a term" if _SITUATION.search(term) else
            term_problem(term, marked=(bool(h.aliases) and h.shape in ("marked", "strong-colon"))
                         or h.shape == "en-is") or (
                "a phrase with 的, not a name" if "的" in term and h.shape in ("is-a", "lead-colon",
                                                                              "aka") else None)
        )
        if problem is None and any(a in _NOT_TERMS and _CJK_RE.match(a) for a in h.aliases):
            # "**Kernel Method (思想)**: 非线性带来高维转换": the bracket says which side of
            # the method the point is about; the point is no definition.
            problem = "its bracket labels an aspect (思想, 计算), not another name"
        if problem is None:
            bad_alias = next((p for a in h.aliases if (p := term_problem(a, alias=True))), None)
            if bad_alias:
                problem = f"its bracket is not a name ({bad_alias})"
        if problem is not None:
            skipped.append(Skipped("definition", term, problem, source))
            continue
        limit = hits[i + 1].start if i + 1 < len(hits) else len(block.text)
        body = _sentence_body(block, h) if h.sentence else _after_body(block, h, limit)
        text, formula = body.text, None
        if body.problem.startswith("only names") and ANNOUNCES.search(
                block.text[h.start:body.end].rstrip(" 。.")) and _formula_after(
                block, h.start, body.end, next_block):
            # "this quantity is called the *entropy* …, captured by the following equation:"
            # points at the formula right after it, which the card then shows.
            body = _Body(block.rich(h.start, body.end).strip(), body.end)
        if not body.problem:
            formula = _formula_after(block, h.start, body.end, next_block)
            if formula is not None and _ESTIMATE.match(formula) and not _ESTIMATOR_TERM.search(
                    term):
                # "**均方差**，即预测值与实际值之间的平方差。" then "(β*, ε*) = argmin …": the
                # parameters that minimise it, not what the term is
                formula = None
            if formula is None and (_TRAILING_CUE.search(text) or text.endswith(("：", ":"))):
                # "…之间的关系,定义为:" with its formula lost: keep what the words say.
                text = _TRAILING_CUE.sub("", text).rstrip(" ,，:：")
            elif formula is not None:
                text = text.rstrip(" ,，:：")
        said = block.text[h.text_start : body.end].rstrip()
        # "**生成文档**：对于每篇文档 d：" over a nested list: a lead-in to its sub-points
        body_ends_in_colon = said.endswith(("：", ":")) and not _TRAILING_CUE.search(said) \
            and next_block is not None and next_block.kind == "item" \
            and next_block.level > block.level and body.end >= len(block.text.rstrip()) - 1
        problem = body.problem or (
            "only a symbol for it, not what it is"
            if not formula and PH_OPEN in (said := block.text[h.text_start : body.end]) and not
            PLACEHOLDER.sub("", _unmark(said)).strip(" \t\n:：,，.。") else
            "too little said about the term" if _content_size(text) < 3 else
            "only names a category it belongs to" if _category_only(text) and not formula else
            "says only what it is used for" if _usage_only(text) and not formula else
            "judges or compares the term rather than saying what it is"
            if _judged_only(text) and not formula else
            "weighs pros and cons rather than saying what it is" if _pros_and_cons(text) else
            "gives an example, not what it is" if not h.sentence and _EXAMPLE.match(text) else
            "gives an analogy, not what it is" if not h.sentence and _ANALOGY.match(text) else
            "tells how it is used, not what it is" if _NARRATIVE.match(text) else
            "a statement that ends in the term, not what it is"
            if not h.sentence and len(term) >= 3 and _ends_in(text, term) else
            "a generic name (损失函数, loss function) for one model's formula"
            if formula and term.casefold() in GENERIC_FORMULA_TERMS and not h.aliases else
            "says only which way is better" if _BETTER.match(PLACEHOLDER.sub("x", text)) else
            "a date, not a definition" if _DATE.match(text) else
            "states a condition without what follows from it"
            if _IF.search(text) and not _THEN.search(text) else
            "answers a why or how question, not what the term is"
            if _answers_why(block.text[: h.start]) else
            "says why it is so called, not what it is"
            if h.shape == "marked" and h.sentence and _THEREFORE.search(text) else
            "says what it achieved (建立了…的桥梁), not what it is"
            if not h.sentence and _ACHIEVED.match(text) else
            "says how one thing grows with another (越…越), not what it is"
            if _trend_only(text) else
            "a step done for each item (对于每个主题…), not what it is"
            if not h.sentence and _FOR_EACH.match(text) else
            "only introduces the points under it" if not formula and not h.sentence
            and body_ends_in_colon else
            "a link, not a definition" if _LINK.match(text) or _in_link(block.raw, term) else
            "a file or a command, not a definition" if _PATH.fullmatch(text.strip(" *`。.,，")) else
            "an API parameter (its type), not a concept" if _API_TYPE.search(text) else
            "names code identifiers (transmat_prior), not what it is"
            if _CODE_NAME.search(re.sub(r"\\\(.*?\\\)|\\\[.*?\\\]", " ", text)) else
            "a progression (从 A 到 B), not what it is" if _FROM_TO.match(text) else
            "a result of working (经计算…), not what it is" if _WORKED.match(text) else
            "only spells out its full name" if _FULL_NAME.fullmatch(text.strip(" 。."))
            or _expands_only(term, text) else
            "says only what it is a part of" if _part_of_only(text) else
            "says when it is useful, not what it is" if _CONDITIONAL.match(text) else
            "speaks of something else it points back to (这类算法…), not of the term"
            if not h.sentence and _POINTS_BACK.match(text) else
            "a bibliographic reference, not a definition" if _CITED.search(text) else
            "a fragment of a sentence, not a whole statement" if _fragment(text) else
            "a statement about something else, not what the term is"
            if h.shape in ("strong-colon", "lead-colon") and (
                _own_subject(term, text) or _other_subject_zh(term, text)) else
            "only gives its value or another name, not what it is"
            if not formula and _bare_value(text) else
            "explains the term with itself"
            if not h.sentence and _circular(term, _PURPOSE.sub("", text, count=1)) else
            "says only what it relates to" if _relates_only(term, text) else ""
        )
        if problem:
            skipped.append(Skipped("definition", term, problem, source))
            continue
        aliases = tuple(dict.fromkeys(a for a in h.aliases if a and a != term))
        text = join_soft_breaks(_unmark(_LINKING_ADVERB.sub("", text)))
        shape = "named" if h.sentence and not text.startswith(("是", "指", "表示")) and \
            h.shape == "marked" else ("sentence" if h.sentence else "explicit")
        out.append((h.start, Definition(term, aliases, text, source, heading, formula,
                                        shape=shape)))
    return out, skipped
