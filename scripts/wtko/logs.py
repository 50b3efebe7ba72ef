"""Logging for rule scripts: everything to the rule's log, user errors also to the terminal.

Snakemake shows a job's stderr; a bad input should read as one line there (and
in the log), not as a traceback from deep inside a library.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from .errors import InputError


def setup(log_path: str, name: str = "wtko") -> logging.Logger:
    """A logger writing timestamped lines to ``log_path``."""
    logger = logging.getLogger(name)
    logger.handlers.clear()
    logger.setLevel(logging.INFO)
    handler = logging.FileHandler(log_path, mode="w")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
    logger.propagate = False
    return logger


@contextmanager
def user_errors(logger: logging.Logger) -> Iterator[None]:
    """Turn an :class:`InputError` into one line in the log and on stderr, and exit 1."""
    try:
        yield
    except InputError as exc:
        logger.error("%s", exc)
        print(f"WTKO input error: {exc}", file=sys.__stderr__)
        raise SystemExit(1) from None
