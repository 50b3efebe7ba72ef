"""The windows stage: geometry, fates, reconciliation, splits, encoding, sequence engines."""

from __future__ import annotations

import gzip
import logging
import shutil

import numpy as np
import pandas as pd
import pytest

from wtko import dataset, encode, genome
from wtko.config import validate_config

SCHEMA = "config/schema/config.schema.yaml"
LOG = logging.getLogger("test")


def dataset_cfg(wt, ko, **extra) -> dict:
    cfg = {"datasets": {"t": {"genome": "g.fa", "peaks": {"wt": str(wt), "ko": str(ko)},
                              "validation": {"chromosomes": ["chr8"]}, **extra}}}
    from pathlib import Path

    validate_config(cfg, Path(__file__).parents[1] / SCHEMA)
    return cfg["datasets"]["t"]


def peaks_bed(path, rows):
    path.write_text("".join("\t".join(map(str, r)) + "\n" for r in rows))
    return path


def regular_peaks(tmp_path, name, offset, chroms=("chr1", "chr2", "chr6", "chr7", "chr8")):
    rows = [(c, s, s + 400, ".", 0, ".", 1, 1, 1, 200) for c in chroms for s in range(offset, 19_000, 2_000)]
    return peaks_bed(tmp_path / name, rows)


def build(tmp_path, tiny_genome, wt, ko, **extra):
    cfg = dataset_cfg(wt, ko, **extra)
    peaks = dataset.load_peaks(cfg["peaks"], None, None, LOG)
    return dataset.build_dataset(peaks, tiny_genome, cfg, "datasets.t", LOG, workdir=tmp_path)


def test_windows_centred_on_summit_and_sequence_matches_genome(tmp_path, tiny_genome):
    wt = regular_peaks(tmp_path, "wt.narrowPeak", 1_000)
    ko = regular_peaks(tmp_path, "ko.narrowPeak", 2_000)
    data = build(tmp_path, tiny_genome, wt, ko)
    t = data.windows
    assert (t["end"] - t["start"] == 600).all()
    assert ((t["summit"] - t["start"]) == 300).all()
    first = t.iloc[0]
    from pyfaidx import Fasta

    assert Fasta(str(tiny_genome))[first.chrom][first.start:first.end].seq.upper() == first.sequence
    assert set(t["split"]) == {"train", "val", "test"}
    assert set(t.loc[t["chrom"].isin(["chr6", "chr7"]), "split"]) == {"test"}
    assert set(t.loc[t["chrom"] == "chr8", "split"]) == {"val"}
    assert encode.from_codes(data.codes[:1])[0] == first.sequence


def count_data_lines(path) -> int:
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt") as fh:
        return sum(1 for line in fh if line.strip() and not line.startswith(("track", "browser", "#")))


def test_summary_reconciles_with_input_line_counts(tmp_path, tiny_genome):
    rows = [("chr1", 100, 500, ".", 0, ".", 1, 1, 1, 50),          # off the chromosome start
            ("chrUn", 5_000, 5_400, ".", 0, ".", 1, 1, 1, 200),    # not in genome
            ("chr2", 19_800, 19_990, ".", 0, ".", 1, 1, 1, 100)]   # off the chromosome end
    wt = regular_peaks(tmp_path, "wt0.narrowPeak", 1_000)
    text = "track name=wt\n# comment\n" + wt.read_text() + "".join("\t".join(map(str, r)) + "\n" for r in rows)
    text += wt.read_text().splitlines(keepends=True)[0]  # a duplicate line
    wt.write_text(text)
    ko = regular_peaks(tmp_path, "ko.narrowPeak", 2_000)
    with open(ko, "a") as fh:
        fh.write("chr1\t1000\t1400\t.\t0\t.\t1\t1\t1\t200\n")  # same window as a WT peak
    data = build(tmp_path, tiny_genome, wt, ko)
    s = data.summary.set_index(["class", "reason"])["count"]
    assert s.groupby(level=0).sum()["WT"] == count_data_lines(wt)
    assert s.groupby(level=0).sum()["KO"] == count_data_lines(ko)
    assert s["WT", "off_chrom_end"] == 2 and s["WT", "chrom_not_in_genome"] == 1
    assert s["WT", "duplicate"] == 1
    assert s["WT", "ambiguous"] == 1 and s["KO", "ambiguous"] == 1
    assert s["WT", "kept"] == s["KO", "kept"]  # balanced
    assert len(data.fates) == count_data_lines(wt) + count_data_lines(ko)
    assert data.fates["reason"].isin(dataset.windows.REASONS).all()


def test_balance_none_keeps_all_and_downsampling_is_seeded(tmp_path, tiny_genome):
    wt = regular_peaks(tmp_path, "wt.narrowPeak", 1_000)
    ko = peaks_bed(tmp_path / "ko.bed", [(c, s, s + 400) for c in ("chr1", "chr6", "chr8")
                                          for s in range(2_000, 18_000, 2_000)])
    unbalanced = build(tmp_path, tiny_genome, wt, ko, balance={"method": "none"})
    assert unbalanced.windows["label"].sum() == 45
    a = build(tmp_path, tiny_genome, wt, ko, balance={"seed": 3})
    b = build(tmp_path, tiny_genome, wt, ko, balance={"seed": 3})
    assert a.windows["name"].tolist() == b.windows["name"].tolist()
    assert a.windows["label"].sum() == (a.windows["label"] == 0).sum() == 24


