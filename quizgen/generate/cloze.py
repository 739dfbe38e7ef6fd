"""Formula cloze: one meaningful part hidden (a scale factor, a numerator or the denominator
inside a log, a sum's body, the last additive term), never a random token."""

from __future__ import annotations

import re
from functools import lru_cache

from quizgen.generate.base import make_card
from quizgen.generate.context import DeckContext, crowded_names, formula_keys, formula_label
from quizgen.generate.labels import elsewhere
from quizgen.generate.phrasing import phrasing_for
from quizgen.latex import braces_balanced, group_end, one_line, top_level_relations
from quizgen.model import Card, Cloze, Note
from quizgen.patterns import lazy_pattern

_FRAC = lazy_pattern(r"\\[dt]?frac\s*(?=\{)")
_SUM = lazy_pattern(r"\\(?:sum|prod)(?![A-Za-z])")
_LOG_BEFORE = lazy_pattern(r"\\(?:log|ln)\s*(?:_\{?[^{}\s]*\}?)?\s*(?:\\left)?\s*\(?\s*$")


def _top_level(s: str, chars: str, start: int = 0) -> list[int]:
    """Positions of ``chars`` outside braces/brackets/parentheses, from ``start``."""
    out: list[int] = []
    depth = 0
    j = start
    while j < len(s):
        c = s[j]
        if c == "\\":
            j += 2
            continue
        if c in "{[(":
            depth += 1
        elif c in "}])":
            depth -= 1
        elif depth == 0 and c in chars:
            out.append(j)
        j += 1
    return out


def _skip_limits(s: str, j: int) -> int:
    """Past ``_{..}^{..}`` (or single-token) limits after ``\\sum``."""
    while j < len(s) and s[j] in " _^":
        if s[j] == " ":
            j += 1
            continue
        j += 1
        while j < len(s) and s[j] == " ":
            j += 1
        if j < len(s) and s[j] == "{":
            end = group_end(s, j)
            if end < 0:
                return -1
            j = end
        elif j < len(s) and s[j] == "\\":
            cmd = re.match(r"\\[A-Za-z]+", s[j:])
            j += len(cmd.group()) if cmd else 2
        else:
            j += 1
    return j


_LONE_SYMBOL = lazy_pattern(r"\\[A-Za-z]+|[A-Za-z]")


def split(latex: str) -> tuple[int, int] | None:
    """The span of ``latex`` worth hiding, or ``None`` when no part is clearly meaningful.

    A sign alone is never hidden (it tests almost nothing), and a chain ``a = b = c`` gets no
    cloze: its other side gives the hidden part away.
    """
    if len(top_level_relations(latex)) > 1:
        return None
    eq = _top_level(latex, "=")
    rhs = eq[0] + 1 if eq else 0
    while rhs < len(latex) and latex[rhs] == " ":
        rhs += 1
    if rhs >= len(latex):
        return None
    # Nothing past the next top-level relation is part of the hidden span: in `a = b = c`
    # the part to recall lies between the first two.
    later = [p for p, _ in top_level_relations(latex) if p >= rhs]
    stop = later[0] if later else len(latex)
    frac = _FRAC.match(latex, rhs)
    if frac:
        num_end = group_end(latex, frac.end())
        den_end = group_end(latex, num_end) if num_end > 0 else -1
        if den_end > 0 and latex[frac.end() + 1 : num_end - 1].strip() == "1":
            rest = latex[den_end:].strip()
            if rest and not rest.startswith(("^", "_")):
                if not _LONE_SYMBOL.fullmatch(latex[num_end + 1 : den_end - 1].strip()):
                    return rhs, den_end  # a scale factor such as 1/2N (not an average's 1/n)
            else:
                return num_end + 1, den_end - 1  # 1/(…): the denominator is the content
    for m in _FRAC.finditer(latex, rhs, stop):
        num_end = group_end(latex, m.end())
        den_end = group_end(latex, num_end) if num_end > 0 else -1
        if den_end < 0:
            continue
        if _LOG_BEFORE.search(latex, rhs, m.start()):
            return num_end + 1, den_end - 1  # inside a log the denominator carries the idea
        numerator = latex[m.end() + 1 : num_end - 1].strip()
        if _LONE_SYMBOL.fullmatch(numerator):
            # A lone λ in λ/2n tests nothing; in h/(1-p) the denominator is the idea.
            if _top_level(latex[num_end + 1 : den_end - 1], "+-"):
                return num_end + 1, den_end - 1
            continue
        if numerator not in ("1", ""):
            return m.end() + 1, num_end - 1
    total = _SUM.search(latex, rhs, stop)
    if total:
        body = _skip_limits(latex, total.end())
        if body > 0:
            while body < stop and latex[body] == " ":
                body += 1
            # The body ends at the next additive term: in `\sum_i a_i + b - c` only `a_i` is
            # summed, and hiding `a_i + b - c` under the sum would leave its scope unknown.
            after = [j for j in _top_level(latex, "+-", body) if body < j < stop]
            end = after[0] if after else stop
            if end - body > 1:
                return body, end
    # The last additive term: the step in an update rule, the new part of a running average.
    ops = [j for j in _top_level(latex, "+-", rhs) if rhs < j < stop]
    if ops and stop - ops[-1] > 2:
        return ops[-1] + 1, stop
    return None


