# The paper's tables and figures per dataset under {OUTDIR}/{dataset}/paper/, with index.md.
# Include this file last: an upstream element is part of the paper when some rule included
# before it writes its source (checked on the rule definitions, never on files or config);
# the others are listed in index.md as missing.
include: "paper_common.smk"


rule paper_dataset:
    input:
        windows=f"{OUTDIR}/{{dataset}}/windows/windows.tsv.gz",
        wtko_cnn=f"{OUTDIR}/{{dataset}}/evaluation/metrics.tsv",
        baselines=expand(f"{OUTDIR}/{{{{dataset}}}}/baselines/{{model}}/metrics.tsv", model=BASELINES),
        kmer_lr=f"{OUTDIR}/{{dataset}}/controls/kmer_lr/metrics.tsv",
        shuffled=f"{OUTDIR}/{{dataset}}/controls/shuffled/metrics.tsv",
        temporal=[f"{OUTDIR}/{{dataset}}/baselines/cnn_lstm/temporal_scores.png"]
        if "cnn_lstm" in BASELINES
        else [],
        **{u.key: [f"{OUTDIR}/{{dataset}}/{s}" for s in u.sources()] for u in PAPER_UPSTREAM},
    output:
        table1=_built_table("table1_dataset_sizes", "table1"),
        table4=_built_table("table4_wtko_cnn_per_class", "table4"),
        table13=_built_table("table13_model_comparison", "table13"),
        comparison=f"{PAPER}/comparison_metrics.tsv",
        figure10=_paper_report(multiext(f"{PAPER}/figure10_model_comparison", ".png", ".svg"), "figure10"),
        index=f"{PAPER}/index.md",
        index_html=_paper_report(f"{PAPER}/index.html", "index"),
        config=f"{PAPER}/config.yaml",
        **_upstream_outputs(),
    params:
        baselines=BASELINES,
        band=config["controls"]["shuffled"]["band"],
        upstream=[u.key for u in PAPER_UPSTREAM],
        missing=PAPER_MISSING,
        configfiles=[str(f) for f in workflow.configfiles],
        dataset_dir=lambda wc: f"{OUTDIR}/{wc.dataset}",
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    log:
        f"{OUTDIR}/logs/{{dataset}}/paper.log",
    conda:
        "../envs/python.yaml"
    script:
        "../scripts/paper.py"


rule paper:
    input:
        expand(f"{OUTDIR}/{{dataset}}/paper/index.md", dataset=DATASETS),
