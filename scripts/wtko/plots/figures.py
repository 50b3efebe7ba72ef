"""Writing a figure as PNG (for the report) and SVG (for editing) in one call."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

# Reproducible SVGs: fixed element ids and no creation date, so reruns differ in nothing.
matplotlib.rcParams["svg.hashsalt"] = "wtko"
_METADATA = {".png": {}, ".svg": {"Date": None}}


def save_figure(fig: plt.Figure, stem: str | Path, dpi: int = 150) -> list[Path]:
    """Save ``fig`` to ``<stem>.png`` and ``<stem>.svg``, close it, return both paths."""
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = [stem.with_name(stem.name + ext) for ext in (".png", ".svg")]
    for path in paths:
        fig.savefig(path, dpi=dpi, metadata=_METADATA[path.suffix])
    plt.close(fig)
    return paths
