"""LaTeX formula → Typst math source, made safe to paste between ``$`` delimiters.

tex2typst does most of the work; the rewrites below cover what it leaves uncompilable in the
notes' style (``\\mathop{min}\\limits``, ``\\xrightarrow``, ``\\color`` …). Formulas come from
untrusted notes and Typst math can call functions (``\\read(\\text{/etc/passwd})`` converts to
``read("/etc/passwd")``), so every result is screened before it reaches a document.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import typst
from tex2typst import tex2typst

from quizgen.latex import group_end, normalize, split_tag
from quizgen.patterns import lazy_pattern

# Size limits, checked before any conversion. tex2typst's time grows with the square of a
# formula's length and doubles with every level of nested one-argument commands (`\sqrt`,
# `\hat`, `\mathrm` …): 20 nested `\hat`s, 82 characters, take ~9 s, a 44 KB formula minutes.
# Real notes stay far below (d2l: longest formula 684 characters, deepest nesting 4).
MAX_LATEX_CHARS = 1500
MAX_NESTING = 10
# Commands whose argument tex2typst converts more than once (measured), and their kin.
_ARGUMENT_COMMANDS = frozenset((
    "sqrt", "hat", "widehat", "bar", "overline", "underline", "tilde", "widetilde", "vec",
    "dot", "ddot", "dddot", "acute", "grave", "breve", "check", "mathring", "overbrace",
    "underbrace", "overrightarrow", "overleftarrow", "cancel", "bcancel", "xcancel", "mathrm",
    "mathbf", "mathit", "mathsf", "mathtt", "mathcal", "mathbb", "mathfrak", "mathscr",
    "boldsymbol", "bm", "pmb", "frac", "dfrac", "tfrac", "cfrac", "binom", "boxed", "overset",
    "underset", "stackrel", "text", "operatorname", "not",
))
_CONTROL = lazy_pattern(r"\\(?:[A-Za-z]+|.?)")

# Identifiers that reach files, packages, evaluation or document state. Math mode resolves any
# standard-library name, so these must never appear outside a string literal.
_DENIED = frozenset((
    "read", "json", "yaml", "toml", "csv", "xml", "cbor", "image", "plugin", "eval", "include",
    "import", "sys", "std", "query", "locate", "state", "counter", "metadata", "here", "context",
    "bibliography", "cite", "link", "ref", "label", "footnote", "outline", "figure", "heading",
    "page", "pagebreak", "place", "document", "pdf", "html", "panic", "assert", "selector",
    "location", "let", "set", "show", "datetime", "version",
))
# tex2typst writes a few code expressions itself: booleans and horizontal space.
_HASH_OK = lazy_pattern(r"#(?:true|false|none)\b|#h\(-?(?:math\.\w+\.amount|[0-9.]+(?:em|pt|mm))\)")
_IDENT = lazy_pattern(r"[A-Za-z_][A-Za-z0-9_]*")


def _arg_end(latex: str, start: int) -> int:
    """Index just past the brace group starting at ``start`` (or past one token); -1 if none."""
    i = start
    while i < len(latex) and latex[i] == " ":
        i += 1
    if i >= len(latex):
        return -1
    if latex[i] == "\\":
        m = re.compile(r"\\(?:[A-Za-z]+|.)").match(latex, i)
        return m.end() if m else -1
    if latex[i] != "{":
        return i + 1
    return group_end(latex, i)


def _strip_braces(arg: str) -> str:
    arg = arg.strip()
    return arg[1:-1] if arg.startswith("{") and arg.endswith("}") else arg


def _rewrite(latex: str, command: str, arity: int, build: Callable[[list[str]], str]) -> str:
    """Replace every ``\\command{a}{b}…`` (``arity`` brace arguments) by ``build([a, b, …])``."""
    pattern = re.compile(re.escape("\\" + command) + r"(?![A-Za-z])")
    out: list[str] = []
    pos = 0
    for m in pattern.finditer(latex):
        if m.start() < pos:
            continue
        args: list[str] = []
        end = m.end()
        for _ in range(arity):
            nxt = _arg_end(latex, end)
            if nxt < 0:
                break
            args.append(_strip_braces(latex[end:nxt]))
            end = nxt
        if len(args) < arity:
            continue
        out.append(latex[pos : m.start()])
        out.append(build(args))
        pos = end
    out.append(latex[pos:])
    return "".join(out)


def _arrows(latex: str) -> str:
    """``\\xrightarrow[below]{above}`` and ``\\xrightarrow{above}`` as stacked long arrows."""
    for command, arrow in (("xrightarrow", "\\longrightarrow"), ("xleftarrow", "\\longleftarrow")):
        pattern = re.compile(re.escape("\\" + command) + r"\s*(?:\[([^\[\]]*)\])?")
        out: list[str] = []
        pos = 0
        for m in pattern.finditer(latex):
            end = _arg_end(latex, m.end())
            if m.start() < pos or end < 0:
                continue
            above = f"\\overset{{{_strip_braces(latex[m.end() : end])}}}{{{arrow}}}"
            below = m.group(1)
            out.append(latex[pos : m.start()])
            out.append(f"\\underset{{{below}}}{{{above}}}" if below else above)
            pos = end
        out.append(latex[pos:])
        latex = "".join(out)
    return latex


def _operator_name(arg: str) -> str:
    """``\\mathrm{argmax}`` or ``minimize~`` as the plain name ``\\operatorname`` accepts."""
    arg = re.sub(r"\\(?:mathrm|text|textrm|rm)\s*", "", arg)
    arg = re.sub(r"~|\\[,;: ]", " ", arg).replace("{", "").replace("}", "")
    return " ".join(arg.split())


def _quotes(arg: str) -> str:
    """Typographic quotes for ``"`` in text: tex2typst does not escape it inside a string."""
    parts = arg.split('"')
    return "".join(p + ("“" if i % 2 == 0 else "”") for i, p in enumerate(parts[:-1])) + parts[-1]


