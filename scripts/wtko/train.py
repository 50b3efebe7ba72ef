"""Train one model for one seed, choosing the epoch on validation data only.

Model selection is isolated by construction: the only functions that decide
anything (``select_epoch`` for the best epoch, ``should_stop`` for early
stopping) take the list of validation losses and nothing else. Test accuracy
is evaluated after those decisions and only written to the history, for the
accuracy-curve figure.

Validation *loss* (not accuracy) drives both decisions: on a few hundred
validation windows accuracy moves in coarse steps and ties often, while the
loss still ranks epochs. Ties go to the earliest epoch.

Each optimiser step averages the gradient over ``batch_size x grad_accum``
sequences, run as ``grad_accum`` micro-batches of ``batch_size`` on every
device, so results do not depend on the device's memory (BatchNorm
statistics are per micro-batch). On 2 CPU cores micro-batches of 32-64 are
also the fastest: from 128 up the activations spill out of cache (measured
~10-20% slower). Mixed precision (autocast + GradScaler) is used on CUDA only.

A training-state checkpoint written after every epoch (temp file, then
``os.replace``) makes a preempted job resume where it stopped, with the same
result as an uninterrupted run.
"""

from __future__ import annotations

import logging
import os
import random
import time
from collections.abc import Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import torch
from torch import nn

from .data import one_hot_batch, subset
from .encode import reverse_complement
from .errors import InputError

HISTORY_COLUMNS = ["epoch", "train_loss", "train_acc", "val_loss", "val_acc", "test_acc", "seconds"]
EVAL_BATCH = 512


def resolve_device(name: str) -> torch.device:
    """auto|cpu|cuda -> device; auto means CUDA when visible, else CPU.

    An empty ``CUDA_VISIBLE_DEVICES`` (a scheduler hiding GPUs) means CPU.
    """
    visible = os.environ.get("CUDA_VISIBLE_DEVICES")
    has_cuda = torch.cuda.is_available() and (visible is None or visible.strip() != "")
    if name == "cuda" and not has_cuda:
        raise InputError("config", "training.device is 'cuda' but no GPU is visible",
                         "set training.device: auto or cpu, or run the job on a GPU node")
    if name not in ("auto", "cpu", "cuda"):
        raise InputError("config", f"training.device is '{name}'", "use auto, cpu or cuda")
    return torch.device("cuda" if name == "cuda" or (name == "auto" and has_cuda) else "cpu")


def seed_everything(seed: int, device: torch.device) -> None:
    """Seed python, numpy and torch; ask for deterministic kernels on CPU.

    ``use_deterministic_algorithms`` does not reach oneDNN. With 2 threads
    its training rounded differently in about one process in four (same
    seed, same machine); ``mkldnn.deterministic`` made that rarer (12 of 12
    processes alike) at no measurable cost but did not remove it (a 2-thread
    seed still differed in CI). With 1 thread every process agreed, hence
    ``training.threads: 1`` by default.
    """
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    if device.type == "cpu":
        torch.use_deterministic_algorithms(True, warn_only=True)
        torch.backends.mkldnn.deterministic = True


def select_epoch(val_loss: Sequence[float]) -> int:
    """The chosen (1-based) epoch: lowest validation loss, earliest on ties."""
    return int(np.argmin(np.asarray(val_loss, dtype=float))) + 1


def best_seed(val_acc: dict[int, float]) -> int:
    """The seed with the best validation accuracy at its chosen epoch (earliest listed on ties).

    Model choice across seeds (confusion matrix, saliency) never looks at the test set.
    """
    seeds = list(val_acc)
    return max(seeds, key=lambda s: (val_acc[s], -seeds.index(s)))


def should_stop(val_loss: Sequence[float], patience: int, min_epochs: int = 0) -> bool:
    """True once ``patience`` epochs have passed without a new best validation loss.

    Never before ``min_epochs`` epochs: a model still on its initial loss
    plateau (0.693 nats for two balanced classes) has not failed yet, it has
    not started (Keras's ``start_from_epoch``). The epoch is still chosen on
    the validation loss over every epoch run.
    """
    return len(val_loss) >= min_epochs and len(val_loss) - select_epoch(val_loss) >= patience


