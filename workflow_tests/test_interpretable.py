"""The interpretable units network (explainn): shapes, checkpoints, a planted motif per class, unit export."""

from __future__ import annotations

import logging
import runpy
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import torch
import yaml

from wtko.data import one_hot_batch, subset
from wtko.encode import one_hot, to_codes
from wtko.interpretable import UNIT_COLUMNS, ranked, unit_motifs, unit_table
from wtko.matching import MATCH_COLUMNS
from wtko.models import MODELS, build_model, load_model, save_model
from wtko.models.explainn import ExplaiNN
from wtko.motifs.jaspar import jaspar_annotation, jaspar_motifs
from wtko.motifs.meme_format import read_meme, write_meme
from wtko.train import predict_proba, seed_everything, train

ROOT = Path(__file__).resolve().parents[1]
CPU = torch.device("cpu")
WT_KMER, KO_KMER = "GGGAATTTCC", "CCACGCGTGA"  # RELA-like for WT; an unrelated 10-mer for KO
SMALL = dict(n_units=8, kernel_size=12, bins=4, hidden=8)


def _batch(n: int = 3, length: int = 600, seed: int = 0) -> torch.Tensor:
    return one_hot_batch(torch.randint(0, 5, (n, length), generator=torch.Generator().manual_seed(seed)))


