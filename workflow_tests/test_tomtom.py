"""TOMTOM tsv I/O, argv, and the builtin (memelite) comparison."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wtko.errors import InputError
from wtko.motifs.meme_format import read_meme
from wtko.motifs.records import Motif
from wtko.motifs.tomtom import (TOMTOM_COLUMNS, bh_qvalues, parse_tomtom_tsv, tomtom_builtin,
                                tomtom_command, write_tomtom_tsv)


def test_parse_511(fixtures_dir):
    df = parse_tomtom_tsv(fixtures_dir / "tomtom" / "tomtom_5.1.1_memes_fa1_vs_shuffle.tsv")
    assert list(df.columns) == TOMTOM_COLUMNS and len(df) == 11
    assert set(df.query_id) == {"AATAATAA"}
    first = df.iloc[0]
    assert (first.target_id, first.optimal_offset, first.overlap, first.orientation) == (
        "bab1_FlyReg", 0, 8, "-")
    assert (first.p_value, first.e_value, first.q_value) == (0.000286511, 0.174199, 0.326304)
    assert df.optimal_offset.tolist()[:3] == [0, -2, 0]


def test_parse_557_numeric_query(fixtures_dir):
    df = parse_tomtom_tsv(fixtures_dir / "tomtom" / "tomtom_5.5.7_memesuite-lite_vs_JASPAR2024.tsv")
    assert len(df) == 317 and set(df.query_id) == {"0"}
    first = df.iloc[0]
    assert (first.target_id, first.optimal_offset, first.p_value, first.e_value) == (
        "MA1493.1", 3, 7.27055e-06, 0.0170713)
    assert (first.q_value, first.overlap, first.query_consensus, first.target_consensus,
            first.orientation) == (0.0187625, 6, "ACGTGT", "GGCACGTGTT", "+")


def test_write_round_trip_and_hash_header(tmp_path, fixtures_dir):
    df = parse_tomtom_tsv(fixtures_dir / "tomtom" / "tomtom_5.5.7_memesuite-lite_vs_JASPAR2024.tsv")
    path = tmp_path / "t.tsv"
    write_tomtom_tsv(df, path)
    pd.testing.assert_frame_equal(parse_tomtom_tsv(path), df)
    text = path.read_text()
    assert text.startswith("Query_ID\tTarget_ID\tOptimal_offset\tp-value")
    hashed = tmp_path / "h.tsv"
    hashed.write_text("#" + text)
    assert len(parse_tomtom_tsv(hashed)) == 317
    empty = tmp_path / "e.tsv"
    write_tomtom_tsv(df.iloc[:0], empty)
    assert parse_tomtom_tsv(empty).empty


def test_not_tomtom(tmp_path):
    path = tmp_path / "x.tsv"
    path.write_text("motif_id\tsequence_name\n")
    with pytest.raises(InputError, match="not a TOMTOM tsv"):
        parse_tomtom_tsv(path)


def test_command():
    argv = tomtom_command("q.meme", "db.meme", "out", thresh=0.1, evalue=True)
    assert argv[0] == "tomtom" and argv[-2:] == ["q.meme", "db.meme"]
    assert argv[argv.index("-oc") + 1] == "out" and "-no-ssc" in argv and "-evalue" in argv
    assert argv[argv.index("-dist") + 1] == "pearson"
    assert argv[argv.index("-min-overlap") + 1] == "5" and argv[argv.index("-thresh") + 1] == "0.1"
    assert "-evalue" not in tomtom_command("q", "d", "o")


def test_bh_qvalues():
    q = bh_qvalues(np.array([0.04, 0.01, 0.03, 0.5]))
    np.testing.assert_allclose(q, [0.04 * 4 / 3, 0.04, 0.04 * 4 / 3, 0.5])  # 0.03*4/2 > 0.04*4/3


def test_builtin_finds_itself_substring_and_reverse_complement(fixtures_dir):
    """One memelite call (one numba compile) covers all query kinds."""
    targets = read_meme(fixtures_dir / "jaspar" / "JASPAR_CORE_2016_vertebrates_first50.meme")
    runx1 = targets[0]  # MA0002.2, width 11, GTCTGTGGTTT
    rc = runx1.reverse_complement()
    rc.id = "rc"
    shuffled = Motif("shuffled", np.random.default_rng(1).permuted(runx1.probs, axis=1))
    queries = [runx1, Motif("sub", runx1.probs[3:9]), rc,
               Motif("sub_rc", runx1.probs[2:10]).reverse_complement(), shuffled]
    df = tomtom_builtin(queries, targets, thresh=1.0)
    assert list(df.columns) == TOMTOM_COLUMNS
    best = df.groupby("query_id", sort=False).head(1).set_index("query_id")
    for qid, offset, strand in [("MA0002.2", 0, "+"), ("sub", 3, "+"), ("rc", 0, "-"),
                                ("sub_rc", 1, "-")]:
        row = best.loc[qid]
        assert (row.target_id, row.optimal_offset, row.orientation) == ("MA0002.2", offset, strand)
        assert row.q_value < 0.05
    assert best.loc["rc", "target_consensus"] == runx1.reverse_complement().consensus
    assert best.loc["sub", "overlap"] == 6
    row = df[df.query_id == "sub"].iloc[0]
    assert row.e_value == pytest.approx(row.p_value * len(targets))
    assert (df[df.query_id == "shuffled"].q_value >= 0.05).all()
    strict = tomtom_builtin(queries, targets, thresh=0.05)
    assert "shuffled" not in set(strict.query_id) and (strict.q_value <= 0.05).all()
