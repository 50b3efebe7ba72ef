"""profiles/slurm against a real single-node SLURM (Debian packages, started by slurm/start_slurm.sh).

Opt-in: runs only with WTKO_SLURM_TEST=1, as root, where apt-get (or an installed SLURM) is there:

    sudo WTKO_SLURM_TEST=1 .venv/bin/python -m pytest -m slurm -s workflow_tests/test_slurm.py

It runs a tiny demo through sbatch with a copy of profiles/slurm (`--profile`, as users do; only the
partition and memory are fitted to the local node) and the same config locally with --cores 2, then
proves: (1) every rule job went through sbatch and completed there, on the profile's partition;
(2) the training jobs, and only they, asked the scheduler for a GPU; (3) both runs give the same results.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml

from conftest import ROOT

pytestmark = pytest.mark.slurm

HERE = Path(__file__).resolve().parent / "slurm"
SLURM_DIR = Path(os.environ.get("WTKO_SLURM_DIR", "/var/tmp/wtko-slurm"))
SNAKEMAKE = [sys.executable, "-m", "snakemake", "--snakefile", str(ROOT / "Snakefile")]
SETUP_TIMEOUT = 900   # s; includes apt-get install on a fresh machine
RUN_TIMEOUT = 1500    # s; per Snakemake run
GPU_RULES = {"train_model"}

if os.environ.get("WTKO_SLURM_TEST") != "1":
    pytest.skip("set WTKO_SLURM_TEST=1 to run the SLURM test (root, Debian/apt)", allow_module_level=True)
if not hasattr(os, "geteuid") or os.geteuid() != 0:
    pytest.skip("the SLURM test starts daemons and installs packages: run it as root", allow_module_level=True)
if shutil.which("apt-get") is None and shutil.which("slurmctld") is None:
    pytest.skip("no apt-get to install SLURM from", allow_module_level=True)


def tiny_config(outdir: str = "out") -> dict:
    return {
        "outdir": outdir,
        "seeds": [1, 2],
        "demo": {"seed": 7, "n_chromosomes": 20, "chromosome_length": 60_000, "peaks_per_class": 150,
                 "markov_table": str(ROOT / "resources" / "markov_mm10_atac_order5.tsv")},
        "training": {"epochs": 2, "patience": 1, "threads": 1, "device": "cpu"},
        "datasets": {"demo": {
            "genome": "resources/demo/genome.fa",
            "peaks": {"wt": "resources/demo/wt.narrowPeak", "ko": "resources/demo/ko.narrowPeak"},
            "window": 600,
            "test_chromosomes": ["chr6", "chr7"],
            "validation": {"method": "chromosomes", "chromosomes": ["chr8", "chr9"]},
            "balance": {"method": "downsample", "seed": 0},
            "truth": "resources/demo/truth.tsv",
        }},
    }


# --- helpers ---------------------------------------------------------------------------------

def say(request, line: str) -> None:
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(f"[slurm] {line}")
    else:
        print(f"[slurm] {line}", file=sys.stderr)


def tail(path: Path, n: int = 25) -> str:
    try:
        lines = path.read_text(errors="replace").splitlines()
    except OSError:
        return f"--- {path}: absent"
    return f"--- tail {path}\n" + "\n".join(lines[-n:])


def sh(*cmd: str, timeout: float = 30) -> str:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    return done.stdout + done.stderr


def cluster_diagnostics(workdir: Path | None = None) -> str:
    parts = []
    for cmd in (["sinfo", "-N", "-l"], ["squeue", "-a"]):
        try:
            parts.append(f"--- {' '.join(cmd)}\n{sh(*cmd)}")
        except (OSError, subprocess.SubprocessError) as exc:
            parts.append(f"--- {' '.join(cmd)}: {exc}")
    parts += [tail(SLURM_DIR / "log" / name) for name in ("slurmctld.log", "slurmd.log", "jobcomp.txt")]
    if workdir is not None:
        logs = sorted((workdir / ".snakemake" / "slurm_logs").rglob("*.log"))
        parts += [tail(p, 40) for p in logs[-4:]]
    return "\n".join(parts)


def snakemake(workdir: Path, args: list[str], timeout: float) -> tuple[str, float]:
    """Run the CLI; on failure or timeout, fail with its output and the cluster's logs."""
    cmd = [*SNAKEMAKE, "--directory", str(workdir), "--configfile", str(workdir / "config.yaml"), *args]
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGINT)  # Snakemake cancels its SLURM jobs on interrupt
        try:
            out, _ = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
        ids = re.findall(r"submitted with SLURM jobid (\d+)", out)
        if ids:
            subprocess.run(["scancel", *ids], capture_output=True)
        pytest.fail(f"snakemake timed out after {timeout}s: {' '.join(cmd)}\n{out[-4000:]}\n"
                    f"{cluster_diagnostics(workdir)}")
    elapsed = time.monotonic() - start
    (workdir / "snakemake.out").write_text(out)
    if proc.returncode != 0:
        pytest.fail(f"snakemake exited {proc.returncode}: {' '.join(cmd)}\n{out[-6000:]}\n"
                    f"{cluster_diagnostics(workdir)}")
    return out, elapsed


