"""Compare motifs with a database (TOMTOM or memelite's TOMTOM) and name the matches.

Either engine yields TOMTOM's columns; we add the target's TF name and family
so that tables can say *which* transcription factor a cluster speaks for.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .engines import run_tool
from .motifs.meme_format import read_meme, write_meme
from .motifs.records import Motif
from .motifs.tomtom import parse_tomtom_tsv, tomtom_builtin, tomtom_command

MATCH_COLUMNS = ["query_id", "query_consensus", "target_id", "target_name", "target_family",
                 "p_value", "e_value", "q_value", "offset", "orientation"]


def compare(queries: list[Motif], targets: list[Motif], target_meme: str | Path, engine: str,
            thresh: float, workdir: Path, log_path: str) -> pd.DataFrame:
    """TOMTOM matches of ``queries`` against ``targets`` (also on disk as ``target_meme``)."""
    if engine == "builtin" or not queries:
        return tomtom_builtin(queries, targets, thresh=thresh)
    query_meme = workdir / "queries.meme"
    write_meme(queries, query_meme)
    outdir = workdir / "tomtom"
    run_tool(tomtom_command(query_meme, target_meme, outdir, thresh=thresh), log_path)
    return parse_tomtom_tsv(outdir / "tomtom.tsv")


def annotate(matches: pd.DataFrame, annotation: pd.DataFrame, queries: list[Motif]) -> pd.DataFrame:
    """Add target name/family (from ``annotation``: id, name, family) and the query consensus."""
    names = annotation.drop_duplicates("id").set_index("id")
    consensus = {m.id: m.consensus for m in queries}
    out = matches.rename(columns={"optimal_offset": "offset"}).copy()
    out["query_consensus"] = out["query_id"].map(consensus).fillna(out["query_consensus"])
    out["target_name"] = out["target_id"].map(names["name"]).fillna("")
    out["target_family"] = out["target_id"].map(names["family"]).fillna("")
    return out[MATCH_COLUMNS].reset_index(drop=True)


def match_table(queries: list[Motif], target_meme: str | Path, annotation_tsv: str | Path, engine: str,
                thresh: float, workdir: Path, log_path: str, cluster_of: dict) -> pd.DataFrame:
    """Every route's ``tomtom.tsv``: TOMTOM against the target file, named, with a leading ``cluster``.

    ``cluster_of`` maps each query id to what the route groups it by (cluster,
    recurrence group, class, unit, pattern).
    """
    workdir.mkdir(parents=True, exist_ok=True)
    raw = compare(queries, read_meme(target_meme), target_meme, engine, thresh, workdir, log_path)
    annotation = pd.read_csv(annotation_tsv, sep="\t", keep_default_na=False)
    matches = annotate(raw, annotation, queries)
    matches.insert(0, "cluster", matches["query_id"].map(cluster_of))
    return matches
