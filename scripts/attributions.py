"""Rule script: attributions of the WT log-odds by one method, from the best seed or the mean over seeds."""

import torch

from wtko import logs
from wtko.attributions import attribute, save_attributions
from wtko.attributions.deeplift import relative_delta
from wtko.data import load_encoded, subset
from wtko.encode import one_hot
from wtko.models import load_model
from wtko.train import best_seed, resolve_device

log = logs.setup(snakemake.log[0])
cfg = snakemake.params.cfg
method = snakemake.wildcards.method
torch.set_num_threads(snakemake.threads)
device = resolve_device("auto")
with logs.user_errors(log):
    loaded = {int(s): load_model(p, map_location=device)
              for s, p in zip(snakemake.params.seeds, snakemake.input.models)}
    data = load_encoded(snakemake.input.encoded)
    if cfg["sequences"] == "test":
        data = subset(data, "test")
    x = one_hot(data["codes"])
    if cfg["model"] == "best":
        seed = best_seed({s: ckpt["val_acc"] for s, (_, ckpt) in loaded.items()})
        models = [loaded[seed][0]]
        log.info("%s from seed %d, best validation accuracy %.4f", method, seed, loaded[seed][1]["val_acc"])
    else:
        models = [m for m, _ in loaded.values()]
        log.info("%s of the mean log-odds over seeds %s", method, sorted(loaded))
    options = dict(cfg.get(method, {}))  # the schema's keys are the method's options
    log.info("%d %s sequences, options %s, batch size %d, device %s", len(x), cfg["sequences"], options,
             cfg["batch_size"], device)
    result = attribute(models, x, method, batch_size=cfg["batch_size"], device=str(device), **options)
    if "deltas" in result:
        log.info("convergence deltas: max |delta| = %.3g of the mean |f(x) - f(baseline)|",
                 relative_delta(result["deltas"], result["output_diffs"]))
    save_attributions(snakemake.output.attributions, result, data["name"], data["label"], method)
log.info("%d sequences, %d predicted as labelled", len(x), int((result["preds"] == data["label"]).sum()))
