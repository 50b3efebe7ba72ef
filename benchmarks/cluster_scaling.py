"""Time and peak memory of k-mer clustering (``python benchmarks/cluster_scaling.py``).

Each size runs in its own subprocess so that ``ru_maxrss`` is that size's
peak. k-mers are 20-mers from a first-order Markov background (CpG
depleted, like mammalian DNA) with two planted 10 bp motifs at offset 5, a
third of the instances carrying one mutation. Recovery: for each motif, the
share of its instances in its majority cluster and that cluster's purity.
The test suite imports ``planted_kmers`` from here.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from wtko.cluster import cluster_kmers  # noqa: E402
from wtko.encode import to_codes  # noqa: E402

MOTIFS = ("TGACTCAGCA", "CCGCGGGCGC")  # AP-1-like, GC box
# Order-1 transitions (rows: previous base A, C, G, T); C->G is depleted.
MARKOV = np.array([[0.30, 0.20, 0.28, 0.22],
                   [0.32, 0.30, 0.06, 0.32],
                   [0.26, 0.24, 0.30, 0.20],
                   [0.20, 0.22, 0.28, 0.30]])
SIZES = (5_000, 50_000, 200_000)


def planted_kmers(n: int, seed: int = 0, background: float = 0.2,
                  width: int = 20) -> tuple[np.ndarray, np.ndarray]:
    """(n, width) k-mer codes and their source: motif index, or -1 for background."""
    rng = np.random.default_rng(seed)
    kmers = np.empty((n, width), dtype=np.uint8)
    kmers[:, 0] = rng.integers(0, 4, n)
    cum = MARKOV.cumsum(axis=1)
    for j in range(1, width):
        kmers[:, j] = (rng.random(n)[:, None] > cum[kmers[:, j - 1]]).sum(axis=1)
    p_motif = (1 - background) / len(MOTIFS)
    source = rng.choice(np.arange(-1, len(MOTIFS)), size=n, p=[background] + [p_motif] * len(MOTIFS))
    for m, motif in enumerate(to_codes(list(MOTIFS))):
        rows = np.flatnonzero(source == m)
        kmers[rows, 5:5 + len(motif)] = motif
        mutate = rows[rng.random(len(rows)) < 1 / 3]
        kmers[mutate, 5 + rng.integers(0, len(motif), len(mutate))] = rng.integers(0, 4, len(mutate))
    return kmers, source


def recovery(ids: np.ndarray, source: np.ndarray) -> list[tuple[float, float]]:
    """Per motif: (share of instances in the majority cluster, its purity)."""
    out = []
    for m in range(len(MOTIFS)):
        home = np.bincount(ids[source == m]).argmax()
        out.append((float((ids[source == m] == home).mean()), float((source[ids == home] == m).mean())))
    return out


def one(n: int, n_clusters: int = 10, max_exact: int = 5000) -> None:
    """Run one size and print a result line (called in the subprocess)."""
    kmers, source = planted_kmers(n, seed=1)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    ids = cluster_kmers(kmers, n_clusters, max_exact=max_exact, seed=0)
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rec = " ".join(f"motif{m}: {share:.3f} in, purity {pur:.3f}" for m, (share, pur) in
                   enumerate(recovery(ids, source)))
    path = "exact" if n <= max_exact else "sampled"
    print(f"{n:>8,d} {path:>7} {seconds:8.2f} s  peak RSS {peak / 1024:7.0f} MiB "
          f"(+{(peak - before) / 1024:6.0f} for clustering)  full distance matrix would be "
          f"{n * (n - 1) / 2 * 8 / 2**30:7.1f} GiB  | {rec}")


def main() -> None:
    print(f"{'k-mers':>8} {'path':>7} {'time':>10}")
    for n in SIZES:
        subprocess.run([sys.executable, __file__, str(n)], check=True)


if __name__ == "__main__":
    one(int(sys.argv[1])) if len(sys.argv) > 1 else main()
