"""Rule script: the target motif database (JASPAR via pyjaspar, or the user's MEME file)."""

from wtko import logs
from wtko.motifs.jaspar import jaspar_annotation, load_target_db
from wtko.motifs.meme_format import write_meme

log = logs.setup(snakemake.log[0])
with logs.user_errors(log):
    motifs = load_target_db(snakemake.params.database)
write_meme(motifs, snakemake.output.meme)
jaspar_annotation(motifs).to_csv(snakemake.output.annotation, sep="\t", index=False)
log.info("%s: %d motifs", snakemake.params.database, len(motifs))
