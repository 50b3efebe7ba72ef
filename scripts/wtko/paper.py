"""The paper's tables and figures for one dataset, gathered under ``{outdir}/{dataset}/paper/``.

Tables 1, 4 and 13 and Figure 10 are built here from the windows and the
metrics of every model; the other elements are copies of what the stages
wrote, renamed by paper element (``UPSTREAM``). A stage that this workflow
lacks is listed in ``index.md`` as missing, never silently left out, and a
shuffled-label control outside the chance band puts a WARNING at the top of
the index and a flag in Table 13.

Every table is written as TSV (machines), markdown (reading) and a small
HTML page (the Snakemake report shows HTML inline, not TSV).
"""

from __future__ import annotations

import html
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .metrics import METRIC_COLUMNS
from .tables import write_table

SUMMARY_METRICS = [m for m in METRIC_COLUMNS if m != "n_test"]
CLASS_LABELS = {1: "WT", 0: "KO"}


@dataclass(frozen=True)
class Upstream:
    """A stage output copied into the paper folder.

    ``source`` is relative to ``{outdir}/{dataset}/`` and, like ``target``
    (relative to ``paper/``), has no extension for tables (``.tsv``) and
    figures (``.png`` and ``.svg``); folders are copied whole.
    """

    key: str
    element: str
    source: str
    target: str
    kind: str  # table | figure | folder
    config: str  # the config sections it depends on

    def sources(self) -> list[str]:
        return {"table": [f"{self.source}.tsv"], "figure": [f"{self.source}.png", f"{self.source}.svg"],
                "folder": [self.source]}[self.kind]


UPSTREAM = (
    Upstream("confusion", "Figure 5: confusion matrix of WTKO-CNN (test set)",
             "evaluation/confusion_matrix", "figure5_confusion_matrix", "figure", "training, seeds"),
    Upstream("curves", "Figure 6: accuracy curves of WTKO-CNN per seed",
             "evaluation/accuracy_curves", "figure6_accuracy_curves", "figure", "training, seeds"),
    Upstream("saliency_maps", "Figure 7: saliency maps of example test sequences",
             "saliency/saliency_maps", "figure7_saliency_maps", "figure", "saliency"),
    Upstream("clusters_table", "Tables 5-6: saliency k-mer clusters",
             "motifs/saliency/table_clusters", "tables5-6_clusters", "table",
             "saliency, clustering, datasets.*.n_clusters"),
    Upstream("cluster_logos", "Logos of the saliency k-mer clusters (Tables 5-6)",
             "motifs/saliency/clusters", "logos_saliency_clusters", "folder", "saliency, clustering"),
    Upstream("matches_table", "Tables 7-8: de novo cluster motifs and their JASPAR matches",
             "motifs/saliency/table_denovo_matches", "tables7-8_denovo_matches", "table",
             "motif_discovery, motif_comparison"),
    Upstream("filters_table", "Tables 9-10: first-layer filter motifs recurring across seeds",
             "motifs/filters/table_filters", "tables9-10_filter_motifs", "table",
             "filters, motif_comparison"),
    Upstream("filter_logos", "Logos of the recurring filter motifs (Tables 9-10)",
             "motifs/filters/logos", "logos_filters", "folder", "filters"),
    Upstream("known_table", "Tables 11-12: known motifs enriched in WT and KO test peaks",
             "validation/table_known", "tables11-12_known_motifs", "table", "validation"),
    Upstream("known_bars", "Figures 8-9: HOMER-style known-motif bar plots, WT vs KO",
             "validation/known_barplot", "figures8-9_known_motifs", "figure", "validation"),
)


# --- tables built here ----------------------------------------------------------------------


