"""The words around a display formula that say what it is.

"互信息…定义为:" before a formula makes it the definition of 互信息; "交叉熵损失为" names it;
"因此" or "代入得" make it a step of a derivation. Definitions, formula names and the key-formula
rule all read these cues, so they live in one place.
"""

from __future__ import annotations

import re

from quizgen.patterns import lazy_pattern

# Text that ends by announcing a formula ("…定义为:", "计算公式如下", "is defined as").
ANNOUNCES = lazy_pattern(
    r"(?:定义为|定义如下|定义是|如下所示|如下式|如下|公式为|公式是|公式如下|表达式为|表示为|可表示为|"
    r"可以表示为|可写为|可以写为|可写成|可以写成|写为|写成|记为|计算为|计算公式为|计算方式为|计算如下|"
    r"形式为|形如|等于|为|是|有|得|即|:|：|"
    r"is defined as|are defined as|is defined by|defined as|is given by|are given by|is written as|"
    r"can be written as|as follows|is|are|be|becomes|reads|by|as)\s*[:：,，]?\s*$",
    re.I,
)

# A formula that continues a derivation rather than stating something new.
DERIVES = lazy_pattern(
    r"(?:^|[\s,，。；;:：])(?:因此|所以|于是|从而|进而|故|可得|可以得到|得到|推出|推导出|化简|化简得|展开|"
    r"代入|带入|整理|整理得|进一步|同理|类似地|也就是说|即有|易得|可知|变为|变成|改写为|重写为|"
    r"thus|hence|therefore|so that|so we|which gives|which yields|we get|we obtain|we have|"
    r"this yields|this gives|plugging|substituting|rearranging|simplifying|it follows|"
    r"leads to|implies|consequently|similarly|likewise|expanding)"
    # verbs of obtaining are derivation words wherever they stand ("通过取对数得到…的形式：")
    r"|(?:可以得到|可得到|得到|可得|推出|推导出|化简得|整理得|求得)",
    re.I,
)

# Generic words that announce a formula without naming it ("计算公式为", "其表达式为").
GENERIC_SUBJECTS = lazy_pattern(
    r"^(?:其|它的|它|该|此|这个|这|上式|下式|公式|计算公式|计算|表达式|方程|等式|式子|形式|定义|具体|具体地|具体来说|"
    r"数学上|数学|数学式|數學式|數學|公式化的表达|公式化表达|数学表达|數學表達|形式上|用公式|写成公式|"
    r"则|那么|即|也就是|goal|the goal|the formula|the expression|the equation|"
    r"formally|mathematically|it|this|that|which)$",
    re.I,
)


def announces_formula(text: str) -> bool:
    """Whether ``text`` ends by announcing the formula that follows it."""
    return bool(ANNOUNCES.search(text))


def derives(intro: str) -> bool:
    """Whether the words right before a formula make it a derivation step."""
    return bool(DERIVES.search(intro[-24:]))
