"""JASPAR as the default TOMTOM target database, read offline from pyjaspar.

pyjaspar ships every release from JASPAR2014 as SQLite, so the workflow needs
no download; a user can still give their own MEME file instead.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from .homer_io import read_homer_motifs
from .meme_format import read_meme, write_meme
from .records import ALPHABET, Motif

# Added to every count before normalising, as JASPAR's own MEME export does
# not: it keeps zero-count letters from getting probability 0, whose
# log-odds of -inf would make one mismatch veto a site in FIMO-style scans.
PSEUDOCOUNT = 0.01
ANNOTATION_COLUMNS = ["id", "name", "family", "class"]


def _join(values: list[str], name: str) -> str:
    """Heterodimers (``RXRA::VDR``) list one family per partner: keep '::'."""
    values = [v for v in values if v]
    return ("::" if "::" in name else ";").join(values)


def _releases() -> list[str]:
    from pyjaspar import jaspar_releases
    return list(jaspar_releases)


def record_motif(record, release: str, pseudocount: float = PSEUDOCOUNT) -> Motif:
    """A pyjaspar record as a :class:`Motif`, with name, family and class in ``meta``."""
    counts = np.array([record.counts[b] for b in ALPHABET], dtype=float).T
    return Motif.from_counts(record.matrix_id, counts, pseudocount=pseudocount, name=record.name,
                             source=release, meta={"name": record.name,
                                                   "family": _join(record.tf_family, record.name),
                                                   "class": _join(record.tf_class, record.name)})


def jaspar_motifs(release: str = "JASPAR2022", collection: str = "CORE",
                  tax_group: str = "vertebrates") -> list[Motif]:
    """Latest-version motifs of a JASPAR release, with counts and annotation.

    ``meta`` holds ``name``, ``family`` and ``class`` (see :func:`_join`).
    """
    from pyjaspar import jaspardb

    if release not in _releases():
        raise InputError(release, "unknown JASPAR release",
                         f"use one of {', '.join(_releases())} or a MEME file path")
    db = jaspardb(release=release)
    motifs = [record_motif(jm, release) for jm in db.fetch_motifs(collection=collection, tax_group=tax_group)]
    if not motifs:
        raise InputError(release, f"no motifs for collection={collection} tax_group={tax_group}",
                         "check the collection (CORE, UNVALIDATED) and tax group spelling")
    return motifs


def write_jaspar_meme(path: str | Path, release: str = "JASPAR2022", collection: str = "CORE",
                      tax_group: str = "vertebrates") -> list[Motif]:
    """Write a JASPAR release as a MEME file (for the real ``tomtom``); return its motifs."""
    motifs = jaspar_motifs(release, collection, tax_group)
    write_meme(motifs, path)
    return motifs


def jaspar_annotation(motifs: list[Motif]) -> pd.DataFrame:
    """One row per motif (id, name, family, class) to join onto TOMTOM hits."""
    return pd.DataFrame([{"id": m.id, "name": m.meta.get("name", m.name),
                          "family": m.meta.get("family", ""), "class": m.meta.get("class", "")}
                         for m in motifs], columns=ANNOTATION_COLUMNS)


def load_target_db(spec: str, collection: str = "CORE",
                   tax_group: str = "vertebrates") -> list[Motif]:
    """Target motifs from a JASPAR release name ('JASPAR2022'), a MEME file or a HOMER .motif(s) library."""
    if spec.upper().startswith("JASPAR") and not Path(spec).exists():
        return jaspar_motifs(spec, collection, tax_group)
    if not Path(spec).is_file():
        raise InputError(spec, "target motif database not found",
                         f"give a MEME-format file or a release name ({', '.join(_releases())})")
    if Path(spec).suffix in (".motif", ".motifs"):
        motifs = read_homer_motifs(spec)
    else:
        motifs = read_meme(spec, source=Path(spec).name)
    if not motifs:
        raise InputError(spec, "no MOTIF entries in the target database",
                         "give a MEME-format motif file")
    return motifs
