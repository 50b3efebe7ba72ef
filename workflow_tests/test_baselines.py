"""Baseline architectures: shapes, checkpoints, the shared training loop, temporal scores."""

from __future__ import annotations

import logging
import runpy
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import torch

from test_train import cfg, make_data
from wtko.data import one_hot_batch
from wtko.models import MODELS, build_model, load_model, save_model
from wtko.train import seed_everything, train

BASELINES = ["cnn4", "cnn_lstm", "transformer", "cnn_transformer"]
SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"
CPU = torch.device("cpu")


def _batch(n: int = 3, length: int = 600, seed: int = 0) -> torch.Tensor:
    return one_hot_batch(torch.randint(0, 5, (n, length), generator=torch.Generator().manual_seed(seed)))


@pytest.mark.parametrize("name", BASELINES)
@pytest.mark.parametrize("length", [600, 200])
def test_logits_shape_and_checkpoint_round_trip(name, length, tmp_path):
    torch.manual_seed(0)
    model = build_model(name).eval()
    logits = model(_batch(length=length))
    assert logits.shape == (3, 2) and torch.isfinite(logits).all()
    save_model(tmp_path / "m.pt", model, name)
    loaded, ckpt = load_model(tmp_path / "m.pt")
    assert ckpt["model_name"] == name and type(loaded) is MODELS[name]
    torch.testing.assert_close(loaded(_batch(length=length)), logits)


def test_sizes_come_from_config_kwargs():
    small = build_model("transformer", d_model=16, n_heads=2, n_layers=1, patch=1)
    assert small.config["d_model"] == 16 and len(small.encoder.layers) == 1
    assert small.eval()(_batch(length=50)).shape == (3, 2)
    cnn = build_model("cnn4", channels=[8, 8, 8, 8])
    assert cnn.stem.out_channels == 8


def test_default_sizes_stay_small():
    for name in BASELINES:
        assert sum(p.numel() for p in build_model(name).parameters()) < 150_000, name


def test_temporal_scores_are_forward_on_each_prefix():
    torch.manual_seed(0)
    model = build_model("cnn_lstm").eval()
    x = _batch(2)
    with torch.no_grad():
        scores = model.temporal_scores(x)
        feats = model.stem(x).transpose(1, 2)
        assert scores.shape == (2, feats.shape[1], 2)
        torch.testing.assert_close(scores[:, -1], model(x))
        for t in (0, 5, 17):
            _, (h_n, _) = model.lstm(feats[:, : t + 1])
            torch.testing.assert_close(scores[:, t], model._classify(h_n))


def test_temporal_score_ignores_bases_past_its_right_edge():
    torch.manual_seed(0)
    model = build_model("cnn_lstm").eval()
    x = _batch(1)
    with torch.no_grad():
        scores = model.temporal_scores(x)
        edges = model.stem.right_edges(scores.shape[1])
        t = 10
        changed = x.clone()
        changed[:, :, edges[t] + 1:] = torch.roll(changed[:, :, edges[t] + 1:], 1, dims=1)
        again = model.temporal_scores(changed)
    torch.testing.assert_close(again[:, : t + 1], scores[:, : t + 1])
    assert not torch.allclose(again[:, -1], scores[:, -1])
    assert edges[-1] < 600 and np.all(np.diff(edges) > 0)


@pytest.mark.parametrize("name", BASELINES)
def test_baselines_train_in_the_shared_loop(name):
    data = make_data(60, length=200, planted=True)
    seed_everything(1, CPU)
    model = build_model(name)
    history, best = train(model, data, cfg(model=name, epochs=2), 1, CPU, logging.getLogger("t"))
    assert len(history) == 2 and best.keys() == model.state_dict().keys()


def test_rule_script_trains_a_baseline_and_rejects_bad_kwargs(tmp_path):
    np.savez(tmp_path / "encoded.npz", **make_data(80, length=200))

    def script(kwargs, shuffle=False):
        sm = SimpleNamespace(
            input=[str(tmp_path / "encoded.npz")],
            output=SimpleNamespace(model=str(tmp_path / "model.pt"), history=str(tmp_path / "history.tsv"),
                                   predictions=str(tmp_path / "predictions.tsv")),
            params=SimpleNamespace(training=cfg(epochs=1), model="cnn4", model_kwargs=kwargs,
                                   shuffle=shuffle),
            threads=1, wildcards=SimpleNamespace(dataset="toy", seed="3"), log=[str(tmp_path / "t.log")])
        runpy.run_path(str(SCRIPTS / "train_model.py"), init_globals={"snakemake": sm})

    script({"channels": [8, 8, 8, 8]})
    model, ckpt = load_model(tmp_path / "model.pt")
    assert ckpt["model_name"] == "cnn4" and ckpt["seed"] == 3 and model.config["channels"] == [8] * 4
    predictions = pd.read_csv(tmp_path / "predictions.tsv", sep="\t")
    assert len(predictions) == 16 and predictions["label"].tolist() == (np.arange(64, 80) % 2).tolist()
    with pytest.raises(SystemExit):
        script({"filters": 3})
    assert "model cnn4" in (tmp_path / "t.log").read_text()
