"""Class-optimal sequences (Deep Motif Dashboard's class optimisation) and the motifs in them.

Lanchantin et al. 2017 (Deep Motif Dashboard) find, for each class c, the
input that maximises the class's unnormalised score, S_c(X) - lambda ||X||^2:
what the network would most like to see, free of any real sequence. Here X
is a relaxed one-hot, the softmax over the four bases of free logits Z
(R restarts, 4, L), so every position stays a probability vector and the
network sees the kind of input it was trained on. Adam ascends
``logit_c(X) - l2 * ||X||^2`` (the pre-softmax logit of class c; the model in
eval mode, so BatchNorm and dropout are fixed). On the simplex ||x_i||^2 runs
from 0.25 (uniform) to 1 (one base), so the penalty pulls every position the
network does not care about back to uniform: what stays sharp is what the
class asks for.

Motifs are read from each restart as its top-k non-overlapping windows of
``width`` bp, ranked by a per-position score:

* ``grad_x_input`` (default): sum_b (x_ib - 1/4) dlogit_c/dx_ib, the
  first-order change of the class logit from a uniform position to this one.
  It ranks positions by what they do for the class, which is the question;
* ``information``: 2 + sum_b x_ib log2 x_ib bits. Also high only where the
  network cared (the penalty flattens the rest), but blind to whether a sharp
  position helps the class or merely does not hurt it.

A window's relaxed input is the motif's probability matrix.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from torch import nn

from .motifs.records import Motif

CLASS_NAMES = {1: "WT", 0: "KO"}
SCORES = ("grad_x_input", "information")
MOTIF_COLUMNS = ["motif_id", "class", "restart", "start", "end", "consensus", "score", "information",
                 "objective"]


@dataclass
class OptimalSequences:
    """Optimised relaxed one-hot inputs for one class, one row per restart."""

    target: int
    probs: np.ndarray  # (R, 4, L) softmax of the optimised logits
    logits: np.ndarray  # (R, n_classes) model logits at ``probs``
    objective: np.ndarray  # (R,) logit_target - l2 * ||probs||^2
    contributions: np.ndarray  # (R, L) centred gradient x input of logit_target

    @property
    def name(self) -> str:
        return CLASS_NAMES.get(self.target, str(self.target))

    @property
    def best(self) -> int:
        """The restart with the highest objective (first on ties)."""
        return int(np.argmax(self.objective))


def _evaluate(model: nn.Module, z: torch.Tensor, target: int, l2: float
              ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    probs = torch.softmax(z, dim=1)
    logits = model(probs)
    objective = logits[:, target] - l2 * probs.pow(2).sum(dim=(1, 2))
    return probs, logits, objective


def optimise(model: nn.Module, target: int, length: int, restarts: int = 4, steps: int = 300,
             lr: float = 0.1, l2: float = 0.01, seed: int = 0, init_std: float = 1.0,
             device: str | torch.device = "cpu") -> OptimalSequences:
    """Gradient ascent on ``logit_target - l2 ||softmax(Z)||^2`` over free logits Z (R, 4, L).

    Restarts are independent (one batch: an eval-mode model treats rows
    independently) and start from ``init_std`` x N(0, 1) logits drawn from a
    generator seeded with ``seed``, the same for every class. Near-uniform
    starts (small ``init_std``) can stall: a ReLU network may not respond to
    a flat input at all, and the penalty then holds it there. Only Z receives
    gradients; the model's parameters are left untouched. On CPU, a rerun with
    the same arguments is bit-identical.
    """
    model = model.eval().to(device)
    generator = torch.Generator().manual_seed(seed)
    z = (init_std * torch.randn(restarts, 4, length, generator=generator)).to(device).requires_grad_()
    optimizer = torch.optim.Adam([z], lr=lr)
    for _ in range(steps):
        _, _, objective = _evaluate(model, z, target, l2)
        (z.grad,) = torch.autograd.grad(-objective.sum(), z)
        optimizer.step()
    z = z.detach()
    probs = torch.softmax(z, dim=1).requires_grad_()
    logits = model(probs)
    (grad,) = torch.autograd.grad(logits[:, target].sum(), probs)
    contributions = ((probs - 0.25) * grad).sum(dim=1)  # = sum_b x_b (g_b - mean_b g_b)
    with torch.no_grad():
        probs_, logits_, objective = _evaluate(model, z, target, l2)
    return OptimalSequences(target, probs_.cpu().numpy(), logits_.cpu().numpy(),
                            objective.cpu().numpy(), contributions.detach().cpu().numpy())


def information_profile(probs: np.ndarray) -> np.ndarray:
    """(..., 4, L) probabilities -> (..., L) bits per position."""
    p = np.clip(np.asarray(probs, dtype=float), 1e-12, 1.0)
    return 2.0 + (p * np.log2(p)).sum(axis=-2)


def position_scores(result: OptimalSequences, score: str = "grad_x_input") -> np.ndarray:
    """(R, L) per-position score that ranks motif windows (see the module docstring)."""
    if score == "grad_x_input":
        return np.asarray(result.contributions, dtype=float)
    if score == "information":
        return information_profile(result.probs)
    raise ValueError(f"score must be one of {', '.join(SCORES)}, got {score!r}")


def top_windows(scores: np.ndarray, width: int, k: int) -> list[tuple[int, float]]:
    """Up to ``k`` non-overlapping (start, summed score) windows, best first; positive sums only.

    Greedy: the best window, then the best one not overlapping any chosen,
    and so on; ties go to the leftmost start.
    """
    scores = np.asarray(scores, dtype=float)
    if width > len(scores):
        raise ValueError(f"motif width {width} exceeds the sequence length {len(scores)}")
    sums = np.convolve(scores, np.ones(width), mode="valid")
    free = np.ones(len(sums), dtype=bool)
    chosen = []
    while len(chosen) < k and free.any():
        start = int(np.flatnonzero(free)[np.argmax(sums[free])])
        if sums[start] <= 0:
            break
        chosen.append((start, float(sums[start])))
        free[max(0, start - width + 1):start + width] = False
    return chosen


def extract_motifs(result: OptimalSequences, width: int = 19, top_k: int = 2,
                   score: str = "grad_x_input") -> list[Motif]:
    """Per restart, its top-k windows as motifs ``{class}_r{restart}_m{rank}``, named by class.

    ``meta`` holds ``class``, ``restart``, ``start``, ``score`` (the window's
    summed position score) and ``objective`` (the restart's).
    """
    per_position = position_scores(result, score)
    motifs = []
    for r in range(len(result.probs)):
        for rank, (start, value) in enumerate(top_windows(per_position[r], width, top_k)):
            probs = result.probs[r, :, start:start + width].T.astype(float)
            motifs.append(Motif(f"{result.name}_r{r}_m{rank}", probs / probs.sum(axis=1, keepdims=True),
                                name=result.name, source="optimal",
                                meta={"class": result.name, "restart": r, "start": start,
                                      "score": value, "objective": float(result.objective[r])}))
    return motifs


def motif_table(motifs: list[Motif]) -> pd.DataFrame:
    """``MOTIF_COLUMNS`` per motif (``end`` exclusive, 0-based; information in bits per position)."""
    rows = [{"motif_id": m.id, "class": m.meta["class"], "restart": m.meta["restart"],
             "start": m.meta["start"], "end": m.meta["start"] + m.width, "consensus": m.consensus,
             "score": m.meta["score"], "information": float(information_profile(m.probs.T).mean()),
             "objective": m.meta["objective"]} for m in motifs]
    return pd.DataFrame(rows, columns=MOTIF_COLUMNS)


def logo_window(result: OptimalSequences, width: int, score: str = "grad_x_input") -> tuple[int, int]:
    """[start, end) of the ``width`` bp of the best restart with the highest summed score.

    The centre ``width`` bp when no window scores above zero (or the whole
    sequence when it is shorter).
    """
    length = result.probs.shape[2]
    width = min(width, length)
    hits = top_windows(position_scores(result, score)[result.best], width, 1)
    start = hits[0][0] if hits else (length - width) // 2
    return start, start + width


def save_optimal(path: str | Path, results: list[OptimalSequences], **params) -> None:
    """One npz: per class ``{WT,KO}_{probs,logits,objective,contributions}``, ``classes`` and ``params``.

    ``params`` (scalars or strings) are stored as 0-d arrays so reruns can be checked.
    """
    arrays = {"classes": np.array([r.name for r in results]),
              "targets": np.array([r.target for r in results])}
    for r in results:
        arrays |= {f"{r.name}_probs": r.probs.astype(np.float32), f"{r.name}_logits": r.logits,
                   f"{r.name}_objective": r.objective, f"{r.name}_contributions": r.contributions}
    arrays |= {f"param_{k}": np.array(v) for k, v in params.items()}
    np.savez_compressed(path, **arrays)
