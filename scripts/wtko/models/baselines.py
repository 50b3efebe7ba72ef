"""Baseline architectures for the model comparison (paper Table 13, Figure 10).

All take one-hot (N, 4, L) and return WT/KO logits (N, 2), class 1 = WT, like
WTKO-CNN, and are trained by the same loop (``wtko.train.train``) on the same
splits, seeds and early stopping. Sizes are small on purpose: on the demo
(about 2,300 training windows of 600 bp, 2 CPU cores) every model trains in
well under a minute per seed. Every argument can be set in the config under
``baselines.<name>``.

Sequence-length reduction comes first everywhere: a convolutional stem with
max-pooling (or, in ``transformer``, non-overlapping 8 bp patches) turns 600 bp into
31-75 positions, which is what makes the LSTM and self-attention cheap on CPU.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence


class ConvStem(nn.Module):
    """Conv1d blocks: Conv(k, valid) BN ReLU MaxPool(p) Dropout, one block per channel count."""

    def __init__(self, channels: Sequence[int], kernels: Sequence[int], pools: Sequence[int],
                 dropout: float):
        super().__init__()
        if not len(channels) == len(kernels) == len(pools):
            raise ValueError("channels, kernels and pools need one entry per convolution block")
        self.kernels, self.pools = list(kernels), list(pools)
        blocks, c_in = [], 4
        for c_out, k, p in zip(channels, kernels, pools):
            blocks += [nn.Conv1d(c_in, c_out, k), nn.BatchNorm1d(c_out), nn.ReLU(),
                       nn.MaxPool1d(p) if p > 1 else nn.Identity(), nn.Dropout(dropout)]
            c_in = c_out
        self.blocks = nn.Sequential(*blocks)
        self.out_channels = c_in

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(N, 4, L) -> (N, channels[-1], L')."""
        return self.blocks(x)

    def right_edges(self, n_out: int) -> np.ndarray:
        """The last input base (0-based) that each of ``n_out`` output positions has seen."""
        edge = np.arange(n_out)
        for k, p in zip(reversed(self.kernels), reversed(self.pools)):
            edge = edge * p + p - 1 + k - 1
        return edge


