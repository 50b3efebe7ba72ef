"""Snakemake script (rule temporal_scores): CNN-LSTM class scores read left to right.

The examples are the saliency-map sequences (``choose_examples`` on
saliency.npz, two per class, as in Figure 7), scored by the CNN-LSTM seed with
the best validation accuracy. Also writes the scores as a table.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import torch

from wtko import logs
from wtko.data import load_encoded, one_hot_batch, subset
from wtko.models import load_model
from wtko.plots.saliency import choose_examples
from wtko.plots.temporal import plot_temporal_scores
from wtko.saliency import load_saliency
from wtko.train import best_seed


def main(sm) -> None:
    log = logs.setup(sm.log[0])
    torch.set_num_threads(sm.threads)
    sal = load_saliency(sm.input.saliency)
    test = subset(load_encoded(sm.input.encoded), "test")
    row_of = {name: i for i, name in enumerate(test["name"])}
    rows = [row_of[sal["names"][i]] for i in choose_examples(sal["profiles"], sal["labels"], sal["preds"])]
    loaded = {int(s): load_model(p) for s, p in zip(sm.params.seeds, sm.input.models)}
    seed = best_seed({s: ckpt["val_acc"] for s, (_, ckpt) in loaded.items()})
    model = loaded[seed][0]
    log.info("cnn_lstm seed %d (best validation accuracy); examples %s", seed,
             list(test["name"][rows]))
    with torch.no_grad():
        logits = model.temporal_scores(one_hot_batch(torch.from_numpy(test["codes"][rows])))
    p_wt = torch.softmax(logits, dim=2)[:, :, 1].numpy()
    edges = model.stem.right_edges(p_wt.shape[1])
    pd.DataFrame({"name": np.repeat(test["name"][rows], len(edges)),
                  "label": np.repeat(test["label"][rows], len(edges)),
                  "step": np.tile(np.arange(1, len(edges) + 1), len(rows)),
                  "last_base": np.tile(edges, len(rows)), "p_wt": p_wt.ravel()}).to_csv(
        sm.output.table, sep="\t", index=False)
    plot_temporal_scores(p_wt, edges, test["name"][rows], test["label"][rows],
                         Path(sm.output.figure[0]).with_suffix(""), test["codes"].shape[1])


main(snakemake)  # noqa: F821
