"""HOMER knownResults.txt and .motif readers/writer on real HOMER output."""

from __future__ import annotations

import numpy as np
import pytest

from wtko.errors import InputError
from wtko.motifs.homer_io import (KNOWN_COLUMNS, parse_known_results, read_homer_motifs,
                                  write_known_results)

TAIR = "knownResults_findMotifsGenome_tair10_SOB3.txt"
FCU = "knownResults_findMotifs_fasta_fCU.txt"


def test_known_results_tair10(fixtures_dir):
    df = parse_known_results(fixtures_dir / "homer" / TAIR)
    assert list(df.columns) == KNOWN_COLUMNS and len(df) == 506
    assert df.attrs == {"n_target_total": 4828, "n_background_total": 43471}
    first = df.iloc[0]
    assert first.motif_name == "ATHB13(Homeobox)/col-ATHB13-DAP-Seq(GSE60143)/Homer"
    assert (first.consensus, first.p_value, first.log_p_value, first.q_value) == (
        "CAATAATT", 1e-55, -127.1, 0.0)
    assert (first.n_target, first.pct_target, first.n_background, first.pct_background) == (
        2702.0, 55.97, 19418.7, 44.67)
    last = df.iloc[-1]
    assert (last.p_value, last.log_p_value, last.q_value) == (1.0, 0.0, 1.0)


def test_known_results_fcu(fixtures_dir):
    df = parse_known_results(fixtures_dir / "homer" / FCU)
    assert len(df) == 1006 and df.attrs == {"n_target_total": 638, "n_background_total": 2786}
    assert tuple(df.iloc[0][["motif_name", "consensus", "p_value", "log_p_value"]]) == (
        "Sp1(Zf)/Promoter/Homer", "GGCCCCGCCCCC", 1e-80, -186.5)


@pytest.mark.parametrize("name", [TAIR, FCU])
def test_writer_reproduces_homer_bytes(fixtures_dir, tmp_path, name):
    source = fixtures_dir / "homer" / name
    df = parse_known_results(source)
    out = tmp_path / "knownResults.txt"
    write_known_results(df, out, **df.attrs)
    assert out.read_text() == source.read_text()


def test_writer_exponent_from_exact_p(tmp_path):
    import pandas as pd
    log_p = -20.7245  # log10 = -9.0006: HOMER prints 1e-9, the rounded -2.072e+01 would say 1e-8
    df = pd.DataFrame([["m", "ACGT", np.exp(log_p), log_p, 0.0, 73.0, 11.44, 129.5, 4.65]],
                      columns=KNOWN_COLUMNS)
    out = tmp_path / "k.txt"
    write_known_results(df, out, 638, 2786.5)
    back = parse_known_results(out)
    assert out.read_text().splitlines()[1].split("\t")[2:4] == ["1e-9", "-2.072e+01"]
    assert back.attrs == {"n_target_total": 638, "n_background_total": 2786.5}


def test_not_known_results(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("Motif\tConsensus\n")
    with pytest.raises(InputError, match="knownResults"):
        parse_known_results(path)


def test_homer_motif_collections(fixtures_dir):
    tair = read_homer_motifs(fixtures_dir / "homer" / "homerMotifs.all.motifs_findMotifsGenome_tair10_SOB3.motifs")
    fcu = read_homer_motifs(fixtures_dir / "homer" / "homerMotifs.all.motifs_findMotifs_fasta_fCU.motifs")
    assert len(tair) == 25 and len(fcu) == 75
    assert (tair[0].id, tair[0].width) == ("1-WTATAATA", 8)
    assert tair[0].meta["threshold"] == 8.499641
    assert tair[0].meta["stats"] == "T:1864.0(38.61%),B:10227.8(23.53%),P:1e-119"
    assert {m.width for m in fcu} == {8, 10, 12}


def test_homer_de_novo_and_known(fixtures_dir):
    [denovo] = read_homer_motifs(fixtures_dir / "homer" / "homerResults_motif1_findMotifs_fasta_fCU.motif")
    assert denovo.name == "1-TTTTTTTTTTTT,BestGuess:SeqBias: polyA-repeat(0.934)"
    assert denovo.id == "1-TTTTTTTTTTTT" and denovo.width == 12
    assert denovo.meta["best_guess"] == "SeqBias: polyA-repeat(0.934)"
    assert denovo.meta["threshold"] == 5.090526
    [known] = read_homer_motifs(fixtures_dir / "homer" / "knownResults_known1_Sp1_fCU.motif")
    assert (known.id, known.width, known.meta["threshold"]) == ("Sp1(Zf)/Promoter/Homer", 12, 8.685072)
    np.testing.assert_allclose(known.probs[0], [0.181, 0.218, 0.541, 0.060])
    assert known.consensus == "GGCCCCGCCCCC"


def test_homer_motif_bad_row(tmp_path):
    path = tmp_path / "bad.motif"
    path.write_text(">ACGT\tname\t5.0\n0.25\t0.25\t0.5\n")
    with pytest.raises(InputError, match="4 numbers") as err:
        read_homer_motifs(path)
    assert err.value.line == 2
