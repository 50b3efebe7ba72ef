"""Test-set metrics, the seed summary and the predictions table."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from wtko.metrics import (METRIC_COLUMNS, PREDICTION_COLUMNS, classification_metrics,
                          predictions_table, summarise_seeds)


def test_metrics_by_hand():
    label = np.array([1, 1, 1, 0, 0])
    p_wt = np.array([0.9, 0.6, 0.2, 0.5, 0.1])  # pred 1 1 0 1 0; 0.5 counts as WT
    m = classification_metrics(label, p_wt)
    assert list(m) == METRIC_COLUMNS
    assert m["accuracy"] == pytest.approx(3 / 5)
    assert m["precision_WT"] == pytest.approx(2 / 3) and m["recall_WT"] == pytest.approx(2 / 3)
    assert m["precision_KO"] == pytest.approx(1 / 2) and m["recall_KO"] == pytest.approx(1 / 2)
    assert m["f1_WT"] == pytest.approx(2 / 3) and m["f1_KO"] == pytest.approx(1 / 2)
    # 6 WT-KO pairs; WT scores 0.9, 0.6 beat both KO, 0.2 beats 0.1 only: 5/6
    assert m["roc_auc"] == pytest.approx(5 / 6)
    # ranked WT WT KO WT KO: precision at each WT is 1, 1, 3/4
    assert m["pr_auc"] == pytest.approx((1 + 1 + 3 / 4) / 3)
    assert m["n_test"] == 5


def test_single_class_gives_nan_aucs():
    m = classification_metrics(np.array([1, 1]), np.array([0.7, 0.2]))
    assert math.isnan(m["roc_auc"]) and math.isnan(m["pr_auc"])
    assert m["precision_KO"] == 0.0


def test_summarise_seeds_appends_mean_and_sample_sd():
    rows = pd.DataFrame({"seed": [1, 2, 3], "accuracy": [0.8, 0.9, 1.0], "n_test": [10, 10, 10]})
    out = summarise_seeds(rows)
    assert out["seed"].tolist() == ["1", "2", "3", "mean", "sd"]
    assert list(out.columns) == ["seed", "accuracy", "n_test"]
    assert out["accuracy"].iloc[3] == pytest.approx(0.9)
    assert out["accuracy"].iloc[4] == pytest.approx(0.1)  # ddof=1
    assert out["n_test"].iloc[4] == 0


def test_predictions_table_columns_and_threshold():
    table = predictions_table(np.array(["a", "b"]), np.array(["chr6", "chr7"]),
                              np.array([1, 0], dtype=np.uint8), np.array([0.5, 0.49]))
    assert list(table.columns) == PREDICTION_COLUMNS
    assert table["pred"].tolist() == [1, 0]
    assert table["label"].dtype.kind == "i"
