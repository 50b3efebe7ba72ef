"""TF-MoDISco (modisco-lite 3.0.0) motifs from per-base attributions.

Saliency k-mers see one sequence at a time; TF-MoDISco pools the seqlets of
every sequence (short windows of high contribution to the WT log-odds),
clusters them and aligns each cluster into a pattern with a PFM and a CWM.
Positive seqlets (``pos_patterns``) push a window towards WT, negative ones
(``neg_patterns``) towards KO.

Arrays come in the project's (N, 4, L) layout and are handed to modisco in
its (N, L, 4) one. modisco-lite exposes no seed: its null draws use
``RandomState(1234)`` and its Leiden runs seeds 100, 200, ..., so a run is
deterministic for given inputs and parameters (checked by the tests).
"""

from __future__ import annotations

import html
import logging
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import h5py
import numpy as np
import pandas as pd

from .errors import InputError
from .motifs.records import Motif

METACLUSTERS = ("pos_patterns", "neg_patterns")
DIRECTION = {"pos_patterns": "WT", "neg_patterns": "KO"}
PATTERN_COLUMNS = ["pattern_id", "metacluster", "n_seqlets", "n_sequences", "wt_share", "ko_share",
                   "consensus", "width", "trim_start", "trim_end", "mean_contribution", "direction",
                   "best_target_id", "best_target_name", "best_q_value"]


