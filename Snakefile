# WTKO: DNA motifs that tell wild-type from knockout chromatin accessibility.
from snakemake.utils import min_version

min_version("9.0")


configfile: "config/config.yaml"


report: "report/workflow.rst"


include: "rules/common.smk"
include: "rules/download.smk"
include: "rules/demo.smk"
include: "rules/windows.smk"
include: "rules/train.smk"
include: "rules/saliency.smk"
include: "rules/attributions.smk"
include: "rules/motifs.smk"
include: "rules/filters.smk"
include: "rules/validation.smk"
include: "rules/modisco.smk"
include: "rules/optimal.smk"
include: "rules/baselines.smk"
include: "rules/interpretable.smk"
include: "rules/paper.smk"


rule all:
    input:
        get_final_output(),