_ARRAY_SPEC = lazy_pattern(r"\\begin\{array\}\s*\{[lcr| ]*\}")


def _prepare(latex: str) -> str:
    """The fixes tex2typst needs, applied to the LaTeX before conversion."""
    latex, _ = split_tag(latex)
    latex = normalize(latex)  # bare `log`/`max` become operators, as the author meant
    for pattern, replacement in _COMMANDS:
        latex = pattern.sub(replacement, latex)
    latex = _rewrite(latex, "text", 1, lambda a: f"\\text{{{_quotes(a[0])}}}")
    latex = _ENVIRONMENT.sub(lambda m: _BARE_SEMICOLON.sub(r"\\qzsemi ", m.group()), latex)
    latex = _rewrite(latex, "mathop", 1, lambda a: f"\\operatorname*{{{_operator_name(a[0])}}}")
    latex = re.sub(r"(\\operatorname\*\{[^{}]*\})\s*\\limits", r"\1", latex)
    latex = re.sub(r"\\operatorname\*(\{[^{}]*\})\s*\\nolimits", r"\\operatorname\1", latex)
    latex = re.sub(r"\\(?:no)?limits(?![A-Za-z])", "", latex)
    latex = _arrows(latex)
    # Typst has no `array`: a table of values (the generated questions use them) becomes a
    # borderless matrix; rules (`|`, `\hline`) are dropped, alignment letters kept as columns.
    latex = _ARRAY_SPEC.sub(r"\\begin{matrix}", latex).replace("\\end{array}", "\\end{matrix}")
    latex = re.sub(r"\\hline(?![A-Za-z])", "", latex)
    latex = _rewrite(latex, "stackrel", 2, lambda a: f"\\overset{{{a[0]}}}{{{a[1]}}}")
    # Colour is lost on a black-and-white printout anyway; keep the content.
    latex = _rewrite(latex, "textcolor", 2, lambda a: f"{{{a[1]}}}")
    latex = _rewrite(latex, "color", 1, lambda a: "")
    latex = _rewrite(latex, "textbf", 1, lambda a: f"\\mathbf{{\\text{{{a[0]}}}}}")
    latex = _rewrite(latex, "textit", 1, lambda a: f"\\text{{{a[0]}}}")
    latex = _rewrite(latex, "bm", 1, lambda a: f"\\boldsymbol{{{a[0]}}}")
    latex = latex.replace("\\lVert", "\\|").replace("\\rVert", "\\|")
    latex = latex.replace("\\lvert", "|").replace("\\rvert", "|")
    return re.sub(r"\\(?:displaystyle|textstyle|scriptstyle)(?![A-Za-z])", "", latex)


