"""Write the demo dataset: genome, WT/KO narrowPeak files and the planted truth.

Layout: each chromosome is cut into 2 kb slots. A peak's summit sits in the
middle 600 bp of its slot, so summits of neighbouring slots are always more
than 600 bp apart and no two peaks' summit windows overlap, except where we
put both classes in one slot on purpose (the ambiguous pairs). The first and
last slot of a chromosome are kept for the edge peaks. A share of peaks is
made deliberately bad (ambiguous, duplicated line, summit near a chromosome
end, window mostly N, KO peaks on a contig that the genome lacks, which also
leaves the classes unequal for balancing) so that the downstream drop summary
shows every reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..encode import N_CODE
from ..errors import InputError
from ..motifs.records import Motif
from . import markov
from .planting import SitePool, fetch_jaspar, pack_offsets, plant

DEFAULT_MOTIFS: dict[str, list[dict]] = {
    "wt": [{"id": "MA0107.1", "rate": 0.45, "background_rate": 0.03},   # RELA (NF-kB)
           {"id": "MA0154.4", "rate": 0.45, "background_rate": 0.03}],  # EBF1
    "ko": [{"id": "MA1419.1", "rate": 0.45, "background_rate": 0.03},   # IRF4
           {"id": "MA0139.1", "rate": 0.45, "background_rate": 0.03}],  # CTCF
}
CLASSES = ("wt", "ko")
SLOT = 2000
SUMMIT_ZONE = (700, 1300)   # summit offsets inside a slot; keeps neighbours > 600 bp apart
CORE = 60                   # planted sites lie within +-CORE bp of the summit
CORE_BP = 2 * CORE + 1      # the bp that a peak's planted sites share
EDGE_DISTANCE = (100, 290)  # edge summits: this far from a chromosome end (< 300 bp)
AMBIGUOUS_DISTANCE = (200, 400)  # WT-KO summit distance in an ambiguous pair (< 600 bp)
MOSTLY_N_HALF = 400         # mostly-N peaks: N from summit-400 to summit+400, sites aside
UNPLACED = "chrUn_JH584304"  # an mm10 unplaced contig, absent from the demo genome
WIDTH = (200, 1200)
DELIBERATE_SHARE = 0.01
SOFT_MASK_DENSITY = 0.32    # stretches overlap: 1 - exp(-0.32) = 27 % masked, as in mm10 ATAC
SOFT_MASK_MEAN = 300


@dataclass
class Peak:
    """One planned peak; ``lo``/``hi`` bound its interval so that slots never overlap."""

    cls: str
    chrom: int  # index into the chromosome names
    summit: int
    lo: int
    hi: int
    kind: str = "normal"
    start: int = 0
    end: int = 0
    name: str = ""
    sites: list[tuple[str, int, str]] = field(default_factory=list)


def _fill_motif_defaults(motifs: dict | None) -> dict[str, list[dict]]:
    motifs = DEFAULT_MOTIFS if motifs is None else motifs
    filled = {c: [{"background_rate": 0.05, **m} for m in motifs.get(c, [])] for c in CLASSES}
    ids = [m["id"] for c in CLASSES for m in filled[c]]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise InputError("config demo.motifs", f"matrix {', '.join(duplicated)} is planted twice",
                         "give each JASPAR ID once, under either wt or ko")
    if not all(filled[c] for c in CLASSES):
        raise InputError("config demo.motifs", "both wt and ko need at least one motif",
                         "list motifs under demo.motifs.wt and demo.motifs.ko")
    return filled


def _deliberate(n: int) -> int:
    return max(1, round(DELIBERATE_SHARE * n))


def _interleaved_slots(n_chrom: int, n_slots: int, rng: np.random.Generator) -> list[tuple[int, int]]:
    """Interior slots, shuffled within each chromosome, then taken round-robin over chromosomes.

    Any prefix of this list spreads evenly over chromosomes, so even small demos
    put both classes on the test and validation chromosomes.
    """
    chrom_order = rng.permutation(n_chrom)
    keyed = []
    for c in range(n_chrom):
        for rank, slot in enumerate(rng.permutation(np.arange(1, n_slots - 1))):
            keyed.append((rank * n_chrom + int(chrom_order[c]), c, int(slot)))
    return [(c, slot) for _, c, slot in sorted(keyed)]


def _spoil(peaks: list[Peak], n: int, n_chrom: int,
           rng: np.random.Generator) -> list[tuple[int, int, int]]:
    """Make ``n`` normal peaks per class mostly N, and ``n`` KO peaks unplaced.

    Unplaced peaks (on UNPLACED, chromosome index ``n_chrom``) are KO only, so
    the classes differ in size and balancing has something to drop. Returns the
    N runs to write into the genome.
    """
    n_runs = []
    for cls in CLASSES:
        candidates = [p for p in peaks if p.cls == cls and p.kind == "normal"]
        for i in rng.choice(len(candidates), size=n, replace=False):
            candidates[i].kind = "mostly_n"
            s = candidates[i].summit
            n_runs.append((candidates[i].chrom, s - MOSTLY_N_HALF, s + MOSTLY_N_HALF))
    candidates = [p for p in peaks if p.cls == "ko" and p.kind == "normal"]
    for i in rng.choice(len(candidates), size=n, replace=False):
        candidates[i].kind, candidates[i].chrom = "unplaced", n_chrom  # i.e. UNPLACED
    return n_runs


def _layout(n_chrom: int, length: int, per_class: int,
            rng: np.random.Generator) -> tuple[list[Peak], list[tuple[int, int, int]]]:
    """Place every peak's summit; return the peaks and the genome's N runs (chrom, start, end)."""
    n_slots = length // SLOT
    n_edge = n_ambiguous = n_spoilt = _deliberate(per_class)
    slots = _interleaved_slots(n_chrom, n_slots, rng)
    needed = n_ambiguous + 2 * (per_class - n_edge - n_ambiguous) + n_chrom
    if needed > len(slots):
        raise InputError("config demo", f"{per_class} peaks per class do not fit {n_chrom} "
                         f"chromosomes of {length} bp (one peak per {SLOT} bp)",
                         "raise demo.chromosome_length or lower demo.peaks_per_class")
    if n_edge > n_chrom:
        raise InputError("config demo", f"{per_class} peaks per class need {n_edge} chromosome-end peaks, "
                         f"one per end of {n_chrom} chromosomes",
                         f"raise demo.n_chromosomes to at least {n_edge} or lower demo.peaks_per_class")
    peaks: list[Peak] = []
    for c, slot in slots[:n_ambiguous]:
        lo = slot * SLOT
        first = lo + int(rng.integers(SUMMIT_ZONE[0], SUMMIT_ZONE[1] - AMBIGUOUS_DISTANCE[1] + 1))
        second = first + int(rng.integers(AMBIGUOUS_DISTANCE[0], AMBIGUOUS_DISTANCE[1] + 1))
        left, right = CLASSES if rng.random() < 0.5 else CLASSES[::-1]
        peaks += [Peak(left, c, first, lo, lo + SLOT, "ambiguous"),
                  Peak(right, c, second, lo, lo + SLOT, "ambiguous")]
    normal = slots[n_ambiguous:needed - n_chrom]
    classes = rng.permutation(np.arange(len(normal)) % 2)  # exactly half each, in random slots
    for cls, (c, slot) in zip(classes, normal):
        lo = slot * SLOT
        peaks.append(Peak(CLASSES[cls], c, lo + int(rng.integers(*SUMMIT_ZONE)), lo, lo + SLOT))
    ends = rng.permutation(2 * n_chrom)[:2 * n_edge]
    for i, end in enumerate(ends):
        c, at_start = divmod(int(end), 2)
        distance = int(rng.integers(EDGE_DISTANCE[0], EDGE_DISTANCE[1] + 1))
        if at_start:
            peaks.append(Peak(CLASSES[i % 2], c, distance, 0, SLOT, "edge"))
        else:
            peaks.append(Peak(CLASSES[i % 2], c, length - distance, (n_slots - 1) * SLOT, length,
                              "edge"))
    n_runs = _spoil(peaks, n_spoilt, n_chrom, rng)
    for c, slot in slots[needed - n_chrom:needed]:  # assembly-gap-like N runs away from peaks
        run = int(rng.integers(100, SLOT // 2))
        start = slot * SLOT + int(rng.integers(0, SLOT - run))
        n_runs.append((c, start, start + run))
    return peaks, n_runs


def _set_interval(peak: Peak, rng: np.random.Generator) -> None:
    """Random width in WIDTH with the summit strictly inside and the interval inside the slot."""
    left, right = peak.summit - peak.lo, peak.hi - peak.summit
    width = int(rng.integers(WIDTH[0], min(WIDTH[1], left + right) + 1))
    offset = int(rng.integers(max(1, width - right), min(width - 1, left) + 1))
    peak.start, peak.end = peak.summit - offset, peak.summit - offset + width


def _soft_mask(length: int, rng: np.random.Generator) -> np.ndarray:
    """Boolean mask of random lowercase (repeat-like) stretches, SOFT_MASK_MEAN bp on average."""
    n = int(length * SOFT_MASK_DENSITY / SOFT_MASK_MEAN)
    starts = rng.integers(0, length, size=n)
    ends = np.minimum(starts + rng.geometric(1 / SOFT_MASK_MEAN, size=n), length)
    change = np.zeros(length + 1, dtype=np.int32)
    np.add.at(change, starts, 1)
    np.add.at(change, ends, -1)
    return np.cumsum(change[:-1]) > 0


def _carried(peak: Peak, motifs: dict[str, list[Motif]], specs: dict[str, list[dict]],
             exclusive: bool, rng: np.random.Generator) -> list[Motif]:
    """Own-class motifs with ``rate`` (at most one of them when ``exclusive``), others with ``background_rate``.

    Exclusive planting makes every motif necessary to classify its class, so a
    model cannot reach its best accuracy by learning only the strongest motif.
    """
    carried = []
    for cls in CLASSES:
        own = cls == peak.cls
        if own and exclusive:
            u, edges = rng.random(), np.cumsum([spec["rate"] for spec in specs[cls]])
            pick = int(np.searchsorted(edges, u, side="right"))
            carried += motifs[cls][pick:pick + 1]
            continue
        for motif, spec in zip(motifs[cls], specs[cls]):
            if rng.random() < (spec["rate"] if own else spec["background_rate"]):
                carried.append(motif)
    return carried


def _check_core_fits(motifs: dict[str, list[Motif]], specs: dict[str, list[dict]], exclusive: bool,
                     sites_per_motif: int) -> None:
    """Refuse up front a configuration whose fullest peak cannot fit its sites around the summit.

    The fullest peak carries its widest own motif (every own motif unless
    ``exclusive``) and every other-class motif that has a background rate,
    each ``sites_per_motif`` times; all of it must fit the ``CORE_BP`` bp core.
    """
    for cls in CLASSES:
        own = [m.width for m, spec in zip(motifs[cls], specs[cls]) if spec["rate"] > 0]
        other = [m.width for c in CLASSES if c != cls for m, spec in zip(motifs[c], specs[c])
                 if spec["background_rate"] > 0]
        widest = (max(own, default=0) if exclusive else sum(own)) + sum(other)
        if widest * sites_per_motif > CORE_BP:
            key = "demo.sites_per_motif" if sites_per_motif > 1 and widest <= CORE_BP else "demo.motifs"
            raise InputError(f"config {key}", f"a {cls.upper()} peak may carry {widest * sites_per_motif} bp "
                             f"of sites ({sites_per_motif} per motif), more than the {CORE_BP} bp around its summit",
                             "lower demo.sites_per_motif, plant fewer or shorter motifs, or set demo.exclusive: true")


def _plant_peak(peak: Peak, seq: np.ndarray, motifs: dict[str, list[Motif]],
                specs: dict[str, list[dict]], exclusive: bool, rng: np.random.Generator,
                pools: dict[str, SitePool], sites_per_motif: int) -> None:
    """Plant the motifs :func:`_carried` picks, ``sites_per_motif`` independent sites each,
    within ``CORE`` bp of the summit, without overlaps."""
    carried = [m for m in _carried(peak, motifs, specs, exclusive, rng) for _ in range(sites_per_motif)]
    sites = [pools[m.id].draw() for m in carried]
    offsets = pack_offsets([m.width for m in carried], CORE_BP, rng)
    for motif, (codes, strand), offset in zip(carried, sites, offsets):
        position = peak.summit - CORE + offset
        plant(seq, codes, position)
        peak.sites.append((motif.id, position, strand))
    peak.sites.sort(key=lambda site: site[1])


def _narrowpeak_lines(peaks: list[Peak], names: list[str], n_dup: int,
                      rng: np.random.Generator) -> list[str]:
    """ENCODE narrowPeak lines with MACS2-like statistics; ``n_dup`` lines written twice."""
    signal = rng.lognormal(2.0, 0.6, size=len(peaks))
    pvalue = signal * rng.uniform(2.5, 4.0, size=len(peaks))
    qvalue = np.maximum(pvalue - rng.uniform(1.0, 3.0, size=len(peaks)), 0.1)
    lines = [f"{names[p.chrom]}\t{p.start}\t{p.end}\t{p.name}\t{min(1000, int(10 * q))}\t.\t"
             f"{s:.5f}\t{pv:.5f}\t{q:.5f}\t{p.summit - p.start}"
             for p, s, pv, q in zip(peaks, signal, pvalue, qvalue)]
    duplicated = sorted(rng.choice(len(lines), size=n_dup, replace=False))
    order = sorted(list(range(len(lines))) + list(duplicated))
    return [lines[i] for i in order]


def _write_fasta(path: Path, names: list[str], seqs: list[np.ndarray],
                 masks: list[np.ndarray]) -> None:
    """60-column FASTA; masked bases lowercase, N always upper-case as in UCSC genomes."""
    upper, lower = np.frombuffer(b"ACGTN", np.uint8), np.frombuffer(b"acgtN", np.uint8)
    with open(path, "wb") as fh:
        for name, seq, mask in zip(names, seqs, masks):
            text = np.where(mask, lower[seq], upper[seq]).tobytes()
            fh.write(f">{name}\n".encode())
            fh.write(b"\n".join(text[i:i + 60] for i in range(0, len(text), 60)) + b"\n")


def _write_truth(outdir: Path, peaks: list[Peak], names: list[str], motifs: dict[str, list[Motif]],
                 specs: dict[str, list[dict]], sites_per_motif: int) -> int:
    """truth.tsv (one row per planted motif) and truth_sites.tsv; returns the site count."""
    truth = pd.DataFrame([{"class": cls.upper(), "motif_id": m.id, "name": m.name,
                           "family": m.meta["family"], "rate": spec["rate"],
                           "background_rate": spec["background_rate"], "width": m.width,
                           "consensus": m.consensus, "sites_per_peak": sites_per_motif}
                          for cls in CLASSES for m, spec in zip(motifs[cls], specs[cls])])
    truth.to_csv(outdir / "truth.tsv", sep="\t", index=False)
    columns = ["peak", "class", "motif_id", "chrom", "position", "strand"]
    sites = pd.DataFrame([(p.name, p.cls.upper(), motif_id, names[p.chrom], position, strand)
                          for p in peaks for motif_id, position, strand in p.sites], columns=columns)
    sites.to_csv(outdir / "truth_sites.tsv", sep="\t", index=False)
    return len(sites)


def make_demo(outdir: str | Path, seed: int = 7, n_chromosomes: int = 21,
              chromosome_length: int = 400_000, peaks_per_class: int = 1200,
              markov_table: str | Path = "resources/markov_mm10_atac_order5.tsv",
              jaspar_release: str = "JASPAR2022", motifs: dict | None = None,
              exclusive: bool = True, min_site_p: float | None = 1e-4,
              sites_per_motif: int = 1) -> dict[str, int]:
    """Write genome.fa, wt.narrowPeak, ko.narrowPeak, truth.tsv and truth_sites.tsv.

    With ``exclusive`` a peak carries at most one motif of its own class (the
    class's rates must then sum to at most 1). With ``min_site_p`` every
    planted site is one FIMO calls at that p-value (see :class:`SitePool`).
    A peak that carries a motif carries ``sites_per_motif`` sites of it, a
    homotypic cluster as in many enhancers: rates stay shares of peaks, and
    the number of sites a model learns from grows without more sequence.

    Chromosomes are chr1..chr{n-1} and chrX. Everything follows from ``seed``:
    the same arguments give byte-identical files. Returns counts for the log.
    """
    if n_chromosomes < 10:
        raise InputError("config demo.n_chromosomes", f"{n_chromosomes} is too few",
                         "use at least 10 so that chr6-chr9 exist for test and validation")
    specs = _fill_motif_defaults(motifs)
    for cls in CLASSES:
        if exclusive and sum(m["rate"] for m in specs[cls]) > 1:
            raise InputError(f"config demo.motifs.{cls}", "rates sum to more than 1 with exclusive planting",
                             "lower the rates or set demo.exclusive: false")
    if sites_per_motif < 1:
        raise InputError("config demo.sites_per_motif", f"{sites_per_motif} is less than 1", "use 1 or more")
    matrices = {c: fetch_jaspar([m["id"] for m in specs[c]], jaspar_release) for c in CLASSES}
    _check_core_fits(matrices, specs, exclusive, sites_per_motif)
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    names = [f"chr{i}" for i in range(1, n_chromosomes)] + ["chrX"]

    pools = {m.id: SitePool(m, rng, min_site_p) for c in CLASSES for m in matrices[c]}
    seqs = markov.sample(markov.load(markov_table), [chromosome_length] * n_chromosomes, rng)
    masks = [_soft_mask(chromosome_length, rng) for _ in names]
    peaks, n_runs = _layout(n_chromosomes, chromosome_length, peaks_per_class, rng)
    for c, start, end in n_runs:
        seqs[c][start:end] = N_CODE
    peaks.sort(key=lambda p: (CLASSES.index(p.cls), p.chrom, p.summit))
    digits = max(4, len(str(peaks_per_class)))
    counter = dict.fromkeys(CLASSES, 0)
    for peak in peaks:
        counter[peak.cls] += 1
        peak.name = f"{peak.cls}_peak_{counter[peak.cls]:0{digits}d}"
        _set_interval(peak, rng)
        if peak.kind != "unplaced":
            _plant_peak(peak, seqs[peak.chrom], matrices, specs, exclusive, rng, pools, sites_per_motif)

    _write_fasta(outdir / "genome.fa", names, seqs, masks)
    n_dup = _deliberate(peaks_per_class)
    for cls in CLASSES:
        own = [p for p in peaks if p.cls == cls]
        lines = _narrowpeak_lines(own, names + [UNPLACED], n_dup, rng)
        (outdir / f"{cls}.narrowPeak").write_text("\n".join(lines) + "\n")

    n_sites = _write_truth(outdir, peaks, names, matrices, specs, sites_per_motif)
    kinds = pd.Series([p.kind for p in peaks if p.kind != "normal"]).value_counts().sort_index()
    return {"chromosomes": n_chromosomes, "bases": n_chromosomes * chromosome_length,
            "wt_peaks": counter["wt"], "ko_peaks": counter["ko"], "sites": n_sites,
            "duplicated_lines": 2 * n_dup, **{f"{k}_peaks": int(v) for k, v in kinds.items()},
            **{f"{mid}_sites_sampled": pool.drawn for mid, pool in pools.items()}}
