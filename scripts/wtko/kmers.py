"""Salient positions -> k-mers around them (paper section 3.4).

The paper takes the 3 most salient positions of each sequence and the 20 bp
k-mer around each. Adjacent top positions then give near-identical k-mers that
over-weight one site in clustering, so ``min_separation`` optionally forces the
chosen positions apart (greedy by descending saliency; 0 = paper rule).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from .encode import N_CODE, from_codes


def top_positions(profile: np.ndarray, k: int = 3, min_separation: int = 0) -> np.ndarray:
    """(N, L) profile -> (N, k) positions, most salient first.

    Chosen positions are at least ``min_separation`` apart; ties go to the
    lower position. Each pick blocks at most ``2*min_separation - 1``
    positions, so greedy always finds ``k`` when the check below passes.
    """
    profile = np.asarray(profile)
    n, length = profile.shape
    block = max(2 * min_separation - 1, 1)
    if k < 1 or (k - 1) * block + 1 > length:
        raise ValueError(f"cannot pick {k} positions {min_separation} apart in length {length}")
    order = np.argsort(-profile, axis=1, kind="stable")
    if min_separation <= 1:
        return order[:, :k].copy()
    out = np.empty((n, k), dtype=order.dtype)
    for i in range(n):
        chosen: list[int] = []
        for p in order[i]:
            if all(abs(p - q) >= min_separation for q in chosen):
                chosen.append(p)
                if len(chosen) == k:
                    break
        out[i] = chosen
    return out


def extract_kmers(codes: np.ndarray, positions: np.ndarray, width: int = 20) -> tuple[np.ndarray, int]:
    """k-mers of ``width`` around each position, padded with N past the ends.

    The window is ``p - width//2 .. p - width//2 + width - 1``: for width 20
    that is p-10..p+9, so the salient base is the 11th. Returns (M, width)
    codes, row-major over (sequence, rank), and how many k-mers needed padding.
    """
    codes = np.asarray(codes)
    positions = np.asarray(positions)
    n, length = codes.shape
    starts = positions.reshape(-1) - width // 2
    cols = starts[:, None] + np.arange(width)
    rows = np.repeat(np.arange(n), positions.shape[1])[:, None]
    inside = (cols >= 0) & (cols < length)
    kmers = np.where(inside, codes[rows, np.clip(cols, 0, length - 1)], N_CODE).astype(np.uint8)
    return kmers, int((~inside).any(axis=1).sum())


def kmer_table(names: Sequence[str], labels: np.ndarray, preds: np.ndarray, positions: np.ndarray,
               saliency: np.ndarray, kmers: np.ndarray) -> pd.DataFrame:
    """One row per k-mer: its sequence, true label, prediction, position, saliency, k-mer.

    ``positions`` and ``saliency`` are (N, k) (the profile at those positions,
    e.g. ``np.take_along_axis(profile, positions, 1)``); ``kmers`` is (N*k, W).
    """
    positions = np.asarray(positions)
    k = positions.shape[1]
    if len(kmers) != positions.size:
        raise ValueError(f"{len(kmers)} k-mers for {positions.size} positions")
    return pd.DataFrame({
        "name": np.repeat(np.asarray(names, dtype=str), k),
        "label": np.repeat(np.asarray(labels), k),
        "pred": np.repeat(np.asarray(preds), k),
        "position": positions.reshape(-1),
        "saliency": np.asarray(saliency, dtype=float).reshape(-1),
        "kmer": from_codes(np.asarray(kmers)),
    })
