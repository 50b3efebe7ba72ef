"""Attribution throughput on CPU, every method against plain saliency
(``python benchmarks/attribution_throughput.py [n_sequences] [length] [batch_size]``).

Uses the WTKO-CNN with random weights (throughput does not depend on
training) and the workflow's defaults: 20 dinucleotide shuffles for
DeepLIFT/SHAP, 50 integrated-gradients steps, ISM with and without
tangermeme's fastISM (which it only engages for jobs it expects to take
over 30 s, so use at least ~24 sequences of 600 bp). Prints sequences/s per
method and its ratio to ``saliency`` measured in the same run.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from wtko.attributions import attribute  # noqa: E402
from wtko.encode import one_hot  # noqa: E402
from wtko.models.wtko_cnn import WTKOCNN  # noqa: E402

RUNS = [("saliency", "saliency", {}), ("grad_x_input", "grad_x_input", {}),
        ("deeplift_shap (20 shuffles)", "deeplift_shap", {"n_shuffles": 20}),
        ("integrated_gradients (50 steps)", "integrated_gradients", {"n_steps": 50}),
        ("ism", "ism", {"fast": False}), ("ism fast=True", "ism", {"fast": True})]


def rate(model: torch.nn.Module, x: np.ndarray, method: str, batch_size: int, **options) -> float:
    """Sequences per second of :func:`attribute` after a warm-up call.

    The warm-up runs on all of ``x`` (oneDNN builds its kernels per batch
    shape, which would otherwise be timed) except for ISM, whose batches of
    edits have the same shapes for every sequence, so one sequence warms it.
    """
    attribute(model, x[:1] if method == "ism" else x, method, batch_size=batch_size, **options)
    t0 = time.perf_counter()
    attribute(model, x, method, batch_size=batch_size, **options)
    return len(x) / (time.perf_counter() - t0)


def main(n: int = 24, length: int = 600, batch_size: int = 256) -> None:
    torch.manual_seed(0)
    x = one_hot(np.random.default_rng(0).integers(0, 4, size=(n, length)).astype(np.uint8))
    model = WTKOCNN().eval()
    print(f"{n} sequences of {length} bp, batch {batch_size}, torch {torch.__version__}, "
          f"{torch.get_num_threads()} threads")
    base = None
    for label, method, options in RUNS:
        r = rate(model, x, method, batch_size, **options)
        base = base or r
        print(f"  {label:32s} {r:9.2f} seq/s  ({r / base:.4f}x saliency)")


if __name__ == "__main__":
    main(*map(int, sys.argv[1:4]))
