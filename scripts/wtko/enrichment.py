"""Known-motif enrichment, HOMER-style, in Python (paper sections 4.4 and 5).

The builtin twin of ``findMotifsGenome.pl -nomotif``: a GC-matched random
genomic background (HOMER's GC bins), a yes/no motif call per sequence, and a
hypergeometric upper-tail test per motif, written as HOMER's
``knownResults.txt``. It differs from HOMER in how a sequence "has" a motif:
HOMER uses each motif's own tuned log-odds threshold from its library, which
JASPAR matrices lack, so here a FIMO p-value (default) or a fixed fraction of
the motif's best log-odds score decides. HOMER also reweights background
sequences for k-mer content (autonormalisation); this engine does not.

:func:`wt_vs_ko` drops the genome altogether and tests each peak class
against the other, which is what ranks motifs that *discriminate* WT from KO.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import torch
import torch.nn.functional as F
from scipy.stats import hypergeom

from .encode import N_CODE, one_hot, to_codes
from .motifs.homer_io import KNOWN_COLUMNS
from .motifs.records import Motif
from .motifs.tomtom import bh_qvalues

# HOMER's hard-coded GC bin edges (as used by findMotifsGenome.pl and monaLisa).
HOMER_GC_BREAKS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8)
# HOMER's -maxN default: windows with a larger fraction of N are never used.
MAX_N_FRAC = 0.7
# A log-odds hit scores at least this fraction of the motif's best possible score.
LOGODDS_FRAC = 0.7
# The pseudocount memelite's FIMO adds to probabilities; the log-odds scan uses it too.
EPS = 1e-4
WT_VS_KO_COLUMNS = ["motif_id", "motif", "consensus", "n_wt", "n_ko", "pct_wt", "pct_ko",
                    "log2_ratio", "p_wt_enriched", "p_ko_enriched", "q_wt_enriched",
                    "q_ko_enriched", "direction"]


def gc_fraction(codes: np.ndarray) -> np.ndarray:
    """G+C over non-N bases per sequence (0 for an all-N sequence)."""
    acgt = (codes < N_CODE).sum(axis=1)
    gc = ((codes == 1) | (codes == 2)).sum(axis=1)
    return np.divide(gc, acgt, out=np.zeros(len(codes)), where=acgt > 0)


def _gc_bins(codes: np.ndarray, breaks: Sequence[float]) -> np.ndarray:
    return np.searchsorted(np.asarray(breaks), gc_fraction(codes), side="right")


class _Genome:
    """Random fixed-length windows from a FASTA path or a dict of chromosome codes."""

    def __init__(self, genome: str | Path | dict[str, np.ndarray]):
        if isinstance(genome, dict):
            self.fasta, self.chroms = None, genome
            self.sizes = {c: len(s) for c, s in genome.items()}
        else:
            from pyfaidx import Fasta
            self.fasta, self.chroms = Fasta(str(genome), as_raw=True), None
            self.sizes = {c: len(r) for c, r in self.fasta.records.items()}

    def fetch(self, chroms: np.ndarray, starts: np.ndarray, length: int) -> np.ndarray:
        if self.chroms is not None:
            return np.stack([self.chroms[c][s:s + length] for c, s in zip(chroms, starts)])
        return to_codes([self.fasta[c][int(s):int(s) + length] for c, s in zip(chroms, starts)])


def _overlaps(chroms: np.ndarray, starts: np.ndarray, length: int, exclude: pd.DataFrame | None) -> np.ndarray:
    """Which windows overlap any excluded interval (0-based, half-open)."""
    hit = np.zeros(len(starts), dtype=bool)
    if exclude is None or len(exclude) == 0:
        return hit
    for chrom, iv in exclude.groupby("chrom"):
        on = np.flatnonzero(chroms == chrom)
        if len(on) == 0:
            continue
        order = np.argsort(iv.start.to_numpy())
        s, e = iv.start.to_numpy()[order], np.maximum.accumulate(iv.end.to_numpy()[order])
        # The last interval starting before the window's end overlaps it iff the
        # running max of ends up to it passes the window's start.
        j = np.searchsorted(s, starts[on] + length, side="left") - 1
        hit[on] = (j >= 0) & (e[np.maximum(j, 0)] > starts[on])
    return hit


def gc_matched_background(target_codes: np.ndarray, genome: str | Path | dict[str, np.ndarray],
                          n_per_target: int = 2, breaks: Sequence[float] = HOMER_GC_BREAKS, seed: int = 0,
                          exclude: pd.DataFrame | None = None, max_n_frac: float = MAX_N_FRAC,
                          max_rounds: int = 50) -> np.ndarray:
    """Random genome windows as long as the targets, ``n_per_target`` x their count per GC bin.

    As HOMER does, windows are drawn uniformly over the genome, binned by GC
    (:data:`HOMER_GC_BREAKS`), and kept until every bin holds
    ``n_per_target`` x the targets in it; windows with more than
    ``max_n_frac`` N or overlapping ``exclude`` (chrom, start, end; the target
    peaks) are skipped. A bin the genome cannot fill within ``max_rounds``
    draws keeps what it got, with a warning (HOMER would upweight it).
    Rows come out grouped by GC bin.
    """
    target_codes = np.asarray(target_codes)
    length = target_codes.shape[1]
    need = np.bincount(_gc_bins(target_codes, breaks), minlength=len(breaks) + 1) * n_per_target
    src = _Genome(genome)
    names = np.array([c for c, n in src.sizes.items() if n >= length])
    if len(names) == 0:
        raise ValueError(f"no chromosome is at least {length} bp long")
    spans = np.array([src.sizes[c] - length + 1 for c in names], dtype=float)
    rng = np.random.default_rng(seed)
    got: list[list[np.ndarray]] = [[] for _ in need]
    have = np.zeros_like(need)
    batch = max(int(need.sum()) * 2, 1000)
    for _ in range(max_rounds):
        if (have >= need).all():
            break
        idx = rng.choice(len(names), size=batch, p=spans / spans.sum())
        chroms, starts = names[idx], (rng.random(batch) * spans[idx]).astype(np.int64)
        keep = ~_overlaps(chroms, starts, length, exclude)
        if not keep.any():
            continue
        codes = src.fetch(chroms[keep], starts[keep], length)
        codes = codes[(codes == N_CODE).mean(axis=1) <= max_n_frac]
        bins = _gc_bins(codes, breaks)
        for b in np.flatnonzero(have < need):
            take = codes[bins == b][: need[b] - have[b]]
            got[b].append(take)
            have[b] += len(take)
    short = {f"bin {b}": int(need[b] - have[b]) for b in np.flatnonzero(have < need)}
    if short:
        warnings.warn(f"GC-matched background short of windows per GC bin: {short}")
    parts = [c for bin_parts in got for c in bin_parts]
    return np.concatenate(parts) if parts else np.zeros((0, length), dtype=np.uint8)


def _fimo_hits(motifs: list[Motif], codes: np.ndarray, p: float, chunk: int) -> np.ndarray:
    from memelite import fimo

    pwms = {str(i): m.probs.T for i, m in enumerate(motifs)}
    hits = np.zeros((len(motifs), len(codes)), dtype=bool)
    for start in range(0, len(codes), chunk):
        x = one_hot(codes[start:start + chunk], dtype=np.int8)
        for i, df in enumerate(fimo(pwms, x, threshold=p, eps=EPS)):
            hits[i, start + df["sequence_name"].to_numpy(dtype=np.int64)] = True
    return hits


def _logodds_hits(motifs: list[Motif], codes: np.ndarray, frac: float, chunk: int) -> np.ndarray:
    hits = np.zeros((len(motifs), len(codes)), dtype=bool)
    by_width: dict[int, list[int]] = {}
    for i, m in enumerate(motifs):
        by_width.setdefault(m.width, []).append(i)
    for width, idx in by_width.items():
        lo = np.stack([np.log2((motifs[i].probs + EPS) / 0.25) for i in idx])  # (M, w, 4)
        cut = torch.as_tensor(frac * lo.max(axis=2).sum(axis=1), dtype=torch.float32)
        both = np.concatenate([lo, lo[:, ::-1, ::-1]]).transpose(0, 2, 1)  # (2M, 4, w)
        weight = torch.as_tensor(np.ascontiguousarray(both), dtype=torch.float32)
        for start in range(0, len(codes), chunk):
            x = torch.from_numpy(one_hot(codes[start:start + chunk]))
            if x.shape[2] < width:
                continue
            best = F.conv1d(x, weight).amax(dim=2)  # (B, 2M)
            best = torch.maximum(best[:, :len(idx)], best[:, len(idx):])
            hits[np.asarray(idx)[:, None], np.arange(start, start + len(x))[None, :]] = \
                (best >= cut).numpy().T
    return hits


def scan_hits(motifs: list[Motif], codes: np.ndarray, method: str = "fimo", p: float = 1e-4,
              frac: float = LOGODDS_FRAC, chunk: int = 20_000) -> np.ndarray:
    """(n_motifs, n_seqs) bool: does the sequence hold a site on either strand?

    ``fimo``: memelite's FIMO, a site with p < ``p`` (MEME suite default
    1e-4). ``logodds``: a window whose log2-odds score against a uniform
    background reaches ``frac`` of the motif's best score. N contributes 0 to
    a score. Sequences go through ``chunk`` at a time to bound memory.
    """
    codes = np.asarray(codes)
    if method == "fimo":
        return _fimo_hits(motifs, codes, p, chunk)
    if method == "logodds":
        return _logodds_hits(motifs, codes, frac, chunk)
    raise ValueError(f"unknown scan method '{method}' (use 'fimo' or 'logodds')")


def hypergeom_log_sf(k: np.ndarray, total: int, n_with: np.ndarray, n_drawn: int) -> np.ndarray:
    """ln P(X >= k), X ~ Hypergeom(total, n_with, n_drawn): HOMER's enrichment test.

    Natural log, as HOMER's 'Log P-value', and computed in log space so
    that strong enrichments do not underflow to 0.
    """
    return hypergeom.logsf(np.asarray(k) - 1, total, n_with, n_drawn)


def motif_label(motif: Motif) -> str:
    """HOMER-style ``NAME/ID/SOURCE``; JASPAR releases are written 'JASPAR'."""
    source = "JASPAR" if motif.source.upper().startswith("JASPAR") else (motif.source or "wtko")
    return f"{motif.meta.get('name', motif.name) or motif.id}/{motif.id}/{source}"


def known_enrichment(motifs: list[Motif], target_codes: np.ndarray, background_codes: np.ndarray,
                     method: str = "fimo", p: float = 1e-4, frac: float = LOGODDS_FRAC) -> pd.DataFrame:
    """HOMER knownResults table: targets against background, one row per motif, by p.

    Columns are :data:`~wtko.motifs.homer_io.KNOWN_COLUMNS` plus ``motif_id``;
    totals are in ``attrs`` for :func:`~wtko.motifs.homer_io.write_known_results`.
    """
    n_t, n_b = len(target_codes), len(background_codes)
    hits = scan_hits(motifs, np.concatenate([target_codes, background_codes]), method, p, frac)
    k_t, k_b = hits[:, :n_t].sum(axis=1), hits[:, n_t:].sum(axis=1)
    log_p = hypergeom_log_sf(k_t, n_t + n_b, k_t + k_b, n_t)
    df = pd.DataFrame({
        "motif_name": [motif_label(m) for m in motifs], "consensus": [m.consensus for m in motifs],
        "p_value": np.exp(log_p), "log_p_value": log_p, "q_value": bh_qvalues(np.exp(log_p)),
        "n_target": k_t.astype(float), "pct_target": 100 * k_t / max(n_t, 1),
        "n_background": k_b.astype(float), "pct_background": 100 * k_b / max(n_b, 1),
        "motif_id": [m.id for m in motifs]})
    df = df.sort_values("log_p_value", kind="stable").reset_index(drop=True)
    df.attrs.update(n_target_total=n_t, n_background_total=n_b)
    return df[KNOWN_COLUMNS + ["motif_id"]]


def wt_vs_ko(motifs: list[Motif], wt_codes: np.ndarray, ko_codes: np.ndarray, method: str = "fimo",
             p: float = 1e-4, frac: float = LOGODDS_FRAC, alpha: float = 0.05) -> pd.DataFrame:
    """Each class against the other as background, both tails; most discriminative first.

    ``log2_ratio`` is log2 of the WT over KO hit rate, each with one pseudo
    hit. ``direction`` is the class a motif is enriched in at BH q <
    ``alpha``, else 'none'. Rows are sorted by the smaller of the two p.
    """
    n_wt, n_ko = len(wt_codes), len(ko_codes)
    hits = scan_hits(motifs, np.concatenate([wt_codes, ko_codes]), method, p, frac)
    k_wt, k_ko = hits[:, :n_wt].sum(axis=1), hits[:, n_wt:].sum(axis=1)
    total, with_motif = n_wt + n_ko, k_wt + k_ko
    log_wt = hypergeom_log_sf(k_wt, total, with_motif, n_wt)
    log_ko = hypergeom_log_sf(k_ko, total, with_motif, n_ko)
    p_wt, p_ko = np.exp(log_wt), np.exp(log_ko)
    q_wt, q_ko = bh_qvalues(p_wt), bh_qvalues(p_ko)
    direction = np.where(q_wt < alpha, "WT", np.where(q_ko < alpha, "KO", "none"))
    df = pd.DataFrame({
        "motif_id": [m.id for m in motifs], "motif": [motif_label(m) for m in motifs],
        "consensus": [m.consensus for m in motifs], "n_wt": k_wt, "n_ko": k_ko,
        "pct_wt": 100 * k_wt / max(n_wt, 1), "pct_ko": 100 * k_ko / max(n_ko, 1),
        "log2_ratio": np.log2(((k_wt + 1) / (n_wt + 1)) / ((k_ko + 1) / (n_ko + 1))),
        "p_wt_enriched": p_wt, "p_ko_enriched": p_ko, "q_wt_enriched": q_wt,
        "q_ko_enriched": q_ko, "direction": direction, "_rank": np.minimum(log_wt, log_ko)})
    return df.sort_values("_rank", kind="stable").drop(columns="_rank").reset_index(drop=True)[WT_VS_KO_COLUMNS]
