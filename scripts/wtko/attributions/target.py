"""The quantity every attribution method explains: the WT log-odds.

WTKO-CNN returns two logits (class 1 = WT). Attribution methods need one
scalar per sequence, and the most useful one is the log-odds
``logit_WT - logit_KO``: it is signed, so a positive contribution pushes
towards WT and a negative one towards KO whatever the model's call, which is
what TF-MoDISco (positive and negative seqlets) and the comparison of motif
routes need. The predicted logit, which gradient saliency explains, changes
meaning with the prediction and only ranks bases for that call.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import numpy as np
import torch
from torch import nn


class WTLogOdds(nn.Module):
    """(N, 4, L) one-hot -> (N, 1) WT log-odds, averaged over ``models``.

    With several models (e.g. seeds) the target is their mean log-odds; every
    method here is linear in the target, so that equals the mean of each
    model's attributions. Each model is called once per forward pass, as
    DeepLIFT's per-module rules require.
    """

    def __init__(self, models: nn.Module | Sequence[nn.Module]):
        super().__init__()
        models = [models] if isinstance(models, nn.Module) else list(models)
        if not models:
            raise ValueError("WTLogOdds needs at least one model")
        self.models = nn.ModuleList(models)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        total = 0
        for model in self.models:
            logits = model(x)
            total = total + (logits[:, 1] - logits[:, 0])
        return (total / len(self.models))[:, None]


@contextmanager
def evaluating(model: nn.Module, device: str | torch.device) -> Iterator[nn.Module]:
    """Hold ``model`` on ``device`` in eval mode (running BatchNorm, no dropout); modes restored on exit."""
    modes = [(module, module.training) for module in model.modules()]
    model.to(device).eval()
    try:
        yield model
    finally:
        for module, mode in modes:
            module.training = mode


@torch.no_grad()
def log_odds(model: nn.Module, x: np.ndarray | torch.Tensor, batch_size: int = 256,
             device: str | torch.device = "cpu") -> np.ndarray:
    """(N,) float32 outputs of a one-output ``model`` (e.g. :class:`WTLogOdds`), a batch at a time."""
    x = torch.as_tensor(x, dtype=torch.float32)
    out = [model(x[s:s + batch_size].to(device))[:, 0].cpu() for s in range(0, len(x), batch_size)]
    return torch.cat(out).numpy() if out else np.zeros(0, dtype=np.float32)
