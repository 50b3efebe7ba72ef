"""Inputs given as URLs are fetched once into resources/downloads/ and checksum-verified.

Downloads go to a temporary file that is renamed only after its checksum
passes, so an interrupted or corrupted download never looks complete.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import urllib.parse
import urllib.request
from pathlib import Path

from .errors import InputError

URL_SCHEMES = ("http://", "https://", "ftp://", "file://")


def is_url(spec: str) -> bool:
    return spec.startswith(URL_SCHEMES)


def local_path(spec: str, dataset: str, kind: str) -> str:
    """Where the workflow reads an input: the path itself, or its download location."""
    if not is_url(spec):
        return spec
    name = Path(urllib.parse.urlparse(spec).path).name or kind
    return f"resources/downloads/{dataset}/{kind}/{name}"


def sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def download(url: str, dest: str | Path, expected_sha256: str | None, key: str) -> str:
    """Fetch ``url`` to ``dest`` via a temporary file; verify the checksum if one is given."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    try:
        with urllib.request.urlopen(url, timeout=60) as response, open(tmp, "wb") as out:
            shutil.copyfileobj(response, out, length=1 << 20)
    except (OSError, ValueError) as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(key, f"cannot download {url} ({exc})",
                         "check the URL, or download it by hand and give the local path") from None
    digest = sha256(tmp)
    if expected_sha256 and digest != expected_sha256:
        tmp.unlink()
        raise InputError(key, f"checksum mismatch for {url}: got {digest}",
                         f"re-download, or update datasets.{key.split('.')[1]}.checksums if the file changed")
    os.replace(tmp, dest)
    return digest
