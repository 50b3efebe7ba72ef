"""Rule script: the units of the best-by-validation ExplaiNN seed as motifs, with direction, TOMTOM, logos."""

from pathlib import Path

import torch

from wtko import filters, interpretable, logs, matching
from wtko.data import load_encoded
from wtko.encode import one_hot
from wtko.engines import resolve_engine
from wtko.errors import InputError
from wtko.models import load_model
from wtko.models.explainn import ExplaiNN
from wtko.motifs.meme_format import write_meme
from wtko.plots.logos import plot_logo
from wtko.train import best_seed


def main(sm) -> None:
    log = logs.setup(sm.log[0])
    fcfg, mcfg = sm.params.filters, sm.params.comparison
    torch.set_num_threads(sm.threads)
    loaded = {int(s): load_model(p) for s, p in zip(sm.params.seeds, sm.input.models)}
    seed = best_seed({s: ckpt["val_acc"] for s, (_, ckpt) in loaded.items()})
    model = loaded[seed][0]
    with logs.user_errors(log):
        if not isinstance(model, ExplaiNN):
            raise InputError(sm.input.models[0], f"is a {type(model).__name__}, not an ExplaiNN",
                             "point the rule at baselines/explainn checkpoints")
        engine = resolve_engine(mcfg["engine"], "tomtom", log=log.info, key="motif_comparison.engine")
    log.info("units of explainn seed %d (best validation accuracy %.4f)", seed, loaded[seed][1]["val_acc"])
    x_all = one_hot(load_encoded(sm.input.encoded)["codes"])
    motifs = interpretable.unit_motifs(model, x_all, threshold_frac=fcfg["threshold_frac"])
    interpretable.unit_table(interpretable.ranked(motifs)).to_csv(sm.output.units, sep="\t", index=False)
    write_meme([m for m in motifs if m.meta["n_sites"] > 0], sm.output.meme)
    informative = filters.informative(motifs, sm.params.min_information)
    log.info("%d units, %d with sites and >= %.2f bits/position; WT %d, KO %d", len(motifs), len(informative),
             sm.params.min_information, sum(m.meta["direction"] == "WT" for m in motifs),
             sum(m.meta["direction"] == "KO" for m in motifs))
    logo_dir = Path(sm.output.logos)
    logo_dir.mkdir(parents=True, exist_ok=True)
    for m in informative:
        plot_logo(m.counts, logo_dir / m.id, f"{m.id}: {m.meta['direction']} "
                  f"(weight {m.meta['weight']:+.2f}), {m.consensus}, {m.meta['n_sites']} sites")

    matches = matching.match_table(informative, sm.input.db, sm.input.annotation, engine, mcfg["thresh"],
                                   Path(sm.output.tomtom).parent / "work", sm.log[0],
                                   {m.id: m.meta["unit"] for m in informative})
    matches.to_csv(sm.output.tomtom, sep="\t", index=False)
    log.info("%d TOMTOM matches, %d with q < %g", len(matches),
             int((matches["q_value"] < mcfg["report_q"]).sum()), mcfg["report_q"])


main(snakemake)  # noqa: F821