def dataset_sizes(label: np.ndarray, split: np.ndarray) -> pd.DataFrame:
    """Table 1: WT, KO and total windows per split (train, val, test) and overall."""
    frame = pd.DataFrame({"label": np.asarray(label, dtype=int), "split": np.asarray(split)})
    rows = []
    for name, part in [*((s, frame[frame["split"] == s]) for s in ("train", "val", "test")),
                       ("total", frame)]:
        wt, ko = int((part["label"] == 1).sum()), int((part["label"] == 0).sum())
        rows.append({"split": name, "WT": wt, "KO": ko, "total": wt + ko})
    return pd.DataFrame(rows)


def seed_runs(metrics: pd.DataFrame) -> pd.DataFrame:
    """The per-run rows of a metrics.tsv (drops its ``mean`` and ``sd`` summary rows)."""
    return metrics[~metrics["seed"].astype(str).isin(["mean", "sd"])]


def mean_sd(metrics: pd.DataFrame) -> pd.DataFrame:
    """Per metric: mean, sd (ddof=1; NaN for a single run) and n_runs, over the per-run rows."""
    runs = seed_runs(metrics)[SUMMARY_METRICS].apply(pd.to_numeric)
    return pd.DataFrame({"mean": runs.mean(), "sd": runs.std(ddof=1), "n_runs": len(runs)})


def fmt(mean: float, sd: float, digits: int = 3) -> str:
    """'0.912 ± 0.010', or '0.912' when sd is NaN (one run)."""
    if np.isnan(mean):
        return "NA"
    return f"{mean:.{digits}f}" if np.isnan(sd) else f"{mean:.{digits}f} ± {sd:.{digits}f}"


def per_class_table(metrics: pd.DataFrame) -> pd.DataFrame:
    """Table 4: precision, recall and F1 per class and accuracy, mean ± sd over seeds.

    The 'macro' row averages the two classes, as in scikit-learn's report.
    """
    s = mean_sd(metrics)
    runs = seed_runs(metrics)
    rows = []
    for cls in ("WT", "KO"):
        rows.append({"class": cls, **{name: fmt(s.loc[f"{col}_{cls}", "mean"], s.loc[f"{col}_{cls}", "sd"])
                                      for name, col in (("precision", "precision"), ("recall", "recall"),
                                                        ("F1", "f1"))}, "accuracy": ""})
    macro = {}
    for name, col in (("precision", "precision"), ("recall", "recall"), ("F1", "f1")):
        per_run = (pd.to_numeric(runs[f"{col}_WT"]) + pd.to_numeric(runs[f"{col}_KO"])) / 2
        macro[name] = fmt(per_run.mean(), per_run.std(ddof=1))
    rows.append({"class": "macro", **macro,
                 "accuracy": fmt(s.loc["accuracy", "mean"], s.loc["accuracy", "sd"])})
    return pd.DataFrame(rows)


def comparison_long(runs: Mapping[str, pd.DataFrame], kinds: Mapping[str, str]) -> pd.DataFrame:
    """Long table model, kind, metric, mean, sd, n_runs for every model's metrics.tsv, in order."""
    frames = []
    for model, metrics in runs.items():
        s = mean_sd(metrics).rename_axis("metric").reset_index()
        s.insert(0, "kind", kinds.get(model, "model"))
        s.insert(0, "model", model)
        frames.append(s)
    return pd.concat(frames, ignore_index=True)


def comparison_table(long: pd.DataFrame, flags: Mapping[str, str]) -> pd.DataFrame:
    """Table 13: one row per model or control, every metric as mean ± sd, and a flag column."""
    rows = []
    for model, part in long.groupby("model", sort=False):
        part = part.set_index("metric")
        rows.append({"model": model, "kind": part["kind"].iloc[0], "runs": int(part["n_runs"].iloc[0]),
                     **{m: fmt(part.loc[m, "mean"], part.loc[m, "sd"]) for m in SUMMARY_METRICS},
                     "flag": "OUTSIDE CHANCE BAND" if flags.get(model) else ""})
    return pd.DataFrame(rows)


# --- writing --------------------------------------------------------------------------------


