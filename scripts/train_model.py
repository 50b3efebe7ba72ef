"""Rule script (train_model, train_baseline, shuffled_control): one model, one seed, its test predictions.

Every architecture goes through the same loop, splits, seeds and early
stopping (``wtko.train.train``); the model is named in ``params.model`` and built with
``params.model_kwargs`` (config ``baselines.<name>``). With ``params.shuffle``
the training labels are permuted first (the shuffled-label control, see
``wtko.controls``); validation and test labels stay true.
"""

from pathlib import Path

from wtko import logs
from wtko.controls import permute_labels
from wtko.data import load_encoded, subset
from wtko.errors import InputError
from wtko.metrics import predictions_table
from wtko.models import build_model, save_model
from wtko.train import predict_proba, resolve_device, seed_everything, select_epoch, train


def main(sm) -> None:
    log = logs.setup(sm.log[0])
    cfg = {**sm.params.training, "threads": sm.threads}
    name, kwargs, seed = sm.params.model, dict(sm.params.model_kwargs), int(sm.wildcards.seed)
    device = resolve_device(cfg["device"])
    log.info("dataset %s model %s %s seed %d on %s, shuffled training labels: %s",
             sm.wildcards.dataset, name, kwargs, seed, device, sm.params.shuffle)
    with logs.user_errors(log):
        data = load_encoded(sm.input[0])
        seed_everything(seed, device)  # initial weights follow the seed
        try:
            model = build_model(name, **kwargs)
        except TypeError as exc:
            raise InputError("config", f"model {name}: {exc}",
                             "see the model's docstring in scripts/wtko/models/") from None
    if sm.params.shuffle:
        data = {**data, "label": permute_labels(data["label"], data["split"], seed)}
    state_path = Path(sm.output.model).with_name("train_state.pt")
    history, best_state = train(model, data, cfg, seed, device, log, checkpoint_path=state_path)
    chosen = history.iloc[select_epoch(history["val_loss"].tolist()) - 1]
    save_model(sm.output.model, model, name, state_dict=best_state, epoch=int(chosen["epoch"]),
               seed=seed, val_loss=float(chosen["val_loss"]), val_acc=float(chosen["val_acc"]),
               epochs_run=len(history), train_seconds=float(history["seconds"].sum()))
    history.to_csv(sm.output.history, sep="\t", index=False)
    model.load_state_dict(best_state)
    test = subset(data, "test")
    predictions_table(test["name"], test["chrom"], test["label"],
                      predict_proba(model, test["codes"], device)).to_csv(
        sm.output.predictions, sep="\t", index=False)
    state_path.unlink(missing_ok=True)


main(snakemake)  # noqa: F821