def node_info() -> dict[str, str]:
    text = sh("scontrol", "show", "-o", "node", "localhost")
    return dict(re.findall(r"(\w+)=(\S*)", text))


def partitions() -> list[str]:
    return [p.rstrip("*") for p in sh("sinfo", "-h", "-o", "%P").split()]


def default_partition() -> str:
    return next(p.rstrip("*") for p in sh("sinfo", "-h", "-o", "%P").split() if p.endswith("*"))


def fitted_profile(path: Path) -> dict:
    """profiles/slurm, fitted to the local node: a partition it has, memory it can give."""
    profile = yaml.safe_load((ROOT / "profiles" / "slurm" / "config.yaml").read_text())
    node = node_info()
    cap = int(node["RealMemory"]) // 2
    cpus = int(node["CPUTot"])
    defaults = profile.setdefault("default-resources", {})
    if defaults.get("slurm_partition") not in partitions():
        defaults["slurm_partition"] = os.environ.get("WTKO_SLURM_PARTITION", "debug")
    for resources in [defaults, *profile.get("set-resources", {}).values()]:
        if "mem_mb" in resources:
            resources["mem_mb"] = min(int(resources["mem_mb"]), cap)
        if "cpus_per_task" in resources:
            resources["cpus_per_task"] = min(int(resources["cpus_per_task"]), cpus)
    if cap < 4000:  # rules' own mem_mb (at most 4000) must fit a small node too
        for rule in ("make_demo", "prepare_genome", "make_windows", "train_model", "evaluate"):
            profile.setdefault("set-resources", {}).setdefault(rule, {}).setdefault("mem_mb", cap)
    path.mkdir(parents=True, exist_ok=True)
    (path / "config.yaml").write_text(yaml.safe_dump(profile, sort_keys=False))
    return profile


def jobcomp_records() -> dict[str, dict[str, str]]:
    path = SLURM_DIR / "log" / "jobcomp.txt"
    records = {}
    for line in path.read_text().splitlines() if path.exists() else []:
        fields = dict(re.findall(r"(\w+)=(\S*)", line))
        if "JobId" in fields:
            records[fields["JobId"]] = fields
    return records


def scontrol_job(jobid: str) -> dict[str, str]:
    text = sh("scontrol", "show", "-o", "-d", "job", jobid)
    return dict(re.findall(r"(\w+)=(\S*)", text))


def planned_jobs(log: str) -> dict[str, str]:
    """Snakemake job id -> rule, for jobs the scheduler ran remotely (`rule X:`, not `localrule X:`)."""
    return {jobid: rule for rule, jobid in
            re.findall(r"^rule (\w+):\n(?:    .*\n)*?    jobid: (\d+)$", log, flags=re.M)}


def local_jobs(log: str) -> set[str]:
    return set(re.findall(r"^localrule (\w+):", log, flags=re.M))


