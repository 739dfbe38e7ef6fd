"""A safe translator from a whitelisted LaTeX subset to sympy, and a numeric formula comparison.

Note text is untrusted, so nothing here calls ``eval``, ``sympify``, ``parse_expr`` or
``parse_latex``: an explicit tokenizer and a recursive-descent parser build sympy objects
(``Symbol``, ``Indexed``, ``Sum``, ``log``, ``exp``, ``Max``, undefined functions) directly.
Anything outside the subset raises :class:`Untranslatable`, never a guess.

Reading conventions (the ones study notes use):

* a run of three or more letters is one name (``margin``); shorter runs are products (``yd`` is
  ``y·d``) except all-capital runs (``KL``); ``\\mathbb{E}`` is one operator symbol;
* ``x_i`` is element ``i`` of vector ``x``; a word or capital subscript is part of the name
  (``D_{KL}``, ``p_{data}``);
* ``p(x)`` is a function application when the brackets hold only names (``p(x,y)``, ``p(x|y)``,
  ``q(x_i)``), otherwise a product (``x(1-p)``);
* ``e^{…}`` and ``\\exp`` are the exponential; ``\\log`` with or without a base is compared as the
  natural log (a base only rescales every term alike);
* ``\\sum`` takes the following product as its body; ``\\sum_j``, ``\\sum_{j=1}^{N}``,
  ``\\sum_{x\\in X}`` and a bare ``\\sum`` are read; ``\\sum_{n-1}^N`` is read as ``n=1`` and
  reported as a defect.

Comparison (WeBWorK style, no symbolic simplification): both formulas are evaluated at random
points and must agree to a relative ``1e-9``. Sums run over a fixed small range (3 terms); the
note's symbols are bound to the canonical form's roles by structure – vectors to vectors, scalars
to scalars or to constant vectors, probability functions to probability functions, keeping any
symbol whose name the canonical form also uses – and every such binding is tried. Probability
functions are random positive joint tables with their marginals and conditionals (``p(x)``,
``p(x,y)``, ``p(x|y)`` are consistent). Bounded work, the same on any machine: inputs are capped
in length, exact numbers in size (``10^{10^{9}}`` is never computed: sympy would evaluate a power
of two integers exactly), sums in range and bindings in number, evaluation uses floats only, and
every comparison has a budget of evaluation steps (:data:`MAX_STEPS`); no clock is involved.
"""

from __future__ import annotations

import itertools
import math
import random
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from quizgen.patterns import lazy_pattern

MAX_CHARS = 600
MAX_TOKENS = 300
SUM_LENGTH = 3
FREE_INDEX = 2
POINTS = 5
REL_TOL = 1e-9
MAX_BINDINGS = 200
MAX_DIGITS = 1000  # an exact number the parser builds never has more decimal digits
MAX_STEPS = 300_000  # evaluation steps per comparison: ~0.4 s; real notes need at most ~5,000

Status = Literal["match", "mismatch", "untranslatable"]


class Untranslatable(Exception):
    """The text uses LaTeX outside the supported subset (the message says what)."""


class _OutOfSteps(Exception):
    """A comparison used up its :data:`MAX_STEPS`."""


class _Budget:
    """Evaluation steps left for one comparison."""

    def __init__(self, steps: int = MAX_STEPS) -> None:
        self.left = steps

    def spend(self, n: int = 1) -> None:
        self.left -= n
        if self.left < 0:
            raise _OutOfSteps


@dataclass(frozen=True)
class Comparison:
    status: Status
    message: str = ""
    # A mismatch with no doubt about it: the note's formula is the standard form times -1 at
    # every sample point (a minus sign lost), not a pairing of symbols that failed.
    certain: bool = False


# ---------------------------------------------------------------------------------- tokenizer

_GREEK = frozenset({
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta",
    "vartheta", "iota", "kappa", "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau",
    "upsilon", "phi", "varphi", "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi",
    "Pi", "Sigma", "Phi", "Psi", "Omega",
})
_SKIP = frozenset({",", ";", ":", "!", " ", "quad", "qquad", "displaystyle", "limits", "left",
                   "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr"})
_KNOWN = frozenset({"frac", "dfrac", "tfrac", "sum", "log", "ln", "exp", "max", "min", "cdot",
                    "times", "sqrt", "hat", "bar", "tilde", "mathbf", "boldsymbol", "bm", "mathrm",
                    "operatorname", "mathit", "mathbb", "mid", "in", "|", "{", "}", "prime",
                    "prod", "odot", "circ", "lfloor", "rfloor", "lceil", "rceil", "top",
                    "intercal", "mathcal", "textrm", "text", "lVert", "rVert", "Vert", "cos",
                    "sin", "tanh"})
_NAME_WRAPPERS = ("mathbf", "boldsymbol", "bm", "mathrm", "operatorname", "mathit", "mathcal",
                  "textrm", "text")
_NORM_BARS = ("|", "lVert", "rVert", "Vert")
# Marker functions for the vector operations the parser reads; not probability functions.
DOT, NORM, MAX_OVER, MIN_OVER, TRANSPOSE = "__dot", "__norm", "__max", "__min", "__T"
_MARKERS = frozenset({DOT, NORM, MAX_OVER, MIN_OVER, TRANSPOSE})
# Names that mean one thing in every note (confusion-matrix counts): they bind only to themselves,
# so a precision written with FN is a slip, not a renaming.
_FIXED_NAMES = frozenset({"TP", "FP", "FN", "TN"})
_TOKEN = lazy_pattern(
    r"\s+|(?P<num>\d+(?:\.\d+)?|\.\d+)|\\(?P<cmd>[A-Za-z]+|.)|(?P<letters>[A-Za-z]+)"
    r"|(?P<sym>[-+*/^_()\[\]{},;|=!'<>])"
)


@dataclass(frozen=True)
class Tok:
    kind: str  # num | cmd | name | sym
    text: str


