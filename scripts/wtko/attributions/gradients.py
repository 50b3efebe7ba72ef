"""Gradient methods: plain gradients and integrated gradients of the WT log-odds.

Both return *hypothetical* contributions, (N, 4, L) scores for every base at
every position; the observed contributions are those times the one-hot input
(see :func:`wtko.attributions.attribute`).
"""

from __future__ import annotations

import numpy as np
import torch
from captum.attr import IntegratedGradients
from torch import nn

from ..saliency import input_gradients
from .target import log_odds

BASELINES = ("uniform", "zeros")


def gradient(model: nn.Module, x: np.ndarray, batch_size: int = 256,
             device: str = "cpu") -> dict[str, np.ndarray]:
    """Hypothetical contributions = d log-odds / d x, from :func:`wtko.saliency.input_gradients`.

    ``input_gradients`` back-propagates the predicted logit of each sequence;
    for a one-output model such as ``WTLogOdds`` that is the log-odds itself,
    so the same batched code serves both (its predictions are then all 0 and
    are not used).
    """
    grads, _ = input_gradients(model, x, batch_size=batch_size, device=device)
    return {"hypothetical": grads}


def baseline_for(x: torch.Tensor, baseline: str) -> torch.Tensor:
    """The integrated-gradients starting point for one-hot ``x``.

    ``uniform``: 0.25 for every base where ``x`` has one and 0 at N, so the
    path stays on the simplex of soft sequences (each column sums to one,
    as in training inputs), no base is favoured by the reference, and N
    positions, which carry no information, get no attribution.
    ``zeros``: the all-N sequence.
    """
    if baseline == "zeros":
        return torch.zeros_like(x)
    if baseline == "uniform":
        return 0.25 * x.sum(dim=1, keepdim=True).expand_as(x).contiguous()
    raise ValueError(f"unknown integrated-gradients baseline {baseline!r}; use one of {BASELINES}")


def integrated_gradients(model: nn.Module, x: np.ndarray, batch_size: int = 256, device: str = "cpu",
                         n_steps: int = 50, baseline: str = "uniform") -> dict[str, np.ndarray]:
    """Integrated gradients (captum, Gauss-Legendre, ``n_steps``) from ``baseline`` to ``x``.

    The hypothetical contribution of base j at position l is the path-averaged
    gradient ``g`` projected like DeepLIFT's: ``(e_j - b_l) . g_l =
    g_jl - sum_c b_cl g_cl``, i.e. what the IG attribution at l would be had
    base j been there, to first order along the same path. At the observed
    base it is exactly the IG attribution summed over channels, so the
    observed contributions obey completeness: they add up to
    ``f(x) - f(baseline)`` up to quadrature error, which is returned as
    ``deltas`` = (f(x) - f(baseline)) - sum of contributions, with
    ``output_diffs`` = f(x) - f(baseline). The default ``uniform`` baseline
    makes the hypothetical scores mean-centred over the four bases (see
    :func:`baseline_for`). ``batch_size`` counts path points per pass.
    """
    ig = IntegratedGradients(model, multiply_by_inputs=False)  # returns the path-averaged gradient
    per_pass = max(1, batch_size // n_steps)
    hyp = np.empty_like(x, dtype=np.float32)
    deltas = np.empty(len(x), dtype=np.float32)
    diffs = np.empty(len(x), dtype=np.float32)
    for start in range(0, len(x), per_pass):
        xb = torch.from_numpy(x[start:start + per_pass]).to(device)
        base = baseline_for(xb, baseline)
        grads = ig.attribute(xb, baselines=base, target=0, n_steps=n_steps,
                             internal_batch_size=max(batch_size, len(xb))).detach()
        stop = start + len(xb)
        hyp[start:stop] = (grads - (base * grads).sum(dim=1, keepdim=True)).cpu().numpy()
        total = ((xb - base) * grads).sum(dim=(1, 2)).cpu().numpy()
        diffs[start:stop] = (log_odds(model, xb, len(xb), device)
                             - log_odds(model, base, len(xb), device))
        deltas[start:stop] = diffs[start:stop] - total
    return {"hypothetical": hyp, "deltas": deltas, "output_diffs": diffs}
