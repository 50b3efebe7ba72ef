"""The paper's tables as TSV for machines and markdown for the report."""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def write_markdown(df: pd.DataFrame, path: str | Path, float_format: str = "{:.3g}") -> None:
    """A GitHub-style markdown table (no extra dependency)."""
    def cell(v) -> str:
        text = float_format.format(v) if isinstance(v, float) else str(v)
        return text.replace("|", "\\|")

    lines = ["| " + " | ".join(map(str, df.columns)) + " |", "|" + "---|" * len(df.columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in df.itertuples(index=False)]
    Path(path).write_text("\n".join(lines) + "\n")


def write_table(df: pd.DataFrame, stem: str | Path) -> None:
    """``stem.tsv`` and ``stem.md``."""
    df.to_csv(f"{stem}.tsv", sep="\t", index=False)
    write_markdown(df, f"{stem}.md")


def cluster_table(summary: pd.DataFrame) -> pd.DataFrame:
    """Tables 5-6: cluster id, consensus and k-mer count, plus which condition it speaks for."""
    out = summary[["cluster", "consensus", "size", "wt_share", "ko_share", "primary"]].copy()
    out.columns = ["cluster", "consensus", "count", "WT share", "KO share", "primary"]
    return out


def match_table(matches: pd.DataFrame, queries: pd.DataFrame, report_q: float, top: int = 3) -> pd.DataFrame:
    """Tables 7-10: each motif with its ``top`` TF matches (q < report_q) and their families.

    ``queries`` has one row per motif (columns ``query_id`` and ``consensus`` plus any
    descriptive columns to keep, e.g. cluster); motifs without a match stay in the
    table with an empty match, so a reader sees what was tested.
    """
    good = matches[matches["q_value"] < report_q].sort_values(["query_id", "p_value"])
    rows = []
    for row in queries.to_dict("records"):
        hits = good[good["query_id"] == row["query_id"]].drop_duplicates("target_name").head(top)
        row["matched TFs"] = ", ".join(hits["target_name"])
        row["family"] = "; ".join(dict.fromkeys(f for f in hits["target_family"] if f))
        row["best q"] = float(hits["q_value"].min()) if len(hits) else float("nan")
        rows.append(row)
    return pd.DataFrame(rows, columns=[*queries.columns, "matched TFs", "family", "best q"])
