"""Paths to the shared real samples (repo_root/../shared) and to this package's own samples."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED_STATEMENTS = REPO_ROOT.parent / "shared" / "samples" / "statements"
DATA = REPO_ROOT / "tests" / "data" / "banking"


@pytest.fixture
def shared() -> Path:
    if not SHARED_STATEMENTS.is_dir():
        pytest.skip(f"shared statement samples not found at {SHARED_STATEMENTS}")
    return SHARED_STATEMENTS


@pytest.fixture
def data() -> Path:
    return DATA
