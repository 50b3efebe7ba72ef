"""WTKO-CNN: two convolution blocks and attention pooling over positions.

Every nonlinearity and the attention product is its own module, used once, so
DeepLIFT/SHAP implementations can attach a rule to each operation; a functional
``torch.softmax`` or an inline product would silently break the attributions.
The attention product is tangermeme's ``BilinearOp`` (a plain matmul that
carries tangermeme's DeepLIFT midpoint rule); it has no parameters, so
checkpoints saved before it was used still load.

The convolutions along the sequence run as (1, k) 2-D convolutions on a
channels-last (N, C, 1, L) view: the same arithmetic as ``Conv1d``, but
oneDNN's channels-last kernels train about 1.4x faster on CPU than its 1-D
path. Inputs and outputs stay in the (N, 4, L) convention. Dropout is
``FastDropout`` (a 4x cheaper mask, same semantics).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from tangermeme.deep_lift_shap import BilinearOp
from torch import nn

from .layers import FastDropout


class WTKOCNN(nn.Module):
    """One-hot (N, 4, L) -> WT/KO logits (N, 2); class 1 is WT.

    Conv(4->64, k10) BN ReLU MaxPool(2) Dropout, Conv(64->128, k10) BN ReLU
    MaxPool(2) Dropout, attention pooling (a linear score per position,
    softmax over positions, weighted sum), Linear(128->64) ReLU Linear(64->2).
    Attention pooling makes the network length-agnostic, and its weights say
    where the evidence lies.
    """

    def __init__(self, filters1: int = 64, filters2: int = 128, kernel_size: int = 10,
                 pool: int = 2, dropout: float = 0.3, hidden: int = 64, n_classes: int = 2):
        super().__init__()
        self.config = dict(filters1=filters1, filters2=filters2, kernel_size=kernel_size,
                           pool=pool, dropout=dropout, hidden=hidden, n_classes=n_classes)
        self.conv1 = nn.Conv2d(4, filters1, (1, kernel_size))
        self.bn1 = nn.BatchNorm2d(filters1)
        self.relu1 = nn.ReLU()
        self.pool1 = nn.MaxPool2d((1, pool))
        self.drop1 = FastDropout(dropout)
        self.conv2 = nn.Conv2d(filters1, filters2, (1, kernel_size))
        self.bn2 = nn.BatchNorm2d(filters2)
        self.relu2 = nn.ReLU()
        self.pool2 = nn.MaxPool2d((1, pool))
        self.drop2 = FastDropout(dropout)
        self.score = nn.Linear(filters2, 1)
        self.softmax = nn.Softmax(dim=1)
        self.weighted_sum = BilinearOp()  # matmul (N, C, L') @ (N, L', 1); squeezed in forward
        self.fc1 = nn.Linear(filters2, hidden)
        self.relu3 = nn.ReLU()
        self.fc2 = nn.Linear(hidden, n_classes)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """(N, 4, L) one-hot -> (N, filters2, L') convolutional features."""
        x = x.unsqueeze(2).contiguous(memory_format=torch.channels_last)
        x = self.drop1(self.pool1(self.relu1(self.bn1(self.conv1(x)))))
        x = self.drop2(self.pool2(self.relu2(self.bn2(self.conv2(x)))))
        return x.squeeze(2)

    def filter_activation(self, z: torch.Tensor) -> torch.Tensor:
        """conv1's output (N, F, L) as the network passes it on: BatchNorm, then ReLU.

        BatchNorm always uses its running statistics (eval-mode arithmetic),
        so a filter's activation on one window does not depend on the batch.
        The filter route (``wtko.filters``) thresholds this.
        """
        bn = self.bn1
        return self.relu1(F.batch_norm(z, bn.running_mean, bn.running_var, bn.weight, bn.bias,
                                       training=False, eps=bn.eps))

    def forward(self, x: torch.Tensor, return_attention: bool = False):
        """Logits (N, n_classes); with ``return_attention`` also the (N, L') weights."""
        feats = self.features(x)
        weights = self.softmax(self.score(feats.transpose(1, 2)))
        logits = self.fc2(self.relu3(self.fc1(self.weighted_sum(feats, weights).squeeze(2))))
        return (logits, weights.squeeze(2)) if return_attention else logits
