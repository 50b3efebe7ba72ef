"""The filter route per network: motifs, which filters count, and the untrained null.

Recurrence across seeds only means something if it beats chance. The chance
level is measured, not assumed: the same selection and recurrence run on the
seeds' *initial* networks (:func:`wtko.models.initial_model`), whose filters
are random yet still have top-scoring 10-mers, PFMs and TOMTOM matches
between seeds. :func:`calibration` puts the two side by side.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from torch import nn

from . import filters
from .influence import filter_influence
from .motifs.records import Motif

CALIBRATION_COLUMNS = ["network", "filters", "with_sites", "informative", "used",
                       "max_influence", "recurring", "groups"]


@dataclass
class SeedFilters:
    """One network's first-layer filters: all motifs, their influence, and those that count."""

    conv: nn.Module
    activation: filters.Activation | None
    motifs: list[Motif]
    influence: pd.DataFrame
    informative: list[Motif]
    used: list[Motif]


def seed_filters(seed: int, model: nn.Module, x_all, x_val, y_val, cfg: dict[str, Any]) -> SeedFilters:
    """Motifs from ``x_all`` (paper: every window), influence on the validation windows.

    A filter counts when its PFM has sites and ``cfg['min_information']``
    bits per position, and nullifying it costs ``cfg['min_influence']``
    nats at q < ``cfg['influence_q']``.
    """
    conv, activation = filters.first_conv(model), filters.network_activation(model)
    motifs = filters.filter_motifs(seed, conv, x_all, threshold_frac=cfg["threshold_frac"],
                                   activation=activation)
    influence = filter_influence(model, conv, x_val, y_val)
    informative = filters.informative(motifs, cfg["min_information"])
    used = filters.influential(informative, influence, cfg["min_influence"], cfg["influence_q"])
    return SeedFilters(conv, activation, motifs, influence, informative, used)


def calibration(by_network: dict[str, dict[int, SeedFilters]], kept: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per network kind (``trained``, ``untrained``): filters kept at each step, summed over seeds."""
    rows = []
    for name, seeds in by_network.items():
        rows.append({"network": name,
                     "filters": sum(len(s.motifs) for s in seeds.values()),
                     "with_sites": sum(m.meta["n_sites"] > 0 for s in seeds.values() for m in s.motifs),
                     "informative": sum(len(s.informative) for s in seeds.values()),
                     "used": sum(len(s.used) for s in seeds.values()),
                     "max_influence": max(float(s.influence["influence"].max()) for s in seeds.values()),
                     "recurring": len(kept[name]),
                     "groups": int(kept[name]["group"].nunique()) if len(kept[name]) else 0})
    return pd.DataFrame(rows, columns=CALIBRATION_COLUMNS)
