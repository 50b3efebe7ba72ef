"""Rule script: write the embedded demo dataset (see wtko.demo.make)."""

from pathlib import Path

from wtko import logs
from wtko.demo.make import make_demo

log = logs.setup(snakemake.log[0])
params = dict(snakemake.params.demo)
params["markov_table"] = snakemake.input.markov
with logs.user_errors(log):
    summary = make_demo(Path(snakemake.output.genome).parent, **params)
log.info("demo: %s", ", ".join(f"{k}={v}" for k, v in summary.items()))