def tokenize(latex: str) -> list[Tok]:
    """Tokens of ``latex``; raises Untranslatable on characters outside the subset."""
    out: list[Tok] = []
    pos = 0
    while pos < len(latex):
        m = _TOKEN.match(latex, pos)
        if not m:
            raise Untranslatable(f"unsupported character {latex[pos]!r}")
        pos = m.end()
        if m.group("num"):
            out.append(Tok("num", m.group("num")))
        elif m.group("cmd"):
            cmd = m.group("cmd")
            if cmd in _SKIP:
                continue
            if cmd in _GREEK:
                out.append(Tok("name", cmd))
            elif cmd in _KNOWN:
                out.append(Tok("cmd", cmd))
            else:
                raise Untranslatable(f"unsupported command \\{cmd}")
        elif m.group("letters"):
            word = m.group("letters")
            if len(word) >= 3 or (len(word) > 1 and word.isupper()):
                out.append(Tok("name", word))
            else:
                out.extend(Tok("name", c) for c in word)
        elif m.group("sym"):
            out.append(Tok("sym", m.group("sym")))
        if len(out) > MAX_TOKENS:
            raise Untranslatable("formula too long")
    return out


# ------------------------------------------------------------------------------------- parser

_CLOSERS = {"(": ")", "[": "]", "{": "}", "\\{": "\\}"}
_FUNC_SEPARATORS = {",", ";", "|", "mid", "||"}


@dataclass
class Parsed:
    """The sides of a formula (split at ``=``) and defects noticed while reading it."""

    sides: list[Any]
    defects: list[str] = field(default_factory=list)


