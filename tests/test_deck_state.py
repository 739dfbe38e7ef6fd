"""The deck-level state brought up to date by parts equals the state of the whole deck
(``quizgen.deck_state``), and names every note whose cards may read what changed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from quizgen import deck_state
from quizgen.generate import labels, terms
from quizgen.model import Definition, Formula, FormulaHead, Note, Problem, SourceRef


class Rows:
    """The state's rows in a dict (the build cache keeps them in SQLite)."""

    def __init__(self) -> None:
        self.rows: dict[str, bytes] = {}
        self.read: list[str] = []

    def get(self, key: str) -> bytes | None:
        return self.get_many([key]).get(key)

    def get_many(self, keys: Sequence[str]) -> dict[str, bytes]:
        self.read.extend(keys)
        return {k: self.rows[k] for k in keys if k in self.rows}

    def put(self, key: str, value: bytes | None) -> None:
        if value is None:
            self.rows.pop(key, None)
        else:
            self.rows[key] = value

    def clear(self) -> None:
        self.rows.clear()


SPELLINGS = [("互信息", ("Mutual Information", "MI")), ("互信息", ("MI",)), ("交叉熵", ()),
             ("交叉熵", ("Cross Entropy",)), ("池化", ("Pooling",)), ("Pooling", ()),
             ("偏置", ()), ("偏置", ("Bias", "b")), ("b", ())]
TEXTS = ["一种度量。", "两个分布之间差异的度量，常用于分类。", "如果样本足够多，它接近期望。",
         "把随机变量写成参数与噪声的确定函数，使梯度穿过采样。"]

definition = st.tuples(st.sampled_from(SPELLINGS), st.sampled_from(TEXTS),
                       st.integers(1, 4), st.sampled_from(["", "", "", "博弈满足以下假设"]),
                       st.sampled_from(["explicit", "sentence", "named"]),
                       st.sampled_from([None, "x=1"]))
head = st.tuples(st.sampled_from(["损失函数", "更新公式", "互信息的公式", "L"]),
                 st.sampled_from(["d1", "d2", "d3"]))
content = st.tuples(st.lists(definition, max_size=4), st.lists(head, max_size=3),
                    st.lists(st.sampled_from(["softmax", "entropy", "sigmoid"]), max_size=2),
                    st.booleans(), st.sampled_from(["标题甲", "标题乙", ""]))


def make_note(path: str, c: tuple[object, ...]) -> Note:
    defs, heads, concepts, problem, title = c
    assert isinstance(defs, list) and isinstance(heads, list) and isinstance(concepts, list)
    return Note(
        path=path, title=str(title),
        definitions=tuple(Definition(term, aliases, text, SourceRef(path, line), "节", formula,
                                     scope, shape)
                          for (term, aliases), text, line, scope, shape, formula in defs),
        formulas=tuple(Formula(f"{c}(x)", True, SourceRef(path, 9), concept=c)
                       for c in dict.fromkeys(concepts)),
        heads=tuple(FormulaHead(name, "", None, "", digest) for name, digest in heads),
        problems=(Problem(path, 1, "bad"),) if problem else (),
    )


PATHS = [f"notes/{c}.md" for c in "abcdefgh"]
op = st.tuples(st.sampled_from(["edit", "edit", "add", "delete"]), st.sampled_from(PATHS),
               content)


def whole(notes: Sequence[Note]) -> tuple[object, ...]:
    """What the deck-level work of the whole deck gives."""
    key_path = {n.path: n.path for n in notes}
    index = terms.index(notes, key_path)
    entries = sorted(((name, e) for name, e in index.by_name.items()), key=lambda t: t[0])
    sites: dict[str, str] = {}
    for n in notes:
        for f in n.formulas:
            if f.concept:
                sites.setdefault(f.concept, n.path)
    shared, repeated = labels.deck_labels(labels.holders(notes), key_path)
    return (entries, shared, repeated, frozenset(sites.values()),
            tuple(p for n in notes for p in n.problems))