def planted_data(n: int = 480, length: int = 100, seed: int = 0) -> dict[str, np.ndarray]:
    """Random windows; each WT window carries WT_KMER and each KO window KO_KMER, at a random place."""
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, 4, (n, length)).astype(np.uint8)
    label = (np.arange(n) % 2).astype(np.uint8)
    for i in range(n):
        site = to_codes([WT_KMER if label[i] else KO_KMER])[0]
        start = rng.integers(0, length - len(site))
        codes[i, start:start + len(site)] = site
    split = np.array(["train"] * (n * 3 // 5) + ["val"] * (n // 5) + ["test"] * (n - n * 4 // 5))
    return {"codes": codes, "label": label, "split": split, "name": np.array([f"p{i}" for i in range(n)]),
            "chrom": np.where(split == "test", "chr6", "chr1")}


def train_cfg(**overrides) -> dict:
    return dict(epochs=12, patience=12, batch_size=32, grad_accum=1, lr=1e-2, weight_decay=0.0,
                device="cpu", amp=False, threads=2) | overrides


@pytest.fixture(scope="module")
def trained():
    data = planted_data()
    seed_everything(1, CPU)
    model = build_model("explainn", **SMALL)
    history, best = train(model, data, train_cfg(), 1, CPU, logging.getLogger("t"))
    model.load_state_dict(best)
    return model.eval(), data, history


def kmer_match(motif, kmer: str) -> float:
    """Best mean probability of ``kmer``'s bases over the motif's offsets (1 = the motif spells it)."""
    target = one_hot(to_codes([kmer]))[0].T  # (k, 4)
    k = len(kmer)
    return max(float((motif.probs[o:o + k] * target).sum(axis=1).mean()) for o in range(motif.width - k + 1))


@pytest.mark.parametrize("length", [600, 200, 40])
def test_logits_shape_and_units(length):
    torch.manual_seed(0)
    model = build_model("explainn").eval()
    x = _batch(length=length)
    assert model(x).shape == (3, 2) and model.units(x).shape == (3, 32)
    assert model.unit_effects().shape == (32,)
    torch.testing.assert_close(model(x), model.final(model.units(x)))
    assert sum(p.numel() for p in model.parameters()) < 10_000
    with pytest.raises(ValueError):
        build_model("explainn", activation="tanh")


def test_units_are_monotone_in_their_activations():
    torch.manual_seed(0)
    model = build_model("explainn", n_units=4, bins=3, hidden=5)
    model.train()
    model(_batch(16, 100))  # BatchNorm statistics
    model.eval()
    assert not any(isinstance(m, torch.nn.BatchNorm1d) and m.affine for m in model.modules())
    pooled = torch.rand(50, 4, 3)
    more = pooled + torch.rand(50, 4, 3)
    assert (model.unit_norm(model.heads(more)) >= model.unit_norm(model.heads(pooled))).all()
    # a one-sequence micro-batch in training mode does not crash BatchNorm
    model.train()
    assert model(_batch(1, 100)).shape == (1, 2)


def test_registry_checkpoint_round_trip(tmp_path):
    torch.manual_seed(0)
    model = build_model("explainn", **SMALL, activation="relu").eval()
    x = _batch(length=150)
    save_model(tmp_path / "m.pt", model, "explainn", val_acc=0.5)
    loaded, ckpt = load_model(tmp_path / "m.pt")  # torch.load(weights_only=True)
    assert MODELS["explainn"] is ExplaiNN and type(loaded) is ExplaiNN
    assert ckpt["model_config"] == model.config and loaded.config["activation"] == "relu"
    torch.testing.assert_close(loaded(x), model(x))


def test_schema_lists_every_registered_baseline():
    schema = yaml.safe_load((ROOT / "config/schema/config.schema.yaml").read_text())
    base = schema["$defs"]["baselines"]["properties"]
    assert set(base["models"]["items"]["enum"]) == set(MODELS) - {"wtko_cnn"}
    assert "explainn" in base


def test_planted_motifs_get_a_unit_each_with_the_right_direction(trained):
    model, data, history = trained
    test = subset(data, "test")
    acc = float(((predict_proba(model, test["codes"], CPU) > 0.5) == test["label"]).mean())
    assert acc > 0.9, history
    motifs = unit_motifs(model, one_hot(subset(data, "train")["codes"]), threshold_frac=0.5)
    assert len(motifs) == SMALL["n_units"] and all(m.width == SMALL["kernel_size"] for m in motifs)
    for kmer, direction in ((WT_KMER, "WT"), (KO_KMER, "KO")):
        best = max(motifs, key=lambda m: kmer_match(m, kmer))
        assert kmer_match(best, kmer) > 0.8, (kmer, [m.consensus for m in motifs])
        assert best.meta["direction"] == direction and best.name == direction
        assert (best.meta["weight"] > 0) == (direction == "WT")
    # The two strongest units are the two planted motifs, one per class.
    top = ranked(motifs)[:2]
    assert {m.meta["direction"] for m in top} == {"WT", "KO"}


def test_unit_export_writes_valid_meme_and_table(trained, tmp_path):
    model, data, _ = trained
    motifs = unit_motifs(model, one_hot(data["codes"]))
    with_sites = [m for m in motifs if m.meta["n_sites"] > 0]
    write_meme(with_sites, tmp_path / "units.meme")
    back = read_meme(tmp_path / "units.meme")
    assert [m.id for m in back] == [m.id for m in with_sites]
    assert [m.name for m in back] == [m.meta["direction"] for m in with_sites]
    np.testing.assert_allclose([m.probs for m in back], [m.probs for m in with_sites], atol=1e-6)
    table = unit_table(ranked(motifs))
    assert list(table.columns) == UNIT_COLUMNS and len(table) == SMALL["n_units"]
    assert table["weight"].abs().is_monotonic_decreasing
    assert (table["direction"] == np.where(table["weight"] > 0, "WT", "KO")).all()


def test_rule_script(trained, tmp_path):
    model, data, _ = trained
    np.savez(tmp_path / "encoded.npz", **data)
    save_model(tmp_path / "s1.pt", build_model("explainn", **SMALL), "explainn", val_acc=0.5)
    save_model(tmp_path / "s2.pt", model, "explainn", val_acc=0.95)
    db = [m for m in jaspar_motifs("JASPAR2022") if m.id < "MA0060" or m.id == "MA0107.1"]
    write_meme(db, tmp_path / "db.meme")
    jaspar_annotation(db).to_csv(tmp_path / "annotation.tsv", sep="\t", index=False)
    out = tmp_path / "interpretable"
    out.mkdir()
    sm = SimpleNamespace(
        input=SimpleNamespace(encoded=str(tmp_path / "encoded.npz"),
                              models=[str(tmp_path / "s1.pt"), str(tmp_path / "s2.pt")],
                              db=str(tmp_path / "db.meme"), annotation=str(tmp_path / "annotation.tsv")),
        output=SimpleNamespace(meme=str(out / "units.meme"), units=str(out / "units.tsv"),
                               tomtom=str(out / "tomtom.tsv"), logos=str(out / "logos")),
        params=SimpleNamespace(filters=dict(threshold_frac=0.5), min_information=0.5,
                               comparison=dict(engine="builtin", thresh=0.5, report_q=0.05), seeds=[1, 2]),
        threads=1, log=[str(tmp_path / "units.log")])
    runpy.run_path(str(ROOT / "scripts/interpretable_units.py"), init_globals={"snakemake": sm})
    assert "seed 2" in (tmp_path / "units.log").read_text()
    units = pd.read_csv(out / "units.tsv", sep="\t")
    assert list(units.columns) == UNIT_COLUMNS and len(units) == SMALL["n_units"]
    assert len(read_meme(out / "units.meme")) == (units["n_sites"] > 0).sum()
    tomtom = pd.read_csv(out / "tomtom.tsv", sep="\t")
    assert list(tomtom.columns) == ["cluster", *MATCH_COLUMNS]
    wt_unit = units.loc[units["consensus"].fillna("").str.contains(WT_KMER[1:-1]), "motif_id"]
    assert len(wt_unit) and "MA0107.1" in set(tomtom.loc[tomtom.query_id.isin(wt_unit), "target_id"])
    assert any(p.suffix == ".svg" for p in (out / "logos").iterdir())

    save_model(tmp_path / "s2.pt", build_model("cnn4"), "cnn4", val_acc=0.99)
    with pytest.raises(SystemExit):
        runpy.run_path(str(ROOT / "scripts/interpretable_units.py"), init_globals={"snakemake": sm})