class _Parser:
    def __init__(self, toks: list[Tok], sympy: Any) -> None:
        self.t = toks
        self.i = 0
        self.sp = sympy
        self.defects: list[str] = []
        self.bound: list[str] = []  # variables of the sums being read (innermost last)
        self.norms = 0  # how many ‖…‖ are open: only then does a bar close one

    # -- token helpers
    def peek(self, k: int = 0) -> Tok | None:
        j = self.i + k
        return self.t[j] if j < len(self.t) else None

    def at(self, kind: str, text: str | None = None, k: int = 0) -> bool:
        tok = self.peek(k)
        return tok is not None and tok.kind == kind and (text is None or tok.text == text)

    def take(self) -> Tok:
        tok = self.peek()
        if tok is None:
            raise Untranslatable("formula ends early")
        self.i += 1
        return tok

    def expect(self, kind: str, text: str) -> None:
        tok = self.take()
        if tok.kind != kind or tok.text != text:
            raise Untranslatable(f"expected {text!r}, found {tok.text!r}")

    def opener(self) -> str | None:
        tok = self.peek()
        if tok is None:
            return None
        if tok.kind == "sym" and tok.text in ("(", "[", "{"):
            return tok.text
        if tok.kind == "cmd" and tok.text == "{":
            return "\\{"
        return None

    def close(self, opener: str) -> None:
        closer = _CLOSERS[opener]
        tok = self.take()
        if tok.text != closer.lstrip("\\") or (opener == "\\{") != (tok.kind == "cmd"):
            raise Untranslatable(f"unbalanced {opener}")

    def bracketed(self) -> Any | None:
        """The expression inside a ``( )``, ``[ ]`` or ``{ }`` group here, or None (no group)."""
        op = self.opener()
        if op is None:
            return None
        self.take()
        inner = self.expr()
        self.close(op)
        return inner

    # -- grammar
    def formula(self) -> Parsed:
        sides = [self.expr()]
        while self.at("sym", "="):
            self.take()
            sides.append(self.expr())
        if self.at("cmd", "in"):
            self.i = len(self.t)  # "… ∈ [−1, 1]", "∈ ℝ^q": what the value is, said after it
        if self.peek() is not None:
            raise Untranslatable(f"unsupported {self.peek().text!r}")  # type: ignore[union-attr]
        return Parsed(sides, self.defects)

    def expr(self) -> Any:
        terms = [self.signed_term()]
        while self.at("sym", "+") or self.at("sym", "-"):
            terms.append(self.signed_term())
        return self.sp.Add(*terms)

    def signed_term(self) -> Any:
        sign = 1
        while self.at("sym", "+") or self.at("sym", "-"):
            if self.take().text == "-":
                sign = -sign
        term = self.term()
        return -term if sign < 0 else term

    def term(self) -> Any:
        factors = [self.power()]
        while True:
            tok = self.peek()
            if tok is None or (tok.kind == "sym" and tok.text in "+-=,;|)]}'!<>"):
                break
            if tok.kind == "cmd" and tok.text in ("}", "mid", "in", "rfloor", "rceil", "rVert"):
                break
            if tok.kind == "cmd" and tok.text in ("|", "Vert") and self.norms:
                break
            if (tok.kind == "sym" and tok.text == "*") or (tok.kind == "cmd" and tok.text in (
                "cdot", "times", "odot", "circ"
            )):
                self.take()
                factors.append(self.power())
            elif tok.kind == "sym" and tok.text == "/":
                self.take()
                factors.append(self.sp.Pow(self.power(), -1))
            else:
                factors.append(self.power())
        return self.sp.Mul(*self.dot_products(factors))

    def dot_products(self, factors: list[Any]) -> list[Any]:
        """``x^\\top y`` read as the dot product of two vectors."""
        out: list[Any] = []
        i = 0
        while i < len(factors):
            f = factors[i]
            if _marker(f) == TRANSPOSE:
                if i + 1 >= len(factors):
                    raise Untranslatable("a transpose without a vector after it")
                out.append(self.sp.Function(DOT)(f.args[0], factors[i + 1]))
                i += 2
                continue
            out.append(f)
            i += 1
        return out

    def power(self) -> Any:
        if self.at("name", "e") and self.at("sym", "^", 1):
            self.take()
            self.take()
            return self.sp.exp(self.script())
        base = self.primary()
        while self.at("sym", "^"):
            self.take()
            if self.transpose_script():
                base = self.sp.Function(TRANSPOSE)(base)
                continue
            base = self.pow(base, self.script())
        return base

    def pow(self, base: Any, exp: Any) -> Any:
        """``base ** exp``; sympy computes a power of two rationals exactly at once, so one that
        would have more than :data:`MAX_DIGITS` digits (``10^{10^{9}}``) is refused first."""
        if getattr(base, "is_Rational", False) and getattr(exp, "is_Rational", False):
            digits = max(abs(base.p), abs(base.q), 2).bit_length() * math.log10(2)
            try:
                size = digits * abs(float(exp))
            except OverflowError:
                size = math.inf
            if size > MAX_DIGITS:
                raise Untranslatable("numbers too large to compare")
        return self.sp.Pow(base, exp)

    def transpose_script(self) -> bool:
        """Consume ``\\top`` or ``{\\top}`` after ``^`` (a transpose, not a power)."""
        for toks in ((("cmd", "top"),), (("cmd", "intercal"),),
                     (("sym", "{"), ("cmd", "top"), ("sym", "}"))):
            if all(self.at(kind, text, k) for k, (kind, text) in enumerate(toks)):
                self.i += len(toks)
                return True
        return False

    def script(self) -> Any:
        """A sub/superscript: a brace group or one token."""
        if self.at("sym", "{"):
            self.take()
            inner = self.expr()
            self.expect("sym", "}")
            return inner
        tok = self.take()
        if tok.kind == "num":
            if len(tok.text) > 1:
                raise Untranslatable(f"ambiguous script {tok.text!r}: use braces")
            return self.number(tok.text)
        if tok.kind == "name":
            return self.sp.Symbol(tok.text)
        if tok.kind == "sym" and tok.text == "-" and self.at("name"):
            return -self.sp.Symbol(self.take().text)
        raise Untranslatable(f"unsupported script {tok.text!r}")

    def number(self, text: str) -> Any:
        if "." in text:
            whole, _, frac = text.partition(".")
            scale = 10 ** len(frac)
            return self.sp.Rational(int(whole or "0") * scale + int(frac), scale)
        return self.sp.Integer(int(text))

    def primary(self) -> Any:
        tok = self.peek()
        if tok is None:
            raise Untranslatable("formula ends early")
        inner = self.bracketed()
        if inner is not None:
            return inner
        if tok.kind == "num":
            self.take()
            return self.number(tok.text)
        if tok.kind == "name":
            return self.named(self.name())
        if tok.kind == "cmd" and tok.text in ("|", "lVert", "Vert"):
            return self.norm()
        if tok.kind == "sym" and tok.text == "|":
            self.take()
            inner = self.expr()
            self.expect("sym", "|")
            return self.sp.Abs(inner)
        if tok.kind == "cmd" and tok.text in ("lfloor", "lceil"):
            self.take()
            inner = self.expr()
            self.expect("cmd", "rfloor" if tok.text == "lfloor" else "rceil")
            return (self.sp.floor if tok.text == "lfloor" else self.sp.ceiling)(inner)
        if tok.kind == "cmd":
            return self.command()
        raise Untranslatable(f"unexpected {tok.text!r}")

    def norm(self) -> Any:
        """``\\|x\\|`` (the 2-norm; a ``_2`` after it is the default)."""
        self.take()
        self.norms += 1
        try:
            inner = self.expr()
        finally:
            self.norms -= 1
        tok = self.take()
        if tok.kind != "cmd" or tok.text not in _NORM_BARS:
            raise Untranslatable("unbalanced norm bars")
        if self.at("sym", "_") and self.at("num", "2", 1):
            self.i += 2
        return self.sp.Function(NORM)(inner)

    def name(self) -> str:
        tok = self.take()
        if tok.kind == "cmd":
            cmd = tok.text
            if cmd in ("hat", "bar", "tilde"):
                return self.group_name() + "_" + cmd
            if cmd in _NAME_WRAPPERS:
                return self.group_name()
            if cmd == "mathbb":
                return self.group_name() + "_bb"
            raise Untranslatable(f"unsupported \\{cmd}")
        name = tok.text
        while self.at("sym", "'") or self.at("cmd", "prime"):
            self.take()
            name += "'"
        return name

    def group_name(self) -> str:
        if not self.at("sym", "{"):
            return self.name()
        self.take()
        parts = []
        while not self.at("sym", "}"):
            if not (self.at("name") or self.at("cmd")):
                raise Untranslatable("a name holds letters only")
            parts.append(self.name())
        self.take()
        if not parts:
            raise Untranslatable("empty name")
        return "".join(parts)

    def named(self, name: str) -> Any:
        """A name with its subscript and, when the brackets hold names only, its arguments."""
        sp = self.sp
        indices: list[Any] = []
        if self.at("sym", "_"):
            self.take()
            sub = self.subscript_tokens()
            if all(t.kind == "name" for t in sub) and (
                (len(sub) == 1 and len(sub[0].text) >= 3) or all(t.text.isupper() for t in sub)
            ):
                name = f"{name}_{''.join(t.text for t in sub)}"
            else:
                indices = [self.index_of(sub)]
        while self.at("sym", "'"):
            self.take()
            name += "'"
        if self.at("sym", "(") or self.at("sym", "["):
            args = self.try_arguments()
            if args is not None:
                if self.at("sym", "_"):  # σ(z)_i: a component of a vector-valued function
                    self.take()
                    self.subscript_tokens()
                    name += "__component"
                if args[2] is not None:
                    # p(x_i) under Σ_i is one number per i: the i-th entry of a vector p.
                    return sp.Indexed(sp.IndexedBase(name), sp.Symbol(args[2]))
                fn = sp.Function(name + ("__cond" if args[1] else ""))
                return fn(*args[0])
        if indices:
            return sp.Indexed(sp.IndexedBase(name), *indices)
        return sp.E if name == "e" else sp.Symbol(name)

    def subscript_tokens(self) -> list[Tok]:
        if self.at("cmd") and self.peek().text in _NAME_WRAPPERS and self.at("sym", "{", 1):  # type: ignore[union-attr]
            self.take()  # _\mathcal{B}, _\text{data}: the letters name the subscript
        if not self.at("sym", "{"):
            return [self.take()]
        self.take()
        out = []
        while not self.at("sym", "}"):
            out.append(self.take())
            if len(out) > 8:
                raise Untranslatable("subscript too long")
        self.take()
        return out

    def index_of(self, sub: list[Tok]) -> Any:
        sub_parser = _Parser(sub, self.sp)
        idx = sub_parser.expr()
        if sub_parser.peek() is not None:
            raise Untranslatable("unsupported subscript")
        return idx

    def try_arguments(self) -> tuple[list[Any], bool, str | None] | None:
        """``(args, conditional, index)`` when the bracket holds only names and separators;
        ``index`` is the summation variable an argument runs with (``p(w_i\\mid w_{<i})`` under
        ``\\sum_i``), else None."""
        op = self.peek().text  # type: ignore[union-attr]
        closer = _CLOSERS[op]
        j = self.i + 1
        args: list[Any] = []
        conditional = False
        current: list[Tok] = []
        depth = 0  # inside a subscript's braces: w_{i-1}, w_{<i}
        while j < len(self.t) and not (
            depth == 0 and self.t[j].kind == "sym" and self.t[j].text == closer
        ):
            tok = self.t[j]
            if tok.kind == "sym" and tok.text in "{}":
                depth += 1 if tok.text == "{" else -1
            if depth > 0 and (tok.kind in ("name", "num") or (
                tok.kind == "sym" and tok.text in "{}+-<"
            )):
                current.append(tok)
            elif depth == 0 and tok.kind == "name" and len(current) >= 3 and any(
                t.text == "_" for t in current
            ) and current[-1].text != "_":
                args.append(current)  # C(w_{n-1}w_n): juxtaposed words, two arguments
                current = [tok]
            elif (tok.kind == "sym" and tok.text in ",;|") or (tok.kind == "cmd" and tok.text in (
                "mid", "|"
            )):
                conditional = conditional or (tok.kind, tok.text) in (("sym", "|"), ("cmd", "mid"))
                if not current:
                    return None
                args.append(current)
                current = []
            elif tok.kind == "name" or tok.kind == "num" or (
                tok.kind == "sym" and tok.text in "_{}'"
            ) or (tok.kind == "cmd" and tok.text in ("hat", "bar", "tilde", *_NAME_WRAPPERS)):
                current.append(tok)
            else:
                return None
            j += 1
        if j >= len(self.t) or not current:
            return None
        args.append(current)
        if conditional and len(args) != 2:
            return None
        built = []
        index: str | None = None
        for toks in args:
            sub = _Parser(toks, self.sp)
            try:
                value = sub.primary()
            except Untranslatable:
                value = None  # w_{<i}: not an index expression, but still one argument's name
            if value is None or sub.peek() is not None:
                value = self.sp.Symbol("".join(t.text for t in toks))
            name, runs_with = self.argument_name(value)
            built.append(name)
            index = index or runs_with
        self.i = j + 1
        return built, conditional, index

    def argument_name(self, value: Any) -> tuple[Any, str | None]:
        """An argument as a name, and the summation variable it runs with. ``C(w_{i-1}, w_i)``
        outside any sum names one value, like a plain name."""
        sp = self.sp
        text = value.name if isinstance(value, sp.Symbol) else str(value)
        for b in reversed(self.bound):
            if text != b and re.search(rf"(?<![A-Za-z]){re.escape(b)}(?![A-Za-z])", text):
                return sp.Symbol(text), b
        return (sp.Symbol(text) if isinstance(value, sp.Indexed) else value), None

    def command(self) -> Any:
        sp = self.sp
        cmd = self.peek().text  # type: ignore[union-attr]
        if cmd in ("hat", "bar", "tilde", "mathbb", *_NAME_WRAPPERS):
            return self.named(self.name())
        self.take()
        if cmd in ("frac", "dfrac", "tfrac"):
            num = self.brace_expr()
            den = self.brace_expr()
            return num / den
        if cmd == "sqrt":
            if self.at("sym", "["):
                raise Untranslatable("n-th roots are not supported")
            return sp.sqrt(self.brace_expr())
        if cmd in ("log", "ln", "exp"):
            if self.at("sym", "_"):
                self.take()
                self.script()  # a log base rescales every term alike: compared as ln
            if self.at("sym", "^"):
                raise Untranslatable(f"powers of \\{cmd} are not supported")
            arg = self.function_argument()
            return sp.exp(arg) if cmd == "exp" else sp.log(arg)
        if cmd in ("cos", "sin", "tanh"):
            if self.at("sym", "("):
                found = self.try_arguments()
                if found is not None and len(found[0]) > 1:
                    return sp.Function(cmd)(*found[0])  # cos(a, b): names the quantity
                if found is not None:
                    return getattr(sp, cmd)(found[0][0])
            return getattr(sp, cmd)(self.function_argument())
        if cmd in ("max", "min") and self.at("sym", "_"):
            sub = self.peek(1)
            region = sub is not None and sub.text == "{" and any(
                t.kind == "cmd" and t.text == "in" for t in self.t[self.i + 1 : self.i + 12]
            )
            if not region and not (sub is not None and sub.kind == "name" and len(sub.text) == 1
                                   and sub.text.islower()):
                raise Untranslatable(f"\\{cmd} over a model's parameters is not compared")
            return self.summation(cmd)  # \max_{(p,q)\in R} x_{pq}: over a range, like a sum
        if cmd in ("max", "min"):
            op = self.opener()
            if op is None:
                raise Untranslatable(f"\\{cmd} needs brackets")
            self.take()
            args = [self.expr()]
            while self.at("sym", ","):
                self.take()
                args.append(self.expr())
            self.close(op)
            return sp.Max(*args) if cmd == "max" else sp.Min(*args)
        if cmd in ("sum", "prod"):
            return self.summation(cmd)
        raise Untranslatable(f"unsupported \\{cmd} here")

    def brace_expr(self) -> Any:
        self.expect("sym", "{")
        inner = self.expr()
        self.expect("sym", "}")
        return inner

    def function_argument(self) -> Any:
        inner = self.bracketed()
        return inner if inner is not None else self.power()

    def summation(self, kind: str = "sum") -> Any:
        """``\\sum``, ``\\prod`` or ``\\max``/``\\min`` over ranges; the body is the term after."""
        sp = self.sp
        lower: list[Tok] | None = None
        upper: Any = None
        for _ in range(2):
            if self.at("sym", "_") and lower is None:
                self.take()
                lower = self.subscript_tokens()
            elif self.at("sym", "^") and upper is None:
                self.take()
                upper = self.script()
        ranges = self.sum_ranges(lower or [], upper)
        self.bound.extend(v.name for v, _, _ in ranges)
        try:
            body = self.signed_term()
        finally:
            del self.bound[len(self.bound) - len(ranges):]
        limits = [(var, lo, hi) for var, lo, hi in ranges]
        if kind == "prod":
            for lim in reversed(limits):
                body = sp.Product(body, lim)
            return body
        if kind in ("max", "min"):
            return sp.Function(MAX_OVER if kind == "max" else MIN_OVER)(sp.Sum(body, *limits))
        for lim in reversed(limits):
            body = sp.Sum(body, lim)
        return body

    def sum_ranges(self, sub: list[Tok], upper: Any) -> list[tuple[Any, Any, Any]]:
        sp = self.sp
        text = [t.text for t in sub]
        if not sub:
            var = sp.Symbol("#i")
            return [(var, sp.Integer(1), upper if upper is not None else sp.Symbol("#n"))]
        if all(t.kind == "name" or t.text == "," for t in sub) and text[-1] != ",":
            names = [t for t in text if t != ","]
            return [(sp.Symbol(n), sp.Integer(1), upper if upper is not None else
                     sp.Symbol("#" + n)) for n in names]
        if len(sub) >= 3 and sub[0].kind == "name" and sub[1].text in ("=", "-"):
            start = self.index_of(sub[2:])
            if sub[1].text == "-":
                self.defects.append(
                    f"summation lower limit written {sub[0].text}-{''.join(text[2:])} "
                    f"(read as {sub[0].text}={''.join(text[2:])})"
                )
            hi = upper if upper is not None else sp.Symbol("#" + sub[0].text)
            return [(sp.Symbol(sub[0].text), start, hi)]
        if len(sub) == 3 and sub[0].kind == sub[2].kind == "name" and sub[1].text == "in":
            return [(sp.Symbol(sub[0].text), sp.Integer(1), sp.Symbol(sub[2].text))]
        if (len(sub) >= 7 and text[0] == "(" and text[-3] == ")" and text[-2] == "in"
                and sub[-1].kind == "name"):
            names = text[1:-3]
            if names[1::2] and set(names[1::2]) == {","} and all(
                t.kind == "name" for t in sub[1:-3:2]
            ):
                region = sp.Symbol(text[-1])
                return [(sp.Symbol(n), sp.Integer(1), region) for n in names[::2]]
        raise Untranslatable("unsupported summation limits")


