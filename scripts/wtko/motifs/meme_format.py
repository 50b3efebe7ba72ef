"""MEME minimal motif format: the exchange format of every motif engine here.

Real files differ from the spec's example: JASPAR conversions put a blank line
after ``MOTIF`` and end rows with a TAB, STREME's text output is this format
with a footer, and ``meme.txt`` hides the same blocks among other sections. The
reader therefore only trusts ``MOTIF`` lines and the rows that follow a
``letter-probability matrix:`` line, and ignores everything else.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from ..errors import InputError
from .records import Motif

_ATTR = re.compile(r"(\w+)\s*=\s*(\S+)")
_ROW_TOLERANCE = 0.1  # rows printed with 6 decimals (or 3 by HOMER) sum to 1 +- 1e-3


def _parse_row(text: str, path: str, lineno: int) -> np.ndarray | None:
    """Four probabilities, or None when the line is not a matrix row."""
    fields = text.split()
    try:
        values = np.array([float(x) for x in fields])
    except ValueError:
        return None
    if not fields:
        return None
    if len(values) != 4:
        raise InputError(path, f"matrix row has {len(values)} values, expected 4 (A C G T)",
                         "write one row of 4 probabilities per motif position", line=lineno)
    if abs(values.sum() - 1) > _ROW_TOLERANCE or (values < 0).any():
        raise InputError(path, f"matrix row sums to {values.sum():.3f}, not 1",
                         "give letter probabilities (counts belong in a JASPAR/TRANSFAC file)",
                         line=lineno)
    return values / values.sum()


def _finish(motif: dict | None, path: str) -> Motif | None:
    if motif is None:
        return None
    rows, want = motif["rows"], motif["w"]
    if not rows:
        raise InputError(path, f"MOTIF {motif['id']} has no letter-probability matrix",
                         "add a 'letter-probability matrix:' line followed by the rows",
                         line=motif["line"])
    if want is not None and len(rows) != want:
        raise InputError(path, f"MOTIF {motif['id']} has {len(rows)} rows but w= {want}",
                         "make w= match the number of matrix rows", line=motif["line"])
    return Motif(id=motif["id"], probs=np.vstack(rows), name=motif["name"],
                 nsites=motif["nsites"], evalue=motif["evalue"], source=motif["source"],
                 meta=dict(motif["meta"]))


def read_meme(path: str | Path, source: str = "meme") -> list[Motif]:
    """All motifs of a MEME-format file (also STREME text and meme.txt).

    ``MOTIF id [alt]`` gives ``Motif.id`` and ``Motif.name`` (empty without an
    alt name); ``nsites=`` and ``E=`` come from the matrix line when present,
    and a ``URL`` line is kept in ``meta['url']``.
    """
    path = str(path)
    motifs: list[Motif] = []
    current: dict | None = None
    in_matrix = False
    with open(path) as handle:
        for lineno, raw in enumerate(handle, start=1):
            line = raw.strip()
            if raw.startswith("MOTIF"):
                done = _finish(current, path)
                if done:
                    motifs.append(done)
                fields = line.split()
                if len(fields) < 2:
                    raise InputError(path, "MOTIF line without a motif id",
                                     "write 'MOTIF <id> [<name>]'", line=lineno)
                current = {"id": fields[1], "name": fields[2] if len(fields) > 2 else "",
                           "rows": [], "w": None, "nsites": 20, "evalue": None,
                           "line": lineno, "source": source, "meta": {}}
                in_matrix = False
            elif current is None:
                continue
            elif line.startswith("letter-probability matrix"):
                if current["rows"]:
                    raise InputError(path, f"MOTIF {current['id']} has a second matrix",
                                     "give each motif its own MOTIF line", line=lineno)
                attrs = dict(_ATTR.findall(line.split(":", 1)[1]))
                try:
                    if attrs.get("alength", "4") != "4":
                        raise InputError(path, f"alength= {attrs['alength']} is not DNA",
                                         "use a DNA (ACGT) motif file", line=lineno)
                    current["w"] = int(attrs["w"]) if "w" in attrs else None
                    current["nsites"] = int(round(float(attrs.get("nsites", 20))))
                    current["evalue"] = float(attrs["E"]) if "E" in attrs else None
                except ValueError as err:
                    raise InputError(path, f"bad matrix attribute ({err})",
                                     "write 'alength= 4 w= <int> nsites= <n> E= <float>'",
                                     line=lineno) from None
                in_matrix = True
            elif in_matrix:
                if not line and not current["rows"]:
                    continue  # some writers leave a blank line before the rows
                row = _parse_row(line, path, lineno)
                full = current["w"] is not None and len(current["rows"]) == current["w"]
                if row is None or full:
                    in_matrix = False
                else:
                    current["rows"].append(row)
            elif line.startswith("URL"):
                current["meta"]["url"] = line[3:].strip()
    done = _finish(current, path)
    if done:
        motifs.append(done)
    return motifs


def _token(text: str) -> str:
    """MEME ids and alt names end at whitespace, so spaces become '_'."""
    return re.sub(r"\s+", "_", text.strip())


def write_meme(motifs: list[Motif], path: str | Path,
               background: np.ndarray | None = None) -> None:
    """Write motifs as MEME minimal format (v5) for TOMTOM, FIMO and SEA.

    ``background`` is the A, C, G, T frequency; uniform when None.
    """
    bg = np.full(4, 0.25) if background is None else np.asarray(background, dtype=float)
    lines = ["MEME version 5", "", "ALPHABET= ACGT", "", "strands: + -", "",
             "Background letter frequencies",
             " ".join(f"{b} {f:.6g}" for b, f in zip("ACGT", bg)), ""]
    for m in motifs:
        header = f"MOTIF {_token(m.id)}"
        if m.name and m.name != m.id:
            header += f" {_token(m.name)}"
        evalue = 0 if m.evalue is None else m.evalue
        lines += [header, f"letter-probability matrix: alength= 4 w= {m.width} "
                  f"nsites= {m.nsites} E= {evalue:.3g}"]
        lines += [" " + " ".join(f"{p:.6f}" for p in row) for row in m.probs]
        if "url" in m.meta:
            lines.append(f"URL {m.meta['url']}")
        lines.append("")
    Path(path).write_text("\n".join(lines) + "\n")
