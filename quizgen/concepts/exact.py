"""Exact values without a computer-algebra system.

Every answer a concept computes lies in one of three small number fields, each with a canonical
form, so two routes to the same answer can be compared exactly with ``==`` and nothing can hang:

* :class:`Rat` – a rational number (``fractions.Fraction``).
* :class:`LogLin` – ``Σ c_p ln p`` over primes ``p`` with rational ``c_p``, divided by ``ln b`` for
  an information base ``b``. Logarithms of distinct primes are linearly independent over ℚ
  (unique factorisation), so the coefficient map is canonical.
* :class:`ExpFrac` – a ratio of sums ``Σ c_k e^{a_k}`` with rational ``a_k``. The numbers
  ``e^{a}`` for distinct rational ``a`` are linearly independent over ℚ (Lindemann–Weierstrass),
  so two ratios are equal exactly when their cross products have the same coefficients.

sympy enters only in :meth:`Value.to_sympy`, which builds the expression directly (``Rational``,
``log``, ``exp``) without simplification; it is imported there, lazily.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

Base = int | str  # 2 or "e" (JSON form of an information base)


def fraction_of(value: int | float | str) -> Fraction:
    """The exact number a short decimal parameter stands for (from its decimal text, never the
    binary float: ``0.1`` is ``1/10``)."""
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    return Fraction(str(value))


def json_number(q: Fraction) -> int | float:
    """A rational with a short decimal expansion as a plain JSON number (``int`` when whole).

    Raises ValueError when ``q`` has no finite decimal expansion.
    """
    if q.denominator == 1:
        return int(q)
    d = q.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    if d != 1:
        raise ValueError(f"{q} has no finite decimal expansion")
    out = float(q)
    if Fraction(str(out)) != q:
        raise ValueError(f"{q} is not a short decimal")
    return out


def _factor(n: int) -> dict[int, int]:
    """Prime factorisation of a small positive integer by trial division."""
    out: dict[int, int] = {}
    p = 2
    while p * p <= n:
        while n % p == 0:
            out[p] = out.get(p, 0) + 1
            n //= p
        p += 1
    if n > 1:
        out[n] = out.get(n, 0) + 1
    return out


class Value(ABC):
    """An exact number that knows its float value and its sympy expression."""

    @abstractmethod
    def to_float(self) -> float:
        """The value as a float, computed without sympy."""

    @abstractmethod
    def to_sympy(self) -> Any:
        """The sympy expression of the value (imports sympy)."""

    @abstractmethod
    def latex(self) -> str:
        """Exact LaTeX of the value (``\\frac{e^{2}}{1+e+e^{2}}``, ``\\frac{3}{4}\\log_2 3``)."""

    @abstractmethod
    def scaled(self, k: Fraction) -> Value:
        """The value times ``k``, in the same exact field."""

    def rational(self) -> Fraction | None:
        """The value as a rational when it is one, else ``None``."""
        return None

    def exact_equal(self, other: Value) -> bool | None:
        """``True``/``False`` when both values live in the same exact field, else ``None``."""
        return None


@dataclass(frozen=True)
class Rat(Value):
    q: Fraction

    def to_float(self) -> float:
        return float(self.q)

    def to_sympy(self) -> Any:
        import sympy

        return sympy.Rational(self.q.numerator, self.q.denominator)

    def latex(self) -> str:
        return rat_latex(self.q)

    def scaled(self, k: Fraction) -> Rat:
        return Rat(self.q * k)

    def rational(self) -> Fraction | None:
        return self.q

    def exact_equal(self, other: Value) -> bool | None:
        return self.q == other.q if isinstance(other, Rat) else None


@dataclass(frozen=True)
class LogLin(Value):
    """``(Σ c_p ln p) / ln(base)``; ``terms`` is sorted by prime and has no zero coefficient."""

    terms: tuple[tuple[int, Fraction], ...] = ()
    base: Base = "e"

    @staticmethod
    def ln(q: Fraction, base: Base = "e") -> LogLin:
        """``log_base(q)`` for a positive rational ``q``; raises ValueError otherwise."""
        if q <= 0:
            raise ValueError(f"log of non-positive {q}")
        acc: dict[int, Fraction] = {}
        for p, k in _factor(q.numerator).items():
            acc[p] = acc.get(p, Fraction(0)) + k
        for p, k in _factor(q.denominator).items():
            acc[p] = acc.get(p, Fraction(0)) - k
        return LogLin._make(acc, base)

    @staticmethod
    def _make(acc: dict[int, Fraction], base: Base) -> LogLin:
        return LogLin(tuple(sorted((p, c) for p, c in acc.items() if c != 0)), base)

    def _same_base(self, other: LogLin) -> None:
        if self.base != other.base:
            raise ValueError(f"cannot combine logs in base {self.base} and {other.base}")

    def __add__(self, other: LogLin) -> LogLin:
        self._same_base(other)
        acc = dict(self.terms)
        for p, c in other.terms:
            acc[p] = acc.get(p, Fraction(0)) + c
        return LogLin._make(acc, self.base)

    def __neg__(self) -> LogLin:
        return LogLin(tuple((p, -c) for p, c in self.terms), self.base)

    def __sub__(self, other: LogLin) -> LogLin:
        return self + (-other)

    def scale(self, k: Fraction) -> LogLin:
        return LogLin._make({p: c * k for p, c in self.terms}, self.base)

    def scaled(self, k: Fraction) -> LogLin:
        return self.scale(k)

    def rational(self) -> Fraction | None:
        if not self.terms:
            return Fraction(0)
        if self.base != "e" and len(self.terms) == 1 and self.terms[0][0] == self.base:
            return self.terms[0][1]
        return None

    def latex(self) -> str:
        log = r"\ln" if self.base == "e" else rf"\log_{{{self.base}}}"
        const = sum((c for p, c in self.terms if p == self.base), Fraction(0))
        return gathered_logs(const, tuple((p, c) for p, c in self.terms if p != self.base), log,
                             None if self.base == "e" else int(self.base))

    def in_base(self, base: Base) -> LogLin:
        """The same natural-log combination read in another base (the bits-vs-nats slip)."""
        return LogLin(self.terms, base)

    def is_zero(self) -> bool:
        return not self.terms

    def to_float(self) -> float:
        nats = math.fsum(float(c) * math.log(p) for p, c in self.terms)
        return nats if self.base == "e" else nats / math.log(int(self.base))

    def to_sympy(self) -> Any:
        import sympy

        parts = [sympy.Rational(c.numerator, c.denominator) * sympy.log(p) for p, c in self.terms]
        if self.base != "e":
            inv = sympy.Pow(sympy.log(int(self.base)), -1)
            parts = [part * inv for part in parts]
        return sympy.Add(*parts)

    def exact_equal(self, other: Value) -> bool | None:
        if isinstance(other, LogLin):
            return self.terms == other.terms and (self.base == other.base or self.is_zero())
        return None


ExpSum = tuple[tuple[Fraction, Fraction], ...]  # ((exponent, coefficient), ...) sorted


def exp_sum(pairs: dict[Fraction, Fraction]) -> ExpSum:
    """Canonical ``Σ c·e^{a}`` from an exponent → coefficient map."""
    return tuple(sorted((a, c) for a, c in pairs.items() if c != 0))


def exp_term(a: Fraction, c: Fraction = Fraction(1)) -> ExpSum:
    return exp_sum({a: c})


def exp_add(*sums: ExpSum) -> ExpSum:
    acc: dict[Fraction, Fraction] = {}
    for s in sums:
        for a, c in s:
            acc[a] = acc.get(a, Fraction(0)) + c
    return exp_sum(acc)


def exp_mul(x: ExpSum, y: ExpSum) -> ExpSum:
    acc: dict[Fraction, Fraction] = {}
    for a, c in x:
        for b, d in y:
            acc[a + b] = acc.get(a + b, Fraction(0)) + c * d
    return exp_sum(acc)


def exp_float(s: ExpSum) -> float:
    return math.fsum(float(c) * math.exp(a) for a, c in s)


@dataclass(frozen=True)
class ExpFrac(Value):
    """``num / den`` with both sides sums of rational multiples of ``e^{rational}``."""

    num: ExpSum
    den: ExpSum = ((Fraction(0), Fraction(1)),)

    def to_float(self) -> float:
        return exp_float(self.num) / exp_float(self.den)

    def latex(self) -> str:
        top = exp_sum_latex(self.num)
        if self.den == ((Fraction(0), Fraction(1)),):
            return top
        return rf"\frac{{{top}}}{{{exp_sum_latex(self.den)}}}"

    def scaled(self, k: Fraction) -> ExpFrac:
        return ExpFrac(tuple((a, c * k) for a, c in self.num if c * k != 0), self.den)

    def rational(self) -> Fraction | None:
        if all(a == 0 for a, _ in self.num) and all(a == 0 for a, _ in self.den) and self.den:
            return sum((c for _, c in self.num), Fraction(0)) / self.den[0][1]
        return None

    def to_sympy(self) -> Any:
        import sympy

        def build(s: ExpSum) -> Any:
            return sympy.Add(*[
                sympy.Rational(c.numerator, c.denominator)
                * sympy.exp(sympy.Rational(a.numerator, a.denominator))
                for a, c in s
            ])

        return build(self.num) / build(self.den)

    def exact_equal(self, other: Value) -> bool | None:
        if isinstance(other, ExpFrac):
            return exp_mul(self.num, other.den) == exp_mul(other.num, self.den)
        if isinstance(other, Rat):
            q = ((Fraction(0), other.q),) if other.q else ()
            return exp_mul(self.num, ((Fraction(0), Fraction(1)),)) == exp_mul(self.den, q)
        return None


@dataclass(frozen=True)
class Approx(Value):
    """A float from an independent floating-point route; compared with a relative tolerance."""

    x: float

    def to_float(self) -> float:
        return self.x

    def to_sympy(self) -> Any:
        import sympy

        return sympy.Float(self.x)

    def latex(self) -> str:
        return repr(self.x)

    def scaled(self, k: Fraction) -> Approx:
        return Approx(self.x * float(k))


def rat_latex(q: Fraction) -> str:
    """A rational in LaTeX: a short decimal when it has one (``0.25``), else ``\\frac{a}{b}``."""
    scaled = q * 10**4
    if scaled.denominator == 1:
        whole, rest = divmod(abs(scaled.numerator), 10**4)
        frac = str(rest).rjust(4, "0").rstrip("0")
        return ("-" if q < 0 else "") + (f"{whole}.{frac}" if frac else str(whole))
    sign = "-" if q < 0 else ""
    return rf"{sign}\frac{{{abs(q.numerator)}}}{{{q.denominator}}}"


def _coefficient(c: Fraction) -> str:
    if c == 1:
        return ""
    if c == -1:
        return "-"
    if c.denominator == 1:
        return str(c.numerator)
    return rat_latex(c) if c.denominator in (2, 4, 5, 10) else (
        ("-" if c < 0 else "") + rf"\frac{{{abs(c.numerator)}}}{{{c.denominator}}}"
    )


def linear_latex(const: Fraction, parts: list[tuple[Fraction, str]]) -> str:
    """``const + Σ c·atom`` in LaTeX with tidy signs (``1-\\frac{3}{4}\\log_2 3``)."""
    pieces: list[str] = [rat_latex(const)] if const else []
    for c, atom in parts:
        text = f"{_coefficient(c)}{atom}"
        pieces.append(text if not pieces or text.startswith("-") else "+" + text)
    return "".join(pieces) if pieces else "0"


def gathered_logs(
    const: Fraction, terms: tuple[tuple[int, Fraction], ...], log: str, base: int | None = None
) -> str:
    """``r + k·log(q)``: the logs of primes gathered into one rational argument while it stays
    small (``0.695-\\ln 1.2``, ``\\frac{9}{25}\\ln 2.5``), else one term per prime. In base
    ``base``, a whole constant goes back into the argument when that keeps it small:
    ``\\log_2 \\frac{20}{13}``, not ``2-\\log_2 2.6``."""
    if terms:
        k = Fraction(1, math.lcm(*(c.denominator for _, c in terms)))
        k *= math.gcd(*(int(c / k) for _, c in terms))
        q = math.prod((Fraction(p) ** int(c / k) for p, c in terms), start=Fraction(1))
        if base is not None and const and (const / k).denominator == 1 and abs(const / k) <= 16:
            folded = q * Fraction(base) ** int(const / k)
            if max(folded.numerator, folded.denominator) < 10**4:
                const, q = Fraction(0), folded
        if max(q.numerator, q.denominator) < 10**4:
            if q < 1:
                k, q = -k, 1 / q
            arg = str(q.numerator) if q.denominator == 1 else rat_latex(q)
            return linear_latex(const, [(k, rf"{log} {arg}")])
    return linear_latex(const, [(c, rf"{log} {p}") for p, c in terms])


def _exp_atom(a: Fraction) -> str:
    if a == 0:
        return ""
    if a == 1:
        return "e"
    return f"e^{{{rat_latex(a)}}}"


def exp_sum_latex(s: ExpSum) -> str:
    """``Σ c·e^{a}`` in LaTeX, constant first, then largest exponent first (``1+e^{2}+e``)."""
    const = sum((c for a, c in s if a == 0), Fraction(0))
    parts = [(c, _exp_atom(a)) for a, c in sorted(s, reverse=True) if a != 0]
    return linear_latex(const, parts)


Monomial = tuple[tuple[int, Fraction], ...]  # ((prime, exponent in (0, 1)), ...) sorted


def _split_power(acc: dict[int, Fraction]) -> tuple[Fraction, Monomial]:
    """``Π p^{e_p}`` as a rational coefficient times a monomial with exponents in (0, 1)."""
    coef = Fraction(1)
    mono: list[tuple[int, Fraction]] = []
    for p, e in sorted(acc.items()):
        whole = math.floor(e)
        coef *= Fraction(p) ** whole
        if e != whole:
            mono.append((p, e - whole))
    return coef, tuple(mono)


def _mono_float(m: Monomial) -> float:
    return math.prod(float(p ** float(e)) for p, e in m)


def _mono_latex(m: Monomial) -> str:
    """``\\sqrt{6}``, ``\\sqrt[3]{4}``: one root of an integer (common denominator)."""
    k = math.lcm(*(e.denominator for _, e in m))
    radicand = math.prod(p ** int(e * k) for p, e in m)
    return rf"\sqrt{{{radicand}}}" if k == 2 else rf"\sqrt[{k}]{{{radicand}}}"


@dataclass(frozen=True)
class Surd(Value):
    """``Σ c_m · m``: rational multiples of monomials ``m = Π p^{e_p}`` (primes ``p``, rational
    ``0 < e_p < 1``; the empty monomial is 1).

    Such monomials are linearly independent over ℚ (Besicovitch), so the coefficient map is
    canonical: square roots (cosine similarity, batch norm) and rational powers (perplexity)
    compare exactly with ``==``.
    """

    terms: tuple[tuple[Monomial, Fraction], ...] = ()

    @staticmethod
    def _make(acc: dict[Monomial, Fraction]) -> Surd:
        return Surd(tuple(sorted((m, c) for m, c in acc.items() if c != 0)))

    @staticmethod
    def rat(q: Fraction) -> Surd:
        return Surd._make({(): q})

    @staticmethod
    def power(q: Fraction, e: Fraction) -> Surd:
        """``q^e`` for a positive rational ``q``; raises ValueError otherwise."""
        if q <= 0:
            raise ValueError(f"power of non-positive {q}")
        acc: dict[int, Fraction] = {}
        for p, k in _factor(q.numerator).items():
            acc[p] = acc.get(p, Fraction(0)) + k * e
        for p, k in _factor(q.denominator).items():
            acc[p] = acc.get(p, Fraction(0)) - k * e
        return Surd.prime_power(acc)

    @staticmethod
    def prime_power(acc: dict[int, Fraction]) -> Surd:
        """``Π p^{e_p}`` for any rational exponents (``exp`` of a :class:`LogLin` in nats)."""
        coef, mono = _split_power(acc)
        return Surd._make({mono: coef})

    def __add__(self, other: Surd) -> Surd:
        acc = dict(self.terms)
        for m, c in other.terms:
            acc[m] = acc.get(m, Fraction(0)) + c
        return Surd._make(acc)

    def __neg__(self) -> Surd:
        return Surd(tuple((m, -c) for m, c in self.terms))

    def __sub__(self, other: Surd) -> Surd:
        return self + (-other)

    def __mul__(self, other: Surd) -> Surd:
        acc: dict[Monomial, Fraction] = {}
        for m1, c1 in self.terms:
            for m2, c2 in other.terms:
                exps = dict(m1)
                for p, e in m2:
                    exps[p] = exps.get(p, Fraction(0)) + e
                coef, mono = _split_power(exps)
                acc[mono] = acc.get(mono, Fraction(0)) + c1 * c2 * coef
        return Surd._make(acc)

    def scaled(self, k: Fraction) -> Surd:
        return Surd._make({m: c * k for m, c in self.terms})

    def rational(self) -> Fraction | None:
        if not self.terms:
            return Fraction(0)
        if len(self.terms) == 1 and self.terms[0][0] == ():
            return self.terms[0][1]
        return None

    def to_float(self) -> float:
        return math.fsum(float(c) * _mono_float(m) for m, c in self.terms)

    def to_sympy(self) -> Any:
        import sympy

        parts = []
        for m, c in self.terms:
            factors = [sympy.Pow(p, sympy.Rational(e.numerator, e.denominator)) for p, e in m]
            parts.append(sympy.Rational(c.numerator, c.denominator) * sympy.Mul(*factors))
        return sympy.Add(*parts)

    def latex(self) -> str:
        const = sum((c for m, c in self.terms if m == ()), Fraction(0))
        parts = [(c, _mono_latex(m)) for m, c in self.terms if m != ()]
        return linear_latex(const, parts)

    def exact_equal(self, other: Value) -> bool | None:
        if isinstance(other, Surd):
            return self.terms == other.terms
        if isinstance(other, Rat):
            return self.rational() == other.q
        return None


@dataclass(frozen=True)
class LogExp(Value):
    """``c · ln(S)`` for a positive sum ``S = Σ a_k e^{b_k}`` (rational ``a_k``, ``b_k``): a
    log-sum-exp such as the InfoNCE loss. A rational offset ``r`` is folded into ``S`` as
    ``e^{r/c}``, so two values with the same ``c`` are equal exactly when their sums are."""

    coef: Fraction
    s: ExpSum

    @staticmethod
    def of(s: ExpSum, const: Fraction = Fraction(0), coef: Fraction = Fraction(1)) -> LogExp:
        """``const + coef · ln(s)``; raises ValueError when ``coef`` is 0."""
        if coef == 0:
            raise ValueError("a log-sum-exp needs a non-zero coefficient")
        shift = const / coef
        return LogExp(coef, tuple((a + shift, c) for a, c in s))

    def to_float(self) -> float:
        return float(self.coef) * math.log(exp_float(self.s))

    def to_sympy(self) -> Any:
        import sympy

        total = sympy.Add(*[
            sympy.Rational(c.numerator, c.denominator)
            * sympy.exp(sympy.Rational(a.numerator, a.denominator))
            for a, c in self.s
        ])
        return sympy.Rational(self.coef.numerator, self.coef.denominator) * sympy.log(total)

    def latex(self) -> str:
        return linear_latex(Fraction(0), [(self.coef, rf"\ln\left({exp_sum_latex(self.s)}\right)")])

    def scaled(self, k: Fraction) -> LogExp:
        return LogExp(self.coef * k, self.s)

    def exact_equal(self, other: Value) -> bool | None:
        if isinstance(other, LogExp) and other.coef == self.coef:
            return other.s == self.s
        return None


@dataclass(frozen=True)
class RatLog(Value):
    """``r + Σ c_p ln p`` (natural logs): 1 and the logs of distinct primes are linearly
    independent over ℚ (Lindemann, unique factorisation), so this form is canonical too."""

    const: Fraction
    logs: LogLin = LogLin((), "e")

    def __post_init__(self) -> None:
        if self.logs.base != "e":
            raise ValueError("RatLog holds natural logarithms only")

    def __add__(self, other: RatLog) -> RatLog:
        return RatLog(self.const + other.const, self.logs + other.logs)

    def __neg__(self) -> RatLog:
        return RatLog(-self.const, -self.logs)

    def __sub__(self, other: RatLog) -> RatLog:
        return self + (-other)

    def scaled(self, k: Fraction) -> RatLog:
        return RatLog(self.const * k, self.logs.scale(k))

    def rational(self) -> Fraction | None:
        return self.const if self.logs.is_zero() else None

    def to_float(self) -> float:
        return float(self.const) + self.logs.to_float()

    def to_sympy(self) -> Any:
        import sympy

        return sympy.Rational(self.const.numerator, self.const.denominator) + self.logs.to_sympy()

    def latex(self) -> str:
        return gathered_logs(self.const, self.logs.terms, r"\ln")

    def exact_equal(self, other: Value) -> bool | None:
        if isinstance(other, RatLog):
            return self == other
        if isinstance(other, Rat):
            return self.rational() == other.q
        return None