# "\text{log}(a_j)" is how some notes typeset \log: the function, not a word.
_UPRIGHT_FUNC = lazy_pattern(
    r"\\(?:text|textrm|mathrm|operatorname|rm)\s*\{\s*(log|ln|exp|max|min|sin|cos|tanh)\s*\}")


def parse(latex: str) -> Parsed:
    """Translate ``latex`` into sympy sides; raises Untranslatable outside the subset."""
    import sympy

    text = _UPRIGHT_FUNC.sub(r"\\\1 ", latex.strip().rstrip(".,;。，；").strip())
    if not text or len(text) > MAX_CHARS:
        raise Untranslatable("empty or too long")
    try:
        return _Parser(tokenize(text), sympy).formula()
    except Untranslatable:
        raise
    except (RecursionError, TypeError, ValueError, AttributeError, ZeroDivisionError) as exc:
        raise Untranslatable(f"cannot build the expression: {type(exc).__name__}") from exc


# ---------------------------------------------------------------------------------- roles


@dataclass
class Roles:
    """What the evaluator needs to give a value: the kinds of the free quantities."""

    scalars: set[str] = field(default_factory=set)
    vectors: set[str] = field(default_factory=set)
    functions: set[str] = field(default_factory=set)
    domains: dict[str, str] = field(default_factory=dict)  # bound variable → domain name
    fn_domains: dict[str, list[str]] = field(default_factory=dict)  # function → domains in order
    counts: set[str] = field(default_factory=set)  # symbols used as a sum's range
    rowvecs: set[str] = field(default_factory=set)  # read per component (in a dot or a norm)
    free_index: bool = False  # an entry indexed by a symbol no sum binds (v_{t-1}, g_t)


