"""Rule script: labelled, split, encoded windows plus the fate of every peak."""

from pathlib import Path

from wtko import dataset, logs

log = logs.setup(snakemake.log[0])
cfg = snakemake.params.cfg
with logs.user_errors(log):
    peaks = dataset.load_peaks(
        {"wt": snakemake.input.get("wt"), "ko": snakemake.input.get("ko")},
        snakemake.input.get("counts"), cfg.get("counts"), log,
    )
    data = dataset.build_dataset(peaks, snakemake.input.fasta, cfg, snakemake.params.key, log,
                                 workdir=Path(snakemake.output.windows).parent)
# mtime 0: the gzip header then holds no timestamp, so reruns give byte-identical files.
gzip_fixed = {"method": "gzip", "mtime": 0}
data.windows.to_csv(snakemake.output.windows, sep="\t", index=False, compression=gzip_fixed)
dataset.save_encoded(snakemake.output.encoded, data)
data.summary.to_csv(snakemake.output.summary, sep="\t", index=False)
data.fates.to_csv(snakemake.output.fates, sep="\t", index=False, compression=gzip_fixed)
for cls, reason, count in data.summary[["class", "reason", "count"]].itertuples(index=False):
    if count:
        log.info("%s %s: %d", cls, reason, count)
