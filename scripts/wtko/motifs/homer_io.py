"""HOMER's knownResults.txt and .motif files.

The builtin enrichment engine writes knownResults.txt byte-compatible with
``findMotifsGenome.pl``, so HOMER users and their scripts read our output as
they read HOMER's. HOMER hides the sequence totals in two column names
(``...Motif(of 4828)``); the parser moves them into ``df.attrs``.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from .records import Motif

KNOWN_COLUMNS = ["motif_name", "consensus", "p_value", "log_p_value", "q_value",
                 "n_target", "pct_target", "n_background", "pct_background"]
_HEADER = ("Motif Name\tConsensus\tP-value\tLog P-value\tq-value (Benjamini)\t"
           "# of Target Sequences with Motif(of {t})\t% of Target Sequences with Motif\t"
           "# of Background Sequences with Motif(of {b})\t% of Background Sequences with Motif")
_TOTAL = re.compile(r"\(of ([\d.]+)\)")


def _total(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() else value


def parse_known_results(path: str | Path) -> pd.DataFrame:
    """knownResults.txt -> :data:`KNOWN_COLUMNS`, totals in ``df.attrs``.

    ``log_p_value`` is HOMER's natural log; ``p_value`` is HOMER's rounded
    ``1e-55`` string as a float, so rank by ``log_p_value``.
    """
    with open(path) as handle:
        header = handle.readline().rstrip("\n").split("\t")
    if len(header) != 9 or header[0] != "Motif Name":
        raise InputError(str(path), "not a HOMER knownResults.txt (9 columns from 'Motif Name')",
                         "pass the knownResults.txt of findMotifsGenome.pl/findMotifs.pl", line=1)
    totals = [_TOTAL.search(header[5]), _TOTAL.search(header[7])]
    if not all(totals):
        raise InputError(str(path), "target/background totals '(of N)' missing in the header",
                         "pass an unedited knownResults.txt", line=1)
    df = pd.read_csv(path, sep="\t", skiprows=1, header=None, names=KNOWN_COLUMNS,
                     dtype={"motif_name": str, "consensus": str}, keep_default_na=False)
    for col in ("pct_target", "pct_background"):
        df[col] = df[col].astype(str).str.rstrip("%").astype(float)
    for col in ("p_value", "log_p_value", "q_value", "n_target", "n_background"):
        df[col] = df[col].astype(float)
    df.attrs["n_target_total"] = _total(totals[0].group(1))
    df.attrs["n_background_total"] = _total(totals[1].group(1))
    return df


def write_known_results(df: pd.DataFrame, path: str | Path, n_target_total: int,
                        n_background_total: int | float) -> None:
    """Write :data:`KNOWN_COLUMNS` with HOMER's exact header and number formats.

    As HOMER does, the P-value column is ``1e<int(log10 p)>``, taken from
    ``p_value`` (``log_p_value`` is printed rounded, too coarse for the
    exponent) unless p underflowed to 0.
    """
    lines = [_HEADER.format(t=n_target_total, b=n_background_total)]
    for r in df[KNOWN_COLUMNS].itertuples(index=False):
        lines.append("\t".join([
            r.motif_name, r.consensus, f"1e{int(math.log10(r.p_value) if r.p_value > 0 else r.log_p_value / math.log(10))}",
            f"{r.log_p_value:.3e}", f"{r.q_value:.4f}", f"{r.n_target:.1f}",
            f"{r.pct_target:.2f}%", f"{r.n_background:.1f}", f"{r.pct_background:.2f}%"]))
    Path(path).write_text("\n".join(lines) + "\n")


def _homer_motif(header: list[str], rows: list[list[float]], path: str, line: int) -> Motif:
    if len(header) < 3 or not rows:
        raise InputError(path, "HOMER motif needs '>consensus<TAB>name<TAB>threshold' and rows",
                         "pass a .motif/.motifs file written by HOMER", line=line)
    name = header[1]
    probs = np.array(rows)
    meta = {"threshold": float(header[2]), "consensus": header[0].lstrip(">")}
    if len(header) > 3:
        meta["log_p_value"] = float(header[3])
    if len(header) > 5:
        meta["stats"] = header[5]
    motif_id, _, best_guess = name.partition(",BestGuess:")
    if best_guess:
        meta["best_guess"] = best_guess
    return Motif(id=motif_id, probs=probs / probs.sum(axis=1, keepdims=True), name=name,
                 source="homer", meta=meta)


def read_homer_motifs(path: str | Path) -> list[Motif]:
    """Motifs of a HOMER .motif/.motifs file; ``meta['threshold']`` is HOMER's log-odds cut.

    ``id`` is the name field before any ``,BestGuess:`` annotation (kept in
    ``meta['best_guess']``); known-motif names keep their commas.
    """
    path = str(path)
    motifs: list[Motif] = []
    header: list[str] | None = None
    rows: list[list[float]] = []
    start = 0
    with open(path) as handle:
        for lineno, raw in enumerate(handle, start=1):
            line = raw.rstrip("\n")
            if line.startswith(">"):
                if header is not None:
                    motifs.append(_homer_motif(header, rows, path, start))
                header, rows, start = line.split("\t"), [], lineno
            elif line.strip():
                if header is None:
                    raise InputError(path, "matrix row before the first '>' header",
                                     "start each motif with a '>' header line", line=lineno)
                try:
                    values = [float(x) for x in line.split()]
                except ValueError:
                    values = []
                if len(values) != 4:
                    raise InputError(path, "HOMER matrix row must have 4 numbers (A C G T)",
                                     "fix or remove this line", line=lineno)
                rows.append(values)
    if header is not None:
        motifs.append(_homer_motif(header, rows, path, start))
    return motifs