def _fname(f: Any) -> str:
    name = str(f.func)
    return name[: -len("__cond")] if name.endswith("__cond") else name


def _marker(e: Any) -> str | None:
    """The vector operation a parsed node stands for (``__dot``, ``__norm`` …), if any."""
    func = getattr(e, "func", None)
    name = getattr(func, "__name__", None)
    return name if name in _MARKERS and getattr(e, "args", None) else None


def roles_of(expr: Any) -> Roles:
    """Classify the free symbols of ``expr``; raises Untranslatable for unsupported nodes."""
    import sympy
    from sympy.core.function import AppliedUndef

    roles = Roles()
    counts = roles.counts
    indices: set[str] = set()
    order: list[str] = []  # domains from the outermost sum inwards

    def walk(e: Any, bound: frozenset[str], vec: bool = False) -> None:
        marker = _marker(e)
        if marker in (DOT, NORM):
            for a in e.args:
                walk(a, bound, vec=True)
        elif marker is not None:
            for a in e.args:
                walk(a, bound, vec)
        elif isinstance(e, sympy.Sum | sympy.Product):
            inner = bound
            for var, lo, hi in reversed(e.limits):  # sympy lists the innermost range first
                for s in hi.free_symbols | lo.free_symbols:
                    if s.name not in inner:
                        counts.add(s.name)
                dom = hi.name if isinstance(hi, sympy.Symbol) else "#" + var.name
                roles.domains[var.name] = dom
                order.append(dom)
                walk(lo, inner)
                inner = inner | {var.name}
            walk(e.function, inner, vec)
        elif isinstance(e, sympy.Indexed):
            roles.vectors.add(str(e.base.label))
            if vec:
                roles.rowvecs.add(str(e.base.label))
            if any({s.name for s in idx.free_symbols} - bound for idx in e.indices):
                roles.free_index = True
            for idx in e.indices:
                indices.update(s.name for s in idx.free_symbols)
        elif isinstance(e, AppliedUndef):
            name = _fname(e)
            roles.functions.add(name)
            doms = roles.fn_domains.setdefault(name, [])
            for a in e.args:
                if not isinstance(a, sympy.Symbol):
                    raise Untranslatable("function arguments must be names")
                indices.add(a.name)
                dom = roles.domains.get(a.name, "#free" + a.name) if a.name in bound else (
                    "#free" + a.name
                )
                if dom not in doms:
                    doms.append(dom)
            if len(doms) > 2:
                raise Untranslatable("probability functions of more than two variables")
        elif isinstance(e, sympy.Symbol):
            if e.name.endswith("_bb"):
                raise Untranslatable("expectation operators are not compared")
            if vec and e.name not in bound:
                roles.vectors.add(e.name)
                roles.rowvecs.add(e.name)
            elif e.name not in bound:
                roles.scalars.add(e.name)
        else:
            for a in e.args:
                walk(a, bound, vec)

    walk(expr, frozenset())
    roles.scalars -= counts | indices | roles.rowvecs
    rank = {d: k for k, d in enumerate(order)}
    for doms in roles.fn_domains.values():
        doms.sort(key=lambda d: rank.get(d, len(rank)))
    return roles


