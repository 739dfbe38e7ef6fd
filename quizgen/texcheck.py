"""Will this TeX typeset in Anki's MathJax? A Python check of what MathJax rejects most often.

Anki renders ``\\( \\)`` / ``\\[ \\]`` with MathJax 3 (the full TeX input with mathtools and
mhchem; textmacros off). A formula it cannot typeset shows as red source text, so a card
carrying one is useless. :func:`tex_problem` finds the errors real notes produce: unbalanced
braces, ``\\left`` without ``\\right``, ``\\begin``/``\\end`` that do not pair, ``&`` outside an
alignment, an unknown environment or control sequence (the names come from MathJax itself, in
``data/mathjax_tex.json``), a double exponent, ``\\limits`` after something that is not an
operator, ``\\tag`` inside ``aligned``, a macro missing its argument. :func:`repair` makes the
fixes that are certain (``a &= b \\\\ &= c`` with no environment → wrapped in ``aligned``;
``%`` → ``\\%``). The tests keep this honest against MathJax running in node.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

# Environments whose cells are separated by `&`.
_ALIGNING = frozenset({
    "align", "align*", "aligned", "alignat", "alignat*", "alignedat", "array", "cases", "cases*",
    "dcases", "dcases*", "rcases", "rcases*", "drcases", "drcases*", "eqnarray", "eqnarray*",
    "flalign", "flalign*", "split", "xalignat", "xalignat*", "xxalignat", "CD", "numcases",
    "subnumcases", "empheq", "subarray", "crampedsubarray",
}) | frozenset(f"{p}{s}" for p in ("", "p", "b", "B", "v", "V")
                for s in ("matrix", "matrix*", "smallmatrix", "smallmatrix*"))
# Top-level environments MathJax refuses inside `aligned`-like ones.
_NO_TAG_INSIDE = frozenset({"aligned", "alignedat", "gathered", "split", "array", "cases",
                            "matrix", "pmatrix", "bmatrix", "vmatrix", "Vmatrix", "Bmatrix"})
# Commands that take at least one mandatory argument (their `{…}` or one token).
_NEEDS_ARG = frozenset({
    "frac", "dfrac", "tfrac", "cfrac", "binom", "dbinom", "tbinom", "sqrt", "hat", "bar",
    "tilde", "vec", "dot", "ddot", "widehat", "widetilde", "overline", "underline", "text",
    "mathrm", "mathbf", "mathit", "mathcal", "mathbb", "mathsf", "mathtt", "mathfrak",
    "mathscr", "boldsymbol", "operatorname", "textbf", "textit", "textrm", "mbox", "boxed",
    "overbrace", "underbrace", "pmb", "cancel", "stackrel", "overset", "underset", "check",
    "breve", "acute", "grave", "mathring", "overrightarrow", "overleftarrow", "textsf",
})
_OPERATORS = frozenset({
    "sum", "prod", "coprod", "int", "iint", "iiint", "oint", "bigcup", "bigcap", "bigoplus",
    "bigotimes", "bigodot", "bigvee", "bigwedge", "bigsqcup", "biguplus", "lim", "liminf",
    "limsup", "max", "min", "sup", "inf", "arg", "det", "gcd", "Pr", "mathop", "operatorname",
    "varliminf", "varlimsup", "injlim", "projlim", "argmax", "argmin", "sqcup",
})
_CONTROL = re.compile(r"\\([A-Za-z]+|.)")
_SPACE = re.compile(r"\s*")


@cache
def _names() -> tuple[frozenset[str], frozenset[str]]:
    data = json.loads(resources.files("quizgen").joinpath("data/mathjax_tex.json")
                      .read_text(encoding="utf-8"))
    return frozenset(data["macros"]), frozenset(data["environments"])


@dataclass
class _Frame:
    kind: str  # "{", "left", or an environment name
    pos: int


def _skip_group_or_token(tex: str, i: int) -> int:
    """Past one argument starting at ``i`` (spaces first): a ``{…}`` group or one token."""
    i = _SPACE.match(tex, i).end()  # type: ignore[union-attr]  # \s* always matches
    if i >= len(tex):
        return i
    if tex[i] == "{":
        depth = 0
        j = i
        while j < len(tex):
            c = tex[j]
            if c == "\\":
                j += 2
                continue
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
                if depth == 0:
                    return j + 1
            j += 1
        return len(tex)
    if tex[i] == "\\":
        m = _CONTROL.match(tex, i)
        return m.end() if m else i + 1
    return i + 1


def _missing_arg(tex: str, i: int) -> bool:
    """Whether nothing usable follows ``i`` (end, a closing brace, ``&``, ``\\\\``, ``\\end``)."""
    j = _SPACE.match(tex, i).end()  # type: ignore[union-attr]
    if j >= len(tex) or tex[j] in "}&^_":
        return True
    return tex.startswith(("\\\\", "\\end", "\\right"), j)


def tex_problem(tex: str) -> str | None:
    """What MathJax would reject in ``tex``, in its own words where it has them; ``None`` when
    it typesets. Never raises."""
    macros, envs = _names()
    stack: list[_Frame] = []
    i, n = 0, len(tex)
    last_script: str | None = None  # "^" / "_" just applied to the current atom
    while i < n:
        c = tex[i]
        if c == "\\":
            m = _CONTROL.match(tex, i)
            if m is None:
                return "a backslash ends the formula"
            name = m.group(1)
            i = m.end()
            if name in ("begin", "end"):
                env_m = re.match(r"\s*\{([^{}]*)\}", tex[i:])
                if not env_m:
                    return f"Missing argument for \\{name}"
                env = env_m.group(1).strip()
                i += env_m.end()
                if name == "begin":
                    if env not in envs:
                        return f"Unknown environment '{env}'"
                    stack.append(_Frame(env, i))
                    if env in ("array", "subarray", "alignat", "alignat*", "alignedat"):
                        i = _skip_group_or_token(tex, i)
                else:
                    top = stack.pop() if stack else None
                    if top is None or top.kind != env:
                        expected = top.kind if top else "nothing"
                        return f"\\end{{{env}}} does not close {expected}"
                last_script = None
                continue
            if name == "left":
                stack.append(_Frame("left", i))
                i = _skip_group_or_token(tex, i)
                last_script = None
                continue
            if name == "right":
                top = stack.pop() if stack else None
                if top is None or top.kind != "left":
                    return "Extra \\right or missing \\left"
                i = _skip_group_or_token(tex, i)
                last_script = None
                continue
            if name == "limits" or name == "nolimits":
                prev = tex[:m.start()].rstrip()
                op = re.search(r"\\([A-Za-z]+)\*?\s*(?:\{[^{}]*\})?$", prev)
                if not op or op.group(1) not in _OPERATORS:
                    return "\\limits is allowed only on operators"
                continue
            if name == "tag" and any(f.kind in _NO_TAG_INSIDE for f in stack):
                return "\\tag not allowed in aligned environment"
            if name.isalpha() and name not in macros:
                return f"Undefined control sequence \\{name}"
            if name in _NEEDS_ARG and _missing_arg(tex, i + (1 if tex[i : i + 1] == "*" else 0)):
                return f"Missing argument for \\{name}"
            last_script = None  # a control sequence starts a new atom
            continue
        if c == "{":
            stack.append(_Frame("{", i))
            last_script = None
        elif c == "}":
            top = stack.pop() if stack else None
            if top is None or top.kind != "{":
                what = "Extra close brace or missing open brace" if top is None or top.kind == "{" \
                    else ("Extra \\left or missing \\right" if top.kind == "left"
                          else f"Missing \\end{{{top.kind}}}")
                return what
            # A group closes an atom: a script after it belongs to that group.
        elif c == "&":
            env = next((f.kind for f in reversed(stack) if f.kind not in ("{", "left")), None)
            inner = next((f.kind for f in reversed(stack)), None)
            if env is None or env not in _ALIGNING or inner == "left":
                return "Misplaced &"
        elif c == "#":
            return "You can't use 'macro parameter character #' in math mode"
        elif c in "^_":
            if last_script == c:
                return ("Double exponent: use braces to clarify" if c == "^"
                        else "Double subscripts: use braces to clarify")
            if _missing_arg(tex, i + 1):
                return "Missing superscript or subscript argument"
            i = _skip_group_or_token(tex, i + 1)
            last_script = c
            continue
        if not c.isspace() and c not in "^_'":
            last_script = None
        i += 1
    if stack:
        top = stack[-1]
        if top.kind == "{":
            return "Extra open brace or missing close brace"
        if top.kind == "left":
            return "Extra \\left or missing \\right"
        return f"Missing \\end{{{top.kind}}}"
    return None


def _outside_environments(tex: str, chars: str) -> bool:
    """Whether any of ``chars`` (or ``\\\\``) occurs outside every ``\\begin…\\end``."""
    depth = 0
    i = 0
    while i < len(tex):
        if tex.startswith("\\begin", i):
            depth += 1
        elif tex.startswith("\\end", i):
            depth -= 1
        elif tex.startswith("\\\\", i):
            if depth == 0 and "\\" in chars:
                return True
            i += 2
            continue
        elif tex[i] == "\\":
            i += 2
            continue
        elif depth == 0 and tex[i] in chars:
            return True
        i += 1
    return False


def escape_comments(tex: str) -> str:
    """An unescaped ``%`` (a TeX comment, which on one line would swallow the rest) → ``\\%``."""
    return re.sub(r"(?<!\\)%", r"\\%", tex) if "%" in tex else tex


def needs_alignment(tex: str) -> bool:
    """Whether ``&`` stands outside every environment (``a &= b \\\\ &= c``)."""
    return "&" in tex and _outside_environments(tex, "&")


def repair(tex: str) -> str:
    """``tex`` with the fixes whose intent is certain; unchanged when none applies.

    - ``a &= b \\\\ &= c`` (or the ``&=&`` chains of eqnarray habits) with no environment
      around them: wrapped in ``aligned``;
    - an unescaped ``%``: ``\\%``.
    """
    out = escape_comments(tex)
    return f"\\begin{{aligned}}{out}\\end{{aligned}}" if needs_alignment(out) else out
