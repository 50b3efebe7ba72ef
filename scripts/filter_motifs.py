"""Rule script: first-layer filter motifs per seed, recurrence across seeds, TOMTOM, Tables 9-10."""

from pathlib import Path

import pandas as pd
import torch

from wtko import filters, logs, matching, tables
from wtko.data import load_encoded, subset
from wtko.encode import one_hot
from wtko.engines import resolve_engine
from wtko.models import load_model
from wtko.motifs.meme_format import write_meme
from wtko.plots.logos import plot_logo

log = logs.setup(snakemake.log[0])
cfg, mcfg = snakemake.params.cfg, snakemake.params.comparison
torch.set_num_threads(snakemake.threads)
data = load_encoded(snakemake.input.encoded)
x_all = torch.from_numpy(one_hot(data["codes"]))
test = subset(data, "test")
x_test = torch.from_numpy(one_hot(test["codes"]))
logo_dir = Path(snakemake.output.logos)
logo_dir.mkdir(parents=True, exist_ok=True)
by_seed, directions, all_motifs = {}, [], []
for seed, path in zip(snakemake.params.seeds, snakemake.input.models):
    conv = filters.first_conv(load_model(path)[0])
    motifs = filters.filter_motifs(int(seed), conv, x_all, threshold_frac=cfg["threshold_frac"])
    informative = filters.informative(motifs, cfg["min_information"])
    log.info("seed %s: %d filters, %d with sites and >= %.2f bits/position", seed, len(motifs),
             len(informative), cfg["min_information"])
    by_seed[int(seed)] = informative
    all_motifs += motifs
    direction = filters.class_direction(conv, x_test, test["label"])
    direction.insert(0, "motif_id", [m.id for m in motifs])
    directions.append(direction)
    for m in informative:
        plot_logo(m.counts, logo_dir / m.id, f"{m.id} ({m.meta['consensus']}, {m.meta['n_sites']} sites)")
write_meme([m for m in all_motifs if m.meta["n_sites"] > 0], snakemake.output.meme)
kept = filters.recurrence(by_seed, min_seeds=cfg["min_seeds"], q=cfg["q"])
direction = pd.concat(directions, ignore_index=True)
kept = kept.merge(direction[["motif_id", "mean_max_wt", "mean_max_ko", "direction", "p_value"]]
                  .rename(columns={"p_value": "direction_p"}), on="motif_id", how="left")
kept.to_csv(snakemake.output.recurrence, sep="\t", index=False)
direction.to_csv(snakemake.output.direction, sep="\t", index=False)
representatives = [m for s in by_seed.values() for m in s
                   if m.id in set(kept.loc[kept["representative"], "motif_id"])]
log.info("%d recurring filter motifs (in >= %d seeds), %d groups", len(kept), cfg["min_seeds"],
         len(representatives))
with logs.user_errors(log):
    engine = resolve_engine(mcfg["engine"], "tomtom", log=log.info, key="motif_comparison.engine")
matches = matching.match_table(representatives, snakemake.input.db, snakemake.input.annotation, engine,
                               mcfg["thresh"], Path(snakemake.output.tomtom).parent / "work", snakemake.log[0],
                               dict(zip(kept["motif_id"], kept["group"])))
matches.to_csv(snakemake.output.tomtom, sep="\t", index=False)
rep = kept[kept["representative"]]
queries = pd.DataFrame({"dataset": snakemake.wildcards.dataset, "query_id": rep["motif_id"],
                        "motif": rep["consensus"], "seeds": rep["n_seeds"], "direction": rep["direction"]})
# The paper names filter matches at TOMTOM p < 0.05 (not q): report_p plays report_q's role here.
table = tables.match_table(matches.assign(q_value=matches["p_value"]), queries, cfg["tomtom_p"])
tables.write_table(table.rename(columns={"best q": "best p"}), Path(snakemake.output.table).with_suffix(""))