# --- fixtures ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def cluster(request):
    start = time.monotonic()
    try:
        done = subprocess.run(["bash", str(HERE / "start_slurm.sh")], capture_output=True, text=True,
                              timeout=SETUP_TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"start_slurm.sh took over {SETUP_TIMEOUT}s\n{cluster_diagnostics()}")
    if done.returncode != 0:
        pytest.fail(f"start_slurm.sh failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    elapsed = time.monotonic() - start
    say(request, f"setup {elapsed:.1f}s: {done.stdout.strip()}")
    return {"setup_s": elapsed}


@pytest.fixture(scope="module")
def runs(cluster, request, tmp_path_factory):
    try:
        import snakemake_executor_plugin_slurm  # noqa: F401
    except ImportError:
        pytest.fail("snakemake-executor-plugin-slurm is missing: pip install -r requirements-slurm.txt")
    base = tmp_path_factory.mktemp("slurm")
    target = "out/demo/evaluation/metrics.tsv"
    slurm_dir, local_dir = base / "slurm", base / "local"
    for d in (slurm_dir, local_dir):
        d.mkdir()
        (d / "config.yaml").write_text(yaml.safe_dump(tiny_config()))
    rules = subprocess.run([*SNAKEMAKE, "--directory", str(local_dir), "--configfile",
                            str(local_dir / "config.yaml"), "--list-rules"],
                           capture_output=True, text=True, timeout=120).stdout.split()
    if "train_model" not in rules:  # the training stage is not wired in: test what there is
        target = "out/demo/windows/summary.tsv"
    profile = fitted_profile(base / "profile")

    before = set(jobcomp_records())
    out, slurm_s = snakemake(slurm_dir, ["--profile", str(base / "profile"), target],
                             RUN_TIMEOUT)
    say(request, f"SLURM run {slurm_s:.1f}s ({target})")
    _, local_s = snakemake(local_dir, ["--cores", "2", target], RUN_TIMEOUT)
    say(request, f"local run {local_s:.1f}s; setup {cluster['setup_s']:.1f}s")
    return {"log": out, "slurm": slurm_dir, "local": local_dir, "target": target, "profile": profile,
            "jobs_before": before, "rules": rules}


# --- tests ---------------------------------------------------------------------------------

def submissions(log: str) -> dict[str, str]:
    """Snakemake job id -> SLURM job id, from the executor's log lines."""
    return dict(re.findall(r"Job (\d+) has been submitted with SLURM jobid (\d+)", log))


def test_every_rule_job_went_through_sbatch(runs):
    log = runs["log"]
    planned, submitted = planned_jobs(log), submissions(log)
    assert planned, f"no rule jobs in the Snakemake log:\n{log[-3000:]}"
    assert local_jobs(log) <= {"all"}, f"rules run outside SLURM: {local_jobs(log)}"
    missing = {j: r for j, r in planned.items() if j not in submitted}
    assert not missing, f"jobs not submitted through sbatch: {missing}"
    comp = jobcomp_records()
    partition = runs["profile"]["default-resources"]["slurm_partition"]
    assert partition != default_partition(), "the profile's partition must not be the cluster default"
    for sm_id, slurm_id in submitted.items():
        rule = planned[sm_id]
        assert slurm_id not in runs["jobs_before"], f"SLURM job id {slurm_id} reused"
        rec = comp.get(slurm_id)
        assert rec is not None, f"{rule}: SLURM job {slurm_id} not in jobcomp.txt\n{cluster_diagnostics()}"
        assert rec["JobState"] == "COMPLETED", f"{rule}: SLURM job {slurm_id} is {rec['JobState']}"
        assert Path(rec["WorkDir"]).resolve() == runs["slurm"].resolve(), rec
        assert rec["Partition"] == partition, f"{rule}: ran on {rec['Partition']}, profile says {partition}"
        runtime = runs["profile"].get("set-resources", {}).get(rule, {}).get("runtime")
        if runtime is not None:
            assert rec["TimeLimit"] == str(runtime), f"{rule}: time limit {rec['TimeLimit']}, profile {runtime}"
        info = scontrol_job(slurm_id)
        assert info.get("Comment", "").startswith(f"rule_{rule}"), (rule, info.get("Comment"))
    expected = {"make_demo", "prepare_genome", "make_windows"}
    if "train_model" in runs["rules"]:
        expected |= {"train_model", "evaluate"}
    assert set(planned.values()) == expected
    assert sum(r == "train_model" for r in planned.values()) == (2 if "train_model" in expected else 0)


def test_training_jobs_asked_for_a_gpu(runs):
    if "train_model" not in runs["rules"]:
        pytest.skip("rule train_model is not in the workflow yet")
    planned, submitted = planned_jobs(runs["log"]), submissions(runs["log"])
    seen = {}
    for sm_id, slurm_id in submitted.items():
        info = scontrol_job(slurm_id)
        assert info, f"scontrol has no record of job {slurm_id} (aged out past MinJobAge?)"
        tres = info.get("TresPerJob", "") + info.get("TresPerNode", "")
        asked = "gpu:1" in tres or "gpu=1" in tres
        got = info.get("JOB_GRES", "").startswith("gpu:1")
        seen[planned[sm_id]] = seen.get(planned[sm_id], []) + [(asked, got)]
        if planned[sm_id] in GPU_RULES:
            assert asked, f"{planned[sm_id]} (SLURM job {slurm_id}) did not ask for a GPU: {info}"
            assert got, f"{planned[sm_id]} (SLURM job {slurm_id}) was not given the GPU: {info}"
        else:
            assert not asked, f"{planned[sm_id]} (SLURM job {slurm_id}) asked for a GPU: {tres}"
    assert len(seen["train_model"]) == 2


def test_results_equal_a_local_run(runs):
    slurm, local = runs["slurm"] / "out" / "demo", runs["local"] / "out" / "demo"
    for rel in ("windows/summary.tsv",):
        assert (slurm / rel).read_bytes() == (local / rel).read_bytes(), rel
    with gzip.open(slurm / "windows/windows.tsv.gz") as a, gzip.open(local / "windows/windows.tsv.gz") as b:
        assert a.read() == b.read(), "windows.tsv.gz differs"
    for rel in ("wt.narrowPeak", "ko.narrowPeak", "truth.tsv"):
        assert ((runs["slurm"] / "resources/demo" / rel).read_bytes()
                == (runs["local"] / "resources/demo" / rel).read_bytes()), rel
    if "train_model" not in runs["rules"]:
        pytest.skip("rule train_model is not in the workflow yet: compared the windows stage only")
    a = pd.read_csv(slurm / "evaluation/metrics.tsv", sep="\t")
    b = pd.read_csv(local / "evaluation/metrics.tsv", sep="\t")
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-6, atol=1e-9)
    for seed in (1, 2):
        rel = f"evaluation/seed{seed}/predictions.tsv"
        pd.testing.assert_frame_equal(pd.read_csv(slurm / rel, sep="\t"), pd.read_csv(local / rel, sep="\t"),
                                      check_exact=False, rtol=1e-5, atol=1e-6)
