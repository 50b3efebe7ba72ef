"""Test-set metrics per seed and their mean and spread over seeds.

WT (label 1) is the positive class for the AUCs; a window is called WT when
P(WT) >= 0.5. Per-class precision/recall/F1 are reported for both classes
because KO-specific peaks are the biologically interesting minority in
unbalanced runs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import (accuracy_score, average_precision_score,
                             precision_recall_fscore_support, roc_auc_score)

METRIC_COLUMNS = ["accuracy", "precision_WT", "recall_WT", "f1_WT", "precision_KO", "recall_KO",
                  "f1_KO", "roc_auc", "pr_auc", "n_test"]
PREDICTION_COLUMNS = ["name", "chrom", "label", "p_wt", "pred"]


def predictions_table(name: np.ndarray, chrom: np.ndarray, label: np.ndarray,
                      p_wt: np.ndarray) -> pd.DataFrame:
    """One row per window: name, chrom, label, p_wt and pred (1 = WT when p_wt >= 0.5)."""
    p_wt = np.asarray(p_wt, dtype=float)
    return pd.DataFrame({"name": name, "chrom": chrom, "label": np.asarray(label, dtype=int),
                         "p_wt": p_wt, "pred": (p_wt >= 0.5).astype(int)},
                        columns=PREDICTION_COLUMNS)


def classification_metrics(label: np.ndarray, p_wt: np.ndarray) -> dict[str, float]:
    """Accuracy, per-class precision/recall/F1, ROC-AUC, PR-AUC (WT positive) and n_test.

    AUCs are NaN when the labels hold a single class; precision of a class
    never predicted is 0.
    """
    label = np.asarray(label, dtype=int)
    p_wt = np.asarray(p_wt, dtype=float)
    pred = (p_wt >= 0.5).astype(int)
    prec, rec, f1, _ = precision_recall_fscore_support(label, pred, labels=[1, 0],
                                                       zero_division=0)
    both = len(np.unique(label)) == 2
    return {"accuracy": float(accuracy_score(label, pred)) if len(label) else float("nan"),
            "precision_WT": float(prec[0]), "recall_WT": float(rec[0]), "f1_WT": float(f1[0]),
            "precision_KO": float(prec[1]), "recall_KO": float(rec[1]), "f1_KO": float(f1[1]),
            "roc_auc": float(roc_auc_score(label, p_wt)) if both else float("nan"),
            "pr_auc": float(average_precision_score(label, p_wt)) if both else float("nan"),
            "n_test": int(len(label))}


def summarise_seeds(rows: pd.DataFrame) -> pd.DataFrame:
    """Append ``mean`` and ``sd`` (sample, ddof=1) rows over the numeric columns.

    ``rows`` has one row per seed and a ``seed`` column; the summary rows carry
    'mean' and 'sd' in it, so the seed column becomes text.
    """
    numeric = rows.drop(columns="seed").apply(pd.to_numeric)
    summary = pd.DataFrame([numeric.mean(), numeric.std(ddof=1)])
    summary.insert(0, "seed", ["mean", "sd"])
    # object columns keep per-seed integers (n_test) integral next to float summaries
    out = rows.astype({"seed": str}).astype(object)
    return pd.concat([out, summary.astype(object)], ignore_index=True)[rows.columns]
