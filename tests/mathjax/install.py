"""mathjax-full for the tests: installed once per lock file into the ignored ``.cache/node/``.

``package.json`` and ``package-lock.json`` beside this file pin the version (the one Anki
bundles), so ``npm ci`` installs the same tree on every machine. Parallel test workers wait
for each other on a file lock; the tree is installed into a temporary folder and renamed into
place only when complete, so a folder that exists is a finished install.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
CACHE = REPO / ".cache" / "node"
_PINNED = ("package.json", "package-lock.json")
NEEDS = ("MathJax checks need Node.js (18 or newer) and npm on PATH, e.g. "
         "`apt-get install nodejs npm`; npm then installs mathjax-full itself")


class MathJaxUnavailable(RuntimeError):
    """No node or npm on this machine: the checks cannot run (the tests skip)."""


def _digest() -> str:
    h = hashlib.sha1()
    for name in _PINNED:
        h.update((HERE / name).read_bytes())
    return h.hexdigest()[:12]


def node() -> str:
    """The ``node`` executable, or :class:`MathJaxUnavailable`."""
    found = shutil.which("node")
    if found is None or shutil.which("npm") is None:
        raise MathJaxUnavailable(NEEDS)
    return found


@cache
def mathjax_root() -> Path:
    """A folder whose ``node_modules`` holds the pinned mathjax-full, installed if needed.

    Raises:
        MathJaxUnavailable: node or npm is missing.
        RuntimeError: npm failed (a real failure: the registry is the one network we have).
    """
    node()
    target = CACHE / f"mathjax-{_digest()}"
    if target.is_dir():
        return target
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / ".install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if target.is_dir():  # another worker installed it while this one waited
            return target
        work = CACHE / f".work-{os.getpid()}"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        for name in _PINNED:
            shutil.copyfile(HERE / name, work / name)
        npm = shutil.which("npm") or "npm"
        done = subprocess.run(
            [npm, "ci", "--prefix", str(work), "--ignore-scripts", "--no-audit", "--no-fund",
             "--loglevel=error"],
            capture_output=True, text=True, timeout=600, check=False,
        )
        if done.returncode != 0:
            shutil.rmtree(work, ignore_errors=True)
            raise RuntimeError(f"npm ci of mathjax-full failed:\n{done.stdout}{done.stderr}")
        os.replace(work, target)
    return target
