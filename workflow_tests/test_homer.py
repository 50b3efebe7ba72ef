"""Real HOMER: findMotifsGenome.pl argv and the peak file it reads."""

from __future__ import annotations

import pandas as pd
import pytest

from wtko.homer import find_motifs_genome_command, write_homer_peaks


def test_known_only_command_with_custom_genome():
    argv = find_motifs_genome_command("p.bed", "/g/genome.fa", "out", threads=4)
    assert argv == ["findMotifsGenome.pl", "p.bed", "/g/genome.fa", "out", "-size", "200",
                    "-p", "4", "-nomotif"]


def test_command_options():
    argv = find_motifs_genome_command("p.bed", "g.fa", "out", size="given", known_only=False,
                                      motif_library="jaspar.motifs", extra=["-maxN", "0.1"])
    assert "-nomotif" not in argv
    assert argv[4:6] == ["-size", "given"]
    assert argv[-4:] == ["-mknown", "jaspar.motifs", "-maxN", "0.1"]
    for bad in (0, -5, "200", 1.5):
        with pytest.raises(ValueError, match="size"):
            find_motifs_genome_command("p.bed", "g.fa", "out", size=bad)


def test_peak_file_is_bed6_with_unique_ids(tmp_path):
    windows = pd.DataFrame({"name": ["wt1", "ko1", "wt1", "wt1"], "chrom": ["chr1", "chr2", "chr1", "chr3"],
                            "start": [100, 5000, 900, 0], "end": [300, 5200, 1100, 200]})
    path = tmp_path / "peaks.bed"
    write_homer_peaks(windows, path)
    lines = [line.split("\t") for line in path.read_text().splitlines()]
    assert lines[0] == ["chr1", "100", "300", "wt1", "0", "+"]
    assert [r[3] for r in lines] == ["wt1", "ko1", "wt1_2", "wt1_3"]
    assert {r[5] for r in lines} == {"+"}
    clash = pd.DataFrame({"name": ["a", "a", "a_2"], "chrom": ["c"] * 3, "start": [0, 1, 2], "end": [5, 6, 7]})
    with pytest.raises(ValueError, match="repeated"):
        write_homer_peaks(clash, tmp_path / "x.bed")
