"""Cards as JSON, in the shape other tools rely on (see the README)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from quizgen.atomic import write_atomic
from quizgen.model import Card
from quizgen.serialize import to_data


def card_data(card: Card) -> dict[str, Any]:
    """One card: identity, kind, deck, text and source; answers and options where computed."""
    out: dict[str, Any] = {
        "id": card.id,
        "key": card.key,
        "kind": card.kind,
        "deck": card.deck,
        "tags": list(card.tags),
        "front": card.front,
        "back": card.back,
        "source": {"path": card.source.path, "line": card.source.line},
    }
    if card.concept and card.params is not None:
        out["concept"] = card.concept
        out["params"] = to_data(card.params)
    if card.answer is not None:
        out["answer"] = {"value": card.answer.value, "float": card.answer.float}
    if card.choices:
        out["choices"] = [to_data(c) for c in card.choices]
    return out


def _write(body: dict[str, Any], path: Path) -> None:
    text = json.dumps(body, ensure_ascii=False, indent=1)
    write_atomic(path, (text + "\n").encode("utf-8"))


def write_json(cards: Sequence[Card], path: Path, *, seed: int) -> None:
    """Write ``{"seed", "cards"}`` atomically; same cards → same bytes."""
    _write({"seed": seed, "cards": [card_data(c) for c in cards]}, path)


def write_quiz_json(versions: Sequence[Sequence[Card]], path: Path, *, seed: int) -> None:
    """The printed quiz's questions per version, in print order (version A first): a card's
    id is the same in every version, its numbers and option order are not."""
    body = {
        "seed": seed,
        "versions": [
            {"version": chr(ord("A") + i), "cards": [card_data(c) for c in cards]}
            for i, cards in enumerate(versions)
        ],
    }
    _write(body, path)
