"""Installing the oracle: pinned, into a folder git ignores, and a clear skip without node."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from tests.mathjax import install


def test_mathjax_full_is_pinned_to_the_version_anki_bundles() -> None:
    wanted = json.loads((install.HERE / "package.json").read_text(encoding="utf-8"))
    locked = json.loads((install.HERE / "package-lock.json").read_text(encoding="utf-8"))
    assert wanted["dependencies"] == {"mathjax-full": "3.2.2"}
    assert locked["packages"]["node_modules/mathjax-full"]["version"] == "3.2.2"


def test_the_install_folder_is_ignored_by_git() -> None:
    if shutil.which("git") is None or not (install.REPO / ".git").exists():
        pytest.skip("not a git checkout")
    probe = install.CACHE.relative_to(install.REPO) / "mathjax-0" / "node_modules" / "x.js"
    done = subprocess.run(["git", "check-ignore", "-q", str(probe)], cwd=install.REPO,
                          check=False)
    assert done.returncode == 0


def test_without_node_the_checks_say_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(install.shutil, "which", lambda name: None)
    with pytest.raises(install.MathJaxUnavailable, match=r"Node\.js .* npm"):
        install.node()
