"""Bad input: each case gives one line naming the file, line or key and the fix,
or a counted, logged drop. No traceback from deep inside a library."""

from __future__ import annotations

import gzip
import logging
from pathlib import Path

import pytest

from conftest import write_fasta
from test_windows import build, dataset_cfg, peaks_bed, regular_peaks
from wtko import dataset, genome, sources
from wtko.config import validate_config
from wtko.counts import read_counts
from wtko.errors import InputError
from wtko.peaks import read_peaks

SCHEMA = Path(__file__).parents[1] / "config/schema/config.schema.yaml"
LOG = logging.getLogger("test")


def one_line(exc: pytest.ExceptionInfo) -> str:
    text = str(exc.value)
    assert "\n" not in text and "Fix:" in text
    return text


@pytest.mark.parametrize("line, expected", [
    ("chr1\tabc\t500\n", "start 'abc' is not an integer"),
    ("chr1\t100\n", "BED needs at least 3"),
    ("chr1\t500\t100\n", "start 500 is not below end 100"),
    ("chr1\t100\t500\t.\t0\t.\t1\t1\t1\t700\n", "summit offset 700 lies outside the peak"),
    ("chr1\t100\t500\t.\t0\t.\t1\t1\t1\tx\n", "summit (column 10) 'x' is not an integer"),
])
def test_malformed_peak_lines_name_file_and_line(tmp_path, line, expected):
    path = tmp_path / "p.bed"
    path.write_text("chr1\t10\t20\n" + line)
    with pytest.raises(InputError) as exc:
        read_peaks(path)
    assert expected in one_line(exc) and f"{path}:2:" in str(exc.value)


def test_headers_crlf_and_gzip_are_read(tmp_path):
    body = "track name=x\r\nbrowser position chr1\r\n# c\r\nchr1\t100\t500\t.\t0\t.\t1\t1\t1\t50\r\nchr1\t600\t900\r\n"
    gz = tmp_path / "p.bed.gz"
    with gzip.open(gz, "wt", newline="") as fh:
        fh.write(body)
    parsed = read_peaks(gz)
    assert parsed.n_header == 3 and len(parsed.table) == 2
    assert parsed.table["centre"].tolist() == [150, 750]
    assert parsed.table["centred_on"].tolist() == ["summit", "midpoint"]


def test_missing_chromosome_and_chromosome_ends_are_counted(tmp_path, tiny_genome):
    wt = regular_peaks(tmp_path, "wt.narrowPeak", 1_000)
    with open(wt, "a") as fh:
        fh.write("chr19\t100\t500\t.\t0\t.\t1\t1\t1\t50\nchr1\t19900\t19999\t.\t0\t.\t1\t1\t1\t50\n")
    data = build(tmp_path, tiny_genome, wt, regular_peaks(tmp_path, "ko.narrowPeak", 2_000))
    s = data.summary.set_index(["class", "reason"])["count"]
    assert s["WT", "chrom_not_in_genome"] == 1 and s["WT", "off_chrom_end"] == 1


def test_chr_prefix_mismatch_is_harmonised_with_a_log_line(tmp_path, tiny_genome, caplog):
    wt = regular_peaks(tmp_path, "wt.narrowPeak", 1_000)
    wt.write_text(wt.read_text().replace("chr", ""))
    with caplog.at_level(logging.INFO):
        data = build(tmp_path, tiny_genome, wt, regular_peaks(tmp_path, "ko.narrowPeak", 2_000))
    assert "harmonised 5 chromosome name(s)" in caplog.text
    assert data.summary.set_index(["class", "reason"])["count"]["WT", "kept"] == 45


def test_chr_prefix_mismatch_is_refused_in_strict_mode(tmp_path, tiny_genome):
    wt = regular_peaks(tmp_path, "wt.narrowPeak", 1_000)
    wt.write_text(wt.read_text().replace("chr", ""))
    with pytest.raises(InputError) as exc:
        build(tmp_path, tiny_genome, wt, regular_peaks(tmp_path, "ko.narrowPeak", 2_000), chrom_names="strict")
    assert "'1' is not in the genome, which calls it 'chr1'" in one_line(exc)


def test_no_chromosome_in_genome_is_an_error(tmp_path, tiny_genome):
    wt = peaks_bed(tmp_path / "wt.bed", [("scaffold_1", 100, 500)])
    with pytest.raises(InputError) as exc:
        build(tmp_path, tiny_genome, wt, regular_peaks(tmp_path, "ko.narrowPeak", 2_000))
    assert "none of its chromosomes" in one_line(exc)


