"""Saliency: gradients of the predicted logit, batched, and stored."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from wtko.encode import one_hot
from wtko.plots.saliency import choose_examples, plot_saliency_maps
from wtko.saliency import (input_gradients, load_saliency, mean_over_models, reduce_gradients,
                           save_saliency, saliency)

L = 12


def linear_model(seed: int = 0) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Flatten(), nn.Linear(4 * L, 2))


def small_cnn(seed: int = 0) -> nn.Module:
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Conv1d(4, 8, 5, padding=2), nn.BatchNorm1d(8), nn.ReLU(),
                          nn.Dropout(0.5), nn.AdaptiveMaxPool1d(1), nn.Flatten(), nn.Linear(8, 2))
    model.train()
    model(torch.randn(16, 4, L))  # move BatchNorm running stats off their defaults
    return model


@pytest.fixture
def x() -> np.ndarray:
    codes = np.random.default_rng(0).integers(0, 5, size=(20, L)).astype(np.uint8)
    return one_hot(codes)


def test_linear_model_gradient_is_weight_row_of_predicted_class(x):
    model = linear_model()
    weights = model[1].weight.detach().numpy().reshape(2, 4, L)
    grads, preds = input_gradients(model, x)
    with torch.no_grad():
        expected_pred = model(torch.from_numpy(x)).argmax(1).numpy()
    np.testing.assert_array_equal(preds, expected_pred)
    np.testing.assert_allclose(grads, weights[preds], rtol=1e-6)
    np.testing.assert_allclose(saliency(model, x), np.abs(weights[preds]).max(axis=1), rtol=1e-6)


def test_saliency_matches_finite_differences(x):
    model = small_cnn()
    grads, preds = input_gradients(model, x)
    model = model.double().eval()
    xd = torch.from_numpy(x.astype(np.float64))
    eps = 1e-6
    i, c, pos = 3, 2, 5
    bumped = xd.clone()
    bumped[i, c, pos] += eps
    with torch.no_grad():
        fd = (model(bumped)[i, preds[i]] - model(xd)[i, preds[i]]).item() / eps
    assert grads[i, c, pos] == pytest.approx(fd, rel=1e-3, abs=1e-5)


def test_batched_equals_per_sequence_and_keeps_train_mode(x):
    model = small_cnn()
    batched = saliency(model, x, batch_size=7)
    single = np.concatenate([saliency(model, x[i:i + 1], batch_size=1) for i in range(len(x))])
    np.testing.assert_allclose(batched, single, rtol=1e-5, atol=1e-7)
    assert model.training


def test_grad_x_input_is_gradient_at_observed_base(x):
    model = small_cnn()
    grads, _ = input_gradients(model, x)
    gxi = saliency(model, x, method="grad_x_input")
    codes = np.where(x.sum(1) > 0, x.argmax(1), 4)
    for i, pos in [(0, 0), (4, 7), (19, 11)]:
        expected = 0.0 if codes[i, pos] == 4 else grads[i, codes[i, pos], pos]
        assert gxi[i, pos] == pytest.approx(expected)
    assert (gxi[x.sum(1) == 0] == 0).all()
    with pytest.raises(ValueError, match="unknown saliency method"):
        reduce_gradients(grads, x, "bogus")


def test_mean_over_models(x):
    models = [small_cnn(s) for s in (1, 2, 3)]
    mean, votes = mean_over_models(models, x)
    np.testing.assert_allclose(mean, np.mean([saliency(m, x) for m in models], axis=0), rtol=1e-5)
    preds = np.stack([input_gradients(m, x)[1] for m in models])
    np.testing.assert_array_equal(votes, (preds.sum(0) >= 2).astype(int))


def test_save_and_load_round_trip(tmp_path, x):
    profiles = saliency(linear_model(), x)
    names = [f"peak{i}" for i in range(len(x))]
    labels = np.arange(len(x)) % 2
    save_saliency(tmp_path / "s.npz", profiles, names, labels, 1 - labels, "saliency")
    back = load_saliency(tmp_path / "s.npz")
    np.testing.assert_array_equal(back["profiles"], profiles)
    assert list(back["names"]) == names and back["method"] == "saliency"
    np.testing.assert_array_equal(back["preds"], 1 - labels)


def test_saliency_maps_choose_clearest_correct_examples(tmp_path):
    rng = np.random.default_rng(3)
    codes = rng.integers(0, 5, size=(6, 40)).astype(np.uint8)
    profiles = rng.random((6, 40)).astype(np.float32)
    profiles[[0, 3, 4], 10] = [5.0, 4.0, 9.0]
    labels = np.array([1, 1, 1, 0, 0, 0])
    preds = np.array([1, 1, 0, 0, 1, 0])  # 2 and 4 are wrong
    assert choose_examples(profiles, labels, preds)[:1] == [0]
    assert choose_examples(profiles, labels, preds)[2] == 3
    assert 4 not in choose_examples(profiles, labels, preds)
    assert 4 in choose_examples(profiles, labels)
    paths = plot_saliency_maps(profiles, codes, [f"p{i}" for i in range(6)], labels,
                               tmp_path / "maps", preds=preds)
    assert [p.name for p in paths] == ["maps.png", "maps.svg"] and all(p.stat().st_size for p in paths)
