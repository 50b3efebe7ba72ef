"""Attributions of the WT log-odds: saliency, grad x input, DeepLIFT/SHAP, integrated gradients, ISM.

One entry point, :func:`attribute`. Every method explains the same target,
``logit_WT - logit_KO`` (see :mod:`.target` for why), a batch at a time, with
the model in eval mode, deterministically (DeepLIFT's shuffles are seeded).
Each returns float32 (N, 4, L) ``hypothetical`` contributions (a score for
every base at every position) and ``contributions`` = hypothetical x one-hot
(the observed bases), the (N,) ``log_odds`` and ``preds`` (1 = WT when the
log-odds is positive, the model's argmax), the (N, L) ``profiles`` read by
the saliency k-mer route (:func:`.store.profiles`), and per method:

* ``saliency``, ``grad_x_input``: hypothetical = d log-odds / d x.
* ``deeplift_shap``: ``deltas``, ``output_diffs`` (N, n_shuffles); fails on large deltas.
* ``integrated_gradients``: ``deltas``, ``output_diffs`` (N,).
* ``ism``: hypothetical = mean-centred substitution effects.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence

import numpy as np
from torch import nn

from .deeplift import deeplift_shap
from .gradients import gradient, integrated_gradients
from .ism import ism
from .store import TARGET, load_attributions, profiles, save_attributions
from .target import WTLogOdds, evaluating, log_odds

_METHODS = {"saliency": gradient, "grad_x_input": gradient, "deeplift_shap": deeplift_shap,
            "integrated_gradients": integrated_gradients, "ism": ism}
METHODS = tuple(_METHODS)

__all__ = ["METHODS", "TARGET", "WTLogOdds", "attribute", "load_attributions", "save_attributions"]


def options_of(method: str) -> tuple[str, ...]:
    """The method-specific keyword options :func:`attribute` accepts for ``method``."""
    params = inspect.signature(_METHODS[method]).parameters
    return tuple(p for p in params if p not in ("model", "x", "batch_size", "device"))


def _check_one_hot(x: np.ndarray) -> np.ndarray:
    x = np.ascontiguousarray(x, dtype=np.float32)
    if x.ndim != 3 or x.shape[1] != 4:
        raise ValueError(f"x must be one-hot (N, 4, L), got shape {x.shape}")
    if not (np.isin(x, (0.0, 1.0)).all() and (x.sum(axis=1) <= 1).all()):
        raise ValueError("x must be one-hot: 0/1 values, at most one base per position (N = none)")
    return x


def attribute(model: nn.Module | Sequence[nn.Module], x: np.ndarray, method: str, batch_size: int = 256,
              device: str = "cpu", **options) -> dict[str, np.ndarray]:
    """Attributions of the WT log-odds of ``model`` (or the mean over several) on one-hot ``x``.

    ``options`` are the method's own (see :func:`options_of`): deeplift_shap
    ``n_shuffles``, ``random_state``, ``max_delta``; integrated_gradients
    ``n_steps``, ``baseline``; ism ``fast``. ``batch_size`` bounds the model
    inputs per pass (sequences, pairs, path points or edits).
    """
    if method not in _METHODS:
        raise ValueError(f"unknown attribution method {method!r}; use one of {METHODS}")
    unknown = sorted(set(options) - set(options_of(method)))
    if unknown:
        raise ValueError(f"{method} takes options {list(options_of(method))}, not {unknown}")
    x = _check_one_hot(x)
    target = WTLogOdds(model)
    with evaluating(target, device):
        scores = log_odds(target, x, batch_size, device)
        result = _METHODS[method](target, x, batch_size=batch_size, device=device, **options)
    result["hypothetical"] = np.asarray(result["hypothetical"], dtype=np.float32)
    result["contributions"] = result["hypothetical"] * x
    result["log_odds"] = scores
    result["preds"] = (scores > 0).astype(np.int64)
    result["profiles"] = profiles(result["hypothetical"], result["contributions"], x, result["preds"], method)
    return result