def test_validation_by_seeded_fraction(tmp_path, tiny_genome):
    wt = regular_peaks(tmp_path, "wt.narrowPeak", 1_000)
    ko = regular_peaks(tmp_path, "ko.narrowPeak", 2_000)
    data = build(tmp_path, tiny_genome, wt, ko, validation={"method": "fraction", "fraction": 0.25, "seed": 1})
    t = data.windows
    assert not t.loc[t["split"] == "val", "chrom"].isin(["chr6", "chr7"]).any()
    n_train_chroms = (~t["chrom"].isin(["chr6", "chr7"])).sum()
    assert (t["split"] == "val").sum() == round(0.25 * n_train_chroms)


def test_encoded_file_is_compact_uint8(tmp_path, tiny_genome):
    wt = regular_peaks(tmp_path, "wt.narrowPeak", 1_000)
    ko = regular_peaks(tmp_path, "ko.narrowPeak", 2_000)
    data = build(tmp_path, tiny_genome, wt, ko)
    dataset.save_encoded(tmp_path / "enc.npz", data)
    z = np.load(tmp_path / "enc.npz")
    assert z["codes"].dtype == np.uint8 and z["codes"].shape == (len(data.windows), 600)
    assert list(z["split"]) == data.windows["split"].tolist()
    onehot = encode.one_hot(z["codes"][:2])
    assert onehot.shape == (2, 4, 600) and np.allclose(onehot.sum(axis=1), 1)


def test_one_hot_n_is_zeros_and_iupac_becomes_n():
    assert encode.clean("acgtRYKMnN") == "ACGTNNNNNN"
    oh = encode.one_hot(encode.to_codes(["ACGTN"]))
    assert oh[0, :, 4].sum() == 0 and (oh[0, :, :4].argmax(axis=0) == [0, 1, 2, 3]).all()


@pytest.mark.skipif(shutil.which("bedtools") is None, reason="bedtools not on PATH")
def test_bedtools_and_pyfaidx_give_identical_sequences(tmp_path, tiny_genome):
    wt = regular_peaks(tmp_path, "wt.narrowPeak", 1_000)
    ko = regular_peaks(tmp_path, "ko.narrowPeak", 2_000)
    a = build(tmp_path, tiny_genome, wt, ko)
    b = build(tmp_path, tiny_genome, wt, ko, sequence_engine="bedtools")
    pd.testing.assert_frame_equal(a.windows, b.windows)


def test_prepare_genome_handles_gzip_and_bgzip(tmp_path, tiny_genome):
    plain = genome.chrom_sizes(tiny_genome)
    gz = tmp_path / "g.fa.gz"
    with open(tiny_genome, "rb") as src, gzip.open(gz, "wb") as dst:
        shutil.copyfileobj(src, dst)
    assert genome.prepare_genome(gz, tmp_path / "out1.fa") == plain
    import pysam

    bgz = tmp_path / "g.bgz.fa.gz"
    pysam.tabix_compress(str(tiny_genome), str(bgz))
    assert genome.prepare_genome(bgz, tmp_path / "out2.fa") == plain
    assert (tmp_path / "out2.fa").read_text() == tiny_genome.read_text()


@pytest.mark.skipif(shutil.which("bedtools") is None, reason="bedtools not on PATH")
def test_bedtools_equals_pyfaidx_on_the_demo(tmp_path):
    """Acceptance: both sequence engines cut identical windows from a (small) demo genome."""
    from conftest import ROOT
    from wtko.demo.make import make_demo

    make_demo(tmp_path / "demo", seed=5, n_chromosomes=20, chromosome_length=60_000, peaks_per_class=200,
              markov_table=ROOT / "resources/markov_mm10_atac_order5.tsv")
    fasta = tmp_path / "genome.fa"
    genome.prepare_genome(tmp_path / "demo/genome.fa", fasta)
    cfg = dataset_cfg(tmp_path / "demo/wt.narrowPeak", tmp_path / "demo/ko.narrowPeak")
    peaks = dataset.load_peaks(cfg["peaks"], None, None, LOG)
    a = dataset.build_dataset(peaks.copy(), fasta, cfg, "datasets.t", LOG, workdir=tmp_path)
    b = dataset.build_dataset(peaks.copy(), fasta, {**cfg, "sequence_engine": "bedtools"}, "datasets.t", LOG,
                              workdir=tmp_path)
    assert len(a.windows) > 300 and a.windows["sequence"].str.contains("[acgt]").sum() == 0
    pd.testing.assert_frame_equal(a.windows, b.windows)
    assert (a.codes == b.codes).all()
