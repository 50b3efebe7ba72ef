"""Filter nullification, the filters that count, and the untrained-network calibration."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from wtko.encode import one_hot, to_codes
from wtko.filter_route import CALIBRATION_COLUMNS, calibration, seed_filters
from wtko.filters import first_conv, recurrence
from wtko.influence import INFLUENCE_COLUMNS, filter_influence
from wtko.models import build_model, initial_model
from wtko.train import seed_everything

KMER = "GGGAATTTCC"


class MaxPoolClassifier(nn.Module):
    """Conv1d(4, 3, 10) -> ReLU -> global max -> Linear reading filter 0 only (filters 1, 2 ignored)."""

    def __init__(self) -> None:
        super().__init__()
        torch.manual_seed(0)
        self.conv = nn.Conv1d(4, 3, 10)
        self.head = nn.Linear(3, 2)
        with torch.no_grad():
            self.conv.weight[0] = torch.from_numpy(3 * one_hot(to_codes([KMER]))[0] - 1)
            self.conv.bias[0] = -10  # fires (up to 10) only on near-perfect copies
            self.head.weight.zero_()
            self.head.weight[1, 0], self.head.weight[0, 0] = 1.0, -1.0
            self.head.bias.copy_(torch.tensor([2.0, -2.0]))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(torch.relu(self.conv(x)).amax(dim=2))


def _planted(n: int = 120, length: int = 60, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Random windows; the WT half (label 1) carries KMER."""
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, 4, size=(n, length)).astype(np.uint8)
    labels = (np.arange(n) % 2).astype(np.uint8)
    for i in np.flatnonzero(labels):
        pos = rng.integers(0, length - 10)
        codes[i, pos:pos + 10] = to_codes([KMER])[0]
    return one_hot(codes), labels


def test_read_filter_is_influential_and_ignored_ones_are_not():
    model = MaxPoolClassifier()
    x, y = _planted()
    before = model(torch.from_numpy(x)).detach()
    table = filter_influence(model, model.conv, x, y, batch_size=32)
    assert list(table.columns) == INFLUENCE_COLUMNS and list(table["filter"]) == [0, 1, 2]
    assert table.loc[0, "influence"] > 0.5 and table.loc[0, "q_value"] < 1e-6
    # the head gives filters 1 and 2 zero weight: nullifying them changes no loss at all
    assert (table.loc[1:, "influence"] == 0).all() and (table.loc[1:, "p_value"] == 1).all()
    # the hook is gone afterwards
    torch.testing.assert_close(model(torch.from_numpy(x)), before)


def test_wrong_labels_make_the_read_filter_helpful_to_remove():
    """Against flipped labels the KMER filter hurts, so removing it lowers the loss: no influence."""
    model = MaxPoolClassifier()
    x, y = _planted()
    table = filter_influence(model, model.conv, x, 1 - y)
    assert table.loc[0, "influence"] < 0 and table.loc[0, "p_value"] > 0.5


def test_wtko_cnn_conv2d_layer_gives_one_row_per_filter():
    torch.manual_seed(0)
    model = build_model("wtko_cnn", filters1=6, filters2=4, kernel_size=5, hidden=4)
    x, y = _planted(n=20)
    table = filter_influence(model, first_conv(model), x, y)
    assert len(table) == 6 and np.isfinite(table["influence"]).all()
    assert ((table["q_value"] >= table["p_value"]) & (table["q_value"] <= 1)).all()


CFG = dict(threshold_frac=0.5, min_information=0.0, min_influence=0.001, influence_q=0.05, min_seeds=1, q=0.05)


def test_seed_filters_keeps_only_the_filter_the_network_reads():
    x, y = _planted()
    sf = seed_filters(1, MaxPoolClassifier(), x, x, y, CFG)
    assert [m.meta["filter"] for m in sf.used] == [0]
    assert sf.used[0].consensus == KMER
    assert len(sf.motifs) == 3 and len(sf.influence) == 3
    strict = seed_filters(1, MaxPoolClassifier(), x, x, y, {**CFG, "min_influence": 10.0})
    assert strict.used == []


def test_calibration_counts_each_network_and_its_recurring_groups():
    x, y = _planted()
    trained = {s: seed_filters(s, MaxPoolClassifier(), x, x, y, CFG) for s in (1, 2)}
    untrained = {s: seed_filters(s, MaxPoolClassifier(), x, x, 1 - y, CFG) for s in (1, 2)}
    kept = {"trained": recurrence({s: f.used for s, f in trained.items()}, min_seeds=2),
            "untrained": recurrence({s: f.used for s, f in untrained.items()}, min_seeds=2)}
    table = calibration({"trained": trained, "untrained": untrained}, kept).set_index("network")
    assert list(table.columns) == CALIBRATION_COLUMNS[1:]
    assert table.loc["trained", ["filters", "used", "recurring", "groups"]].tolist() == [6, 2, 2, 1]
    assert table.loc["untrained", ["used", "recurring", "groups"]].tolist() == [0, 0, 0]
    assert table.loc["trained", "max_influence"] > 0.5


def test_initial_model_rebuilds_the_weights_training_started_from():
    seed_everything(3, torch.device("cpu"))
    model = build_model("wtko_cnn", filters1=6, filters2=4, kernel_size=5, hidden=4)
    start = {k: v.clone() for k, v in model.state_dict().items()}
    with torch.no_grad():
        model.conv1.weight.add_(1.0)  # "training"
    ckpt = {"seed": 3, "model_name": "wtko_cnn", "model_config": model.config}
    rebuilt = initial_model(ckpt).state_dict()
    assert all(torch.equal(rebuilt[k], start[k]) for k in start)
    assert not torch.equal(initial_model({**ckpt, "seed": 4}).state_dict()["conv1.weight"], start["conv1.weight"])
