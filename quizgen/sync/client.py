"""The AnkiConnect protocol, version 6: one JSON object POSTed per HTTP request.

Semantics relied on (the add-on, code 2055492159, and servers that speak its protocol):

- every reply is ``{"result": …, "error": null | "message"}``; ``multi`` answers a list of such
  replies, one per action, and each inner action is checked on its own (its own ``version`` and
  ``key``: the add-on runs each through its request handler, so both are sent with each);
- a wrong or missing API key is refused with ``valid api key must be provided``;
- a request body must say ``Content-Type: application/json`` (some servers refuse others);
- the add-on reads a request 1 KB per poll of its timer (every 25 ms by default): large bodies
  are slow to send to it, so files are named by path, not sent, when Anki runs on this
  machine (``importPackage``, ``storeMediaFile``).
"""

from __future__ import annotations

import http.client
import json
import socket
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

DEFAULT_URL = "http://127.0.0.1:8765"
INSTALL_HINT = "start Anki and install AnkiConnect (add-on 2055492159)"
VERSION = 6


class SyncError(Exception):
    """Anki could not be reached or refused a request; the message says what to do."""


class Unreachable(SyncError):
    """Nothing answers at the URL, or what answers is not AnkiConnect."""


class BadKey(SyncError):
    """AnkiConnect wants an API key and the one given (if any) is not it."""


class ActionFailed(SyncError):
    """AnkiConnect answered one action with an error."""

    def __init__(self, action: str, message: str) -> None:
        super().__init__(f"AnkiConnect refused {action}: {message}")
        self.action = action
        self.message = message


def is_key_error(message: str) -> bool:
    """Whether an AnkiConnect error message is its API-key refusal."""
    return "api key" in message.lower()


def key_problem(given: bool) -> BadKey:
    if given:
        return BadKey("AnkiConnect refused the API key: pass the key set in AnkiConnect's "
                      "config (Tools → Add-ons → AnkiConnect → Config, \"apiKey\") with "
                      "--api-key or QUIZGEN_ANKICONNECT_KEY")
    return BadKey("AnkiConnect asks for an API key (its config sets \"apiKey\"): pass it with "
                  "--api-key or QUIZGEN_ANKICONNECT_KEY")


@dataclass(frozen=True)
class Reply:
    """One action's answer inside ``multi``: a result, or the error AnkiConnect gave."""

    result: Any
    error: str | None


Call = tuple[str, Mapping[str, Any]]


@dataclass
class Client:
    """Requests to one AnkiConnect. Raises :class:`SyncError` subclasses, never ``OSError``."""

    url: str = DEFAULT_URL
    key: str | None = None
    timeout: float = 300.0
    requests: int = field(default=0, init=False)  # HTTP requests sent (for the report)

    def __post_init__(self) -> None:
        parts = urlsplit(self.url if "//" in self.url else f"http://{self.url}")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise Unreachable(f"not an AnkiConnect URL: {self.url!r} (expected e.g. "
                              f"{DEFAULT_URL})")
        self._host = parts.hostname
        self._port = parts.port or (443 if parts.scheme == "https" else 80)
        self._https = parts.scheme == "https"
        self._path = parts.path or "/"

    @property
    def local(self) -> bool:
        """Whether Anki runs on this machine (and so can read a file we write)."""
        return self._host in ("127.0.0.1", "localhost", "::1") or self._host.startswith("127.")

    def close(self) -> None:
        """Nothing stays open between requests (kept for symmetry with other clients)."""

    def _post(self, body: bytes) -> Any:
        # A new connection per request: the add-on's server closes the socket after every
        # reply without saying so, and a request retried on a dead kept-alive connection could
        # run twice.
        kind = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
        conn = kind(self._host, self._port, timeout=self.timeout)
        try:
            conn.request("POST", self._path, body, {"Content-Type": "application/json",
                                                    "Connection": "close"})
            response = conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as exc:
            reason = "timed out" if isinstance(exc, socket.timeout) else (
                getattr(exc, "strerror", None) or str(exc) or type(exc).__name__)
            raise Unreachable(f"cannot reach AnkiConnect at {self.url} ({reason}): "
                              f"{INSTALL_HINT}") from None
        finally:
            conn.close()
        self.requests += 1
        try:
            reply = json.loads(data)
        except ValueError:
            raise Unreachable(f"{self.url} answered HTTP {response.status} but not in JSON: it "
                              f"is not AnkiConnect; {INSTALL_HINT}") from None
        if not isinstance(reply, dict) or "error" not in reply:
            raise Unreachable(f"{self.url} does not speak the AnkiConnect protocol (version "
                              f"{VERSION}); {INSTALL_HINT}")
        return reply

    def _request(self, action: str, params: Mapping[str, Any]) -> dict[str, Any]:
        request: dict[str, Any] = {"action": action, "version": VERSION, "params": dict(params)}
        if self.key:
            request["key"] = self.key
        return request

    def invoke(self, action: str, **params: Any) -> Any:
        """The result of one action.

        Raises:
            Unreachable: nothing, or not AnkiConnect, answers at the URL.
            BadKey: the API key was refused.
            ActionFailed: AnkiConnect answered with an error.
        """
        body = json.dumps(self._request(action, params), ensure_ascii=False).encode("utf-8")
        reply = self._post(body)
        error = reply.get("error")
        if error:
            if is_key_error(str(error)):
                raise key_problem(bool(self.key))
            raise ActionFailed(action, str(error))
        return reply.get("result")

    def multi(self, calls: Sequence[Call]) -> list[Reply]:
        """Several actions in one request, each answered on its own (one failing does not stop
        the others). An empty list sends nothing.

        Raises:
            Unreachable, BadKey, ActionFailed: as :meth:`invoke`, for the request as a whole
                (a refused key inside it counts as a refused key).
        """
        if not calls:
            return []
        result = self.invoke("multi", actions=[self._request(a, p) for a, p in calls])
        if not isinstance(result, list) or len(result) != len(calls):
            raise ActionFailed("multi", f"expected {len(calls)} replies, got {result!r:.200}")
        out: list[Reply] = []
        for item in result:
            if isinstance(item, dict) and "error" in item:
                error = item.get("error")
                if error and is_key_error(str(error)):
                    raise key_problem(bool(self.key))
                out.append(Reply(item.get("result"), str(error) if error else None))
            else:  # a bare result: an action answered in the legacy (version ≤ 4) form
                out.append(Reply(item, None))
        return out


def chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), max(1, size)):
        yield items[i : i + size]
