# Config validation, shared names and input functions.
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(workflow.basedir) / "scripts"))

from wtko.config import validate_config  # noqa: E402
from wtko.errors import InputError  # noqa: E402
from wtko.sources import local_path  # noqa: E402

try:
    validate_config(config, Path(workflow.basedir) / "config/schema/config.schema.yaml")
except InputError as exc:
    raise WorkflowError(f"WTKO config error: {exc}") from None

OUTDIR = config["outdir"]
DATASETS = list(config["datasets"])
SEEDS = config["seeds"]
# The interpretable model's motif route runs when ExplaiNN is among the trained baselines.
INTERPRETABLE = "explainn" in config["baselines"]["models"]
# numba (memelite) compiles on first use; cache it where every job can write.
os.environ.setdefault("NUMBA_CACHE_DIR", str(Path(".cache/numba").resolve()))


wildcard_constraints:
    dataset="|".join(DATASETS),
    seed=r"\d+",


def input_specs(dataset):
    """A dataset's inputs as configured: path or URL, keyed genome / wt / ko / counts."""
    cfg = config["datasets"][dataset]
    spec = {"genome": cfg["genome"], **cfg.get("peaks", {})}
    if "counts" in cfg:
        spec["counts"] = cfg["counts"]["file"]
    return spec


def source(dataset, kind):
    """Local path of an input; URLs map to their download location."""
    return local_path(input_specs(dataset)[kind], dataset, kind)


def download_url(wildcards):
    return input_specs(wildcards.dataset)[wildcards.kind]


def uses_bedtools(wildcards):
    return config["datasets"][wildcards.dataset]["sequence_engine"] == "bedtools"


def peak_inputs(wildcards):
    cfg = config["datasets"][wildcards.dataset]
    if "counts" in cfg:
        return {"counts": source(wildcards.dataset, "counts")}
    return {"wt": source(wildcards.dataset, "wt"), "ko": source(wildcards.dataset, "ko")}


def kmer_profiles(wildcards):
    """The profiles the saliency k-mer route reads: the paper's saliency, or any attribution method."""
    method = config["attribution"]["method"]
    if method == "saliency":
        return f"{OUTDIR}/{wildcards.dataset}/saliency/saliency.npz"
    return f"{OUTDIR}/{wildcards.dataset}/attributions/{method}.npz"


def route_inputs(wildcards):
    """Each motif route's TOMTOM table and the table that says which class each of its motifs speaks for."""
    base = f"{OUTDIR}/{wildcards.dataset}"
    return {
        "saliency": f"{base}/motifs/saliency/tomtom.tsv",
        "clusters": f"{base}/motifs/saliency/clusters.tsv",
        "filters": f"{base}/motifs/filters/tomtom.tsv",
        "recurrence": f"{base}/motifs/filters/recurrence.tsv",
        "wt_vs_ko": f"{base}/validation/wt_vs_ko.tsv",
        "modisco": f"{base}/motifs/modisco/tomtom.tsv",
        "modisco_patterns": f"{base}/motifs/modisco/patterns.tsv",
        "optimal": f"{base}/motifs/optimal/tomtom.tsv",
        "optimal_motifs": f"{base}/motifs/optimal/motifs.tsv",
    } | ({
        "interpretable": f"{base}/motifs/interpretable/tomtom.tsv",
        "interpretable_units": f"{base}/motifs/interpretable/units.tsv",
    } if INTERPRETABLE else {})


def get_final_output():
    truth = [f"{OUTDIR}/{d}/motifs/{name}.tsv" for d in DATASETS if "truth" in config["datasets"][d]
             for name in ("recovery", "routes")]
    return truth + [
        path
        for dataset in DATASETS
        for path in (
            f"{OUTDIR}/{dataset}/windows/summary.tsv",
            f"{OUTDIR}/{dataset}/windows/encoded.npz",
            f"{OUTDIR}/{dataset}/evaluation/metrics.tsv",
            f"{OUTDIR}/{dataset}/evaluation/confusion_matrix.png",
            f"{OUTDIR}/{dataset}/evaluation/accuracy_curves.png",
            f"{OUTDIR}/{dataset}/saliency/saliency_maps.png",
            f"{OUTDIR}/{dataset}/motifs/saliency/tomtom.tsv",
            f"{OUTDIR}/{dataset}/motifs/filters/tomtom.tsv",
            f"{OUTDIR}/{dataset}/validation/wt_vs_ko.tsv",
            f"{OUTDIR}/{dataset}/motifs/modisco/tomtom.tsv",
            f"{OUTDIR}/{dataset}/motifs/optimal/tomtom.tsv",
        )
    ] + [f"{OUTDIR}/{d}/motifs/interpretable/tomtom.tsv" for d in DATASETS if INTERPRETABLE]
