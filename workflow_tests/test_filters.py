"""First-layer filter motifs: consensus, activation PFMs, recurrence across seeds, direction."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from wtko.encode import one_hot, to_codes
from wtko.filters import (activation_pfms, class_direction, filter_motifs, first_conv, network_activation,
                          recurrence, weight_consensus)
from wtko.models.wtko_cnn import WTKOCNN
from wtko.motifs.records import Motif

KMER = "GGGAATTTCC"


def _model_with_kmer_filter(n_filters: int = 4) -> nn.Sequential:
    """Conv1d(4, F, 10) + BN + ReLU; filter 0 scores +2 per matching base, -1 per mismatch;
    filter 1 can never fire (all weights and bias negative)."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv1d(4, n_filters, 10, padding=4), nn.BatchNorm1d(n_filters), nn.ReLU())
    conv = model[0]
    with torch.no_grad():
        conv.weight[0] = torch.from_numpy(3 * one_hot(to_codes([KMER]))[0] - 1)
        conv.bias[0] = 0
        conv.weight[1] = -1
        conv.bias[1] = -1
    return model


def _data(n: int = 200, length: int = 100, plant_every: int = 2, seed: int = 0):
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, 4, size=(n, length)).astype(np.uint8)
    planted = np.arange(n) % plant_every == 0
    site = to_codes([KMER])[0]
    for i in np.flatnonzero(planted):
        pos = rng.integers(0, length - 10)
        codes[i, pos:pos + 10] = site
    return codes, planted


def test_first_conv_and_weight_consensus():
    model = _model_with_kmer_filter()
    conv = first_conv(model)
    assert conv is model[0]
    assert weight_consensus(conv)[0] == KMER and len(weight_consensus(conv)) == 4


def test_activation_pfm_recovers_planted_kmer():
    conv = first_conv(_model_with_kmer_filter())
    codes, planted = _data()
    x = one_hot(codes)
    pfms = activation_pfms(conv, x, threshold_frac=0.5, batch_size=64)
    assert len(pfms) == 4 and pfms[0].shape == (10, 4)
    # Every planted copy scores the maximum 20 and passes; random 10-mers pass
    # only with at least 7 matching bases.
    assert pfms[0][0].sum() >= planted.sum()
    motif = Motif.from_counts("f0", pfms[0])
    assert motif.consensus == KMER
    # Batch size changes nothing.
    np.testing.assert_array_equal(activation_pfms(conv, x, batch_size=7)[0], pfms[0])


def test_filter_motifs_reports_filters_without_sites():
    conv = first_conv(_model_with_kmer_filter())
    codes, _ = _data(n=40)
    motifs = filter_motifs(3, conv, one_hot(codes))
    assert [m.id for m in motifs] == ["seed3_f0", "seed3_f1", "seed3_f2", "seed3_f3"]
    assert motifs[0].meta["consensus"] == KMER and motifs[0].meta["n_sites"] >= 20
    dead = motifs[1]
    assert dead.meta["n_sites"] == 0 and np.allclose(dead.probs, 0.25)


def test_class_direction_follows_planted_class():
    conv = first_conv(_model_with_kmer_filter())
    codes, planted = _data()
    labels = planted.astype(int)  # planted sequences are WT (1)
    df = class_direction(conv, one_hot(codes), labels)
    assert df.loc[0, "direction"] == "WT" and df.loc[0, "mean_max_wt"] == pytest.approx(20)
    assert df.loc[0, "mean_max_wt"] > df.loc[0, "mean_max_ko"] + 5
    assert df.loc[0, "p_value"] < 1e-20
    # Reversing the labels reverses the call.
    assert class_direction(conv, one_hot(codes), 1 - labels).loc[0, "direction"] == "KO"


def _kmer_motif(id: str, kmer: str, seed: int, j: int, rng, sites: int = 200, noise: int = 10) -> Motif:
    counts = one_hot(to_codes([kmer]))[0].T * sites + rng.integers(0, noise, size=(len(kmer), 4))
    return Motif.from_counts(id, counts, meta={"consensus": kmer, "n_sites": int(counts[0].sum()),
                                               "seed": seed, "filter": j})


def _fillers(by_seed: dict[int, list[Motif]], n: int = 30) -> None:
    """30 seed-specific random filters dealt round-robin, so TOMTOM has a realistic pool.

    Random 10-bp PFMs match each other at TOMTOM q < 0.05 surprisingly often
    (in 8 of 10 random pools of 30); this generator seed gives a pool without
    such chance pairs, so the test is about the planted motifs only.
    """
    rng = np.random.default_rng(8)
    seeds = sorted(by_seed)
    for j in range(n):
        s = seeds[j % len(seeds)]
        by_seed[s].append(Motif.from_counts(f"seed{s}_f{10 + j}", rng.dirichlet(np.full(4, 0.3), size=10) * 100,
                                            meta={"n_sites": 100, "seed": s, "filter": 10 + j}))


