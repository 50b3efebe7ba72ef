"""Label peaks from a peak x condition count table (GEO supplementary matrices).

The default rule is the one the paper's authors used for GSE107075:
log2FC = log2((KO + 1) / (WT + 1)); KO-specific where log2FC > 1; WT where
|log2FC| < 0.2 and WT > 10. Every other row is kept in the bookkeeping as
``not_differential``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import InputError
from .peaks import PEAK_COLUMNS, open_text


def _columns(spec: str | list[str]) -> list[str]:
    return [spec] if isinstance(spec, str) else list(spec)


def read_counts(path: str, cfg: dict) -> pd.DataFrame:
    """Read the table and return peaks (``PEAK_COLUMNS`` + class, log2fc)."""
    try:
        with open_text(path) as fh:
            table = pd.read_csv(fh, sep=cfg["sep"], comment=None, low_memory=False)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read count table ({str(exc).splitlines()[0]})",
                         "give a delimited text table; set counts.sep if it is not tab-separated") from None
    wt_cols, ko_cols = _columns(cfg["wt"]), _columns(cfg["ko"])
    wanted = [cfg["chrom"], cfg["start"], cfg["end"], *wt_cols, *ko_cols]
    if cfg.get("summit"):
        wanted.append(cfg["summit"])
    for col in wanted:
        if col not in table.columns:
            shown = ", ".join(map(str, table.columns[:12]))
            raise InputError(path, f"has no column '{col}'", f"set the counts column names in the "
                             f"config to ones in the header ({shown} ...)", line=1)
    numeric = table[[cfg["start"], cfg["end"], *wt_cols, *ko_cols]].apply(pd.to_numeric, errors="coerce")
    bad = numeric.isna().any(axis=1).to_numpy()
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InputError(path, "non-numeric coordinate or count", "fix the value or remove the row",
                         line=row + 2)
    start = numeric[cfg["start"]].astype(np.int64).to_numpy()
    end = numeric[cfg["end"]].astype(np.int64).to_numpy()
    if (start >= end).any():
        row = int(np.flatnonzero(start >= end)[0])
        raise InputError(path, f"start {start[row]} is not below end {end[row]}",
                         "coordinates are 0-based half-open with start < end", line=row + 2)
    wt = numeric[wt_cols].mean(axis=1).to_numpy()
    ko = numeric[ko_cols].mean(axis=1).to_numpy()
    log2fc = np.log2((ko + 1.0) / (wt + 1.0))
    cls = np.full(len(table), None, dtype=object)
    cls[log2fc > cfg["ko_min_log2fc"]] = "KO"
    cls[(np.abs(log2fc) < cfg["wt_max_abs_log2fc"]) & (wt > cfg["wt_min_count"])] = "WT"
    if cfg.get("summit"):
        centre, centred_on = start + table[cfg["summit"]].astype(np.int64).to_numpy(), "summit"
    else:
        centre, centred_on = (start + end) // 2, "midpoint"
    out = pd.DataFrame({"chrom": table[cfg["chrom"]].astype(str).to_numpy(), "start": start, "end": end,
                        "centre": centre, "centred_on": centred_on,
                        "line": np.arange(2, len(table) + 2)})
    out["class"] = cls
    out["log2fc"] = log2fc
    return out[[*PEAK_COLUMNS, "class", "log2fc"]]