# ------------------------------------------------------------------------------ evaluation


class _Point:
    """Deterministic random data for one evaluation point, generated lazily by key."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.cache: dict[tuple[Any, ...], float] = {}

    def value(self, *key: Any) -> float:
        if key not in self.cache:
            self.cache[key] = random.Random(f"{self.seed}:{key!r}").uniform(0.2, 1.6)
        return self.cache[key]


@dataclass
class _Binding:
    """Note role → canonical role, plus canonical vectors read as constants (broadcast)."""

    values: dict[str, str]
    functions: dict[str, str]
    broadcast: frozenset[str]


_NUMERIC: tuple[tuple[str, Callable[[float], float]], ...] = (
    ("floor", math.floor), ("ceiling", math.ceil), ("Abs", abs), ("cos", math.cos),
    ("sin", math.sin), ("tanh", math.tanh),
)


def evaluate(
    expr: Any, roles: Roles, binding: _Binding, point: _Point, free_index: int = FREE_INDEX,
    budget: _Budget | None = None,
) -> float:
    """``expr`` as a float at ``point``; raises ValueError/ArithmeticError when undefined,
    Untranslatable for unsupported nodes and _OutOfSteps when ``budget`` runs out."""
    import sympy
    from sympy.core.function import AppliedUndef

    steps = budget or _Budget()

    def vec(name: str, idx: Sequence[int]) -> float:
        role = binding.values.get(name, name)
        return point.value("v", role) if role in binding.broadcast else point.value("v", role, *idx)

    def table(fn: str, args: Sequence[tuple[str, int]], given: tuple[str, int] | None) -> float:
        role = binding.functions.get(fn, fn)
        doms = roles.fn_domains.get(fn, [])
        def weight(cells: dict[int, int]) -> float:
            return point.value("f", role, tuple(sorted(cells.items())))
        def mass(fixed: dict[int, int]) -> float:
            free = [k for k in range(len(doms)) if k not in fixed]
            steps.spend(SUM_LENGTH ** len(free))
            total = 0.0
            for combo in itertools.product(range(1, SUM_LENGTH + 1), repeat=len(free)):
                cells = dict(fixed)
                cells.update(zip(free, combo, strict=True))
                total += weight(cells)
            return total
        norm = mass({})
        fixed = {doms.index(d): v for d, v in args}
        if given is None:
            return mass(fixed) / norm
        both = dict(fixed)
        both[doms.index(given[0])] = given[1]
        return mass(both) / mass({doms.index(given[0]): given[1]})

    def ev(e: Any, env: dict[str, int]) -> float:
        steps.spend()
        if isinstance(e, sympy.Number):
            return float(e)
        if e is sympy.E:
            return math.e
        if isinstance(e, sympy.Symbol):
            if e.name in env:
                return float(env[e.name])
            if e.name in roles.rowvecs and "#m" in env:
                return vec(e.name, [env["#m"]])
            if e.name.startswith("#") or e.name in roles.counts:
                return float(SUM_LENGTH)
            if e.name not in roles.scalars:
                return float(free_index)
            role = binding.values.get(e.name, e.name)
            return point.value("v", role)
        if isinstance(e, sympy.Add):
            return math.fsum(ev(a, env) for a in e.args)
        if isinstance(e, sympy.Mul):
            out = 1.0
            for a in e.args:
                out *= ev(a, env)
            return out
        if isinstance(e, sympy.Pow):
            return float(ev(e.base, env) ** ev(e.exp, env))
        if isinstance(e, sympy.exp):
            return math.exp(ev(e.args[0], env))
        if isinstance(e, sympy.log):
            return math.log(ev(e.args[0], env))
        if isinstance(e, sympy.Max):
            return max(ev(a, env) for a in e.args)
        if isinstance(e, sympy.Min):
            return min(ev(a, env) for a in e.args)
        if isinstance(e, sympy.Sum):
            return nested(e.function, list(reversed(e.limits)), env)
        if isinstance(e, sympy.Product):
            return nested(e.function, list(reversed(e.limits)), env, math.prod)
        for sym_fn, num_fn in _NUMERIC:
            if isinstance(e, getattr(sympy, sym_fn)):
                return float(num_fn(ev(e.args[0], env)))
        if isinstance(e, sympy.Indexed):
            idx = [round(ev(i, env)) for i in e.indices]
            if str(e.base.label) in roles.rowvecs and "#m" in env:
                idx.append(env["#m"])
            return vec(str(e.base.label), idx)
        marker = _marker(e)
        if marker == DOT:
            return math.fsum(ev(e.args[0], {**env, "#m": m}) * ev(e.args[1], {**env, "#m": m})
                             for m in range(1, SUM_LENGTH + 1))
        if marker == NORM:
            return math.sqrt(math.fsum(ev(e.args[0], {**env, "#m": m}) ** 2
                                       for m in range(1, SUM_LENGTH + 1)))
        if marker in (MAX_OVER, MIN_OVER):
            inner = e.args[0]
            if not isinstance(inner, sympy.Sum):
                raise Untranslatable("a maximum over a range")
            pick = max if marker == MAX_OVER else min
            return nested(inner.function, list(reversed(inner.limits)), env, pick)
        if marker is not None:
            raise Untranslatable("a transpose without a product")
        if isinstance(e, AppliedUndef):
            fn = _fname(e)
            doms = roles.fn_domains.get(fn, [])
            def arg(a: Any) -> tuple[str, int]:
                dom = roles.domains.get(a.name, "#free" + a.name) if a.name in env else (
                    "#free" + a.name
                )
                return dom if dom in doms else doms[0], env.get(a.name, free_index)
            pairs = [arg(a) for a in e.args]
            if str(e.func).endswith("__cond"):
                return table(fn, pairs[:1], pairs[1])
            return table(fn, pairs, None)
        raise Untranslatable(f"cannot evaluate {type(e).__name__}")

    def nested(
        body: Any, limits: list[Any], env: dict[str, int],
        combine: Callable[[Iterable[float]], float] = math.fsum,
    ) -> float:
        if not limits:
            return ev(body, env)
        var, lo, hi = limits[0]
        a, b = round(ev(lo, env)), round(ev(hi, env))
        if b - a > 10:
            raise ValueError("sum too long")
        return float(combine(nested(body, limits[1:], {**env, var.name: k}, combine)
                             for k in range(a, b + 1)))

    return ev(expr, {})


def _bindings(note: Roles, canon: Roles) -> Iterator[_Binding]:
    """Every structure-preserving binding of the note's roles onto the canonical roles."""
    n_vals = sorted(note.scalars | note.vectors)
    c_vals = sorted(canon.scalars | canon.vectors)
    n_fns, c_fns = sorted(note.functions), sorted(canon.functions)
    if len(n_vals) != len(c_vals) or len(n_fns) != len(c_fns):
        return

    def assignments(
        src: list[str], dst: list[str], ok: Callable[[str, str], bool]
    ) -> Iterator[dict[str, str]]:
        fixed = {s: s for s in src if s in dst}
        rest_src = [s for s in src if s not in fixed]
        rest_dst = [d for d in dst if d not in fixed.values()]
        for perm in itertools.permutations(rest_dst):
            pairs = dict(zip(rest_src, perm, strict=True))
            full = {**fixed, **pairs}
            if all(ok(s, d) for s, d in full.items()):
                yield full

    def value_ok(s: str, d: str) -> bool:
        if s in _FIXED_NAMES or d in _FIXED_NAMES:
            return s == d
        return not (s in note.vectors and d in canon.scalars)

    for vals in assignments(n_vals, c_vals, value_ok):
        broadcast = frozenset(
            d for s, d in vals.items() if s in note.scalars and d in canon.vectors
        )
        for fns in assignments(n_fns, c_fns, lambda s, d: True):
            yield _Binding(vals, fns, broadcast)


