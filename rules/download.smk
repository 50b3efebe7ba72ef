# Inputs given as URLs: fetched into resources/downloads/, verified, renamed when whole.


rule download:
    output:
        "resources/downloads/{dataset}/{kind}/{filename}",
    params:
        url=download_url,
        sha256=lambda wc: config["datasets"][wc.dataset]["checksums"].get(wc.kind),
        key=lambda wc: f"datasets.{wc.dataset}.{wc.kind}",
    log:
        "logs/{dataset}/download/{kind}/{filename}.log",
    wildcard_constraints:
        kind="genome|wt|ko|counts",
    conda:
        "../envs/python.yaml"
    resources:
        mem_mb=500,
        runtime=240,
    script:
        "../scripts/download.py"
