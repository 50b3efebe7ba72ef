"""The units of an interpretable network (``explainn``) as motifs with a direction and a weight.

A unit's motif is its filter read on data, like a first-layer filter
(``wtko.filters.activation_pfms``: subsequences activating above a share of
the filter's maximum, counted into a PFM), but on the activation the unit
passes on, exp(BatchNorm(conv)), as ExplaiNN does: half of that maximum lies
ln 2 below the best site in BatchNorm units, so only strong sites count. On
the raw convolution half the maximum is an arbitrary cut (BatchNorm moves the
zero), which on the demo let through ~15,000 weak sites per unit and blurred
every PFM below 0.5 bits per position. Its direction needs no data: every
unit of ``ExplaiNN`` is monotone in its filter's activation, so the sign of
its final-layer effect ``weight_WT - weight_KO`` is the class its motif
speaks for, and the magnitude (unit outputs are batch-normalised) ranks the
units.
"""

from __future__ import annotations

import pandas as pd

from .filters import activation_pfms, first_conv, information, weight_consensus
from .models.explainn import ExplaiNN
from .motifs.records import Motif

UNIT_COLUMNS = ["unit", "motif_id", "consensus", "direction", "weight", "information", "n_sites",
                "weight_consensus"]


def unit_motifs(model: ExplaiNN, onehot, threshold_frac: float = 0.5,
                batch_size: int = 512) -> list[Motif]:
    """One motif per unit, ``unit{j}``, named by its direction (``WT``/``KO``).

    ``meta`` has ``unit``, ``direction``, ``weight`` (weight_WT - weight_KO),
    ``n_sites`` and the filter's weight ``consensus``; a unit without sites
    gets a uniform matrix and ``n_sites`` 0, as in ``wtko.filters``.
    """
    conv = first_conv(model)
    effects = model.unit_effects().cpu().numpy().astype(float)
    model = model.eval()
    pfms = activation_pfms(conv, onehot, threshold_frac, batch_size,
                           activation=lambda act: model.activation(model.bn(act)))
    motifs = []
    for j, (counts, cons, weight) in enumerate(zip(pfms, weight_consensus(conv), effects)):
        direction = "WT" if weight > 0 else "KO"
        motifs.append(Motif.from_counts(
            f"unit{j}", counts, name=direction, source="explainn",
            meta={"unit": j, "direction": direction, "weight": float(weight), "consensus": cons,
                  "n_sites": int(counts.sum(axis=1).max())}))
    return motifs


def unit_table(motifs: list[Motif]) -> pd.DataFrame:
    """``UNIT_COLUMNS`` per unit: PFM consensus, direction, weight, bits per position, sites."""
    rows = [{"unit": m.meta["unit"], "motif_id": m.id,
             "consensus": m.consensus if m.meta["n_sites"] > 0 else "",
             "direction": m.meta["direction"], "weight": m.meta["weight"],
             "information": information(m.probs), "n_sites": m.meta["n_sites"],
             "weight_consensus": m.meta["consensus"]} for m in motifs]
    return pd.DataFrame(rows, columns=UNIT_COLUMNS)


def ranked(motifs: list[Motif]) -> list[Motif]:
    """Units by decreasing |weight| (ties: unit order): the strongest effects first."""
    return sorted(motifs, key=lambda m: (-abs(m.meta["weight"]), m.meta["unit"]))
