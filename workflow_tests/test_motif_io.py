"""MEME-format, MEME/STREME result and JASPAR readers against real files."""

from __future__ import annotations

import numpy as np
import pytest

from wtko.errors import InputError
from wtko.motifs.jaspar import (PSEUDOCOUNT, jaspar_annotation, jaspar_motifs, load_target_db,
                                write_jaspar_meme)
from wtko.motifs.meme_format import read_meme, write_meme
from wtko.motifs.meme_output import (read_discovery_output, read_meme_txt, read_meme_xml,
                                     read_streme_xml)
from wtko.motifs.records import Motif


def test_jaspar_meme_fixture(fixtures_dir):
    motifs = read_meme(fixtures_dir / "jaspar" / "JASPAR_CORE_2016_vertebrates_first50.meme")
    assert len(motifs) == 50
    first, last = motifs[0], motifs[-1]
    assert (first.id, first.name, first.width, first.nsites) == ("MA0002.2", "RUNX1", 11, 2000)
    assert first.evalue == 0
    np.testing.assert_allclose(first.probs[0], [0.1435, 0.248, 0.348, 0.2605], atol=1e-6)
    assert first.meta["url"].endswith("ID=MA0002.2&rm=present&collection=CORE")
    assert (last.id, last.name) == ("MA0073.1", "RREB1")
    assert any("::" in m.name for m in motifs) and any("(var.2)" in m.name for m in motifs)


def test_streme_text_is_meme_format(fixtures_dir):
    motifs = read_meme(fixtures_dir / "streme" / "streme_5.5.5_ybx1_dna.txt")
    assert len(motifs) == 8
    assert (motifs[0].id, motifs[0].name, motifs[0].width) == ("1-CGTGTAAT", "STREME-1", 8)
    assert motifs[0].nsites == 12120 and motifs[0].evalue == pytest.approx(5.9e-3)
    assert (motifs[-1].id, motifs[-1].name) == ("8-AACAGCTGAAAAC", "STREME-8")
    assert motifs[-1].evalue == pytest.approx(5.3)


def test_round_trip(tmp_path):
    rng = np.random.default_rng(0)
    motifs = [Motif("m1", rng.dirichlet(np.ones(4), 7), name="alt one", nsites=33, evalue=1.5e-20),
              Motif("m2", rng.dirichlet(np.ones(4), 12))]
    path = tmp_path / "m.meme"
    write_meme(motifs, path, background=[0.3, 0.2, 0.2, 0.3])
    back = read_meme(path)
    assert [(m.id, m.name, m.nsites, m.width) for m in back] == [
        ("m1", "alt_one", 33, 7), ("m2", "", 20, 12)]
    assert back[0].evalue == pytest.approx(1.5e-20)
    for a, b in zip(motifs, back):
        np.testing.assert_allclose(a.probs, b.probs, atol=2e-6)
    assert "A 0.3 C 0.2 G 0.2 T 0.3" in path.read_text()


@pytest.mark.parametrize("body, line, words", [
    ("MOTIF a\nletter-probability matrix: alength= 4 w= 2\n0.25 0.25 0.5\n", 3, "3 values"),
    ("MOTIF a\nletter-probability matrix: alength= 4 w= 3\n0.25 0.25 0.25 0.25\n", 1, "w= 3"),
    ("MOTIF a\nletter-probability matrix: w= 1\n5 3 2 0\n", 3, "sums to"),
    ("MOTIF a\nURL x\nMOTIF b\n", 1, "no letter-probability"),
    ("MOTIF\n", 1, "without a motif id"),
])
def test_malformed_names_line(tmp_path, body, line, words):
    path = tmp_path / "bad.meme"
    path.write_text("MEME version 5\n\n" + body)
    with pytest.raises(InputError, match=words) as err:
        read_meme(path)
    assert err.value.line == line + 2 and str(path) in str(err.value)


