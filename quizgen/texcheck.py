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
from functools import cache, lru_cache
from importlib import resources

from quizgen.latex import group_end
from quizgen.patterns import lazy_pattern

# Environments whose cells are separated by `&`.
_ALIGNING = frozenset({
    "align", "align*", "aligned", "alignat", "alignat*", "alignedat", "array", "cases", "cases*",
    "dcases", "dcases*", "rcases", "rcases*", "drcases", "drcases*", "eqnarray", "eqnarray*",
    "flalign", "flalign*", "split", "xalignat", "xalignat*", "xxalignat", "CD", "numcases",
    "subnumcases", "empheq", "subarray", "crampedsubarray",
}) | frozenset(f"{p}{s}" for p in ("", "p", "b", "B", "v", "V")
                for s in ("matrix", "matrix*", "smallmatrix", "smallmatrix*"))
# Environments inside which MathJax refuses `\\tag`.
_NO_TAG_INSIDE = frozenset({"aligned", "alignedat", "gathered", "split", "array", "cases",
                            "matrix", "pmatrix", "bmatrix", "vmatrix", "Vmatrix", "Bmatrix"})
# Mandatory arguments of the commands notes use (MathJax reads one token or a `{…}` group
# for each, and reports "Missing argument" when there is none).
_ARITY = {
    **dict.fromkeys((
        "sqrt", "hat", "bar", "tilde", "vec", "dot", "ddot", "dddot", "widehat", "widetilde",
        "overline", "underline", "text", "mathrm", "mathbf", "mathit", "mathcal", "mathbb",
        "mathsf", "mathtt", "mathfrak", "mathscr", "boldsymbol", "bm", "operatorname", "textbf",
        "textit", "textrm", "textsf", "texttt", "mbox", "hbox", "fbox", "boxed", "overbrace",
        "underbrace", "pmb", "cancel", "bcancel", "xcancel", "check", "breve", "acute", "grave",
        "mathring", "overrightarrow", "overleftarrow", "underrightarrow", "underleftarrow",
        "overleftrightarrow", "xrightarrow", "xleftarrow", "xRightarrow", "xLeftarrow",
        "xleftrightarrow", "phantom", "vphantom", "hphantom", "smash", "tag", "label", "ref",
        "eqref", "mathop", "mathbin", "mathrel", "mathord", "mathpunct", "mathinner",
        "mathopen", "mathclose", "substack", "color", "unicode", "hspace", "vspace", "mspace",
        "kern", "mkern", "emph", "textup", "textnormal", "underset", "overset", "stackrel",
    ), 1),
    **dict.fromkeys(("frac", "dfrac", "tfrac", "cfrac", "binom", "dbinom", "tbinom",
                     "stackrel", "overset", "underset", "textcolor", "href", "class", "cssId",
                     "style", "rule", "raisebox", "colorbox"), 2),
}
_OPTIONAL = frozenset({"sqrt", "xrightarrow", "xleftarrow", "xRightarrow", "xLeftarrow",
                       "xleftrightarrow", "smash", "bbox", "cfrac"})
