"""MEME and STREME result files (text and XML) -> Motif records.

Users may hand us any of the four files a run leaves behind, so each becomes
the same records: MEME motifs get ``id='MEME-1'`` with the IUPAC consensus as
name, STREME motifs keep their own id (``1-CGTGTAAT``) with ``STREME-1`` as
name, as STREME's text output writes them.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np

from ..errors import InputError
from .meme_format import read_meme
from .records import ALPHABET, Motif

_MEME_TXT_MOTIF = re.compile(r"^MOTIF\s+(\S+)\s+(\S+)\s+width\s*=\s*(\d+)\s+sites\s*=\s*(\d+)"
                             r"\s+llr\s*=\s*(\d+)", re.M)


def read_meme_txt(path: str | Path) -> list[Motif]:
    """Motifs of MEME's ``meme.txt``: matrices plus the llr of each MOTIF line."""
    motifs = read_meme(path, source="meme")
    llr = {m.group(1): int(m.group(5)) for m in _MEME_TXT_MOTIF.finditer(Path(path).read_text())}
    for m in motifs:
        consensus, alt = m.id, m.name
        m.id, m.name = alt or consensus, consensus
        if consensus in llr:
            m.meta["llr"] = llr[consensus]
    return motifs


def _xml_root(path: str | Path, tag: str) -> ET.Element:
    """Parse an XML result; ElementTree needs no ``<?xml`` declaration."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as err:
        raise InputError(str(path), f"not valid XML ({err})",
                         "pass the untouched meme.xml/streme.xml") from None
    if root.tag != tag:
        raise InputError(str(path), f"root element is <{root.tag}>, expected <{tag}>",
                         f"pass a {tag} XML result file")
    return root


def read_meme_xml(path: str | Path) -> list[Motif]:
    """Motifs of MEME's ``meme.xml`` with E-value, p-value, llr and Bayes threshold."""
    root = _xml_root(path, "MEME")
    # Letter ids are 'A' in MEME 5 and 'letter_A' in MEME 4; map them via <alphabet>.
    symbol = {letter.get("id"): letter.get("symbol")
              for letter in root.iter("letter") if letter.get("symbol")}
    motifs = []
    for node in root.find("motifs").findall("motif"):
        rows = []
        for array in node.find("probabilities").iter("alphabet_array"):
            values = {symbol.get(v.get("letter_id"), v.get("letter_id")): float(v.text)
                      for v in array.findall("value")}
            rows.append([values[b] for b in ALPHABET])
        motifs.append(Motif(
            id=node.get("alt") or node.get("id"), probs=np.array(rows), name=node.get("name"),
            nsites=int(node.get("sites")), evalue=float(node.get("e_value")), source="meme",
            meta={"llr": int(float(node.get("llr"))), "p_value": float(node.get("p_value")),
                  "bayes_threshold": float(node.get("bayes_threshold"))}))
    return motifs


def read_streme_xml(path: str | Path) -> list[Motif]:
    """Motifs of ``streme.xml``.

    STREME's XML has no E-value attribute; ``evalue`` holds the hold-out
    (test) p-value, the figure STREME ranks by, or the training p-value when
    no hold-out set was used. ``nsites`` counts positive sequences with a site
    in both sets.
    """
    root = _xml_root(path, "STREME")
    motifs = []
    for node in root.find("motifs").findall("motif"):
        probs = np.array([[float(pos.get(b)) for b in ALPHABET] for pos in node.findall("pos")])
        test = node.get("test_pvalue")
        has_test = test is not None and int(node.get("test_pos_count", 0)) > 0
        motifs.append(Motif(
            id=node.get("id"), probs=probs, name=node.get("alt", ""),
            nsites=int(node.get("train_pos_count", 0)) + int(node.get("test_pos_count", 0)),
            evalue=float(test if has_test else node.get("train_pvalue")), source="streme",
            meta={"train_pvalue": float(node.get("train_pvalue")),
                  "test_pvalue": float(test) if test is not None else None,
                  "score_threshold": float(node.get("score_threshold"))}))
    return motifs


def read_discovery_output(path: str | Path) -> list[Motif]:
    """Any MEME/STREME result or MEME-format file, told apart by its first bytes."""
    head = Path(path).read_text()[:2000]
    if head.lstrip().startswith("<"):
        return read_streme_xml(path) if "<STREME" in head else read_meme_xml(path)
    if "MEME - Motif discovery tool" in head:
        return read_meme_txt(path)
    return read_meme(path, source="streme" if "STREME -" in head else "meme")
