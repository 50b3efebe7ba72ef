"""Order-k Markov model of DNA: fit, save/load as TSV, and vectorised sampling.

An iid background would give the demo a GC/CpG signature unlike real peaks;
conditioning each base on the k before it reproduces dinucleotide and short
k-mer statistics (CpG depletion, poly-A runs) at a table of only 4^k rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..encode import ALPHABET, N_CODE, to_codes
from ..errors import InputError


@dataclass
class MarkovModel:
    """``probs[c, b]`` = P(next base b | context c), context as a base-4 number."""

    order: int
    probs: np.ndarray
    source: str = ""

    def __post_init__(self) -> None:
        self.probs = np.asarray(self.probs, dtype=float)
        if self.probs.shape != (4 ** self.order, 4):
            raise ValueError(f"order {self.order} needs a ({4 ** self.order}, 4) table, "
                             f"got {self.probs.shape}")


def _context_name(index: int, order: int) -> str:
    return "".join(ALPHABET[(index >> 2 * (order - 1 - j)) & 3] for j in range(order))


def _transition_counts(codes: np.ndarray, order: int) -> np.ndarray:
    """Counts of (context, next base) over one code array, skipping windows with N."""
    if codes.size <= order:
        return np.zeros(4 ** order * 4, dtype=np.int64)
    windows = np.lib.stride_tricks.sliding_window_view(codes, order + 1)
    windows = windows[(windows < N_CODE).all(axis=1)].astype(np.int64)
    weights = 4 ** np.arange(order, -1, -1, dtype=np.int64)
    return np.bincount(windows @ weights, minlength=4 ** order * 4)


def fit(seqs: Iterable[str], order: int = 5, pseudocount: float = 1.0,
        source: str = "") -> MarkovModel:
    """Fit on both strands of ``seqs`` (soft-masked bases upper-cased, N skipped)."""
    counts = np.zeros(4 ** order * 4, dtype=np.int64)
    for seq in seqs:
        codes = to_codes([seq])[0]
        revcomp = np.where(codes < N_CODE, 3 - codes, N_CODE)[::-1]
        counts += _transition_counts(codes, order) + _transition_counts(revcomp, order)
    table = counts.reshape(4 ** order, 4) + pseudocount
    totals = table.sum(axis=1, keepdims=True)
    probs = np.divide(table, totals, out=np.full(table.shape, 0.25), where=totals > 0)
    return MarkovModel(order, probs, source)


def save(model: MarkovModel, path: str | Path, header: Iterable[str] = ()) -> None:
    """Write ``# order=k`` and ``header`` comment lines, then context and A/C/G/T columns."""
    lines = [f"# order={model.order}", f"# source={model.source}"]
    lines += [f"# {h}" for h in header]
    lines.append("context\t" + "\t".join(ALPHABET))
    for i, row in enumerate(model.probs):
        lines.append(_context_name(i, model.order) + "".join(f"\t{p:.6g}" for p in row))
    Path(path).write_text("\n".join(lines) + "\n")


def load(path: str | Path) -> MarkovModel:
    """Read a table written by :func:`save`; rows are re-normalised after rounding."""
    text = Path(path).read_text().splitlines()
    meta = {}
    for line in text:
        key, sep, value = line.removeprefix("# ").partition("=")
        if line.startswith("# ") and sep and key.isidentifier():
            meta[key] = value
    body = [line.split("\t") for line in text if line and not line.startswith("#")]
    if "order" not in meta or not body or body[0] != ["context", *ALPHABET]:
        raise InputError(str(path), "not a Markov table (needs '# order=k' and a "
                         "'context A C G T' header)", "write it with scripts/fit_markov.py")
    order = int(meta["order"])
    contexts = [row[0] for row in body[1:]]
    if contexts != [_context_name(i, order) for i in range(4 ** order)]:
        raise InputError(str(path), f"contexts are not the {4 ** order} {order}-mers in order",
                         "regenerate it with scripts/fit_markov.py")
    probs = np.array([[float(x) for x in row[1:5]] for row in body[1:]])
    return MarkovModel(order, probs / probs.sum(axis=1, keepdims=True), meta.get("source", ""))


def sample(model: MarkovModel, lengths: Iterable[int], rng: np.random.Generator,
           chain_length: int = 4000, burn_in: int = 50) -> list[np.ndarray]:
    """Sample one uint8 code array per length.

    Many independent chains of ``chain_length`` bases advance in lockstep (one
    numpy step per base position, not per base), and are then concatenated and
    cut to ``lengths``; each chain starts after ``burn_in`` discarded steps so
    that its first bases follow the stationary distribution.
    """
    lengths = [int(n) for n in lengths]
    n_chains = max(1, -(-sum(lengths) // chain_length))
    cumulative = np.cumsum(model.probs, axis=1)
    n_contexts = 4 ** model.order
    context = rng.integers(0, n_contexts, size=n_chains)
    out = np.empty((chain_length, n_chains), dtype=np.uint8)
    for step in range(burn_in + chain_length):
        u = rng.random(n_chains)
        base = np.minimum((u[:, None] >= cumulative[context]).sum(axis=1), 3)
        context = (context * 4 + base) % n_contexts
        if step >= burn_in:
            out[step - burn_in] = base
    flat = out.T.reshape(-1)
    cuts = np.cumsum([0, *lengths])
    return [flat[a:b].copy() for a, b in zip(cuts[:-1], cuts[1:])]