def _is_head(expr: Any) -> bool:
    """A side that only names the quantity (``L``, ``H(X)``, ``\\sigma(x)``, ``\\hat{y}_j``)."""
    import sympy
    from sympy.core.function import AppliedUndef

    return isinstance(expr, sympy.Symbol | sympy.Indexed | AppliedUndef) and _marker(expr) is None


def _loose(expr: Any, names: set[str], inside: bool = False) -> bool:
    """Whether a vector in ``names`` appears outside every dot product and norm."""
    import sympy

    if _marker(expr) in (DOT, NORM):
        inside = True
    if isinstance(expr, sympy.Symbol):
        return expr.name in names and not inside
    if isinstance(expr, sympy.Indexed):
        return str(expr.base.label) in names and not inside
    return any(_loose(a, names, inside) for a in getattr(expr, "args", ()))


def _vector_products(expr: Any, names: set[str]) -> Any:
    """``a\\cdot b`` of two vectors that are also normed (``\\|a\\|``) is their dot product."""
    import sympy

    if isinstance(expr, sympy.Mul):
        args = [_vector_products(a, names) for a in expr.args]
        vecs = [a for a in args if isinstance(a, sympy.Symbol | sympy.Indexed)
                and (a.name if isinstance(a, sympy.Symbol) else str(a.base.label)) in names]
        if len(vecs) == 2:
            rest = [a for a in args if a not in vecs]
            return sympy.Mul(sympy.Function(DOT)(*vecs), *rest)
        return sympy.Mul(*args)
    if isinstance(expr, sympy.Basic) and expr.args and not isinstance(
        expr, sympy.Symbol | sympy.Indexed
    ):
        return expr.func(*[_vector_products(a, names) for a in expr.args])
    return expr


def _side(expr: Any) -> tuple[Any, Roles]:
    """A side and its roles, with vector products made explicit; raises Untranslatable."""
    roles = roles_of(expr)
    if roles.rowvecs and _loose(expr, roles.rowvecs):
        expr = _vector_products(expr, roles.rowvecs)
        roles = roles_of(expr)
        if _loose(expr, roles.rowvecs):
            raise Untranslatable("a vector used as a number")
    return expr, roles


def _canonical(latex: str) -> tuple[Any, Roles]:
    return _side(parse(latex).sides[-1])


_SEPARATOR = lazy_pattern(r"\\q?quad\b")


def split_equations(latex: str) -> list[str]:
    """A formula's equations when it lists several (``a=b,\\qquad c=d``), split at top-level
    ``\\quad``/``\\qquad``; the whole formula otherwise."""
    parts, depth, last = [], 0, 0
    for i, c in enumerate(latex):
        if latex[i - 1 : i] != "\\":
            depth += {"{": 1, "}": -1}.get(c, 0)
        m = _SEPARATOR.match(latex, i) if depth == 0 and c == "\\" else None
        if m:
            parts.append(latex[last:i])
            last = m.end()
    parts.append(latex[last:])
    cleaned = [p.strip().strip(",;").strip() for p in parts]
    return [p for p in cleaned if p] or [latex]


