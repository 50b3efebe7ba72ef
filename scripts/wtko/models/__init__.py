"""Model registry: models are built by name from a config dict.

A registered model class takes keyword arguments only and keeps them in a
``config`` attribute, so a checkpoint stores (name, config, state_dict) as
plain types and loads with ``torch.load(weights_only=True)``; baselines join
by adding a line to ``MODELS``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
from torch import nn

from ..errors import InputError
from .baselines import CNN4, CNNLSTM, CNNTransformer, SeqTransformer
from .explainn import ExplaiNN
from .layers import FastDropout
from .wtko_cnn import WTKOCNN

MODELS: dict[str, type[nn.Module]] = {"wtko_cnn": WTKOCNN, "cnn4": CNN4, "cnn_lstm": CNNLSTM,
                                      "transformer": SeqTransformer,
                                      "cnn_transformer": CNNTransformer, "explainn": ExplaiNN}

__all__ = ["MODELS", "WTKOCNN", "FastDropout", "build_model", "save_model", "load_model", "initial_model"]


def build_model(name: str, **kwargs: Any) -> nn.Module:
    """Instantiate the registered model ``name`` with ``kwargs`` as its config."""
    if name not in MODELS:
        raise InputError("config", f"unknown model '{name}'",
                         f"set training.model to one of: {', '.join(MODELS)}")
    return MODELS[name](**kwargs)


def save_model(path: str | Path, model: nn.Module, name: str, state_dict: dict | None = None,
               **meta: Any) -> None:
    """Save a loadable checkpoint: state_dict, model_name, model_config and ``meta``.

    ``state_dict`` defaults to the model's own (pass the best-by-validation one).
    ``meta`` values must be plain types so ``weights_only=True`` can load them.
    """
    state = model.state_dict() if state_dict is None else state_dict
    torch.save({"state_dict": state, "model_name": name, "model_config": dict(model.config),
                **meta}, path)


def load_model(path: str | Path, map_location: str | torch.device = "cpu"
               ) -> tuple[nn.Module, dict[str, Any]]:
    """Rebuild a saved model in eval mode; also return the whole checkpoint dict."""
    ckpt = torch.load(path, map_location=map_location, weights_only=True)
    model = build_model(ckpt["model_name"], **ckpt["model_config"])
    model.load_state_dict(ckpt["state_dict"])
    return model.eval(), ckpt


def initial_model(ckpt: dict[str, Any]) -> nn.Module:
    """The checkpoint's network as its seed built it, before any training, in eval mode.

    Training seeds torch and then builds the model (``train_model.py``), so
    the same seed rebuilds the same initial weights: the untrained null
    against which what training put into a layer is measured.
    """
    torch.manual_seed(int(ckpt["seed"]))
    return build_model(ckpt["model_name"], **ckpt["model_config"]).eval()
