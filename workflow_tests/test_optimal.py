"""Class-optimal sequences: a hand-set detector of a planted JASPAR motif must get it back."""

from __future__ import annotations

import runpy
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import torch
from torch import nn

from wtko.matching import MATCH_COLUMNS
from wtko.models import build_model, save_model
from wtko.motifs.jaspar import jaspar_annotation, jaspar_motifs
from wtko.motifs.meme_format import read_meme, write_meme
from wtko.motifs.tomtom import tomtom_builtin
from wtko.optimal import (extract_motifs, logo_window, motif_table, optimise, position_scores,
                          save_optimal, top_windows)

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"
PLANTED = "MA0107.1"  # RELA, consensus GGGAATTTCC


@pytest.fixture(scope="module")
def jaspar():
    return jaspar_motifs("JASPAR2022")


@pytest.fixture(scope="module")
def rela(jaspar):
    return next(m for m in jaspar if m.id == PLANTED)


def pwm(motif) -> torch.Tensor:
    """(4, W) log2-odds against a uniform background."""
    return torch.tensor(np.log2(motif.probs / 0.25).T, dtype=torch.float32)


class Detector(nn.Module):
    """One PWM filter, global max; logit_WT = +max score, logit_KO = -max score."""

    def __init__(self, weights: torch.Tensor):
        super().__init__()
        self.conv = nn.Conv1d(4, 1, weights.shape[1])
        self.fc = nn.Linear(1, 2)
        with torch.no_grad():
            self.conv.weight[0] = weights
            self.conv.bias.zero_()
            self.fc.weight[:] = torch.tensor([[-1.0], [1.0]])
            self.fc.bias.zero_()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(self.conv(x).amax(dim=2))


def sequences(probs: np.ndarray) -> list[str]:
    return ["".join("ACGT"[i] for i in p.argmax(axis=0)) for p in probs]


def best_pwm_score(seq: str, weights: torch.Tensor) -> float:
    onehot = torch.nn.functional.one_hot(torch.tensor(["ACGT".index(b) for b in seq]), 4).T.float()
    return float(torch.nn.functional.conv1d(onehot[None], weights[None]).max())


def test_wt_optimum_carries_the_planted_motif_and_tomtom_names_it(rela, jaspar):
    model = Detector(pwm(rela))
    wt = optimise(model, 1, 80, restarts=3, steps=150, lr=0.1, l2=0.01, seed=0)
    ko = optimise(model, 0, 80, restarts=3, steps=150, lr=0.1, l2=0.01, seed=0)
    assert wt.probs.shape == (3, 4, 80) and wt.logits.shape == (3, 2) and wt.contributions.shape == (3, 80)
    np.testing.assert_allclose(wt.probs.sum(axis=1), 1, atol=1e-5)
    assert all(rela.consensus in s for s in sequences(wt.probs))
    # The detector's best site: the KO optimum avoids the motif, the WT one nearly maxes it.
    top = float(pwm(rela).max(dim=0).values.sum())
    assert all(best_pwm_score(s, pwm(rela)) == pytest.approx(top, abs=1e-4) for s in sequences(wt.probs))
    assert all(best_pwm_score(s, pwm(rela)) < 0 for s in sequences(ko.probs))
    # The L2 penalty flattens every position the class logit ignores.
    info = position_scores(wt, "information")[wt.best]
    start = sequences(wt.probs)[wt.best].index(rela.consensus)
    assert info[start:start + 10].mean() > 1.0 > 0.1 > np.delete(info, range(start - 1, start + 11)).mean()

    motifs = extract_motifs(wt, width=12, top_k=2)
    assert [m.meta["class"] for m in motifs] == ["WT"] * len(motifs) and motifs[0].name == "WT"
    firsts = [m for m in motifs if m.id.endswith("_m0")]
    assert len(firsts) == 3 and all(rela.consensus in m.consensus for m in firsts)
    hits = tomtom_builtin(firsts, jaspar, thresh=0.5)
    family = {m.id: m.meta["family"] for m in jaspar}
    for m in firsts:
        best = hits[hits.query_id == m.id].iloc[0]
        assert family[best.target_id] == rela.meta["family"] and best.q_value < 0.05, best


def test_gradient_x_input_also_finds_the_site_and_is_the_default(rela):
    wt = optimise(Detector(pwm(rela)), 1, 60, restarts=2, steps=120, seed=3)
    for r, seq in enumerate(sequences(wt.probs)):
        start = seq.index(rela.consensus)
        assert top_windows(wt.contributions[r], 10, 1)[0][0] == start
    default, explicit = extract_motifs(wt, 10, 1), extract_motifs(wt, 10, 1, "grad_x_input")
    assert [m.meta["start"] for m in default] == [m.meta["start"] for m in explicit]
    lo, hi = logo_window(wt, 30)
    assert hi - lo == 30 and lo <= default[wt.best].meta["start"] <= hi - 10


def test_optimisation_is_deterministic_and_follows_its_seed(rela):
    model = Detector(pwm(rela))
    a = optimise(model, 1, 50, restarts=2, steps=40, seed=5)
    b = optimise(model, 1, 50, restarts=2, steps=40, seed=5)
    c = optimise(model, 1, 50, restarts=2, steps=40, seed=6)
    for key in ("probs", "logits", "objective", "contributions"):
        np.testing.assert_array_equal(getattr(a, key), getattr(b, key))
    assert not np.array_equal(a.probs, c.probs)
    assert all(p.grad is None for p in model.parameters())  # only the input was optimised


