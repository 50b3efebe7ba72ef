"""End-to-end Snakemake runs on tiny configs (the real CLI, in a temporary folder)."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from conftest import ROOT
from test_windows import regular_peaks

pytestmark = pytest.mark.e2e
SNAKEMAKE = [sys.executable, "-m", "snakemake", "--snakefile", str(ROOT / "Snakefile")]


def run(workdir: Path, config: dict, *targets: str, check: bool = True) -> subprocess.CompletedProcess:
    cfg = workdir / "config.yaml"
    cfg.write_text(yaml.safe_dump(config))
    cmd = [*SNAKEMAKE, "--directory", str(workdir), "--configfile", str(cfg), "--cores", "2", *targets]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if check and done.returncode != 0:
        pytest.fail(f"snakemake failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done


def test_config_error_is_one_clear_line(tmp_path):
    done = run(tmp_path, {"datasets": {"d": {"genome": "g.fa", "peaks": {"wt": "a", "ko": "b"},
                                             "windw": 600}}}, "-n", check=False)
    assert done.returncode != 0
    lines = [line for line in (done.stdout + done.stderr).splitlines() if "WTKO config error" in line]
    assert len(lines) == 1 and "did you mean 'window'" in lines[0]
    assert "Traceback" not in done.stderr


def test_file_urls_are_downloaded_checksummed_and_windowed(tmp_path, tiny_genome):
    wt = regular_peaks(tmp_path, "wt.narrowPeak", 1_000)
    ko = regular_peaks(tmp_path, "ko.narrowPeak", 2_000)
    digest = hashlib.sha256(tiny_genome.read_bytes()).hexdigest()
    config = {"outdir": "out", "datasets": {"tiny": {
        "genome": tiny_genome.as_uri(), "checksums": {"genome": digest},
        "peaks": {"wt": wt.as_uri(), "ko": str(ko)}, "validation": {"chromosomes": ["chr8"]}}}}
    run(tmp_path, config, "out/tiny/windows/summary.tsv")
    assert (tmp_path / "resources/downloads/tiny/genome/genome.fa").read_bytes() == tiny_genome.read_bytes()
    summary = pd.read_csv(tmp_path / "out/tiny/windows/summary.tsv", sep="\t")
    assert summary.loc[summary["reason"] == "kept", "count"].sum() == 90


def test_bad_peak_file_fails_with_one_line(tmp_path, tiny_genome):
    wt = regular_peaks(tmp_path, "wt.narrowPeak", 1_000)
    with open(wt, "a") as fh:
        fh.write("chr1\t900\t100\n")
    config = {"outdir": "out", "datasets": {"bad": {
        "genome": str(tiny_genome), "peaks": {"wt": str(wt), "ko": str(wt)},
        "validation": {"chromosomes": ["chr8"]}}}}
    done = run(tmp_path, config, "out/bad/windows/summary.tsv", check=False)
    assert done.returncode != 0
    errors = [line for line in done.stderr.splitlines() if line.startswith("WTKO input error")]
    assert errors == [f"WTKO input error: {wt}:46: start 900 is not below end 100. Fix: BED intervals "
                      "are 0-based half-open with 0 <= start < end"]


TINY = {
    "outdir": "out",
    "seeds": [1, 2],
    "demo": {"seed": 3, "n_chromosomes": 20, "chromosome_length": 60_000, "peaks_per_class": 150},
    "training": {"epochs": 2, "patience": 1, "batch_size": 32, "grad_accum": 1},
    "filters": {"min_seeds": 1},
    "datasets": {"demo": {"genome": "resources/demo/genome.fa",
                          "peaks": {"wt": "resources/demo/wt.narrowPeak", "ko": "resources/demo/ko.narrowPeak"},
                          "n_clusters": 3, "truth": "resources/demo/truth.tsv"}},
}


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    """The whole default workflow (``rule all``) on a tiny demo, once for this module."""
    workdir = tmp_path_factory.mktemp("tiny")
    config = {**TINY, "demo": {**TINY["demo"], "markov_table": str(ROOT / "resources/markov_mm10_atac_order5.tsv")}}
    run(workdir, config)
    return workdir / "out" / "demo"


def test_tiny_run_writes_every_documented_output(tiny_run):
    for seed in (1, 2):
        history = pd.read_csv(tiny_run / f"models/seed{seed}/history.tsv", sep="\t")
        assert list(history.columns) == ["epoch", "train_loss", "train_acc", "val_loss", "val_acc",
                                         "test_acc", "seconds"]
        preds = pd.read_csv(tiny_run / f"evaluation/seed{seed}/predictions.tsv", sep="\t")
        assert list(preds.columns) == ["name", "chrom", "label", "p_wt", "pred"]
        assert set(preds["chrom"]) <= {"chr6", "chr7"}
    metrics = pd.read_csv(tiny_run / "evaluation/metrics.tsv", sep="\t", dtype={"seed": str})
    assert metrics["seed"].tolist() == ["1", "2", "mean", "sd"]
    for stem in ("evaluation/confusion_matrix", "evaluation/accuracy_curves", "saliency/saliency_maps",
                 "validation/known_barplot"):
        assert (tiny_run / f"{stem}.png").stat().st_size > 0 and (tiny_run / f"{stem}.svg").exists()
    tomtom = pd.read_csv(tiny_run / "motifs/saliency/tomtom.tsv", sep="\t")
    assert list(tomtom.columns) == ["cluster", "query_id", "query_consensus", "target_id", "target_name",
                                    "target_family", "p_value", "e_value", "q_value", "offset", "orientation"]
    filters = pd.read_csv(tiny_run / "motifs/filters/tomtom.tsv", sep="\t")
    assert list(filters.columns) == list(tomtom.columns)
    kmers = pd.read_csv(tiny_run / "saliency/kmers.tsv", sep="\t")
    assert len(kmers) == 3 * len(pd.read_csv(tiny_run / "evaluation/seed1/predictions.tsv", sep="\t"))
    assert set(kmers["method"]) == {"saliency"} and kmers["kmer"].str.len().eq(20).all()
    for cls in ("wt", "ko"):
        head = (tiny_run / f"validation/{cls}/knownResults.txt").read_text().splitlines()[0]
        assert head.startswith("Motif Name\tConsensus\tP-value\tLog P-value\tq-value (Benjamini)\t"
                               "# of Target Sequences with Motif(of ")
    assert (tiny_run / "motifs/saliency/table_clusters.md").read_text().startswith("| cluster |")


def test_two_runs_give_byte_identical_tables(tiny_run, tmp_path):
    """Same config twice: every table and figure identical; only history's `seconds` (wall time) differs."""
    config = {**TINY, "demo": {**TINY["demo"], "markov_table": str(ROOT / "resources/markov_mm10_atac_order5.tsv")}}
    run(tmp_path, config)
    again = tmp_path / "out" / "demo"
    files = sorted(p.relative_to(tiny_run) for p in tiny_run.rglob("*")
                   if p.is_file() and p.suffix in {".tsv", ".md", ".svg", ".meme", ".txt", ".gz", ".npz"})
    assert len(files) > 30
    different = []
    for rel in files:
        a, b = (tiny_run / rel), (again / rel)
        if rel.name == "history.tsv":
            same = pd.read_csv(a, sep="\t").drop(columns="seconds").equals(pd.read_csv(b, sep="\t").drop(columns="seconds"))
        elif rel.suffix == ".npz":
            import numpy as np

            with np.load(a) as x, np.load(b) as y:
                same = all(np.array_equal(x[k], y[k]) for k in x.files)
        else:
            same = a.read_bytes() == b.read_bytes()
        if not same:
            different.append(str(rel))
    assert not different, different


