"""First-layer filters as motifs, and which of them recur across seeds (paper section 3.5).

Each first-layer filter is read two ways:

* its weight consensus, the argmax base per position of the (4, k) weights
  (paper eq. 4), which needs no data;
* its activation PFM: every k-bp subsequence whose activation exceeds
  ``threshold_frac`` x the filter's maximum over the dataset is counted into a
  (k, 4) matrix (forward strand, aligned by start), as in Basset/DeepBind.

Activations are what the network passes on from the layer, as Basset and
Koo & Eddy threshold them: for WTKO-CNN its BatchNorm and ReLU
(``filter_activation``), for a model without one the convolution's own
output (weights plus bias). It matters because a fraction of the maximum
depends on where zero lies: after a BatchNorm the raw output's zero is
arbitrary, and a negative BatchNorm scale would make the network respond to
the subsequences the raw output ranks lowest. The convolution is applied
without the layer's padding, so every activation sits on a full k-bp
subsequence of real sequence. The layer may be a Conv1d or, as in WTKO-CNN,
a Conv2d with (1, k) kernels; both are read as (F, 4, k).

A filter of one seed is only worth reporting if networks trained from other
seeds learnt it too; :func:`recurrence` keeps those.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd
import torch
from scipy.stats import mannwhitneyu
import torch.nn.functional as F
from torch import nn

from .encode import ALPHABET
from .motifs.records import Motif
from .motifs.tomtom import tomtom_builtin

RECURRENCE_COLUMNS = ["motif_id", "seed", "filter", "consensus", "n_sites", "n_seeds", "seeds",
                      "matches", "group", "representative"]
_COMPLEMENT = str.maketrans("ACGT", "TGCA")


Conv = nn.Conv1d | nn.Conv2d


def first_conv(model: nn.Module) -> Conv:
    """The model's first convolution: a Conv1d, or a Conv2d with (1, k) kernels over (N, 4, 1, L)."""
    return next(m for m in model.modules() if isinstance(m, (nn.Conv1d, nn.Conv2d)))


def _weights(conv: Conv) -> tuple[torch.Tensor, torch.Tensor | None, int]:
    """(F, 4, k) weights, bias and dilation of either layout, detached."""
    weight, dilation = conv.weight.detach().float(), conv.dilation[-1]
    if isinstance(conv, nn.Conv2d):
        if weight.shape[2] != 1:
            raise ValueError(f"first Conv2d must have (1, k) kernels, got {tuple(weight.shape[2:])}")
        weight = weight[:, :, 0, :]
    if weight.shape[1] != 4:
        raise ValueError(f"first convolution must read 4 one-hot channels, got {weight.shape[1]}")
    bias = None if conv.bias is None else conv.bias.detach().float()
    return weight.contiguous(), bias, dilation


def weight_consensus(conv: Conv) -> list[str]:
    """Argmax base per position of each filter's weights (paper eq. 4)."""
    w = _weights(conv)[0].cpu().numpy()
    return ["".join(ALPHABET[i] for i in f.argmax(axis=0)) for f in w]


Activation = Callable[[torch.Tensor], torch.Tensor]


def _batches(conv: Conv, onehot, batch_size: int, activation: Activation | None = None
             ) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """(one-hot batch, valid-position activations (B, F, L-k+1)) without gradients.

    ``activation``, when given, maps the convolution's output to the
    activation that is thresholded (e.g. an ExplaiNN unit's BatchNorm + exp).
    """
    weight, bias, dilation = _weights(conv)
    x_all = torch.as_tensor(np.asarray(onehot, dtype=np.float32))
    with torch.no_grad():
        for start in range(0, len(x_all), batch_size):
            x = x_all[start:start + batch_size].to(weight.device)
            act = F.conv1d(x, weight, bias, dilation=dilation)
            yield x, act if activation is None else activation(act)


def max_activations(conv: Conv, onehot, batch_size: int = 512,
                    activation: Activation | None = None) -> np.ndarray:
    """(N, F) maximum activation of each filter in each sequence."""
    return np.concatenate([a.amax(dim=2).cpu().numpy()
                           for _, a in _batches(conv, onehot, batch_size, activation)])


