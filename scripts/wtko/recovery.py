"""How well each motif route recovers a planted truth (the demo, or any simulated dataset).

A planted motif counts as recovered by a route when one of the route's motifs
matches it (TOMTOM q below a cut-off) or a JASPAR matrix of the same TF family;
the direction is right when that motif speaks for the class the motif was
planted in. Motifs matching no planted family at all are counted as spurious.
"""

from __future__ import annotations

import pandas as pd

RECOVERY_COLUMNS = ["route", "motif_id", "name", "class", "recovered", "best_query", "best_q",
                    "query_class", "direction_right"]


def _families(ids: pd.Series, annotation: pd.DataFrame) -> pd.Series:
    return ids.map(annotation.drop_duplicates("id").set_index("id")["family"]).fillna("")


def recover(route: str, truth: pd.DataFrame, matches: pd.DataFrame, query_class: dict[str, str],
            annotation: pd.DataFrame, q: float = 0.05) -> tuple[pd.DataFrame, int]:
    """Per planted motif: recovered?, by which query, and does that query point the planted way?

    Args:
        matches: TOMTOM table with query_id, target_id, q_value.
        query_class: the class ('WT'/'KO') each query motif speaks for.
    Returns:
        The recovery table and the number of spurious query motifs.
    """
    good = matches[matches["q_value"] < q].copy()
    good["family"] = _families(good["target_id"], annotation)
    planted_family = dict(zip(truth["motif_id"], _families(truth["motif_id"], annotation)))
    rows = []
    for motif in truth.to_dict("records"):
        family = planted_family[motif["motif_id"]]
        hit = good[(good["target_id"] == motif["motif_id"]) | ((good["family"] == family) & (family != ""))]
        hit = hit.sort_values("q_value")
        row = {"route": route, "motif_id": motif["motif_id"], "name": motif["name"], "class": motif["class"],
               "recovered": len(hit) > 0, "best_query": "", "best_q": float("nan"), "query_class": "",
               "direction_right": False}
        if len(hit):
            # Prefer a recovering query that points the planted way, then the best q.
            hit = hit.assign(right=hit["query_id"].map(query_class) == motif["class"])
            best = hit.sort_values(["right", "q_value"], ascending=[False, True]).iloc[0]
            row.update(best_query=best["query_id"], best_q=float(best["q_value"]),
                       query_class=query_class.get(best["query_id"], ""), direction_right=bool(best["right"]))
        rows.append(row)
    planted = set(planted_family.values()) | set(truth["motif_id"])
    explained = set(good.loc[good["target_id"].isin(planted) | good["family"].isin(planted), "query_id"])
    spurious = len(set(good["query_id"]) - explained)
    return pd.DataFrame(rows, columns=RECOVERY_COLUMNS), spurious


ROUTE_COLUMNS = ["route", "n_planted", "recovered", "recall", "direction_right", "spurious_motifs",
                 "n_motifs"]


def route_summary(recovery: pd.DataFrame, n_motifs: dict[str, int]) -> pd.DataFrame:
    """One row per route: how many planted motifs it recovered, with the right direction, and spurious ones.

    ``recall`` counts a motif only when it is recovered *and* points the
    planted way, since a motif credited to the wrong condition would mislead.
    """
    rows = []
    for route, table in recovery.groupby("route", sort=False):
        right = int((table["recovered"] & table["direction_right"]).sum())
        rows.append({"route": route, "n_planted": len(table), "recovered": int(table["recovered"].sum()),
                     "recall": right / len(table), "direction_right": right,
                     "spurious_motifs": int(table["spurious_motifs"].iloc[0]),
                     "n_motifs": n_motifs.get(route, 0)})
    return pd.DataFrame(rows, columns=ROUTE_COLUMNS)


def class_of_share(wt_share: float, expected: float = 0.5) -> str:
    """The class a motif speaks for: WT when WT sequences supply more of its instances than ``expected``.

    ``expected`` is the WT share of all instances (every cluster's k-mers
    together): the test chromosomes need not be balanced (145 WT and 127 KO
    windows on the demo), and a cluster drawn evenly from both holds their
    ratio, not one half.
    """
    return "WT" if wt_share > expected else "KO"


def overall_wt_share(clusters: pd.DataFrame) -> float:
    """WT share of all k-mers, from a clusters table's ``size`` and ``wt_share``."""
    return float((clusters["size"] * clusters["wt_share"]).sum() / clusters["size"].sum())
