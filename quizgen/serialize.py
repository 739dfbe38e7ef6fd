"""Model values ↔ plain data and bytes (``--json`` output, the JSON card export, the cache).

msgspec does the work: it walks the frozen dataclasses natively (10–15x faster than a
Python walk over ``dataclasses.fields``), so adding a field to the model needs no code here.
The cache stores MessagePack; everything a user reads is JSON.
"""

from __future__ import annotations

from functools import cache
from typing import Any, TypeVar

import msgspec

T = TypeVar("T")

DecodeError = msgspec.DecodeError  # a stale or damaged value: callers treat it as a miss


def to_data(value: Any) -> Any:
    """A dataclass (or tuple/dict of them) as JSON-ready data: dicts, lists, str, numbers."""
    return msgspec.to_builtins(value)


def from_data(cls: type[T], data: Any) -> T:
    """Rebuild a model dataclass from :func:`to_data` output.

    Raises:
        DecodeError: data of another shape (a stale cache, say).
    """
    return msgspec.convert(data, cls)


_ENCODER = msgspec.msgpack.Encoder()


def pack(value: Any) -> bytes:
    """A model value as MessagePack bytes."""
    return _ENCODER.encode(value)


@cache
def _decoder(cls: type[Any]) -> msgspec.msgpack.Decoder[Any]:
    return msgspec.msgpack.Decoder(cls)


def unpack(cls: type[T], data: bytes) -> T:
    """The value :func:`pack` made.

    Raises:
        DecodeError: bytes of another shape or version.
    """
    value: T = _decoder(cls).decode(data)  # type: ignore[arg-type]  # classes hash
    return value