def activation_pfms(conv: Conv, onehot, threshold_frac: float = 0.5, batch_size: int = 512,
                    activation: Activation | None = None) -> list[np.ndarray]:
    """(k, 4) site counts per filter from subsequences above ``threshold_frac`` x its max.

    Two passes (maxima, then counts) keep memory at one batch of activations.
    A filter whose maximum is not positive has no sites: a fraction of a
    negative maximum would lie above it.
    """
    weight, _, dilation = _weights(conv)
    if dilation != 1:
        raise ValueError("activation PFMs need an undilated first convolution")
    top = max_activations(conv, onehot, batch_size, activation).max(axis=0)
    cut = torch.as_tensor(np.where(top > 0, threshold_frac * top, np.inf), dtype=torch.float32)
    n_filters, _, k = weight.shape
    counts = torch.zeros(n_filters, k, 4, dtype=torch.float64)
    for x, act in _batches(conv, onehot, batch_size, activation):
        mask = (act > cut.to(act.device)[None, :, None]).double()
        windows = x.unfold(2, k, 1).double()  # (B, 4, P, k)
        counts += torch.einsum("bfp,bcpk->fkc", mask, windows).cpu()
    return list(counts.numpy())


def network_activation(model: nn.Module) -> Activation | None:
    """The model's ``filter_activation`` (what follows its first convolution), if it has one."""
    return getattr(model, "filter_activation", None)


def filter_motifs(seed: int, conv: Conv, onehot, threshold_frac: float = 0.5,
                  batch_size: int = 512, activation: Activation | None = None) -> list[Motif]:
    """One motif per filter, ``seed{S}_f{j}``; filters without sites stay, with n_sites 0.

    ``meta`` has the weight ``consensus``, ``n_sites`` (subsequences counted),
    ``seed`` and ``filter``; a filter with no sites gets a uniform matrix.
    ``activation`` is as in :func:`activation_pfms`.
    """
    pfms = activation_pfms(conv, onehot, threshold_frac, batch_size, activation)
    return [Motif.from_counts(f"seed{seed}_f{j}", counts, source="filter",
                              meta={"consensus": cons, "n_sites": int(counts.sum(axis=1).max()),
                                    "seed": seed, "filter": j})
            for j, (counts, cons) in enumerate(zip(pfms, weight_consensus(conv)))]


def information(probs: np.ndarray) -> float:
    """Mean information content (bits per position) of a probability matrix."""
    p = np.clip(np.asarray(probs, dtype=float), 1e-9, 1.0)
    return float(np.mean(2.0 + (p * np.log2(p)).sum(axis=1)))


def informative(motifs: list[Motif], min_bits: float) -> list[Motif]:
    """Filters with sites whose PFM carries at least ``min_bits`` per position.

    Flat PFMs (untrained or dead filters) match each other under TOMTOM and
    would otherwise "recur" across seeds without meaning anything.
    """
    return [m for m in motifs if m.meta.get("n_sites", m.nsites) > 0 and information(m.probs) >= min_bits]


def influential(motifs: list[Motif], influence: pd.DataFrame, min_influence: float,
                q: float) -> list[Motif]:
    """Filters the network relies on: nullifying one raises the loss by >= ``min_influence``
    nats on average, at Benjamini-Hochberg ``q_value`` < ``q`` (see :mod:`wtko.influence`).

    ``influence`` has one row per filter of the layer that ``motifs`` come from.
    """
    table = influence.set_index("filter")
    return [m for m in motifs if table.at[m.meta["filter"], "influence"] >= min_influence
            and table.at[m.meta["filter"], "q_value"] < q]


def _consensus_key(motif: Motif) -> str:
    """Weight consensus, strand-independent (the smaller of it and its reverse complement)."""
    cons = motif.meta.get("consensus", motif.consensus)
    return min(cons, cons.translate(_COMPLEMENT)[::-1])