_OPERATORS = frozenset({
    "sum", "prod", "coprod", "int", "iint", "iiint", "oint", "bigcup", "bigcap", "bigoplus",
    "bigotimes", "bigodot", "bigvee", "bigwedge", "bigsqcup", "biguplus", "lim", "liminf",
    "limsup", "max", "min", "sup", "inf", "arg", "det", "gcd", "Pr", "mathop", "operatorname",
    "varliminf", "varlimsup", "injlim", "projlim", "sqcup", "intop", "smallint", "idotsint",
})
_DELIMITERS = frozenset({
    "langle", "rangle", "lfloor", "rfloor", "lceil", "rceil", "vert", "Vert", "lvert", "rvert",
    "lVert", "rVert", "uparrow", "downarrow", "updownarrow", "Uparrow", "Downarrow",
    "Updownarrow", "backslash", "lgroup", "rgroup", "lmoustache", "rmoustache", "ulcorner",
    "urcorner", "llcorner", "lrcorner", "lbrace", "rbrace", "lbrack", "rbrack", "mid", "|", "{",
    "}", "arrowvert", "Arrowvert", "bracevert", "llbracket", "rrbracket", "lparen", "rparen",
})
_DELIMITER_CHARS = frozenset("()[]|./<>")
_CONTROL = lazy_pattern(r"\\([A-Za-z]+|.)")
_SPACE = lazy_pattern(r"\s*")
_DIMENSION = lazy_pattern(
    r"\s*-?(?:\d+\.?\d*|\.\d+)\s*(?:em|ex|pt|px|pc|mu|cm|mm|in|bp|dd|cc|sp)\s*"
)
# Commands that cannot be the argument of a ^ or _ (MathJax wants a brace there).
_NOT_A_SCRIPT = frozenset({"\\", "begin", "end", "tag", "label", "over", "atop", "choose",
                           "above", "mathop", "limits", "nolimits", "left", "right", "middle",
                           "hline", "nonumber", "notag"})
# Environments that take an optional [t]/[b] position.
_POSITIONED = frozenset({"aligned", "alignedat", "gathered", "lgathered", "rgathered", "array",
                         "multlined", "split"})
# Commands that typeset nothing, so a script after them still belongs to the atom before.
_NO_ATOM = frozenset({"label", "tag", "nonumber", "notag", "limits", "nolimits"})
_MAX_DEPTH = 40  # arguments checked on their own, as MathJax parses them


@cache
def _names() -> tuple[frozenset[str], frozenset[str]]:
    data = json.loads(resources.files("quizgen").joinpath("data/mathjax_tex.json")
                      .read_text(encoding="utf-8"))
    return frozenset(data["macros"]), frozenset(data["environments"])


@dataclass
class _Frame:
    kind: str  # "{", "left", or an environment name
    overs: int = 0  # \over / \atop / \choose seen at this level


class _Bad(Exception):
    pass


def _skip_space(tex: str, i: int) -> int:
    return _SPACE.match(tex, i).end()  # type: ignore[union-attr]  # \s* always matches


def _group_end(tex: str, i: int) -> int:
    """Just past the ``{…}`` group opening at ``i``; raises when it never closes."""
    end = group_end(tex, i)
    if end < 0:
        raise _Bad("Missing close brace")
    return end


def _argument(tex: str, i: int, name: str, depth: int, script: bool = False) -> int:
    """Past one argument of ``name`` starting at ``i``; raises what MathJax would say when
    there is none, or when a one-token argument cannot stand alone."""
    i = _skip_space(tex, i)
    if i >= len(tex) or tex[i] == "}":
        raise _Bad("Missing superscript or subscript argument" if script
                   else f"Missing argument for \\{name}")
    if tex[i] == "{":
        end = _group_end(tex, i)
        _check(tex[i + 1 : end - 1], depth + 1)
        return end
    if tex[i] == "\\":
        m = _CONTROL.match(tex, i)
        token = m.group(0) if m else "\\"
        if script and token in ("\\begin", "\\end"):
            raise _Bad("Missing open brace for subscript")
        _check(token, depth + 1)
        return i + len(token)
    if script and tex[i] in "'&":
        raise _Bad("Missing open brace for subscript")
    _check(tex[i], depth + 1)
    return i + 1


def _optional(tex: str, i: int, name: str) -> int:
    j = _skip_space(tex, i)
    if j >= len(tex) or tex[j] != "[":
        return i
    depth = 0
    k = j + 1
    while k < len(tex):
        c = tex[k]
        if c == "\\":
            k += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == "]" and depth == 0:
            return k + 1
        k += 1
    raise _Bad(f"Could not find closing ']' for argument to \\{name}")


