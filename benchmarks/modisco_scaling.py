"""Time and peak memory of TF-MoDISco at 10k and 50k seqlets (``python benchmarks/modisco_scaling.py``).

Each size runs in its own subprocess so that its peak is its own: the
subprocess's ``ru_maxrss`` (RUSAGE_SELF) and that of the workers modisco
forks (RUSAGE_CHILDREN, the largest one). Attributions are synthetic:
random 1 kb sequences, half "WT" with CTCF (MA0139.1) sites drawn from its
PFM and hypothetical contributions of +log2(p / 0.25) there, half "KO" with
GATA1 (MA0035.4) sites and -log2(p / 0.25), Gaussian noise everywhere. Sites
are planted 20 % beyond the seqlets wanted and each metacluster is capped at
half the total (``max_seqlets_per_metacluster``), so the size is the number
of seqlets clustered. The test suite imports ``planted_attributions`` from here.

    python benchmarks/modisco_scaling.py              # 10k then 50k, with the 50k/10k ratios
    python benchmarks/modisco_scaling.py 2000 10000   # other sizes, ratio last/first
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
os.environ.setdefault("NUMBA_CACHE_DIR", str(Path(__file__).resolve().parents[1] / ".cache" / "numba"))

WT_MOTIF, KO_MOTIF = "MA0139.1", "MA0035.4"  # CTCF, GATA1
SIZES = (10_000, 50_000)


def jaspar_pfm(matrix_id: str, release: str = "JASPAR2022") -> np.ndarray:
    """(W, 4) probabilities of a JASPAR matrix (pyjaspar, offline), with JASPAR-style pseudocounts."""
    from pyjaspar import jaspardb

    record = jaspardb(release=release).fetch_motif_by_id(matrix_id)
    counts = np.array([record.counts[b] for b in "ACGT"], dtype=float).T + 0.01
    return counts / counts.sum(axis=1, keepdims=True)


def planted_attributions(n_seqs: int, length: int = 200, sites_per_seq: int = 1, seed: int = 0,
                         noise: float = 0.05, wt_motif: str = WT_MOTIF, ko_motif: str = KO_MOTIF
                         ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One-hot (N, 4, L), hypothetical contributions (N, 4, L) and labels (1 = WT, even rows).

    WT rows carry ``sites_per_seq`` sites of ``wt_motif`` whose hypothetical
    contributions are the PFM's log2-odds (positive for its preferred bases),
    KO rows sites of ``ko_motif`` with the negated log2-odds; sites are at
    least 40 bp apart and 10 bp from the ends.
    """
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, 4, (n_seqs, length))
    labels = (np.arange(n_seqs) % 2 == 0).astype(np.uint8)
    hyp = rng.normal(0.0, noise, (n_seqs, 4, length)).astype(np.float32)
    pfms = {1: jaspar_pfm(wt_motif), 0: jaspar_pfm(ko_motif)}
    slot = (length - 20) // sites_per_seq
    for i in range(n_seqs):
        pfm = pfms[int(labels[i])]
        width = len(pfm)
        if slot < width + 40:
            raise ValueError(f"{sites_per_seq} sites of {width} bp do not fit in {length} bp")
        log_odds = np.log2(pfm / 0.25).T * (1 if labels[i] else -1)
        for k in range(sites_per_seq):
            off = 10 + k * slot + int(rng.integers(0, slot - width - 40 + 1))
            codes[i, off:off + width] = (rng.random((width, 1)) > pfm.cumsum(axis=1)).sum(axis=1).clip(0, 3)
            hyp[i, :, off:off + width] += log_odds
    one_hot = np.eye(4, dtype=np.float32)[codes].transpose(0, 2, 1)
    return np.ascontiguousarray(one_hot), hyp, labels


def one(n_seqlets: int) -> None:
    """Run one size and print a result line (called in the subprocess)."""
    from wtko.modisco import ModiscoParams, run_modisco

    sites_per_seq = 12
    n_seqs = int(np.ceil(1.2 * n_seqlets / sites_per_seq / 2)) * 2
    x, hyp, _ = planted_attributions(n_seqs, length=1000, sites_per_seq=sites_per_seq, seed=1)
    params = ModiscoParams(max_seqlets_per_metacluster=n_seqlets // 2)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    run = run_modisco(x, hyp, params, threads=os.cpu_count())
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    used = sum(run.used.values())
    sizes = [len(p.seqlets) for p in (run.pos_patterns or []) + (run.neg_patterns or [])]
    print(f"{n_seqlets:>8,d} {used:>8,d} {n_seqs:>7,d} {seconds:9.1f} s  peak RSS {peak / 1024:7.0f} MiB "
          f"(+{(peak - before) / 1024:6.0f} in the run; largest forked worker {child / 1024:6.0f} MiB)  "
          f"patterns {len(sizes)} {sizes[:6]}  RESULT {seconds:.3f} {peak}", flush=True)


def main(sizes: tuple[int, ...] = SIZES) -> None:
    print(f"{'seqlets':>8} {'used':>8} {'seqs':>7} {'time':>11}   threads: {os.cpu_count()}")
    results = {}
    for n in sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(n)], check=True, capture_output=True,
                             text=True)
        line = [ln for ln in out.stdout.splitlines() if "RESULT" in ln][-1]
        print(line.split("  RESULT")[0], flush=True)
        seconds, peak = line.split("RESULT")[1].split()
        results[n] = (float(seconds), int(peak))
    (t0, m0), (t1, m1) = results[sizes[0]], results[sizes[-1]]
    print(f"ratio {sizes[-1]:,d}/{sizes[0]:,d}: time {t1 / t0:.2f}x, peak RSS {m1 / m0:.2f}x "
          f"(seqlets {sizes[-1] / sizes[0]:.1f}x)")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        one(int(sys.argv[2]))
    else:
        main(tuple(int(a) for a in sys.argv[1:]) or SIZES)
