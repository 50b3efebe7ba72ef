"""From peak files (or a count table) and a genome to labelled, split windows.

This is the windows stage end to end; the rule script only does I/O.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import chroms, encode, genome, split, windows
from .counts import read_counts
from .errors import InputError
from .peaks import read_peaks


@dataclass
class Dataset:
    windows: pd.DataFrame  # kept windows: name, chrom, start, end, summit, label, split, sequence
    fates: pd.DataFrame  # every input peak with its reason
    summary: pd.DataFrame
    codes: np.ndarray


def load_peaks(peak_paths: dict[str, str] | None, counts_path: str | None, counts_cfg: dict | None,
               log: logging.Logger) -> pd.DataFrame:
    """All input peaks, one row per input line, with class and source file."""
    if counts_path is not None:
        table = read_counts(counts_path, counts_cfg)
        table["file"] = counts_path
        log.info("%s: %d rows, %d WT, %d KO, %d not differential", counts_path, len(table),
                 (table["class"] == "WT").sum(), (table["class"] == "KO").sum(), table["class"].isna().sum())
        return table
    parts = []
    for cls, path in (("WT", peak_paths["wt"]), ("KO", peak_paths["ko"])):
        parsed = read_peaks(path)
        log.info("%s: %d %s peaks (%d header/blank lines skipped, %d centred on the midpoint)", path,
                 len(parsed.table), parsed.fmt, parsed.n_header,
                 (parsed.table["centred_on"] == "midpoint").sum())
        parsed.table["class"], parsed.table["file"] = cls, path
        parts.append(parsed.table)
    return pd.concat(parts, ignore_index=True)


def _harmonise(peaks: pd.DataFrame, sizes: dict[str, int], cfg: dict, key: str,
               log: logging.Logger) -> tuple[list[str], dict]:
    """Rename peak and config chromosomes to the genome's convention."""
    for path, idx in peaks.groupby("file").groups.items():
        mapping = chroms.harmonise(peaks.loc[idx, "chrom"], sizes, cfg["chrom_names"], path, log)
        peaks.loc[idx, "chrom"] = peaks.loc[idx, "chrom"].map(mapping)
        if not peaks.loc[idx, "chrom"].isin(sizes).any():
            example = peaks.loc[idx[0], "chrom"]
            raise InputError(path, f"none of its chromosomes (e.g. '{example}') is in the genome "
                             f"(e.g. '{next(iter(sizes))}')", "use peaks and genome of the same assembly "
                             "and naming")
    test = [chroms.harmonise([c], sizes, cfg["chrom_names"], f"{key}.test_chromosomes")[c]
            for c in cfg["test_chromosomes"]]
    validation = dict(cfg["validation"])
    validation["chromosomes"] = [chroms.harmonise([c], sizes, cfg["chrom_names"], f"{key}.validation")[c]
                                 for c in validation["chromosomes"]]
    return test, validation


def build_dataset(peaks: pd.DataFrame, fasta: str | Path, cfg: dict, key: str, log: logging.Logger,
                  workdir: str | Path = ".") -> Dataset:
    """Place, filter, fetch, balance and split windows; every peak gets one fate."""
    sizes = genome.chrom_sizes(fasta)
    test, validation = _harmonise(peaks, sizes, cfg, key, log)
    win = windows.place(peaks, sizes, cfg["window"])
    windows.mark_duplicates(win)
    windows.mark_ambiguous(win, cfg["window"])
    kept = win.loc[win["reason"] == "kept", ["chrom", "wstart", "wend"]]
    kept.columns = ["chrom", "start", "end"]
    if cfg["sequence_engine"] == "bedtools":
        raw = genome.fetch_bedtools(fasta, kept, workdir)
    else:
        raw = genome.fetch_pyfaidx(fasta, kept)
    sequences = pd.Series([encode.clean(s) for s in raw], index=kept.index, dtype=object)
    windows.mark_mostly_n(win, sequences, cfg["max_n_fraction"])
    split.balance(win, cfg["balance"]["method"], cfg["balance"]["seed"])
    kept = win[win["reason"] == "kept"].copy()
    for cls in windows.CLASS_LABEL:
        if not (kept["class"] == cls).any():
            lost = win[win["class"] == cls]["reason"].value_counts().to_dict()
            raise InputError(key, f"no {cls} peaks are left after filtering (fates: {lost})",
                             f"see {key}'s windows/summary.tsv; check chromosome names, the window "
                             "size and the peak file")
    kept["split"] = split.assign_splits(kept["chrom"], test, validation, key)
    kept["sequence"] = sequences.loc[kept.index]
    kept["label"] = kept["class"].map(windows.CLASS_LABEL)
    kept["name"] = (kept["class"] + "_" + kept["chrom"] + "_" + kept["wstart"].astype(str) + "_"
                    + kept["wend"].astype(str))
    win.loc[kept.index, "name"] = kept["name"]
    table = kept[["name", "chrom", "wstart", "wend", "centre", "label", "split", "sequence"]]
    table = table.set_axis(["name", "chrom", "start", "end", "summit", "label", "split", "sequence"],
                           axis=1).reset_index(drop=True)
    for name, part in table.groupby("split"):
        log.info("split %s: %d windows (%d WT, %d KO)", name, len(part), part["label"].sum(),
                 (part["label"] == 0).sum())
    fates = win.rename(columns={"wstart": "window_start", "wend": "window_end"})
    return Dataset(windows=table, fates=fates, summary=windows.summarise(win),
                   codes=encode.to_codes(table["sequence"].tolist()))


def save_encoded(path: str | Path, data: Dataset) -> None:
    """The compact training file: uint8 codes (1 byte/base), labels, splits, names."""
    t = data.windows
    np.savez_compressed(path, codes=data.codes, label=t["label"].to_numpy(np.uint8),
                        split=t["split"].to_numpy(str), name=t["name"].to_numpy(str),
                        chrom=t["chrom"].to_numpy(str))
