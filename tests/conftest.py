"""Shared test helpers: where the repository and the optional ../shared folder are."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
NOTES = REPO / "notes"
FIXTURES = REPO / "tests" / "fixtures"


def shared_dir(name: str) -> Path:
    """A folder of ../shared, or skip the test when it is absent (a user's clone)."""
    path = SHARED / name
    if not path.is_dir():
        pytest.skip(f"{path} is not available")
    return path
