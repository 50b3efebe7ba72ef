"""Figure 10: the models and controls side by side, mean ± sd over seeds.

Grouped bars, one group per metric (accuracy, ROC AUC, PR AUC), one bar per
model, so the eye compares models within a metric. A dashed line marks
chance (0.5 for balanced test sets); controls are hatched so they are not
mistaken for competitors.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .figures import save_figure

METRICS = {"accuracy": "Accuracy", "roc_auc": "ROC AUC", "pr_auc": "PR AUC"}


def plot_model_comparison(summary: pd.DataFrame, stem: str | Path,
                          controls: Sequence[str] = ()) -> list[Path]:
    """``<stem>.png/.svg`` from a long table with columns model, metric, mean, sd.

    Models keep their first-appearance order; a missing sd (one run) draws no
    error bar. ``controls`` names the models to hatch.
    """
    models = list(dict.fromkeys(summary["model"]))
    table = summary.set_index(["model", "metric"])
    width = 0.8 / max(len(models), 1)
    x = np.arange(len(METRICS))
    fig, ax = plt.subplots(figsize=(1.6 + 0.45 * len(models) * len(METRICS), 3.8),
                           layout="constrained")
    colours = plt.get_cmap("tab10")
    for i, model in enumerate(models):
        means = [table["mean"].get((model, m), np.nan) for m in METRICS]
        sds = [table["sd"].get((model, m), np.nan) for m in METRICS]
        ax.bar(x - 0.4 + width * (i + 0.5), means, width, yerr=np.nan_to_num(sds), capsize=2,
               label=model, color=colours(i % 10), hatch="//" if model in controls else None,
               edgecolor="white" if model in controls else None)
    ax.axhline(0.5, color="grey", linestyle="--", linewidth=1, label="chance")
    ax.set_xticks(x, list(METRICS.values()))
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("Test set (mean ± sd over seeds)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize="small", frameon=False)
    return save_figure(fig, stem)
