"""Markdown notes → :class:`quizgen.model.Note` values.

``parse_text`` never raises on note content: anything wrong becomes a
:class:`~quizgen.model.Problem` with the file and line, and the rest of the note still parses.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from quizgen.headings import heading_words, names_a_part
from quizgen.latex import clean_text, digest
from quizgen.model import (
    Definition,
    Formula,
    FormulaHead,
    Note,
    Problem,
    Skipped,
    SourceRef,
    Symbol,
)
from quizgen.parse import consistency, definitions, formulas, legends, naming
from quizgen.parse.blocks import PLACEHOLDER, Block, read_blocks
from quizgen.parse.frontmatter import FrontMatter, read_front_matter
from quizgen.parse.problems import unclosed_math
from quizgen.parse.reader import read
from quizgen.parse.roles import Roles, strip_roles
from quizgen.parse.terms import GENERIC_FORMULA_TERMS, GENERIC_NOUNS
from quizgen.patterns import lazy_pattern
from quizgen.richtext import CJK
from quizgen.walk import NOTE_SUFFIXES, collect

# Finding notes needs none of the extractors: ``collect`` lives with the walker, so that a
# build whose notes are all cached never imports them.
__all__ = ["NOTE_SUFFIXES", "collect", "parse_file", "parse_text"]


def _legend_after(items: list[Block], i: int, pos: int) -> tuple[Block, int] | None:
    """Where the legend of a formula ending at ``items[i].text[pos]`` starts, if it has one."""
    block = items[i]
    rest = block.text[pos:]
    if rest.strip():
        return (block, pos) if legends.starts_legend(rest) else None
    if i + 1 < len(items) and items[i + 1].kind in ("para", "item"):
        nxt = items[i + 1]
        if legends.starts_legend(nxt.text):
            return nxt, 0
    return None


def _list_legend(items: list[Block], i: int) -> tuple[Block, ...]:
    """``其中：`` followed by list items that each explain one symbol."""
    out: list[Block] = []
    for nxt in items[i + 1 :]:
        if nxt.kind != "item" or not nxt.text.lstrip().startswith("\ue000"):
            break
        out.append(nxt)
    return tuple(out)


def _intro(items: list[Block], i: int, pos: int) -> str:
    """The words right before the formula at ``items[i].text[pos]``: the end of the same
    paragraph's text, or the last sentence of the paragraph before when the formula opens its
    block."""
    before = items[i].text[:pos]
    if before.strip():
        return naming.sentence_before(before)
    if i > 0 and items[i - 1].kind in ("para", "item"):
        prev = items[i - 1].text
        return naming.sentence_before(prev) if not prev.rstrip().endswith(("。", ".")) else ""
    return ""


def _list_scope(items: list[Block], i: int) -> str:
    """What a list item belongs to when its list is introduced by a sentence ending in a colon
    ("博弈满足以下假设：" before "- finite：…"): without it "finite" means nothing on a card."""
    intro = _list_intro(items, _first_item(items, i))
    if "\ue000" in intro:
        return ""
    if _SELF_TALK.search(intro) or _QUESTION_LABEL.fullmatch(intro) or _OF_ITSELF.search(intro) \
            or _KINDS_OF_NOTHING.match(intro):
        # "再结构化一下这三个部分，好好理解：" speaks to the author, not of the list; "Q7："
        # only numbers an exercise; "本模块由…组合而成：" points at the note; "最常见的有三种
        # 形式：" says how many, not of what.
        return ""
    # "…发现词在情感含义上有三个维度的变化，通常称为": the list's subject, not how it is named
    intro = _INTRO_TAIL.sub("", _INTRO_HEAD.sub("", intro)).replace("`", "").strip(" ，,")
    if re.search(r"[只都也就还又才却则而]$", intro):
        return ""  # "不同方法只是：" less its 是 is a sentence cut short, not a subject
    return intro if 2 <= len(intro) <= 40 else ""


# "最常见的有三种形式：", "主要包括以下几类："
_KINDS_OF_NOTHING = lazy_pattern(
    r"^(?:其中)?(?:最|比较|较为)?(?:常见|常用|主要|典型|基本)的?(?:有|是|包括|分为)?(?:以下|如下)?"
    r"[一二两三四五六七八九十几\d]*\s*(?:种|类|个|点)")


# "2，`GPT-3` 中…"
_INTRO_HEAD = lazy_pattern(
    r"^\s*(?:(?:\d+|[一二三四五六七八九十]+)\s*[，,、.．]|于是|所以|因此|因而|从而|然后|接着)\s*")
_INTRO_TAIL = lazy_pattern(
    r"[，,]?\s*(?:通常|一般|也|又|分别)?(?:被)?(?:称为|称作|叫做|叫作|是|(?<![因作成认])为|如下|有|"
    r"包括)\s*$")


# Definitions left out for what their text says, not for their term: the term still names.
_STILL_NAMES = frozenset({
    "only names a category it belongs to", "says only what it is used for",
    "judges or compares the term rather than saying what it is",
})


def _namer_before(block: Block, left_out: list[Skipped], pos: int) -> str:
    """The term of a definition left out for its text, opening ``block`` before ``pos`` with
    no display formula between them, or ""."""
    for s in reversed(left_out):
        at = block.text.find(s.text, 0, pos)
        if s.what != "definition" or s.reason not in _STILL_NAMES or at < 0:
            continue
        between = block.text[at:pos]
        if any(block.maths[int(p.group(1))].display for p in PLACEHOLDER.finditer(between)):
            return ""
        return s.text
    return ""


def _list_intro(items: list[Block], j: int) -> str:
    """The sentence ending in a colon that introduces the list starting at ``items[j]``: the
    paragraph before it, or the item it is nested in; or "" (math left as placeholders)."""
    if j == 0 or not (items[j - 1].kind == "para" or (
            items[j - 1].kind == "item" and items[j - 1].level < items[j].level)):
        return ""
    intro = naming.sentence_before(items[j - 1].text).replace("*", "").strip()
    return intro.rstrip(" :：") if intro.endswith((":", "：")) else ""


_LEAD_LABEL = lazy_pattern(r"\s*\**\s*([^\s*:：,，。]{1,12}?)\s*\**\s*[:：]")


def _remark_lead(items: list[Block], j: int) -> str:
    """The remark label ("示例", "关键", "注意") that the paragraph right before the list at
    ``items[j]`` opens with, or "": "**示例**：悬崖行走问题" then "- Q-Learning：学习沿悬崖边走"
    lists what each method does in the example, not what each method is."""
    if j == 0 or items[j - 1].kind != "para":
        return ""
    m = _LEAD_LABEL.match(items[j - 1].text)
    return m.group(1) if m and _ASIDE_LABEL.fullmatch(m.group(1)) else ""


# Labels of an example or an aside, whose list says what happens in it; an exercise's label
# ("Q7：") may still head a list of definitions (its answer).
_ASIDE_LABEL = lazy_pattern(
    r"(?:示例|例如|比如|举例|例子|实例|案例|例|关键|注意|注|提示|实践|直觉|直观理解|"
    r"example|examples|e\.g\.|for example|for instance|key|note|tip|insight|intuition)\s*\d*",
    re.I)


_LABEL_PARA = lazy_pattern(r"\s*[^\s:：,，。]{1,12}[:：]")


def _label_run_intro(items: list[Block], i: int) -> str:
    """The sentence ending in a colon before a run of "label：…" paragraphs that ``items[i]``
    is one of ("是基于以下原因：" then "信息的独立性：…", "简化解释：…"), or ""."""
    j = i
    while j > 0 and items[j - 1].kind == "para" and _LABEL_PARA.match(items[j - 1].text):
        j -= 1
    if j == 0 or items[j - 1].kind != "para":
        return ""
    intro = naming.sentence_before(items[j - 1].text).replace("*", "").strip()
    return intro.rstrip(" :：") if intro.endswith((":", "：")) else ""


def _first_item(items: list[Block], i: int) -> int:
    """Where the list that ``items[i]`` is an item of starts (its nested lists are in it)."""
    level = items[i].level
    while i > 0 and items[i - 1].kind == "item" and items[i - 1].level >= level:
        i -= 1
    return i


_SHORT_ZH = lazy_pattern(r"[\u3400-\u9fff]{1,3}")


def _parent_symbols(items: list[Block], i: int) -> frozenset[str]:
    """The words in the math of the item ``items[i]`` is nested in."""
    level = items[i].level
    for k in range(i - 1, -1, -1):
        b = items[k]
        if b.kind != "item":
            return frozenset()
        if b.level < level:
            latex = " ".join(m.latex for m in b.maths).replace("\\_", "_")
            return frozenset(re.findall(r"[A-Za-z][A-Za-z_]*", latex))
    return frozenset()


def _under_label(items: list[Block], i: int) -> bool:
    """Whether the item ``items[i]`` is nested in an item that is only a label ("**[对称]**")."""
    level = items[i].level
    for k in range(i - 1, -1, -1):
        b = items[k]
        if b.kind != "item":
            return False
        if b.level < level:
            label = b.plain().strip(" *[]【】:：")
            return 0 < len(label) <= 12 and not re.search(r"[:：。，,.]", label)
    return False


_QUESTION_LABEL = lazy_pattern(r"(?:Q|A|问题?|题|答|例|练习|习题|Question|Exercise)\s*\d+", re.I)


_SELF_TALK = lazy_pattern(r"好好|一下|记住|理解一?下|再看|回顾|整理|\bTODO\b|\bFIXME\b", re.I)
# "本模块由以下原子组合而成：": the note speaking of itself, which a card does not show.
_OF_ITSELF = lazy_pattern(
    r"^(?:本|该|此)(?:模块|文|篇|节|章|笔记|部分|页)|^(?:全文|通篇|至此|下文|接下来)|我们的[^，,]{0,12}系列"
    r"|\bthis (?:module|note|section|chapter|page|post)\b", re.I)
# ...and when it outlines itself ("全文按一条很简单的路线展开：", "至此，我们的系列涵盖了："), each
# item is one line of summary, not a definition ("本模块由以下原子组合而成：" still lists parts,
# each said what it is).
_OUTLINE = lazy_pattern(r"^(?:全文|通篇|至此|下文|接下来)|我们的[^，,]{0,12}系列")


# What a list of points is a list of, in its heading or its lead-in line: its items are labelled
# statements ("**Learning Rate Balance**: the learning rates must be…"), not a glossary.
_POINTS = lazy_pattern(
    r"\b(?:causes|reasons|challenges|considerations|points|issues|problems|pitfalls|tips|tricks|"
    r"advantages|disadvantages|pros|cons|benefits|drawbacks|limitations|takeaways|observations|"
    r"lessons|remarks|insights|highlights|best practices)\b|^(?:why|how)\b|"
    r"原因|挑战|注意事项|要点|优点|缺点|优缺点|优势|劣势|不足|局限|好处|坏处|问题|为什么|为何|"
    # a reading list: "- 书籍：Sutton & Barto …" names a book, it defines nothing
    r"参考|资源|延伸阅读|推荐阅读|相关阅读|"
    r"\b(?:references|resources|further reading|reading list)\b|"
    # the steps of a procedure: each item says what is done, not what a thing is
    r"步骤|流程|\bsteps?\b|\bprocedure\b|"
    # "1.1 什么是逻辑回归？": each item says something about the one thing the heading asks of
    r"什么是|是什么[？?]?$|\bwhat\s+(?:is|are)\b",
    re.I,
)
# A lead-in line ("Key Properties:", "…需要让训练集与测试集有相似的：", "…a minimax game, where:")
# that announces properties, requirements, the sides of a comparison ("跟 PCA 比，区别在于：")
# or the parts of a sentence it leaves open. A section
# headed "Properties" may still define terms, so this is only asked of the lead-in.
_POINTS_LEAD = lazy_pattern(
    r"\b(?:properties|characteristics|features|differences?|compared|versus|vs)\b|\bwhere$|"
    r"性质|特点|特性|需要|应该|应当|必须|的$|其中$|区别|差异|不同之处|不同点|相比|"
    # "…调整结构，例如：" (examples), "所以：" (what follows), "只要…满足两个条件：" (conditions)
    r"例如|比如|譬如|^(?:所以|因此|于是|总之)$|条件|只要|那么$|\bfor example\b|\be\.g\.|"
    # "Q-Learning是Off-policy的，因为：" (the reasons it is so)
    r"因为$|由于$|\bbecause$|"
    # "我会更倾向于这样选：" (advice, one case each)
    r"我(?:们)?(?:会|建议|推荐|倾向|觉得|认为)|建议如下|推荐如下|\bI (?:would|recommend|suggest)\b|"
    # "不同方法只是：" (how each one differs)
    r"只是$|只不过是?$|无非是$|"
    # "GPT-3 中的上下文学习主要体现在：" (its aspects), "这表明：" (what follows from it)
    r"体现在|表现在|在于$|方面|表明$|说明$|意味着$|可见$|看出$|可知$",
    re.I,
)


_GENERIC_HEADING = lazy_pattern(
    r"定义|概念|基础|简介|概述|介绍|总结|步骤|流程|\b(?:definitions?|basics|introduction|overview|"
    r"summary|steps|notes?)\b", re.I,
)
_STEP_TERM = lazy_pattern(r"(?:^[A-Z]\s*步|^[A-Z][-\s]?step)$", re.I)


def _points_list(scope: str, heading: str) -> str:
    """What the list an item belongs to is a list of, when it is a list of points, else ""."""
    if _POINTS.search(scope) or _POINTS_LEAD.search(scope) or _OUTLINE.search(scope):
        # "全文按一条很简单的路线展开：" then "- Bagging：通过重采样获得稳定性": an outline of
        # the note, one line of summary per topic
        return scope
    return heading if _POINTS.search(heading) else ""


_LATIN_WORD = lazy_pattern(r"[A-Za-z]{2,}")


def _language(blocks: list[Block]) -> str:
    """"en" for a note whose prose is English, else "zh". Chinese prose has about as many
    characters as a Chinese note has English words, or more; an English note may still gloss a
    term in Chinese now and then ("(与平面法向量同向的单位向量)")."""
    cjk = words = 0
    for b in blocks:
        if b.kind != "math":
            prose = PLACEHOLDER.sub(" ", b.text)
            cjk += len(CJK.findall(prose))
            words += len(_LATIN_WORD.findall(prose))
    return "en" if words >= 20 and cjk <= 0.1 * words else "zh"


def _referenced_tags(text: str) -> frozenset[str]:
    """Equation tags the prose points at: ``式(3)``, ``(2.1)``, ``Eq. (4)``."""
    return frozenset(m.group(1) for m in _TAG_REF.finditer(text))


_TAG_REF = lazy_pattern(r"(?:式|公式|等式|Eq\.?|Equation|eq\.)\s*[(（]\s*([\w.\-]+)\s*[)）]")


def _head(f: Formula) -> FormulaHead:
    return FormulaHead(f.name, f.lhs, f.concept, f.context, digest(f.latex))


def parse_text(text: str, path: str) -> Note:
    """Parse one note's text; ``path`` is how the note is named in every SourceRef."""
    roles = strip_roles(clean_text(text))
    text = roles.text
    doc = read_blocks(text)
    problems: list[Problem] = []
    front = FrontMatter()
    if doc.front_matter is not None:
        front, problem = read_front_matter(doc.front_matter, path)
        if problem:
            problems.append(problem)
    items = list(doc.blocks)
    title = front.title
    heading = ""
    context = ""
    defs: list[Definition] = []
    forms: list[Formula] = []
    skipped: list[Skipped] = []
    images: list[SourceRef] = []
    prose_refs = _referenced_tags(text) if ("(" in text or "（" in text) else frozenset()
    pending: Definition | None = None  # a definition whose formula opens the next block
    previous: Definition | None = None  # the last definition of the paragraph before
    previous_namer = ""  # or the term of one left out for its text (see _namer_before)
    # (formula index, block index, intro, definitions before it, heading) of display formulas
    respective: list[tuple[int, int, str, int, str]] = []
    for i, block in enumerate(items):
        problems.extend(unclosed_math(block, path))
        images.extend(SourceRef(img.src, img.line) for img in block.images)
        if block.kind != "math" and not block.text.strip():
            continue
        if block.kind == "heading":
            heading = block.plain()
            context = heading
            pending = previous = None
            previous_namer = ""
            if not title and block.level == 1:
                title = heading
            continue
        nxt = items[i + 1] if i + 1 < len(items) else None
        found, left_out = definitions.extract(block, path, heading, nxt)
        scope = _list_scope(items, i) if block.kind == "item" and found else ""
        if found and ((block.kind == "item" and (points := _remark_lead(
                items, _first_item(items, i)) or _points_list(
                scope or _list_intro(items, _first_item(items, i)), heading)))
                or (block.kind == "para" and (points := _points_list(
                    _label_run_intro(items, i), "")))):
            # "Causes of Instability" / "Key Points:" / "优缺点": each item is one point made
            # under a label; the label is not a term and the point is not its definition.
            skipped.extend(Skipped("definition", d.term, f"a point in a list of {points}",
                                   d.source) for _, d in found)
            found = []
        if scope:
            found = [(pos, replace(d, scope=scope)) for pos, d in found]
        if found and (heading or title):
            # "E步：…" is a step of the algorithm its section is about: the card names it (by
            # the note's title under a heading such as "1.1 基础定义").
            whole = title if not heading or _GENERIC_HEADING.search(heading) else heading
            found = [(pos, replace(d, scope=whole) if _STEP_TERM.search(d.term) and not d.scope
                      and whole and whole.casefold() != d.term.casefold() else d)
                     for pos, d in found]
        if found and block.kind in ("item", "para"):
            # "- 非负性：…", "合理性：…": a property of something the text does not name (the
            # note's topic); without the owner on the card, "非负性是什么？" has no one answer.
            ownerless = [d for _, d in found if d.term.endswith("性") and not d.aliases
                         and not d.scope and d.shape == "explicit"]
            skipped.extend(Skipped("definition", d.term, "a property whose owner is not named",
                                   d.source) for d in ownerless)
            found = [(pos, d) for pos, d in found if d not in ownerless]
        if found and block.kind == "item" and block.level > 1 and (
                in_math := _parent_symbols(items, i)):
            # "- input: 维度为 (seq\_len, batch, input\_size)" then, nested, "- batch: 传入的
            # 句子的数量": a name in the math above, which the card would not show.
            inside = [d for _, d in found if d.term in in_math]
            skipped.extend(Skipped("definition", d.term, "a symbol of the math it is listed "
                                   "under, not a term", d.source) for d in inside)
            found = [(pos, d) for pos, d in found if d not in inside]
        if found and block.kind == "item" and block.level > 1 and _under_label(items, i):
            # "- **[对称]**" then, nested, "- 容量: 取输入对称…": a short word under a bare label
            # is that label's property (the symmetric channel's capacity), not a term.
            owned = [d for _, d in found if not d.aliases and _SHORT_ZH.fullmatch(d.term)]
            skipped.extend(Skipped("definition", d.term, "a property of the label it is listed "
                                   "under", d.source) for d in owned)
            found = [(pos, d) for pos, d in found if d not in owned]
        defs.extend(d for _, d in found)
        skipped.extend(left_out)
        for m in PLACEHOLDER.finditer(block.text):
            span = block.maths[int(m.group(1))]
            symbols: tuple[Symbol, ...] = ()
            if span.display:
                where = _legend_after(items, i, m.end())
                if where is not None:
                    symbols = legends.parse(*where)
                    if not symbols and legends.bare_lead(where[0].text[where[1] :]):
                        symbols = tuple(
                            s for item in _list_legend(items, items.index(where[0]))
                            for s in legends.parse(item, 0)
                        )
            # The definition whose text the formula sits in (or follows) names it best.
            before = [(pos, d) for pos, d in found if pos < m.start()]
            if before:
                context = " ".join((before[-1][1].term, *before[-1][1].aliases))
            formula = formulas.make(span, path, context, symbols)
            if formula is None:
                continue
            if symbols:
                shown = tuple(s for s in symbols if legends.shown_in(s.symbol, formula.latex))
                skipped.extend(
                    Skipped("legend", s.symbol, "the symbol is not written in the formula",
                            formula.source)
                    for s in symbols if s not in shown
                )
                formula = replace(formula, symbols=shown)
            if span.display:
                owner = next((d for _, d in reversed(before) if d.formula == formula.latex), None)
                if owner is None and not block.text[: m.start()].strip() and pending is not None \
                        and pending.formula == formula.latex:
                    owner = pending
                between = block.text[before[-1][0] : m.start()] if before else ""
                paragraph_term = before[-1][1].term if before and not any(
                    block.maths[int(p.group(1))].display for p in PLACEHOLDER.finditer(between)
                ) else ""
                if not before:
                    # "极大似然估计是一种…方法。它的核心思想是：…" gives no card of its own, yet it
                    # still names the formula its paragraph leads to.
                    paragraph_term = _namer_before(block, left_out, m.start()) or paragraph_term
                if not before and not block.text[: m.start()].strip() and previous is not None:
                    paragraph_term = previous.term  # the paragraph before ends in its definition
                elif not before and not block.text[: m.start()].strip():
                    paragraph_term = previous_namer
                verdict = naming.name_formula(
                    formula.latex, _intro(items, i, m.start()),
                    defined_term=owner.term if owner else "", paragraph_term=paragraph_term,
                    referenced=bool(formula.tag and formula.tag in prose_refs),
                    has_legend=bool(formula.symbols), concept=formula.concept,
                )
                formula = replace(formula, key=verdict.key, name=verdict.name, lhs=verdict.lhs)
                if not verdict.key:
                    skipped.append(Skipped("formula", formula.latex, verdict.why_not,
                                           formula.source))
            if span.display:
                respective.append((len(forms), i, _intro(items, i, m.start()),
                                   len(defs) - len(found) + len(before), heading))
            forms.append(formula)
        last = found[-1][1] if found else None
        pending = last if last is not None and last.formula is not None else None
        # A definition whose paragraph has no display formula after it can name the formula
        # that opens the next block ("交叉熵：…。对离散分布，" + $$…$$).
        tail_has_formula = last is not None and any(
            block.maths[int(p.group(1))].display
            for p in PLACEHOLDER.finditer(block.text, [pos for pos, d in found][-1]))
        previous = last if block.kind in ("para", "item") and not tail_has_formula else None
        previous_namer = _namer_before(block, left_out, len(block.text)) if block.kind in (
            "para", "item") and not found else ""
    forms = _respectively(forms, respective, defs, skipped)
    forms = _heading_named(forms, respective, items, skipped)
    forms = _labelled(forms, roles, skipped)
    forms = _unique_names(forms, skipped)
    for i, why in consistency.opposite_signs(forms).items():
        if forms[i].key:
            skipped.append(Skipped("formula", forms[i].latex, why, forms[i].source))
            forms[i] = replace(forms[i], key=False)
    return Note(
        path=path,
        title=title or Path(path).stem,
        tags=front.tags,
        category=front.category,
        date=front.date,
        definitions=tuple(defs),
        formulas=tuple(forms),
        heads=tuple(_head(f) for f in forms if f.display and f.key),
        images=tuple(images),
        problems=tuple(problems),
        skipped=tuple(skipped),
        language=_language(items),
    )


