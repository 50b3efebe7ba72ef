"""Shared test set-up: import the package from scripts/, and locate ../shared."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
os.environ.setdefault("NUMBA_CACHE_DIR", str(ROOT / ".cache" / "numba"))

SHARED = ROOT.parent / "shared"


@pytest.fixture
def fixtures_dir() -> Path:
    """Real tool outputs in ../shared/fixtures; skip cleanly where absent."""
    path = SHARED / "fixtures"
    if not path.is_dir():
        pytest.skip("../shared/fixtures is absent")
    return path


@pytest.fixture
def shared_data() -> Path:
    """Real mm10 ATAC-seq extracts in ../shared/data; skip where absent."""
    path = SHARED / "data"
    if not path.is_dir():
        pytest.skip("../shared/data is absent")
    return path