def compare(latex: str, canonical: Sequence[str], up_to_scale: bool = False) -> Comparison:
    """Compare a note's formula with canonical forms; never raises.

    ``mismatch`` needs evidence: the formula translates, its quantities can be bound to the
    standard form's, and the values differ (or a defect such as ``\\sum_{n-1}`` was read). A
    formula whose quantities have no counterpart in the standard form (an extra shift ``m``, a
    sum without its upper limit) is ``untranslatable``: nothing says it is wrong.
    ``up_to_scale``: a positive constant factor is a convention of the concept (a loss averaged
    or summed), so such a formula matches.
    """
    budget = _Budget()
    try:
        parsed = parse(latex)
        sides = [s for s in parsed.sides if not _is_head(s)]
        if not sides:
            return Comparison("untranslatable", "no side of the formula states a value")
        prepared = [_side(s) for s in sides]
        canon = [_canonical(c) for c in canonical]
    except Untranslatable as exc:
        return Comparison("untranslatable", str(exc))
    except Exception as exc:  # sympy can fail on odd input in ways we cannot enumerate
        return Comparison("untranslatable", f"{type(exc).__name__} while translating")
    evidence, best = "", -1
    flipped = ""
    tried = 0
    for side, roles in prepared:
        for (c_expr, c_roles), c_latex in zip(canon, canonical, strict=True):
            # Report the standard form that shares most names with the note's formula.
            shared = len(_names(roles) & _names(c_roles))
            for binding in _bindings(roles, c_roles):
                tried += 1
                if tried > MAX_BINDINGS:
                    return Comparison("untranslatable", "too many ways to match the symbols")
                try:
                    verdict = _agrees_up_to_shift(side, roles, c_expr, c_roles, binding, budget)
                except _OutOfSteps:
                    return Comparison("untranslatable", "comparison exceeded its work limit")
                if verdict == SCALED and up_to_scale:
                    verdict = True
                if verdict is True:
                    if parsed.defects:
                        return Comparison("mismatch", "; ".join(parsed.defects))
                    return Comparison("match")
                if verdict == SIGN_FLIPPED:
                    flipped = f"differs from \\({c_latex}\\): {verdict}"
                if isinstance(verdict, str) and shared > best:
                    evidence, best = f"differs from \\({c_latex}\\): {verdict}", shared
    if tried == 0:
        for _, roles in prepared:
            for (_, c_roles), c_latex in zip(canon, canonical, strict=True):
                mine, theirs = _names(roles) & _FIXED_NAMES, _names(c_roles) & _FIXED_NAMES
                if mine and theirs and mine != theirs and len(_names(roles)) == len(
                    _names(c_roles)
                ):
                    return Comparison("mismatch", f"differs from \\({c_latex}\\): it uses "
                                      f"{', '.join(sorted(mine - theirs))} where the standard "
                                      f"form has {', '.join(sorted(theirs - mine))}")
        first = prepared[0][1]
        kinds = ", ".join(sorted(first.scalars | first.vectors | first.functions)) or "none"
        return Comparison("untranslatable", f"its quantities ({kinds}) have no counterpart in "
                                            f"the standard form \\({canonical[0]}\\)")
    if flipped:
        return Comparison("mismatch", "; ".join([*parsed.defects, flipped]), certain=True)
    message = "; ".join([*parsed.defects, evidence or "not comparable at the sample points"])
    return Comparison("mismatch", message)


def _names(roles: Roles) -> set[str]:
    return roles.scalars | roles.vectors | roles.functions


def _agrees_up_to_shift(
    note: Any, n_roles: Roles, canon: Any, c_roles: Roles, binding: _Binding, budget: _Budget
) -> bool | str:
    """:func:`_agrees`, also trying the note's free index one step either way: ``v_{t+1} =
    μ v_t + g_{t+1}`` states the same recursion as ``v_t = μ v_{t-1} + g_t``."""
    verdict = _agrees(note, n_roles, canon, c_roles, binding, budget)
    if verdict is True or not n_roles.free_index:
        return verdict
    for shift in (FREE_INDEX - 1, FREE_INDEX + 1):
        if _agrees(note, n_roles, canon, c_roles, binding, budget, shift) is True:
            return True
    return verdict


def _agrees(
    note: Any, n_roles: Roles, canon: Any, c_roles: Roles, binding: _Binding, budget: _Budget,
    free_index: int = FREE_INDEX,
) -> bool | str:
    """True when equal at every valid point; otherwise a short description of a difference.
    Raises _OutOfSteps when ``budget`` runs out."""
    valid = 0
    first_gap = ""
    pairs: list[tuple[float, float]] = []
    for seed in range(POINTS * 2):
        point = _Point(seed)
        canon_binding = _Binding({}, {}, binding.broadcast)
        try:
            a = evaluate(note, n_roles, binding, point, free_index, budget)
            b = evaluate(canon, c_roles, canon_binding, point, budget=budget)
        except (ValueError, ArithmeticError, TypeError):
            continue
        except Untranslatable as exc:
            return str(exc)
        if not (math.isfinite(a) and math.isfinite(b)):
            continue
        valid += 1
        pairs.append((a, b))
        if abs(a - b) > REL_TOL * max(1.0, abs(a), abs(b)):
            first_gap = first_gap or f"the note gives {a:.6g} where it gives {b:.6g}"
        if valid == POINTS:
            break
    if valid < 3:
        return "undefined at the sample points"
    if not first_gap:
        return True
    return _scaled(pairs) or first_gap


SIGN_FLIPPED = "it is the standard form with the opposite sign"
SCALED = "it is the standard form times a constant"


def _scaled(pairs: list[tuple[float, float]]) -> str:
    """:data:`SCALED` when the note's values are the standard form's times one positive
    constant at every point (for a loss, a mean where the standard form sums or another base of
    the logarithm is a convention; for F1 without its 2 an error: the caller knows which),
    :data:`SIGN_FLIPPED` when that constant is -1, "" otherwise."""
    if any(abs(b) < 1e-9 for _, b in pairs):
        return ""
    ratios = [a / b for a, b in pairs]
    r = ratios[0]
    if any(abs(x - r) > REL_TOL * 1e3 * max(1.0, abs(r)) for x in ratios):
        return ""
    if r > 0:
        return SCALED
    return SIGN_FLIPPED if abs(r + 1) < 1e-6 else ""
