"""What a heading says about its section: its words without numbering, and whether it names a
part of a text ("三、推导过程", "总结") rather than what the section is about.

Shared by the parser (a heading that names the one formula under it) and card generation (a
generic formula name said with its section).
"""

from __future__ import annotations

import re

from quizgen.patterns import lazy_pattern

_NUMBERING = lazy_pattern(
    r"^\s*(?:[\d.]+|[一二三四五六七八九十]+|[(（]?\d+[)）])\s*[、.．:：)）]?\s*")
_PART = lazy_pattern(
    r"推导|过程|总结|小结|例子|示例|举例|练习|习题|介绍|概述|原理|定义|公式|步骤|方法|问题|背景|引言|"
    r"参考|附录|应用|实现|代码|思路|直观|理解|解释|证明|性质|特点|优缺点|比较|对比|基础|前言|回顾|补充|"
    r"\b(?:intro(?:duction)?|overview|summary|derivation|proof|examples?|exercises?|background|"
    r"motivation|definitions?|notation|properties|comparison|basics|recap|appendix|"
    r"implementation|intuition)\b",
    re.I,
)


def heading_words(heading: str) -> str:
    """``heading`` without its numbering and marks ("2、AdaGrad" → AdaGrad)."""
    return _NUMBERING.sub("", heading).strip(" *#")


def names_a_part(words: str) -> bool:
    """Whether a heading names a part of a text (推导过程, Summary), not a topic."""
    return bool(_PART.search(words))