def signatures(notes: Sequence[Note]) -> dict[str, tuple[str, str]]:
    """What each note's own cards read from the rest of the deck."""
    key_path = {n.path: n.path for n in notes}
    index = terms.index(notes, key_path)
    shared, repeated = labels.deck_labels(labels.holders(notes), key_path)
    return {n.path: (index.signature(n), labels.signature(n, shared, repeated)) for n in notes}


def index_of(notes: Mapping[str, Note]) -> deck_state.IndexOf:
    def get(which: Iterable[str]) -> Mapping[str, Note]:
        return {n: notes[n] for n in which}

    return get


def digests(notes: Mapping[str, Note]) -> dict[str, str]:
    return {p: str(hash(n)) for p, n in notes.items()}


@settings(max_examples=150, deadline=None)
@given(st.lists(content, min_size=1, max_size=6), st.lists(op, max_size=8))
def test_a_state_kept_up_to_date_by_parts_is_the_whole_decks(
    start: list[tuple[object, ...]], ops: list[tuple[str, str, tuple[object, ...]]]
) -> None:
    notes = {p: make_note(p, c) for p, c in zip(PATHS, start, strict=False)}
    rows = Rows()
    order = sorted(notes)
    deck_state.record(rows, "k", order, digests(notes), notes,
                      terms.index([notes[n] for n in order], {p: p for p in order}))
    for kind, path, c in ops:
        before = signatures([notes[n] for n in sorted(notes)])
        if kind == "delete":
            if len(notes) > 1:
                notes.pop(path, None)
        else:
            notes[path] = make_note(path, c)
        order = sorted(notes)
        ordered = [notes[n] for n in order]
        view = deck_state.update(rows, "k", order, digests(notes), index_of(notes),
                                 {p: p for p in order})
        if view is None:  # not one to make by parts: the whole deck's is recorded
            deck_state.record(rows, "k", order, digests(notes), notes,
                              terms.index(ordered, {p: p for p in order}))
            continue
        view.commit()
        assert view.require(ordered)
        by_parts = (sorted(view.terms.by_name.items(), key=lambda t: t[0]), view.shared_labels,
                    view.repeated, view.sites,
                    tuple(p for n in order for p in view.problems.get(n, ())))
        assert by_parts == whole(ordered)
        after = signatures(ordered)
        moved = {p for p in after if before.get(p) != after[p]}
        assert moved <= view.candidates | {p for p in order if p == path}


def test_an_unchanged_deck_reads_no_term() -> None:
    notes = {p: make_note(p, ([(SPELLINGS[0], TEXTS[0], 1, "", "explicit", None)], [], [],
                               False, "")) for p in PATHS}
    order = sorted(notes)
    rows = Rows()
    deck_state.record(rows, "k", order, digests(notes), notes,
                      terms.index([notes[n] for n in order], {p: p for p in order}))
    rows.read.clear()
    view = deck_state.update(rows, "k", order, digests(notes), index_of(notes),
                             {p: p for p in order})
    assert view is not None and not view.candidates
    assert rows.read == ["state"]


def test_an_edit_of_one_note_reads_only_its_terms() -> None:
    notes = {p: make_note(p, ([(SPELLINGS[i % 2 * 2], TEXTS[0], 1, "", "explicit", None)],
                              [], [], False, "")) for i, p in enumerate(PATHS)}
    order = sorted(notes)
    rows = Rows()
    deck_state.record(rows, "k", order, digests(notes), notes,
                      terms.index([notes[n] for n in order], {p: p for p in order}))
    rows.read.clear()
    notes[PATHS[2]] = make_note(PATHS[2], ([(SPELLINGS[0], TEXTS[1], 1, "", "explicit", None)],
                                           [], [], False, ""))
    view = deck_state.update(rows, "k", order, digests(notes), index_of(notes),
                             {p: p for p in order})
    assert view is not None
    assert view.candidates == {PATHS[2], PATHS[0]}  # the note, and the owner of its term
    assert sorted(k for k in rows.read if k.startswith("comp:")) == ["comp:0"]
    assert view.terms.entry(notes[PATHS[0]].definitions[0]) is not None
    assert view.terms.entry(notes[PATHS[1]].definitions[0]) is None  # 交叉熵: not read
