# Baselines and controls for the model comparison: other architectures trained like WTKO-CNN,
# a k-mer logistic regression, WTKO-CNN on shuffled training labels, and CNN-LSTM temporal scores.

BASELINES = config["baselines"]["models"]


wildcard_constraints:
    model="|".join(BASELINES) or "no_baseline",


rule train_baseline:
    input:
        f"{OUTDIR}/{{dataset}}/windows/encoded.npz",
    output:
        model=f"{OUTDIR}/{{dataset}}/baselines/{{model}}/seed{{seed}}/model.pt",
        history=f"{OUTDIR}/{{dataset}}/baselines/{{model}}/seed{{seed}}/history.tsv",
        predictions=f"{OUTDIR}/{{dataset}}/baselines/{{model}}/seed{{seed}}/predictions.tsv",
    params:
        training=config["training"],
        model=lambda wc: wc.model,
        model_kwargs=lambda wc: config["baselines"].get(wc.model, {}),
        shuffle=False,
    threads: config["training"]["threads"]
    resources:
        gpu=1,
        mem_mb=4000,
        runtime=120,
    log:
        f"{OUTDIR}/logs/{{dataset}}/baselines/{{model}}/seed{{seed}}.log",
    conda:
        "../envs/pytorch.yaml"
    script:
        "../scripts/train_model.py"


use rule evaluate as evaluate_baseline with:
    input:
        predictions=expand(
            f"{OUTDIR}/{{{{dataset}}}}/baselines/{{{{model}}}}/seed{{seed}}/predictions.tsv",
            seed=SEEDS,
        ),
        histories=expand(
            f"{OUTDIR}/{{{{dataset}}}}/baselines/{{{{model}}}}/seed{{seed}}/history.tsv",
            seed=SEEDS,
        ),
    output:
        metrics=report(
            f"{OUTDIR}/{{dataset}}/baselines/{{model}}/metrics.tsv",
            caption="../report/baseline_metrics.rst",
            category="Model comparison",
            subcategory="{model}",
        ),
        confusion=report(
            multiext(f"{OUTDIR}/{{dataset}}/baselines/{{model}}/confusion_matrix", ".png", ".svg"),
            caption="../report/confusion_matrix.rst",
            category="Model comparison",
            subcategory="{model}",
        ),
        curves=report(
            multiext(f"{OUTDIR}/{{dataset}}/baselines/{{model}}/accuracy_curves", ".png", ".svg"),
            caption="../report/accuracy_curves.rst",
            category="Model comparison",
            subcategory="{model}",
        ),
    log:
        f"{OUTDIR}/logs/{{dataset}}/baselines/{{model}}/evaluate.log",


use rule train_baseline as shuffled_control with:
    output:
        model=f"{OUTDIR}/{{dataset}}/controls/shuffled/seed{{seed}}/model.pt",
        history=f"{OUTDIR}/{{dataset}}/controls/shuffled/seed{{seed}}/history.tsv",
        predictions=f"{OUTDIR}/{{dataset}}/controls/shuffled/seed{{seed}}/predictions.tsv",
    params:
        training=config["training"],
        model=config["training"]["model"],
        model_kwargs={},
        shuffle=True,
    log:
        f"{OUTDIR}/logs/{{dataset}}/controls/shuffled/seed{{seed}}.log",


use rule evaluate as evaluate_shuffled with:
    input:
        predictions=expand(
            f"{OUTDIR}/{{{{dataset}}}}/controls/shuffled/seed{{seed}}/predictions.tsv",
            seed=SEEDS,
        ),
        histories=expand(
            f"{OUTDIR}/{{{{dataset}}}}/controls/shuffled/seed{{seed}}/history.tsv",
            seed=SEEDS,
        ),
    output:
        metrics=report(
            f"{OUTDIR}/{{dataset}}/controls/shuffled/metrics.tsv",
            caption="../report/shuffled_control.rst",
            category="Model comparison",
            subcategory="shuffled-label control",
        ),
        confusion=multiext(f"{OUTDIR}/{{dataset}}/controls/shuffled/confusion_matrix", ".png", ".svg"),
        curves=report(
            multiext(f"{OUTDIR}/{{dataset}}/controls/shuffled/accuracy_curves", ".png", ".svg"),
            caption="../report/shuffled_control.rst",
            category="Model comparison",
            subcategory="shuffled-label control",
        ),
    log:
        f"{OUTDIR}/logs/{{dataset}}/controls/shuffled/evaluate.log",


rule kmer_control:
    input:
        f"{OUTDIR}/{{dataset}}/windows/encoded.npz",
    output:
        metrics=report(
            f"{OUTDIR}/{{dataset}}/controls/kmer_lr/metrics.tsv",
            caption="../report/kmer_control.rst",
            category="Model comparison",
            subcategory="k-mer logistic regression",
        ),
        predictions=f"{OUTDIR}/{{dataset}}/controls/kmer_lr/predictions.tsv",
        tuning=f"{OUTDIR}/{{dataset}}/controls/kmer_lr/tuning.tsv",
    params:
        cfg=config["controls"]["kmer_lr"],
    threads: 1
    resources:
        mem_mb=4000,
        runtime=30,
    log:
        f"{OUTDIR}/logs/{{dataset}}/controls/kmer_lr.log",
    conda:
        "../envs/python.yaml"
    script:
        "../scripts/kmer_control.py"


rule temporal_scores:
    input:
        saliency=f"{OUTDIR}/{{dataset}}/saliency/saliency.npz",
        encoded=f"{OUTDIR}/{{dataset}}/windows/encoded.npz",
        models=expand(
            f"{OUTDIR}/{{{{dataset}}}}/baselines/cnn_lstm/seed{{seed}}/model.pt", seed=SEEDS
        ),
    output:
        figure=report(
            multiext(f"{OUTDIR}/{{dataset}}/baselines/cnn_lstm/temporal_scores", ".png", ".svg"),
            caption="../report/temporal_scores.rst",
            category="Interpretation",
        ),
        table=f"{OUTDIR}/{{dataset}}/baselines/cnn_lstm/temporal_scores.tsv",
    params:
        seeds=SEEDS,
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    log:
        f"{OUTDIR}/logs/{{dataset}}/baselines/cnn_lstm/temporal_scores.log",
    conda:
        "../envs/pytorch.yaml"
    script:
        "../scripts/temporal_scores.py"
