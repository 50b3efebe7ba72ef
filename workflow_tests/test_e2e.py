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
