"""Planted-motif recovery of the de novo engines (``python benchmarks/denovo_compare.py``).

Sequences of uniform length with an A/C/G/T background at GC 0.46; a fraction
carries one site sampled from a JASPAR matrix, on a random strand. Recovery is
the Pearson r of the PWM columns at the best shift and strand (at least 6
columns overlapping) between the top found motif and the truth, plus the
found width and time. Engines: the built-in EM, a most-frequent-k-mer
baseline (what the EM must beat), and MEME when ``meme`` is on PATH.
The test suite imports ``planted`` and ``recovery`` from here.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from wtko.denovo import discover_builtin, meme_command, write_fasta  # noqa: E402

TRUTH = {"RELA": "MA0107.1", "CTCF": "MA0139.1", "SPI1": "MA0080.5", "EBF1": "MA0154.4"}


def jaspar_probs(matrix_id: str) -> np.ndarray:
    """(W, 4) probabilities of a JASPAR2022 matrix from pyjaspar's offline copy."""
    from pyjaspar import jaspardb

    counts = jaspardb(release="JASPAR2022").fetch_motif_by_id(matrix_id).counts
    c = np.array([counts[b] for b in "ACGT"], dtype=float).T
    return c / c.sum(axis=1, keepdims=True)


def planted(probs: np.ndarray, n: int, length: int, frac: float, seed: int = 0,
            gc: float = 0.46, reverse: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """(N, L) codes with a site in ``frac`` of them (a ``reverse`` fraction of
    the sites on the minus strand), and the mask of sequences with a site."""
    rng = np.random.default_rng(seed)
    bg = np.array([1 - gc, gc, gc, 1 - gc]) / 2
    codes = rng.choice(4, size=(n, length), p=bg).astype(np.uint8)
    width = len(probs)
    carries = rng.random(n) < frac
    for i in np.flatnonzero(carries):
        site = (rng.random((width, 1)) > probs.cumsum(axis=1)).sum(axis=1).clip(0, 3)
        if rng.random() < reverse:
            site = 3 - site[::-1]
        start = rng.integers(0, length - width + 1)
        codes[i, start:start + width] = site
    return codes, carries


def recovery(found: np.ndarray, truth: np.ndarray, min_overlap: int = 6) -> float:
    """Best Pearson r of aligned PWM columns over shifts and both strands."""
    best = -1.0
    for f in (found, found[::-1, ::-1]):
        for shift in range(-len(f) + 1, len(truth)):
            a = f[max(0, -shift):len(truth) - shift]
            b = truth[max(0, shift):max(0, shift) + len(a)]
            if len(a) >= min_overlap:
                best = max(best, float(np.corrcoef(a.ravel(), b.ravel())[0, 1]))
    return best


def kmer_baseline(codes: np.ndarray, width: int = 8) -> np.ndarray:
    """The most frequent strand-merged k-mer, as a one-hot PWM."""
    view = np.lib.stride_tricks.sliding_window_view(codes, width, axis=1).reshape(-1, width)
    view = view[(view < 4).all(axis=1)]
    both = np.concatenate([view, 3 - view[:, ::-1]])
    kmers, counts = np.unique(both, axis=0, return_counts=True)
    return np.eye(4)[kmers[counts.argmax()]]


def meme_top(codes: np.ndarray, minw: int, maxw: int) -> np.ndarray | None:
    """MEME's top motif, where MEME and the MEME output parser are at hand."""
    if shutil.which("meme") is None:
        return None
    from wtko.motifs.meme_output import read_meme_xml

    with tempfile.TemporaryDirectory() as tmp:
        fasta = Path(tmp) / "in.fa"
        write_fasta(codes, [f"s{i}" for i in range(len(codes))], fasta)
        subprocess.run(meme_command(fasta, Path(tmp) / "out", 1, minw, maxw), check=True,
                       capture_output=True)
        return read_meme_xml(Path(tmp) / "out" / "meme.xml")[0].probs


def main() -> None:
    print(f"{'motif':6} {'W':>3} {'N':>5} {'L':>4} {'frac':>4} | {'EM r':>5} {'EM W':>4} "
          f"{'consensus':16} {'sec':>5} | {'kmer r':>6} | {'MEME r':>6}", flush=True)
    for name, matrix_id in TRUTH.items():
        truth = jaspar_probs(matrix_id)
        for n, length, frac in [(300, 20, 1.0), (300, 20, 0.5), (100, 100, 1.0), (5000, 20, 0.5)]:
            codes, _ = planted(truth, n, length, frac, seed=1)
            t0 = time.perf_counter()
            found = discover_builtin(codes, minw=6, maxw=15)
            dt = time.perf_counter() - t0
            em = (recovery(found[0].probs, truth), found[0].width, found[0].consensus) if found else (np.nan, 0, "-")
            base = recovery(kmer_baseline(codes), truth)
            meme = meme_top(codes, 6, 15)
            r = (name, len(truth), n, length, frac, *em, dt, base,
                 np.nan if meme is None else recovery(meme, truth))
            print(f"{r[0]:6} {r[1]:3d} {r[2]:5d} {r[3]:4d} {r[4]:4.1f} | {r[5]:5.2f} {r[6]:4d} "
                  f"{r[7]:16} {r[8]:5.2f} | {r[9]:6.2f} | {r[10]:6.2f}", flush=True)


if __name__ == "__main__":
    main()
