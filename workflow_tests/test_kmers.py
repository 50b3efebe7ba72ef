"""Top salient positions and the k-mers around them."""

from __future__ import annotations

import numpy as np
import pytest

from wtko.encode import from_codes, to_codes
from wtko.kmers import extract_kmers, kmer_table, top_positions


def test_top_positions_paper_rule_takes_adjacent_peaks():
    profile = np.array([[0.1, 0.9, 0.8, 0.7, 0.0, 0.5, 0.0, 0.0]])
    np.testing.assert_array_equal(top_positions(profile, k=3), [[1, 2, 3]])


def test_top_positions_min_separation_is_greedy():
    profile = np.array([[0.1, 0.9, 0.8, 0.7, 0.0, 0.5, 0.0, 0.0],
                        [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0]])
    got = top_positions(profile, k=3, min_separation=2)
    np.testing.assert_array_equal(got[0], [1, 3, 5])
    assert (np.abs(np.diff(np.sort(got[1]))) >= 2).all()
    with pytest.raises(ValueError, match="cannot pick"):
        top_positions(profile, k=5, min_separation=3)


def test_top_positions_ties_go_to_lower_position():
    np.testing.assert_array_equal(top_positions(np.ones((1, 6)), k=2), [[0, 1]])


def test_extract_kmers_centres_and_pads_with_n():
    seq = "ACGTACGTAC"
    codes = to_codes([seq])
    kmers, n_padded = extract_kmers(codes, np.array([[5, 0, 9]]), width=4)
    assert kmers.shape == (3, 4)
    # width 4: window p-2 .. p+1
    assert from_codes(kmers) == ["TACG", "NNAC", "TACN"]
    assert n_padded == 2


def test_extract_kmers_width_20_window():
    codes = to_codes(["".join("ACGT"[i % 4] for i in range(50))])
    kmers, n_padded = extract_kmers(codes, np.array([[25]]))
    np.testing.assert_array_equal(kmers[0], codes[0, 15:35])
    assert n_padded == 0


def test_kmer_table_one_row_per_kmer():
    codes = to_codes(["ACGTACGT", "TTTTGGGG"])
    positions = np.array([[1, 2], [6, 0]])
    kmers, _ = extract_kmers(codes, positions, width=2)
    table = kmer_table(["a", "b"], np.array([1, 0]), np.array([1, 1]), positions,
                       np.array([[0.5, 0.4], [0.9, 0.1]]), kmers)
    assert list(table.columns) == ["name", "label", "pred", "position", "saliency", "kmer"]
    assert table["name"].tolist() == ["a", "a", "b", "b"]
    assert table["label"].tolist() == [1, 1, 0, 0]
    assert table["kmer"].tolist() == ["AC", "CG", "GG", "NT"]
    assert table["saliency"].tolist() == [0.5, 0.4, 0.9, 0.1]
