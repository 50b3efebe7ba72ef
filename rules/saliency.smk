# Saliency stage: gradients of the trained models on the test set -> k-mers -> clusters.


rule saliency:
    input:
        encoded=f"{OUTDIR}/{{dataset}}/windows/encoded.npz",
        models=expand(f"{OUTDIR}/{{{{dataset}}}}/models/seed{{seed}}/model.pt", seed=SEEDS),
        histories=expand(f"{OUTDIR}/{{{{dataset}}}}/models/seed{{seed}}/history.tsv", seed=SEEDS),
    output:
        saliency=f"{OUTDIR}/{{dataset}}/saliency/saliency.npz",
        maps=report(
            multiext(f"{OUTDIR}/{{dataset}}/saliency/saliency_maps", ".png", ".svg"),
            caption="../report/saliency_maps.rst",
            category="Interpretation",
        ),
    params:
        cfg=config["saliency"],
        seeds=SEEDS,
    threads: config["training"]["threads"]
    log:
        f"{OUTDIR}/logs/{{dataset}}/saliency.log",
    conda:
        "../envs/pytorch.yaml"
    resources:
        mem_mb=4000,
        runtime=60,
    script:
        "../scripts/saliency.py"


rule saliency_kmers:
    input:
        saliency=kmer_profiles,
        encoded=f"{OUTDIR}/{{dataset}}/windows/encoded.npz",
    output:
        kmers=f"{OUTDIR}/{{dataset}}/saliency/kmers.tsv",
        clusters=f"{OUTDIR}/{{dataset}}/motifs/saliency/clusters.tsv",
        counts=f"{OUTDIR}/{{dataset}}/motifs/saliency/cluster_counts.tsv",
        freqs=f"{OUTDIR}/{{dataset}}/motifs/saliency/cluster_frequencies.tsv",
        logos=directory(f"{OUTDIR}/{{dataset}}/motifs/saliency/clusters"),
    params:
        saliency=config["saliency"],
        clustering=config["clustering"],
        n_clusters=lambda wc: config["datasets"][wc.dataset]["n_clusters"],
    log:
        f"{OUTDIR}/logs/{{dataset}}/saliency_kmers.log",
    conda:
        "../envs/python.yaml"
    resources:
        mem_mb=8000,
        runtime=60,
    script:
        "../scripts/saliency_kmers.py"
