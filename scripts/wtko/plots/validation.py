"""Figures 8-9: grouped bars of % target sequences with each motif, WT vs KO."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from .figures import save_figure  # noqa: E402


def plot_known_bars(table: pd.DataFrame, stem: str | Path, title: str = "") -> list[Path]:
    """Bars per motif (``known_table`` rows): % WT targets beside % KO targets."""
    y = np.arange(len(table))
    fig, ax = plt.subplots(figsize=(7, 0.35 * len(table) + 1.5))
    ax.barh(y - 0.2, table["% target WT"].fillna(0), height=0.4, label="WT", color="#1f77b4")
    ax.barh(y + 0.2, table["% target KO"].fillna(0), height=0.4, label="KO", color="#d62728")
    ax.set_yticks(y, [m.split("/")[0] for m in table["motif"]], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("% of target sequences with motif")
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    return save_figure(fig, stem)
