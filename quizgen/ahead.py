"""A deck's numeric drills made ahead, in a second process, while the build does the rest.

Making drills from scratch means importing sympy and checking every variant two ways: most of
what a cold package build does once its notes are parsed, and independent of the notes except
for which concepts they show. So a cold build forks a helper as it starts (while this process
is still small: the helper's memory is its own), which imports sympy at once and then makes
each drill it is asked for; the build takes the results when its cards ask for them.
Anything wrong with the helper costs only time: a drill it does not deliver is made here, as
it would have been without it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from quizgen.model import Variant

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

Request = tuple[str, int, int]  # concept, seed, count (the arguments of make_variants)


def _serve(conn: Connection) -> None:
    """The helper: sympy first (most of the work), then one drill list per request."""
    import sympy  # noqa: F401

    from quizgen.concepts import make_variants

    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        try:
            made: list[Variant] | None = make_variants(*request)
        except Exception:  # made again in the build, which reports it as it always has
            made = None
        conn.send(made)


class DrillMaker:
    """The helper process and the drills asked of it, answered in the order asked."""

    def __init__(self, proc: BaseProcess, conn: Connection) -> None:
        self._proc = proc
        self._conn = conn
        self._waiting: list[Request] = []
        self._done: dict[Request, list[Variant] | None] = {}
        self._broken = False

    @classmethod
    def start(cls) -> DrillMaker | None:
        """A helper, or None where processes cannot be forked (the drills are made here)."""
        import multiprocessing as mp

        if "fork" not in mp.get_all_start_methods():
            return None
        ctx = mp.get_context("fork")
        mine, theirs = ctx.Pipe()
        try:
            proc = ctx.Process(target=_serve, args=(theirs,), daemon=True)
            proc.start()
        except OSError:
            return None
        theirs.close()
        return cls(proc, mine)

    def ask(self, requests: Iterable[Request]) -> None:
        """Have the helper make these (each once)."""
        for r in requests:
            if self._broken or r in self._done or r in self._waiting:
                continue
            try:
                self._conn.send(r)
            except OSError:
                self._broken = True
                return
            self._waiting.append(r)

    def take(self, request: Request) -> list[Variant] | None:
        """The drills made for ``request``; None when it was not asked or the helper failed."""
        while request in self._waiting and not self._broken:
            try:
                made = self._conn.recv()
            except (EOFError, OSError):
                self._broken = True
                break
            self._done[self._waiting.pop(0)] = made
        return self._done.get(request)

    def close(self) -> None:
        """Stop the helper (one still importing sympy for a deck without concepts, too)."""
        with contextlib.suppress(OSError):
            self._conn.send(None)
        self._conn.close()
        self._proc.join(0.05)
        if self._proc.is_alive():
            self._proc.terminate()
            self._proc.join()
