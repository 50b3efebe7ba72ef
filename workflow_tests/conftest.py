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


def write_fasta(path: Path, records: dict[str, str]) -> Path:
    """A FASTA with 60-column lines."""
    with open(path, "w") as fh:
        for name, seq in records.items():
            fh.write(f">{name}\n")
            fh.writelines(seq[i:i + 60] + "\n" for i in range(0, len(seq), 60))
    return path


@pytest.fixture
def tiny_genome(tmp_path: Path) -> Path:
    """Five random 20 kb chromosomes: chr1, chr2, chr6, chr7 (test), chr8 (validation)."""
    import numpy as np

    rng = np.random.default_rng(0)
    records = {c: "".join(rng.choice(list("ACGT"), 20_000)) for c in ("chr1", "chr2", "chr6", "chr7", "chr8")}
    return write_fasta(tmp_path / "genome.fa", records)
