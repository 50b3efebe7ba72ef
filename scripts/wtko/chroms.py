"""Reconcile chromosome names between peaks, config and genome.

UCSC (``chr1``, ``chrM``) and Ensembl/NCBI (``1``, ``MT``) naming are both
common; mixing them silently drops every peak. We map a name only when the
other convention's spelling is in the genome, and say so in the log.
"""

from __future__ import annotations

from collections.abc import Iterable

from .errors import InputError

_MITO = ("chrM", "MT", "M", "chrMT")


def _alternatives(name: str) -> list[str]:
    if name in _MITO:
        return [m for m in _MITO if m != name]
    if name.startswith("chr"):
        return [name[3:]]
    return ["chr" + name]


def harmonise(names: Iterable[str], genome: Iterable[str], mode: str, source: str,
              log=None) -> dict[str, str]:
    """Map each name to the genome's spelling; unknown names map to themselves.

    Args:
        mode: ``harmonise`` maps and logs; ``strict`` refuses a name that only
            matches under the other convention.
        source: the file or config key the names came from, for messages.
    """
    genome = set(genome)
    mapping, renamed = {}, []
    for name in sorted(set(names)):
        if name in genome:
            mapping[name] = name
            continue
        alt = next((a for a in _alternatives(name) if a in genome), None)
        if alt is None:
            mapping[name] = name
            continue
        if mode == "strict":
            raise InputError(source, f"chromosome '{name}' is not in the genome, which calls it "
                             f"'{alt}'", "rename the chromosomes to the genome's convention or set "
                             "chrom_names: harmonise for this dataset")
        mapping[name] = alt
        renamed.append(f"{name}->{alt}")
    if renamed and log is not None:
        shown = ", ".join(renamed[:5]) + (" ..." if len(renamed) > 5 else "")
        log.info("%s: harmonised %d chromosome name(s) to the genome's: %s", source, len(renamed), shown)
    return mapping