_RESPECTIVELY = lazy_pattern(
    r"分别(?:为|是|如下|表示为|定义为)?\s*[:：]\s*$|respectively\s*:\s*$", re.I
)


def _respectively(forms: list[Formula], seen: list[tuple[int, int, str, int, str]],
                  defs: list[Definition], skipped: list[Skipped]) -> list[Formula]:
    """"常用的池化有两种：均值池化…；最大池化…。两种池化分别为：" + two formulas: each formula
    is named by the matching definition of the list before it, in order (or not at all when
    the counts differ)."""
    out = list(forms)
    for n, (fi, bi, intro, before, section) in enumerate(seen):
        if not _RESPECTIVELY.search(intro):
            continue
        run = [fi]
        for fj, bj, _, _, sj in seen[n + 1 :]:
            if bj != bi + len(run) or sj != section:
                break
            run.append(fj)
        terms = [d.term for d in defs[:before] if d.heading == section][-len(run):]
        if len(run) < 2 or len(terms) != len(run):
            continue
        for fj, term in zip(run, terms, strict=True):
            f = out[fj]
            if not f.name:
                skipped[:] = [x for x in skipped if not (x.what == "formula"
                                                         and x.source == f.source)]
                out[fj] = replace(f, key=True, name=term)
    return out


_TERM_HEADING = lazy_pattern(
    r"[\u3400-\u9fff]{2,12}\s*[(（]?[A-Za-z][A-Za-z\- ]{2,40}[)）]?")


