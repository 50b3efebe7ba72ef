"""The demo dataset: Markov background, motif planting and the written files."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from wtko.demo import markov
from wtko.demo.make import CORE, UNPLACED, make_demo
from wtko.demo.planting import SitePool, fetch_jaspar, pack_offsets, plant, sample_site
from wtko.enrichment import scan_hits
from wtko.encode import to_codes
from wtko.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "resources" / "markov_mm10_atac_order5.tsv"
TRAINING_GC = 0.4636  # shared/data/README.md
SMALL = dict(seed=3, n_chromosomes=20, chromosome_length=50_000, peaks_per_class=200,
             markov_table=TABLE, jaspar_release="JASPAR2022", motifs=None, sites_per_motif=2)
NARROWPEAK = ["chrom", "start", "end", "name", "score", "strand", "signal", "p", "q", "summit"]


def _gc_and_cpg(codes: np.ndarray) -> tuple[float, float]:
    """GC fraction and CpG observed/expected over the rows of a code array."""
    codes = np.atleast_2d(codes)
    freq = np.bincount(codes[codes < 4], minlength=4) / (codes < 4).sum()
    cpg = ((codes[:, :-1] == 1) & (codes[:, 1:] == 2)).sum() / (codes.shape[0] * (codes.shape[1] - 1))
    return freq[1] + freq[2], cpg / (freq[1] * freq[2])


def _dinucleotides(codes: np.ndarray) -> np.ndarray:
    codes = np.atleast_2d(codes)
    pairs = (codes[:, :-1].astype(int) * 4 + codes[:, 1:]).ravel()
    return np.bincount(pairs, minlength=16) / pairs.size


# --- Markov background -------------------------------------------------------------------

def test_markov_save_load_roundtrip(tmp_path):
    model = markov.fit(["ACGTTGCAacgtNNACGTAAAC"], order=2, source="toy")
    markov.save(model, tmp_path / "m.tsv", ["command: toy"])
    back = markov.load(tmp_path / "m.tsv")
    assert back.order == 2 and back.source == "toy"
    np.testing.assert_allclose(back.probs, model.probs, atol=1e-6)
    np.testing.assert_allclose(back.probs.sum(axis=1), 1)


def test_markov_fit_counts_both_strands_and_skips_n():
    model = markov.fit(["AAAAN" + "C"], order=1, pseudocount=0.0)
    # + strand: A->A three times; - strand (GNTTTT): T->T three times; pairs with N skipped
    assert model.probs[0, 0] == 1 and model.probs[3, 3] == 1
    np.testing.assert_allclose(model.probs[1], 0.25)  # no C context observed: uniform


def test_markov_load_rejects_other_files(tmp_path):
    (tmp_path / "bad.tsv").write_text("a\tb\n1\t2\n")
    with pytest.raises(InputError, match="not a Markov table"):
        markov.load(tmp_path / "bad.tsv")


def test_shipped_table_is_fitted_from_shared_data(shared_data):
    seqs = pd.read_csv(shared_data / "ebf1_ko_specific_600bp.head.tsv", sep="\t")["sequence"]
    shipped = markov.load(TABLE)
    np.testing.assert_allclose(shipped.probs, markov.fit(seqs, shipped.order).probs, atol=1e-5)


def test_sample_matches_training_composition(shared_data):
    seqs = pd.read_csv(shared_data / "ebf1_ko_specific_600bp.head.tsv", sep="\t")["sequence"]
    train = to_codes(list(seqs))
    train_gc, train_cpg = _gc_and_cpg(train)
    assert train_gc == pytest.approx(TRAINING_GC, abs=1e-4)
    rng = np.random.default_rng(0)
    sampled = np.concatenate(markov.sample(markov.load(TABLE), [500_000, 300_000], rng))
    gc, cpg = _gc_and_cpg(sampled)
    assert gc == pytest.approx(train_gc, abs=0.01)
    assert cpg == pytest.approx(train_cpg, abs=0.05)
    # The training dinucleotides are far from iid uniform; the sample must follow them
    # (strands pooled, as the model is fitted on both).
    both = np.vstack([train, 3 - train[:, ::-1]])
    target = _dinucleotides(both)
    assert np.abs(_dinucleotides(sampled) - target).max() < 0.004
    iid = rng.integers(0, 4, size=sampled.size).astype(np.uint8)
    assert np.abs(_dinucleotides(iid) - target).max() > 0.004
    assert _gc_and_cpg(iid)[1] > 0.9 > 0.3 > cpg


def test_sample_lengths_and_determinism():
    model = markov.load(TABLE)
    a = markov.sample(model, [10, 5000, 7], np.random.default_rng(5), chain_length=1000)
    b = markov.sample(model, [10, 5000, 7], np.random.default_rng(5), chain_length=1000)
    assert [len(x) for x in a] == [10, 5000, 7]
    assert all(np.array_equal(x, y) and x.dtype == np.uint8 and x.max() < 4 for x, y in zip(a, b))


# --- planting ----------------------------------------------------------------------------

def test_fetch_jaspar_and_sample_site():
    (rela,) = fetch_jaspar(["MA0107.1"], "JASPAR2022")
    assert rela.name == "RELA" and rela.width == 10 and "NF-kappaB" in rela.meta["family"]
    rng = np.random.default_rng(1)
    strands = set()
    for _ in range(50):
        site, strand = sample_site(rela, rng)
        strands.add(strand)
        forward = site if strand == "+" else 3 - site[::-1]
        assert np.all(rela.probs[np.arange(rela.width), forward] > 0)
    assert strands == {"+", "-"}


def test_site_pool_keeps_only_sites_fimo_calls():
    (ebf1,) = fetch_jaspar(["MA0154.4"], "JASPAR2022")
    rng = np.random.default_rng(2)
    raw = np.stack([sample_site(ebf1, rng)[0] for _ in range(200)])
    screened_pool = SitePool(ebf1, np.random.default_rng(2), max_p=1e-4)
    screened = np.stack([screened_pool.draw()[0] for _ in range(200)])
    assert scan_hits([ebf1], screened, "fimo", p=1e-4).all()
    # Unscreened draws from this low-information matrix often fall below FIMO's cut-off.
    assert scan_hits([ebf1], raw, "fimo", p=1e-4).mean() < 0.9
    assert screened_pool.drawn > 200
    again = SitePool(ebf1, np.random.default_rng(2), max_p=1e-4)
    assert np.array_equal(np.stack([again.draw()[0] for _ in range(200)]), screened)


def test_fetch_jaspar_refuses_unknown():
    with pytest.raises(InputError, match="MA9999.1"):
        fetch_jaspar(["MA9999.1"], "JASPAR2022")
    with pytest.raises(InputError, match="JASPAR1999"):
        fetch_jaspar(["MA0107.1"], "JASPAR1999")


def test_plant_and_pack():
    seq = np.zeros(20, dtype=np.uint8)
    plant(seq, np.array([3, 3], dtype=np.uint8), 18)
    assert seq[-2:].tolist() == [3, 3]
    with pytest.raises(ValueError):
        plant(seq, np.array([1, 1], dtype=np.uint8), 19)
    rng = np.random.default_rng(0)
    for _ in range(200):
        widths = [10, 15, 20, 19]
        offsets = pack_offsets(widths, 121, rng)
        spans = sorted(zip(offsets, widths))
        assert spans[0][0] >= 0 and spans[-1][0] + spans[-1][1] <= 121
        assert all(a + w <= b for (a, w), (b, _) in zip(spans, spans[1:]))
    assert pack_offsets([121], 121, rng) == [0]


# --- the demo files ----------------------------------------------------------------------

def _read_fasta(path: Path) -> dict[str, str]:
    genome, name, parts = {}, None, []
    for line in path.read_text().splitlines():
        if line.startswith(">"):
            if name:
                genome[name] = "".join(parts)
            name, parts = line[1:], []
        else:
            assert len(line) <= 60
            parts.append(line)
    genome[name] = "".join(parts)
    return genome


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    make_demo(out, **SMALL)
    return out


@pytest.fixture(scope="module")
def peaks(demo) -> pd.DataFrame:
    frames = [pd.read_csv(demo / f"{c}.narrowPeak", sep="\t", header=None, names=NARROWPEAK)
              .assign(cls=c.upper()) for c in ("wt", "ko")]
    return pd.concat(frames, ignore_index=True)


def test_deterministic(demo, tmp_path):
    make_demo(tmp_path, **SMALL)
    for name in ["genome.fa", "wt.narrowPeak", "ko.narrowPeak", "truth.tsv", "truth_sites.tsv"]:
        assert (tmp_path / name).read_bytes() == (demo / name).read_bytes(), name
    make_demo(tmp_path, **{**SMALL, "seed": 4})
    assert (tmp_path / "wt.narrowPeak").read_bytes() != (demo / "wt.narrowPeak").read_bytes()


def test_genome(demo):
    genome = _read_fasta(demo / "genome.fa")
    assert len(genome) == SMALL["n_chromosomes"] >= 20
    assert list(genome)[:9] == [f"chr{i}" for i in range(1, 10)] and list(genome)[-1] == "chrX"
    assert {len(s) for s in genome.values()} == {SMALL["chromosome_length"]}
    text = "".join(genome.values())
    assert set(text) <= set("ACGTacgtN")
    assert 0.1 < sum(map(str.islower, text)) / len(text) < 0.4
    assert re.search("N{100}", text)


def test_narrowpeak_valid(demo, peaks):
    lengths = {n: len(s) for n, s in _read_fasta(demo / "genome.fa").items()}
    width = peaks["end"] - peaks["start"]
    assert width.between(200, 1200).all()
    assert ((peaks["summit"] > 0) & (peaks["summit"] < width)).all()
    on_genome = peaks["chrom"].isin(lengths)
    assert (peaks["start"] >= 0).all()
    assert (peaks.loc[on_genome, "end"] <= peaks.loc[on_genome, "chrom"].map(lengths)).all()
    assert peaks["score"].between(0, 1000).all() and (peaks["strand"] == ".").all()
    assert (peaks["p"] >= peaks["q"]).all()
    for cls, group in peaks.groupby("cls"):
        assert group["name"].str.fullmatch(rf"{cls.lower()}_peak_\d{{4}}").all()
        order = group["chrom"].map([*lengths, UNPLACED].index) * 10**9 + group["start"]
        assert order.is_monotonic_increasing
        assert group["name"].nunique() == SMALL["peaks_per_class"]
        # both classes on the test (chr6, chr7) and validation (chr8, chr9) chromosomes
        assert {"chr6", "chr7", "chr8", "chr9"} <= set(group["chrom"])
        assert set(lengths) <= set(group["chrom"])


def test_deliberate_cases(demo, peaks):
    genome = _read_fasta(demo / "genome.fa")
    unplaced = peaks[peaks["chrom"] == UNPLACED]
    assert set(unplaced["cls"]) == {"KO"} and 1 <= len(unplaced) <= 0.03 * SMALL["peaks_per_class"]
    sites = pd.read_csv(demo / "truth_sites.tsv", sep="\t")
    assert not sites["peak"].isin(unplaced["name"]).any() and UNPLACED not in genome
    unique = peaks[peaks["chrom"] != UNPLACED].drop_duplicates(NARROWPEAK)
    n_dup = len(peaks) - len(unique)
    assert 2 <= n_dup <= 0.03 * len(peaks)
    summit = unique["start"] + unique["summit"]
    length = unique["chrom"].map({n: len(s) for n, s in genome.items()})
    edge = (summit < 300) | (summit > length - 300)
    assert edge.groupby(unique["cls"]).sum().between(1, 0.03 * SMALL["peaks_per_class"]).all()
    # cross-class summits closer than 600 bp: only the deliberate ambiguous pairs
    wt, ko = (unique.assign(s=summit)[unique["cls"] == c] for c in ("WT", "KO"))
    pairs = wt.merge(ko, on="chrom")
    close = pairs[(pairs["s_x"] - pairs["s_y"]).abs() < 600]
    assert 1 <= len(close) <= 0.03 * SMALL["peaks_per_class"]
    assert close["name_x"].is_unique and close["name_y"].is_unique
    n_share = [genome[c][max(0, s - 300):s + 300].count("N") / 600
               for c, s in zip(unique["chrom"], summit)]
    mostly_n = np.array(n_share) > 0.5
    assert 2 <= mostly_n.sum() <= 0.03 * len(unique)
    assert not (np.array(n_share)[~mostly_n] > 0).any()  # other N runs stay clear of peaks


def test_planted_rates(demo, peaks):
    truth = pd.read_csv(demo / "truth.tsv", sep="\t")
    sites = pd.read_csv(demo / "truth_sites.tsv", sep="\t")
    assert list(truth["motif_id"]) == ["MA0107.1", "MA0154.4", "MA1419.1", "MA0139.1"]
    assert list(truth["name"]) == ["RELA", "EBF1", "IRF4", "CTCF"]
    # peaks on the contig absent from the genome carry no sites
    n = peaks[peaks["chrom"] != UNPLACED].groupby("cls")["name"].nunique()
    # a carrying peak holds exactly sites_per_peak sites of the motif; rates count peaks, not sites
    assert set(truth["sites_per_peak"]) == {SMALL["sites_per_motif"]}
    assert (sites.groupby(["peak", "motif_id"]).size() == SMALL["sites_per_motif"]).all()
    carriers = sites.drop_duplicates(["peak", "motif_id"]).groupby(["class", "motif_id"]).size()
    for motif in truth.to_dict("records"):
        for cls in ("WT", "KO"):
            expected = motif["rate"] if cls == motif["class"] else motif["background_rate"]
            observed = carriers.get((cls, motif["motif_id"]), 0) / n[cls]
            tolerance = 4 * np.sqrt(expected * (1 - expected) / n[cls]) + 1 / n[cls]
            assert abs(observed - expected) <= tolerance, (cls, motif["motif_id"], observed)


def test_truth_sites_match_genome(demo, peaks):
    genome = _read_fasta(demo / "genome.fa")
    motifs = {m.id: m for m in fetch_jaspar(pd.read_csv(demo / "truth.tsv", sep="\t")["motif_id"],
                                            "JASPAR2022")}
    sites = pd.read_csv(demo / "truth_sites.tsv", sep="\t")
    summit = (peaks["start"] + peaks["summit"]).groupby(peaks["name"]).first()
    cls = peaks.groupby("name")["cls"].first()
    assert (sites["class"] == sites["peak"].map(cls)).all()
    rng = np.random.default_rng(0)
    for motif_id, group in sites.groupby("motif_id"):
        motif = motifs[motif_id]
        w = motif.width
        log_odds = np.log2((motif.counts + 0.25) / (motif.counts + 0.25).sum(1, keepdims=True) / 0.25)
        seqs = [genome[c][p:p + w] for c, p in zip(group["chrom"], group["position"])]
        codes = to_codes(seqs)
        forward = np.where((group["strand"] == "+").to_numpy()[:, None], codes, 3 - codes[:, ::-1])
        assert (codes < 4).all()
        scores = log_odds[np.arange(w), forward].sum(axis=1)
        assert np.all(motif.probs[np.arange(w), forward] > 0)  # every base possible under the PFM
        random_pos = rng.integers(0, SMALL["chromosome_length"] - w, size=500)
        background = to_codes([genome["chr1"][p:p + w] for p in random_pos])
        background = background[(background < 4).all(axis=1)]
        null = log_odds[np.arange(w), background].sum(axis=1)
        assert np.median(scores) > np.quantile(null, 0.99)
        offset = group["position"].to_numpy() - group["peak"].map(summit).to_numpy()
        assert (offset >= -CORE).all() and (offset + w <= CORE + 1).all()
    # non-overlapping within a peak
    sites["end"] = sites["position"] + sites["motif_id"].map(lambda m: motifs[m].width)
    for _, group in sites.sort_values("position").groupby("peak"):
        assert (group["position"].to_numpy()[1:] >= group["end"].to_numpy()[:-1]).all()


def test_refuses_impossible_layouts(tmp_path):
    with pytest.raises(InputError, match="do not fit"):
        make_demo(tmp_path, **{**SMALL, "chromosome_length": 10_000, "peaks_per_class": 500})
    with pytest.raises(InputError, match="raise demo.n_chromosomes to at least 60"):
        make_demo(tmp_path, **{**SMALL, "chromosome_length": 10_000_000, "peaks_per_class": 6000})
    with pytest.raises(InputError, match="planted twice"):
        make_demo(tmp_path, **{**SMALL, "motifs": {"wt": [{"id": "MA0107.1", "rate": 0.5}],
                                                  "ko": [{"id": "MA0107.1", "rate": 0.5}]}})


def test_exclusive_planting_puts_at_most_one_own_motif_per_peak(demo):
    truth = pd.read_csv(demo / "truth.tsv", sep="\t")
    sites = pd.read_csv(demo / "truth_sites.tsv", sep="\t")
    own = sites.merge(truth[["motif_id", "class"]], on="motif_id", suffixes=("", "_motif"))
    own = own[own["class"] == own["class_motif"]]
    assert own.groupby("peak")["motif_id"].nunique().max() == 1
    assert (own.groupby("peak").size() == SMALL["sites_per_motif"]).all()
    assert own.groupby("class")["motif_id"].nunique().to_dict() == {"KO": 2, "WT": 2}


def test_sites_that_cannot_fit_around_the_summit_are_refused(tmp_path):
    # The fullest WT peak: EBF1 (15 bp) plus the KO motifs IRF4 (15) and CTCF (19) at their
    # background rates, three sites each, is 147 bp; the core around a summit is 121 bp.
    with pytest.raises(InputError, match=r"config demo.sites_per_motif.*147 bp.*121 bp"):
        make_demo(tmp_path, **{**SMALL, "sites_per_motif": 3})
    # Without exclusive planting a WT peak may carry all five (34 + 35 + 19 + 15 + 10 bp) and IRF4.
    five = [{"id": i, "rate": 0.2} for i in ("MA1929.1", "MA1930.1", "MA0139.1", "MA0154.4", "MA0107.1")]
    with pytest.raises(InputError, match=r"config demo.motifs.*128 bp"):
        make_demo(tmp_path, **{**SMALL, "sites_per_motif": 1, "exclusive": False,
                               "motifs": {"wt": five, "ko": [{"id": "MA1419.1", "rate": 0.5}]}})


def test_exclusive_rates_above_one_are_refused(tmp_path):
    with pytest.raises(InputError, match="rates sum to more than 1"):
        make_demo(tmp_path, **{**SMALL, "motifs": {"wt": [{"id": "MA0107.1", "rate": 0.6},
                                                          {"id": "MA0154.4", "rate": 0.6}],
                                                   "ko": [{"id": "MA0139.1", "rate": 0.5}]}})