def recurrence(motifs_by_seed: dict[int, list[Motif]], min_seeds: int = 3,
               q: float = 0.05) -> pd.DataFrame:
    """Filter motifs found in at least ``min_seeds`` seeds, grouped into non-redundant sets.

    Two motifs match when builtin TOMTOM gives q < ``q`` (either direction)
    or their weight consensus is identical on either strand. A motif recurs
    in its own seed plus the seeds of its matches (``matches`` lists them,
    same-seed copies included). Kept motifs are collapsed greedily: the one
    with most sites (ties: lower seed, then filter) represents itself and
    every still-ungrouped kept motif it matches directly, and so on down.
    Greedy, not connected components, so that a chain A~B~C of weak matches
    cannot merge unrelated A and C. Filters without sites cannot match
    anything and are left out. TOMTOM's p-values take their background from
    the pooled motifs, so the pool should hold at least ~25 (a real run has
    seeds x filters).
    """
    pool = [m for seed in sorted(motifs_by_seed) for m in motifs_by_seed[seed]
            if m.meta.get("n_sites", m.nsites) > 0]
    seed_of = {m.id: m.meta.get("seed", s) for s in motifs_by_seed for m in motifs_by_seed[s]}
    matches: dict[str, set[str]] = {m.id: set() for m in pool}
    hits = tomtom_builtin(pool, pool, thresh=1.0)
    for a, b in zip(*hits.loc[hits.q_value < q, ["query_id", "target_id"]].to_numpy().T):
        if a != b:
            matches[a].add(b)
            matches[b].add(a)
    by_consensus: dict[str, list[str]] = {}
    for m in pool:
        by_consensus.setdefault(_consensus_key(m), []).append(m.id)
    for ids in by_consensus.values():
        for a in ids:
            matches[a].update(b for b in ids if b != a)

    rows = []
    for m in pool:
        seeds = sorted({seed_of[m.id]} | {seed_of[b] for b in matches[m.id]})
        if len(seeds) >= min_seeds:
            rows.append({"motif_id": m.id, "seed": seed_of[m.id], "filter": m.meta.get("filter", -1),
                         "consensus": m.meta.get("consensus", m.consensus),
                         "n_sites": m.meta.get("n_sites", m.nsites), "n_seeds": len(seeds),
                         "seeds": ",".join(map(str, seeds)),
                         "matches": ",".join(sorted(matches[m.id]))})
    kept = pd.DataFrame(rows, columns=RECURRENCE_COLUMNS[:-2])
    kept = kept.sort_values(["n_sites", "seed", "filter"], ascending=[False, True, True],
                            kind="stable").reset_index(drop=True)
    kept_ids = set(kept.motif_id)
    group: dict[str, int] = {}
    n_groups = 0
    for motif_id in kept.motif_id:
        if motif_id not in group:
            group.update({o: n_groups for o in matches[motif_id] & kept_ids if o not in group})
            group[motif_id] = n_groups
            n_groups += 1
    kept["group"] = kept.motif_id.map(group).astype(int)
    kept["representative"] = ~kept.duplicated("group")
    return kept.sort_values(["group", "n_sites"], ascending=[True, False], kind="stable").reset_index(drop=True)


def class_direction(conv: Conv, onehot, labels, batch_size: int = 512,
                    activation: Activation | None = None) -> pd.DataFrame:
    """Per filter, mean max-activation over WT (label 1) and KO (label 0) sequences.

    ``direction`` is the class with the higher mean: the class whose peaks the
    filter's pattern marks. It is only a sign, so ``p_value`` (two-sided
    Mann-Whitney U on the per-sequence maxima) says whether it means anything.
    """
    act = max_activations(conv, onehot, batch_size, activation)
    labels = np.asarray(labels)
    wt_act, ko_act = act[labels == 1], act[labels == 0]
    wt, ko = wt_act.mean(axis=0), ko_act.mean(axis=0)
    return pd.DataFrame({"filter": np.arange(act.shape[1]), "mean_max_wt": wt, "mean_max_ko": ko,
                         "difference": wt - ko, "direction": np.where(wt >= ko, "WT", "KO"),
                         "p_value": mannwhitneyu(wt_act, ko_act, axis=0).pvalue})