def _heading_named(forms: list[Formula], respective: list[tuple[int, int, str, int, str]],
                   items: Sequence[Block], skipped: list[Skipped]) -> list[Formula]:
    """"## 正规方程 Normal Equation" and right under it its one formula: the heading names it
    (an Andrew Ng course summary). Not when the section holds other display formulas (then the
    heading names a topic, as "2.5 方差" does), nor for a heading that names a kind of formula
    ("代价函数 Cost Function": every model has one) or a part of a text ("推导过程")."""
    headings = [i for i, b in enumerate(items) if b.kind == "heading"]
    out = list(forms)
    for idx, i, intro, _, heading in respective:
        f = out[idx]
        if f.key or f.name or intro.strip() or items[i].kind != "math" or not heading:
            continue
        j = i - 1
        while j >= 0 and items[j].kind != "math" and not items[j].text.strip():
            j -= 1
        if j < 0 or items[j].kind != "heading":
            continue
        end = next((h for h in headings if h > j), len(items))
        if sum(1 for _, k, *_ in respective if j < k < end) != 1:
            continue
        name = heading_words(heading)
        parts = [p.strip() for p in re.split(r"(?<=[\u3400-\u9fff])\s*(?=[A-Za-z])", name)]
        # A term and its English name ("正规方程 Normal Equation"): a heading that says what
        # the section is about in other words ("开头一行就带内容") names no formula.
        if (not _TERM_HEADING.fullmatch(name) or names_a_part(name)
                or _GENERIC_HEADING.search(name)
                or any(p.casefold() in GENERIC_FORMULA_TERMS or p.casefold() in GENERIC_NOUNS
                       for p in parts)
                or not naming.acceptable_name(name) or naming.derivation_step(f.latex, "")):
            continue
        out[idx] = replace(f, key=True, name=name)
        skipped[:] = [s for s in skipped if not (s.what == "formula" and s.source == f.source
                                                 and s.text == f.latex)]
    return out


