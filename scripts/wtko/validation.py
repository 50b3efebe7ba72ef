"""Glue of the validation stage: target windows for HOMER, the paper's Tables 11-12.

Both engines write HOMER's knownResults.txt, so the tables and bar plots read
the same files whichever engine ran.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def central(codes: np.ndarray, size: int) -> np.ndarray:
    """The central ``size`` bp of each window: HOMER's ``-size`` around the peak centre."""
    length = codes.shape[1]
    if size >= length:
        return codes
    start = (length - size) // 2
    return codes[:, start:start + size]


def known_table(wt: pd.DataFrame, ko: pd.DataFrame, top: int) -> pd.DataFrame:
    """Tables 11-12: motif, consensus, % targets WT and KO, p WT and KO, for the top motifs.

    The top motifs are the ``top`` best of each class's own ranking, so a motif
    enriched only in KO peaks is not crowded out by WT's.
    """
    keys = list(dict.fromkeys([*wt["motif_name"].head(top), *ko["motif_name"].head(top)]))
    w = wt.drop_duplicates("motif_name").set_index("motif_name")
    k = ko.drop_duplicates("motif_name").set_index("motif_name")
    table = pd.DataFrame({
        "motif": keys,
        "consensus": [w["consensus"].get(m, k["consensus"].get(m, "")) for m in keys],
        "% target WT": [w["pct_target"].get(m, np.nan) for m in keys],
        "% target KO": [k["pct_target"].get(m, np.nan) for m in keys],
        "% background WT": [w["pct_background"].get(m, np.nan) for m in keys],
        "% background KO": [k["pct_background"].get(m, np.nan) for m in keys],
        "p WT": [w["p_value"].get(m, np.nan) for m in keys],
        "p KO": [k["p_value"].get(m, np.nan) for m in keys],
    })
    return table
