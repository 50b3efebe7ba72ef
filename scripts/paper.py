"""Snakemake script (rule paper_dataset): one dataset's paper folder and its index.

Builds Tables 1, 4 and 13 and Figure 10, copies the stage outputs of
``wtko.paper.UPSTREAM`` that this workflow has, and writes index.md (each
file, its paper element, source and config; missing stages listed as such).
"""

from pathlib import Path

import pandas as pd
import yaml

from wtko import logs
from wtko.controls import chance_flag
from wtko.paper import (UPSTREAM, IndexEntry, comparison_long, comparison_table, copy_upstream,
                        dataset_sizes, mean_sd, per_class_table, write_all, write_index,
                        write_index_html)
from wtko.plots.comparison import plot_model_comparison

CONTROLS = {"k-mer LR": "control", "shuffled labels": "control"}


def main(sm) -> None:
    log = logs.setup(sm.log[0])
    out, dataset = Path(sm.output.index).parent, sm.wildcards.dataset
    dataset_dir = Path(sm.params.dataset_dir)
    read = lambda path: pd.read_csv(path, sep="\t")  # noqa: E731
    entries = []

    def entry(paths, element, source, config):
        entries.append(IndexEntry([Path(p).name for p in paths], element, source, config))

    windows = pd.read_csv(sm.input.windows, sep="\t", usecols=["label", "split"])
    paths = write_all(dataset_sizes(windows["label"], windows["split"]), out / "table1_dataset_sizes",
                      f"Table 1: windows per class and split ({dataset})")
    entry(paths, "Table 1: dataset sizes, WT and KO, per split", "windows/windows.tsv.gz",
          f"datasets.{dataset}")
    paths = write_all(per_class_table(read(sm.input.wtko_cnn)), out / "table4_wtko_cnn_per_class",
                      f"Table 4: WTKO-CNN per class, mean ± sd over seeds ({dataset})")
    entry(paths, "Table 4: WTKO-CNN precision, recall, F1 per class and accuracy",
          "evaluation/metrics.tsv", "training, seeds")

    runs = {"WTKO-CNN": read(sm.input.wtko_cnn),
            **{m: read(p) for m, p in zip(sm.params.baselines, sm.input.baselines)},
            "k-mer LR": read(sm.input.kmer_lr), "shuffled labels": read(sm.input.shuffled)}
    shuffled_acc = mean_sd(runs["shuffled labels"]).loc["accuracy", "mean"]
    warning = chance_flag(shuffled_acc, sm.params.band)
    if warning:
        log.warning("%s", warning)
    long = comparison_long(runs, CONTROLS)
    long.to_csv(sm.output.comparison, sep="\t", index=False)
    paths = write_all(comparison_table(long, {"shuffled labels": warning}),
                      out / "table13_model_comparison",
                      f"Table 13: models and controls on the test set, mean ± sd ({dataset})", warning)
    sources = ", ".join(["evaluation/metrics.tsv", *(f"baselines/{m}/metrics.tsv" for m in sm.params.baselines),
                         "controls/kmer_lr/metrics.tsv", "controls/shuffled/metrics.tsv"])
    entry([*paths, sm.output.comparison], "Table 13: every model and control, per-class P/R/F1, "
          "accuracy, ROC AUC, PR AUC", sources, "training, seeds, baselines, controls")
    plot_model_comparison(long, out / "figure10_model_comparison", controls=list(CONTROLS))
    entry(sm.output.figure10, "Figure 10: model comparison (accuracy, ROC AUC, PR AUC)",
          "comparison_metrics.tsv", "training, seeds, baselines, controls")

    for item in (u for u in UPSTREAM if u.key in sm.params.upstream):
        entry(copy_upstream(item, dataset_dir, out), item.element, ", ".join(item.sources()), item.config)
    if sm.input.temporal:
        entry([], "Not in the paper: CNN-LSTM temporal output scores (left in place)",
              str(Path(sm.input.temporal[0]).relative_to(dataset_dir)), "baselines")
    Path(sm.output.config).write_text(yaml.safe_dump(sm.config, sort_keys=False))
    entry([sm.output.config], "The effective config of this run", "-", "all")
    missing = [u for u in UPSTREAM if u.key in sm.params.missing]
    text = write_index(sm.output.index, dataset, entries, missing, sm.params.configfiles,
                       [warning] if warning else [])
    write_index_html(sm.output.index_html, text, f"WTKO paper elements, {dataset}")
    log.info("%d entries, %d missing: %s", len(entries), len(missing), [m.key for m in missing])


main(snakemake)  # noqa: F821