def is_safe(math: str) -> bool:
    """True when Typst math source only typesets: it can neither call I/O or evaluation
    functions nor leave math mode (``$``) or open a comment that swallows what follows.

    String literals are skipped; ``#`` is allowed only in the forms tex2typst itself writes.
    """
    i = 0
    n = len(math)
    while i < n:
        c = math[i]
        if c == "\\":
            i += 2
            continue
        if c == '"':
            i += 1
            while i < n and math[i] != '"':
                i += 2 if math[i] == "\\" else 1
            if i >= n:
                return False
            i += 1
            continue
        if c == "$" or math.startswith(("//", "/*", "*/"), i):
            return False
        if c == "#":
            m = _HASH_OK.match(math, i)
            if m is None:
                return False
            i = m.end()
            continue
        m = _IDENT.match(math, i)
        if m:
            if m.group() in _DENIED:
                return False
            i = m.end()
            continue
        i += 1
    return True


# Commands tex2typst does not know, as ones it does (or as the character they print).
_COMMANDS = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"\\(?:textrm|textsf|texttt|textnormal|textup|mbox)(?![A-Za-z])", r"\\text"),
        (r"\\(?:big|Big|bigg|Bigg)[lrm]?(?![A-Za-z])", ""),
        (r"\\argmax(?![A-Za-z])", r"\\operatorname*{arg\\,max}"),
        (r"\\argmin(?![A-Za-z])", r"\\operatorname*{arg\\,min}"),
        (r"\\coloneqq(?![A-Za-z])", ":="),
        (r"\\amalg(?![A-Za-z])", r"\\coprod"),
        (r"\\wp(?![A-Za-z])", "℘"),
        (r"\\surd(?![A-Za-z])", "√"),
        (r"\\blacksquare(?![A-Za-z])", "■"),
        (r"\\Box(?![A-Za-z])", "□"),
    )
)
# In Typst's cases()/mat() a bare `;` separates rows.
_ENVIRONMENT = lazy_pattern(r"\\begin\{(cases|[pbvBV]?matrix|array)\}.*?\\end\{\1\}", re.S)
_BARE_SEMICOLON = lazy_pattern(r"(?<!\\);")
# Symbol names tex2typst 0.1.7 writes that Typst 0.14+ renamed, and the `;` placeholder.
_RENAMED = (
    (re.compile(r"\bqzsemi\b"), "semi"),
    (re.compile(r"\b(plus|minus|times|dot|div|ast)\.circle\b"), r"\1.o"),
    (re.compile(r"\balef\b"), "aleph"),
)

# Typst forms for constructs tex2typst drops or gets wrong (`\\overset{a+1}{=}` loses the
# parentheses around `a+1`); their arguments are converted apart and put back into these.
_SLOTTED = {
    "boxed": (1, "qzboxed({0})"),
    "overset": (2, "limits({1})^({0})"),
    "underset": (2, "limits({1})_({0})"),
}
_SLOT_COMMAND = lazy_pattern(r"\\(boxed|overset|underset)(?![A-Za-z])")


def _convert(latex: str) -> str | None:
    """tex2typst on prepared LaTeX, with the :data:`_SLOTTED` constructs handled here."""
    filled: list[str] = []
    parts: list[str] = []
    pos = 0
    for m in _SLOT_COMMAND.finditer(latex):
        if m.start() < pos:
            continue
        arity, form = _SLOTTED[m.group(1)]
        args: list[str] = []
        end = m.end()
        for _ in range(arity):
            nxt = _arg_end(latex, end)
            if nxt < 0:
                return None
            inner = _strip_braces(latex[end:nxt])
            converted = _convert(inner) if inner.strip() else "wide"
            if converted is None:
                return None
            args.append(converted)
            end = nxt
        parts.append(latex[pos : m.start()])
        parts.append(f" \\qzslot{_letters(len(filled))} ")
        filled.append(form.format(*args))
        pos = end
    parts.append(latex[pos:])
    try:
        out = tex2typst("".join(parts), non_strict=True)
    except Exception:  # tex2typst raises bare ValueError/RuntimeError from its JS runtime
        return None
    if not isinstance(out, str):
        return None
    for i, typst_form in enumerate(filled):
        name = f"qzslot{_letters(i)}"
        if name not in out:
            return None
        out = out.replace(name, typst_form, 1)
    return out