def _delimiter(tex: str, i: int, name: str) -> int:
    j = _skip_space(tex, i)
    if j < len(tex) and tex[j] in _DELIMITER_CHARS:
        return j + 1
    m = _CONTROL.match(tex, j) if j < len(tex) else None
    if m and m.group(1) in _DELIMITERS:
        return m.end()
    raise _Bad(f"Missing or unrecognized delimiter for \\{name}")


@lru_cache(maxsize=16384)  # a formula is checked on every card that shows it
def tex_problem(tex: str) -> str | None:
    """What MathJax would reject in ``tex``, in its own words where it has them; ``None`` when
    it typesets. Never raises."""
    comment = _unescaped(tex, "%")
    if comment >= 0:
        tex = tex[:comment]  # TeX ignores the rest of the (only) line
    try:
        _check(tex, 0)
    except _Bad as bad:
        return str(bad)
    except RecursionError:
        return "nested too deeply"
    return None


def _check(tex: str, depth: int) -> None:
    """Raises :class:`_Bad` with MathJax's message for the first error in ``tex``."""
    if depth > _MAX_DEPTH:
        raise _Bad("nested too deeply")
    macros, envs = _names()
    stack: list[_Frame] = [_Frame("top")]
    counts: dict[str, int] = {}  # \\tag and \\label: one each
    sup = sub = False  # the current atom has a superscript / subscript
    scripted = False  # the command being read is the argument of a ^ or _
    i, n = 0, len(tex)
    while i < n:
        c = tex[i]
        if c == "\\":
            m = _CONTROL.match(tex, i)
            if m is None:
                raise _Bad("a backslash ends the formula")
            name = m.group(1)
            i = m.end()
            if name in ("begin", "end"):
                env_m = re.match(r"\s*\{([^{}]*)\}", tex[i:])
                if not env_m:
                    raise _Bad(f"Missing argument for \\{name}")
                env = env_m.group(1).strip()
                i += env_m.end()
                if name == "begin":
                    if env not in envs:
                        raise _Bad(f"Unknown environment '{env}'")
                    stack.append(_Frame(env))
                    if env in _POSITIONED:
                        i = _optional(tex, i, "begin")
                    if env in ("array", "subarray", "alignat", "alignat*", "alignedat"):
                        i = _argument(tex, i, env, depth)
                else:
                    top = stack.pop()
                    if top.kind != env:
                        raise _Bad(f"\\end{{{env}}} does not close {top.kind}"
                                   if top.kind != "top" else f"Extra \\end{{{env}}}")
                sup = sub = False
                continue
            if name in ("left", "right", "middle"):
                if name == "left":
                    stack.append(_Frame("left"))
                elif name == "right":
                    if stack[-1].kind != "left":
                        raise _Bad("Extra \\right or missing \\left")
                    stack.pop()
                elif not any(f.kind == "left" for f in stack):
                    raise _Bad("Extra \\middle")
                i = _delimiter(tex, i, name)
                sup = sub = False
                continue
            if name in ("limits", "nolimits"):
                prev = tex[: m.start()].rstrip()
                op = re.search(r"\\([A-Za-z]+)\*?\s*(?:\{[^{}]*\})?$", prev)
                scripted_op = op is not None and re.search(r"[_^]\s*$", prev[: op.start()])
                if not op or op.group(1) not in _OPERATORS | {"limits", "nolimits"} or scripted_op:
                    raise _Bad("\\limits is allowed only on operators")
                continue
            if name in ("over", "atop", "choose", "above"):
                stack[-1].overs += 1
                if stack[-1].overs > 1:
                    raise _Bad(f"Ambiguous use of \\{name}")
            if name in ("tag", "label"):
                counts[name] = counts.get(name, 0) + 1
                if counts[name] > 1:
                    raise _Bad(f"Multiple \\{name}")
            if name == "tag" and any(f.kind in _NO_TAG_INSIDE for f in stack):
                raise _Bad("\\tag not allowed in aligned environment")
            if name.isalpha() and name not in macros:
                raise _Bad(f"Undefined control sequence \\{name}")
            if name in _OPTIONAL:
                i = _optional(tex, i, name)
            if name == "\\":
                j = _skip_space(tex, i)
                if j < n and tex[j] == "[":
                    end = _optional(tex, j, name)
                    if not _DIMENSION.fullmatch(tex[j + 1 : end - 1]):
                        raise _Bad("Bracket argument to \\\\ must be a dimension")
                    i = end
            for _ in range(_ARITY.get(name, 0)):
                i = _argument(tex, i, name, depth)
            if scripted:
                scripted = False  # it was the argument of the script before it
            elif name not in _NO_ATOM:
                sup = sub = False  # a control sequence starts a new atom
            continue
        if c == "{":
            stack.append(_Frame("{"))
        elif c == "}":
            top = stack.pop()
            if top.kind != "{":
                stack.append(top)
                raise _Bad("Extra close brace or missing open brace" if top.kind == "top"
                           else ("Extra \\left or missing \\right" if top.kind == "left"
                                 else f"Missing \\end{{{top.kind}}}"))
            sup = sub = False  # the group is the atom the next script applies to
            i += 1
            continue
        elif c == "&":
            if stack[-1].kind not in _ALIGNING:
                raise _Bad("Misplaced &")
        elif c == "#":
            raise _Bad("You can't use 'macro parameter character #' in math mode")
        elif c in "^_":
            if (sup if c == "^" else sub):
                raise _Bad("Double exponent: use braces to clarify" if c == "^"
                           else "Double subscripts: use braces to clarify")
            if c == "^":
                sup = True
            else:
                sub = True
            j = _skip_space(tex, i + 1)
            if j >= n or tex[j] == "}":
                raise _Bad("Missing superscript or subscript argument")
            if tex[j] == "\\":
                # The next atom (a command with its own arguments) is the script.
                nxt = _CONTROL.match(tex, j)
                if nxt is not None and nxt.group(1) in _NOT_A_SCRIPT:
                    raise _Bad("Missing open brace for subscript")
                scripted = True
                i = j
            else:
                i = _argument(tex, i + 1, c, depth, script=True)
            continue
        elif c == "'":
            if sup:
                raise _Bad("Prime causes double exponent: use braces to clarify")
            i += 1
            continue
        if not c.isspace():
            sup = sub = False
        i += 1
    top = stack[-1]
    if top.kind == "{":
        raise _Bad("Missing close brace")
    if top.kind == "left":
        raise _Bad("Extra \\left or missing \\right")
    if top.kind != "top":
        raise _Bad(f"Missing \\end{{{top.kind}}}")


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


