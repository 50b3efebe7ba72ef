# Train the CNN once per seed, predict each seed's test split, then aggregate.


rule train_model:
    input:
        f"{OUTDIR}/{{dataset}}/windows/encoded.npz",
    output:
        model=f"{OUTDIR}/{{dataset}}/models/seed{{seed}}/model.pt",
        history=f"{OUTDIR}/{{dataset}}/models/seed{{seed}}/history.tsv",
        predictions=f"{OUTDIR}/{{dataset}}/evaluation/seed{{seed}}/predictions.tsv",
    params:
        training=config["training"],
        model=config["training"]["model"],
        model_kwargs=config["baselines"].get(config["training"]["model"], {}),
        shuffle=False,
    threads: config["training"]["threads"]
    resources:
        gpu=1,
        mem_mb=4000,
        runtime=120,
    log:
        f"{OUTDIR}/logs/{{dataset}}/train/seed{{seed}}.log",
    conda:
        "../envs/pytorch.yaml"
    script:
        "../scripts/train_model.py"


rule evaluate:
    input:
        predictions=expand(
            f"{OUTDIR}/{{{{dataset}}}}/evaluation/seed{{seed}}/predictions.tsv",
            seed=SEEDS,
        ),
        histories=expand(
            f"{OUTDIR}/{{{{dataset}}}}/models/seed{{seed}}/history.tsv",
            seed=SEEDS,
        ),
    output:
        metrics=f"{OUTDIR}/{{dataset}}/evaluation/metrics.tsv",
        confusion=report(
            multiext(f"{OUTDIR}/{{dataset}}/evaluation/confusion_matrix", ".png", ".svg"),
            caption="../report/confusion_matrix.rst",
            category="Evaluation",
        ),
        curves=report(
            multiext(f"{OUTDIR}/{{dataset}}/evaluation/accuracy_curves", ".png", ".svg"),
            caption="../report/accuracy_curves.rst",
            category="Evaluation",
        ),
    params:
        seeds=SEEDS,
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    log:
        f"{OUTDIR}/logs/{{dataset}}/evaluate.log",
    conda:
        "../envs/pytorch.yaml"
    script:
        "../scripts/evaluate.py"
