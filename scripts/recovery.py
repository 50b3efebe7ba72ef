"""Rule script: which planted motifs each route recovers, with the right WT/KO direction."""

import pandas as pd

from wtko import logs
from wtko.recovery import class_of_share, recover

log = logs.setup(snakemake.log[0])
q = snakemake.params.q
truth = pd.read_csv(snakemake.input.truth, sep="\t")
annotation = pd.read_csv(snakemake.input.annotation, sep="\t", keep_default_na=False)
saliency = pd.read_csv(snakemake.input.saliency, sep="\t")
shares = pd.read_csv(snakemake.input.clusters, sep="\t").set_index("cluster")["wt_share"]
saliency_class = {qid: class_of_share(shares[c]) for qid, c in zip(saliency["query_id"], saliency["cluster"])}
filters = pd.read_csv(snakemake.input.filters, sep="\t")
recurrence = pd.read_csv(snakemake.input.recurrence, sep="\t")
filter_class = dict(zip(recurrence["motif_id"], recurrence["direction"]))
direct = pd.read_csv(snakemake.input.wt_vs_ko, sep="\t")
direct_matches = pd.DataFrame({"query_id": direct["motif_id"], "target_id": direct["motif_id"],
                               "q_value": direct[["q_wt_enriched", "q_ko_enriched"]].min(axis=1)})
parts = []
for route, matches, classes in (("saliency_kmer_clusters", saliency, saliency_class),
                                ("filter_motifs", filters, filter_class),
                                ("wt_vs_ko_known_motifs", direct_matches, dict(zip(direct["motif_id"], direct["direction"])))):
    table, spurious = recover(route, truth, matches, classes, annotation, q)
    table["spurious_motifs"] = spurious
    parts.append(table)
    log.info("%s: %d/%d planted motifs recovered, %d with the right direction, %d spurious", route,
             table["recovered"].sum(), len(table), table["direction_right"].sum(), spurious)
pd.concat(parts, ignore_index=True).to_csv(snakemake.output[0], sep="\t", index=False)
