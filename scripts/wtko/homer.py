"""Running real HOMER: the ``findMotifsGenome.pl`` argv and its peak file.

HOMER's custom-genome mode takes a FASTA path where an installed genome
name (mm10) would go, so the workflow's own prepared genome is used and
nothing has to be installed with ``configureHomer.pl``. ``-nomotif`` skips de
novo discovery, leaving the known-motif enrichment that
:mod:`wtko.enrichment` reproduces.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd


def find_motifs_genome_command(peaks_bed: str | Path, genome_fasta: str | Path, outdir: str | Path,
                               size: int | str = 200, known_only: bool = True,
                               motif_library: str | Path | None = None, extra: Sequence[str] = (),
                               threads: int = 1) -> list[str]:
    """argv for ``findMotifsGenome.pl``; it writes ``outdir/knownResults.txt``.

    ``size`` is bp around each peak centre (HOMER's default 200) or
    ``'given'`` for the peaks as they are. ``motif_library`` is a HOMER
    ``.motifs`` file passed as ``-mknown`` in place of HOMER's own library.
    """
    if size != "given" and not (isinstance(size, int) and size > 0):
        raise ValueError(f"size must be a positive int or 'given', got {size!r}")
    argv = ["findMotifsGenome.pl", str(peaks_bed), str(genome_fasta), str(outdir),
            "-size", str(size), "-p", str(threads)]
    if known_only:
        argv.append("-nomotif")
    if motif_library is not None:
        argv += ["-mknown", str(motif_library)]
    return argv + [str(x) for x in extra]


def write_homer_peaks(windows: pd.DataFrame, path: str | Path) -> None:
    """BED6 (chrom, start, end, name, score, '+') that HOMER reads as a peak file.

    HOMER needs a unique ID per peak, so a repeated name gets ``_2``, ``_3``
    ...; strand is '+' because ATAC peaks have none and HOMER scans both.
    """
    names = windows["name"].astype(str)
    rank = names.groupby(names).cumcount()
    unique = names.where(rank == 0, names + "_" + (rank + 1).astype(str))
    if unique.duplicated().any():
        raise ValueError(f"peak names stay repeated after suffixing: {unique[unique.duplicated()].iloc[0]}")
    bed = pd.DataFrame({"chrom": windows["chrom"], "start": windows["start"], "end": windows["end"],
                        "name": unique, "score": 0, "strand": "+"})
    bed.to_csv(path, sep="\t", header=False, index=False, lineterminator="\n")