def write_html_table(df: pd.DataFrame, path: str | Path, title: str, warning: str = "") -> None:
    """A self-contained HTML page with the table (and a red warning above it, if any)."""
    note = f'<p style="color:#b00;font-weight:bold">{html.escape(warning)}</p>' if warning else ""
    Path(path).write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>" + html.escape(title)
        + "</title><style>body{font-family:sans-serif;font-size:13px}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}</style></head><body><h3>"
        + html.escape(title) + "</h3>" + note + df.to_html(index=False, na_rep="", border=0)
        + "</body></html>\n")


def write_all(df: pd.DataFrame, stem: Path, title: str, warning: str = "") -> list[Path]:
    """``stem.tsv``, ``stem.md`` and ``stem.html``; return the three paths."""
    write_table(df, stem)
    write_html_table(df, stem.with_suffix(".html"), title, warning)
    return [stem.with_suffix(s) for s in (".tsv", ".md", ".html")]


def copy_upstream(item: Upstream, dataset_dir: Path, paper_dir: Path) -> list[Path]:
    """Copy one stage output into the paper folder under its paper name; return what was written."""
    if item.kind == "folder":
        target = paper_dir / item.target
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(dataset_dir / item.source, target)
        return [target]
    if item.kind == "table":
        try:
            table = pd.read_csv(dataset_dir / f"{item.source}.tsv", sep="\t")
        except pd.errors.EmptyDataError:  # a stage that found nothing may write an empty file
            table = pd.DataFrame({"note": [f"{item.source}.tsv is empty: the stage found nothing"]})
        return write_all(table, paper_dir / item.target, item.element)
    out = []
    for ext in (".png", ".svg"):
        out.append(paper_dir / f"{item.target}{ext}")
        shutil.copyfile(dataset_dir / f"{item.source}{ext}", out[-1])
    return out


@dataclass(frozen=True)
class IndexEntry:
    files: Sequence[str]
    element: str
    source: str
    config: str


def write_index(path: str | Path, dataset: str, entries: Sequence[IndexEntry],
                missing: Sequence[Upstream], configfiles: Sequence[str],
                warnings: Sequence[str]) -> str:
    """``index.md``: warnings first, then every file with its paper element, source and config.

    Returns the markdown, so the same text can go into the report's HTML page.
    """
    lines = [f"# Paper elements for dataset {dataset}", ""]
    lines += [f"**{w}**" for w in warnings] + ([""] if warnings else [])
    sources = ", ".join(f"`{c}`" for c in configfiles) or "the Snakefile's default"
    lines += [f"Config: {sources}; the effective config, defaults filled in, is `config.yaml` "
              "here. The config column names the sections each element depends on.", "",
              "| file | paper element | source | config |", "|---|---|---|---|"]
    for e in entries:
        files = "<br>".join(f"`{f}`" for f in e.files)
        lines.append(f"| {files} | {e.element} | `{e.source}` | {e.config} |")
    if missing:
        lines += ["", "## Missing", "",
                  "These elements are not produced: no rule of this workflow writes their source.", ""]
        lines += [f"- MISSING: {m.element} (needs `{m.sources()[0]}`)" for m in missing]
    text = "\n".join(lines) + "\n"
    Path(path).write_text(text)
    return text


def write_index_html(path: str | Path, markdown: str, title: str) -> None:
    """The index as a plain HTML page for the report (monospace; warnings in red)."""
    body = "\n".join(
        f'<div style="color:#b00;font-weight:bold">{html.escape(line)}</div>'
        if "WARNING" in line or line.startswith("- MISSING") else f"<div>{html.escape(line)}</div>"
        for line in markdown.splitlines())
    Path(path).write_text("<!DOCTYPE html><html><head><meta charset='utf-8'><title>"
                          + html.escape(title) + "</title></head><body style='font-family:monospace;"
                          "font-size:12px;white-space:pre-wrap'>" + body + "</body></html>\n")
