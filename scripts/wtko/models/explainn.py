"""ExplaiNN: independent motif units whose effects one linear layer adds up.

After Novakovsky et al. 2023 (ExplaiNN, Genome Biology 24:42) and the
mechanistically interpretable networks that followed it: each unit is one
convolutional filter with its own small network, reduced to one number per
sequence, and a single linear layer turns the unit outputs into the WT/KO
logits. A unit's effect on the WT log-odds is therefore one readable number,
``final.weight[WT] - final.weight[KO]``, and its motif is its filter.

A unit is Conv1d(4 -> 1, ``kernel_size``, valid), BatchNorm, exp (or ReLU),
max-pooling into ``bins`` equal-length bins, and a per-unit head
FC(bins -> ``hidden``) ReLU Dropout FC(hidden -> 1); the unit outputs are
batch-normalised so the final weights are comparable across units.

Two departures from ExplaiNN, both for readability and reuse:

* **Every step of a unit is monotone non-decreasing in its filter's
  activations.** The BatchNorms have no affine scale (a learnt negative scale
  would turn a unit into an "absence of motif" detector), and the head's
  weights are softplus-transformed, hence positive. So more of a unit's motif
  never lowers its output, and the sign of ``weight_WT - weight_KO`` *is* the
  class the motif speaks for; ExplaiNN's unconstrained heads can invert it.
* **Max-pooling into a fixed number of bins** (``AdaptiveMaxPool1d``)
  instead of ExplaiNN's MaxPool(7, 7) + flatten, whose head size is tied to
  one input length; here the same weights read 200 bp test windows and 600 bp
  peaks. With ``bins`` = (L - k + 1) / 7 the two coincide.

All units run as one ``Conv1d(4, n_units, k)``: its output channels are
already independent 4 -> 1 filters (ExplaiNN's grouped convolution over a
repeated input computes the same thing with ``n_units`` times the memory),
and ``wtko.filters`` reads it like any first layer. The per-unit heads are
batched ``einsum``s. Defaults (32 units, kernel 19, 8 bins, head 16, exp,
dropout 0.3) give about 7,000 parameters.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

# exp overflows float16 (training uses autocast on CUDA) above ~11; BatchNorm'd
# activations of a true motif hit lie at a few standard deviations, well below.
_EXP_CLAMP = 10.0


class Exp(nn.Module):
    """exp(x), clamped at exp(10) so mixed precision stays finite."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.exp(x.clamp(max=_EXP_CLAMP))


def _inverse_softplus(v: torch.Tensor) -> torch.Tensor:
    return v + torch.log(-torch.expm1(-v))


class UnitHeads(nn.Module):
    """Per-unit monotone FC head: (N, U, bins) -> (N, U), no weights shared between units.

    Weights are ``softplus(raw)`` (positive), biases are free; initialised so
    the positive weights average ~1 / fan_in, as a mean over the inputs.
    """

    def __init__(self, n_units: int, bins: int, hidden: int, dropout: float):
        super().__init__()
        self.raw1 = nn.Parameter(_inverse_softplus(torch.empty(n_units, hidden, bins).uniform_(0.1, 2.0) / bins))
        bound1 = 1.0 / math.sqrt(bins)
        self.bias1 = nn.Parameter(torch.empty(n_units, hidden).uniform_(-bound1, bound1))
        self.raw2 = nn.Parameter(_inverse_softplus(torch.empty(n_units, hidden).uniform_(0.1, 2.0) / hidden))
        self.bias2 = nn.Parameter(torch.zeros(n_units))
        self.relu = nn.ReLU()
        self.dropout = nn.Dropout(dropout)

    def forward(self, pooled: torch.Tensor) -> torch.Tensor:
        h = torch.einsum("nub,uhb->nuh", pooled, F.softplus(self.raw1)) + self.bias1
        h = self.dropout(self.relu(h))
        return torch.einsum("nuh,uh->nu", h, F.softplus(self.raw2)) + self.bias2


class ExplaiNN(nn.Module):
    """One-hot (N, 4, L) -> WT/KO logits (N, 2) as a linear function of ``n_units`` unit outputs.

    Args (config ``baselines.explainn``):
        n_units: motif units (filters).
        kernel_size: filter width in bp (ExplaiNN: 19).
        bins: equal-length max-pooling bins along the sequence, per unit.
        hidden: width of each unit's head.
        activation: ``exp`` (ExplaiNN's; sharpens a filter into a motif
            detector) or ``relu``.
        dropout: in the unit heads.
        n_classes: 2 (class 1 = WT).
    """

    def __init__(self, n_units: int = 32, kernel_size: int = 19, bins: int = 8, hidden: int = 16,
                 activation: str = "exp", dropout: float = 0.3, n_classes: int = 2):
        super().__init__()
        if activation not in ("exp", "relu"):
            raise ValueError(f"activation must be 'exp' or 'relu', got {activation!r}")
        self.config = dict(n_units=n_units, kernel_size=kernel_size, bins=bins, hidden=hidden,
                           activation=activation, dropout=dropout, n_classes=n_classes)
        self.conv = nn.Conv1d(4, n_units, kernel_size, bias=False)  # BatchNorm makes a bias moot
        self.bn = nn.BatchNorm1d(n_units, affine=False)
        self.activation = Exp() if activation == "exp" else nn.ReLU()
        self.pool = nn.AdaptiveMaxPool1d(bins)
        self.heads = UnitHeads(n_units, bins, hidden, dropout)
        self.unit_norm = nn.BatchNorm1d(n_units, affine=False)
        self.final = nn.Linear(n_units, n_classes)

    def units(self, x: torch.Tensor) -> torch.Tensor:
        """(N, 4, L) -> (N, n_units) unit outputs, each non-decreasing in its filter's activations."""
        pooled = self.pool(self.activation(self.bn(self.conv(x))))
        out = self.heads(pooled)
        if self.training and len(out) == 1:  # a one-sequence micro-batch has no batch statistics
            norm = self.unit_norm
            return F.batch_norm(out, norm.running_mean, norm.running_var, training=False, eps=norm.eps)
        return self.unit_norm(out)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.final(self.units(x))

    def unit_effects(self, wt: int = 1, ko: int = 0) -> torch.Tensor:
        """(n_units,) change in logit_WT - logit_KO per unit of unit output: > 0 speaks for WT."""
        w = self.final.weight.detach()
        return w[wt] - w[ko]
