"""Rule script: fetch one configured URL with checksum verification."""

from wtko import logs, sources

log = logs.setup(snakemake.log[0])
with logs.user_errors(log):
    digest = sources.download(snakemake.params.url, snakemake.output[0], snakemake.params.sha256,
                              snakemake.params.key)
log.info("downloaded %s (sha256 %s)", snakemake.params.url, digest)
