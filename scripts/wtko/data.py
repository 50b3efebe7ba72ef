"""Load the windows stage's ``encoded.npz`` and turn codes into model input.

Sequences stay uint8 codes (one byte per base) until a batch is drawn; the
batch one-hot is built in (N, L, 4) memory order, which is exactly the
channels-last layout the model's convolutions want, so no copy follows.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from .errors import InputError

SPLITS = ("train", "val", "test")
_ARRAYS = ("codes", "label", "split", "name", "chrom")
_EYE = torch.cat([torch.eye(4), torch.zeros(1, 4)])


def load_encoded(path: str | Path) -> dict[str, np.ndarray]:
    """Read and check ``encoded.npz``: codes (N, L) uint8, label/split/name/chrom (N,).

    Raises:
        InputError: a missing array, mismatched lengths, codes above 4,
            labels other than 0/1 or an unknown split name.
    """
    src = str(path)
    with np.load(path, allow_pickle=False) as npz:
        missing = [k for k in _ARRAYS if k not in npz.files]
        if missing:
            raise InputError(src, f"lacks array(s) {', '.join(missing)}",
                             "rebuild it with the windows rule")
        data = {k: npz[k] for k in _ARRAYS}
    codes = data["codes"]
    if codes.ndim != 2 or codes.dtype != np.uint8:
        raise InputError(src, f"codes is {codes.dtype} {codes.shape}, not uint8 (N, L)",
                         "rebuild it with the windows rule")
    if any(len(data[k]) != len(codes) for k in _ARRAYS[1:]):
        raise InputError(src, "arrays have different lengths", "rebuild it with the windows rule")
    if codes.size and codes.max() > 4:
        raise InputError(src, "codes hold values above 4", "codes are A=0 C=1 G=2 T=3 N=4")
    if not np.isin(data["label"], (0, 1)).all():
        raise InputError(src, "labels other than 0 (KO) and 1 (WT)", "rebuild it with the windows rule")
    data["label"] = data["label"].astype(np.uint8)
    bad = set(np.unique(data["split"]).tolist()) - set(SPLITS)
    if bad:
        raise InputError(src, f"unknown split(s) {', '.join(sorted(bad))}",
                         f"splits are {', '.join(SPLITS)}")
    return data


def subset(data: dict[str, np.ndarray], split: str) -> dict[str, np.ndarray]:
    """The rows of one split, every array kept."""
    keep = data["split"] == split
    return {k: v[keep] for k, v in data.items()}


def one_hot_batch(codes: torch.Tensor) -> torch.Tensor:
    """(N, L) integer codes -> (N, 4, L) float32 one-hot, N all zeros, channels-last memory."""
    return _EYE.to(codes.device)[codes.long()].transpose(1, 2)
