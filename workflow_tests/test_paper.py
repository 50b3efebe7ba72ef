"""The paper folder: Tables 1, 4, 13, Figure 10, copies of stage outputs, the index."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from wtko.metrics import METRIC_COLUMNS, summarise_seeds
from wtko.paper import (UPSTREAM, IndexEntry, comparison_long, comparison_table, copy_upstream,
                        dataset_sizes, fmt, mean_sd, per_class_table, write_all, write_index)
from wtko.plots.comparison import plot_model_comparison
from wtko.plots.temporal import plot_temporal_scores


def metrics(accuracies, one_run=False) -> pd.DataFrame:
    rows = pd.DataFrame([{"seed": i + 1, **{m: a for m in METRIC_COLUMNS}} for i, a in enumerate(accuracies)])
    rows["n_test"] = 100
    return rows.assign(seed="-") if one_run else summarise_seeds(rows)


def test_dataset_sizes():
    table = dataset_sizes(np.array([1, 0, 1, 1, 0, 0]), np.array(["train", "train", "val", "test", "test", "test"]))
    assert table.to_dict("records") == [
        {"split": "train", "WT": 1, "KO": 1, "total": 2}, {"split": "val", "WT": 1, "KO": 0, "total": 1},
        {"split": "test", "WT": 1, "KO": 2, "total": 3}, {"split": "total", "WT": 3, "KO": 3, "total": 6}]


def test_mean_sd_uses_the_seed_rows_and_handles_a_single_run():
    s = mean_sd(metrics([0.8, 0.9]))
    assert s.loc["accuracy", "mean"] == pytest.approx(0.85)
    assert s.loc["accuracy", "sd"] == pytest.approx(np.std([0.8, 0.9], ddof=1))
    assert s.loc["accuracy", "n_runs"] == 2 and "n_test" not in s.index
    single = mean_sd(metrics([0.7], one_run=True))
    assert single.loc["roc_auc", "mean"] == 0.7 and np.isnan(single.loc["roc_auc", "sd"])
    assert fmt(0.7, np.nan) == "0.700" and fmt(0.85, 0.0707) == "0.850 ± 0.071" and fmt(np.nan, 1) == "NA"


def test_per_class_table():
    m = metrics([0.8, 0.9])
    m.loc[m["seed"].isin(["1", "2"]), "precision_KO"] = [0.6, 0.6]
    table = per_class_table(m).set_index("class")
    assert list(table.index) == ["WT", "KO", "macro"]
    assert table.loc["KO", "precision"] == "0.600 ± 0.000"
    assert table.loc["macro", "precision"] == "0.725 ± 0.035"
    assert table.loc["macro", "accuracy"] == "0.850 ± 0.071" and table.loc["WT", "accuracy"] == ""


def test_comparison_table_flags_the_shuffled_control_and_figure_is_drawn(tmp_path):
    runs = {"WTKO-CNN": metrics([0.9, 0.92]), "cnn4": metrics([0.85, 0.8]),
            "k-mer LR": metrics([0.7], one_run=True), "shuffled labels": metrics([0.62, 0.6])}
    long = comparison_long(runs, {"k-mer LR": "control", "shuffled labels": "control"})
    assert list(long.columns) == ["model", "kind", "metric", "mean", "sd", "n_runs"]
    table = comparison_table(long, {"shuffled labels": "WARNING: ..."}).set_index("model")
    assert list(table.index) == list(runs)
    assert table.loc["shuffled labels", "flag"] == "OUTSIDE CHANCE BAND" and table.loc["cnn4", "flag"] == ""
    assert table.loc["k-mer LR", "runs"] == 1 and table.loc["k-mer LR", "accuracy"] == "0.700"
    paths = plot_model_comparison(long, tmp_path / "fig10", controls=["k-mer LR", "shuffled labels"])
    assert all(p.stat().st_size > 0 for p in paths)
    written = write_all(table.reset_index(), tmp_path / "t13", "Table 13", warning="WARNING: loud")
    assert "WARNING: loud" in written[2].read_text() and written[1].read_text().startswith("| model |")


def test_copies_and_index_list_missing_stages(tmp_path):
    dataset_dir, paper = tmp_path / "demo", tmp_path / "demo/paper"
    (dataset_dir / "motifs/saliency/clusters").mkdir(parents=True)
    (dataset_dir / "motifs/saliency/clusters/cluster_0.png").write_bytes(b"png")
    pd.DataFrame({"cluster": [0], "consensus": ["ACGT"]}).to_csv(
        dataset_dir / "motifs/saliency/table_clusters.tsv", sep="\t", index=False)
    (dataset_dir / "evaluation").mkdir()
    for ext in (".png", ".svg"):
        (dataset_dir / f"evaluation/confusion_matrix{ext}").write_text(ext)
    paper.mkdir()
    by_key = {u.key: u for u in UPSTREAM}
    (dataset_dir / "motifs/saliency/table_denovo_matches.tsv").write_text("")
    written = [copy_upstream(by_key[k], dataset_dir, paper)
               for k in ("clusters_table", "cluster_logos", "confusion", "matches_table")]
    assert "is empty" in (paper / "tables7-8_denovo_matches.tsv").read_text()
    assert (paper / "tables5-6_clusters.md").read_text().startswith("| cluster | consensus |")
    assert (paper / "logos_saliency_clusters/cluster_0.png").read_bytes() == b"png"
    assert (paper / "figure5_confusion_matrix.svg").read_text() == ".svg"
    entries = [IndexEntry([Path(p).name for p in w], "el", "src", "cfg") for w in written]
    text = write_index(paper / "index.md", "demo", entries, [by_key["known_table"]], ["my.yaml"],
                       ["WARNING: shuffled"])
    lines = text.splitlines()
    assert lines[2] == "**WARNING: shuffled**" and "`my.yaml`" in text
    assert "- MISSING: Tables 11-12: known motifs enriched in WT and KO test peaks (needs " \
           "`validation/table_known.tsv`)" in lines
    assert "| `figure5_confusion_matrix.png`<br>`figure5_confusion_matrix.svg` | el | `src` | cfg |" in lines


def test_upstream_names_are_unique():
    assert len({u.key for u in UPSTREAM}) == len({u.target for u in UPSTREAM}) == len(UPSTREAM)
    assert {u.kind for u in UPSTREAM} == {"table", "figure", "folder"}


def test_temporal_figure(tmp_path):
    p_wt = np.array([[0.5, 0.6, 0.9], [0.5, 0.3, 0.1]])
    paths = plot_temporal_scores(p_wt, np.array([20, 40, 60]), ["a", "b"], [1, 0], tmp_path / "t", 64)
    assert all(p.stat().st_size > 0 for p in paths)
