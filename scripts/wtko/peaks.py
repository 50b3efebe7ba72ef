"""Read narrowPeak and BED peak files strictly, line by line.

Real peak files carry headers (``track``, ``browser``, ``#``), CRLF endings and
gzip; those are handled. Structural errors (too few columns, non-integer
coordinates, start > end, a summit outside its peak) stop the run with the file,
the line and the fix, because a silently skipped line would bias the classes.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .errors import InputError

PEAK_COLUMNS = ["chrom", "start", "end", "centre", "centred_on", "line"]
HEADER_PREFIXES = ("track", "browser", "#")


@dataclass
class PeakFile:
    """Peaks of one file: the table, how many header lines were skipped, its format."""

    table: pd.DataFrame
    n_header: int
    fmt: str


def open_text(path: str | Path):
    """Open plain or gzip (plain gzip and bgzip alike) text, by magic bytes."""
    with open(path, "rb") as fh:
        magic = fh.read(2)
    if magic == b"\x1f\x8b":
        return gzip.open(path, "rt", newline="")
    return open(path, "rt", newline="")


def _int(field: str, what: str, path: str, line: int) -> int:
    try:
        return int(field)
    except ValueError:
        raise InputError(path, f"{what} '{field}' is not an integer", "peak files are tab-separated "
                         "BED/narrowPeak with integer start and end in columns 2-3", line) from None


def read_peaks(path: str | Path) -> PeakFile:
    """Parse a narrowPeak (BED6+4, summit offset in column 10) or BED3+ file.

    Windows are centred on ``start + summit`` for narrowPeak rows with a summit
    (>= 0) and on the midpoint otherwise; ``centred_on`` records which, so the
    summary can count midpoint-centred peaks.
    """
    path = str(path)
    try:
        handle = open_text(path)
    except OSError as exc:
        raise InputError(path, f"cannot read peak file ({exc.strerror})",
                         "check the path under datasets.<name>.peaks in the config") from None
    rows, n_header, n_cols = [], 0, set()
    with handle:
        for lineno, raw in enumerate(handle, start=1):
            text = raw.rstrip("\r\n")
            if not text.strip() or text.startswith(HEADER_PREFIXES):
                n_header += 1
                continue
            fields = text.split("\t")
            if len(fields) < 3:
                fields = text.split()
            if len(fields) < 3:
                raise InputError(path, f"line has {len(fields)} column(s); BED needs at least 3 "
                                 "(chrom, start, end)", "fix or remove the line; columns must be "
                                 "tab-separated", lineno)
            chrom = fields[0]
            start = _int(fields[1], "start", path, lineno)
            end = _int(fields[2], "end", path, lineno)
            if start < 0 or start >= end:
                raise InputError(path, f"start {start} is not below end {end}",
                                 "BED intervals are 0-based half-open with 0 <= start < end", lineno)
            centre, centred_on = (start + end) // 2, "midpoint"
            if len(fields) >= 10:
                summit = _int(fields[9], "summit (column 10)", path, lineno)
                if summit >= 0:
                    if summit >= end - start:
                        raise InputError(path, f"summit offset {summit} lies outside the peak "
                                         f"(width {end - start})", "column 10 of narrowPeak is the "
                                         "summit offset from start, in [0, end-start), or -1", lineno)
                    centre, centred_on = start + summit, "summit"
            n_cols.add(len(fields))
            rows.append((chrom, start, end, centre, centred_on, lineno))
    table = pd.DataFrame(rows, columns=PEAK_COLUMNS)
    fmt = "narrowPeak" if n_cols and min(n_cols) >= 10 else "bed"
    return PeakFile(table=table, n_header=n_header, fmt=fmt)
