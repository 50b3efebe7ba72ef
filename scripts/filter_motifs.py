"""Rule script: first-layer filter motifs per seed, recurrence across seeds, TOMTOM, Tables 9-10."""

from pathlib import Path

import pandas as pd
import torch

from wtko import filter_route, filters, logs, matching, tables
from wtko.data import load_encoded, subset
from wtko.encode import one_hot
from wtko.engines import resolve_engine
from wtko.models import initial_model, load_model
from wtko.motifs.meme_format import write_meme
from wtko.plots.logos import plot_logo

log = logs.setup(snakemake.log[0])
cfg, mcfg = snakemake.params.cfg, snakemake.params.comparison
torch.set_num_threads(snakemake.threads)
data = load_encoded(snakemake.input.encoded)
x_all = torch.from_numpy(one_hot(data["codes"]))
test, val = subset(data, "test"), subset(data, "val")
x_test, x_val = torch.from_numpy(one_hot(test["codes"])), torch.from_numpy(one_hot(val["codes"]))
logo_dir = Path(snakemake.output.logos)
logo_dir.mkdir(parents=True, exist_ok=True)
networks = {"trained": {}, "untrained": {}}
directions, influences = [], []
for seed, path in zip(snakemake.params.seeds, snakemake.input.models):
    model, ckpt = load_model(path)
    for name, net in (("trained", model), ("untrained", initial_model(ckpt))):
        networks[name][int(seed)] = sf = filter_route.seed_filters(int(seed), net, x_all, x_val, val["label"], cfg)
        log.info("seed %s %s: %d filters, %d with sites, %d with >= %.2f bits/position, %d of those used "
                 "(nullifying costs >= %.4f nats at q < %.2f; the largest cost is %.4f)", seed, name,
                 len(sf.motifs), sum(m.meta["n_sites"] > 0 for m in sf.motifs), len(sf.informative),
                 cfg["min_information"], len(sf.used), cfg["min_influence"], cfg["influence_q"],
                 sf.influence["influence"].max())
        influences.append(sf.influence.assign(seed=int(seed), network=name))
    sf = networks["trained"][int(seed)]
    direction = filters.class_direction(sf.conv, x_test, test["label"], activation=sf.activation)
    direction.insert(0, "motif_id", [m.id for m in sf.motifs])
    directions.append(direction)
    for m in sf.used:
        plot_logo(m.counts, logo_dir / m.id, f"{m.id} ({m.meta['consensus']}, {m.meta['n_sites']} sites)")
all_motifs = [m for sf in networks["trained"].values() for m in sf.motifs]
write_meme([m for m in all_motifs if m.meta["n_sites"] > 0], snakemake.output.meme)
pd.concat(influences, ignore_index=True)[["network", "seed", "filter", "influence", "p_value", "q_value"]].to_csv(
    snakemake.output.influence, sep="\t", index=False)
recurring = {name: filters.recurrence({s: sf.used for s, sf in seeds.items()}, min_seeds=cfg["min_seeds"],
                                      q=cfg["q"]) for name, seeds in networks.items()}
calibration = filter_route.calibration(networks, recurring)
calibration.to_csv(snakemake.output.calibration, sep="\t", index=False)
log.info("recurring filter groups: %d trained, %d from the untrained initial networks (chance)",
         *calibration.set_index("network").loc[["trained", "untrained"], "groups"])
kept = recurring["trained"]
direction = pd.concat(directions, ignore_index=True)
kept = kept.merge(direction[["motif_id", "mean_max_wt", "mean_max_ko", "direction", "p_value"]]
                  .rename(columns={"p_value": "direction_p"}), on="motif_id", how="left")
kept.to_csv(snakemake.output.recurrence, sep="\t", index=False)
direction.to_csv(snakemake.output.direction, sep="\t", index=False)
kept_ids = set(kept["motif_id"])
kept_motifs = [m for sf in networks["trained"].values() for m in sf.used if m.id in kept_ids]
log.info("%d recurring filter motifs (in >= %d seeds), %d groups", len(kept), cfg["min_seeds"],
         kept["group"].nunique())
with logs.user_errors(log):
    engine = resolve_engine(mcfg["engine"], "tomtom", log=log.info, key="motif_comparison.engine")
# Every kept motif, not one per group: a group's most-sited member need not be its sharpest.
# TOMTOM keeps all pairs; the table keeps the usual q <= thresh plus the paper's p < tomtom_p.
matches = matching.match_table(kept_motifs, snakemake.input.db, snakemake.input.annotation, engine,
                               1.0, Path(snakemake.output.tomtom).parent / "work", snakemake.log[0],
                               dict(zip(kept["motif_id"], kept["group"])))
matches = matches[(matches["q_value"] <= mcfg["thresh"]) | (matches["p_value"] < cfg["tomtom_p"])]
matches.to_csv(snakemake.output.tomtom, sep="\t", index=False)
queries = pd.DataFrame({"dataset": snakemake.wildcards.dataset, "query_id": kept["motif_id"],
                        "group": kept["group"], "motif": kept["consensus"], "seeds": kept["n_seeds"],
                        "direction": kept["direction"]})
# The paper names filter matches at TOMTOM p < 0.05 (not q): report_p plays report_q's role here.
table = tables.match_table(matches.assign(q_value=matches["p_value"]), queries, cfg["tomtom_p"])
tables.write_table(table.rename(columns={"best q": "best p"}), Path(snakemake.output.table).with_suffix(""))