def predict_logits(model: nn.Module, codes: torch.Tensor, device: torch.device,
                   batch_size: int = EVAL_BATCH) -> torch.Tensor:
    """Eval-mode logits (N, n_classes) on the CPU for (N, L) uint8 codes."""
    model.eval()
    out = []
    with torch.no_grad():
        for start in range(0, len(codes), batch_size):
            x = one_hot_batch(codes[start:start + batch_size].to(device))
            out.append(model(x).float().cpu())
    return torch.cat(out) if out else torch.zeros((0, 2))


def predict_proba(model: nn.Module, codes: np.ndarray, device: torch.device) -> np.ndarray:
    """P(WT) per sequence (softmax of the logits, class 1)."""
    logits = predict_logits(model, torch.from_numpy(np.ascontiguousarray(codes)), device)
    return torch.softmax(logits, dim=1)[:, 1].numpy()


def _loss_acc(logits: torch.Tensor, labels: torch.Tensor) -> tuple[float, float]:
    if len(labels) == 0:
        return float("nan"), float("nan")
    loss = nn.functional.cross_entropy(logits, labels).item()
    return loss, (logits.argmax(1) == labels).float().mean().item()


def train_epoch(model: nn.Module, optimizer: torch.optim.Optimizer, scaler: torch.amp.GradScaler,
                codes: torch.Tensor, labels: torch.Tensor, order: torch.Tensor,
                batch_size: int, grad_accum: int, device: torch.device) -> tuple[float, float]:
    """One pass over ``codes[order]``; returns mean training loss and accuracy.

    The loss of each micro-batch is weighted by its share of the optimiser
    step's sequences, so a step's gradient is the mean over its whole group
    (the last, shorter group included).
    """
    model.train()
    amp = torch.autocast("cuda", dtype=torch.float16) if scaler.is_enabled() else nullcontext()
    step = batch_size * grad_accum
    total_loss = torch.zeros((), device=device)
    correct = torch.zeros((), device=device, dtype=torch.long)
    for group in range(0, len(order), step):
        group_idx = order[group:group + step]
        optimizer.zero_grad(set_to_none=True)
        for start in range(0, len(group_idx), batch_size):
            idx = group_idx[start:start + batch_size]
            x = one_hot_batch(codes[idx].to(device, non_blocking=True))
            y = labels[idx].to(device, non_blocking=True)
            with amp:
                logits = model(x)
                loss = nn.functional.cross_entropy(logits, y)
            scaler.scale(loss * (len(idx) / len(group_idx))).backward()
            total_loss += loss.detach().float() * len(idx)
            correct += (logits.detach().argmax(1) == y).sum()
        scaler.step(optimizer)
        scaler.update()
    n = max(len(order), 1)
    return total_loss.item() / n, correct.item() / n


def _tensors(data: dict[str, np.ndarray], split: str) -> tuple[torch.Tensor, torch.Tensor]:
    part = subset(data, split)
    return (torch.from_numpy(np.ascontiguousarray(part["codes"])),
            torch.from_numpy(part["label"].astype(np.int64)))


def _state_copy(model: nn.Module) -> dict[str, torch.Tensor]:
    return {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}


def _save_atomic(obj: dict[str, Any], path: Path) -> None:
    tmp = path.with_name(path.name + ".tmp")
    torch.save(obj, tmp)
    os.replace(tmp, path)


def _resume(path: Path | None, identity: dict[str, Any], log: logging.Logger) -> dict | None:
    """The saved training state when it belongs to this very run, else None."""
    if path is None or not path.exists():
        return None
    state = torch.load(path, map_location="cpu", weights_only=True)
    if state.get("identity") != identity:
        log.warning("ignoring %s: it was written for other settings", path)
        return None
    log.info("resuming from %s after epoch %d", path, len(state["history"]["epoch"]))
    return state


