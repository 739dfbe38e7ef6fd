"""The notes every card formula is checked on, built into decks as a user builds them.

- ``notes``: the example deck, ``decks/ml-basics.yaml``, as it stands.
- ``seeds``: ``../shared/seeds/*.txt`` (the user's own notes), copied as ``.md``.
- ``realnotes``: ``../shared/realnotes`` (d2l), copied.

The seeds and the real notes are built with the example deck's settings (seed, card kinds,
variants). ``python -m tests.mathjax.corpus OUT.md`` writes every failure, grouped by MathJax's
error, to ``OUT.md``.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from quizgen import pipeline, spec
from tests.conftest import REPO, SHARED, shared_dir
from tests.mathjax.cards import Found, Side, failures, rendered_sides, temp_files_in

CORPORA = ("notes", "seeds", "realnotes")
EXAMPLE_DECK = REPO / "decks" / "ml-basics.yaml"


def _in_repo(key: str) -> str:
    return key.removeprefix("../")  # keys are relative to decks/


def _seeds(folder: Path) -> Callable[[str], str]:
    target = folder / "seeds"
    target.mkdir()
    for txt in sorted(shared_dir("seeds").glob("*.txt")):
        shutil.copyfile(txt, target / f"{txt.stem}.md")  # Markdown named .txt
    return lambda key: "shared/seeds/" + key.removeprefix("seeds/").removesuffix(".md") + ".txt"


def _realnotes(folder: Path) -> Callable[[str], str]:
    shutil.copytree(shared_dir("realnotes"), folder / "realnotes")
    return lambda key: "shared/" + key


def build(name: str, folder: Path) -> tuple[Path, Callable[[str], str]]:
    """The .apkg of corpus ``name``, built in ``folder``, and how to name a card's source path
    (as the Source field holds it) from the repository's parent folder."""
    example = spec.load(EXAMPLE_DECK)
    if name == "notes":
        deck, where = replace(example, output=str(folder)), _in_repo
    else:
        where = (_seeds if name == "seeds" else _realnotes)(folder)
        deck = replace(example, path=folder / f"{name}.yaml", notes=(f"{name}/**/*.md",),
                       output=str(folder / "build"))
    with temp_files_in(folder):
        report = pipeline.export_deck(deck, formats=("apkg",))
    # Note errors (the seeds are cut off mid-formula) leave those formulas out, not the deck.
    return report.outputs[0], where


def corpus_sides(name: str, folder: Path) -> list[Side]:
    """Every rendered side of corpus ``name``, its source named from the repository's parent
    folder (``notes/…``, ``shared/seeds/….txt``, ``shared/realnotes/…``)."""
    apkg, where = build(name, folder)
    sides = rendered_sides(apkg, folder / "collection.anki2")
    out = []
    for s in sides:
        path, _, line = s.source.rpartition(":")
        out.append(replace(s, source=f"{where(path)}:{line}"))
    return out


def delimited(f: Found) -> str:
    """The formula as written in the card: between its MathJax delimiters."""
    return f"\\[{f.tex}\\]" if f.display else f"\\({f.tex}\\)"


def summary(found: Sequence[Found]) -> str:
    """One line per failure, for a test's output."""
    return "\n".join(f"{f.source} [{f.kind}, {f.side}] {f.message}: {delimited(f)}"
                      for f in found)


def _md_code(text: str) -> str:
    ticks = "`" * (max((len(r) for r in text.split("`")[1::2]), default=0) + 1)
    while ticks in text:
        ticks += "`"
    return f"{ticks} {text} {ticks}"


def _place(f: Found) -> tuple[str, int]:
    path, _, line = f.source.rpartition(":")
    return path, int(line) if line.isdigit() else 0


def _hidden(f: Found) -> str:
    """What a cloze's blank stands for: the answer side's formula less the question's text
    around Anki's ``[...]``."""
    if not f.revealed or f.tex.count("[...]") != 1:
        return ""
    before, after = f.tex.split("[...]")
    if not (f.revealed.startswith(before) and f.revealed.endswith(after)):
        return ""
    return f.revealed[len(before):len(f.revealed) - len(after)]


def markdown(by_corpus: dict[str, list[Found]]) -> str:
    """The failures grouped by MathJax's error (most frequent first), then by message."""
    # A formula that fails on both sides of a card is one failure of that card.
    cards: dict[tuple[str, str, bool], tuple[str, Found, list[str]]] = {}
    for corpus, found in by_corpus.items():
        for f in found:
            cards.setdefault((f.key, f.tex, f.display), (corpus, f, []))[2].append(f.side)
    groups: dict[str, list[tuple[str, Found, list[str]]]] = defaultdict(list)
    for entry in cards.values():
        groups[entry[1].id].append(entry)

    def distinct(entries: Iterable[tuple[str, Found, list[str]]]) -> int:
        return len({(f.tex, f.display) for _, f, _ in entries})

    order = sorted(groups, key=lambda g: (-len(groups[g]), g))
    per_corpus = Counter(corpus for corpus, _, _ in cards.values())
    lines = [
        "# Card formulas MathJax 3 cannot typeset", "",
        "Made by `python -m tests.mathjax.corpus OUT.md`: each corpus built as `quizgen export` "
        "builds a deck (the example deck's settings), imported into real Anki, every card "
        "rendered (question and answer), every formula found as MathJax finds it and typeset "
        "by mathjax-full 3.2.2 with Anki's TeX packages (tests/mathjax/check.js).", "",
        "| error | card formulas | distinct TeX |", "|---|---|---|",
        *(f"| {g} | {len(groups[g])} | {distinct(groups[g])} |" for g in order),
        f"| **all** | **{len(cards)}** | **{distinct(cards.values())}** |", "",
        "By corpus: " + ", ".join(f"{c} {per_corpus.get(c, 0)}" for c in by_corpus) + ".",
        "By card kind and side: " + ", ".join(
            f"{kind} {'/'.join(sorted(on))} {n}" for (kind, on), n in sorted(Counter(
                (f.kind, tuple(sorted(set(sides)))) for _, f, sides in cards.values()).items()))
        + ".", "",
    ]
    for g in order:
        lines += [f"## {g} ({len(groups[g])})", ""]
        for corpus, f, on in sorted(groups[g], key=lambda e: (e[1].message, *_place(e[1]))):
            side = "both sides" if len(on) > 1 else f"{on[0]} only"
            lines.append(f"- `{f.source}` {f.kind} ({corpus}, {side}) — {f.message}  ")
            lines.append(f"  {_md_code(delimited(f))}" + ("  " if f.revealed else ""))
            if f.revealed:
                lines.append(f"  answer side: {_md_code(delimited(replace(f, tex=f.revealed)))}"
                             + ("  " if _hidden(f) else ""))
            if _hidden(f):
                lines.append(f"  hidden by the cloze: {_md_code(_hidden(f).strip())}")
        lines.append("")
    return "\n".join(lines)


def main(argv: Sequence[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tests.mathjax.corpus OUT.md", file=sys.stderr)
        return 2
    if not SHARED.is_dir():
        print(f"note: {SHARED} is absent; only notes/ is checked", file=sys.stderr)
    by_corpus: dict[str, list[Found]] = {}
    for name in CORPORA if SHARED.is_dir() else ("notes",):
        with tempfile.TemporaryDirectory() as tmp:
            by_corpus[name] = failures(corpus_sides(name, Path(tmp)))
    Path(argv[0]).write_text(markdown(by_corpus), encoding="utf-8")
    print(f"{sum(len(v) for v in by_corpus.values())} failing formula sides → {argv[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
