"""Clustering salient k-mers: exact path, sampled path, summaries and writers."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest
from sklearn.cluster import AgglomerativeClustering

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

from cluster_scaling import planted_kmers, recovery  # noqa: E402
from wtko.cluster import (cluster_kmers, cluster_matrices, cluster_motifs,  # noqa: E402
                          cluster_summary, encode_kmers, frequencies, write_cluster_fastas,
                          write_matrices)
from wtko.encode import to_codes  # noqa: E402
from wtko.plots.logos import plot_logo  # noqa: E402


def same_partition(a: np.ndarray, b: np.ndarray) -> bool:
    pairs = set(zip(a.tolist(), b.tolist()))
    return len(pairs) == len(set(a.tolist())) == len(set(b.tolist()))


def test_encoding_makes_cosine_distance_the_mismatch_fraction():
    x = encode_kmers(to_codes(["ACGTN", "ACGAN"]))
    assert x.shape == (2, 25)
    cos = x[0] @ x[1] / np.linalg.norm(x[0]) / np.linalg.norm(x[1])
    assert 1 - cos == pytest.approx(1 / 5)


def test_exact_path_equals_sklearn_average_cosine():
    kmers, _ = planted_kmers(400, seed=1)
    kmers = np.vstack([kmers, kmers[:50]])  # duplicates and ties
    kmers[-3:, :4] = 4  # edge padding
    for n_clusters in (2, 5, 12):
        ours = cluster_kmers(kmers, n_clusters, max_exact=1000)
        ref = AgglomerativeClustering(n_clusters=n_clusters, metric="cosine",
                                      linkage="average").fit_predict(encode_kmers(kmers))
        assert same_partition(ours, ref)
        sizes = np.bincount(ours)
        assert len(sizes) == n_clusters and (np.diff(sizes) <= 0).all()


def test_sampled_path_is_deterministic_and_recovers_planted_motifs():
    kmers, source = planted_kmers(30_000, seed=2)
    ids = cluster_kmers(kmers, n_clusters=4, max_exact=2000, seed=0)
    np.testing.assert_array_equal(ids, cluster_kmers(kmers, n_clusters=4, max_exact=2000, seed=0))
    for share, purity in recovery(ids, source):
        assert share > 0.9 and purity > 0.9
    homes = [np.bincount(ids[source == m]).argmax() for m in (0, 1)]
    assert homes[0] != homes[1]


def test_small_inputs():
    assert cluster_kmers(np.zeros((0, 20), np.uint8), 3).shape == (0,)
    np.testing.assert_array_equal(cluster_kmers(to_codes(["AC"]), 3), [0])
    np.testing.assert_array_equal(np.sort(cluster_kmers(to_codes(["AA", "CC", "GG"]), 5)), [0, 1, 2])


@pytest.fixture
def example():
    kmers = to_codes(["ACGT", "ACGA", "ACCT", "TTTT", "TTTN"])
    labels = np.array([1, 1, 0, 0, 1])
    ids = np.array([0, 0, 0, 1, 1])
    return kmers, labels, ids


def test_summary_shares_consensus_and_flags(example):
    kmers, labels, ids = example
    s = cluster_summary(kmers, labels, ids, min_size=3)
    assert s["cluster"].tolist() == [0, 1]
    assert s["size"].tolist() == [3, 2]
    assert s["consensus"].tolist() == ["ACGT", "TTTT"]
    assert s["wt_share"].tolist() == pytest.approx([2 / 3, 0.5])
    assert s["ko_share"].tolist() == pytest.approx([1 / 3, 0.5])
    assert s["primary"].tolist() == [True, False]
    assert s["denovo"].tolist() == [True, False]


def test_matrices_motifs_and_writers(tmp_path, example):
    kmers, _, ids = example
    mats = cluster_matrices(kmers, ids)
    np.testing.assert_array_equal(mats[0], [[3, 0, 0, 0], [0, 3, 0, 0], [0, 1, 2, 0], [1, 0, 0, 2]])
    np.testing.assert_array_equal(mats[1][3], [0, 0, 0, 1])  # N not counted
    np.testing.assert_allclose(frequencies(mats[1])[3], [0, 0, 0, 1])
    motifs = cluster_motifs(mats, min_size=3)
    assert [m.id for m in motifs] == ["cluster0"] and motifs[0].nsites == 3
    write_matrices(mats, tmp_path / "counts.tsv", tmp_path / "freqs.tsv")
    counts = pd.read_csv(tmp_path / "counts.tsv", sep="\t")
    assert list(counts.columns) == ["cluster", "position", "A", "C", "G", "T"] and len(counts) == 8
    freqs = pd.read_csv(tmp_path / "freqs.tsv", sep="\t")
    np.testing.assert_allclose(freqs[["A", "C", "G", "T"]].sum(axis=1), 1.0)
    paths = write_cluster_fastas(tmp_path / "fa", kmers, ids, [f"k{i}" for i in range(5)])
    assert [p.name for p in paths] == ["cluster_0.fa", "cluster_1.fa"]
    assert paths[1].read_text() == ">k3\nTTTT\n>k4\nTTTN\n"


def test_logo_files_written(tmp_path, example):
    kmers, _, ids = example
    paths = plot_logo(cluster_matrices(kmers, ids)[0], tmp_path / "logos" / "cluster0", "cluster 0")
    assert [p.suffix for p in paths] == [".png", ".svg"]
    assert all(p.stat().st_size > 1000 for p in paths)
