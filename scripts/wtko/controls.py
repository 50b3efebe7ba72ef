"""Controls for the model comparison: a k-mer spectrum model and a shuffled-label check.

k-mer logistic regression. Each window becomes the frequencies of its
canonical k-mers (a k-mer and its reverse complement are one feature, since a
TF binds either strand; windows with N skip the k-mers that contain it). An
L2-regularised logistic regression is fitted on the training split for each C
of a small grid; C is chosen on the validation split (lowest log-loss,
ties to the smaller C, the stronger regularisation), and the test split is
scored once, with that C only. It shows how much of WT vs KO a bag of short
words already explains, without positions or combinations.

Shuffled labels. WTKO-CNN is trained on a permutation of the *training*
labels; validation labels stay true, so early stopping and epoch choice work
exactly as for the real models. Whatever the network then gets right on the
test set can come only from a leak (overlapping windows across splits, a
label-correlated artefact of the pipeline), so its test accuracy must sit at
chance: ``chance_flag`` says when it does not.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss
from sklearn.preprocessing import StandardScaler

from .encode import N_CODE

CHUNK = 4096


def canonical_index(k: int) -> tuple[np.ndarray, int]:
    """Map every k-mer index (base-4, A=0 .. T=3) to its canonical column; also the column count."""
    idx = np.arange(4 ** k)
    digits = (idx[:, None] // 4 ** np.arange(k - 1, -1, -1)) % 4
    rc = ((3 - digits[:, ::-1]) * 4 ** np.arange(k - 1, -1, -1)).sum(axis=1)
    canon = np.minimum(idx, rc)
    _, column = np.unique(canon, return_inverse=True)
    return column, int(column.max()) + 1


def kmer_spectrum(codes: np.ndarray, k: int = 6) -> np.ndarray:
    """(N, L) uint8 codes -> (N, n_canonical) float32 k-mer frequencies (rows sum to 1 or 0)."""
    codes = np.asarray(codes)
    column, n_cols = canonical_index(k)
    weights = 4 ** np.arange(k - 1, -1, -1)
    out = np.zeros((len(codes), n_cols), dtype=np.float32)
    for start in range(0, len(codes), CHUNK):
        chunk = codes[start:start + CHUNK]
        if chunk.shape[1] < k:
            break
        windows = np.lib.stride_tricks.sliding_window_view(chunk, k, axis=1)
        valid = (windows < N_CODE).all(axis=2)
        cols = column[np.where(valid, (windows.astype(np.int64) * weights).sum(axis=2), 0)]
        rows = np.broadcast_to(np.arange(len(chunk))[:, None], cols.shape)
        counts = np.bincount((rows * n_cols + cols)[valid], minlength=len(chunk) * n_cols)
        block = counts.reshape(len(chunk), n_cols).astype(np.float32)
        out[start:start + len(chunk)] = block / np.maximum(block.sum(axis=1, keepdims=True), 1)
    return out


def fit_kmer_lr(x: dict[str, np.ndarray], y: dict[str, np.ndarray], grid: Sequence[float],
                max_iter: int = 2000) -> tuple[np.ndarray, float, pd.DataFrame]:
    """Fit on train for each C, choose C on val, predict test once.

    Args:
        x: k-mer spectra keyed train / val / test.
        y: labels (1 = WT) keyed train / val.
        grid: inverse regularisation strengths C to try.

    Returns:
        P(WT) of the test rows, the chosen C, and the tuning table (C,
        validation log-loss and accuracy) in grid order.
    """
    scaler = StandardScaler().fit(x["train"])
    train, val = scaler.transform(x["train"]), scaler.transform(x["val"])
    rows, fitted = [], {}
    for c in sorted(grid):
        model = LogisticRegression(C=c, l1_ratio=0, max_iter=max_iter).fit(train, y["train"])
        p_val = model.predict_proba(val)[:, 1]
        rows.append({"C": c, "val_log_loss": log_loss(y["val"], p_val, labels=[0, 1]),
                     "val_accuracy": float(((p_val >= 0.5) == y["val"]).mean())})
        fitted[c] = model
    tuning = pd.DataFrame(rows)
    best = float(tuning.loc[tuning["val_log_loss"].idxmin(), "C"])  # first = smallest C on ties
    p_test = fitted[best].predict_proba(scaler.transform(x["test"]))[:, 1]
    return p_test, best, tuning


def permute_labels(labels: np.ndarray, split: np.ndarray, seed: int, which: str = "train"
                   ) -> np.ndarray:
    """A copy of ``labels`` with the rows of split ``which`` permuted among themselves (seeded)."""
    out = np.array(labels, copy=True)
    rows = np.flatnonzero(np.asarray(split) == which)
    out[rows] = out[np.random.default_rng(seed).permutation(rows)]
    return out


def chance_flag(mean_accuracy: float, band: float, chance: float = 0.5) -> str:
    """'' when the shuffled control sits within chance ± band, else a one-line warning."""
    if abs(mean_accuracy - chance) <= band:
        return ""
    return (f"WARNING: the shuffled-label control reaches mean test accuracy {mean_accuracy:.3f}, "
            f"outside chance {chance:.2f} ± {band:.2f}; suspect a leak between splits before "
            "trusting any model's accuracy")
