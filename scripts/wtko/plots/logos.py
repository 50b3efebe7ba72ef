"""Sequence logos of k-mer clusters and motifs, in bits (information content)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import logomaker  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from ..encode import ALPHABET  # noqa: E402
from .figures import save_figure  # noqa: E402


def information_matrix(matrix: np.ndarray) -> pd.DataFrame:
    """(W, 4) counts or probabilities -> per-base heights in bits.

    Rows are normalised first, so counts and probabilities give the same logo;
    an empty row (an all-N column) is uniform and so has zero height.
    """
    m = np.asarray(matrix, dtype=float)
    totals = m.sum(axis=1, keepdims=True)
    probs = np.divide(m, totals, out=np.full_like(m, 0.25), where=totals > 0)
    df = pd.DataFrame(probs, columns=list(ALPHABET))
    return logomaker.transform_matrix(df, from_type="probability", to_type="information")


def plot_logo(matrix: np.ndarray, path_stem: str | Path, title: str = "") -> list[Path]:
    """Draw the logo of ``matrix`` to ``<path_stem>.png`` and ``.svg``; return both paths."""
    info = information_matrix(matrix)
    fig, ax = plt.subplots(figsize=(max(3.0, 0.35 * len(info) + 1), 2.2))
    logomaker.Logo(info, ax=ax, color_scheme="classic")
    ax.set_ylim(0, 2)
    ax.set_ylabel("bits")
    ax.set_xticks(range(len(info)), [str(i + 1) for i in range(len(info))], fontsize=7)
    ax.set_title(title, fontsize=9)
    fig.tight_layout()
    return save_figure(fig, path_stem)
