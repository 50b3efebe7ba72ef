# TF-MoDISco stage: patterns from per-base attributions (modisco-lite), TOMTOM, logos, modisco's report.


rule modisco:
    input:
        attributions=f"{OUTDIR}/{{dataset}}/attributions/{config['modisco']['attribution']}.npz",
        encoded=f"{OUTDIR}/{{dataset}}/windows/encoded.npz",
        db=f"{OUTDIR}/motif_db/target.meme",
        annotation=f"{OUTDIR}/motif_db/annotation.tsv",
    output:
        h5=f"{OUTDIR}/{{dataset}}/motifs/modisco/modisco_results.h5",
        meme=f"{OUTDIR}/{{dataset}}/motifs/modisco/patterns.meme",
        patterns=f"{OUTDIR}/{{dataset}}/motifs/modisco/patterns.tsv",
        tomtom=f"{OUTDIR}/{{dataset}}/motifs/modisco/tomtom.tsv",
        logos=directory(f"{OUTDIR}/{{dataset}}/motifs/modisco/logos"),
        report=directory(f"{OUTDIR}/{{dataset}}/motifs/modisco/report"),
    params:
        cfg=config["modisco"],
        comparison=config["motif_comparison"],
    threads: config["training"]["threads"]
    log:
        f"{OUTDIR}/logs/{{dataset}}/modisco.log",
    conda:
        "../envs/pytorch.yaml"
    resources:
        mem_mb=8000,
        runtime=120,
    script:
        "../scripts/modisco.py"
