"""Rule script: which planted motifs each route recovers, with the right WT/KO direction (recovery.tsv, routes.tsv)."""

import pandas as pd

from wtko import logs
from wtko.recovery import class_of_share, overall_wt_share, recover, route_summary

log = logs.setup(snakemake.log[0])
inp = snakemake.input
q = snakemake.params.q
truth = pd.read_csv(inp.truth, sep="\t")
annotation = pd.read_csv(inp.annotation, sep="\t", keep_default_na=False)


def read(path: str) -> pd.DataFrame:
    return pd.read_csv(path, sep="\t")


def saliency_route() -> tuple[pd.DataFrame, dict[str, str]]:
    matches, clusters = read(inp.saliency), read(inp.clusters)
    expected = overall_wt_share(clusters)
    log.info("saliency clusters: WT share of all k-mers %.3f, the share a cluster must beat to speak for WT",
             expected)
    shares = clusters.set_index("cluster")["wt_share"]
    return matches, {qid: class_of_share(shares[c], expected)
                     for qid, c in zip(matches["query_id"], matches["cluster"])}


def direct_route() -> tuple[pd.DataFrame, dict[str, str]]:
    direct = read(inp.wt_vs_ko)
    matches = pd.DataFrame({"query_id": direct["motif_id"], "target_id": direct["motif_id"],
                            "q_value": direct[["q_wt_enriched", "q_ko_enriched"]].min(axis=1)})
    return matches, dict(zip(direct["motif_id"], direct["direction"]))


def table_route(tomtom: str, motifs: str, id_column: str, class_column: str):
    """A route whose motifs table says each motif's class in ``class_column``."""
    def build() -> tuple[pd.DataFrame, dict[str, str]]:
        table = read(inp[motifs])
        return read(inp[tomtom]), dict(zip(table[id_column], table[class_column]))
    return build


ROUTES = {
    "saliency_kmer_clusters": saliency_route,
    "filter_motifs": table_route("filters", "recurrence", "motif_id", "direction"),
    "wt_vs_ko_known_motifs": direct_route,
    "modisco": table_route("modisco", "modisco_patterns", "pattern_id", "direction"),
    "class_optimal": table_route("optimal", "optimal_motifs", "motif_id", "class"),
}
# The interpretable model's units, when explainn is among the trained baselines.
if "interpretable" in inp.keys():
    ROUTES["interpretable_units"] = table_route("interpretable", "interpretable_units", "motif_id", "direction")
parts, n_motifs = [], {}
for route, build in ROUTES.items():
    matches, classes = build()
    n_motifs[route] = len(classes)
    table, spurious = recover(route, truth, matches, classes, annotation, q)
    table["spurious_motifs"] = spurious
    parts.append(table)
    log.info("%s: %d/%d planted motifs recovered, %d with the right direction, %d spurious", route,
             table["recovered"].sum(), len(table), table["direction_right"].sum(), spurious)
recovery = pd.concat(parts, ignore_index=True)
recovery.to_csv(snakemake.output.recovery, sep="\t", index=False)
route_summary(recovery, n_motifs).to_csv(snakemake.output.routes, sep="\t", index=False)
