"""Rule script: TF-MoDISco patterns from attributions, as MEME motifs, TOMTOM matches, logos and its report."""

from pathlib import Path

from wtko import logs, matching, modisco
from wtko.data import load_encoded, subset
from wtko.encode import one_hot
from wtko.engines import resolve_engine
from wtko.motifs.meme_format import write_meme
from wtko.plots.logos import plot_logo

log = logs.setup(snakemake.log[0])
cfg, mcfg = snakemake.params.cfg, snakemake.params.comparison
params = modisco.ModiscoParams.from_config(cfg)
out = snakemake.output
with logs.user_errors(log):
    attr = modisco.load_attributions(snakemake.input.attributions)
    test = subset(load_encoded(snakemake.input.encoded), "test")
    x, labels = modisco.align_one_hot(attr["names"], test["name"], one_hot(test["codes"]), test["label"],
                                      source=snakemake.input.attributions)
    modisco.check_inputs(x, attr["hypothetical"], source=snakemake.input.attributions)
    m_engine = resolve_engine(mcfg["engine"], "tomtom", log=log.info, key="motif_comparison.engine")
log.info("attributions: %s (method %s, target %s)", snakemake.input.attributions,
         attr.get("method", "?"), attr.get("target", "?"))
run = modisco.run_modisco(x, attr["hypothetical"], params, threads=snakemake.threads, log=log)
modisco.save_results(out.h5, run, x.shape[2])
patterns = modisco.read_patterns(out.h5)
motifs = [modisco.pattern_motif(p, cfg["trim_threshold"]) for p in patterns]
note = ""
if not motifs:
    note = (f"TF-MoDISco found no pattern ({params.describe()}). Seqlets found: "
            + ", ".join(f"{m} {run.found[m]} (clustered {run.used[m]})" for m in modisco.METACLUSTERS)
            + f"; a metacluster needs more than {params.min_metacluster_size} seqlets and a pattern "
            f"{params.final_min_cluster_size}. Outputs are empty.")
    log.warning(note)
write_meme(motifs, out.meme)
matches = matching.match_table(motifs, snakemake.input.db, snakemake.input.annotation, m_engine, mcfg["thresh"],
                               Path(out.tomtom).parent / "work", snakemake.log[0], {m.id: m.id for m in motifs})
matches.to_csv(out.tomtom, sep="\t", index=False)
table = modisco.add_best_matches(modisco.pattern_table(patterns, motifs, labels), matches)
table.to_csv(out.patterns, sep="\t", index=False)
logo_dir = Path(out.logos)
logo_dir.mkdir(parents=True, exist_ok=True)
for m, row in zip(motifs, table.itertuples()):
    plot_logo(m.probs, logo_dir / m.id, f"{m.id} ({row.direction}, {row.n_seqlets} seqlets)")
report = modisco.write_report(out.h5, out.report, snakemake.input.db, cfg["report"], cfg["report_matches"],
                              cfg["trim_threshold"], note=note)
log.info("modisco-lite's %s report (memelite TOMTOM): %s", cfg["report"], report)
for row in table.itertuples():
    log.info("%s: %d seqlets, %s, WT share %.2f, mean contribution %.3g -> %s; best match %s %s (q %.3g)",
             row.pattern_id, row.n_seqlets, row.consensus, row.wt_share, row.mean_contribution, row.direction,
             row.best_target_id, row.best_target_name, row.best_q_value)
log.info("%d patterns, %d TOMTOM matches (q < %g: %d)", len(motifs), len(matches), mcfg["report_q"],
         (matches["q_value"] < mcfg["report_q"]).sum())
