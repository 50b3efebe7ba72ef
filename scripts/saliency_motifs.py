"""Rule script: de novo motifs per k-mer cluster, TOMTOM against the database, the paper's tables."""

from pathlib import Path

import pandas as pd

from wtko import discovery, logs, matching, tables
from wtko.encode import to_codes
from wtko.engines import resolve_engine
from wtko.motifs.meme_format import write_meme

log = logs.setup(snakemake.log[0])
dcfg, mcfg = snakemake.params.discovery, snakemake.params.comparison
workdir = Path(snakemake.output.meme).parent / "work"
workdir.mkdir(parents=True, exist_ok=True)
kmer_table = pd.read_csv(snakemake.input.kmers, sep="\t")
summary = pd.read_csv(snakemake.input.clusters, sep="\t")
with logs.user_errors(log):
    d_engine = resolve_engine(dcfg["engine"], "meme", log=log.info, key="motif_discovery.engine")
    m_engine = resolve_engine(mcfg["engine"], "tomtom", log=log.info, key="motif_comparison.engine")
log.info("de novo engine: %s; comparison engine: %s", d_engine, m_engine)
motifs = discovery.discover_all(to_codes(kmer_table["kmer"].tolist()), kmer_table["cluster"].to_numpy(),
                                summary, d_engine, dcfg, workdir, snakemake.log[0], log)
write_meme(motifs, snakemake.output.meme)
matches = matching.match_table(motifs, snakemake.input.db, snakemake.input.annotation, m_engine, mcfg["thresh"],
                               workdir, snakemake.log[0], {m.id: m.meta["cluster"] for m in motifs})
matches.to_csv(snakemake.output.tomtom, sep="\t", index=False)
stem = Path(snakemake.output.tomtom).parent
tables.write_table(tables.cluster_table(summary), stem / "table_clusters")
shares = summary.set_index("cluster")
queries = pd.DataFrame([{"cluster": m.meta["cluster"], "query_id": m.id, "de novo motif": m.consensus,
                         "sites": m.nsites, "WT share": shares.loc[m.meta["cluster"], "wt_share"]}
                        for m in motifs], columns=["cluster", "query_id", "de novo motif", "sites", "WT share"])
tables.write_table(tables.match_table(matches, queries, mcfg["report_q"]), stem / "table_denovo_matches")
log.info("%d de novo motifs, %d TOMTOM matches (q < %g: %d)", len(motifs), len(matches), mcfg["report_q"],
         (matches["q_value"] < mcfg["report_q"]).sum())