def test_killed_training_resumes_to_identical_results(tmp_path):
    """SIGKILL the whole run in mid-training, rerun, and get the uninterrupted run's metrics."""
    import os
    import signal
    import time

    config = {**TINY, "seeds": [1], "training": {**TINY["training"], "epochs": 40, "patience": 40},
              "demo": {**TINY["demo"], "markov_table": str(ROOT / "resources/markov_mm10_atac_order5.tsv")}}
    target = "out/demo/evaluation/metrics.tsv"
    straight = tmp_path / "straight"
    straight.mkdir()
    run(straight, config, target)
    killed = tmp_path / "killed"
    killed.mkdir()
    (killed / "config.yaml").write_text(yaml.safe_dump(config))
    cmd = [*SNAKEMAKE, "--directory", str(killed), "--configfile", str(killed / "config.yaml"), "--cores", "2", target]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    state = killed / "out/demo/models/seed1/train_state.pt"
    log = killed / "out/logs/demo/train/seed1.log"
    deadline = time.time() + 600
    while time.time() < deadline and not (state.exists() and "epoch 3/40" in log.read_text()):
        assert proc.poll() is None, "the run ended before it could be killed"
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert state.exists() and not (killed / "out/demo/evaluation/metrics.tsv").exists()
    run(killed, config, "--unlock")  # a SIGKILLed Snakemake leaves its lock behind
    run(killed, config, target)
    assert "resuming" in log.read_text().lower()
    assert (killed / target).read_bytes() == (straight / target).read_bytes()
    a = pd.read_csv(straight / "out/demo/models/seed1/history.tsv", sep="\t").drop(columns="seconds")
    b = pd.read_csv(killed / "out/demo/models/seed1/history.tsv", sep="\t").drop(columns="seconds")
    pd.testing.assert_frame_equal(a, b)
    assert not state.exists()


def test_paper_configs_resolve(tmp_path):
    """RelA's config plans downloads of the GEO matrix and mm10; LSD1's names the files to supply."""
    rela = subprocess.run([*SNAKEMAKE, "--directory", str(tmp_path), "--configfile", str(ROOT / "config/GSE107075.yaml"),
                           "-n", "all", "paper"], capture_output=True, text=True)
    assert rela.returncode == 0, rela.stderr[-2000:]
    assert "resources/downloads/GSE107075/counts/GSE107075_Relamatrix.bgcorrected.deseqnorm_anno.txt.gz" in rela.stdout
    assert "resources/downloads/GSE107075/genome/mm10.fa.gz" in rela.stdout
    lsd1 = subprocess.run([*SNAKEMAKE, "--directory", str(tmp_path), "--configfile", str(ROOT / "config/GSE119222.yaml"),
                           "-n"], capture_output=True, text=True)
    assert lsd1.returncode != 0 and "resources/GSE119222/wt.narrowPeak" in lsd1.stdout + lsd1.stderr
