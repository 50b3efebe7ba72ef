# Windows stage: genome -> indexed FASTA; peaks -> labelled, split, encoded 600 bp windows.


rule prepare_genome:
    input:
        lambda wc: source(wc.dataset, "genome"),
    output:
        fasta=f"{OUTDIR}/{{dataset}}/genome/genome.fa",
        fai=f"{OUTDIR}/{{dataset}}/genome/genome.fa.fai",
    log:
        f"{OUTDIR}/logs/{{dataset}}/prepare_genome.log",
    conda:
        "../envs/python.yaml"
    resources:
        mem_mb=2000,
        runtime=60,
    script:
        "../scripts/prepare_genome.py"


rule make_windows:
    input:
        unpack(peak_inputs),
        fasta=f"{OUTDIR}/{{dataset}}/genome/genome.fa",
        fai=f"{OUTDIR}/{{dataset}}/genome/genome.fa.fai",
    output:
        windows=f"{OUTDIR}/{{dataset}}/windows/windows.tsv.gz",
        encoded=f"{OUTDIR}/{{dataset}}/windows/encoded.npz",
        summary=report(
            f"{OUTDIR}/{{dataset}}/windows/summary.tsv",
            caption="../report/summary.rst",
            category="Data",
        ),
        fates=f"{OUTDIR}/{{dataset}}/windows/peak_fates.tsv.gz",
    params:
        cfg=lambda wc: config["datasets"][wc.dataset],
        key=lambda wc: f"datasets.{wc.dataset}",
    log:
        f"{OUTDIR}/logs/{{dataset}}/make_windows.log",
    conda:
        lambda wc: f"../envs/{'bedtools' if uses_bedtools(wc) else 'python'}.yaml"
    resources:
        mem_mb=4000,
        runtime=60,
    script:
        "../scripts/make_windows.py"
