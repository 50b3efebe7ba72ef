# Validation stage: known-motif enrichment in WT and KO test peaks (HOMER or builtin), and WT vs KO.


rule known_motifs:
    input:
        windows=f"{OUTDIR}/{{dataset}}/windows/windows.tsv.gz",
        fasta=f"{OUTDIR}/{{dataset}}/genome/genome.fa",
        db=f"{OUTDIR}/motif_db/target.meme",
    output:
        known=f"{OUTDIR}/{{dataset}}/validation/{{cls}}/knownResults.txt",
    params:
        cfg=config["validation"],
        database=Path(config["motif_comparison"]["database"]).name,
    wildcard_constraints:
        cls="wt|ko",
    threads: 2
    log:
        f"{OUTDIR}/logs/{{dataset}}/known_motifs_{{cls}}.log",
    conda:
        "../envs/homer.yaml"
    resources:
        mem_mb=4000,
        runtime=120,
    script:
        "../scripts/known_motifs.py"


rule wt_vs_ko:
    input:
        windows=f"{OUTDIR}/{{dataset}}/windows/windows.tsv.gz",
        db=f"{OUTDIR}/motif_db/target.meme",
        wt=f"{OUTDIR}/{{dataset}}/validation/wt/knownResults.txt",
        ko=f"{OUTDIR}/{{dataset}}/validation/ko/knownResults.txt",
    output:
        direct=report(
            f"{OUTDIR}/{{dataset}}/validation/wt_vs_ko.tsv",
            caption="../report/wt_vs_ko.rst",
            category="Validation",
        ),
        table=f"{OUTDIR}/{{dataset}}/validation/table_known.tsv",
        bars=report(
            multiext(f"{OUTDIR}/{{dataset}}/validation/known_barplot", ".png", ".svg"),
            caption="../report/known_barplot.rst",
            category="Validation",
        ),
    params:
        cfg=config["validation"],
        database=Path(config["motif_comparison"]["database"]).name,
    log:
        f"{OUTDIR}/logs/{{dataset}}/wt_vs_ko.log",
    conda:
        "../envs/python.yaml"
    resources:
        mem_mb=4000,
        runtime=60,
    script:
        "../scripts/wt_vs_ko.py"
