"""The Snakemake HTML report of a tiny run, opened in headless Chromium.

The report is a React page whose results are embedded as data URIs. A copy of
it gets two small scripts: one at the top of <head> that records console
errors and uncaught exceptions, one at the end of <body> that, after load,
shows every result through the app (``app.setView``, as its own buttons do),
checks that each image decodes and each HTML table is a table, and writes a
JSON verdict into the DOM, read back with ``--dump-dom``. A screenshot of
Figure 10 in the report goes to the test folder and to /tmp/wtko_report.png.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT
from test_e2e import SNAKEMAKE, TINY

pytestmark = pytest.mark.e2e
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--virtual-time-budget=20000"]

HEAD = """<script>
window.__wtkoErrors = [];
window.addEventListener("error", e => window.__wtkoErrors.push("uncaught: " + e.message));
const __wtkoConsoleError = console.error;
console.error = function (...args) { window.__wtkoErrors.push(args.map(String).join(" "));
                                     __wtkoConsoleError.apply(console, args); };
</script>"""

BODY = """<script>
window.addEventListener("load", async () => {
  const pause = ms => new Promise(r => setTimeout(r, ms));
  const verdict = {results: {}, errors: []};
  for (let i = 0; i < 100 && !app; i++) await pause(50);  // React mounts the app asynchronously
  for (const [path, entry] of Object.entries(results)) {
    if (entry.mime_type.startsWith("image/")) {
      app.setView({content: "img", contentPath: entry.data_uri, resultPath: path});
      await pause(50);
      const img = document.querySelector("#app img[src^='data:']");
      if (img && !img.complete) await new Promise(r => { img.onload = r; img.onerror = r; });
      verdict.results[path] = img && img.naturalWidth > 0 ? "image" : "broken image";
    } else if (entry.mime_type === "text/html") {
      app.setView({content: "html", contentPath: entry.data_uri, resultPath: path});
      await pause(50);
      const frame = document.querySelector("#app iframe");
      const text = atob(entry.data_uri.split("base64,")[1]);
      verdict.results[path] = !frame ? "no frame" : text.includes("<table") ? "table" : "html";
    } else {
      verdict.results[path] = entry.mime_type;
    }
  }
  verdict.categories = categories;
  const figure = Object.keys(results).find(p => p.endsWith("figure10_model_comparison.png"));
  app.showCategory("Paper");
  app.setView({content: "img", contentPath: results[figure].data_uri, resultPath: figure});
  await pause(200);
  verdict.errors = window.__wtkoErrors;
  const pre = document.createElement("pre");
  pre.id = "wtko-verdict";
  pre.textContent = JSON.stringify(verdict);
  document.body.appendChild(pre);
});
</script>"""


def chromium(tmp_path: Path, page: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "chromium-profile"
    cmd = [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
           *args, page.as_uri()]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180)


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is absent (apt-get install chromium)")
    workdir = tmp_path_factory.mktemp("report")
    config = {**TINY, "demo": {**TINY["demo"], "markov_table": str(ROOT / "resources/markov_mm10_atac_order5.tsv")},
              "baselines": {"models": ["cnn4", "cnn_lstm"]}}
    (workdir / "config.yaml").write_text(json.dumps(config))
    base = [*SNAKEMAKE, "--directory", str(workdir), "--configfile", str(workdir / "config.yaml"),
            "--cores", "2"]
    for extra in ([], ["--report", str(workdir / "report.html")]):
        done = subprocess.run([*base, *extra, "all", "paper"], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.fail(f"snakemake {extra} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return workdir / "report.html"


def test_paper_folder_and_index(report):
    paper = report.parent / "out/demo/paper"
    index = (paper / "index.md").read_text()
    for name in ("table1_dataset_sizes.tsv", "table4_wtko_cnn_per_class.md", "table13_model_comparison.tsv",
                 "figure10_model_comparison.png", "figure5_confusion_matrix.png", "tables5-6_clusters.tsv",
                 "tables9-10_filter_motifs.tsv", "figures8-9_known_motifs.png", "config.yaml"):
        assert (paper / name).exists(), name
        assert f"`{name}`" in index, name
    assert "MISSING" not in index
    table13 = (paper / "table13_model_comparison.tsv").read_text().splitlines()
    assert [line.split("\t")[0] for line in table13[1:]] == ["WTKO-CNN", "cnn4", "cnn_lstm", "k-mer LR",
                                                             "shuffled labels"]
    assert (report.parent / "out/demo/baselines/cnn_lstm/temporal_scores.png").stat().st_size > 0


def test_report_renders_every_result_without_console_errors(report, tmp_path):
    html = report.read_text()
    page = tmp_path / "check.html"
    before, _, after = html.rpartition("</body>")  # the last one: vega-embed's source has another
    page.write_text((before + BODY + "</body>" + after).replace("<head>", "<head>" + HEAD, 1))
    done = chromium(tmp_path, page, "--dump-dom")
    found = re.search(r'<pre id="wtko-verdict">(.*?)</pre>', done.stdout, re.S)
    assert found, f"the report did not finish rendering:\n{done.stderr[-3000:]}"
    verdict = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&")
                         .replace("&lt;", "<").replace("&gt;", ">"))
    assert verdict["errors"] == []
    console = [line for line in done.stderr.splitlines() if "CONSOLE" in line
               and re.search(r"error|uncaught", line, re.I)]
    assert console == []
    results = verdict["results"]
    assert not [p for p, v in results.items() if v in ("broken image", "no frame")]
    declared = ["paper/table1_dataset_sizes.html", "paper/table4_wtko_cnn_per_class.html",
                "paper/table13_model_comparison.html", "paper/tables5-6_clusters.html",
                "paper/tables11-12_known_motifs.html", "paper/index.html"]
    for name in declared:
        assert results[f"out/demo/{name}"] in ("table", "html"), name
    assert results["out/demo/paper/table13_model_comparison.html"] == "table"
    for name in ("paper/figure10_model_comparison.png", "paper/figure5_confusion_matrix.png",
                 "paper/figure7_saliency_maps.png", "paper/figures8-9_known_motifs.png",
                 "baselines/cnn_lstm/temporal_scores.png", "baselines/cnn4/confusion_matrix.png",
                 "controls/shuffled/accuracy_curves.png", "evaluation/accuracy_curves.png"):
        assert results[f"out/demo/{name}"] == "image", name
    assert {"Paper", "Model comparison", "Evaluation", "Interpretation"} <= set(verdict["categories"])

    shot = tmp_path / "report.png"
    chromium(tmp_path, page, f"--screenshot={shot}", "--window-size=1400,1000")
    assert shot.stat().st_size > 10_000
    shutil.copyfile(shot, "/tmp/wtko_report.png")