def test_all_n_windows_are_dropped_and_iupac_become_n(tmp_path, tiny_genome):
    text = tiny_genome.read_text().splitlines()
    seqs, name = {}, None
    for line in text:
        if line.startswith(">"):
            name = line[1:]
            seqs[name] = ""
        else:
            seqs[name] += line
    seqs["chr1"] = "N" * 3_000 + "RYKM" + seqs["chr1"][3_004:]
    write_fasta(tiny_genome, seqs)
    wt = peaks_bed(tmp_path / "wt.narrowPeak", [(c, s, s + 400, ".", 0, ".", 1, 1, 1, 200)
                                                for c in ("chr1", "chr2", "chr6", "chr8") for s in (1_000, 2_900, 9_000)])
    data = build(tmp_path, tiny_genome, wt, regular_peaks(tmp_path, "ko.narrowPeak", 2_000))
    s = data.summary.set_index(["class", "reason"])["count"]
    assert s["WT", "mostly_n"] == 1  # chr1:1000 window is all N
    iupac = data.windows.loc[data.windows["name"] == "WT_chr1_2800_3400", "sequence"].iloc[0]
    assert iupac.startswith("N" * 204) and set(iupac) <= set("ACGTN")


def test_class_empty_after_filtering_is_an_error(tmp_path, tiny_genome):
    wt = peaks_bed(tmp_path / "wt.bed", [("chr1", 10, 100), ("chr2", 19_950, 19_990)])
    with pytest.raises(InputError) as exc:
        build(tmp_path, tiny_genome, wt, regular_peaks(tmp_path, "ko.narrowPeak", 2_000))
    assert "no WT peaks are left after filtering" in one_line(exc) and "off_chrom_end" in str(exc.value)


def test_validation_overlapping_test_chromosomes_is_an_error(tmp_path, tiny_genome):
    wt = regular_peaks(tmp_path, "wt.narrowPeak", 1_000)
    with pytest.raises(InputError) as exc:
        build(tmp_path, tiny_genome, wt, regular_peaks(tmp_path, "ko.narrowPeak", 2_000),
              validation={"chromosomes": ["chr6"]})
    assert "share ['chr6']" in one_line(exc)


def config_error(cfg: dict) -> str:
    with pytest.raises(InputError) as exc:
        validate_config(cfg, SCHEMA)
    return one_line(exc)


def test_missing_config_key():
    msg = config_error({"datasets": {"d": {"peaks": {"wt": "a", "ko": "b"}}}})
    assert "'datasets.d' lacks required key 'genome'" in msg


def test_typo_in_config_key_suggests_the_right_one():
    msg = config_error({"datasets": {"d": {"genome": "g", "peaks": {"wt": "a", "ko": "b"}, "windw": 600}}})
    assert "unknown config key 'datasets.d.windw'" in msg and "did you mean 'window'" in msg


def test_wrong_type_in_config():
    msg = config_error({"datasets": {"d": {"genome": "g", "peaks": {"wt": "a", "ko": "b"}, "window": "600bp"}}})
    assert "'datasets.d.window' is '600bp'" in msg and "expected integer" in msg and "window: 600" in msg


def test_peaks_and_counts_missing():
    assert "needs exactly one of 'peaks' or 'counts'" in config_error({"datasets": {"d": {"genome": "g"}}})


def test_defaults_are_filled():
    cfg = {"datasets": {"d": {"genome": "g", "peaks": {"wt": "a", "ko": "b"}}}}
    validate_config(cfg, SCHEMA)
    d = cfg["datasets"]["d"]
    assert d["window"] == 600 and d["test_chromosomes"] == ["chr6", "chr7"]
    assert d["validation"]["method"] == "chromosomes" and cfg["seeds"] == [1, 2, 3, 4, 5]
    assert cfg["training"]["lr"] == 0.001


@pytest.mark.parametrize("content", [None, "not a fasta\n", b"\x1f\x8bgarbage"])
def test_unreadable_genome(tmp_path, content):
    src = tmp_path / "bad.fa"
    if isinstance(content, str):
        src.write_text(content)
    elif content is not None:
        src.write_bytes(content)
    with pytest.raises(InputError) as exc:
        genome.prepare_genome(src, tmp_path / "out.fa")
    assert str(src) in one_line(exc) and not (tmp_path / "out.fa").exists()


def test_count_table_with_wrong_column(tmp_path):
    path = tmp_path / "counts.tsv"
    path.write_text("chr\tstart\tend\tWT1\tKO1\nchr1\t100\t500\t20\t80\n")
    cfg = {"sep": "\t", "chrom": "chrom", "start": "start", "end": "end", "wt": "WT1", "ko": "KO1",
           "ko_min_log2fc": 1, "wt_max_abs_log2fc": 0.2, "wt_min_count": 10}
    with pytest.raises(InputError) as exc:
        read_counts(str(path), cfg)
    assert "has no column 'chrom'" in one_line(exc) and "chr, start" in str(exc.value)


def test_checksum_mismatch_leaves_no_file(tmp_path):
    src = tmp_path / "src.txt"
    src.write_text("hello\n")
    dest = tmp_path / "dl" / "src.txt"
    with pytest.raises(InputError) as exc:
        sources.download(src.as_uri(), dest, "0" * 64, "datasets.d.genome")
    assert "checksum mismatch" in one_line(exc)
    assert not dest.exists() and not list(dest.parent.iterdir())