def test_meme_txt_and_xml_agree(fixtures_dir):
    txt = read_meme_txt(fixtures_dir / "meme" / "meme_5.0.1_INO_up800_dna_oops.txt")
    xml = read_meme_xml(fixtures_dir / "meme" / "meme_5.0.1_INO_up800_dna_oops.xml")
    expect = [("MEME-1", "GSKGCATGTGAAA", 13, 7, 101, 1.9e-1),
              ("MEME-2", "TTGACWCYTGCYCWG", 15, 7, 99, 5.4e1)]
    for motifs in (txt, xml):
        got = [(m.id, m.name, m.width, m.nsites, m.meta["llr"], m.evalue) for m in motifs]
        assert got == expect
    for a, b in zip(txt, xml):
        np.testing.assert_allclose(a.probs, b.probs, atol=1e-6)
        assert a.consensus == b.consensus
    assert xml[0].meta["p_value"] == pytest.approx(7.7e-24)
    assert xml[0].meta["bayes_threshold"] == pytest.approx(9.62022)


def test_meme_504_tiny_evalue(fixtures_dir):
    [motif] = read_discovery_output(fixtures_dir / "meme" / "meme_5.0.4_promoters_dna_zoops.txt")
    assert (motif.id, motif.name, motif.width, motif.nsites) == ("MEME-1", "WTKDTAWAAT", 10, 326)
    assert motif.evalue == pytest.approx(3.6e-179) and motif.meta["llr"] == 1537


def test_streme_xml_without_declaration(fixtures_dir):
    path = fixtures_dir / "streme" / "streme_5.3.2_Klf1_memes.xml"
    assert not path.read_text().startswith("<?xml")
    motifs = read_streme_xml(path)
    assert len(motifs) == 7
    assert [m.id for m in read_discovery_output(path)] == [m.id for m in motifs]
    first = motifs[0]
    assert (first.id, first.name, first.width) == ("1-RGCCACACCCWNNBY", "STREME-1", 15)
    assert first.meta["train_pvalue"] == pytest.approx(1.1e-65)
    assert first.evalue == pytest.approx(2.3e-9)
    assert first.meta["score_threshold"] == pytest.approx(11.5654)
    assert np.allclose(first.probs.sum(axis=1), 1, atol=1e-3)


def test_discovery_output_dispatch(fixtures_dir):
    streme = read_discovery_output(fixtures_dir / "streme" / "streme_5.5.5_ybx1_dna.txt")
    assert streme[0].source == "streme" and len(streme) == 8
    xml = read_discovery_output(fixtures_dir / "meme" / "meme_5.0.1_INO_up800_dna_oops.xml")
    assert [m.id for m in xml] == ["MEME-1", "MEME-2"]


def test_jaspar_offline():
    motifs = jaspar_motifs("JASPAR2022")
    assert len(motifs) == 841
    by_id = {m.id: m for m in motifs}
    arnt = by_id["MA0004.1"]
    assert arnt.name == "Arnt" and arnt.meta["family"] == "PAS domain factors"
    # probabilities are counts + PSEUDOCOUNT, normalised per column
    expect = (arnt.counts[0] + PSEUDOCOUNT) / (arnt.counts[0].sum() + 4 * PSEUDOCOUNT)
    np.testing.assert_allclose(arnt.probs[0], expect)
    assert (arnt.probs > 0).all() and arnt.consensus == "CACGTG"
    table = jaspar_annotation(motifs)
    assert list(table.columns) == ["id", "name", "family", "class"]
    rxr = table.set_index("id").loc["MA0074.1"]
    assert rxr["family"] == "RXR-related receptors (NR2)::Thyroid hormone receptor-related factors (NR1)"


def test_target_db_and_export(tmp_path, fixtures_dir):
    path = tmp_path / "j.meme"
    written = write_jaspar_meme(path, "JASPAR2020")
    back = load_target_db(str(path))
    assert [m.id for m in back] == [m.id for m in written]
    np.testing.assert_allclose(back[3].probs, written[3].probs, atol=1e-6)
    assert len(load_target_db("JASPAR2020")) == len(written)
    with pytest.raises(InputError, match="unknown JASPAR release"):
        load_target_db("JASPAR2099")
    with pytest.raises(InputError, match="not found"):
        load_target_db(str(tmp_path / "missing.meme"))


def test_load_target_db_reads_a_homer_library(fixtures_dir):
    from wtko.motifs.jaspar import load_target_db

    motifs = load_target_db(str(fixtures_dir / "homer/homerMotifs.all.motifs_findMotifsGenome_tair10_SOB3.motifs"))
    assert len(motifs) == 25 and motifs[0].width == 8