def test_top_windows_are_greedy_non_overlapping_and_positive():
    scores = np.zeros(30)
    scores[[2, 3, 4]] = 1.0
    scores[[6, 7]] = 2.0
    scores[20] = 0.5
    scores[25:] = -1
    windows = top_windows(scores, 3, 5)
    assert windows[0] == (5, 4.0)  # 6-7 (+ one free neighbour, leftmost start)
    starts = [s for s, _ in windows]
    assert all(abs(a - b) >= 3 for i, a in enumerate(starts) for b in starts[i + 1:])
    assert all(v > 0 for _, v in windows) and len(windows) < 5
    with pytest.raises(ValueError):
        top_windows(scores, 31, 1)
    with pytest.raises(ValueError):
        position_scores(optimise(Detector(torch.ones(4, 3)), 1, 10, 1, 2), "nonsense")


def test_tables_and_npz(rela, tmp_path):
    model = Detector(pwm(rela))
    results = [optimise(model, t, 40, restarts=2, steps=30) for t in (1, 0)]
    motifs = [m for r in results for m in extract_motifs(r, 12, 2)]
    table = motif_table(motifs)
    assert list(table.columns[:6]) == ["motif_id", "class", "restart", "start", "end", "consensus"]
    assert set(table["class"]) == {"WT", "KO"} and (table["end"] - table["start"] == 12).all()
    save_optimal(tmp_path / "o.npz", results, l2=0.01, score="grad_x_input")
    with np.load(tmp_path / "o.npz") as npz:
        assert npz["classes"].tolist() == ["WT", "KO"] and npz["WT_probs"].shape == (2, 4, 40)
        assert str(npz["param_score"]) == "grad_x_input"


def _detector_checkpoint(path: Path, weights: torch.Tensor, val_acc: float) -> None:
    """A registered explainn whose single unit scores ``weights`` (0.4 x: exp is clamped at 10), pushing WT."""
    torch.manual_seed(0)
    model = build_model("explainn", n_units=1, kernel_size=weights.shape[1], bins=2, hidden=2, dropout=0.0)
    with torch.no_grad():
        model.conv.weight[0] = 0.4 * weights
        model.heads.bias1.zero_()  # every hidden unit alive, even for a site-free start
        model.final.weight[:] = torch.tensor([[-1.0], [1.0]])
        model.final.bias.zero_()
    save_model(path, model.eval(), "explainn", val_acc=val_acc)


def test_rule_script_writes_every_output(rela, jaspar, tmp_path):
    _detector_checkpoint(tmp_path / "s1.pt", torch.zeros(4, 10), val_acc=0.6)  # worse seed: flat filter
    # +2 per consensus base, -1 otherwise: RELA's log-odds are so negative at mismatches that exp
    # of a random start would be ~0, and so would every gradient.
    kmer = torch.from_numpy(3 * np.eye(4, dtype=np.float32)[["ACGT".index(b) for b in rela.consensus]].T - 1)
    _detector_checkpoint(tmp_path / "s2.pt", kmer, val_acc=0.9)
    db = [m for m in jaspar if m.id == PLANTED or m.id < "MA0060"]
    write_meme(db, tmp_path / "db.meme")
    jaspar_annotation(db).to_csv(tmp_path / "annotation.tsv", sep="\t", index=False)
    out = tmp_path / "optimal"
    out.mkdir()
    cfg = dict(restarts=2, steps=120, lr=0.1, l2=0.01, seed=0, init_std=1.0, length=None, width=12,
               top_k=2, score="grad_x_input", logo_width=30)
    sm = SimpleNamespace(
        input=SimpleNamespace(models=[str(tmp_path / "s1.pt"), str(tmp_path / "s2.pt")],
                              db=str(tmp_path / "db.meme"), annotation=str(tmp_path / "annotation.tsv")),
        output=SimpleNamespace(npz=str(out / "optimal_sequences.npz"), meme=str(out / "motifs.meme"),
                               motifs=str(out / "motifs.tsv"), tomtom=str(out / "tomtom.tsv"),
                               logos=str(out / "logos")),
        params=SimpleNamespace(cfg=cfg, comparison=dict(engine="builtin", thresh=0.5, report_q=0.05),
                               seeds=[1, 2], window=60),
        threads=1, log=[str(tmp_path / "optimal.log")])
    runpy.run_path(str(SCRIPTS / "optimal_sequences.py"), init_globals={"snakemake": sm})
    assert "seed 2" in (tmp_path / "optimal.log").read_text()
    table = pd.read_csv(out / "motifs.tsv", sep="\t")
    wt = table[table["class"] == "WT"]
    assert len(wt) and all(rela.consensus in c for c in wt.loc[wt.motif_id.str.endswith("_m0"), "consensus"])
    meme = read_meme(out / "motifs.meme")
    assert [m.id for m in meme] == table["motif_id"].tolist() and {m.name for m in meme} == {"WT", "KO"}
    tomtom = pd.read_csv(out / "tomtom.tsv", sep="\t")
    assert list(tomtom.columns) == ["cluster", *MATCH_COLUMNS]  # as motifs/saliency/tomtom.tsv
    best = tomtom[tomtom.query_id == "WT_r0_m0"].iloc[0]
    assert best.target_id == PLANTED and best.cluster == "WT"
    assert (out / "logos" / "optimal_WT.svg").exists() and (out / "logos" / "WT_r0_m0.png").exists()
    with np.load(out / "optimal_sequences.npz") as npz:
        assert npz["WT_probs"].shape == (2, 4, 60) and int(npz["param_model_seed"]) == 2

    sm.params.cfg = cfg | {"width": 61}
    with pytest.raises(SystemExit):
        runpy.run_path(str(SCRIPTS / "optimal_sequences.py"), init_globals={"snakemake": sm})
