# Filter stage: first-layer convolution filters as motifs, kept when they recur across seeds.


rule filter_motifs:
    input:
        encoded=f"{OUTDIR}/{{dataset}}/windows/encoded.npz",
        models=expand(f"{OUTDIR}/{{{{dataset}}}}/models/seed{{seed}}/model.pt", seed=SEEDS),
        db=f"{OUTDIR}/motif_db/target.meme",
        annotation=f"{OUTDIR}/motif_db/annotation.tsv",
    output:
        meme=f"{OUTDIR}/{{dataset}}/motifs/filters/filters.meme",
        recurrence=f"{OUTDIR}/{{dataset}}/motifs/filters/recurrence.tsv",
        direction=f"{OUTDIR}/{{dataset}}/motifs/filters/direction.tsv",
        influence=f"{OUTDIR}/{{dataset}}/motifs/filters/influence.tsv",
        calibration=report(
            f"{OUTDIR}/{{dataset}}/motifs/filters/calibration.tsv",
            caption="../report/filters_calibration.rst",
            category="Interpretation",
        ),
        tomtom=report(
            f"{OUTDIR}/{{dataset}}/motifs/filters/tomtom.tsv",
            caption="../report/filters_tomtom.rst",
            category="Interpretation",
        ),
        table=f"{OUTDIR}/{{dataset}}/motifs/filters/table_filters.tsv",
        logos=directory(f"{OUTDIR}/{{dataset}}/motifs/filters/logos"),
    params:
        cfg=config["filters"],
        comparison=config["motif_comparison"],
        seeds=SEEDS,
    threads: config["training"]["threads"]
    log:
        f"{OUTDIR}/logs/{{dataset}}/filter_motifs.log",
    conda:
        "../envs/meme.yaml"
    resources:
        mem_mb=4000,
        runtime=60,
    script:
        "../scripts/filter_motifs.py"
