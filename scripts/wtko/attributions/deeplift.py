"""DeepLIFT/SHAP of the WT log-odds with dinucleotide-shuffled references (tangermeme).

tangermeme's ``deep_lift_shap`` checks the convergence deltas (DeepLIFT's
summation-to-delta: the contributions of an example-reference pair must add
up to f(x) - f(ref)) only to *warn*, against an absolute threshold, and does
not return them. A model with an operation that has no DeepLIFT rule (a
functional nonlinearity, an inline product) is then silently treated as
linear and its attributions are wrong. So the raw per-pair multipliers are
requested (``raw_outputs=True``), the deltas are recomputed here exactly as
tangermeme does, returned for the record, and a run whose deltas are too
large stops with one line.
"""

from __future__ import annotations

import warnings

import numpy as np
import torch
from tangermeme.deep_lift_shap import deep_lift_shap as _deep_lift_shap
from tangermeme.deep_lift_shap import hypothetical_attributions
from tangermeme.ersatz import dinucleotide_shuffle
from tangermeme.utils import TangermemeWarning
from torch import nn

from ..errors import InputError
from .target import log_odds


def references(x: torch.Tensor, first_index: int, n_shuffles: int, random_state: int) -> torch.Tensor:
    """(n, n_shuffles, 4, L) dinucleotide shuffles; sequence i of the whole input uses seed random_state + i.

    Seeding by the sequence's index in the whole input, not in its batch,
    makes the references (and so the attributions) independent of batch_size.
    N positions are shuffled as a fifth character.
    """
    seeds = [random_state + first_index + i for i in range(len(x))]
    return dinucleotide_shuffle(x, n=n_shuffles, random_state=seeds, allow_N=True)


def deeplift_shap(model: nn.Module, x: np.ndarray, batch_size: int = 256, device: str = "cpu",
                  n_shuffles: int = 20, random_state: int = 0, max_delta: float = 1e-3
                  ) -> dict[str, np.ndarray]:
    """Hypothetical DeepLIFT/SHAP contributions averaged over ``n_shuffles`` references.

    Returns ``hypothetical`` (N, 4, L) (tangermeme's hypothetical projection
    of the multipliers, averaged over references), ``deltas`` (N, n_shuffles)
    = (f(x) - f(ref)) - sum((x - ref) * multipliers) and ``output_diffs``
    (N, n_shuffles) = f(x) - f(ref). ``batch_size`` counts
    example-reference pairs per pass.

    Raises:
        InputError: when max |delta| exceeds ``max_delta`` times the mean
            |f(x) - f(ref)| over all pairs (a mean, not each pair's own
            difference, so pairs whose output barely moves cannot fail a
            correct model).
    """
    X = torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32))
    n, length = len(X), X.shape[2]
    per_call = max(1, batch_size // n_shuffles)
    hyp = np.empty((n, 4, length), dtype=np.float32)
    deltas = np.empty((n, n_shuffles), dtype=np.float32)
    diffs = np.empty((n, n_shuffles), dtype=np.float32)
    f_x = log_odds(model, X, batch_size, device)
    for start in range(0, n, per_call):
        xb = X[start:start + per_call]
        refs = references(xb, start, n_shuffles, random_state)
        has_n = bool((xb.sum(dim=1) == 0).any())
        with warnings.catch_warnings():
            # tangermeme refuses N columns in X unless told to only warn; x was checked by attribute()
            warnings.filterwarnings("ignore", message="X must be one-hot encoded", category=TangermemeWarning)
            mult = _deep_lift_shap(model, xb, references=refs, batch_size=batch_size, raw_outputs=True,
                                   warning_threshold=float("inf"), only_warn=has_n, device=device)
        pairs = (mult.reshape(-1, 4, length),
                 xb[:, None].expand_as(refs).reshape(-1, 4, length),
                 refs.reshape(-1, 4, length))
        stop = start + len(xb)
        hyp[start:stop] = hypothetical_attributions(*[(p,) for p in pairs])[0].reshape(
            len(xb), n_shuffles, 4, length).mean(dim=1).numpy()
        f_ref = log_odds(model, pairs[2], batch_size, device).reshape(len(xb), n_shuffles)
        diffs[start:stop] = f_x[start:stop, None] - f_ref
        deltas[start:stop] = diffs[start:stop] - ((xb[:, None] - refs) * mult).sum(dim=(2, 3)).numpy()
    check_deltas(deltas, diffs, max_delta)
    return {"hypothetical": hyp, "deltas": deltas, "output_diffs": diffs}


def relative_delta(deltas: np.ndarray, diffs: np.ndarray) -> float:
    """max |delta| / mean |f(x) - f(ref)| (max |delta| itself when the output never moves)."""
    if deltas.size == 0:
        return 0.0
    scale = float(np.abs(diffs).mean())
    worst = float(np.abs(deltas).max())
    return worst / scale if scale > 0 else worst


def check_deltas(deltas: np.ndarray, diffs: np.ndarray, max_delta: float) -> None:
    """Stop when the DeepLIFT/SHAP deltas show that the contributions do not add up."""
    rel = relative_delta(deltas, diffs)
    if not rel <= max_delta:
        raise InputError(
            "attribution.deeplift_shap.max_delta",
            f"DeepLIFT/SHAP convergence deltas reach {rel:.3g} of the mean |f(x) - f(ref)| "
            f"(allowed {max_delta:g}), so the contributions do not add up to the output change",
            "the model has an operation without a DeepLIFT rule (make each nonlinearity an nn "
            "module used once and each product a tangermeme BilinearOp), or raise max_delta")
