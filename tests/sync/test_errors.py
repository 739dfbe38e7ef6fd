"""Errors a user can act on, through the command line."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from quizgen.cli import main
from quizgen.sync.client import INSTALL_HINT, BadKey, Client
from tests.conftest import NOTES
from tests.sync.conftest import free_port


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "pooling.md").write_text(
        (NOTES / "deep-learning" / "pooling.md").read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp_path / "deck.yaml"
    path.write_text('name: "测试"\nnotes: ["notes/*.md"]\noutput: build\n', encoding="utf-8")
    return path


def test_anki_not_running_says_what_to_do(spec: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    result = CliRunner().invoke(main, ["sync", str(spec), "--url", url])
    assert result.exit_code == 4
    assert INSTALL_HINT in result.stderr and url in result.stderr
    assert "Traceback" not in result.output


class _AddOnWithKey(BaseHTTPRequestHandler):
    """Answers as the AnkiConnect add-on does when its config sets an API key and a request
    carries another (its handler: ``raise Exception('valid api key must be provided')``). The
    AnkiConnect server the other tests use has no API-key setting, so this one reply is
    reproduced here; everything else is tested against that real server."""

    def do_POST(self) -> None:
        request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if request.get("key") == "right":
            body = {"result": 6, "error": None}
        else:
            body = {"result": None, "error": "valid api key must be provided"}
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def keyed_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _AddOnWithKey)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_wrong_or_missing_api_key_is_named(spec: Path, keyed_url: str) -> None:
    result = CliRunner().invoke(main, ["sync", str(spec), "--url", keyed_url])
    assert result.exit_code == 4 and "asks for an API key" in result.stderr
    result = CliRunner().invoke(main, ["sync", str(spec), "--url", keyed_url,
                                       "--api-key", "wrong"])
    assert result.exit_code == 4 and "refused the API key" in result.stderr
    assert Client(keyed_url, "right").invoke("version") == 6
    with pytest.raises(BadKey):
        Client(keyed_url, "wrong").multi([("version", {})])


def test_delete_without_yes_off_a_terminal_is_refused_before_anything(spec: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    result = CliRunner().invoke(main, ["sync", str(spec), "--url", url, "--orphans=delete"])
    assert result.exit_code == 2 and "--yes" in result.stderr


def test_bad_spec_and_bad_url_are_usage_errors(tmp_path: Path, spec: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["sync", str(bad)])
    assert result.exit_code == 2 and "notes" in result.stderr
    result = CliRunner().invoke(main, ["sync", str(spec), "--url", "ftp://x"])
    assert result.exit_code == 2 and "not an AnkiConnect URL" in result.stderr
