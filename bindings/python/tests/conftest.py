"""Shared fixtures: where the repository's shared test vectors live."""

from __future__ import annotations

import pathlib

import pytest

REPO_ROOT = pathlib.Path(__file__).resolve().parents[3]
VECTORS_DIR = REPO_ROOT / "tests" / "vectors"


@pytest.fixture
def repo_root() -> pathlib.Path:
    """The repository root (for docs and example files)."""
    return REPO_ROOT
