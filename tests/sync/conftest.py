"""A real AnkiConnect-compatible server over a real Anki collection, for the sync tests.

``anki-connect-server`` (PyPI) needs Python ≥ 3.12, which the project itself does not; it is
installed once into ``.cache/ankiconnect-venv`` (ignored by git) with a Python ≥ 3.12 found on
the machine, under a file lock so that parallel test workers install it once. Each test gets
its own server on a free port with a fresh collection. Without a Python ≥ 3.12 the tests skip,
saying so.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock

from quizgen.sync.client import Client, SyncError
from tests.conftest import REPO

CACHE = REPO / ".cache"
VENV = CACHE / "ankiconnect-venv"
# httpx: imported by the server but not declared by it.
REQUIREMENTS = ("anki-connect-server==0.5.0", "httpx>=0.27")


def _candidates() -> list[str]:
    found = [sys.executable]
    for name in ("python3.14", "python3.13", "python3.12", "python3"):
        if path := shutil.which(name):
            found.append(path)
    pyenv = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    found += sorted(glob.glob(os.path.join(pyenv, "versions", "3.*", "bin", "python")),
                    reverse=True)
    found += sorted(glob.glob("/usr/bin/python3.1[2-9]"), reverse=True)
    return list(dict.fromkeys(found))


def python_312() -> str | None:
    """A Python ≥ 3.12 of this machine that can make a virtual environment."""
    check = "import sys, venv; print(sys.version_info >= (3, 12))"
    for exe in _candidates():
        try:
            out = subprocess.run([exe, "-c", check], capture_output=True, text=True,
                                 timeout=30).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            continue
        if out == "True":
            return exe
    return None


def _server_exe() -> Path:
    exe = VENV / "bin" / "anki-connect-server"
    marker = VENV / "quizgen-installed.txt"
    CACHE.mkdir(exist_ok=True)
    with FileLock(str(CACHE / "ankiconnect.lock"), timeout=900):
        if marker.is_file() and marker.read_text() == "\n".join(REQUIREMENTS) and exe.is_file():
            return exe
        python = python_312()
        if python is None:
            pytest.skip("the AnkiConnect test server (anki-connect-server) needs Python >= "
                        "3.12 and none was found (looked at: " + ", ".join(_candidates()) + ")")
        shutil.rmtree(VENV, ignore_errors=True)
        subprocess.run([python, "-m", "venv", str(VENV)], check=True, timeout=300)
        pip = subprocess.run([str(VENV / "bin" / "python"), "-m", "pip", "install", "-q",
                              *REQUIREMENTS], capture_output=True, text=True, timeout=900)
        if pip.returncode != 0:
            pytest.fail(f"installing {' '.join(REQUIREMENTS)} failed:\n{pip.stderr[-3000:]}")
        marker.write_text("\n".join(REQUIREMENTS))
    return exe


@pytest.fixture(scope="session")
def server_exe() -> Path:
    return _server_exe()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class AnkiServer:
    """One anki-connect-server process over ``folder/collection.anki2``."""

    exe: Path
    folder: Path
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def collection(self) -> Path:
        return self.folder / "collection.anki2"

    def start(self) -> None:
        env = {**os.environ, "ANKICONNECT_PORT": str(self.port), "ANKICONNECT_BIND": "127.0.0.1",
               "ANKICONNECT_COLLECTION_PATH": str(self.collection)}
        log = (self.folder / "server.log").open("ab")
        # cwd: the server reads a .env file from its working folder.
        self.proc = subprocess.Popen([str(self.exe), "api"], cwd=self.folder, env=env,
                                     stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail("the AnkiConnect test server exited:\n"
                            + (self.folder / "server.log").read_text(errors="replace")[-3000:])
            try:
                if Client(self.url, timeout=5).invoke("version") == 6:
                    return
            except SyncError:
                time.sleep(0.2)
        pytest.fail(f"the AnkiConnect test server did not answer on {self.url}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.proc = None

    def call(self, action: str, **params: Any) -> Any:
        client = Client(self.url)
        try:
            return client.invoke(action, **params)
        finally:
            client.close()


@pytest.fixture
def anki_server(server_exe: Path, tmp_path: Path) -> Iterator[AnkiServer]:
    folder = tmp_path / "anki"
    folder.mkdir()
    server = AnkiServer(server_exe, folder)
    server.start()
    try:
        yield server
    finally:
        server.stop()
