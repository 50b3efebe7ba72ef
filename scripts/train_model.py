"""Snakemake script (rule train_model): train one seed and predict its test split.

Writes model.pt (best-by-validation weights + model config), history.tsv and
the test predictions. A training-state file next to model.pt lets a preempted
job resume; it is removed once the outputs exist.
"""

from pathlib import Path

from wtko import logs
from wtko.data import load_encoded, subset
from wtko.metrics import predictions_table
from wtko.models import build_model, save_model
from wtko.train import predict_proba, resolve_device, seed_everything, select_epoch, train


def main(sm) -> None:
    log = logs.setup(sm.log[0])
    cfg = {**sm.params.training, "threads": sm.threads}
    seed = int(sm.wildcards.seed)
    device = resolve_device(cfg["device"])
    log.info("dataset %s seed %d on %s with %s", sm.wildcards.dataset, seed, device, cfg)
    with logs.user_errors(log):
        data = load_encoded(sm.input[0])
        model = build_model(cfg["model"])
    seed_everything(seed, device)
    state_path = Path(sm.output.model).with_name("train_state.pt")
    history, best_state = train(model, data, cfg, seed, device, log, checkpoint_path=state_path)
    chosen = history.iloc[select_epoch(history["val_loss"].tolist()) - 1]
    save_model(sm.output.model, model, cfg["model"], state_dict=best_state,
               epoch=int(chosen["epoch"]), seed=seed, val_loss=float(chosen["val_loss"]),
               val_acc=float(chosen["val_acc"]), epochs_run=len(history))
    history.to_csv(sm.output.history, sep="\t", index=False)
    model.load_state_dict(best_state)
    test = subset(data, "test")
    p_wt = predict_proba(model, test["codes"], device)
    predictions_table(test["name"], test["chrom"], test["label"], p_wt).to_csv(
        sm.output.predictions, sep="\t", index=False)
    state_path.unlink(missing_ok=True)


main(snakemake)  # noqa: F821