def _unescaped(tex: str, char: str) -> int:
    """Index of the first ``char`` not escaped by a backslash (``\\\\%`` is a line break and
    a comment), or -1."""
    i = 0
    while i < len(tex):
        if tex[i] == "\\":
            i += 2
            continue
        if tex[i] == char:
            return i
        i += 1
    return -1


def escape_comments(tex: str) -> str:
    """An unescaped ``%`` (a TeX comment, which on one line would swallow the rest) → ``\\%``."""
    out = tex
    while (at := _unescaped(out, "%")) >= 0:
        out = f"{out[:at]}\\%{out[at + 1 :]}"
    return out


def needs_alignment(tex: str) -> bool:
    """Whether ``&`` stands outside every environment (``a &= b \\\\ &= c``)."""
    return "&" in tex and _outside_environments(tex, "&")


@lru_cache(maxsize=16384)
def repair(tex: str) -> str:
    """``tex`` with the fixes whose intent is certain; unchanged when none applies.

    - ``a &= b \\\\ &= c`` (or the ``&=&`` chains of eqnarray habits) with no environment
      around them: wrapped in ``aligned``;
    - an unescaped ``%``: ``\\%``.
    """
    out = escape_comments(tex)
    return f"\\begin{{aligned}}{out}\\end{{aligned}}" if needs_alignment(out) else out