@dataclass(frozen=True)
class ModiscoParams:
    """TFMoDISco's knobs; defaults are modisco-lite's ``modisco motifs`` CLI defaults.

    A seqlet is ``sliding_window_size`` bp of core plus ``flank_size`` bp on
    each side; ``window`` is the central stretch of each sequence that is
    searched (None: all of it), as the CLI's ``-w``.
    """

    max_seqlets_per_metacluster: int = 2000
    sliding_window_size: int = 20
    flank_size: int = 5
    target_seqlet_fdr: float = 0.05
    min_metacluster_size: int = 100
    trim_to_window_size: int = 30
    initial_flank_to_add: int = 10
    final_flank_to_add: int = 0
    final_min_cluster_size: int = 20
    n_leiden_runs: int = 2
    window: int | None = None

    @classmethod
    def from_config(cls, cfg: dict) -> "ModiscoParams":
        """The config's ``modisco`` section; keys that are not TFMoDISco's are ignored."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in cfg.items() if k in names})

    def describe(self) -> str:
        """One line for logs: the seqlet window and the cap."""
        where = "every position" if self.window is None else f"the central {self.window} bp"
        return (f"seqlets of {self.sliding_window_size} bp + {self.flank_size} bp flanks "
                f"({self.sliding_window_size + 2 * self.flank_size} bp) over {where}, "
                f"FDR {self.target_seqlet_fdr}, at most {self.max_seqlets_per_metacluster} per "
                f"metacluster, {self.n_leiden_runs} Leiden runs, patterns trimmed to "
                f"{self.trim_to_window_size} bp + {self.initial_flank_to_add} bp flanks")


@dataclass
class ModiscoRun:
    """TFMoDISco's patterns (modisco SeqletSets, or None) and seqlet counts per metacluster.

    ``found`` counts the seqlets TFMoDISco called, ``used`` those it
    clustered (the cap applied; 0 when there were too few to cluster).
    """

    pos_patterns: list | None
    neg_patterns: list | None
    found: dict[str, int] = field(default_factory=dict)
    used: dict[str, int] = field(default_factory=dict)
    params: ModiscoParams = field(default_factory=ModiscoParams)

    @property
    def n_patterns(self) -> int:
        return len(self.pos_patterns or []) + len(self.neg_patterns or [])


@dataclass
class Pattern:
    """One pattern as stored in the results h5 (the metacluster's own strand)."""

    id: str
    metacluster: str
    sequence: np.ndarray
    contrib_scores: np.ndarray
    hypothetical_contribs: np.ndarray
    example_idx: np.ndarray
    start: np.ndarray
    end: np.ndarray
    is_revcomp: np.ndarray

    @property
    def n_seqlets(self) -> int:
        return len(self.example_idx)


def to_modisco_layout(x: np.ndarray, window: int | None = None) -> np.ndarray:
    """(N, 4, L) -> contiguous float32 (N, W, 4), W the central ``window`` bp (or L)."""
    x = np.asarray(x)
    if x.ndim != 3 or x.shape[1] != 4:
        raise ValueError(f"expected (N, 4, L) arrays, got {x.shape}")
    start, end = central_window(x.shape[2], window)
    return np.ascontiguousarray(x[:, :, start:end].transpose(0, 2, 1), dtype=np.float32)


def central_window(length: int, window: int | None) -> tuple[int, int]:
    """[start, end) of the central ``window`` bp of ``length``, as modisco's CLI centres it."""
    if window is None or window >= length:
        return 0, length
    start = length // 2 - window // 2
    return start, start + window


def check_inputs(one_hot: np.ndarray, hypothetical: np.ndarray, source: str = "attributions") -> None:
    """Refuse arrays modisco would crash on deep inside: other shapes, NaN or inf."""
    if one_hot.shape != hypothetical.shape or one_hot.ndim != 3 or one_hot.shape[1] != 4:
        raise InputError(source, f"one-hot {one_hot.shape} and hypothetical contributions "
                         f"{hypothetical.shape} are not the same (N, 4, L)",
                         "rebuild the attributions from this dataset's encoded.npz")
    if not np.isfinite(hypothetical).all():
        raise InputError(source, "hypothetical contributions hold NaN or inf",
                         "rebuild the attributions; check the model's predictions are finite")


def load_attributions(path: str | Path) -> dict[str, np.ndarray]:
    """``names``, ``labels`` and ``hypothetical`` (N, 4, L) of an attributions npz, checked."""
    with np.load(path, allow_pickle=False) as npz:
        missing = [k for k in ("names", "labels", "hypothetical") if k not in npz.files]
        if missing:
            raise InputError(str(path), f"lacks array(s) {', '.join(missing)}",
                             "rebuild it with the attributions rule")
        data = {k: npz[k] for k in npz.files}
    if data["hypothetical"].ndim != 3 or data["hypothetical"].shape[1] != 4:
        raise InputError(str(path), f"hypothetical is {data['hypothetical'].shape}, not (N, 4, L)",
                         "rebuild it with the attributions rule")
    return data


def align_one_hot(names: np.ndarray, encoded_names: np.ndarray, one_hot: np.ndarray,
                  labels: np.ndarray, source: str = "attributions") -> tuple[np.ndarray, np.ndarray]:
    """The one-hot rows and true labels of ``names``, in their order, from the encoded windows."""
    index = {str(n): i for i, n in enumerate(encoded_names)}
    missing = [str(n) for n in names if str(n) not in index]
    if missing:
        raise InputError(source, f"{len(missing)} sequence(s) not among the encoded windows, "
                         f"e.g. {missing[0]}", "rebuild the attributions for this dataset")
    rows = np.array([index[str(n)] for n in names], dtype=int)
    return one_hot[rows], np.asarray(labels)[rows]


def _seqlet_counts(one_hot: np.ndarray, hyp: np.ndarray, params: ModiscoParams) -> dict[str, int]:
    """Positive and negative seqlets, split exactly as TFMoDISco splits them (before the cap)."""
    from modiscolite import extract_seqlets

    contrib = (one_hot * hyp).sum(axis=2)
    coords, threshold = extract_seqlets.extract_seqlets(
        attribution_scores=contrib, window_size=params.sliding_window_size, flank=params.flank_size,
        suppress=int(0.5 * params.sliding_window_size) + params.flank_size,
        target_fdr=params.target_seqlet_fdr, min_passing_windows_frac=0.03,
        max_passing_windows_frac=0.2, weak_threshold_for_counting_sign=0.8)
    counts = {"pos_patterns": 0, "neg_patterns": 0}
    for c in coords:
        flank = int(0.5 * ((c.end - c.start) - params.sliding_window_size))
        attr = contrib[c.example_idx, c.start + flank:c.end - flank].sum()
        if attr > threshold:
            counts["pos_patterns"] += 1
        elif attr < -threshold:
            counts["neg_patterns"] += 1
    return counts


def run_modisco(one_hot: np.ndarray, hypothetical: np.ndarray, params: ModiscoParams,
                threads: int | None = None, log: logging.Logger | None = None) -> ModiscoRun:
    """TFMoDISco on (N, 4, L) one-hot and hypothetical contributions to the WT log-odds.

    Contributions are ``hypothetical * one_hot``, as modisco computes them.
    All-zero contributions (nothing to explain) give an empty run instead of
    modisco's IndexError. ``threads`` caps numba's threads (modisco also
    forks that many workers).
    """
    import numba
    import modiscolite

    check_inputs(one_hot, hypothetical)
    say = log.info if log else (lambda *a: None)
    if threads:
        numba.set_num_threads(max(1, min(threads, numba.config.NUMBA_NUM_THREADS)))
    x = to_modisco_layout(one_hot, params.window)
    h = to_modisco_layout(hypothetical, params.window)
    say("TF-MoDISco on %d sequences x %d bp: %s", x.shape[0], x.shape[1], params.describe())
    empty = ModiscoRun(None, None, {m: 0 for m in METACLUSTERS}, {m: 0 for m in METACLUSTERS}, params)
    if x.shape[0] == 0 or not np.any(x * h):
        say("all contributions are zero: no seqlets, no patterns")
        return empty
    found = _seqlet_counts(x, h, params)
    used = {m: min(n, params.max_seqlets_per_metacluster) if n > params.min_metacluster_size else 0
            for m, n in found.items()}
    for m in METACLUSTERS:
        if used[m]:
            say("%s: %d seqlets found, %d clustered (cap %d)", m, found[m], used[m],
                params.max_seqlets_per_metacluster)
        else:
            say("%s: %d seqlets found, not more than min_metacluster_size=%d, so no patterns",
                m, found[m], params.min_metacluster_size)
    if not any(used.values()):
        return ModiscoRun(None, None, found, used, params)
    kw = {k: v for k, v in asdict(params).items() if k != "window"}
    pos, neg = modiscolite.tfmodisco.TFMoDISco(one_hot=x, hypothetical_contribs=h, **kw)
    return ModiscoRun(pos, neg, found, used, params)


def save_results(path: str | Path, run: ModiscoRun, length: int) -> None:
    """modisco-lite's h5 (``io.save_hdf5``), plus our parameters and seqlet counts as attributes.

    ``window_size`` is the searched stretch (modisco's own attribute);
    seqlet starts are relative to its first base, which ``wtko_window_start`` gives.
    """
    from modiscolite import io

    window = run.params.window if run.params.window and run.params.window < length else length
    io.save_hdf5(str(path), run.pos_patterns, run.neg_patterns, window)
    with h5py.File(path, "a") as h5:
        h5.attrs["wtko_window_start"] = central_window(length, run.params.window)[0]
        for k, v in asdict(run.params).items():
            h5.attrs[f"wtko_{k}"] = -1 if v is None else v
        for m in METACLUSTERS:
            h5.attrs[f"wtko_{m}_seqlets_found"] = run.found.get(m, 0)
            h5.attrs[f"wtko_{m}_seqlets_used"] = run.used.get(m, 0)


def read_patterns(path: str | Path) -> list[Pattern]:
    """Every pattern of a results h5, pos then neg, in modisco's order (pattern_0, 1, ...)."""
    out = []
    with h5py.File(path, "r") as h5:
        for meta in METACLUSTERS:
            if meta not in h5:
                continue
            names = sorted((k for k in h5[meta] if k.startswith("pattern_")), key=lambda k: int(k[8:]))
            for name in names:
                g = h5[meta][name]
                s = g["seqlets"]
                out.append(Pattern(f"{meta}.{name}", meta, g["sequence"][:], g["contrib_scores"][:],
                                   g["hypothetical_contribs"][:], s["example_idx"][:], s["start"][:],
                                   s["end"][:], s["is_revcomp"][:].astype(bool)))
    return out


def trim_bounds(cwm: np.ndarray, threshold: float = 0.3) -> tuple[int, int]:
    """[start, end) of the positions whose total |CWM| reaches ``threshold`` x its maximum.

    The trimming of modisco's report and its TOMTOM step (``trim_threshold``),
    so that our matches are of the same stretch as the report's.
    """
    score = np.abs(cwm).sum(axis=1)
    keep = np.flatnonzero(score >= score.max() * threshold)
    return int(keep.min()), int(keep.max()) + 1


def pattern_motif(pattern: Pattern, trim_threshold: float = 0.3) -> Motif:
    """The pattern's sequence PFM, trimmed as modisco trims it, as a :class:`Motif`."""
    start, end = trim_bounds(pattern.contrib_scores, trim_threshold)
    ppm = np.asarray(pattern.sequence[start:end], dtype=float)
    totals = ppm.sum(axis=1, keepdims=True)
    probs = np.divide(ppm, totals, out=np.full_like(ppm, 0.25), where=totals > 0)
    return Motif(id=pattern.id, probs=probs, nsites=pattern.n_seqlets, counts=probs * pattern.n_seqlets,
                 source="modisco", meta={"metacluster": pattern.metacluster, "trim": (start, end),
                                         "mean_contribution": float(pattern.contrib_scores[start:end].sum())})


def direction(metacluster: str, mean_contribution: float) -> str:
    """WT or KO from the metacluster, 'unclear' when the contributions' sign disagrees."""
    expected = DIRECTION[metacluster]
    sign = "WT" if mean_contribution > 0 else "KO" if mean_contribution < 0 else ""
    return expected if sign == expected else "unclear"


def pattern_table(patterns: list[Pattern], motifs: list[Motif], labels: np.ndarray) -> pd.DataFrame:
    """One row per pattern: seqlets, the WT share of the sequences they come from, consensus, direction.

    ``labels`` (1 = WT) are the true labels of the sequences modisco saw, in
    its example order; ``mean_contribution`` is the mean over seqlets of their
    summed contribution to the WT log-odds across the trimmed motif.
    """
    rows = []
    for p, m in zip(patterns, motifs):
        seqs = np.unique(p.example_idx)
        wt = float(np.asarray(labels)[seqs].mean()) if len(seqs) else float("nan")
        start, end = m.meta["trim"]
        contribution = m.meta["mean_contribution"]
        rows.append({"pattern_id": p.id, "metacluster": p.metacluster, "n_seqlets": p.n_seqlets,
                     "n_sequences": len(seqs), "wt_share": round(wt, 4), "ko_share": round(1 - wt, 4),
                     "consensus": m.consensus, "width": m.width, "trim_start": start, "trim_end": end,
                     "mean_contribution": round(contribution, 6),
                     "direction": direction(p.metacluster, contribution),
                     "best_target_id": "", "best_target_name": "", "best_q_value": np.nan})
    return pd.DataFrame(rows, columns=PATTERN_COLUMNS)


def add_best_matches(table: pd.DataFrame, matches: pd.DataFrame) -> pd.DataFrame:
    """Fill each pattern's lowest-p TOMTOM match (annotated match table, any q)."""
    out = table.copy()
    if matches.empty or out.empty:
        return out
    best = matches.sort_values(["query_id", "p_value"], kind="stable").drop_duplicates("query_id")
    best = best.set_index("query_id")
    hit = out["pattern_id"].isin(best.index)
    ids = out.loc[hit, "pattern_id"]
    out.loc[hit, "best_target_id"] = ids.map(best["target_id"]).to_numpy()
    out.loc[hit, "best_target_name"] = ids.map(best["target_name"]).to_numpy()
    out.loc[hit, "best_q_value"] = ids.map(best["q_value"]).to_numpy()
    return out


REPORT_FILES = {"simple": "motifs.html", "descriptive": "report.html"}


def write_report(h5_path: str | Path, outdir: str | Path, target_meme: str | Path, kind: str = "simple",
                 top_n_matches: int = 3, trim_threshold: float = 0.3, n_examples: int = 10,
                 note: str = "") -> Path:
    """modisco-lite's own HTML report into ``outdir``, its TOMTOM being memelite's (``-l``).

    ``simple`` is ``modisco report-simple`` (``report.report_motifs``:
    motifs.html, CWM logos and matches, seconds); ``descriptive`` is
    ``modisco report`` (report.html with seqlet examples and distributions,
    about 10 s per pattern on 2 cores). With no pattern modisco's report
    would crash in TOMTOM, so a one-page report says so instead, with
    ``note`` (e.g. the seqlet counts).
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    path = outdir / REPORT_FILES[kind]
    if not read_patterns(h5_path):
        path.write_text("<!DOCTYPE html><html><head><meta charset='utf-8'><title>TF-MoDISco report"
                        "</title></head><body><h1>TF-MoDISco: no patterns</h1><p>"
                        + html.escape(note or "TF-MoDISco found no pattern.") + "</p></body></html>\n")
        return path
    if kind == "simple":
        from modiscolite.report import report_motifs

        report_motifs(str(h5_path), str(outdir), img_path_suffix="./", meme_motif_db=str(target_meme),
                      is_writing_tomtom_matrix=False, top_n_matches=top_n_matches,
                      trim_threshold=trim_threshold, ttl=True)
    else:
        from modiscolite.descriptive_report import generate_descriptive_report

        generate_descriptive_report(str(h5_path), str(outdir), img_path_suffix="./",
                                    meme_motif_db=str(target_meme), top_n_matches=top_n_matches,
                                    ttl=True, n_examples=n_examples, trim_threshold=trim_threshold)
    return path