def sinusoidal_encoding(length: int, d_model: int, device: torch.device) -> torch.Tensor:
    """(length, d_model) fixed sine/cosine position code (Vaswani et al. 2017)."""
    pos = torch.arange(length, device=device, dtype=torch.float32)[:, None]
    freq = torch.exp(torch.arange(0, d_model, 2, device=device, dtype=torch.float32)
                     * (-math.log(10_000.0) / d_model))
    code = torch.zeros(length, d_model, device=device)
    code[:, 0::2] = torch.sin(pos * freq)
    code[:, 1::2] = torch.cos(pos * freq[: d_model // 2])
    return code


def _head(d_in: int, hidden: int, dropout: float, n_classes: int) -> nn.Sequential:
    return nn.Sequential(nn.Linear(d_in, hidden), nn.ReLU(), nn.Dropout(dropout),
                         nn.Linear(hidden, n_classes))


def _encoder(d_model: int, n_heads: int, n_layers: int, dropout: float) -> nn.TransformerEncoder:
    layer = nn.TransformerEncoderLayer(d_model, n_heads, dim_feedforward=2 * d_model,
                                       dropout=dropout, batch_first=True, norm_first=True)
    return nn.TransformerEncoder(layer, n_layers, enable_nested_tensor=False)


class CNN4(nn.Module):
    """Four stacked conv blocks, global max and average pooling, a small classifier.

    Defaults: 32-64-64-128 filters, kernels 8-8-5-3, pooling 4-2-2-1 (600 bp ->
    31 positions), concatenated max+avg pooling (256), FC 64, 2 logits.
    """

    def __init__(self, channels: Sequence[int] = (32, 64, 64, 128),
                 kernels: Sequence[int] = (8, 8, 5, 3), pools: Sequence[int] = (4, 2, 2, 1),
                 dropout: float = 0.2, hidden: int = 64, n_classes: int = 2):
        super().__init__()
        self.config = dict(channels=list(channels), kernels=list(kernels), pools=list(pools),
                           dropout=dropout, hidden=hidden, n_classes=n_classes)
        self.stem = ConvStem(channels, kernels, pools, dropout)
        self.head = _head(2 * self.stem.out_channels, hidden, dropout, n_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        feats = self.stem(x)
        return self.head(torch.cat([feats.amax(dim=2), feats.mean(dim=2)], dim=1))


class CNNLSTM(nn.Module):
    """Conv blocks, a bidirectional LSTM over the pooled positions, a classifier.

    Defaults: 64-64 filters, kernels 10-8, pooling 4-4 (600 bp -> 35
    positions), one BiLSTM layer of 32 units per direction; the classifier
    reads the final forward and backward states (64), FC 32, 2 logits.
    ``temporal_scores`` gives the class scores as the network reads the
    sequence left to right (Deep Motif Dashboard, Lanchantin et al. 2017).
    """

    def __init__(self, channels: Sequence[int] = (64, 64), kernels: Sequence[int] = (10, 8),
                 pools: Sequence[int] = (4, 4), lstm_hidden: int = 32, lstm_layers: int = 1,
                 dropout: float = 0.2, hidden: int = 32, n_classes: int = 2):
        super().__init__()
        self.config = dict(channels=list(channels), kernels=list(kernels), pools=list(pools),
                           lstm_hidden=lstm_hidden, lstm_layers=lstm_layers, dropout=dropout,
                           hidden=hidden, n_classes=n_classes)
        self.stem = ConvStem(channels, kernels, pools, dropout)
        self.lstm = nn.LSTM(self.stem.out_channels, lstm_hidden, num_layers=lstm_layers,
                            batch_first=True, bidirectional=True)
        self.head = _head(2 * lstm_hidden, hidden, dropout, n_classes)

    def _classify(self, h_n: torch.Tensor) -> torch.Tensor:
        # h_n: (layers * 2, B, H); the last layer's forward and backward final states
        return self.head(torch.cat([h_n[-2], h_n[-1]], dim=1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _, (h_n, _) = self.lstm(self.stem(x).transpose(1, 2))
        return self._classify(h_n)

    def temporal_scores(self, x: torch.Tensor) -> torch.Tensor:
        """(N, 4, L) -> (N, L', n_classes): logits of the network reading positions 0..t only.

        Entry t is exactly ``forward`` applied to the first t + 1 pooled
        positions (both LSTM directions see only that prefix), so the last
        entry equals ``forward(x)``. All prefixes run as one packed batch.
        ``stem.right_edges(L')`` maps t to the last base read.
        """
        feats = self.stem(x).transpose(1, 2)
        n, steps, _ = feats.shape
        prefixes = feats.repeat_interleave(steps, dim=0)
        lengths = torch.arange(1, steps + 1).repeat(n)
        packed = pack_padded_sequence(prefixes, lengths, batch_first=True, enforce_sorted=False)
        _, (h_n, _) = self.lstm(packed)
        return self._classify(h_n).view(n, steps, -1)


class SeqTransformer(nn.Module):
    """A transformer encoder trained from scratch on the sequence alone.

    Tokens are non-overlapping ``patch``-bp chunks, each embedded by one linear
    map of its one-hot (4 x patch -> d_model); ``patch: 1`` is a per-base
    embedding (600 tokens, about 20x slower on CPU). Sinusoidal positions are
    added, then ``n_layers`` pre-norm encoder layers (``n_heads`` heads,
    feed-forward 2 x d_model), mean pooling over tokens, FC ``hidden``, 2
    logits. Defaults: patch 8 (75 tokens), d_model 32, 2 heads, 2 layers,
    FC 32. Bases past the last whole patch are dropped.
    """

    def __init__(self, patch: int = 8, d_model: int = 32, n_heads: int = 2, n_layers: int = 2,
                 dropout: float = 0.1, hidden: int = 32, n_classes: int = 2):
        super().__init__()
        self.config = dict(patch=patch, d_model=d_model, n_heads=n_heads, n_layers=n_layers,
                           dropout=dropout, hidden=hidden, n_classes=n_classes)
        self.patch = patch
        self.embed = nn.Linear(4 * patch, d_model)
        self.dropout = nn.Dropout(dropout)
        self.encoder = _encoder(d_model, n_heads, n_layers, dropout)
        self.norm = nn.LayerNorm(d_model)
        self.head = _head(d_model, hidden, dropout, n_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n, _, length = x.shape
        tokens = length // self.patch
        x = x[:, :, : tokens * self.patch].transpose(1, 2).reshape(n, tokens, 4 * self.patch)
        h = self.embed(x)
        h = self.dropout(h + sinusoidal_encoding(tokens, h.shape[2], h.device))
        return self.head(self.norm(self.encoder(h)).mean(dim=1))


class CNNTransformer(nn.Module):
    """Conv blocks, then transformer encoder layers over the pooled positions.

    Defaults: 64-64 filters, kernels 10-5, pooling 4-4 (600 bp -> 35
    positions), a linear map to d_model 32, sinusoidal positions, 2 pre-norm
    encoder layers of 2 heads, mean pooling, FC 32, 2 logits.
    """

    def __init__(self, channels: Sequence[int] = (64, 64), kernels: Sequence[int] = (10, 5),
                 pools: Sequence[int] = (4, 4), d_model: int = 32, n_heads: int = 2,
                 n_layers: int = 2, dropout: float = 0.1, hidden: int = 32, n_classes: int = 2):
        super().__init__()
        self.config = dict(channels=list(channels), kernels=list(kernels), pools=list(pools),
                           d_model=d_model, n_heads=n_heads, n_layers=n_layers, dropout=dropout,
                           hidden=hidden, n_classes=n_classes)
        self.stem = ConvStem(channels, kernels, pools, dropout)
        self.project = nn.Linear(self.stem.out_channels, d_model)
        self.encoder = _encoder(d_model, n_heads, n_layers, dropout)
        self.norm = nn.LayerNorm(d_model)
        self.head = _head(d_model, hidden, dropout, n_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.project(self.stem(x).transpose(1, 2))
        h = h + sinusoidal_encoding(h.shape[1], h.shape[2], h.device)
        return self.head(self.norm(self.encoder(h)).mean(dim=1))
