"""Time of builtin known-motif enrichment (``python benchmarks/enrichment_scaling.py``).

Targets are 200 bp (HOMER's default ``-size``), the background twice as many,
both random at mouse-like 42% GC with RELA planted in a fifth of the targets;
the motifs are JASPAR2022 CORE vertebrates (841). Timed: :func:`known_enrichment`,
i.e. the FIMO scan of targets plus background and the hypergeometric test.
A size whose projected time exceeds ``--budget`` seconds is run on the
first motifs only and extrapolated linearly in the number of motifs (scan
time is per motif), which the output says. HOMER's guidance is roughly an
hour for 10k targets against 50k background; the ratio printed is our time
for that many sequences (extrapolated linearly in sequences) over 3600 s.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from wtko.enrichment import known_enrichment  # noqa: E402
from wtko.motifs.jaspar import jaspar_motifs  # noqa: E402

SIZES = (1_000, 10_000, 50_000)
HOMER_SEQS, HOMER_SECONDS = 10_000 + 50_000, 3600.0


def random_codes(rng, n: int, length: int = 200, gc: float = 0.42) -> np.ndarray:
    at = (1 - gc) / 2
    return rng.choice(4, size=(n, length), p=[at, gc / 2, gc / 2, at]).astype(np.uint8)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--budget", type=float, default=300.0, help="seconds per size before subsetting motifs")
    parser.add_argument("--method", default="fimo", choices=["fimo", "logodds"])
    args = parser.parse_args()

    motifs = jaspar_motifs("JASPAR2022")
    rela = next(m for m in motifs if m.id == "MA0107.1")
    rng = np.random.default_rng(0)
    # Warm-up: numba compiles (or loads its cache) outside the timings.
    known_enrichment(motifs[:2], random_codes(rng, 10), random_codes(rng, 20), method=args.method)
    print(f"threads={os.environ.get('NUMBA_NUM_THREADS', os.cpu_count())} motifs={len(motifs)} "
          f"method={args.method}")
    print("targets  background  motifs_run  seconds  seconds_all_motifs  s_per_1k_seqs  note")
    rate = None  # seconds per sequence for all motifs, from the last full size
    for n in args.sizes:
        targets, background = random_codes(rng, n), random_codes(rng, 2 * n)
        for i in np.flatnonzero(rng.random(n) < 0.2):
            pos = rng.integers(0, 190)
            targets[i, pos:pos + 10] = [rng.choice(4, p=row) for row in rela.probs]
        n_seqs = 3 * n
        run = motifs
        if rate is not None and rate * n_seqs > args.budget:
            k = max(int(len(motifs) * args.budget / (rate * n_seqs)), 20)
            run = [rela] + [m for m in motifs if m is not rela][: k - 1]
        start = time.perf_counter()
        df = known_enrichment(run, targets, background, method=args.method)
        seconds = time.perf_counter() - start
        full = seconds * len(motifs) / len(run)
        if len(run) == len(motifs):
            rate = full / n_seqs
        note = "full" if len(run) == len(motifs) else f"extrapolated from {len(run)} motifs"
        top = df.iloc[0]
        print(f"{n:7d}  {2 * n:10d}  {len(run):10d}  {seconds:7.1f}  {full:18.1f}  "
              f"{1000 * full / n_seqs:13.2f}  {note}; top={top.motif_name} q={top.q_value:.1e}",
              flush=True)
    if rate is not None:
        homer_like = rate * HOMER_SEQS
        print(f"projected for HOMER's guidance (10k targets + 50k background, {len(motifs)} motifs): "
              f"{homer_like:.0f} s = {homer_like / HOMER_SECONDS:.3f} x HOMER's ~1 h")


if __name__ == "__main__":
    main()
