"""Phrases that point at something outside the text they sit in.

A card is read alone, months later: "式 (3.2) 中的损失", "如上图所示", "the figure above" or
"上述矩阵 A" ask the student to look at something the card does not show. The parser writes
such phrases when it replaces cross-reference markup (d2l's ``:eqref:``/``:numref:``), and the
card gate drops cards whose question still points away.
"""

from __future__ import annotations

import re
from functools import lru_cache

from quizgen.patterns import lazy_pattern

# What a cross-reference role is replaced by, per language; the gate's pattern below matches
# every one of them.
EQ_REF = {"zh": "式 ({n})", "en": "Eq. ({n})"}
OTHER_EQ_REF = {"zh": "另一节的公式", "en": "an equation in another section"}
FIG_REF = {"zh": "图", "en": "the figure"}
TABLE_REF = {"zh": "表", "en": "the table"}
SECTION_REF = {"zh": "前文", "en": "an earlier section"}

_OUTSIDE = lazy_pattern(
    r"(?:"
    # Chinese: numbered equations, figures and tables; "above/below" pointers.
    r"(?:式|公式|等式|方程|图|表)\s*[(（]\s*\d[\w.\-]*\s*[)）]"
    r"|(?:如|见|参见|参考)\s*(?:上|下|左|右)?\s*(?:图|表)(?!现|示|达|明|述|征|情|面|像|片|形)"
    # not "在训练集上表现", "在这种情况下表示", "条件下图像"
    r"|(?:上|下|左|右)(?:图|表)(?!现|示|达|明|述|征|情|面|像|片|形)"
    r"|(?:上|前|下|后)(?:述|面|文|一节|一章)(?:的|中|所)?(?:[两二三四五六七八九十几\d]+\s*[个条种步点])?(?:步骤|矩阵|向量|公式|式子|式|例子|例|图|表|定义|方法|算法|模型|问题|结果|推导|过程|代码|函数|网络|数据)"
    r"|(?:如上|如下)所示|(?:图|表)中所示|(?:如上|如前|上文|前文)所述|前面(?:提到|说过|讲过)"
    r"|(?:图|表)\s*\d+(?:[.\-]\d+)*|[(（]\s*(?:见|如)?(?:图|表)[^()（）]{0,20}[)）]"
    r"|前文|另一节"
    # "…课程对其进行了非常有趣的数学解释": the explanation is in material the card lacks
    r"|(?:课程|视频|博客|文章|书|教材|论文)[^，,。]{0,6}?(?:对其|对此|对它)(?:进行了|做了|作了|给出了|有)"
    r"|第\s*[\d一二三四五六七八九十]+\s*[章节讲课]"
    r"|(?:该|此|这个|上)式"
    # the parts of a picture: "左边的椭圆代表 H(X)", "中间重合的部分就是 I(X,Y)"
    r"|(?:左边|右边|左侧|右侧|上方|下方|中间)(?:重合)?的?(?:椭圆|圆圈?|区域|部分|曲线|方框|框|箭头|子图|"
    r"阴影)"
    # English.
    r"|\b(?:Eq|Eqs|Equation|Fig|Figure|Table|Section|Sec)\.?\s*\(?\s*\d[\w.\-]*\)?"
    r"|\bthe\s+(?:figure|table|equation|example|code|plot|graph|section)\s+(?:above|below)\b"
    r"|\b(?:above|previous|preceding|following)\s+(?:figure|table|equation|example|section|"
    r"matrix|code|plot|graph|definition)\b"
    r"|\bas\s+(?:shown|seen|illustrated)\s+(?:above|below|in\s+the\s+figure)\b"
    r"|\b(?:left|right|top|bottom|middle|shaded)\s+(?:circle|ellipse|region|curve|panel|box|"
    r"subplot|area)s?\b"
    r"|\ban earlier section\b|\bin another section\b|\bthe figure\b|\bthe table\b"
    r")",
    re.I,
)


# A demonstrative and the noun it points at: "这个估计值", "上述假设", "these values". When the
# noun is not in the text before it, what it points back at is in a sentence the card lacks.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_DEMONSTRATIVE = lazy_pattern(
    rf"(?<![应因如从彼由])(?:这个|这些|这种|这类|这样的|这一|该|此|上述的?|上面的?|前面的?)"
    rf"(?!时|处|外|后|前|刻|次)\s*(?P<noun>[{_CJK}]{{2,3}})"
    # ignoring case only where there is case: over a CJK class it costs ~4 ms per start
    r"|(?i:\b(?:this|these|those)\s+(?P<word>[a-z]{3,}))",
)


def points_back(text: str) -> str | None:
    """The first demonstrative in ``text`` whose noun the text has not named before it
    ("随着投掷次数的增加，这个估计值会…"), or ``None``."""
    for m in _DEMONSTRATIVE.finditer(text):
        noun = m.group("noun") or m.group("word")
        before = text[: m.start()]
        if m.group("noun"):
            # Any two characters of it will do: "这些伪标签" after "标签".
            seen = any(noun[i : i + 2] in before for i in range(len(noun) - 1))
        else:
            seen = noun.casefold()[:4] in before.casefold()
        if not seen:
            return m.group(0)
    return None


_IMAGE = lazy_pattern(r"!\[[^\]]*\]\([^)]*\)")
_FORWARD = lazy_pattern(r"following|below|下面|下式|下列|以下|如下", re.I)


@lru_cache(maxsize=8192)  # the same text is checked on several cards (and sides)
def points_outside(text: str, *, formula_follows: bool = False) -> str | None:
    """The first phrase in ``text`` that refers to something not in it, or ``None``.

    "the following equation:" or "如下所示：" right before a display formula (``\\[``) in the
    same text point at that formula, which is there; ``formula_follows`` says the text is the
    introduction of a formula that comes right after it.
    """
    if "![" in text:
        text = _IMAGE.sub(" ", text)  # an image's alt text ("图3") is the image the card shows
    for m in _OUTSIDE.finditer(text):
        if _FORWARD.search(m.group(0)) and (
                formula_follows or "\\[" in text[m.end() : m.end() + 80]):
            continue
        return m.group(0)
    return None
