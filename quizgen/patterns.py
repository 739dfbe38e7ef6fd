"""Regular expressions compiled when first used, not when their module is imported.

quizgen's rules are some 350 module-level patterns, many with a character class over the CJK
range, which CPython's ``re`` compiles by walking every code point in Python (~1.7 ms each). A
rebuild after one edit reads one note and uses about half of them: compiling all of them at
import was a third of its time. A pattern made here stands in for the compiled one; its first
use compiles it and puts the compiled methods on the object itself, so that every later call
is an ordinary attribute lookup.
"""

from __future__ import annotations

import re
from typing import Any, AnyStr, cast

_MADE: list[_Lazy] = []


class _Lazy:
    def __init__(self, pattern: str | bytes, flags: int) -> None:
        self._args = (pattern, flags)
        _MADE.append(self)

    def __getattr__(self, name: str) -> Any:
        # Only reached for what the object does not hold yet: compile, then hold it all.
        pattern, flags = self._args
        compiled: re.Pattern[Any] = re.compile(pattern, flags)
        for attr in ("search", "match", "fullmatch", "sub", "subn", "split", "findall",
                     "finditer", "pattern", "flags", "groups", "groupindex"):
            setattr(self, attr, getattr(compiled, attr))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy_pattern({self._args[0]!r}, {self._args[1]})"


def lazy_pattern(pattern: AnyStr, flags: int | re.RegexFlag = 0) -> re.Pattern[AnyStr]:
    """``re.compile(pattern, flags)``, compiled on first use (for module-level patterns)."""
    return cast("re.Pattern[AnyStr]", _Lazy(pattern, int(flags)))


def compile_all() -> None:
    """Compile every pattern made so far: before forking workers, which would each compile
    their own otherwise."""
    for p in _MADE:
        if "search" not in vars(p):
            p.search  # noqa: B018 (the lookup compiles it)
