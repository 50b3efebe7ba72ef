# Names and input/output helpers of rules/paper.smk (which includes this file).
from wtko.paper import UPSTREAM

PAPER = f"{OUTDIR}/{{dataset}}/paper"


def _written_by_a_rule(path):
    """True when a rule of this workflow writes ``path`` under the first dataset."""
    concrete = f"{OUTDIR}/{DATASETS[0]}/{path}"
    return any(rule.is_producer(concrete) for rule in workflow.rules)


PAPER_UPSTREAM = [u for u in UPSTREAM if _written_by_a_rule(u.sources()[0])]
PAPER_MISSING = [u.key for u in UPSTREAM if u not in PAPER_UPSTREAM]


def _paper_report(path, key, **kwargs):
    return report(path, caption=f"../report/paper_{key}.rst", category="Paper",
                  subcategory="{dataset}", **kwargs)


def _upstream_outputs():
    out = {}
    for u in PAPER_UPSTREAM:
        stem = f"{PAPER}/{u.target}"
        if u.kind == "table":
            out |= {u.key: _paper_report(f"{stem}.html", u.key), f"{u.key}_tsv": f"{stem}.tsv",
                    f"{u.key}_md": f"{stem}.md"}
        elif u.kind == "figure":
            out |= {u.key: _paper_report(f"{stem}.png", u.key), f"{u.key}_svg": f"{stem}.svg"}
        else:
            out[u.key] = _paper_report(directory(stem), u.key, patterns=["{name}.png"])
    return out


def _built_table(stem, key):
    return [f"{PAPER}/{stem}.tsv", f"{PAPER}/{stem}.md", _paper_report(f"{PAPER}/{stem}.html", key)]
