"""The one in-memory motif record that every engine reads and writes."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

ALPHABET = "ACGT"


@dataclass
class Motif:
    """A DNA motif: a (width, 4) probability matrix over A, C, G, T.

    ``counts`` keeps the site counts where the source has them (JASPAR, k-mer
    clusters); ``nsites`` is what MEME-format files record.
    """

    id: str
    probs: np.ndarray
    name: str = ""
    nsites: int = 20
    evalue: float | None = None
    counts: np.ndarray | None = None
    source: str = ""
    meta: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        p = np.asarray(self.probs, dtype=float)
        if p.ndim != 2 or p.shape[1] != 4:
            raise ValueError(f"motif {self.id}: probs must be (width, 4), got {p.shape}")
        self.probs = p

    @property
    def width(self) -> int:
        return self.probs.shape[0]

    @property
    def consensus(self) -> str:
        """Most probable base per position."""
        return "".join(ALPHABET[i] for i in self.probs.argmax(axis=1))

    @classmethod
    def from_counts(cls, id: str, counts: np.ndarray, pseudocount: float = 0.0, **kw) -> "Motif":
        c = np.asarray(counts, dtype=float) + pseudocount
        totals = c.sum(axis=1, keepdims=True)
        probs = np.divide(c, totals, out=np.full_like(c, 0.25), where=totals > 0)
        kw.setdefault("nsites", int(round(np.asarray(counts).sum(axis=1).max())))
        return cls(id=id, probs=probs, counts=np.asarray(counts, dtype=float), **kw)

    def reverse_complement(self) -> "Motif":
        return Motif(id=self.id, probs=self.probs[::-1, ::-1].copy(), name=self.name,
                     nsites=self.nsites, evalue=self.evalue,
                     counts=None if self.counts is None else self.counts[::-1, ::-1].copy(),
                     source=self.source, meta=dict(self.meta))
