"""Genome FASTA access: one indexed plain FASTA per dataset, and its names.

Genomes arrive as plain FASTA, plain gzip or bgzip. pyfaidx and bedtools both
read a plain indexed FASTA, so the workflow decompresses once into the
dataset's folder; that also catches an unreadable genome before any window is
cut.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pandas as pd
from pyfaidx import Fasta, FastaIndexingError

from .errors import InputError
from .peaks import open_text


def prepare_genome(source: str | Path, dest: str | Path) -> dict[str, int]:
    """Write ``source`` (plain or gzip FASTA) to ``dest`` uncompressed, index it, return sizes."""
    source, dest = str(source), Path(dest)
    fix = "datasets.<name>.genome must be a readable FASTA file (plain, gzip or bgzip)"
    tmp = dest.with_suffix(dest.suffix + ".tmp")
    try:
        with open_text(source) as src:
            first = src.read(1)
            if first != ">":
                raise InputError(source, "is not FASTA (first character is not '>')", fix)
            with open(tmp, "w", newline="\n") as out:
                out.write(first)
                shutil.copyfileobj(src, out, length=1 << 22)
    except (OSError, EOFError) as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(source, f"cannot read genome ({exc})", fix) from None
    Path(str(dest) + ".fai").unlink(missing_ok=True)
    tmp.replace(dest)
    return chrom_sizes(dest)


def chrom_sizes(fasta: str | Path) -> dict[str, int]:
    """Chromosome lengths from the FASTA index (built on first use)."""
    try:
        with Fasta(str(fasta), rebuild=False, build_index=True) as fa:
            return {name: len(rec) for name, rec in fa.records.items()}
    except (FastaIndexingError, ValueError, OSError) as exc:
        raise InputError(str(fasta), f"cannot index genome FASTA ({exc})",
                         "give a FASTA with one '>name' line per sequence and equal-length lines") from None


def fetch_pyfaidx(fasta: str | Path, windows: pd.DataFrame) -> list[str]:
    """Sequences of 0-based half-open windows (columns chrom, start, end)."""
    with Fasta(str(fasta), sequence_always_upper=False, as_raw=True) as fa:
        return [fa[c][s:e] for c, s, e in zip(windows.chrom, windows.start, windows.end)]


def bedtools_command(fasta: str | Path, bed: str | Path) -> list[str]:
    """The ``bedtools getfasta`` argv that prints name<TAB>sequence per window."""
    return ["bedtools", "getfasta", "-fi", str(fasta), "-bed", str(bed), "-tab"]


def fetch_bedtools(fasta: str | Path, windows: pd.DataFrame, workdir: str | Path) -> list[str]:
    """Same as :func:`fetch_pyfaidx`, through ``bedtools getfasta`` (conda env users)."""
    bed = Path(workdir) / "windows.bed"
    windows[["chrom", "start", "end"]].to_csv(bed, sep="\t", header=False, index=False)
    done = subprocess.run(bedtools_command(fasta, bed), capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"bedtools getfasta failed: {done.stderr.strip().splitlines()[-1:]}")
    return [line.split("\t", 1)[1] for line in done.stdout.splitlines()]
