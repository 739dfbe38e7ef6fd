"""Running quizgen in a child process that cannot hang the suite.

Inputs built to make a step run away (alias bombs, exponential formulas, symlink cycles, pipes)
are run here: when the fix regresses, the test fails after ``timeout`` seconds instead of
hanging. The timeout is a guard, not a speed goal (speed is measured by ``benchmarks/``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from tests.conftest import REPO

GUARD_SECONDS = 60


def run_python(
    code: str, *args: str, cwd: Path = REPO, timeout: float = GUARD_SECONDS,
    env: Mapping[str, str] | None = None, prefix: Sequence[str] = (),
) -> subprocess.CompletedProcess[str]:
    """``python -c code args…`` in ``cwd``; fails the test when it runs longer than
    ``timeout`` seconds."""
    command = [*prefix, sys.executable, "-c", code, *args]
    full_env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    try:
        return subprocess.run(command, cwd=cwd, capture_output=True, text=True,
                              timeout=timeout, env=full_env, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{' '.join(command[-len(args) - 1:])} did not finish in {timeout} s")


def run_quizgen(
    *args: str | Path, cwd: Path = REPO, timeout: float = GUARD_SECONDS,
    env: Mapping[str, str] | None = None, prefix: Sequence[str] = (),
) -> subprocess.CompletedProcess[str]:
    """The ``quizgen`` command with ``args`` (see :func:`run_python`)."""
    return run_python("from quizgen.cli import main; main()", *map(str, args), cwd=cwd,
                      timeout=timeout, env=env, prefix=prefix)


def without_file_permissions_bypass() -> list[str]:
    """A command prefix under which folder permissions apply, even to root (which CI and
    containers often are): ``setpriv`` drops the capabilities that bypass them. Skips the test
    when that is not possible."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: folder permissions cannot apply")
    caps = "-dac_override,-dac_read_search"
    return [setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}"]
