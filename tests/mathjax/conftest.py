"""The MathJax oracle for these tests: mathjax-full installed once (skip without node/npm)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.mathjax.install import MathJaxUnavailable, mathjax_root


@pytest.fixture(scope="session")
def mathjax() -> Path:
    """The folder holding the pinned mathjax-full (installed by npm on first use)."""
    try:
        return mathjax_root()
    except MathJaxUnavailable as exc:
        pytest.skip(str(exc))
