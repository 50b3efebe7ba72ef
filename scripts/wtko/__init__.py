"""WTKO: the library behind the WTKO Snakemake workflow.

Modules take arrays and paths, never ``snakemake`` objects, so that every
step can be unit-tested and reused outside the workflow.
"""

__version__ = "0.1.0"
