"""Model values ↔ plain JSON data (for ``--json`` output, the JSON card export and the cache).

Driven by the dataclasses' own type hints, so adding a field to the model needs no code here.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from functools import cache
from typing import Any, TypeVar

from quizgen import model

T = TypeVar("T")


def to_data(value: Any) -> Any:
    """A dataclass (or tuple/dict of them) as JSON-ready data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [to_data(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): to_data(v) for k, v in value.items()}
    return value


@cache
def _hints(cls: Any) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(model))


def _build(tp: Any, data: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        if data is None:
            return None
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        return _build(inner[0], data)
    if origin is tuple:
        (item, *_rest) = typing.get_args(tp)
        return tuple(_build(item, d) for d in data)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return from_data(tp, data)
    return data


def from_data(cls: type[T], data: Mapping[str, Any]) -> T:
    """Rebuild a model dataclass from :func:`to_data` output.

    Raises:
        KeyError / TypeError: data of another shape (a stale cache, say); callers treat that
        as a miss.
    """
    hints = _hints(cls)  # type: ignore[arg-type]  # dataclass types are hashable
    kwargs = {
        f.name: _build(hints[f.name], data[f.name])
        for f in dataclasses.fields(cls)  # type: ignore[arg-type]
        if f.name in data
    }
    return cls(**kwargs)