def train(model: nn.Module, data: dict[str, np.ndarray], cfg: dict[str, Any], seed: int,
          device: torch.device, log: logging.Logger, checkpoint_path: str | Path | None = None
          ) -> tuple[pd.DataFrame, dict[str, torch.Tensor]]:
    """Train ``model`` on the train split, choose the epoch on the val split.

    Args:
        model: a freshly built model; build it right after
            ``seed_everything(seed, device)`` so its initial weights follow
            ``seed`` too.
        data: ``load_encoded`` output with train, val and test rows.
        cfg: the config's ``training`` section (epochs, patience, min_epochs, batch_size,
            grad_accum, lr, weight_decay, reverse_complement, amp, threads).
        seed: seeds shuffling, dropout and resumption identity.
        device: from ``resolve_device``.
        log: receives one progress line per epoch.
        checkpoint_path: training state written after each epoch, and resumed
            from when it exists and matches this run.

    Returns:
        The history (``HISTORY_COLUMNS``, one row per epoch run) and the
        state dict of the epoch ``select_epoch(history.val_loss)``.
    """
    torch.set_num_threads(int(cfg.get("threads", 1)))
    seed_everything(seed, device)
    model.to(device)
    train_x, train_y = _tensors(data, "train")
    if cfg.get("reverse_complement", False):
        # A TF binds both strands, so a window and its reverse complement carry the same label:
        # twice the training data for free, and a model that must learn each motif both ways.
        train_x = torch.cat([train_x, torch.from_numpy(reverse_complement(train_x.numpy()))])
        train_y = torch.cat([train_y, train_y])
    val_x, val_y = _tensors(data, "val")
    test_x, test_y = _tensors(data, "test")
    if len(train_x) == 0 or len(val_x) == 0:
        raise InputError("encoded.npz", "the train or val split is empty",
                         "check the validation and test chromosome settings")
    optimizer = torch.optim.Adam(model.parameters(), lr=cfg["lr"], weight_decay=cfg["weight_decay"])
    scaler = torch.amp.GradScaler("cuda", enabled=device.type == "cuda" and cfg.get("amp", True))
    history: dict[str, list] = {c: [] for c in HISTORY_COLUMNS}
    best_state = _state_copy(model)
    path = Path(checkpoint_path) if checkpoint_path is not None else None
    identity = {"seed": seed, "model_config": dict(getattr(model, "config", {})),
                "n_train": len(train_x), "n_val": len(val_x), "device": device.type,
                **{k: cfg[k] for k in ("batch_size", "grad_accum", "lr", "weight_decay")},
                "reverse_complement": bool(cfg.get("reverse_complement", False))}

    state = _resume(path, identity, log)
    if state is not None:
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scaler.load_state_dict(state["scaler"])
        torch.set_rng_state(state["rng_cpu"])
        if device.type == "cuda" and "rng_cuda" in state:
            torch.cuda.set_rng_state(state["rng_cuda"])
        history, best_state = state["history"], state["best_state"]

    while len(history["epoch"]) < cfg["epochs"] and not (
            history["epoch"] and should_stop(history["val_loss"], cfg["patience"],
                                                cfg.get("min_epochs", 0))):
        epoch = len(history["epoch"]) + 1
        tic = time.perf_counter()
        order = torch.randperm(len(train_x), generator=torch.Generator().manual_seed(
            seed * 1_000_003 + epoch))
        train_loss, train_acc = train_epoch(model, optimizer, scaler, train_x, train_y, order,
                                            cfg["batch_size"], cfg["grad_accum"], device)
        val_loss, val_acc = _loss_acc(predict_logits(model, val_x, device), val_y)
        history["val_loss"].append(val_loss)
        if select_epoch(history["val_loss"]) == epoch:  # decided on validation only
            best_state = _state_copy(model)
        _, test_acc = _loss_acc(predict_logits(model, test_x, device), test_y)  # recorded only
        row = dict(epoch=epoch, train_loss=train_loss, train_acc=train_acc, val_acc=val_acc,
                   test_acc=test_acc, seconds=time.perf_counter() - tic)
        for key, value in row.items():
            history[key].append(value)
        log.info("epoch %d/%d train_loss %.4f train_acc %.4f val_loss %.4f val_acc %.4f "
                 "test_acc %.4f best %d (%.1f s)", epoch, cfg["epochs"], train_loss, train_acc,
                 val_loss, val_acc, test_acc, select_epoch(history["val_loss"]), row["seconds"])
        if path is not None:
            ckpt = {"identity": identity, "model": model.state_dict(),
                    "optimizer": optimizer.state_dict(), "scaler": scaler.state_dict(),
                    "rng_cpu": torch.get_rng_state(), "history": history, "best_state": best_state}
            if device.type == "cuda":
                ckpt["rng_cuda"] = torch.cuda.get_rng_state()
            _save_atomic(ckpt, path)
    if history["epoch"]:
        log.info("chosen epoch %d (lowest validation loss)", select_epoch(history["val_loss"]))
    return pd.DataFrame(history, columns=HISTORY_COLUMNS), best_state