def test_recurrence_keeps_motif_in_three_of_five_seeds():
    rng = np.random.default_rng(0)
    shared = "GGGAATTTCCAC"   # in seeds 0, 1, 2 (shifted in seed 2), twice in seed 0
    lonely = "CACGTGACGTCA"   # only in seed 3
    by_seed = {s: [] for s in range(5)}
    by_seed[0] += [_kmer_motif("seed0_f0", shared, 0, 0, rng, sites=300),
                   _kmer_motif("seed0_f1", shared, 0, 1, rng, sites=100)]
    by_seed[1].append(_kmer_motif("seed1_f0", shared, 1, 0, rng))
    by_seed[2].append(_kmer_motif("seed2_f0", "TA" + shared[:-2], 2, 0, rng))
    by_seed[3].append(_kmer_motif("seed3_f0", lonely, 3, 0, rng))
    by_seed[4].append(_kmer_motif("seed4_f0", "TTTTGGGGTATA", 4, 0, rng))
    by_seed[4].append(Motif.from_counts("seed4_f1", np.zeros((12, 4)),
                                        meta={"consensus": "A" * 12, "n_sites": 0, "seed": 4, "filter": 1}))
    _fillers(by_seed)
    df = recurrence(by_seed, min_seeds=3)
    assert set(df.motif_id) == {"seed0_f0", "seed0_f1", "seed1_f0", "seed2_f0"}
    assert (df.n_seeds == 3).all()
    assert df.group.nunique() == 1
    rep = df[df.representative]
    assert list(rep.motif_id) == ["seed0_f0"]  # most sites
    assert set(rep.matches.iloc[0].split(",")) == {"seed0_f1", "seed1_f0", "seed2_f0"}
    assert recurrence(by_seed, min_seeds=4).empty


def test_recurrence_identical_consensus_counts_as_match():
    """Unrelated PFMs still match when their weight consensus is identical (on either strand)."""
    rng = np.random.default_rng(1)
    rc = KMER[::-1].translate(str.maketrans("ACGT", "TGCA"))
    pfm_kmers = ["ACGTACGTAC", "TTGACCATGA", "CAGGTCTAGC", "GATCCGATTG"]
    by_seed = {s: [_kmer_motif(f"seed{s}_f0", k, s, 0, rng)] for s, k in enumerate(pfm_kmers)}
    for s, cons in zip(range(4), [KMER, rc, "AAAAACCCCC", "GGGGGTTTTT"]):
        by_seed[s][0].meta["consensus"] = cons
    _fillers(by_seed)
    df = recurrence(by_seed, min_seeds=2)
    assert set(df.motif_id) == {"seed0_f0", "seed1_f0", "seed2_f0", "seed3_f0"}
    assert df.groupby("group").size().tolist() == [2, 2]


def test_conv2d_layout_reads_like_conv1d():
    """WTKO-CNN's first layer is a Conv2d with (1, k) kernels: same filters, same PFMs."""
    conv1 = first_conv(_model_with_kmer_filter())
    conv2 = nn.Conv2d(4, 4, (1, 10))
    with torch.no_grad():
        conv2.weight.copy_(conv1.weight[:, :, None, :])
        conv2.bias.copy_(conv1.bias)
    assert first_conv(nn.Sequential(conv2, nn.ReLU())) is conv2
    codes, _ = _data(n=60)
    x = one_hot(codes)
    assert weight_consensus(conv2) == weight_consensus(conv1)
    for a, b in zip(activation_pfms(conv2, x), activation_pfms(conv1, x)):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match=r"\(1, k\)"):
        weight_consensus(nn.Conv2d(4, 2, (2, 10)))


def test_informative_drops_flat_and_empty_filters():
    from wtko.filters import information, informative

    sharp = Motif.from_counts("a", np.eye(4)[[0, 1, 2, 3, 0, 1]] * 20)
    sharp.meta["n_sites"] = 20
    flat = Motif.from_counts("b", np.full((6, 4), 5.0))
    flat.meta["n_sites"] = 20
    empty = Motif.from_counts("c", np.eye(4)[[0, 1, 2, 3, 0, 1]] * 20)
    empty.meta["n_sites"] = 0
    assert information(sharp.probs) == pytest.approx(2.0, abs=1e-6)
    assert information(flat.probs) == pytest.approx(0.0, abs=1e-6)
    assert [m.id for m in informative([sharp, flat, empty], 0.5)] == ["a"]


def _wtko_cnn_with_kmer_filter(scale: float) -> WTKOCNN:
    """WTKO-CNN whose filter 0 is the k-mer scorer, with BatchNorm scale ``scale`` on it."""
    torch.manual_seed(0)
    model = WTKOCNN().eval()
    with torch.no_grad():
        model.conv1.weight[0, :, 0] = torch.from_numpy(3 * one_hot(to_codes([KMER]))[0] - 1)
        model.conv1.bias[0] = 0
        model.bn1.running_mean.uniform_(-1, 1)
        model.bn1.running_var.uniform_(0.5, 2)
        model.bn1.weight[0], model.bn1.bias[0] = scale, 0.5
    return model


def test_filter_activation_is_what_the_network_passes_on():
    model = _wtko_cnn_with_kmer_filter(scale=-2.0)
    x = torch.from_numpy(one_hot(_data(n=8)[0]))
    seen = {}
    model.relu1.register_forward_hook(lambda _m, _i, out: seen.update(out=out.squeeze(2)))
    model(x)
    z = torch.nn.functional.conv1d(x, model.conv1.weight[:, :, 0], model.conv1.bias, padding=0)
    # WTKO-CNN's conv1 has no padding either, so positions line up one to one.
    torch.testing.assert_close(model.filter_activation(z), seen["out"])
    assert network_activation(model) == model.filter_activation
    assert network_activation(_model_with_kmer_filter()) is None


def test_filter_pfm_follows_the_batchnorm_sign():
    """With a negative BatchNorm scale the network fires on the k-mer's worst matches; so must the PFM."""
    codes, _ = _data()
    for scale, expect_kmer in ((1.0, True), (-1.0, False)):
        model = _wtko_cnn_with_kmer_filter(scale)
        motif = filter_motifs(1, first_conv(model), one_hot(codes),
                              activation=network_activation(model))[0]
        assert (motif.consensus == KMER) == expect_kmer
        if not expect_kmer:  # no position's most frequent base is the k-mer's
            assert all(c != k for c, k in zip(motif.consensus, KMER))
