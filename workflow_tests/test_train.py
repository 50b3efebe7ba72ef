"""Training: determinism, validation-only selection, resumption and the rule scripts."""

from __future__ import annotations

import logging
import runpy
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import torch

from wtko.data import load_encoded, one_hot_batch, subset
from wtko.encode import one_hot
from wtko.errors import InputError
from wtko.models import build_model, load_model
from wtko.train import (HISTORY_COLUMNS, predict_proba, resolve_device, seed_everything,
                        select_epoch, should_stop, train)

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"
LOG = logging.getLogger("test_train")
CPU = torch.device("cpu")
MOTIF = np.array([0, 1, 2, 3, 3, 2, 1, 0, 2, 2], dtype=np.uint8)  # ACGTTGCAGG


def make_data(n: int = 120, length: int = 200, seed: int = 0, planted: bool = False
              ) -> dict[str, np.ndarray]:
    """Random windows, alternating WT/KO; with ``planted`` every WT window carries MOTIF."""
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, 4, (n, length)).astype(np.uint8)
    codes[:, :3] = 4  # a few N
    label = (np.arange(n) % 2).astype(np.uint8)
    if planted:
        for i in np.flatnonzero(label):
            start = rng.integers(3, length - len(MOTIF))
            codes[i, start:start + len(MOTIF)] = MOTIF
    split = np.array(["train"] * (n * 3 // 5) + ["val"] * (n // 5) + ["test"] * (n - n * 4 // 5))
    return {"codes": codes, "label": label, "split": split,
            "name": np.array([f"peak{i}" for i in range(n)]),
            "chrom": np.where(split == "test", "chr6", "chr1")}


def cfg(**overrides) -> dict:
    base = dict(model="wtko_cnn", epochs=2, patience=10, batch_size=16, grad_accum=2, lr=1e-3,
                weight_decay=1e-4, device="cpu", amp=True, threads=2)
    return base | overrides


def run(data, seed: int = 1, checkpoint_path=None, **overrides):
    seed_everything(seed, CPU)
    model = build_model("wtko_cnn")
    history, best = train(model, data, cfg(**overrides), seed, CPU, LOG, checkpoint_path)
    return model, history, best


def assert_same_history(a: pd.DataFrame, b: pd.DataFrame, drop=("seconds",)) -> None:
    pd.testing.assert_frame_equal(a.drop(columns=list(drop)), b.drop(columns=list(drop)))


def assert_same_state(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for key in a:
        torch.testing.assert_close(a[key], b[key], rtol=0, atol=0)


# --- data ----------------------------------------------------------------------------------


def test_load_encoded_round_trip(tmp_path):
    data = make_data(20)
    np.savez(tmp_path / "encoded.npz", **data)
    loaded = load_encoded(tmp_path / "encoded.npz")
    for key, value in data.items():
        np.testing.assert_array_equal(loaded[key], value)
    assert len(subset(loaded, "test")["codes"]) == 4


@pytest.mark.parametrize("change, message", [
    (lambda d: d.pop("split"), "lacks array"),
    (lambda d: d.update(label=d["label"] + 1), "labels other than"),
    (lambda d: d.update(split=np.where(d["split"] == "val", "dev", d["split"])), "unknown split"),
    (lambda d: d.update(codes=d["codes"].astype(np.int64)), "not uint8"),
])
def test_load_encoded_rejects_bad_files(tmp_path, change, message):
    data = make_data(20)
    change(data)
    np.savez(tmp_path / "encoded.npz", **data)
    with pytest.raises(InputError, match=message):
        load_encoded(tmp_path / "encoded.npz")


def test_one_hot_batch_matches_numpy_encoder():
    codes = make_data(6, 50)["codes"]
    np.testing.assert_array_equal(one_hot_batch(torch.from_numpy(codes)).numpy(), one_hot(codes))


# --- selection and devices -----------------------------------------------------------------


def test_selection_sees_only_validation_losses():
    assert select_epoch([0.7, 0.5, 0.5, 0.6]) == 2  # earliest of ties
    assert not should_stop([0.7, 0.5, 0.6], patience=2)
    assert should_stop([0.7, 0.5, 0.6, 0.6], patience=2)
    plateau = [0.693, 0.6931, 0.6932, 0.6933]
    assert should_stop(plateau, patience=3)
    assert not should_stop(plateau, patience=3, min_epochs=5)
    assert should_stop(plateau + [0.6934], patience=3, min_epochs=5)


def test_device_resolution(monkeypatch):
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "")
    assert resolve_device("auto").type == "cpu"
    with pytest.raises(InputError, match="no GPU"):
        resolve_device("cuda")
    assert resolve_device("cpu").type == "cpu"


# --- training ------------------------------------------------------------------------------


def test_tiny_end_to_end():
    data = make_data(100)
    model, history, best = run(data)
    assert list(history.columns) == HISTORY_COLUMNS
    assert history["epoch"].tolist() == [1, 2]
    assert history[["train_acc", "val_acc", "test_acc"]].stack().between(0, 1).all()
    assert best.keys() == model.state_dict().keys()
    p_wt = predict_proba(model, subset(data, "test")["codes"], CPU)
    assert p_wt.shape == (20,) and np.all((p_wt >= 0) & (p_wt <= 1))


def test_same_seed_same_history_other_seed_differs():
    data = make_data(100)
    _, first, best1 = run(data, seed=3)
    _, second, best2 = run(data, seed=3)
    assert_same_history(first, second)
    assert_same_state(best1, best2)
    _, other, _ = run(data, seed=4)
    assert not first["train_loss"].equals(other["train_loss"])


def test_test_labels_never_influence_the_choice():
    data = make_data(120, planted=True)
    _, history, best = run(data, epochs=6, patience=2)
    flipped = dict(data)
    test = data["split"] == "test"
    flipped["label"] = np.where(test, 1 - data["label"], data["label"]).astype(np.uint8)
    _, history_f, best_f = run(flipped, epochs=6, patience=2)
    assert_same_history(history, history_f, drop=("seconds", "test_acc"))
    np.testing.assert_allclose(history_f["test_acc"], 1 - history["test_acc"], atol=1e-6)
    assert select_epoch(history["val_loss"]) == select_epoch(history_f["val_loss"])
    assert_same_state(best, best_f)


def test_early_stopping_keeps_the_best_validation_epoch():
    data = make_data(100)
    _, history, _ = run(data, epochs=30, patience=1, lr=0.05)
    chosen = select_epoch(history["val_loss"])
    assert len(history) == chosen + 1 < 30


def test_planted_motif_is_learned():
    data = make_data(500, planted=True, seed=5)
    model, history, best = run(data, epochs=20, patience=5, lr=3e-3, batch_size=32, grad_accum=1)
    model.load_state_dict(best)
    test = subset(data, "test")
    accuracy = np.mean((predict_proba(model, test["codes"], CPU) >= 0.5) == test["label"])
    assert accuracy >= 0.9, history.to_string()


def test_resume_gives_the_same_run(tmp_path):
    data = make_data(100)
    path = tmp_path / "state.pt"
    _, straight, best_straight = run(data, epochs=4)
    run(data, epochs=2, checkpoint_path=path)
    state = torch.load(path, weights_only=True)
    assert state["history"]["epoch"] == [1, 2]
    _, resumed, best_resumed = run(data, epochs=4, checkpoint_path=path)
    assert_same_history(straight, resumed)
    assert_same_state(best_straight, best_resumed)


def test_checkpoint_of_other_settings_is_ignored(tmp_path):
    data = make_data(100)
    path = tmp_path / "state.pt"
    run(data, epochs=1, checkpoint_path=path, lr=0.01)
    _, history, _ = run(data, epochs=1, checkpoint_path=path)
    assert history["epoch"].tolist() == [1]
    assert torch.load(path, weights_only=True)["identity"]["lr"] == 1e-3


# --- rule scripts --------------------------------------------------------------------------


def test_rule_scripts_write_the_promised_outputs(tmp_path):
    np.savez(tmp_path / "encoded.npz", **make_data(100))
    for seed in (1, 2):
        out = tmp_path / f"seed{seed}"
        out.mkdir()
        sm = SimpleNamespace(
            input=[str(tmp_path / "encoded.npz")],
            output=SimpleNamespace(model=str(out / "model.pt"), history=str(out / "history.tsv"),
                                   predictions=str(out / "predictions.tsv")),
            params=SimpleNamespace(training=cfg(), model="wtko_cnn", model_kwargs={}, shuffle=False), threads=1,
            wildcards=SimpleNamespace(dataset="toy", seed=str(seed)), log=[str(out / "train.log")])
        runpy.run_path(str(SCRIPTS / "train_model.py"), init_globals={"snakemake": sm})
        model, ckpt = load_model(out / "model.pt")
        assert ckpt["model_name"] == "wtko_cnn" and ckpt["seed"] == seed
        assert not (out / "train_state.pt").exists()
        assert "epoch 2/2" in (out / "train.log").read_text()
    names = ["metrics.tsv", "cm.png", "cm.svg", "curves.png", "curves.svg"]
    sm = SimpleNamespace(
        input=SimpleNamespace(predictions=[str(tmp_path / f"seed{s}/predictions.tsv") for s in (1, 2)],
                              histories=[str(tmp_path / f"seed{s}/history.tsv") for s in (1, 2)]),
        output=SimpleNamespace(metrics=str(tmp_path / "metrics.tsv"),
                               confusion=[str(tmp_path / n) for n in names[1:3]],
                               curves=[str(tmp_path / n) for n in names[3:]]),
        params=SimpleNamespace(seeds=[1, 2]), log=[str(tmp_path / "evaluate.log")])
    runpy.run_path(str(SCRIPTS / "evaluate.py"), init_globals={"snakemake": sm})
    metrics = pd.read_csv(tmp_path / "metrics.tsv", sep="\t")
    assert metrics["seed"].astype(str).tolist() == ["1", "2", "mean", "sd"]
    assert metrics["n_test"].iloc[0] == 20
    predictions = pd.read_csv(tmp_path / "seed1/predictions.tsv", sep="\t")
    assert list(predictions.columns) == ["name", "chrom", "label", "p_wt", "pred"]
    assert set(predictions["chrom"]) == {"chr6"}
    assert all((tmp_path / n).stat().st_size > 0 for n in names)


def test_seeding_makes_onednn_deterministic_on_cpu(monkeypatch):
    """Without mkldnn.deterministic, 2-thread CPU training differed in rounding in ~1 process in 4."""
    monkeypatch.setattr(torch.backends.mkldnn, "deterministic", False)
    seed_everything(0, torch.device("cpu"))
    assert torch.backends.mkldnn.deterministic
