"""Temporal output scores of the CNN-LSTM (Deep Motif Dashboard, Lanchantin et al. 2017).

For each example sequence, P(WT) as the network reads it left to right: at
each pooled position the classifier sees only the sequence up to there. A
jump marks where the evidence for a class lies; the curve ends at the
network's actual prediction. The sequences are the saliency-map examples, so
the two figures can be read together.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from .figures import save_figure
from .saliency import CLASS_NAMES


def plot_temporal_scores(p_wt: np.ndarray, positions: np.ndarray, names: Sequence[str],
                         labels: Sequence[int], stem: str | Path, length: int) -> list[Path]:
    """``<stem>.png/.svg``: one panel per sequence, P(WT) against the last base read.

    Args:
        p_wt: (n_examples, n_positions) P(WT) after reading each prefix.
        positions: (n_positions,) last base (0-based) read at each step.
        names, labels: of the examples (label 1 = WT).
        length: the sequence length, for the x axis.
    """
    p_wt = np.asarray(p_wt, dtype=float)
    fig, axes = plt.subplots(len(p_wt), 1, figsize=(11, 1.6 * len(p_wt) + 0.4), sharex=True,
                             squeeze=False, layout="constrained")
    for ax, scores, name, label in zip(axes[:, 0], p_wt, names, labels):
        ax.fill_between(positions, 0.5, scores, where=scores >= 0.5, color="tab:blue", alpha=0.35,
                        step="post", label="towards WT")
        ax.fill_between(positions, 0.5, scores, where=scores < 0.5, color="tab:red", alpha=0.35,
                        step="post", label="towards KO")
        ax.step(positions, scores, where="post", color="black", linewidth=1)
        ax.axhline(0.5, color="grey", linestyle="--", linewidth=0.8)
        ax.set_ylim(0, 1)
        ax.set_ylabel("P(WT)", fontsize=8)
        ax.set_title(f"{name} ({CLASS_NAMES.get(int(label), label)}), final P(WT) {scores[-1]:.2f}",
                     fontsize=9, loc="left")
    axes[0, 0].legend(loc="upper right", fontsize="x-small", ncol=2, frameon=False)
    axes[-1, 0].set_xlim(0, length)
    axes[-1, 0].set_xlabel("last base read (bp)")
    return save_figure(fig, stem)
