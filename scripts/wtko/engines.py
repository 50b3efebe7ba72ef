"""Choosing between a real external tool and its builtin Python twin.

Config keys such as ``motif_comparison.engine`` take ``<tool> | builtin |
auto``. ``auto`` lets the workflow run without the MEME suite or HOMER
installed, but says once, in the log, that it fell back and how to get the
real tool, so nobody mistakes builtin results for the tool's.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from .errors import InputError

BUILTIN = "builtin"
AUTO = "auto"
_INSTALL_HINT = "run snakemake with --use-conda (or --sdm conda) so that '{exe}' is installed"


class ToolError(RuntimeError):
    """An external tool exited non-zero; the message names the tool and its log."""


def resolve_engine(requested: str, tool: str, executable: str | None = None,
                   log: Callable[[str], None] | None = None,
                   key: str = "engine") -> str:
    """Return ``tool`` or ``'builtin'`` for a config value ``requested``.

    ``executable`` is what must be on PATH (``findMotifsGenome.pl`` for
    ``homer``); it defaults to ``tool``. ``key`` names the config key in errors.
    """
    exe = executable or tool
    if requested not in (tool, BUILTIN, AUTO):
        raise InputError(key, f"unknown engine '{requested}'",
                         f"use one of: {tool}, {BUILTIN}, {AUTO}")
    if requested == BUILTIN:
        return BUILTIN
    found = shutil.which(exe) is not None
    if requested == tool and not found:
        raise InputError(key, f"engine '{tool}' requested but '{exe}' is not on PATH",
                         _INSTALL_HINT.format(exe=exe) + f", or set {key}: {BUILTIN}")
    if found:
        return tool
    if log is not None:
        log(f"{key}: '{exe}' not on PATH, using the builtin {tool} engine; to use the real "
            f"tool, {_INSTALL_HINT.format(exe=exe)}")
    return BUILTIN


def run_tool(argv: list[str], log_path: str | Path) -> None:
    """Run ``argv`` (no shell), appending its stdout and stderr to ``log_path``."""
    tool = Path(argv[0]).name
    with open(log_path, "a") as log:
        log.write("$ " + " ".join(argv) + "\n")
        log.flush()
        try:
            code = subprocess.run(argv, stdout=log, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL).returncode
        except OSError as err:
            log.write(f"could not start: {err}\n")
            raise ToolError(f"{tool} could not start ({err.strerror}); see {log_path}") from None
    if code != 0:
        raise ToolError(f"{tool} failed with exit code {code}; see {log_path}")