def _letters(i: int) -> str:
    """0 → "a", 25 → "z", 26 → "ba": placeholder names that tex2typst keeps as one word."""
    digits = ""
    while True:
        digits = "abcdefghijklmnopqrstuvwxyz"[i % 26] + digits
        i //= 26
        if i == 0:
            return digits


def nesting(latex: str) -> int:
    """How deeply a formula nests: open ``{`` groups plus chains of argument-taking commands
    written without braces (``\\hat\\hat x``). Linear; never raises."""
    depth = best = chain = 0
    i, n = 0, len(latex)
    while i < n:
        c = latex[i]
        if c == "\\":
            m = _CONTROL.match(latex, i)
            assert m is not None  # the pattern matches a lone backslash too
            chain = chain + 1 if m.group()[1:] in _ARGUMENT_COMMANDS else 0
            best = max(best, depth + chain)
            i = m.end()
            continue
        if c == "{":
            depth += 1
            best = max(best, depth)
        elif c == "}":
            depth = max(0, depth - 1)
        if not c.isspace():
            chain = 0
        i += 1
    return best


def too_big(latex: str) -> str | None:
    """Why a formula is not converted at all (too long, nested too deeply), or None."""
    if len(latex) > MAX_LATEX_CHARS:
        return f"{len(latex):,} characters (limit {MAX_LATEX_CHARS:,})"
    depth = nesting(latex)
    if depth > MAX_NESTING:
        return f"nested {depth} levels deep (limit {MAX_NESTING})"
    return None


@lru_cache(maxsize=8192)
def latex_to_typst(latex: str) -> str | None:
    """Typst math source (no ``$``) for one LaTeX formula, or None when it cannot be converted.

    None covers formulas over the size limits (:func:`too_big`), conversion errors and results
    that would call unsafe functions; it never raises.
    ``\\tag`` is dropped (callers number equations from :attr:`Formula.tag`). Whether the result
    compiles is a separate, costlier question: see :func:`compiles`.
    """
    if not latex.strip() or too_big(latex) is not None:
        return None
    out = _convert(_prepare(latex))
    if out is None or not out.strip() or not is_safe(out):
        return None
    for pattern, replacement in _RENAMED:
        out = pattern.sub(replacement, out)
    return " ".join(out.split())


# Names that converted formulas may use; every document defines them first (`\\boxed`).
PRELUDE = (
    "#let qzboxed(body) = box(stroke: 0.6pt, inset: (x: 3pt, y: 2pt), baseline: 2pt, $body$)\n"
)


@lru_cache(maxsize=8192)
def compiles(math: str) -> bool:
    """True when ``math`` compiles alone (~4 ms); used only to find a failing formula."""
    src = f"{PRELUDE}#set page(width: auto, height: auto, margin: 0pt)\n$ {math} $\n"
    try:
        typst.compile(src.encode(), format="svg", ignore_system_fonts=True)
    except typst.TypstError:
        return False
    return True


_SYMPY_TOKEN = lazy_pattern(r"\s*(?:(\d+(?:\.\d+)?)|([A-Za-z]+)|(\*\*|[-+*/(),]))")
_SYMPY_NAMES = {"log": "log", "exp": "exp", "sqrt": "sqrt", "pi": "pi", "E": "e", "oo": "infinity"}


def sympy_to_typst(value: str) -> str | None:
    """Typst math for a simple sympy result string (``-log(2)/2 + 3*sqrt(3)/4``), or None.

    Only numbers, ``+ - * / ** ( ) ,`` and a few known names are accepted: anything else is
    shown by the caller as plain text.
    """
    out: list[str] = []
    pos = 0
    value = value.strip()
    while pos < len(value):
        m = _SYMPY_TOKEN.match(value, pos)
        if m is None:
            return None
        number, name, op = m.groups()
        if number is not None:
            if out and out[-1][-1:].isdigit():
                return None
            out.append(number)
        elif name is not None:
            if name not in _SYMPY_NAMES:
                return None
            out.append(_SYMPY_NAMES[name])
        else:
            out.append({"**": "^", "*": " dot "}.get(op, f" {op} " if op in "+-" else op))
        pos = m.end()
    result = " ".join("".join(out).split())
    return result or None
