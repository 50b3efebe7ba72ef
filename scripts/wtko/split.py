"""Class balancing and the train / validation / test split.

Test = whole held-out chromosomes (chr6 and chr7 in the paper). Validation is
taken from the training chromosomes, by default also as whole chromosomes:
overlapping peaks on one chromosome share sequence, so a random fraction would
leak near-copies of training windows into model selection.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import InputError


def balance(win: pd.DataFrame, method: str, seed: int) -> None:
    """Downsample the majority class of kept windows to the minority's size (seeded)."""
    if method == "none":
        return
    kept = win[win["reason"] == "kept"]
    counts = kept["class"].value_counts()
    if len(counts) < 2:
        return
    target = counts.min()
    rng = np.random.default_rng(seed)
    for cls, n in counts.items():
        if n > target:
            idx = kept.index[kept["class"] == cls].to_numpy()
            drop = rng.choice(idx, size=n - target, replace=False)
            win.loc[drop, "reason"] = "balanced_out"


def assign_splits(chrom: pd.Series, test: list[str], validation: dict, key: str) -> pd.Series:
    """Label each window train / val / test.

    Args:
        validation: ``{method: chromosomes, chromosomes: [...]}`` or
            ``{method: fraction, fraction: f, seed: s}``.
        key: config key of the dataset, for error messages.
    """
    split = pd.Series("train", index=chrom.index, dtype=object)
    split[chrom.isin(test)] = "test"
    if validation["method"] == "chromosomes":
        clash = sorted(set(validation["chromosomes"]) & set(test))
        if clash:
            raise InputError("config", f"'{key}.validation.chromosomes' and '{key}.test_chromosomes' "
                             f"share {clash}", "choose validation chromosomes that are not held out for test")
        split[chrom.isin(validation["chromosomes"])] = "val"
    else:
        train_idx = split.index[split == "train"].to_numpy()
        rng = np.random.default_rng(validation["seed"])
        n_val = int(round(validation["fraction"] * len(train_idx)))
        split[rng.choice(train_idx, size=n_val, replace=False)] = "val"
    for name, where in (("test", f"{key}.test_chromosomes"), ("val", f"{key}.validation")):
        if not (split == name).any():
            raise InputError("config", f"the {name} split is empty: no kept window lies on '{where}'",
                             f"set '{where}' to chromosomes that carry peaks (or validation.method: fraction)")
    return split
