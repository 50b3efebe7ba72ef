"""Rule script: WT against KO directly, the paper's Tables 11-12 and Figures 8-9."""

from pathlib import Path

import pandas as pd

from wtko import enrichment, logs, tables, validation
from wtko.encode import to_codes
from wtko.motifs.homer_io import parse_known_results
from wtko.motifs.meme_format import read_meme
from wtko.plots.validation import plot_known_bars

log = logs.setup(snakemake.log[0])
cfg = snakemake.params.cfg
windows = pd.read_csv(snakemake.input.windows, sep="\t")
test = windows[windows["split"] == "test"]
codes = {lab: validation.central(to_codes(test.loc[test["label"] == lab, "sequence"].tolist()), cfg["size"])
         for lab in (1, 0)}
direct = enrichment.wt_vs_ko(read_meme(snakemake.input.db, source=snakemake.params.database), codes[1], codes[0], method=cfg["scan"],
                             p=cfg["p"], frac=cfg["logodds_frac"])
direct.to_csv(snakemake.output.direct, sep="\t", index=False)
log.info("WT vs KO: %d motifs enriched in WT, %d in KO (q < 0.05)", (direct["direction"] == "WT").sum(),
         (direct["direction"] == "KO").sum())
table = validation.known_table(parse_known_results(snakemake.input.wt), parse_known_results(snakemake.input.ko),
                               cfg["top"])
tables.write_table(table, Path(snakemake.output.table).with_suffix(""))
plot_known_bars(table, Path(snakemake.output.bars[0]).with_suffix(""),
                f"{snakemake.wildcards.dataset}: known motifs in test peaks")
