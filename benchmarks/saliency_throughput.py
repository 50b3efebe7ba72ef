"""Saliency throughput on CPU, batched vs one sequence at a time
(``python benchmarks/saliency_throughput.py [n_sequences] [length]``).

Uses the WTKO-CNN (64 and 128 filters of width 10, attention pooling) with
random weights: throughput does not depend on training. Prints sequences/s
for each batch size, the per-sequence loop, and their ratio.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from wtko.encode import one_hot  # noqa: E402
from wtko.models.wtko_cnn import WTKOCNN  # noqa: E402
from wtko.saliency import saliency  # noqa: E402


def rate(model: torch.nn.Module, x: np.ndarray, batch_size: int) -> float:
    """Sequences per second of :func:`saliency` at ``batch_size`` (one warm-up batch)."""
    saliency(model, x[:batch_size], batch_size=batch_size)
    t0 = time.perf_counter()
    saliency(model, x, batch_size=batch_size)
    return len(x) / (time.perf_counter() - t0)


def main(n: int = 1024, length: int = 500) -> None:
    torch.manual_seed(0)
    x = one_hot(np.random.default_rng(0).integers(0, 4, size=(n, length)).astype(np.uint8))
    model = WTKOCNN()
    print(f"{n} sequences of {length} bp, torch {torch.__version__}, {torch.get_num_threads()} threads")
    loop = rate(model, x[:min(n, 256)], batch_size=1)
    print(f"  per-sequence loop: {loop:8.1f} seq/s")
    for bs in (32, 256):
        r = rate(model, x, batch_size=bs)
        print(f"  batch {bs:4d}:        {r:8.1f} seq/s  ({r / loop:.1f}x the loop)")


if __name__ == "__main__":
    main(*map(int, sys.argv[1:3]))
