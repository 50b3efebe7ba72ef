"""Rule script: saliency profiles of every test sequence, from the best-by-validation seed or all seeds."""

from pathlib import Path

import torch

from wtko import logs
from wtko.data import load_encoded, subset
from wtko.encode import one_hot
from wtko.models import load_model
from wtko.plots.saliency import plot_saliency_maps
from wtko.saliency import input_gradients, mean_over_models, reduce_gradients, save_saliency
from wtko.train import best_seed, resolve_device

log = logs.setup(snakemake.log[0])
cfg = snakemake.params.cfg
torch.set_num_threads(snakemake.threads)
device = resolve_device("auto")
loaded = {int(s): load_model(p, map_location=device) for s, p in zip(snakemake.params.seeds, snakemake.input.models)}
test = subset(load_encoded(snakemake.input.encoded), "test")
x = one_hot(test["codes"])
if cfg["model"] == "best":
    seed = best_seed({s: ckpt["val_acc"] for s, (_, ckpt) in loaded.items()})
    model = loaded[seed][0]
    log.info("saliency (%s) from seed %d, best validation accuracy %.4f", cfg["method"], seed,
             loaded[seed][1]["val_acc"])
    grads, preds = input_gradients(model, x, batch_size=cfg["batch_size"], device=str(device))
    profiles = reduce_gradients(grads, x, cfg["method"])
else:
    log.info("saliency (%s) averaged over seeds %s", cfg["method"], sorted(loaded))
    profiles, preds = mean_over_models([m for m, _ in loaded.values()], x, method=cfg["method"],
                                       batch_size=cfg["batch_size"], device=str(device))
save_saliency(snakemake.output.saliency, profiles, test["name"], test["label"], preds, cfg["method"])
plot_saliency_maps(profiles, test["codes"], test["name"], test["label"],
                   Path(snakemake.output.maps[0]).with_suffix(""), preds=preds)
log.info("%d test sequences, %d correct", len(preds), int((preds == test["label"]).sum()))
