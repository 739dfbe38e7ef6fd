"""What card generation needs to know about the deck being built."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import PurePosixPath

from quizgen.generate.terms import TermIndex
from quizgen.latex import one_line
from quizgen.model import Formula, Note, Variant

VariantSource = Callable[[str, int, int], list[Variant]]
"""(concept, seed, count) → verified variants; the pipeline plugs a cache in here."""

_TAG_BAD = re.compile(r"[\s\"]+")


@dataclass(frozen=True)
class DeckContext:
    deck: str  # root deck name; '::' makes sub-decks
    namespace: str  # identity namespace (stable across renames of the deck title)
    seed: int
    kinds: tuple[str, ...]
    variants_per_concept: int = 3
    subdeck_per_note: bool = False
    # note path (as in SourceRef) → the path used in identities, independent of the cwd
    key_paths: Mapping[str, str] = field(default_factory=dict)
    terms: TermIndex | None = None  # the deck's terms across notes (set by ``generate``)

    def key_path(self, note: Note) -> str:
        return self.key_paths.get(note.path, note.path)

    def deck_for(self, note: Note) -> str:
        title = note.title if self.subdeck_per_note else ""
        return _deck_name(self.deck, note.category, title)

    def tags_for(self, note: Note) -> tuple[str, ...]:
        return _tags(note.tags, self.key_path(note))


# Every card of a note asks for the same deck and tags: computed once per note (these run
# tens of thousands of times on a big vault).
@lru_cache(maxsize=4096)
def _deck_name(root: str, category: str, title: str) -> str:
    parts = [root, category.replace("::", ":"), title.replace("::", ":")]
    return "::".join(p.strip() for p in parts if p.strip())


@lru_cache(maxsize=4096)
def _tags(note_tags: tuple[str, ...], key_path: str) -> tuple[str, ...]:
    out: list[str] = []
    for t in (*note_tags, PurePosixPath(key_path).stem):
        clean = _TAG_BAD.sub("_", t.strip()).strip("_")
        if clean and clean not in out:
            out.append(clean)
    return tuple(out)


def formula_keys(note: Note) -> dict[int, str]:
    """Identity of each display formula of a note, by index in ``note.formulas``.

    Built from the equation tag, the concept or the owning definition/heading plus an ordinal,
    never from the LaTeX, so fixing a typo in a formula keeps its cards.
    """
    keys: dict[int, str] = {}
    seen: dict[str, int] = {}
    for i, f in enumerate(note.formulas):
        if not f.display:
            continue
        if f.tag:
            base = f"tag:{f.tag}"
        else:
            base = f"concept:{f.concept}" if f.concept else f"ctx:{f.context}"
        n = seen.get(base, 0)
        seen[base] = n + 1
        keys[i] = f"{base}#{n}"
    return keys


def formula_label(f: Formula) -> str:
    """How a card names a formula (rich text): ``\\(I(X;Y)\\)（互信息）``, ``互信息`` or
    ``\\(\\text{softmax}(z)_i\\)``; "" when the note gives it no name."""
    if f.name and f.lhs and len(f.lhs) <= 40:
        return f"\\({one_line(f.lhs)}\\)（{f.name}）"
    if f.name:
        return f.name
    return f"\\({one_line(f.lhs)}\\)" if f.lhs else ""
