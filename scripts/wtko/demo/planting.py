"""Sample motif instances from JASPAR matrices and write them into sequences.

Sites are drawn base by base from the position frequency matrix, not copied
from the consensus, so planted sites vary as real binding sites do and a
recovered motif should resemble the JASPAR matrix, not a single k-mer.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable

import numpy as np

from ..errors import InputError
from ..motifs.jaspar import record_motif
from ..motifs.records import Motif


def fetch_jaspar(ids: Iterable[str], release: str) -> list[Motif]:
    """Look matrices up in the JASPAR release that pyjaspar ships (offline)."""
    from pyjaspar import jaspar_releases, jaspardb

    if release not in jaspar_releases:
        raise InputError("config demo.jaspar_release", f"'{release}' is not shipped with pyjaspar",
                         f"use one of {', '.join(sorted(jaspar_releases))}")
    db = jaspardb(release=release)
    motifs = []
    for motif_id in ids:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            record = db.fetch_motif_by_id(motif_id)
        if record is None:
            raise InputError("config demo.motifs", f"JASPAR matrix '{motif_id}' is not in {release}",
                             "use an ID with its version from jaspar.elixir.no, e.g. MA0107.1")
        # No pseudocount: sites are sampled from the matrix as JASPAR gives it.
        motifs.append(record_motif(record, release, pseudocount=0.0))
    return motifs


def sample_site(motif: Motif, rng: np.random.Generator) -> tuple[np.ndarray, str]:
    """One site as uint8 codes on a random strand ('+' or '-')."""
    cumulative = np.cumsum(motif.probs, axis=1)
    codes = np.minimum((rng.random(motif.width)[:, None] >= cumulative).sum(axis=1), 3)
    if rng.random() < 0.5:
        return codes.astype(np.uint8), "+"
    return (3 - codes[::-1]).astype(np.uint8), "-"


class SitePool:
    """Sites of one motif, sampled from its matrix in batches and optionally screened by FIMO.

    With ``max_p`` only sampled sites that memelite's FIMO calls at p <
    ``max_p`` (on either strand, as the built-in known-motif scan does) are
    kept. A sampled site of a low-information matrix is often weaker than any
    scanner's cut-off (an EBF1 site drawn from MA0154.4 scores p ~ 1e-3 on
    average); screening makes "planted" mean "a site by FIMO's standard", so
    the planted rate is what a known-motif test can recover. Draws are
    deterministic for a given ``rng``.
    """

    def __init__(self, motif: Motif, rng: np.random.Generator, max_p: float | None = None,
                 batch: int = 256):
        self.motif, self.rng, self.max_p, self.batch = motif, rng, max_p, batch
        self._sites: list[tuple[np.ndarray, str]] = []
        self.drawn = 0

    def _refill(self) -> None:
        candidates = [sample_site(self.motif, self.rng) for _ in range(self.batch)]
        self.drawn += len(candidates)
        if self.max_p is not None:
            from ..enrichment import scan_hits

            codes = np.stack([site for site, _ in candidates])
            keep = scan_hits([self.motif], codes, "fimo", p=self.max_p)[0]
            if not keep.any() and self.drawn >= 100 * self.batch:
                raise InputError("config demo.min_site_p", f"no site of {self.motif.id} sampled from its "
                                 f"matrix reaches p < {self.max_p}", "raise demo.min_site_p or use another matrix")
            candidates = [c for c, k in zip(candidates, keep) if k]
        self._sites.extend(reversed(candidates))

    def draw(self) -> tuple[np.ndarray, str]:
        """The next site as uint8 codes and its strand."""
        while not self._sites:
            self._refill()
        return self._sites.pop()


def plant(seq: np.ndarray, site: np.ndarray, offset: int) -> None:
    """Overwrite ``seq[offset:offset + len(site)]`` in place."""
    if offset < 0 or offset + len(site) > len(seq):
        raise ValueError(f"site of {len(site)} bp at {offset} overruns a {len(seq)} bp sequence")
    seq[offset:offset + len(site)] = site


def pack_offsets(widths: list[int], window: int, rng: np.random.Generator) -> list[int]:
    """Random non-overlapping start offsets for sites of ``widths`` inside ``window`` bp.

    The slack (window minus total width) is split into random gaps, so packing
    never fails while the sites fit, and the order of the sites is random.
    """
    slack = window - sum(widths)
    if slack < 0:
        raise ValueError(f"sites of {sum(widths)} bp do not fit a {window} bp window")
    gaps = np.diff(np.sort(rng.integers(0, slack + 1, size=len(widths))), prepend=0)
    offsets = [0] * len(widths)
    position = 0
    for gap, i in zip(gaps, rng.permutation(len(widths))):
        position += int(gap)
        offsets[i] = position
        position += widths[i]
    return offsets
