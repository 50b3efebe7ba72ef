"""Fit the demo's background Markov table from real peak sequences (run by hand).

The shipped resources/markov_mm10_atac_order5.tsv was made with:

    .venv/bin/python scripts/fit_markov.py /work/shared/data/ebf1_ko_specific_600bp.head.tsv \
        --out resources/markov_mm10_atac_order5.tsv

The exact command is also written into the table's header.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from wtko.demo import markov  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("table", help="tab-separated file with a header and a sequence column")
    parser.add_argument("--column", default="sequence", help="column holding the sequences")
    parser.add_argument("--order", type=int, default=5, help="Markov order k (context length)")
    parser.add_argument("--pseudocount", type=float, default=1.0)
    parser.add_argument("--out", required=True, help="output TSV")
    args = parser.parse_args(argv)

    seqs = pd.read_csv(args.table, sep="\t", usecols=[args.column])[args.column].dropna()
    model = markov.fit(seqs, args.order, args.pseudocount, source=Path(args.table).name)
    command = shlex.join(["python", "scripts/fit_markov.py", *(sys.argv[1:] if argv is None else argv)])
    markov.save(model, args.out, [f"pseudocount={args.pseudocount}",
                                  f"sequences={len(seqs)}", f"bases={int(seqs.str.len().sum())}",
                                  "both strands; soft-masked bases upper-cased; windows with N skipped",
                                  f"command: {command}"])
    print(f"wrote {args.out}: order {args.order}, {len(seqs)} sequences", file=sys.stderr)


if __name__ == "__main__":
    main()
