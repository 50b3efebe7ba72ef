"""De novo motifs for each k-mer cluster, with MEME or the built-in EM.

Both engines return the same :class:`Motif` records, so everything
downstream (MEME-format file, TOMTOM, tables) is engine-agnostic.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .denovo import discover_builtin, meme_command, write_fasta
from .engines import run_tool
from .motifs.meme_output import read_meme_xml
from .motifs.records import Motif


def discover_cluster(kmers: np.ndarray, cluster: int, engine: str, cfg: dict, workdir: Path,
                     log_path: str) -> list[Motif]:
    """Motifs of one cluster's k-mers; ids are ``cluster{c}_m{k}``."""
    prefix = f"cluster{cluster}_m"
    if engine == "builtin":
        motifs = discover_builtin(kmers, nmotifs=cfg["nmotifs"], minw=cfg["minw"], maxw=cfg["maxw"],
                                  seed=cfg["seed"], prefix=prefix)
    else:
        fasta = workdir / f"cluster{cluster}.fa"
        write_fasta(kmers, [f"k{i}" for i in range(len(kmers))], fasta)
        outdir = workdir / f"meme_cluster{cluster}"
        # -searchsize 0: MEME otherwise subsamples inputs above 100,000 characters.
        run_tool(meme_command(fasta, outdir, cfg["nmotifs"], cfg["minw"], cfg["maxw"],
                              extra=("-searchsize", "0")), log_path)
        motifs = read_meme_xml(outdir / "meme.xml")
        for k, motif in enumerate(motifs, start=1):
            motif.meta["meme_id"] = motif.id
            motif.id = f"{prefix}{k}"
    for motif in motifs:
        motif.meta["cluster"] = cluster
        motif.source = engine
    return motifs


def discover_all(kmers: np.ndarray, cluster_ids: np.ndarray, summary: pd.DataFrame, engine: str,
                 cfg: dict, workdir: Path, log_path: str, log) -> list[Motif]:
    """Run discovery on every cluster marked ``denovo`` (size >= min_size); log the others."""
    motifs = []
    for row in summary.itertuples(index=False):
        if not row.denovo:
            log.info("cluster %d: %d k-mers, below the minimum size: no de novo search", row.cluster, row.size)
            continue
        found = discover_cluster(kmers[cluster_ids == row.cluster], row.cluster, engine, cfg, workdir, log_path)
        log.info("cluster %d: %d k-mers, %d motif(s) %s", row.cluster, row.size, len(found),
                 ", ".join(m.consensus for m in found))
        motifs.extend(found)
    return motifs
