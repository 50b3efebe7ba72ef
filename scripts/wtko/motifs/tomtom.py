"""TOMTOM motif comparison: the real tool's argv and tsv, and a builtin twin.

Both engines end in the same tsv (TOMTOM's own layout), so downstream rules
never care which one ran. The builtin uses memelite's TOMTOM, which scores
columns by Euclidean distance rather than TOMTOM's default Pearson; its
p-values are therefore close to, not identical with, ``tomtom -dist pearson``.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from .records import Motif

TOMTOM_COLUMNS = ["query_id", "target_id", "optimal_offset", "p_value", "e_value", "q_value",
                  "overlap", "query_consensus", "target_consensus", "orientation"]
TSV_HEADER = ["Query_ID", "Target_ID", "Optimal_offset", "p-value", "E-value", "q-value",
              "Overlap", "Query_consensus", "Target_consensus", "Orientation"]
_DTYPES = {"query_id": str, "target_id": str, "optimal_offset": int, "p_value": float,
           "e_value": float, "q_value": float, "overlap": int, "query_consensus": str,
           "target_consensus": str, "orientation": str}


def parse_tomtom_tsv(path: str | Path) -> pd.DataFrame:
    """Read ``tomtom.tsv`` (any 5.x) into :data:`TOMTOM_COLUMNS`.

    The table ends at the first blank or ``#`` line after the header (the
    version/command trailer); ids stay strings, so query ``0`` is ``'0'``.
    """
    lines = Path(path).read_text().splitlines()
    if not lines or lines[0].lstrip("#").split("\t") != TSV_HEADER:
        raise InputError(str(path), "not a TOMTOM tsv (header must start with Query_ID)",
                         "pass the tomtom.tsv that 'tomtom -oc DIR' writes", line=1)
    body = []
    for line in lines[1:]:
        if not line.strip() or line.startswith("#"):
            break
        body.append(line)
    df = pd.read_csv(io.StringIO("\n".join(body)), sep="\t", header=None, names=TOMTOM_COLUMNS,
                     dtype=str, keep_default_na=False)
    return df.astype(_DTYPES)


def write_tomtom_tsv(df: pd.DataFrame, path: str | Path, note: str = "wtko builtin TOMTOM") -> None:
    """Write :data:`TOMTOM_COLUMNS` in TOMTOM's tsv layout, with a ``#`` trailer."""
    out = df[TOMTOM_COLUMNS].copy()
    for col in ("p_value", "e_value", "q_value"):
        out[col] = out[col].map(lambda v: f"{v:.6g}")
    text = out.to_csv(sep="\t", index=False, header=TSV_HEADER, lineterminator="\n")
    Path(path).write_text(text + f"\n# {note}\n")


def tomtom_command(query_meme: str | Path, target_meme: str | Path, outdir: str | Path,
                   thresh: float = 0.5, dist: str = "pearson", min_overlap: int = 5,
                   evalue: bool = False) -> list[str]:
    """argv for MEME suite ``tomtom``; it writes ``outdir/tomtom.tsv``.

    ``-no-ssc`` keeps TOMTOM's published statistics; ``thresh`` is a q-value
    cut-off unless ``evalue`` is set.
    """
    argv = ["tomtom", "-no-ssc", "-oc", str(outdir), "-verbosity", "1",
            "-min-overlap", str(min_overlap), "-dist", dist, "-thresh", str(thresh)]
    if evalue:
        argv.append("-evalue")
    return argv + [str(query_meme), str(target_meme)]


def bh_qvalues(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg q-values (monotone, capped at 1)."""
    p = np.asarray(p, dtype=float)
    n = len(p)
    order = np.argsort(p)
    ranked = p[order] * n / np.arange(1, n + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(n)
    out[order] = np.minimum(q, 1.0)
    return out


def tomtom_builtin(queries: list[Motif], targets: list[Motif], thresh: float = 0.5,
                   evalue: bool = False, n_jobs: int = 1) -> pd.DataFrame:
    """Compare every query with every target via memelite, TOMTOM-style.

    Per query, E = p x number of targets and q is Benjamini-Hochberg over all
    targets, as TOMTOM does; rows with q (or E when ``evalue``) <= ``thresh``
    are kept, sorted by query then p. ``optimal_offset`` is TOMTOM's: the
    target column that query column 0 aligns to (negative when the query
    overhangs the target's start), counted on the reverse-complemented target
    when ``orientation`` is '-', whose ``target_consensus`` is then the
    reverse complement, as in TOMTOM's output.
    """
    from memelite import tomtom

    if not queries or not targets:
        return pd.DataFrame(columns=TOMTOM_COLUMNS).astype(_DTYPES)
    p, _, offsets, overlaps, strands = tomtom(
        [m.probs.T for m in queries], [m.probs.T for m in targets], n_jobs=n_jobs)[:5]
    rows = []
    n_t = len(targets)
    for i, query in enumerate(queries):
        q = bh_qvalues(p[i])
        e = p[i] * n_t
        keep = np.flatnonzero((e if evalue else q) <= thresh)
        for j in keep[np.argsort(p[i, keep], kind="stable")]:
            minus = bool(strands[i, j])
            target = targets[j].reverse_complement() if minus else targets[j]
            rows.append([query.id, targets[j].id, int(offsets[i, j]), p[i, j], e[j], q[j],
                         int(overlaps[i, j]), query.consensus, target.consensus,
                         "-" if minus else "+"])
    return pd.DataFrame(rows, columns=TOMTOM_COLUMNS).astype(_DTYPES)
