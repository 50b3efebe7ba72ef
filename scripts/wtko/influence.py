"""Which first-layer filters a trained network relies on (Basset's filter nullification).

A filter's activation PFM says what it responds to, not whether the network
uses it: a filter left near its random initialisation still has top-scoring
10-mers, and such filters recur across seeds by chance (flat or not). So each
filter is *nullified*, its output replaced everywhere by its mean over the
sequences, and the rise in cross-entropy it causes is measured per sequence
(Kelley et al. 2016, Basset). ``influence`` is the mean rise; ``p_value`` a
one-sided Wilcoxon signed-rank test that the rises are positive, and
``q_value`` its Benjamini-Hochberg correction over the layer's filters. Use
sequences the model did not train on (the validation split), so a filter
that only memorised training windows does not count.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import torch
from scipy.stats import wilcoxon
from torch import nn

from .motifs.tomtom import bh_qvalues

INFLUENCE_COLUMNS = ["filter", "influence", "p_value", "q_value"]


def _losses(model: nn.Module, x: torch.Tensor, y: torch.Tensor, batch_size: int) -> torch.Tensor:
    """Per-sequence cross-entropy of the eval-mode model."""
    with torch.no_grad():
        return torch.cat([nn.functional.cross_entropy(model(x[i:i + batch_size]), y[i:i + batch_size],
                                                      reduction="none")
                          for i in range(0, len(x), batch_size)])


def filter_influence(model: nn.Module, conv: nn.Module, onehot, labels,
                     batch_size: int = 256) -> pd.DataFrame:
    """Per filter of ``conv`` (a module inside ``model``): loss rise when it is nullified.

    ``onehot`` is (N, 4, L), ``labels`` (N,) with 1 = WT; the model is put
    in eval mode. Filters whose nullification changes no loss get p = 1.
    """
    model.eval()
    x = torch.as_tensor(np.asarray(onehot, dtype=np.float32))
    y = torch.as_tensor(np.asarray(labels), dtype=torch.long)
    state: dict[str, object] = {"sum": None, "count": 0, "null": None}

    def hook(_module, _inputs, out: torch.Tensor) -> torch.Tensor | None:
        if state["null"] is None:  # first pass: accumulate each channel's mean output
            dims = [d for d in range(out.dim()) if d != 1]
            total = out.double().sum(dim=dims)
            state["sum"] = total if state["sum"] is None else state["sum"] + total
            state["count"] += out.numel() // out.shape[1]
            return None
        j, mean = state["null"]
        out = out.clone()
        out[:, j] = mean
        return out

    handle = conv.register_forward_hook(hook)
    try:
        base = _losses(model, x, y, batch_size)
        means = (state["sum"] / state["count"]).float()
        rows = []
        for j in range(len(means)):
            state["null"] = (j, means[j])
            rise = (_losses(model, x, y, batch_size) - base).double().numpy()
            moved = rise[rise != 0]
            p = wilcoxon(moved, alternative="greater").pvalue if len(moved) else 1.0
            rows.append({"filter": j, "influence": float(rise.mean()), "p_value": float(p)})
    finally:
        handle.remove()
    table = pd.DataFrame(rows, columns=INFLUENCE_COLUMNS[:-1])
    table["q_value"] = bh_qvalues(table["p_value"].to_numpy())
    return table
