"""Agglomerative clustering of salient k-mers (paper section 3.4).

Each k-mer is one-hot encoded with N as a 5th channel (100 dims for 20 bp)
and clustered with cosine distance and average linkage. Every vector has
norm sqrt(width), so cosine distance is simply the fraction of mismatched
positions (N matching N).

Scale. Average linkage needs the full pairwise distance matrix: 200,000
k-mers would take 160 GB. Deduplicating does not rescue it, because 20-mers
from peaks are nearly all unique, and weighted average linkage on unique
k-mers has no library implementation. So:

* ``M <= max_exact`` k-mers: exact, scipy ``linkage`` on all of them, which is
  what scikit-learn's ``AgglomerativeClustering(metric="cosine",
  linkage="average")`` runs, cut the same way (undo the last merges).
* larger: a seeded uniform sample of ``max_exact`` k-mer *occurrences* is
  clustered exactly. Sampling occurrences picks each unique k-mer in
  proportion to its multiplicity, and average linkage over the duplicates in
  the sample equals weighted average linkage over its unique k-mers, so
  multiplicity is honoured without custom linkage code. Every k-mer
  (sampled ones too, so identical k-mers always agree) is then assigned to
  the cluster whose centroid is nearest by cosine. Memory is
  O(max_exact^2 + M * width); a cluster with no members after assignment is
  dropped. Clusters rarer than about 1/max_exact of the k-mers may be missed.

Cluster ids are ordered by size, largest first: 0 is the paper's "primary
discriminative cluster". Ties in size go to the cluster met first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd
from scipy.cluster.hierarchy import linkage

from .encode import ALPHABET, from_codes
from .motifs.records import Motif

N_CHANNELS = 5


def encode_kmers(kmers: np.ndarray) -> np.ndarray:
    """(M, W) codes -> (M, 5W) float one-hot, position-major, N as channel 5."""
    kmers = np.asarray(kmers)
    return np.eye(N_CHANNELS, dtype=np.float64)[kmers].reshape(len(kmers), -1)


def _cut(merges: np.ndarray, n: int, n_clusters: int) -> np.ndarray:
    """Apply the first ``n - n_clusters`` merges of a scipy linkage (union-find)."""
    parent = np.arange(2 * n - 1)

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for step in range(n - n_clusters):
        a, b = int(merges[step, 0]), int(merges[step, 1])
        parent[root(a)] = parent[root(b)] = n + step
    return np.array([root(i) for i in range(n)])


def _by_size(raw: np.ndarray) -> np.ndarray:
    """Relabel so 0 is the largest cluster; size ties keep first-seen order."""
    uniq, first, inverse, sizes = np.unique(raw, return_index=True, return_inverse=True,
                                            return_counts=True)
    order = np.lexsort((first, -sizes))
    rank = np.empty(len(uniq), dtype=np.int64)
    rank[order] = np.arange(len(uniq))
    return rank[inverse]


def _exact(kmers: np.ndarray, n_clusters: int) -> np.ndarray:
    n = len(kmers)
    if n_clusters >= n:
        return np.arange(n)
    merges = linkage(encode_kmers(kmers), method="average", metric="cosine")
    return _cut(merges, n, n_clusters)


def assign_to_centroids(kmers: np.ndarray, centroids: np.ndarray, chunk: int = 20_000) -> np.ndarray:
    """Index of the nearest (cosine) of (K, 5W) ``centroids`` for each k-mer.

    k-mer norms are all equal, so nearest = largest dot product with the
    unit-normalised centroid; chunks keep the one-hot copy small.
    """
    unit = centroids / np.linalg.norm(centroids, axis=1, keepdims=True)
    out = np.empty(len(kmers), dtype=np.int64)
    for start in range(0, len(kmers), chunk):
        block = encode_kmers(kmers[start:start + chunk])
        out[start:start + len(block)] = (block @ unit.T).argmax(axis=1)
    return out


def cluster_kmers(kmers: np.ndarray, n_clusters: int, max_exact: int = 5000, seed: int = 0) -> np.ndarray:
    """(M, W) k-mer codes -> (M,) cluster ids, 0 = largest (see module doc).

    ``n_clusters`` is capped at the number of k-mers.
    """
    kmers = np.asarray(kmers)
    if n_clusters < 1:
        raise ValueError(f"n_clusters must be >= 1, got {n_clusters}")
    m = len(kmers)
    if m == 0:
        return np.zeros(0, dtype=np.int64)
    if m <= max_exact:
        return _by_size(_exact(kmers, n_clusters))
    sample = np.sort(np.random.default_rng(seed).choice(m, size=max_exact, replace=False))
    sub = kmers[sample]
    sub_ids = _exact(sub, n_clusters)
    onehot = encode_kmers(sub)
    groups = np.unique(sub_ids)
    centroids = np.stack([onehot[sub_ids == g].mean(axis=0) for g in groups])
    return _by_size(assign_to_centroids(kmers, centroids))


def cluster_matrices(kmers: np.ndarray, cluster_ids: np.ndarray) -> dict[int, np.ndarray]:
    """Cluster id -> (W, 4) A/C/G/T counts of its k-mers (N not counted)."""
    kmers = np.asarray(kmers)
    out = {}
    for c in np.unique(cluster_ids):
        members = kmers[cluster_ids == c]
        counts = np.stack([(members == b).sum(axis=0) for b in range(4)], axis=1)
        out[int(c)] = counts.astype(np.int64)
    return out


def frequencies(counts: np.ndarray) -> np.ndarray:
    """Row-normalise counts; a column with no A/C/G/T (all N) becomes uniform."""
    c = np.asarray(counts, dtype=float)
    totals = c.sum(axis=1, keepdims=True)
    return np.divide(c, totals, out=np.full_like(c, 0.25), where=totals > 0)


def _consensus(counts: np.ndarray) -> str:
    """Most frequent base per position, ties to the first of A, C, G, T; N if none."""
    return "".join(ALPHABET[row.argmax()] if row.sum() else "N" for row in counts)


def cluster_summary(kmers: np.ndarray, labels: np.ndarray, cluster_ids: np.ndarray,
                    min_size: int = 10) -> pd.DataFrame:
    """Per cluster: size, consensus, WT/KO share by true label, primary, denovo.

    ``denovo`` marks clusters of at least ``min_size`` k-mers, the ones worth
    reporting as de-novo motifs; ``primary`` is cluster 0 (the largest).
    """
    labels = np.asarray(labels)
    cluster_ids = np.asarray(cluster_ids)
    rows = []
    for c, counts in cluster_matrices(kmers, cluster_ids).items():
        member_labels = labels[cluster_ids == c]
        size = len(member_labels)
        wt = float((member_labels == 1).mean())
        rows.append({"cluster": c, "size": size, "consensus": _consensus(counts),
                     "wt_share": wt, "ko_share": 1.0 - wt, "primary": c == 0,
                     "denovo": size >= min_size})
    return pd.DataFrame(rows, columns=["cluster", "size", "consensus", "wt_share", "ko_share",
                                       "primary", "denovo"])


def cluster_motifs(matrices: dict[int, np.ndarray], min_size: int = 10) -> list[Motif]:
    """Clusters of at least ``min_size`` k-mers as :class:`Motif` records (for TOMTOM)."""
    motifs = []
    for c, counts in matrices.items():
        size = int(counts.sum(axis=1).max())
        if size >= min_size:
            motifs.append(Motif.from_counts(f"cluster{c}", counts, name=_consensus(counts),
                                            nsites=size, source="kmer_cluster"))
    return motifs


def write_matrices(matrices: dict[int, np.ndarray], counts_path: str | Path,
                   freqs_path: str | Path) -> None:
    """Counts and frequencies as long TSVs: cluster, position (1-based), A, C, G, T."""
    def table(kind) -> pd.DataFrame:
        parts = []
        for c, counts in matrices.items():
            df = pd.DataFrame(kind(counts), columns=list(ALPHABET))
            df.insert(0, "position", np.arange(1, len(df) + 1))
            df.insert(0, "cluster", c)
            parts.append(df)
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
            columns=["cluster", "position", *ALPHABET])

    table(lambda c: c).to_csv(counts_path, sep="\t", index=False)
    table(frequencies).to_csv(freqs_path, sep="\t", index=False, float_format="%.6g")


def write_cluster_fastas(out_dir: str | Path, kmers: np.ndarray, cluster_ids: np.ndarray,
                         ids: Sequence[str]) -> list[Path]:
    """One FASTA per cluster, ``cluster_<c>.fa``, records named by ``ids``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    seqs = np.asarray(from_codes(np.asarray(kmers)), dtype=object)
    ids = np.asarray(ids, dtype=object)
    paths = []
    for c in np.unique(cluster_ids):
        mask = cluster_ids == c
        path = out_dir / f"cluster_{int(c)}.fa"
        path.write_text("".join(f">{i}\n{s}\n" for i, s in zip(ids[mask], seqs[mask])))
        paths.append(path)
    return paths
