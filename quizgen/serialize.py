"""Model values ↔ plain JSON data (for ``--json`` output, the JSON card export and the cache).

Driven by the dataclasses' own type hints, so adding a field to the model needs no code here.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
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


Decoder = Callable[[Any], Any]


def _identity(data: Any) -> Any:
    return data


@cache
def _decoder(tp: Any) -> Decoder:
    """A function rebuilding values of type ``tp``, worked out once per type (cache loads
    rebuild tens of thousands of values, so no type inspection per value)."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        inner = _decoder(next(a for a in typing.get_args(tp) if a is not type(None)))
        return lambda d: None if d is None else inner(d)
    if origin is tuple:
        item = _decoder(typing.get_args(tp)[0])
        if item is _identity:
            return tuple
        return lambda d: tuple(map(item, d))
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp, vars(model))
        fields = [(f.name, _decoder(hints[f.name])) for f in dataclasses.fields(tp)]
        cls: Any = tp
        new = object.__new__

        def build(d: Mapping[str, Any]) -> Any:
            values = {name: dec(d[name]) for name, dec in fields if name in d}
            if len(values) < len(fields):
                return cls(**values)  # older data: let the defaults fill in
            # Frozen dataclasses set each field through object.__setattr__ in __init__; with
            # every field present, filling __dict__ directly builds the same value 3x faster.
            obj = new(cls)
            obj.__dict__.update(values)
            return obj

        return build
    return _identity


def from_data(cls: type[T], data: Mapping[str, Any]) -> T:
    """Rebuild a model dataclass from :func:`to_data` output.

    Raises:
        KeyError / TypeError: data of another shape (a stale cache, say); callers treat that
        as a miss.
    """
    value: T = _decoder(cls)(data)  # type: ignore[arg-type]  # dataclass types hash
    return value
