"""Definitions in the shapes real notes use.

Block structure (paragraphs, list items, emphasis, math) comes from markdown-it; what is left is
the prose pattern that says "this term means that", which is matched on a block's flattened text
(formulas are placeholders there, so no pattern can match inside math):

- ``术语 (English, ABBR):定义`` with half- or full-width brackets and colon (also ``…) 是/指 …``);
- ``**term**: …`` / ``- **策略（policy）**：…`` / ``**term** (alias): …``;
- ``*术语*（term）`` inside a sentence (the sentence is the definition);
- ``X 是一种 …`` / ``X 是指 …`` at the start of a sentence;
- ``X,又称为 Y`` / ``X，又称 Y``;
- ``The **X** is …`` / ``**X** is …`` / ``X (Y) is defined as …``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from quizgen.model import Definition, SourceRef
from quizgen.parse.blocks import PH_CLOSE, PH_OPEN, Block

_CJK = "\u3400-\u9fff\uf900-\ufaff"
_LB, _RB, _COLON = "[(（]", "[)）]", "[:：]"
# Where a term may start: beginning of the block or after a sentence / clause boundary.
_START = rf"(?:^|(?<=[\s。；;！？!?,，、{PH_CLOSE}]))"
_ALIAS = rf"(?P<alias>[A-Za-z][^()（）\n{PH_OPEN}]{{0,80}}?)"
_CJK_TERM = rf"(?P<term>(?:[A-Za-z][A-Za-z0-9\-]*\s?)?[{_CJK}][{_CJK}A-Za-z0-9\-·]{{0,11}})"
_COPULA = r"(?:是一种|是一类|是一个|是指|指的是|实际上是|就是|是)"

_BRACKET_DEF = re.compile(
    rf"{_START}{_CJK_TERM}\s*{_LB}{_ALIAS}{_RB}\s*(?:(?P<colon>{_COLON})|(?={_COPULA}))"
)
_STRONG_DEF = re.compile(
    rf"(?:^|(?<=[\s。；;！？!?]))\*\*(?P<inner>[^*\n]{{1,60}}?)\*\*\s*"
    rf"(?:{_LB}(?P<alias>[^()（）\n]{{1,80}}){_RB})?\s*{_COLON}"
)
_EM_ALIAS = re.compile(
    rf"(?<!\*)\*(?P<term>[^*\n]{{1,30}})\*(?!\*)\s*{_LB}(?P<alias>[A-Za-z][^()（）\n]{{0,60}}){_RB}"
)
_STRONG_ALIAS = re.compile(
    rf"\*\*(?P<term>[{_CJK}][^*\n]{{0,20}})\*\*\s*{_LB}(?P<alias>[A-Za-z][^()（）\n]{{0,60}}){_RB}"
)
_IS_A = re.compile(
    rf"(?:^|(?<=[。；;！？!?\n]))[ \t]*(?P<term>[^\s,，。；;:：{PH_OPEN}{PH_CLOSE}*!\[\]]"
    rf"[^\n,，。；;:：{PH_OPEN}{PH_CLOSE}*!\[\]]{{1,24}}?)\s*(?:是一种|是一类|是指|指的是)"
)
_AKA = re.compile(
    rf"(?:^|(?<=[。；;！？!?\n]))[ \t]*(?P<term>[^\s,，。；;:：{PH_OPEN}{PH_CLOSE}]"
    rf"[^\n,，。；;:：{PH_OPEN}{PH_CLOSE}]{{0,40}}?)\s*[,，]?\s*(?:又称为|又称|也称为|也称|也叫做|也叫|又叫)"
    rf"\s*(?P<alias>[^,，。；;:：\s{PH_OPEN}]{{1,30}})"
)
_EN_IS = re.compile(
    r"(?:^|(?<=[.!?]\s))(?:(?:The|A|An)\s+)?\*\*(?P<term>[^*\n]{1,60})\*\*"
    r"(?:\s*\((?P<alias>[^()\n]{1,60})\))?\s*,?\s+(?P<verb>is|are|refers to|denotes|measures)\b"
)
_EN_DEFINED = re.compile(
    r"(?:^|(?<=[.!?]\s))(?:(?:The|A|An)\s+)?(?P<term>[A-Za-z][A-Za-z\-–' ]{1,50}?)"
    r"\s*(?:\((?P<alias>[^()\n]{1,60})\))?\s+(?:is|are) defined as\b"
)
# A `!` that opens an image (`![alt](src)`) does not end a sentence.
_SENTENCE_END = re.compile(r"[。！？?]|!(?!\[)|\.(?=\s|$)|\n(?=\s*\n)")
_DEF_CUE = re.compile(r"称|叫做|定义|是指|指的是|即|也就是|描述为|是一种|是一类")
# Bold lead-ins that label a remark rather than name a term.
_NOT_TERMS = {
    "注意", "注", "提示", "例如", "例", "示例", "说明", "总结", "小结", "结论", "重点", "备注",
    "问题", "答案", "解析", "证明", "思考", "练习", "note", "example", "tip", "warning",
    "summary", "remark", "proof", "exercise", "key point", "result", "output", "answer",
    "value", "idea", "goal", "problem", "following", "above", "same", "point",
}
_PRONOUNS = {"这", "它", "这种", "这是", "其", "那", "这个", "它们", "这些", "此", "该", "也"}
_ALIAS_SPLIT = re.compile(r"\s*[,，;；、/]\s*")


@dataclass(frozen=True)
class _Hit:
    start: int  # where the definition's pattern starts (ends the previous one's text)
    text_start: int
    whole_sentence: bool
    term: str
    aliases: tuple[str, ...]


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
    best = 0
    for m in _SENTENCE_END.finditer(text, 0, pos):
        best = m.end()
    return best


def _hits(block: Block) -> list[_Hit]:
    text = block.text
    hits: list[_Hit] = []
    # Cheap substring tests first: most blocks contain none of the trigger characters, and
    # the regexes are the parser's hot path (1,000 notes/s budget).
    bracket = "(" in text or "（" in text
    if bracket and (":" in text or "：" in text or "是" in text or "指" in text):
        for m in _BRACKET_DEF.finditer(text):
            hits.append(
                _Hit(m.start(), m.end(), False, m.group("term"), _aliases(m.group("alias")))
            )
    if "**" in text:
        for m in _STRONG_DEF.finditer(text):
            term, aliases = _split_inner(m.group("inner"))
            hits.append(
                _Hit(m.start(), m.end(), False, term, aliases + _aliases(m.group("alias")))
            )
        for m in _EN_IS.finditer(text):
            hits.append(_Hit(m.start(), m.start("verb"), False, m.group("term"),
                             _aliases(m.group("alias"))))
    if "*" in text and bracket:
        for pattern in (_EM_ALIAS, _STRONG_ALIAS):
            for m in pattern.finditer(text):
                start = _sentence_start(text, m.start())
                end = _SENTENCE_END.search(text, m.end())
                sentence = text[start : end.start() if end else len(text)]
                # "每个输出都是输入特征的*仿射函数*（affine function）" only mentions a term; a
                # definition names it ("称为", "即" …) or opens with it.
                if text[start : m.start()].strip() and not _DEF_CUE.search(sentence):
                    continue
                hits.append(_Hit(start, start, True, m.group("term"), _aliases(m.group("alias"))))
    if "是" in text or "指" in text:
        for m in _IS_A.finditer(text):
            term = m.group("term").strip(" *")
            if term not in _PRONOUNS and not term.startswith(("这", "它", "我们", "如果", "但")):
                hits.append(_Hit(m.start("term"), m.end(), False, term, ()))
    if "称" in text or "叫" in text:
        for m in _AKA.finditer(text):
            term = m.group("term").strip(" *")
            if term not in _PRONOUNS and not term.startswith(("这", "它")):
                hits.append(_Hit(m.start("term"), m.end(), False, term,
                                 _aliases(m.group("alias").strip("*"))))
    if "defined as" in text:
        for m in _EN_DEFINED.finditer(text):
            hits.append(
                _Hit(m.start(), m.end(), False, m.group("term"), _aliases(m.group("alias")))
            )
    # One definition per place: the earliest pattern wins, the most specific first.
    hits.sort(key=lambda h: h.start)
    kept: list[_Hit] = []
    for h in hits:
        if kept and (h.start < kept[-1].text_start or h.term == kept[-1].term):
            continue
        kept.append(h)
    return kept


def _text_end(block: Block, start: int, limit: int) -> int:
    """End of the definition text: sentence end, a display formula, or the next definition."""
    text = block.text
    end = limit
    m = _SENTENCE_END.search(text, start, limit)
    if m:
        end = m.start() + (1 if text[m.start()] in "。！？!?." else 0)
    for i, span in enumerate(block.maths):
        if span.display:
            pos = text.find(f"{PH_OPEN}{i}{PH_CLOSE}", start, end)
            if pos >= 0:
                end = pos
    return end


def _clean_term(term: str) -> str:
    return term.strip(" \t\n*`\"'“”‘’「」")


def extract(block: Block, path: str, heading: str) -> list[tuple[int, Definition]]:
    """Definitions found in one block, each with its offset in ``block.text``."""
    if block.kind in ("heading", "math") or not block.text:
        return []
    hits = _hits(block)
    out: list[tuple[int, Definition]] = []
    for i, h in enumerate(hits):
        limit = hits[i + 1].start if i + 1 < len(hits) else len(block.text)
        if h.whole_sentence:
            start = h.text_start
            end = _text_end(block, start, len(block.text))
        else:
            start = h.text_start
            end = _text_end(block, start, max(limit, start))
        body = block.rich(start, end).strip(" \t\n:：,，")
        term = _clean_term(h.term)
        if not term or not body or len(term) > 60 or term.casefold() in _NOT_TERMS:
            continue
        aliases = tuple(a for a in h.aliases if a and a != term)
        source = SourceRef(path, block.line_at(h.start))
        out.append((h.start, Definition(term, aliases, body, source, heading)))
    return out
