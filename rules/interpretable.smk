# The interpretable architecture (explainn, trained by rule train_baseline): its units as motifs,
# each with the class it speaks for (sign of weight_WT - weight_KO in the final linear layer).
# Needs explainn in config baselines.models.


rule interpretable_units:
    input:
        encoded=f"{OUTDIR}/{{dataset}}/windows/encoded.npz",
        models=expand(
            f"{OUTDIR}/{{{{dataset}}}}/baselines/explainn/seed{{seed}}/model.pt", seed=SEEDS
        ),
        db=f"{OUTDIR}/motif_db/target.meme",
        annotation=f"{OUTDIR}/motif_db/annotation.tsv",
    output:
        meme=f"{OUTDIR}/{{dataset}}/motifs/interpretable/units.meme",
        units=f"{OUTDIR}/{{dataset}}/motifs/interpretable/units.tsv",
        tomtom=report(
            f"{OUTDIR}/{{dataset}}/motifs/interpretable/tomtom.tsv",
            caption="../report/interpretable_tomtom.rst",
            category="Interpretation",
        ),
        logos=directory(f"{OUTDIR}/{{dataset}}/motifs/interpretable/logos"),
    params:
        filters=config["filters"],
        min_information=config["interpretable"]["min_information"],
        comparison=config["motif_comparison"],
        seeds=SEEDS,
    threads: config["training"]["threads"]
    log:
        f"{OUTDIR}/logs/{{dataset}}/interpretable_units.log",
    conda:
        "../envs/pytorch.yaml"
    resources:
        mem_mb=4000,
        runtime=30,
    script:
        "../scripts/interpretable_units.py"
