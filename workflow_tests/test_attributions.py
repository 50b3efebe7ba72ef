"""Attributions of the WT log-odds: additivity, brute force, sign convention, failures, files."""

from __future__ import annotations

import logging

import numpy as np
import pytest
import torch
from tangermeme.deep_lift_shap import deep_lift_shap
from torch import nn

from wtko.attributions import (METHODS, TARGET, WTLogOdds, attribute, load_attributions,
                               save_attributions)
from wtko.attributions.deeplift import references
from wtko.attributions.gradients import baseline_for
from wtko.attributions.target import log_odds
from wtko.encode import one_hot
from wtko.errors import InputError
from wtko.models import build_model
from wtko.saliency import load_saliency
from wtko.train import seed_everything, train

L = 80
WT_MOTIF = np.array([2, 2, 2, 0, 0, 3, 3, 3, 1, 1], dtype=np.uint8)  # GGGAATTTCC (NF-kB-like)
KO_MOTIF = np.array([3, 2, 0, 1, 3, 1, 0], dtype=np.uint8)  # TGACTCA (AP-1)
SIGNED = [m for m in METHODS if m != "saliency"]


def planted_data(n: int = 240, seed: int = 0) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Random windows; WT ones carry WT_MOTIF, KO ones KO_MOTIF; also each motif's start."""
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, 4, (n, L)).astype(np.uint8)
    label = (np.arange(n) % 2).astype(np.uint8)
    starts = rng.integers(5, L - 15, n)
    for i in range(n):
        motif = WT_MOTIF if label[i] else KO_MOTIF
        codes[i, starts[i]:starts[i] + len(motif)] = motif
    split = np.array(["train"] * (n * 3 // 4) + ["val"] * (n // 8) + ["test"] * (n - n * 7 // 8))
    return {"codes": codes, "label": label, "split": split, "name": np.array([f"p{i}" for i in range(n)]),
            "chrom": np.full(n, "chr1")}, starts


@pytest.fixture(scope="module")
def trained():
    """A tiny WTKO-CNN trained a few epochs on planted motifs, with held-out sequences to explain."""
    data, starts = planted_data()
    cfg = dict(epochs=6, patience=10, batch_size=16, grad_accum=1, lr=1e-2, weight_decay=0.0, amp=False,
               threads=2)
    seed_everything(0, torch.device("cpu"))
    model = build_model("wtko_cnn", filters1=8, filters2=8, kernel_size=8, hidden=8, dropout=0.1)
    _, best = train(model, data, cfg, 0, torch.device("cpu"), logging.getLogger("test_attributions"))
    model.load_state_dict(best)
    test = data["split"] == "test"
    return model.eval(), one_hot(data["codes"][test]), data["label"][test], starts[test]


@pytest.fixture(scope="module")
def results(trained):
    """Every method once on 12 held-out sequences."""
    model, x, _, _ = trained
    opts = {"deeplift_shap": dict(n_shuffles=8), "integrated_gradients": dict(n_steps=32)}
    return {m: attribute(model, x[:12], m, batch_size=64, **opts.get(m, {})) for m in METHODS}


def test_model_learned_the_planted_motifs(trained):
    model, x, labels, _ = trained
    preds = attribute(model, x, "saliency")["preds"]
    assert (preds == labels).mean() >= 0.9


@pytest.mark.parametrize("method", METHODS)
def test_shapes_dtypes_and_contributions_are_hypothetical_at_observed_base(results, trained, method):
    x = trained[1][:12]
    res = results[method]
    assert res["hypothetical"].shape == res["contributions"].shape == x.shape
    assert res["hypothetical"].dtype == res["contributions"].dtype == np.float32
    assert res["profiles"].shape == (12, L) and res["profiles"].dtype == np.float32
    np.testing.assert_array_equal(res["contributions"], res["hypothetical"] * x)
    with torch.no_grad():
        logits = trained[0](torch.from_numpy(x))
    np.testing.assert_allclose(res["log_odds"], (logits[:, 1] - logits[:, 0]).numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(res["preds"], logits.argmax(1).numpy())


def test_deeplift_shap_deltas_are_tiny_and_match_tangermeme(results, trained):
    model, x, _, _ = trained
    res = results["deeplift_shap"]
    assert res["deltas"].shape == res["output_diffs"].shape == (12, 8)
    assert np.abs(res["deltas"]).max() < 1e-3 * np.abs(res["output_diffs"]).mean()
    # the per-pair multipliers reassembled here equal tangermeme's own hypothetical average
    xt = torch.from_numpy(x[:12])
    refs = references(xt, 0, 8, 0)
    expected = deep_lift_shap(WTLogOdds(model), xt, references=refs, hypothetical=True, device="cpu")
    np.testing.assert_allclose(res["hypothetical"], expected.numpy(), rtol=1e-4, atol=1e-6)
    # additivity per sequence: observed contributions sum to the mean output change over references
    np.testing.assert_allclose(res["contributions"].sum((1, 2)), res["output_diffs"].mean(1),
                               rtol=1e-3, atol=1e-5)


@pytest.mark.parametrize("baseline", ["uniform", "zeros"])
def test_integrated_gradients_completeness(trained, baseline):
    model, x, _, _ = trained
    x = x[:6].copy()
    x[0, :, :5] = 0  # N positions
    # A ReLU/max-pool network is piecewise linear along the path, so the quadrature error falls
    # only as ~1/n_steps (measured: 0.27 at 16 steps, 0.012 at 256); check completeness where it
    # has converged, and that it converges.
    coarse = attribute(model, x, "integrated_gradients", n_steps=16, baseline=baseline)
    res = attribute(model, x, "integrated_gradients", n_steps=256, baseline=baseline)
    base = baseline_for(torch.from_numpy(x), baseline)
    diff = log_odds(WTLogOdds(model).eval(), x) - log_odds(WTLogOdds(model).eval(), base)
    total = res["contributions"].sum((1, 2))
    np.testing.assert_allclose(res["output_diffs"], diff, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(res["deltas"], diff - total, rtol=1e-4, atol=1e-5)  # float32 sums
    assert np.abs(diff - total).max() < 0.005 * np.abs(diff).mean()
    assert np.abs(res["deltas"]).max() < 0.25 * np.abs(coarse["deltas"]).max()
    if baseline == "uniform":  # the hypothetical scores are centred over the four bases
        np.testing.assert_allclose(res["hypothetical"][:, :, 5:].sum(1), 0, atol=1e-5)


def test_ism_equals_brute_force_mutation(trained, results):
    model, x, _, _ = trained
    target = WTLogOdds(model).eval()
    for i in (0, 5, 11):
        mutants = np.repeat(x[i:i + 1], 4 * L, axis=0).reshape(4, L, 4, L)
        for base in range(4):
            for pos in range(L):
                mutants[base, pos, :, pos] = np.eye(4, dtype=np.float32)[base]
        effect = (log_odds(target, mutants.reshape(-1, 4, L)) - log_odds(target, x[i:i + 1])).reshape(4, L)
        np.testing.assert_allclose(results["ism"]["hypothetical"][i], effect - effect.mean(0),
                                   rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("method", SIGNED)
def test_profiles_sign_convention(results, trained, method):
    """Profiles: +contributions if predicted WT, -contributions if predicted KO; own motifs score high."""
    _, _, labels, starts = trained
    res = results[method]
    sign = np.where(res["preds"] == 1, 1, -1)
    np.testing.assert_allclose(res["profiles"], res["contributions"].sum(1) * sign[:, None], rtol=1e-6)
    assert set(res["preds"]) == {0, 1}
    for i in np.flatnonzero(res["preds"] == labels[:12]):
        width = len(WT_MOTIF if labels[i] else KO_MOTIF)
        on = np.zeros(L, bool)
        on[starts[i]:starts[i] + width] = True
        assert res["profiles"][i, on].sum() > 0
        assert res["profiles"][i, on].mean() > res["profiles"][i, ~on].mean()


def test_gradient_methods_explain_the_log_odds_and_saliency_profile_is_max_abs_gradient(results, trained):
    xt = torch.from_numpy(trained[1][:12]).requires_grad_(True)
    logits = trained[0](xt)
    (logits[:, 1] - logits[:, 0]).sum().backward()
    res = results["saliency"]
    np.testing.assert_allclose(res["hypothetical"], xt.grad.numpy(), rtol=1e-5, atol=1e-7)
    np.testing.assert_array_equal(res["profiles"], np.abs(res["hypothetical"]).max(1))
    np.testing.assert_array_equal(res["hypothetical"], results["grad_x_input"]["hypothetical"])


class InlineSquare(nn.Module):
    """A model whose nonlinearity is an inline product, which DeepLIFT silently treats as linear."""

    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.conv = nn.Conv1d(4, 3, 5)
        self.fc = nn.Linear(3, 2)

    def forward(self, x):
        h = self.conv(x)
        return self.fc((h * h).mean(-1))


def test_deeplift_shap_fails_loudly_on_large_deltas(trained):
    x = trained[1][:4]
    with pytest.raises(InputError, match=r"attribution.deeplift_shap.max_delta: DeepLIFT/SHAP convergence"):
        attribute(InlineSquare(), x, "deeplift_shap", n_shuffles=4)
    with pytest.raises(InputError, match="convergence deltas") as err:
        attribute(trained[0], x, "deeplift_shap", n_shuffles=4, max_delta=1e-12)
    assert "\n" not in str(err.value)


def test_deterministic_and_batch_size_independent(trained, results):
    model, x, _, _ = trained
    again = attribute(model, x[:12], "deeplift_shap", batch_size=64, n_shuffles=8)
    np.testing.assert_array_equal(again["hypothetical"], results["deeplift_shap"]["hypothetical"])
    small = attribute(model, x[:12], "deeplift_shap", batch_size=5, n_shuffles=8)
    np.testing.assert_allclose(small["hypothetical"], again["hypothetical"], rtol=1e-4, atol=1e-6)
    other = attribute(model, x[:12], "deeplift_shap", batch_size=64, n_shuffles=8, random_state=1)
    assert not np.allclose(other["hypothetical"], again["hypothetical"])
    for method in ("integrated_gradients", "ism", "grad_x_input"):
        opts = {"n_steps": 32} if method == "integrated_gradients" else {}
        np.testing.assert_array_equal(attribute(model, x[:12], method, batch_size=64, **opts)["hypothetical"],
                                      results[method]["hypothetical"])
        np.testing.assert_allclose(attribute(model, x[:12], method, batch_size=3, **opts)["hypothetical"],
                                   results[method]["hypothetical"], rtol=1e-4, atol=1e-6)


def test_n_positions_contribute_nothing(trained):
    model, x, _, _ = trained
    x = x[:3].copy()
    x[:, :, 10:20] = 0
    for method in SIGNED:
        opts = {"n_shuffles": 4} if method == "deeplift_shap" else {}
        res = attribute(model, x, method, **opts)
        assert (res["contributions"][:, :, 10:20] == 0).all() and np.isfinite(res["hypothetical"]).all()


def test_mean_over_models_is_mean_of_attributions_and_modes_are_kept(trained):
    model, x, _, _ = trained
    torch.manual_seed(1)
    other = build_model("wtko_cnn", filters1=8, filters2=8, kernel_size=8, hidden=8).train()
    both = attribute([model, other], x[:4], "grad_x_input")
    one, two = (attribute(m, x[:4], "grad_x_input") for m in (model, other))
    np.testing.assert_allclose(both["hypothetical"], (one["hypothetical"] + two["hypothetical"]) / 2,
                               rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(both["log_odds"], (one["log_odds"] + two["log_odds"]) / 2, rtol=1e-5)
    assert other.training and not model.training


def test_bad_method_options_and_input():
    model = build_model("wtko_cnn")
    x = one_hot(np.zeros((2, 40), dtype=np.uint8))
    with pytest.raises(ValueError, match="unknown attribution method"):
        attribute(model, x, "lime")
    with pytest.raises(ValueError, match=r"integrated_gradients takes options \['n_steps', 'baseline'\]"):
        attribute(model, x, "integrated_gradients", n_shuffles=3)
    with pytest.raises(ValueError, match="must be one-hot"):
        attribute(model, x * 0.5, "saliency")


@pytest.mark.parametrize("method", ["deeplift_shap", "saliency"])
def test_npz_round_trip_through_load_saliency(tmp_path, results, trained, method):
    res = results[method]
    names = np.array([f"seq{i}" for i in range(12)])
    labels = trained[2][:12]
    path = tmp_path / f"{method}.npz"
    save_attributions(path, res, names, labels, method)
    sal = load_saliency(path)
    assert sal["method"] == method
    np.testing.assert_array_equal(sal["profiles"], res["profiles"])
    np.testing.assert_array_equal(sal["names"], names)
    np.testing.assert_array_equal(sal["labels"], labels)
    np.testing.assert_array_equal(sal["preds"], res["preds"])
    full = load_attributions(path)
    assert full["target"] == TARGET == "wt_log_odds" and "codes" not in full
    for key in ("hypothetical", "contributions"):
        np.testing.assert_array_equal(full[key], res[key])
    assert ("deltas" in full) == (method == "deeplift_shap")
    if method == "deeplift_shap":
        np.testing.assert_array_equal(full["deltas"], res["deltas"])
