"""Stable identities and seeds.

A card's id (its Anki GUID) is a hash of what the card is about: the deck namespace and a key
built from the note path, the kind and the term or formula key (never its editable text), so that
fixing a typo updates the same Anki note instead of adding a new one.
"""

from __future__ import annotations

import hashlib

_B91 = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~"
)


def _digest(*parts: object) -> bytes:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).digest()


def card_id(namespace: str, key: str) -> str:
    """A 64-bit hash of ``namespace``/``key`` in base 91 (Anki's GUID alphabet)."""
    n = int.from_bytes(_digest(namespace, key)[:8], "big")
    out = ""
    while n:
        n, r = divmod(n, 91)
        out = _B91[r] + out
    return out or _B91[0]


def derive_seed(seed: int, *parts: object) -> int:
    """A child seed for one random choice, so adding a card never reshuffles the others."""
    return int.from_bytes(_digest(seed, *parts)[:8], "big")
