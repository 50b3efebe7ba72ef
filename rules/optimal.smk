# Deep Motif Dashboard class optimisation: the input each class's logit likes best, read as motifs.


rule optimal_sequences:
    input:
        models=expand(f"{OUTDIR}/{{{{dataset}}}}/models/seed{{seed}}/model.pt", seed=SEEDS),
        db=f"{OUTDIR}/motif_db/target.meme",
        annotation=f"{OUTDIR}/motif_db/annotation.tsv",
    output:
        npz=f"{OUTDIR}/{{dataset}}/motifs/optimal/optimal_sequences.npz",
        meme=f"{OUTDIR}/{{dataset}}/motifs/optimal/motifs.meme",
        motifs=f"{OUTDIR}/{{dataset}}/motifs/optimal/motifs.tsv",
        tomtom=report(
            f"{OUTDIR}/{{dataset}}/motifs/optimal/tomtom.tsv",
            caption="../report/optimal_tomtom.rst",
            category="Interpretation",
        ),
        logos=directory(f"{OUTDIR}/{{dataset}}/motifs/optimal/logos"),
    params:
        cfg=config["optimal"],
        comparison=config["motif_comparison"],
        seeds=SEEDS,
        window=lambda wc: config["datasets"][wc.dataset]["window"],
    threads: config["training"]["threads"]
    log:
        f"{OUTDIR}/logs/{{dataset}}/optimal_sequences.log",
    conda:
        "../envs/pytorch.yaml"
    resources:
        mem_mb=4000,
        runtime=60,
    script:
        "../scripts/optimal_sequences.py"
