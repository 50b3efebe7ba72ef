"""Snakemake script (rule evaluate): metrics over seeds and the training figures.

The confusion matrix shows the seed with the best validation accuracy at its
chosen epoch, never the best test accuracy.
"""

from pathlib import Path

import pandas as pd

from wtko import logs
from wtko.metrics import METRIC_COLUMNS, classification_metrics, summarise_seeds
from wtko.plots.training import plot_accuracy_curves, plot_confusion_matrix
from wtko.train import best_seed, select_epoch


def main(sm) -> None:
    log = logs.setup(sm.log[0])
    seeds = [int(s) for s in sm.params.seeds]
    predictions = {s: pd.read_csv(p, sep="\t") for s, p in zip(seeds, sm.input.predictions)}
    histories = {s: pd.read_csv(p, sep="\t") for s, p in zip(seeds, sm.input.histories)}
    rows = pd.DataFrame([{"seed": s, **classification_metrics(p["label"], p["p_wt"])}
                         for s, p in predictions.items()], columns=["seed", *METRIC_COLUMNS])
    summarise_seeds(rows).to_csv(sm.output.metrics, sep="\t", index=False)
    val_acc = {s: h["val_acc"].iloc[select_epoch(h["val_loss"].tolist()) - 1]
               for s, h in histories.items()}
    best = best_seed(val_acc)
    log.info("confusion matrix of seed %d (validation accuracy %.4f)", best, val_acc[best])
    plot_confusion_matrix(predictions[best]["label"], predictions[best]["pred"],
                          Path(sm.output.confusion[0]).with_suffix(""),
                          title=f"Test set, seed {best} (best validation accuracy)")
    plot_accuracy_curves(histories, Path(sm.output.curves[0]).with_suffix(""))


main(snakemake)  # noqa: F821