def _balanced_end(s: str, a: int, b: int) -> int:
    """Where the hidden span ``s[a:b]`` must stop so that it closes nothing it did not open:
    a sum's body in ``\\left(\\sum_i x_i\\right)`` ends before ``\\right)``."""
    depth = 0
    j = a
    while j < b:
        if s.startswith(("\\right", "\\end"), j) or s[j] == "}":
            if depth == 0:
                return j
            depth -= 1
        elif s.startswith(("\\left", "\\begin"), j) or s[j] == "{":
            depth += 1
        if s[j] == "\\":
            m = re.match(r"\\(?:[A-Za-z]+|.)", s[j:])
            j += len(m.group()) if m else 1
            continue
        j += 1
    return b


@lru_cache(maxsize=4096)  # a vault states the same formulas in many notes
def cloze_for(latex: str) -> Cloze | None:
    """A :class:`Cloze` for a formula, if it has a safe, meaningful part to hide."""
    flat = one_line(latex)
    span = split(flat)
    if span is None:
        return None
    a, b = span
    b = _balanced_end(flat, a, b)
    while b > a and flat[b - 1] in " .,;":
        b -= 1  # a formula's closing punctuation is not part of what to recall
    rel = top_level_relations(flat)
    rhs = len(flat) - (rel[0][0] + 1 if rel else 0)
    if rhs > 20 and b - a > 0.6 * rhs:
        return None  # hiding most of the right-hand side is a recall card, not a cloze
    hidden = flat[a:b].strip()
    if not hidden or "&" in hidden or "\\\\" in hidden or not braces_balanced(hidden):
        return None
    return Cloze(flat[:a], hidden, flat[b:], display=True)


def cards(note: Note, ctx: DeckContext) -> list[Card]:
    out: list[Card] = []
    p = phrasing_for(note)
    crowded = crowded_names(note.formulas)
    for i, key in formula_keys(note).items():
        f = note.formulas[i]
        if not f.key or "=" not in f.latex:
            continue
        cz = cloze_for(f.latex)
        if cz is None:
            continue
        label = formula_label(f, note.title, p, crowded)
        if not label:
            continue  # a formula with no name: the card would not say what it asks about
        extra = elsewhere(note, f, label, ctx)
        if extra is None:
            continue  # another note writes it alike and makes its card
        lead = p.complete(label)
        front = f"{lead}\\[{cz.before}\\boxed{{?}}{cz.after}\\]"
        back = f"\\[{cz.before}{cz.hidden}{cz.after}\\]"
        out.append(
            make_card(
                ctx, note, "cloze", key, front, back, f.source, cloze=cz, concept=f.concept,
                term=f.name, extra=extra,
            )
        )
    return out
