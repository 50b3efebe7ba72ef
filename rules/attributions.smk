# Attribution stage: per-base contributions to the WT log-odds by five methods, one file each.

ATTRIBUTION_METHODS = ["saliency", "grad_x_input", "deeplift_shap", "integrated_gradients", "ism"]


rule attributions:
    input:
        encoded=f"{OUTDIR}/{{dataset}}/windows/encoded.npz",
        models=expand(f"{OUTDIR}/{{{{dataset}}}}/models/seed{{seed}}/model.pt", seed=SEEDS),
        histories=expand(f"{OUTDIR}/{{{{dataset}}}}/models/seed{{seed}}/history.tsv", seed=SEEDS),
    output:
        attributions=f"{OUTDIR}/{{dataset}}/attributions/{{method}}.npz",
    wildcard_constraints:
        method="|".join(ATTRIBUTION_METHODS),
    params:
        cfg=config["attribution"],
        seeds=SEEDS,
    threads: config["training"]["threads"]
    log:
        f"{OUTDIR}/logs/{{dataset}}/attributions_{{method}}.log",
    conda:
        "../envs/pytorch.yaml"
    resources:
        mem_mb=8000,
        runtime=lambda wc: 480 if wc.method in ("ism", "deeplift_shap") else 60,
    script:
        "../scripts/attributions.py"
