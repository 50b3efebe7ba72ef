"""Fixed-width windows around peak centres, with a recorded fate for every peak.

Each peak ends in exactly one fate (``REASONS``), so the summary reconciles
with the input line counts and nothing is dropped silently.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

REASONS = ["kept", "not_differential", "chrom_not_in_genome", "off_chrom_end", "duplicate",
           "ambiguous", "mostly_n", "balanced_out"]
CLASS_LABEL = {"WT": 1, "KO": 0}


def place(peaks: pd.DataFrame, sizes: dict[str, int], window: int) -> pd.DataFrame:
    """Add window coordinates and the first fates: unknown chromosome, off its end.

    ``peaks`` has columns chrom (already harmonised), centre and class; rows
    without a class get ``not_differential``.
    """
    out = peaks.copy()
    half = window // 2
    out["wstart"] = out["centre"] - half
    out["wend"] = out["wstart"] + window
    length = out["chrom"].map(sizes)
    fate = np.full(len(out), "kept", dtype=object)
    fate[(out["wstart"] < 0).to_numpy() | (out["wend"] > length).to_numpy()] = "off_chrom_end"
    fate[length.isna().to_numpy()] = "chrom_not_in_genome"
    fate[~out["class"].isin(list(CLASS_LABEL)).to_numpy()] = "not_differential"
    out["reason"] = fate
    return out


def mark_duplicates(win: pd.DataFrame) -> None:
    """Same class, same window: keep the first line, mark the rest ``duplicate``."""
    kept = win["reason"] == "kept"
    dup = win[kept].duplicated(subset=["class", "chrom", "wstart"], keep="first")
    win.loc[dup[dup].index, "reason"] = "duplicate"


def mark_ambiguous(win: pd.DataFrame, window: int) -> None:
    """Windows overlapping a window of the other class cannot carry a label: drop both."""
    kept = win[win["reason"] == "kept"]
    ambiguous = []
    for _, group in kept.groupby("chrom", sort=False):
        for cls, other in (("WT", "KO"), ("KO", "WT")):
            mine = group[group["class"] == cls]
            theirs = np.sort(group.loc[group["class"] == other, "wstart"].to_numpy())
            lo = np.searchsorted(theirs, mine["wstart"].to_numpy() - window, side="right")
            hi = np.searchsorted(theirs, mine["wstart"].to_numpy() + window, side="left")
            ambiguous.append(mine.index[hi > lo])
    if ambiguous:
        win.loc[np.concatenate(ambiguous), "reason"] = "ambiguous"


def mark_mostly_n(win: pd.DataFrame, sequences: pd.Series, max_n_fraction: float) -> None:
    """Drop windows whose share of N (after IUPAC -> N) exceeds ``max_n_fraction``."""
    n_share = sequences.str.count("N") / sequences.str.len()
    win.loc[n_share[n_share > max_n_fraction].index, "reason"] = "mostly_n"


def summarise(win: pd.DataFrame) -> pd.DataFrame:
    """One row per class and fate, every fate listed, with summit/midpoint centring counts."""
    rows = []
    for cls in sorted(win["class"].fillna("unlabelled").unique(), key=str):
        part = win[win["class"].fillna("unlabelled") == cls]
        for reason in REASONS:
            sub = part[part["reason"] == reason]
            rows.append({"class": cls, "reason": reason, "count": len(sub),
                         "centred_on_summit": int((sub["centred_on"] == "summit").sum()),
                         "centred_on_midpoint": int((sub["centred_on"] == "midpoint").sum())})
    return pd.DataFrame(rows)
