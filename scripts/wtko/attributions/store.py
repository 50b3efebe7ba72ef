"""Attribution files: contributions plus a saliency-style profile the k-mer route can read.

``{method}.npz`` holds every key :func:`wtko.saliency.load_saliency` reads
(profiles, names, labels, preds, method) with the same dtypes, so the
saliency k-mer route runs unchanged on any attribution method. The one-hot
input is not stored: it is ``encoded.npz``'s codes for ``names``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

from ..saliency import reduce_gradients

TARGET = "wt_log_odds"
_ARRAYS = ("hypothetical", "contributions", "profiles", "log_odds", "preds")
_OPTIONAL = ("deltas", "output_diffs")


def profiles(hypothetical: np.ndarray, contributions: np.ndarray, x: np.ndarray, preds: np.ndarray,
             method: str) -> np.ndarray:
    """(N, L) profile whose high values are bases that push the model's own call.

    Contributions explain the WT log-odds, so they are summed over channels
    and multiplied by +1 for sequences predicted WT and -1 for those
    predicted KO. ``saliency`` keeps the paper's unsigned profile instead,
    max over bases of |gradient| (eq. 2), which flags positions where any
    substitution would matter; otherwise it would equal ``grad_x_input``.
    """
    if method == "saliency":
        return reduce_gradients(hypothetical, x, "saliency").astype(np.float32)
    sign = np.where(np.asarray(preds) == 1, 1.0, -1.0).astype(np.float32)
    return (contributions.sum(axis=1) * sign[:, None]).astype(np.float32)


def save_attributions(path: str | Path, result: dict[str, np.ndarray], names: Sequence[str],
                      labels: np.ndarray, method: str) -> None:
    """Write :func:`wtko.attributions.attribute`'s ``result`` with sequence names and true labels."""
    n = len(result["hypothetical"])
    if not len(names) == len(labels) == n:
        raise ValueError("names, labels and attributions must have the same length")
    arrays = {k: np.asarray(result[k], dtype=np.float32) for k in _ARRAYS + _OPTIONAL if k in result}
    arrays["preds"] = np.asarray(result["preds"], dtype=np.int8)
    np.savez_compressed(path, names=np.asarray(names, dtype=str), labels=np.asarray(labels, dtype=np.int8),
                        method=np.asarray(method), target=np.asarray(TARGET), **arrays)


def load_attributions(path: str | Path) -> dict[str, np.ndarray | str]:
    """Read what :func:`save_attributions` wrote; ``method`` and ``target`` come back as str."""
    with np.load(path, allow_pickle=False) as data:
        out: dict[str, np.ndarray | str] = {k: data[k] for k in data.files}
    out["method"], out["target"] = str(out["method"]), str(out["target"])
    return out
