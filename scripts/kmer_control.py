"""Snakemake script (rule kmer_control): canonical k-mer spectrum + logistic regression.

C is chosen on the validation split, the test split is scored once
(``wtko.controls.fit_kmer_lr``). Deterministic, so one run: seed '-'.
"""

import pandas as pd

from wtko import logs
from wtko.controls import fit_kmer_lr, kmer_spectrum
from wtko.data import SPLITS, load_encoded, subset
from wtko.metrics import METRIC_COLUMNS, classification_metrics, predictions_table


def main(sm) -> None:
    log = logs.setup(sm.log[0])
    cfg = sm.params.cfg
    with logs.user_errors(log):
        data = load_encoded(sm.input[0])
    parts = {s: subset(data, s) for s in SPLITS}
    x = {s: kmer_spectrum(p["codes"], cfg["k"]) for s, p in parts.items()}
    log.info("%d canonical %d-mers; windows %s", x["train"].shape[1], cfg["k"],
             {s: len(v) for s, v in x.items()})
    p_test, c, tuning = fit_kmer_lr(x, {s: p["label"] for s, p in parts.items()}, cfg["C"],
                                    cfg["max_iter"])
    log.info("validation tuning:\n%s\nchosen C %g", tuning.to_string(index=False), c)
    tuning.assign(chosen=tuning["C"] == c).to_csv(sm.output.tuning, sep="\t", index=False)
    test = parts["test"]
    predictions_table(test["name"], test["chrom"], test["label"], p_test).to_csv(
        sm.output.predictions, sep="\t", index=False)
    row = {"seed": "-", **classification_metrics(test["label"], p_test)}
    pd.DataFrame([row], columns=["seed", *METRIC_COLUMNS]).to_csv(sm.output.metrics, sep="\t",
                                                                  index=False)


main(snakemake)  # noqa: F821
