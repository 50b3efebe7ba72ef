"""Per-position saliency of a trained classifier (paper section 3.3, eq. 1-2).

Saliency is the gradient of the *predicted* class's logit (before softmax)
with respect to the one-hot input, reduced per position to one number:

* ``"saliency"``: max over the 4 channels of ``|d logit / d x|`` (eq. 2). It is
  non-negative and ignores which base is present, so it also flags positions
  where a *different* base would change the call.
* ``"grad_x_input"``: gradient x input summed over channels, i.e. the signed
  gradient at the observed base (0 at N). It is kept signed: positive values
  are bases that push towards the predicted class, which are the ones whose
  k-mers should explain that class; taking ``abs`` would mix in bases that
  argue against the call.

Gradients are computed a batch at a time: in eval mode (running BatchNorm
statistics, no dropout) samples do not interact, so back-propagating the sum
of the selected logits gives every sample's own gradient in one pass.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np
import torch
from torch import nn

METHODS = ("saliency", "grad_x_input")


def input_gradients(model: nn.Module, x: np.ndarray, batch_size: int = 256,
                    device: str = "cpu") -> tuple[np.ndarray, np.ndarray]:
    """Raw (N, 4, L) gradients of the predicted logit and the (N,) predictions.

    The raw gradients are what plots and grad x input need; the model is
    moved to ``device`` and left there, its train/eval mode is restored.
    """
    x = np.asarray(x, dtype=np.float32)
    if x.ndim != 3 or x.shape[1] != 4:
        raise ValueError(f"x must be one-hot (N, 4, L), got shape {x.shape}")
    model = model.to(device)
    was_training = model.training
    model.eval()
    grads = np.empty_like(x)
    preds = np.empty(len(x), dtype=np.int64)
    try:
        for start in range(0, len(x), batch_size):
            xb = torch.from_numpy(x[start:start + batch_size]).to(device).requires_grad_(True)
            logits = model(xb)
            pred = logits.argmax(dim=1)
            logits.gather(1, pred[:, None]).sum().backward()
            grads[start:start + len(xb)] = xb.grad.cpu().numpy()
            preds[start:start + len(xb)] = pred.cpu().numpy()
    finally:
        model.train(was_training)
    return grads, preds


def reduce_gradients(grads: np.ndarray, x: np.ndarray, method: str = "saliency") -> np.ndarray:
    """(N, 4, L) gradients -> (N, L) profile by ``method`` (see module doc)."""
    if method == "saliency":
        return np.abs(grads).max(axis=1)
    if method == "grad_x_input":
        return (grads * np.asarray(x, dtype=np.float32)).sum(axis=1)
    raise ValueError(f"unknown saliency method {method!r}; use one of {METHODS}")


def saliency(model: nn.Module, x: np.ndarray, method: str = "saliency", batch_size: int = 256,
             device: str = "cpu") -> np.ndarray:
    """(N, L) saliency profile of one model on one-hot ``x`` (N, 4, L)."""
    if method not in METHODS:
        raise ValueError(f"unknown saliency method {method!r}; use one of {METHODS}")
    grads, _ = input_gradients(model, x, batch_size=batch_size, device=device)
    return reduce_gradients(grads, x, method)


def mean_over_models(models: Sequence[nn.Module], x: np.ndarray, method: str = "saliency",
                     batch_size: int = 256, device: str = "cpu") -> tuple[np.ndarray, np.ndarray]:
    """Profile averaged over models (e.g. seeds) and the majority-vote prediction.

    Each model explains its own predicted class; averaging smooths out
    seed-specific noise in the gradients. Vote ties go to WT (1).
    """
    if not models:
        raise ValueError("mean_over_models needs at least one model")
    total = np.zeros((len(x), np.shape(x)[2]), dtype=np.float64)
    votes = np.zeros(len(x), dtype=np.int64)
    for model in models:
        grads, preds = input_gradients(model, x, batch_size=batch_size, device=device)
        total += reduce_gradients(grads, x, method)
        votes += preds
    return (total / len(models)).astype(np.float32), (2 * votes >= len(models)).astype(np.int64)


def save_saliency(path: str | Path, profiles: np.ndarray, names: Sequence[str], labels: np.ndarray,
                  preds: np.ndarray, method: str) -> None:
    """Write profiles with their sequence names, true labels and predictions to .npz."""
    n = len(profiles)
    if not (len(names) == len(labels) == len(preds) == n):
        raise ValueError("profiles, names, labels and preds must have the same length")
    np.savez_compressed(path, profiles=np.asarray(profiles, dtype=np.float32),
                        names=np.asarray(names, dtype=str), labels=np.asarray(labels, dtype=np.int8),
                        preds=np.asarray(preds, dtype=np.int8), method=np.asarray(method))


def load_saliency(path: str | Path) -> dict[str, np.ndarray | str]:
    """Read what :func:`save_saliency` wrote; ``method`` comes back as a str."""
    with np.load(path, allow_pickle=False) as data:
        out = {k: data[k] for k in ("profiles", "names", "labels", "preds")}
        out["method"] = str(data["method"])
    return out
