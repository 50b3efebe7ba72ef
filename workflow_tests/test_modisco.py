"""TF-MoDISco on synthetic attributions with planted JASPAR motifs (CTCF in WT, GATA1 in KO)."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path
from types import SimpleNamespace

import h5py
import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from modisco_scaling import KO_MOTIF, WT_MOTIF, planted_attributions  # noqa: E402
from wtko import modisco  # noqa: E402
from wtko.errors import InputError  # noqa: E402
from wtko.matching import MATCH_COLUMNS  # noqa: E402
from wtko.motifs.jaspar import jaspar_annotation, write_jaspar_meme  # noqa: E402
from wtko.motifs.meme_format import read_meme  # noqa: E402

N_SEQS = 400
CFG = {"attribution": "deeplift_shap", "max_seqlets_per_metacluster": 2000, "sliding_window_size": 20,
       "flank_size": 5, "target_seqlet_fdr": 0.05, "min_metacluster_size": 100, "trim_to_window_size": 30,
       "initial_flank_to_add": 10, "final_flank_to_add": 0, "final_min_cluster_size": 20,
       "n_leiden_runs": 2, "window": None, "trim_threshold": 0.3, "report": "simple", "report_matches": 3}
COMPARISON = {"engine": "builtin", "database": "JASPAR2022", "thresh": 0.5, "report_q": 0.05}


@pytest.fixture(scope="module")
def planted():
    return planted_attributions(N_SEQS, length=200, seed=0)


@pytest.fixture(scope="module")
def motif_db(tmp_path_factory):
    d = tmp_path_factory.mktemp("db")
    motifs = write_jaspar_meme(d / "target.meme", "JASPAR2022")
    jaspar_annotation(motifs).to_csv(d / "annotation.tsv", sep="\t", index=False)
    return d / "target.meme", d / "annotation.tsv"


def write_inputs(d: Path, x: np.ndarray, hyp: np.ndarray, labels: np.ndarray) -> tuple[Path, Path]:
    """encoded.npz (8 training rows first, then the test rows) and an attributions npz in reverse order."""
    codes = np.where(x.sum(axis=1) > 0, x.argmax(axis=1), 4).astype(np.uint8)
    n_train = 8
    names = np.array([f"peak{i}" for i in range(n_train + len(x))])
    np.savez(d / "encoded.npz", codes=np.vstack([codes[:n_train], codes]),
             label=np.concatenate([labels[:n_train], labels]),
             split=np.array(["train"] * n_train + ["test"] * len(x)), name=names,
             chrom=np.array(["chr1"] * (n_train + len(x))))
    rev = np.arange(len(x))[::-1]
    np.savez(d / "attributions.npz", names=names[n_train:][rev], labels=labels[rev],
             preds=labels[rev], method=np.array("synthetic"), target=np.array("wt_log_odds"),
             hypothetical=hyp[rev], contributions=(hyp * x)[rev], profiles=(hyp * x).sum(axis=1)[rev])
    return d / "encoded.npz", d / "attributions.npz"


def run_script(d: Path, encoded: Path, attributions: Path, db: tuple[Path, Path], cfg: dict | None = None):
    out = d / "modisco"
    sm = SimpleNamespace(
        input=SimpleNamespace(attributions=str(attributions), encoded=str(encoded), db=str(db[0]),
                              annotation=str(db[1])),
        output=SimpleNamespace(h5=str(out / "modisco_results.h5"), meme=str(out / "patterns.meme"),
                               patterns=str(out / "patterns.tsv"), tomtom=str(out / "tomtom.tsv"),
                               logos=str(out / "logos"), report=str(out / "report")),
        params=SimpleNamespace(cfg=cfg or CFG, comparison=COMPARISON), threads=2,
        wildcards=SimpleNamespace(dataset="toy"), log=[str(d / "modisco.log")])
    out.mkdir()
    runpy.run_path(str(ROOT / "scripts" / "modisco.py"), init_globals={"snakemake": sm})
    return out


@pytest.fixture(scope="module")
def script_run(tmp_path_factory, planted, motif_db):
    d = tmp_path_factory.mktemp("run")
    encoded, attributions = write_inputs(d, *planted)
    return run_script(d, encoded, attributions, motif_db), d / "modisco.log"


def test_layout_and_window():
    x = np.arange(2 * 4 * 10, dtype=np.float32).reshape(2, 4, 10)
    y = modisco.to_modisco_layout(x, window=4)
    assert y.shape == (2, 4, 4) and y.flags.c_contiguous
    assert modisco.central_window(10, 4) == (3, 7) and modisco.central_window(10, None) == (0, 10)
    np.testing.assert_array_equal(y[1, 0], x[1, :, 3])


def test_trim_and_direction():
    cwm = np.zeros((10, 4))
    cwm[3:6, 0] = [0.5, 1.0, 0.4]
    cwm[8, 1] = 0.1
    assert modisco.trim_bounds(cwm, 0.3) == (3, 6)
    assert modisco.direction("pos_patterns", 1.2) == "WT" and modisco.direction("neg_patterns", -1) == "KO"
    assert modisco.direction("pos_patterns", -0.5) == "unclear"


def test_finds_planted_motifs_with_their_direction(script_run):
    out, _ = script_run
    table = pd.read_csv(out / "patterns.tsv", sep="\t")
    assert list(table.columns) == modisco.PATTERN_COLUMNS
    ctcf = table[table["best_target_id"] == WT_MOTIF]
    assert len(ctcf) >= 1, table.to_string()
    row = ctcf.iloc[0]
    assert row["metacluster"] == "pos_patterns" and row["direction"] == "WT" and row["mean_contribution"] > 0
    assert row["wt_share"] > 0.95 and row["best_q_value"] < 0.05 and 15 <= row["width"] <= 25
    gata = table[table["best_target_name"].str.startswith("GATA")]
    assert len(gata) >= 1 and (gata["direction"] == "KO").all() and (gata["ko_share"] > 0.95).all()
    assert (gata["metacluster"] == "neg_patterns").all()
    matches = pd.read_csv(out / "tomtom.tsv", sep="\t")
    assert list(matches.columns) == ["cluster"] + MATCH_COLUMNS
    best = matches.sort_values("p_value").drop_duplicates("query_id").set_index("query_id")
    assert best.loc[row["pattern_id"], "target_id"] == WT_MOTIF
    assert best.loc[row["pattern_id"], "target_name"] == "CTCF"


def test_meme_round_trips_and_logos_and_report(script_run):
    out, log = script_run
    table = pd.read_csv(out / "patterns.tsv", sep="\t")
    motifs = read_meme(out / "patterns.meme")
    assert [m.id for m in motifs] == table["pattern_id"].tolist()
    assert [m.consensus for m in motifs] == table["consensus"].tolist()
    assert [m.nsites for m in motifs] == table["n_seqlets"].tolist()
    with h5py.File(out / "modisco_results.h5") as h5:
        p0 = h5["pos_patterns/pattern_0"]
        start, end = modisco.trim_bounds(p0["contrib_scores"][:], CFG["trim_threshold"])
        ppm = p0["sequence"][start:end]
        assert h5.attrs["wtko_sliding_window_size"] == 20 and h5.attrs["window_size"] == 200
    np.testing.assert_allclose(motifs[0].probs, ppm / ppm.sum(axis=1, keepdims=True), atol=1e-6)
    for pid in table["pattern_id"]:
        assert (out / "logos" / f"{pid}.png").stat().st_size > 0 and (out / "logos" / f"{pid}.svg").exists()
    report = (out / "report" / "motifs.html").read_text()
    assert "pos_patterns.pattern_0" in report and f"{WT_MOTIF} CTCF" in report
    text = log.read_text()
    assert "seqlets of 20 bp + 5 bp flanks (30 bp)" in text and "pos_patterns:" in text


def test_descriptive_report(script_run, tmp_path, motif_db):
    out, _ = script_run
    one = tmp_path / "one.h5"
    with h5py.File(out / "modisco_results.h5") as src, h5py.File(one, "w") as dst:
        src.copy("pos_patterns/pattern_0", dst.require_group("pos_patterns"), name="pattern_0")
    path = modisco.write_report(one, tmp_path / "report", motif_db[0], kind="descriptive", n_examples=1)
    assert path.name == "report.html" and f"{WT_MOTIF} CTCF" in path.read_text()


def test_seqlet_cap_is_honoured_and_runs_are_deterministic(planted):
    x, hyp, _ = planted
    cap = 120
    params = modisco.ModiscoParams(max_seqlets_per_metacluster=cap)
    first = modisco.run_modisco(x, hyp, params, threads=2)
    assert first.found["pos_patterns"] > 2 * cap and first.used["pos_patterns"] == cap
    assert 0 < sum(len(p.seqlets) for p in first.pos_patterns) <= cap
    assert sum(len(p.seqlets) for p in first.neg_patterns or []) <= cap
    again = modisco.run_modisco(x, hyp, params, threads=2)
    assert len(again.pos_patterns) == len(first.pos_patterns)
    for a, b in zip(first.pos_patterns + (first.neg_patterns or []), again.pos_patterns + (again.neg_patterns or [])):
        np.testing.assert_array_equal(a.sequence, b.sequence)
        assert [str(s) for s in a.seqlets] == [str(s) for s in b.seqlets]


def test_uncapped_run_uses_more_seqlets_than_the_cap(script_run):
    out, _ = script_run
    table = pd.read_csv(out / "patterns.tsv", sep="\t")
    assert table.loc[table["metacluster"] == "pos_patterns", "n_seqlets"].sum() > 120


def test_too_few_seqlets_give_empty_valid_outputs(tmp_path, motif_db):
    x, hyp, labels = planted_attributions(30, length=200, seed=3)
    encoded, attributions = write_inputs(tmp_path, x, hyp, labels)
    out = run_script(tmp_path, encoded, attributions, motif_db)
    assert read_meme(out / "patterns.meme") == []
    assert modisco.read_patterns(out / "modisco_results.h5") == []
    table = pd.read_csv(out / "patterns.tsv", sep="\t")
    assert table.empty and list(table.columns) == modisco.PATTERN_COLUMNS
    matches = pd.read_csv(out / "tomtom.tsv", sep="\t")
    assert matches.empty and list(matches.columns) == ["cluster"] + MATCH_COLUMNS
    assert (out / "logos").is_dir() and "no patterns" in (out / "report" / "motifs.html").read_text()
    assert "not more than min_metacluster_size=100" in (tmp_path / "modisco.log").read_text()
    zero = modisco.run_modisco(x, np.zeros_like(hyp), modisco.ModiscoParams())
    assert zero.n_patterns == 0 and zero.pos_patterns is None


def test_bad_inputs_are_refused(tmp_path):
    x, hyp, _ = planted_attributions(4, length=100, seed=0)
    with pytest.raises(InputError, match="not the same"):
        modisco.check_inputs(x, hyp[:, :, :50])
    hyp[0, 0, 0] = np.nan
    with pytest.raises(InputError, match="NaN"):
        modisco.check_inputs(x, hyp)
    with pytest.raises(InputError, match="not among the encoded"):
        modisco.align_one_hot(np.array(["a", "zz"]), np.array(["a", "b"]), x[:2], np.array([1, 0]))
    np.savez(tmp_path / "a.npz", names=np.array(["a"]))
    with pytest.raises(InputError, match="lacks"):
        modisco.load_attributions(tmp_path / "a.npz")
