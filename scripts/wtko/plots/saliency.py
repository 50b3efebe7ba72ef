"""Saliency maps of example test sequences (paper Figure 7).

Examples are chosen deterministically: per class, the correctly predicted
sequences (all of them if no predictions are given) with the highest peak
saliency, i.e. the clearest maps; ties go to the earlier sequence. Bases are
drawn as letters, at the height of their saliency, in a window around each
of the top peaks, so the motif a peak sits on can be read off the figure.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from ..kmers import top_positions  # noqa: E402
from .figures import save_figure  # noqa: E402

COLOURS = {"A": "tab:green", "C": "tab:blue", "G": "orange", "T": "tab:red", "N": "grey"}
CLASS_NAMES = {1: "WT", 0: "KO"}


def choose_examples(profiles: np.ndarray, labels: np.ndarray, preds: np.ndarray | None = None,
                    n_per_class: int = 2) -> list[int]:
    """Indices of the examples to draw: WT first, then KO (see module doc)."""
    labels = np.asarray(labels)
    peak = np.asarray(profiles).max(axis=1)
    ok = np.ones(len(labels), bool) if preds is None else np.asarray(preds) == labels
    chosen = []
    for cls in (1, 0):
        idx = np.flatnonzero((labels == cls) & ok)
        chosen += idx[np.argsort(-peak[idx], kind="stable")][:n_per_class].tolist()
    return chosen


def plot_saliency_maps(profiles: np.ndarray, codes: np.ndarray, names: Sequence[str],
                       labels: np.ndarray, out_stem: str | Path, n_per_class: int = 2,
                       preds: np.ndarray | None = None, n_peaks: int = 3,
                       half_window: int = 6) -> list[Path]:
    """Draw one saliency track per chosen sequence to ``<out_stem>.png``/``.svg``."""
    chosen = choose_examples(profiles, labels, preds, n_per_class)
    if not chosen:
        raise ValueError("no sequence to draw: no correctly predicted sequence in either class")
    letters = np.frombuffer(b"ACGTN", dtype=np.uint8)
    fig, axes = plt.subplots(len(chosen), 1, figsize=(11, 1.9 * len(chosen)), squeeze=False)
    for ax, i in zip(axes[:, 0], chosen):
        prof = np.asarray(profiles[i], dtype=float)
        ax.fill_between(np.arange(len(prof)), prof, color="0.7", lw=0, step="mid")
        lo = min(0.0, prof.min())
        peaks = top_positions(prof[None], k=min(n_peaks, len(prof)))[0]
        for p in peaks:
            for j in range(max(0, p - half_window), min(len(prof), p + half_window + 1)):
                base = chr(letters[codes[i][j]])
                ax.text(j, max(prof[j], 0.0), base, ha="center", va="bottom", fontsize=7,
                        family="monospace", weight="bold", color=COLOURS[base])
        ax.set_xlim(-0.5, len(prof) - 0.5)
        ax.set_ylim(lo, prof.max() * 1.25 if prof.max() > 0 else 1.0)
        ax.set_ylabel("saliency", fontsize=8)
        ax.set_title(f"{names[i]} ({CLASS_NAMES.get(int(labels[i]), labels[i])})", fontsize=9, loc="left")
    axes[-1, 0].set_xlabel("position (bp)")
    fig.tight_layout()
    return save_figure(fig, out_stem)
