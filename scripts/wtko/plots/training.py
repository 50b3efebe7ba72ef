"""Training figures: test-set confusion matrix and per-seed accuracy curves.

The curves mark each seed's chosen epoch (lowest validation loss), so a
reader sees that the test curve played no part in choosing it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator
from sklearn.metrics import confusion_matrix

from ..train import select_epoch
from .figures import save_figure

CLASS_NAMES = ("KO", "WT")  # label 0, label 1


def plot_confusion_matrix(label: np.ndarray, pred: np.ndarray, stem: str | Path,
                          title: str = "Confusion matrix (test set)") -> list[Path]:
    """``<stem>.png/.svg``: counts and row shares; rows true class, columns predicted."""
    cm = confusion_matrix(np.asarray(label, dtype=int), np.asarray(pred, dtype=int), labels=[0, 1])
    share = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1)
    fig, ax = plt.subplots(figsize=(4.4, 3.6), layout="constrained")
    image = ax.imshow(share, cmap="Blues", vmin=0, vmax=1)
    for i in range(2):
        for j in range(2):
            ax.text(j, i, f"{cm[i, j]}\n({share[i, j]:.0%})", ha="center", va="center",
                    color="white" if share[i, j] > 0.5 else "black")
    ax.set_xticks([0, 1], CLASS_NAMES)
    ax.set_yticks([0, 1], CLASS_NAMES)
    ax.set_xlabel("Predicted")
    ax.set_ylabel("True")
    ax.set_title(title)
    fig.colorbar(image, ax=ax, fraction=0.046, label="share of true class")
    return save_figure(fig, stem)


def plot_accuracy_curves(histories: Mapping[int, pd.DataFrame], stem: str | Path) -> list[Path]:
    """``<stem>.png/.svg``: one panel per seed, train, validation and test accuracy by epoch."""
    n = len(histories)
    fig, axes = plt.subplots(1, n, figsize=(3.2 * n, 3), sharey=True, squeeze=False,
                             layout="constrained")
    for ax, (seed, hist) in zip(axes[0], histories.items()):
        for column, name in (("train_acc", "train"), ("val_acc", "validation"), ("test_acc", "test")):
            ax.plot(hist["epoch"], hist[column], label=name)
        chosen = select_epoch(hist["val_loss"].tolist())
        ax.axvline(chosen, color="grey", linestyle="--", linewidth=1, label="chosen epoch")
        ax.set_title(f"seed {seed}")
        ax.set_xlabel("Epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes[0][0].set_ylabel("Accuracy")
    axes[0][-1].legend(loc="lower right", fontsize="small")
    return save_figure(fig, stem)
