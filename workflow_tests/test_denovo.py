"""Built-in ZOOPS EM on planted JASPAR sites, and the MEME argv."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

from denovo_compare import jaspar_probs, planted, recovery  # noqa: E402
from wtko.denovo import discover_builtin, meme_command, write_fasta  # noqa: E402
from wtko.encode import to_codes  # noqa: E402


@pytest.fixture(scope="module")
def rela() -> np.ndarray:
    return jaspar_probs("MA0107.1")


@pytest.fixture(scope="module")
def spi1() -> np.ndarray:
    return jaspar_probs("MA0080.5")


@pytest.mark.parametrize("matrix_id, frac", [("MA0107.1", 0.6), ("MA0154.4", 1.0)])
def test_planted_motif_is_recovered(matrix_id, frac):
    truth = jaspar_probs(matrix_id)
    codes, carries = planted(truth, 300, 20, frac, seed=3)
    (motif,) = discover_builtin(codes, prefix="c7_m")
    assert motif.id == "c7_m1"
    assert recovery(motif.probs, truth) > 0.9
    assert abs(motif.nsites - carries.sum()) < 0.25 * carries.sum()
    assert motif.counts.shape == motif.probs.shape
    assert np.allclose(motif.counts.sum(axis=1), motif.nsites)


def test_recovery_score_can_fail(rela, spi1):
    """The metric tells two unrelated motifs apart, so the asserts above bite."""
    assert recovery(rela, rela) > 0.99
    assert recovery(spi1, rela) < 0.8


def test_background_only_finds_no_strong_motif(rela):
    codes, _ = planted(rela, 300, 20, 0.0, seed=5)
    found = discover_builtin(codes)
    assert not found or recovery(found[0].probs, rela) < 0.8


def test_deterministic_for_a_seed(rela):
    codes, _ = planted(rela, 200, 20, 0.7, seed=4)
    a, b = discover_builtin(codes, seed=11), discover_builtin(codes, seed=11)
    assert len(a) == len(b) == 1
    assert np.array_equal(a[0].probs, b[0].probs) and a[0].meta == b[0].meta


def test_reverse_strand_sites_are_recovered(rela):
    codes, _ = planted(rela, 200, 20, 0.8, seed=6, reverse=1.0)
    (motif,) = discover_builtin(codes)
    assert recovery(motif.probs, rela) > 0.9


def test_two_motifs_in_a_mixture_are_both_found(rela):
    ctcf = jaspar_probs("MA0139.1")
    a, _ = planted(rela, 150, 30, 1.0, seed=7)
    b, _ = planted(ctcf, 150, 30, 1.0, seed=8)
    found = discover_builtin(np.vstack([a, b]), nmotifs=2)
    assert [m.id for m in found] == ["m1", "m2"]
    scores = np.array([[recovery(m.probs, t) for t in (rela, ctcf)] for m in found])
    assert scores.max(axis=0).min() > 0.85
    assert scores.argmax(axis=1).tolist() in ([0, 1], [1, 0])


@pytest.mark.parametrize("codes", [
    np.zeros((0, 20), np.uint8),
    to_codes(["ACGTACGTACGTACGTACGT"]),
    to_codes(["N" * 20] * 30),
    to_codes(["ACGTA", "CCGTA"]),  # shorter than minw
])
def test_degenerate_inputs_give_no_motif(codes):
    assert discover_builtin(codes) == []


def test_all_n_rows_are_ignored(rela):
    codes, _ = planted(rela, 200, 20, 1.0, seed=9)
    (motif,) = discover_builtin(np.vstack([codes, to_codes(["N" * 20] * 50)]))
    assert recovery(motif.probs, rela) > 0.9


def test_meme_command(tmp_path):
    argv = meme_command(tmp_path / "c1.fa", tmp_path / "out", 2, 6, 15, extra=["-p", 4])
    assert argv[:2] == ["meme", str(tmp_path / "c1.fa")]
    text = " ".join(argv)
    for option in ["-dna", f"-oc {tmp_path / 'out'}", "-mod zoops", "-nmotifs 2", "-minw 6",
                   "-maxw 15", "-markov_order 0", "-nostatus", "-revcomp"]:
        assert option in text
    assert argv[-2:] == ["-p", "4"]
    assert "-revcomp" not in meme_command("x.fa", "o", 1, 6, 15, revcomp=False, mod="oops")
    assert "oops" in meme_command("x.fa", "o", 1, 6, 15, mod="oops")


def test_write_fasta_round_trip(tmp_path):
    codes = to_codes(["ACGTN", "TTGCA"])
    write_fasta(codes, ["a", "b"], tmp_path / "x.fa")
    assert (tmp_path / "x.fa").read_text() == ">a\nACGTN\n>b\nTTGCA\n"
    with pytest.raises(ValueError):
        write_fasta(codes, ["a"], tmp_path / "y.fa")
