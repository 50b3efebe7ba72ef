"""Rule script: decompress (if needed) and index the dataset's genome FASTA."""

from wtko import genome, logs

log = logs.setup(snakemake.log[0])
with logs.user_errors(log):
    sizes = genome.prepare_genome(snakemake.input[0], snakemake.output.fasta)
log.info("%s: %d sequences, %d bp", snakemake.input[0], len(sizes), sum(sizes.values()))
