"""Recovery of a planted truth per motif route."""

from __future__ import annotations

import pandas as pd
import pytest

from wtko.recovery import class_of_share, overall_wt_share, recover

TRUTH = pd.DataFrame({"class": ["WT", "KO"], "motif_id": ["MA0107.1", "MA0139.1"], "name": ["RELA", "CTCF"]})
ANNOTATION = pd.DataFrame({"id": ["MA0107.1", "MA0101.1", "MA0139.1", "MA0080.5"],
                           "name": ["RELA", "REL", "CTCF", "SPI1"],
                           "family": ["NF-kB", "NF-kB", "Zinc fingers", "Ets"]})


def matches(rows):
    return pd.DataFrame(rows, columns=["query_id", "target_id", "q_value"])


def test_family_match_recovers_and_direction_is_checked():
    table, spurious = recover("saliency", TRUTH, matches([("c0", "MA0101.1", 0.01), ("c1", "MA0080.5", 0.001),
                                                         ("c2", "MA0139.1", 0.2)]),
                              {"c0": "WT", "c1": "KO", "c2": "KO"}, ANNOTATION)
    rela, ctcf = table.iloc[0], table.iloc[1]
    assert rela["recovered"] and rela["best_query"] == "c0" and rela["direction_right"]
    assert not ctcf["recovered"]  # q 0.2 is not a match
    assert spurious == 1  # c1 matches only SPI1, which was not planted


def test_wrong_direction_is_reported():
    table, _ = recover("filters", TRUTH, matches([("f1", "MA0107.1", 0.001)]), {"f1": "KO"}, ANNOTATION)
    assert table.iloc[0]["recovered"] and not table.iloc[0]["direction_right"]


def test_a_right_direction_query_is_preferred_over_a_better_q():
    table, _ = recover("x", TRUTH, matches([("a", "MA0107.1", 1e-6), ("b", "MA0107.1", 1e-3)]),
                       {"a": "KO", "b": "WT"}, ANNOTATION)
    assert table.iloc[0]["best_query"] == "b" and table.iloc[0]["direction_right"]
    assert class_of_share(0.8) == "WT" and class_of_share(0.2) == "KO"
    # Measured against the WT share of all k-mers, not one half: 0.52 of a WT-heavy test set is KO-leaning.
    assert class_of_share(0.52, expected=0.55) == "KO" and class_of_share(0.52, expected=0.45) == "WT"
    clusters = pd.DataFrame({"size": [100, 300], "wt_share": [0.9, 0.5]})
    assert overall_wt_share(clusters) == pytest.approx((90 + 150) / 400)
