"""Validation-stage glue: HOMER's -size windows and the paper's Tables 11-12."""

from __future__ import annotations

import numpy as np
import pandas as pd

from wtko.validation import central, known_table


def test_central_takes_the_middle_bases():
    codes = np.arange(10, dtype=np.uint8)[None, :] % 5
    assert central(codes, 4).tolist() == [[3, 4, 0, 1]]
    assert central(codes, 20).shape == (1, 10)


def known(names, pct):
    return pd.DataFrame({"motif_name": names, "consensus": [n.lower() for n in names],
                         "pct_target": pct, "pct_background": [1.0] * len(names),
                         "p_value": [1e-5 * (i + 1) for i in range(len(names))]})


def test_known_table_takes_each_class_top_motifs():
    wt = known(["A", "B", "C"], [50.0, 30.0, 10.0])
    ko = known(["C", "D", "A"], [60.0, 40.0, 5.0])
    table = known_table(wt, ko, top=2)
    assert table["motif"].tolist() == ["A", "B", "C", "D"]
    a = table.set_index("motif").loc["A"]
    assert (a["% target WT"], a["% target KO"]) == (50.0, 5.0)
    assert np.isnan(table.set_index("motif").loc["B", "% target KO"])
