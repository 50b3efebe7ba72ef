"""Builtin HOMER-style known-motif enrichment: planted motifs, GC matching, the test itself."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import hypergeom, ks_2samp

from wtko.encode import to_codes
from wtko.enrichment import (HOMER_GC_BREAKS, gc_fraction, gc_matched_background, hypergeom_log_sf,
                             known_enrichment, scan_hits, wt_vs_ko)
from wtko.motifs.homer_io import KNOWN_COLUMNS, parse_known_results, write_known_results
from wtko.motifs.jaspar import jaspar_motifs

from conftest import write_fasta

PLANTED = 0.4
NAMED = ["MA0107", "MA0139", "MA0080", "MA0154"]  # RELA, CTCF, SPI1, EBF1


@pytest.fixture(scope="module")
def subset():
    """30 JASPAR2022 motifs: RELA, CTCF, SPI1, EBF1 and 26 others of other families."""
    motifs = jaspar_motifs()
    by_base = {m.id.split(".")[0]: m for m in motifs}
    named = [by_base[b] for b in NAMED]
    families = {m.meta["family"] for m in named}
    others = [m for m in motifs[::7] if m.meta["family"] not in families][:26]
    return named + others


def _random(rng, n: int, length: int = 200, gc: float = 0.42) -> np.ndarray:
    at = (1 - gc) / 2
    return rng.choice(4, size=(n, length), p=[at, gc / 2, gc / 2, at]).astype(np.uint8)


def _plant(rng, codes: np.ndarray, motif, rate: float) -> np.ndarray:
    """Put one sampled instance of ``motif`` into a ``rate`` fraction of sequences."""
    carry = rng.random(len(codes)) < rate
    for i in np.flatnonzero(carry):
        site = [rng.choice(4, p=row / row.sum()) for row in motif.probs]
        pos = rng.integers(0, codes.shape[1] - motif.width)
        codes[i, pos:pos + motif.width] = site
    return carry


@pytest.mark.parametrize("method", ["fimo", "logodds"])
def test_planted_rela_ranks_top(subset, method):
    rng = np.random.default_rng(1)
    targets, background = _random(rng, 300), _random(rng, 600)
    carry = _plant(rng, targets, subset[0], PLANTED)
    df = known_enrichment(subset, targets, background, method=method)
    top = df.iloc[0]
    assert top.motif_name == "RELA/MA0107.1/JASPAR"
    assert top.q_value < 0.05 and df.iloc[1].q_value > 0.05
    expected = 100 * carry.mean() + top.pct_background * (1 - carry.mean())
    assert abs(top.pct_target - expected) < 6
    assert list(df.columns[:9]) == KNOWN_COLUMNS
    assert (np.diff(df.log_p_value) >= 0).all()


def test_known_results_round_trip(subset, tmp_path):
    rng = np.random.default_rng(2)
    targets, background = _random(rng, 100), _random(rng, 200)
    _plant(rng, targets, subset[0], 0.5)
    df = known_enrichment(subset[:8], targets, background)
    path = tmp_path / "knownResults.txt"
    write_known_results(df, path, df.attrs["n_target_total"], df.attrs["n_background_total"])
    back = parse_known_results(path)
    assert back.attrs == {"n_target_total": 100, "n_background_total": 200}
    assert list(back.motif_name) == list(df.motif_name)
    assert np.array_equal(back.n_target, df.n_target)
    np.testing.assert_allclose(back.pct_background, df.pct_background, atol=0.006)
    np.testing.assert_allclose(back.log_p_value, df.log_p_value, rtol=1e-3)


def test_hypergeometric_hand_example():
    # 10 sequences, 4 with the motif, 5 of them targets, 3 of those with it:
    # P(X >= 3) = [C(4,3) C(6,2) + C(4,4) C(6,1)] / C(10,5) = 66 / 252.
    p = math.exp(hypergeom_log_sf(3, 10, 4, 5))
    assert p == pytest.approx(66 / 252)
    assert p == pytest.approx(hypergeom.sf(2, 10, 4, 5))
    # Far in the tail it stays finite where the plain p underflows.
    assert np.isfinite(hypergeom_log_sf(5000, 20000, 5000, 5000)) and hypergeom.sf(4999, 20000, 5000, 5000) == 0


def test_wt_vs_ko_direction(subset):
    rng = np.random.default_rng(3)
    wt, ko = _random(rng, 250), _random(rng, 250)
    _plant(rng, wt, subset[0], 0.4)   # RELA in WT
    _plant(rng, ko, subset[1], 0.4)   # CTCF in KO
    df = wt_vs_ko(subset, wt, ko).set_index("motif_id")
    rela, ctcf = df.loc[subset[0].id], df.loc[subset[1].id]
    assert rela.direction == "WT" and rela.log2_ratio > 2 and rela.q_wt_enriched < 1e-10
    assert ctcf.direction == "KO" and ctcf.log2_ratio < -2 and ctcf.q_ko_enriched < 1e-10
    assert set(df.index[:2]) == {subset[0].id, subset[1].id}
    assert (df.direction.iloc[2:] == "none").mean() > 0.9


def test_scan_hits_both_strands(subset):
    ctcf = subset[1]
    site = to_codes([ctcf.consensus])[0]
    rc = (3 - site)[::-1]
    codes = np.full((3, 60), 0, dtype=np.uint8)
    codes[:, 1::2] = 3  # ATAT... carries no CTCF site
    codes[1, 20:20 + len(site)] = site
    codes[2, 30:30 + len(site)] = rc
    codes[0, :10] = 4  # N scores 0 and breaks nothing
    for method in ("fimo", "logodds"):
        assert scan_hits([ctcf], codes, method=method)[0].tolist() == [False, True, True]
    with pytest.raises(ValueError, match="unknown scan method"):
        scan_hits([ctcf], codes, method="homer")


def _chromosome(rng, length: int, gc: float | None = None) -> np.ndarray:
    """Fixed GC, or 2 kb segments of GC drawn from 0.25-0.75 as a genome has."""
    if gc is not None:
        return _random(rng, 1, length, gc)[0]
    return np.concatenate([_random(rng, 1, 2000, g)[0] for g in rng.uniform(0.25, 0.75, length // 2000)])


@pytest.fixture(scope="module")
def genome():
    rng = np.random.default_rng(4)
    chroms = {f"chr{i}": _chromosome(rng, 200_000) for i in range(1, 4)}
    chroms["chrN"] = np.full(50_000, 4, dtype=np.uint8)
    return chroms


def _bins(codes: np.ndarray, breaks) -> np.ndarray:
    return np.bincount(np.searchsorted(breaks, gc_fraction(codes), side="right"), minlength=len(breaks) + 1)


def test_gc_matched_background_homer_bins(genome):
    rng = np.random.default_rng(6)
    targets = np.concatenate([_random(rng, 120, gc=0.4), _random(rng, 80, gc=0.6)])
    # Excluded: all of chr1 and chr2 and the first half of chr3, as three peaks.
    peaks = pd.DataFrame({"chrom": ["chr1", "chr2", "chr3"], "start": [0, 0, 0],
                          "end": [200_000, 200_000, 100_000]})
    bg = gc_matched_background(targets, genome, n_per_target=2, seed=0, exclude=peaks)
    assert bg.shape == (400, 200)
    assert np.array_equal(_bins(bg, HOMER_GC_BREAKS), 2 * _bins(targets, HOMER_GC_BREAKS))
    assert (bg == 4).mean() <= 0.7
    chr3 = genome["chr3"].tobytes()
    assert all(chr3.find(row.tobytes(), 100_000) >= 0 for row in bg)


def test_gc_matched_background_fine_bins_ks(genome):
    rng = np.random.default_rng(7)
    targets = np.concatenate([_random(rng, 150, gc=g) for g in (0.35, 0.5, 0.62)])
    breaks = np.round(np.arange(0.05, 1.0, 0.05), 2)
    bg = gc_matched_background(targets, genome, breaks=breaks, seed=2)
    assert np.array_equal(_bins(bg, breaks), 2 * _bins(targets, breaks))
    assert ks_2samp(gc_fraction(bg), gc_fraction(targets)).pvalue > 0.05


def test_gc_matched_background_from_fasta(tmp_path):
    rng = np.random.default_rng(5)
    fasta = write_fasta(tmp_path / "g.fa", {"chr1": "".join("ACGT"[c] for c in _chromosome(rng, 30_000, 0.45))})
    targets = _random(rng, 30, gc=0.45)
    bg = gc_matched_background(targets, fasta, seed=1)
    assert bg.shape == (60, 200) and bg.dtype == np.uint8
    with pytest.warns(UserWarning, match="short of windows"):
        gc_matched_background(_random(rng, 5, gc=0.95), fasta, seed=1, max_rounds=2)
