# The embedded demo dataset: a synthetic genome with WT and KO peaks carrying planted
# JASPAR motifs, generated in seconds from config["demo"]; nothing is downloaded.


rule make_demo:
    input:
        markov=config["demo"]["markov_table"],
    output:
        genome="resources/demo/genome.fa",
        wt="resources/demo/wt.narrowPeak",
        ko="resources/demo/ko.narrowPeak",
        truth="resources/demo/truth.tsv",
        truth_sites="resources/demo/truth_sites.tsv",
    params:
        demo=config["demo"],
    log:
        "logs/demo/make_demo.log",
    conda:
        "../envs/python.yaml"
    resources:
        mem_mb=1000,
        runtime=10,
    script:
        "../scripts/make_demo.py"
