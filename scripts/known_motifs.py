"""Rule script: known-motif enrichment in one class's test peaks (HOMER or the builtin engine)."""

import shutil
from pathlib import Path

import pandas as pd

from wtko import enrichment, homer, logs, validation
from wtko.encode import to_codes
from wtko.engines import resolve_engine, run_tool
from wtko.motifs.homer_io import write_known_results
from wtko.motifs.meme_format import read_meme

log = logs.setup(snakemake.log[0])
cfg, cls = snakemake.params.cfg, snakemake.wildcards.cls
windows = pd.read_csv(snakemake.input.windows, sep="\t")
label = 1 if cls == "wt" else 0
targets = windows[(windows["split"] == "test") & (windows["label"] == label)]
out = Path(snakemake.output.known)
with logs.user_errors(log):
    engine = resolve_engine(cfg["engine"], "homer", "findMotifsGenome.pl", log.info, "validation.engine")
log.info("%s: %d test peaks, engine %s, size %d", cls.upper(), len(targets), engine, cfg["size"])
if engine == "homer":
    peaks = out.parent / "peaks.bed"
    homer.write_homer_peaks(targets, peaks)
    run_tool(homer.find_motifs_genome_command(peaks, snakemake.input.fasta, out.parent / "homer",
                                              size=cfg["size"], extra=cfg["homer_options"],
                                              threads=snakemake.threads), snakemake.log[0])
    shutil.copyfile(out.parent / "homer" / "knownResults.txt", out)
else:
    codes = validation.central(to_codes(targets["sequence"].tolist()), cfg["size"])
    background = enrichment.gc_matched_background(
        codes, snakemake.input.fasta, n_per_target=cfg["background_per_target"], seed=cfg["seed"],
        exclude=windows[["chrom", "start", "end"]])
    motifs = read_meme(snakemake.input.db, source=snakemake.params.database)
    table = enrichment.known_enrichment(motifs, codes, background, method=cfg["scan"], p=cfg["p"],
                                        frac=cfg["logodds_frac"])
    write_known_results(table, out, table.attrs["n_target_total"], table.attrs["n_background_total"])
    log.info("background: %d GC-matched genome windows; top motif %s (p %.3g)", len(background),
             table["motif_name"].iloc[0], table["p_value"].iloc[0])
