"""Rule script: top saliency positions -> 20 bp k-mers -> clusters with matrices, logos, FASTAs."""

from pathlib import Path

import numpy as np

from wtko import cluster, kmers, logs
from wtko.data import load_encoded
from wtko.errors import InputError
from wtko.plots.logos import plot_logo
from wtko.saliency import load_saliency

log = logs.setup(snakemake.log[0])
cfg, ccfg = snakemake.params.saliency, snakemake.params.clustering
sal = load_saliency(snakemake.input.saliency)
data = load_encoded(snakemake.input.encoded)
codes = data["codes"][data["split"] == "test"]
if len(codes) != len(sal["profiles"]):
    with logs.user_errors(log):
        raise InputError(snakemake.input.saliency, f"{len(sal['profiles'])} profiles for {len(codes)} test windows",
                         "the k-mer route needs test-set profiles: set attribution.sequences: test")
positions = kmers.top_positions(sal["profiles"], k=cfg["top_k"], min_separation=cfg["min_separation"])
kmer_codes, n_padded = kmers.extract_kmers(codes, positions, width=cfg["kmer_width"])
log.info("%d k-mers from %d test sequences (%s); %d k-mers padded with N at sequence edges",
         len(kmer_codes), len(codes), sal["method"], n_padded)
ids = cluster.cluster_kmers(kmer_codes, snakemake.params.n_clusters, max_exact=ccfg["max_exact"],
                            seed=ccfg["seed"])
table = kmers.kmer_table(sal["names"], sal["labels"], sal["preds"], positions,
                         np.take_along_axis(sal["profiles"], positions, axis=1), kmer_codes)
table["cluster"] = ids
table["method"] = sal["method"]
table.to_csv(snakemake.output.kmers, sep="\t", index=False)
kmer_labels = np.repeat(sal["labels"], positions.shape[1])
summary = cluster.cluster_summary(kmer_codes, kmer_labels, ids, min_size=ccfg["min_size"])
summary["method"] = sal["method"]
summary.to_csv(snakemake.output.clusters, sep="\t", index=False)
matrices = cluster.cluster_matrices(kmer_codes, ids)
cluster.write_matrices(matrices, snakemake.output.counts, snakemake.output.freqs)
outdir = Path(snakemake.output.logos)
cluster.write_cluster_fastas(outdir, kmer_codes, ids, [f"{n}_{p}" for n, p in zip(table["name"], table["position"])])
for c, counts in matrices.items():
    row = summary.set_index("cluster").loc[c]
    plot_logo(counts, outdir / f"cluster_{c}", f"cluster {c}: n={row['size']}, WT {row['wt_share']:.0%}")
log.info("primary (largest) cluster: %s", summary.iloc[0].to_dict())