def _labelled(forms: list[Formula], roles: Roles, skipped: list[Skipped]) -> list[Formula]:
    """d2l equations whose ``:eqlabel:`` the text refers to with ``:eqref:`` are key."""
    if not roles.referenced:
        return forms
    out = list(forms)
    for line, label in roles.eqlabels:
        if label not in roles.referenced:
            continue
        idx = max((j for j, f in enumerate(out) if f.display and f.source.line < line), default=-1)
        f = out[idx] if idx >= 0 else None
        if f is None or f.key:
            continue
        step = naming.derivation_step(f.latex, "")
        if step:
            continue
        out[idx] = replace(f, key=True)
        skipped[:] = [s for s in skipped if not (s.what == "formula" and s.source == f.source
                                                 and s.text == f.latex)]
    return out


def _unique_names(forms: list[Formula], skipped: list[Skipped]) -> list[Formula]:
    """Two key formulas of one section never share a name: the later one loses it. (Across
    sections they may: "参数更新" under AdaGrad and under NAG are said with their sections.)"""
    seen: dict[tuple[str, str, str], Formula] = {}
    out: list[Formula] = []
    for f in forms:
        label = (f.name, f.lhs, f.context)
        if f.key and f.name:
            first = seen.get(label)
            if first is not None and first.normalized != f.normalized:
                skipped.append(Skipped(
                    "formula", f.latex,
                    f"its name {f.name!r} is already the name of the formula at line "
                    f"{first.source.line}", f.source))
                f = replace(f, name="")
            else:
                seen.setdefault(label, f)
        out.append(f)
    return out


def parse_file(path: Path, display: str | None = None) -> Note:
    """Read and parse one file; unreadable files give a Note with only a Problem."""
    name = display if display is not None else str(path)
    text, problem = read(path, name)
    if text is None:
        assert problem is not None
        return Note(path=name, title=path.stem, problems=(problem,))
    return parse_text(text, name)
