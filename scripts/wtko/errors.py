"""One error type for bad user input.

Users see a single line that names the file (or config key), the line and the
fix, instead of a traceback from deep inside pandas or pyfaidx.
"""

from __future__ import annotations


class InputError(ValueError):
    """Bad input that the user can fix: message is one line with a remedy."""

    def __init__(self, source: str, problem: str, fix: str, line: int | None = None):
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {problem}. Fix: {fix}")
        self.source, self.line, self.problem, self.fix = source, line, problem, fix
