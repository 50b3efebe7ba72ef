"""The paper's tables: markdown output and TF-match summaries."""

from __future__ import annotations

import pandas as pd

from wtko.tables import match_table, write_markdown


def test_match_table_names_top_tfs_and_keeps_unmatched_motifs():
    matches = pd.DataFrame({"query_id": ["m1", "m1", "m1"], "target_name": ["RELA", "REL", "CTCF"],
                            "target_family": ["NF-kB", "NF-kB", "ZF"], "q_value": [0.001, 0.01, 0.2],
                            "p_value": [1e-5, 1e-4, 1e-2]})
    queries = pd.DataFrame({"cluster": [0, 1], "query_id": ["m1", "m2"], "de novo motif": ["GGAA", "CCCC"]})
    table = match_table(matches, queries, report_q=0.05)
    assert table["matched TFs"].tolist() == ["RELA, REL", ""]
    assert table["family"].tolist() == ["NF-kB", ""]
    assert list(table.columns[:3]) == ["cluster", "query_id", "de novo motif"]


def test_no_motifs_still_gives_a_header(tmp_path):
    empty = match_table(pd.DataFrame(columns=["query_id", "target_name", "target_family", "q_value", "p_value"]),
                        pd.DataFrame(columns=["cluster", "query_id"]), report_q=0.05)
    empty.to_csv(tmp_path / "t.tsv", sep="\t", index=False)
    assert (tmp_path / "t.tsv").read_text().startswith("cluster\tquery_id\tmatched TFs")
    write_markdown(pd.DataFrame({"a": [1.23456, "x|y"]}), tmp_path / "t.md")
    assert (tmp_path / "t.md").read_text().splitlines() == ["| a |", "|---|", "| 1.23 |", "| x\\|y |"]
