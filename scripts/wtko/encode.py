"""DNA <-> compact codes <-> one-hot.

On disk sequences are uint8 codes (A=0, C=1, G=2, T=3, N=4): one byte per base
instead of sixteen for float32 one-hot. One-hot is (N, 4, L) float32 with
channels A, C, G, T and N as all zeros, the tangermeme convention.
"""

from __future__ import annotations

import numpy as np

ALPHABET = "ACGT"
N_CODE = 4

_LUT = np.full(256, N_CODE, dtype=np.uint8)
for _i, _b in enumerate(ALPHABET):
    _LUT[ord(_b)] = _i
    _LUT[ord(_b.lower())] = _i


def clean(seq: str) -> str:
    """Upper-case soft-masked bases and turn every IUPAC code but ACGT into N."""
    return "".join(ALPHABET[c] if c < 4 else "N" for c in _LUT[np.frombuffer(seq.encode(), np.uint8)])


def to_codes(seqs: list[str]) -> np.ndarray:
    """Encode equal-length sequences as a (N, L) uint8 code array."""
    if not seqs:
        return np.zeros((0, 0), dtype=np.uint8)
    buf = np.frombuffer("".join(seqs).encode("ascii", "replace"), dtype=np.uint8)
    return _LUT[buf].reshape(len(seqs), -1)


def from_codes(codes: np.ndarray) -> list[str]:
    """Decode a (N, L) code array back to strings (N for code 4)."""
    table = np.frombuffer(b"ACGTN", dtype=np.uint8)
    return [row.tobytes().decode() for row in table[codes]]


def one_hot(codes: np.ndarray, dtype=np.float32) -> np.ndarray:
    """(N, L) codes -> (N, 4, L) one-hot; N positions are all zeros."""
    eye = np.vstack([np.eye(4, dtype=dtype), np.zeros((1, 4), dtype=dtype)])
    return np.ascontiguousarray(eye[codes].transpose(0, 2, 1))


_COMPLEMENT = np.array([3, 2, 1, 0, N_CODE], dtype=np.uint8)


def reverse_complement(codes: np.ndarray) -> np.ndarray:
    """(N, L) codes -> their reverse complements (N stays N)."""
    return np.ascontiguousarray(_COMPLEMENT[codes][:, ::-1])
