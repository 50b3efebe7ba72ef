# Motif stage: the target database, de novo motifs per cluster, TOMTOM, the paper's tables.


rule motif_database:
    output:
        meme=f"{OUTDIR}/motif_db/target.meme",
        annotation=f"{OUTDIR}/motif_db/annotation.tsv",
    params:
        database=config["motif_comparison"]["database"],
    log:
        f"{OUTDIR}/logs/motif_database.log",
    conda:
        "../envs/python.yaml"
    resources:
        mem_mb=2000,
        runtime=10,
    script:
        "../scripts/motif_database.py"


rule saliency_motifs:
    input:
        kmers=f"{OUTDIR}/{{dataset}}/saliency/kmers.tsv",
        clusters=f"{OUTDIR}/{{dataset}}/motifs/saliency/clusters.tsv",
        db=f"{OUTDIR}/motif_db/target.meme",
        annotation=f"{OUTDIR}/motif_db/annotation.tsv",
    output:
        meme=f"{OUTDIR}/{{dataset}}/motifs/saliency/denovo.meme",
        tomtom=report(
            f"{OUTDIR}/{{dataset}}/motifs/saliency/tomtom.tsv",
            caption="../report/saliency_tomtom.rst",
            category="Interpretation",
        ),
        clusters_table=f"{OUTDIR}/{{dataset}}/motifs/saliency/table_clusters.tsv",
        matches_table=f"{OUTDIR}/{{dataset}}/motifs/saliency/table_denovo_matches.tsv",
    params:
        discovery=config["motif_discovery"],
        comparison=config["motif_comparison"],
    log:
        f"{OUTDIR}/logs/{{dataset}}/saliency_motifs.log",
    conda:
        "../envs/meme.yaml"
    resources:
        mem_mb=4000,
        runtime=120,
    script:
        "../scripts/saliency_motifs.py"


rule recovery:
    input:
        unpack(route_inputs),
        truth=lambda wc: config["datasets"][wc.dataset]["truth"],
        annotation=f"{OUTDIR}/motif_db/annotation.tsv",
    output:
        recovery=report(
            f"{OUTDIR}/{{dataset}}/motifs/recovery.tsv",
            caption="../report/recovery.rst",
            category="Interpretation",
        ),
        routes=report(
            f"{OUTDIR}/{{dataset}}/motifs/routes.tsv",
            caption="../report/routes.rst",
            category="Interpretation",
        ),
    params:
        q=config["motif_comparison"]["report_q"],
    log:
        f"{OUTDIR}/logs/{{dataset}}/recovery.log",
    conda:
        "../envs/python.yaml"
    resources:
        mem_mb=1000,
        runtime=5,
    script:
        "../scripts/recovery.py"
