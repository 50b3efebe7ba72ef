"""Rule script: class-optimal sequences of the best-by-validation seed, their motifs, TOMTOM, logos."""

from pathlib import Path

import torch

from wtko import logs, matching, optimal
from wtko.engines import resolve_engine
from wtko.errors import InputError
from wtko.models import load_model
from wtko.motifs.meme_format import write_meme
from wtko.plots.logos import plot_logo
from wtko.train import best_seed, resolve_device


def main(sm) -> None:
    log = logs.setup(sm.log[0])
    cfg, mcfg = sm.params.cfg, sm.params.comparison
    torch.set_num_threads(sm.threads)
    device = resolve_device("auto")
    length = int(cfg["length"] or sm.params.window)
    with logs.user_errors(log):
        if cfg["width"] > length:
            raise InputError("config", f"optimal.width {cfg['width']} exceeds the input length {length}",
                             "set optimal.width below optimal.length (or the dataset's window)")
        engine = resolve_engine(mcfg["engine"], "tomtom", log=log.info, key="motif_comparison.engine")
    loaded = {int(s): load_model(p, map_location=device) for s, p in zip(sm.params.seeds, sm.input.models)}
    seed = best_seed({s: ckpt["val_acc"] for s, (_, ckpt) in loaded.items()})
    model = loaded[seed][0]
    log.info("class-optimal sequences of seed %d (best validation accuracy %.4f): %d bp, %d restarts, "
             "%d Adam steps, lr %g, l2 %g, seed %d", seed, loaded[seed][1]["val_acc"], length,
             cfg["restarts"], cfg["steps"], cfg["lr"], cfg["l2"], cfg["seed"])
    results = [optimal.optimise(model, target, length, cfg["restarts"], cfg["steps"], cfg["lr"], cfg["l2"],
                                cfg["seed"], cfg["init_std"], device) for target in (1, 0)]
    for r in results:
        log.info("%s: objective per restart %s; logits (KO, WT) of the best %s", r.name,
                 r.objective.round(3).tolist(), r.logits[r.best].round(3).tolist())
    optimal.save_optimal(sm.output.npz, results, model_seed=seed, length=length,
                         **{k: cfg[k] for k in ("restarts", "steps", "lr", "l2", "seed", "init_std", "score")})

    motifs = [m for r in results for m in optimal.extract_motifs(r, cfg["width"], cfg["top_k"], cfg["score"])]
    write_meme(motifs, sm.output.meme)
    optimal.motif_table(motifs).to_csv(sm.output.motifs, sep="\t", index=False)
    logo_dir = Path(sm.output.logos)
    logo_dir.mkdir(parents=True, exist_ok=True)
    for r in results:
        start, end = optimal.logo_window(r, cfg["logo_width"], cfg["score"])
        plot_logo(r.probs[r.best, :, start:end].T, logo_dir / f"optimal_{r.name}",
                  f"{r.name}-optimal sequence, restart {r.best}, bp {start + 1}-{end} of {length}")
    for m in motifs:
        plot_logo(m.probs, logo_dir / m.id, f"{m.id} ({m.consensus}, score {m.meta['score']:.2f})")

    matches = matching.match_table(motifs, sm.input.db, sm.input.annotation, engine, mcfg["thresh"],
                                   Path(sm.output.tomtom).parent / "work", sm.log[0],
                                   {m.id: m.meta["class"] for m in motifs})
    matches.to_csv(sm.output.tomtom, sep="\t", index=False)
    log.info("%d motifs (WT %d, KO %d); %d TOMTOM matches, %d with q < %g", len(motifs),
             sum(m.meta["class"] == "WT" for m in motifs), sum(m.meta["class"] == "KO" for m in motifs),
             len(matches), int((matches["q_value"] < mcfg["report_q"]).sum()), mcfg["report_q"])


main(snakemake)  # noqa: F821
