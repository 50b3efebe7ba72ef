"""Controls: canonical k-mer spectra, the k-mer logistic regression, shuffled labels."""

from __future__ import annotations

import logging

import numpy as np
import pytest
import torch

from test_train import cfg, make_data
from wtko.controls import (canonical_index, chance_flag, fit_kmer_lr, kmer_spectrum,
                           permute_labels)
from wtko.data import subset
from wtko.encode import to_codes
from wtko.metrics import classification_metrics
from wtko.models import build_model
from wtko.train import predict_proba, seed_everything, train

CPU = torch.device("cpu")
COMPLEMENT = str.maketrans("ACGTN", "TGCAN")


def revcomp(seq: str) -> str:
    return seq.translate(COMPLEMENT)[::-1]


def test_canonical_columns():
    assert canonical_index(1)[1] == 2 and canonical_index(2)[1] == 10 and canonical_index(6)[1] == 2080
    column, _ = canonical_index(2)
    idx = {a + b: 4 * "ACGT".index(a) + "ACGT".index(b) for a in "ACGT" for b in "ACGT"}
    assert column[idx["AC"]] == column[idx["GT"]] and column[idx["AC"]] != column[idx["CA"]]


def test_spectrum_is_strand_symmetric_and_skips_n():
    rng = np.random.default_rng(0)
    seqs = ["".join(rng.choice(list("ACGT"), 50)) for _ in range(3)]
    fwd = kmer_spectrum(to_codes(seqs), 4)
    rev = kmer_spectrum(to_codes([revcomp(s) for s in seqs]), 4)
    np.testing.assert_allclose(fwd, rev)
    np.testing.assert_allclose(fwd.sum(1), 1, rtol=1e-6)
    counts = kmer_spectrum(to_codes(["ACGTNACGTA", "NNNNNNNNNN"]), 3)
    column, _ = canonical_index(3)
    assert counts[1].sum() == 0
    # ACG CGT (before N), ACG CGT GTA after: 5 k-mers, ACG and CGT are one canonical pair
    assert counts[0, column[0 * 16 + 1 * 4 + 2]] == pytest.approx(4 / 5)


def test_chunks_give_the_same_spectrum(monkeypatch):
    codes = make_data(30, length=40)["codes"]
    whole = kmer_spectrum(codes, 3)
    monkeypatch.setattr("wtko.controls.CHUNK", 7)
    np.testing.assert_array_equal(kmer_spectrum(codes, 3), whole)


def toy(n: int = 2000, length: int = 100) -> dict[str, np.ndarray]:
    """Planted 10-mer in every WT window; 60/20/20 split, so 400 test windows."""
    return make_data(n, length=length, seed=5, planted=True)


def test_kmer_lr_beats_chance_on_planted_motifs_and_tunes_on_validation():
    data = toy()
    parts = {s: subset(data, s) for s in ("train", "val", "test")}
    x = {s: kmer_spectrum(p["codes"], 6) for s, p in parts.items()}
    p_test, c, tuning = fit_kmer_lr(x, {s: p["label"] for s, p in parts.items()}, [0.01, 1.0, 0.1])
    assert tuning["C"].tolist() == [0.01, 0.1, 1.0]
    assert c == tuning.loc[tuning["val_log_loss"].idxmin(), "C"]
    metrics = classification_metrics(parts["test"]["label"], p_test)
    assert metrics["n_test"] == 400 and metrics["accuracy"] > 0.8 and metrics["roc_auc"] > 0.9


def test_permute_labels_touches_the_training_split_only():
    data = make_data(100)
    shuffled = permute_labels(data["label"], data["split"], seed=3)
    train = data["split"] == "train"
    np.testing.assert_array_equal(shuffled[~train], data["label"][~train])
    assert sorted(shuffled[train]) == sorted(data["label"][train])
    assert (shuffled[train] != data["label"][train]).any()
    np.testing.assert_array_equal(shuffled, permute_labels(data["label"], data["split"], seed=3))


def test_chance_flag():
    assert chance_flag(0.52, 0.07) == "" and chance_flag(0.43, 0.07) == ""
    assert chance_flag(0.60, 0.07).startswith("WARNING") and "0.600" in chance_flag(0.60, 0.07)


@pytest.mark.parametrize("shuffle", [True, False])
def test_shuffled_control_lands_at_chance_while_true_labels_learn(shuffle):
    data = toy()
    if shuffle:
        data = {**data, "label": permute_labels(data["label"], data["split"], seed=1)}
    seed_everything(1, CPU)
    model = build_model("wtko_cnn", filters1=16, filters2=16, kernel_size=8, hidden=16)
    train(model, data, cfg(epochs=4, batch_size=32, grad_accum=1, lr=3e-3), 1, CPU,
          logging.getLogger("t"))
    test = subset(data, "test")
    accuracy = classification_metrics(test["label"], predict_proba(model, test["codes"], CPU))["accuracy"]
    if shuffle:
        assert abs(accuracy - 0.5) <= 0.07
    else:
        assert accuracy > 0.9
