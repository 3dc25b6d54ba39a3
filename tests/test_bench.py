"""Smoke test of the benchmark (bench/): it runs, prints its table, and its baselines count what we count.

The comparison is only honest if CountVectorizer and NLTK, given our token pattern, find exactly our tokens:
same per-group totals and same count of every (group, term). scattertext tokenizes its own way, so only its
run is checked (skipped where it is not installed).
"""
from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import time

import pytest

from conftest import ROOT, SEEDS, require_shared

from bench.measure import run_once  # noqa: E402
from bench.workloads import (run_countvectorizer, run_nltk, run_ours, run_scattertext, sample_file,  # noqa: E402
                             token_pattern)

EN = ("corpora", "us-prosecutor-press-releases", "documents.jsonl")
FR = ("corpora", "fr-press-gilets-jaunes", "documents.jsonl")


def _same_counts(ours: dict, other: dict, name: str) -> None:
    assert other["group_totals"] == ours["group_totals"], f"{name}: per-group token totals differ from ours"
    assert other["documents"] == ours["documents"]
    missing = {k: v for k, v in ours["counts"].items() if other["counts"].get(k) != v}
    extra = {k: v for k, v in other["counts"].items() if k not in ours["counts"]}
    assert not missing and not extra, f"{name}: counts differ, e.g. {list(missing.items())[:5]} {list(extra.items())[:5]}"
    assert other["docs"] == ours["docs"], f"{name}: document frequencies differ"
    assert other["top_keyness"] == ours["top_keyness"]


@pytest.mark.parametrize("parts,a,b,step", [(EN, "kings_ny", "orange_ca", 29), (FR, "fr_CA", "fr_CH", 3)])
def test_baselines_count_exactly_our_tokens(parts, a, b, step, tmp_path):
    path = str(require_shared(*parts))
    corpus = {"path": sample_file(path, step, 250, str(tmp_path))}
    ours = run_ours(corpus, a, b, verify=True)
    assert ours["documents"] == 250 and ours["tokens"] > 10_000
    for name, run in (("CountVectorizer", run_countvectorizer), ("NLTK", run_nltk)):
        _same_counts(ours, run(corpus, a, b, verify=True), name)


def test_seed_baselines_agree_and_the_check_can_fail():
    corpus = {"path": str(SEEDS)}
    ours = run_ours(corpus, "us_federal", "fr_policing", verify=True)
    _same_counts(ours, run_nltk(corpus, "us_federal", "fr_policing", verify=True), "NLTK")
    # a tokenizer that is not ours (whitespace split) is caught by the same check
    import bench.workloads as W

    original = W.token_pattern
    try:
        W.token_pattern = lambda *a: r"\S+"
        with pytest.raises(AssertionError):
            _same_counts(ours, run_nltk(corpus, "us_federal", "fr_policing", verify=True), "whitespace")
    finally:
        W.token_pattern = original
    assert token_pattern()  # our pattern is found in analysis.tokens


def test_measurement_runs_in_a_child_and_reports_memory():
    res = run_once("bench.workloads:run_ours", corpus={"path": str(SEEDS)}, group_a="us_federal",
                   group_b="fr_policing")
    assert res["documents"] == 5 and res["seconds"] > 0
    assert res["peak_rss_mb"] >= res["base_rss_mb"] > 10


def test_quick_benchmark_prints_the_table(tmp_path):
    path = require_shared(*EN)
    # scattertext is left out here to keep the test short; test_scattertext_workload runs it
    cmd = [sys.executable, "-m", "bench", "--quick", "--skip-reports", "--repeats", "1", "--corpus", str(path),
           "--out", str(tmp_path), "--skip-baselines", "scattertext"]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = proc.stdout
    assert "scattertext: not measured (skipped on request)" in out
    for needle in ("machine :", "Throughput", "CountVectorizer", "NLTK", "tokens/s", "Scaling", "ours x2",
                   "CountVectorizer x2"):
        assert needle in out, f"{needle!r} missing from the table:\n{out}"
    data = json.loads((tmp_path / "latest.json").read_text())
    thr = data["throughput"]
    assert thr["CountVectorizer"]["group_totals"] == thr["ours"]["group_totals"] == thr["NLTK"]["group_totals"]
    x1, x2 = (s for s in data["scaling"] if s["tool"] == "ours")
    assert x2["documents"] == 2 * x1["documents"] and x2["tokens"] == 2 * x1["tokens"]
    assert x2["vocabulary"] == x1["vocabulary"]


@pytest.mark.skipif(importlib.util.find_spec("scattertext") is None, reason="scattertext is not installed")
def test_scattertext_workload_counts_nearly_our_tokens():
    path = str(require_shared(*FR))
    corpus = {"path": path, "step": 10, "limit": 60}  # the French file is small: streaming it all is cheap
    ours = run_ours(corpus, "fr_CA", "fr_CH")
    st = run_scattertext(corpus, "fr_CA", "fr_CH")
    assert st["documents"] == ours["documents"] == 60
    assert st["keyness_rows"] > 0
    # its own tokenizer: not the same tokens, but the same text (within 10 %)
    assert abs(st["tokens"] - ours["tokens"]) < 0.1 * ours["tokens"]


@pytest.mark.slow
def test_the_floor_runs_plain_papermill_and_nbconvert(tmp_path):
    """The report floor: empty notebooks through papermill (a kernel each) and nbconvert, in a process pool."""
    from bench.reports import run_floor

    result = run_once("bench.reports:run_floor", n_notebooks=2, jobs=2, kernel="python3", workdir=str(tmp_path))
    assert result["html_files"] == 2 and result["wall_seconds"] > 0
    assert "a kernel per notebook" in result["how"]
    pages = sorted((tmp_path / "out").glob("*.html"))
    assert len(pages) == 2 and all("<html" in p.read_text(encoding="utf-8") for p in pages)
    assert run_floor.__module__ == "bench.reports"


# --- the whole report (python -m bench --whole) ------------------------------------------------------------

def _jsonl(path, ids):
    path.write_text("".join(json.dumps({"doc_id": i, "group": g, "text": f"text of {i}"}) + "\n"
                            for i, g in ids), encoding="utf-8")
    return str(path)


def test_replicate_file_writes_every_document_k_times_with_suffixed_ids(tmp_path):
    from bench.whole import replicate_file

    src = _jsonl(tmp_path / "c.jsonl", [("a", "x"), ("b", "y"), ("c", "x")])
    out = replicate_file(src, 3, str(tmp_path))
    recs = [json.loads(line) for line in open(out, encoding="utf-8")]
    assert [r["doc_id"] for r in recs] == ["a", "b", "c", "a#x1", "b#x1", "c#x1", "a#x2", "b#x2", "c#x2"]
    assert [r["text"] for r in recs[3:6]] == ["text of a", "text of b", "text of c"]
    sampled = replicate_file(src, 2, str(tmp_path), step=2)
    assert [json.loads(line)["doc_id"] for line in open(sampled, encoding="utf-8")] == ["a", "c", "a#x1", "c#x1"]


def test_tree_peak_adds_up_the_memory_of_child_processes():
    from bench.whole import TreePeak, tree_rss_mb

    alone = tree_rss_mb(os.getpid())
    code = "import time; b = bytearray(300 * 2**20); b[::4096] = b'x' * len(b[::4096]); time.sleep(1.5)"
    with TreePeak(interval=0.05) as tree:
        subprocess.run([sys.executable, "-c", code], check=True)
    assert tree.peak_mb >= alone + 300
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    assert tree_rss_mb(child.pid) == 0  # a process that has gone holds nothing


def test_parse_runs_accepts_set_backend_pairs_and_names_a_bad_one():
    from bench.whole import parse_runs

    assert parse_runs("prosecutors:local, doj:processes") == [("prosecutors", "local"), ("doj", "processes")]
    for bad in ("prosecutors:dask", "nope:local", "doj"):
        with pytest.raises(ValueError, match=bad):
            parse_runs(bad)


def test_full_analysis_counts_the_same_tokens_on_both_backends():
    from analysis.corpus import load_metadata

    meta = load_metadata(str(SEEDS), group_col="group")
    params = {"corpus": str(SEEDS), "group_a": "us_federal", "group_b": "fr_policing"}
    local = run_once("bench.whole:run_analysis", params={**params, "backend": "local"})
    procs = run_once("bench.whole:run_analysis", params={**params, "backend": "processes"})
    assert local["documents"] == int(meta["group"].isin(["us_federal", "fr_policing"]).sum())
    assert local["tokens"] == procs["tokens"] > 1000
    assert local["groups"] == procs["groups"]
    assert local["tree_peak_mb"] > 50 and local["largest_child_peak_mb"] == 0  # no pool: no child
    assert procs["largest_child_peak_mb"] > 0  # the pool's workers are children


def _whole(report_s=50.0, peak=1400.0, cache=100.0, per_core=250_000.0, x16=None) -> dict:
    row = {"set": "prosecutors", "backend": "processes", "documents": 10, "tokens": 1000, "runs": [1.0],
           "repeats": 1, "load_1min": 1.0, "tree_cpu_seconds": 1.0, "largest_child_peak_mb": 0.0}
    rep = {**row, "wall_seconds": report_s, "analysis_seconds": 1.0, "notebooks_seconds": 1.0, "tree_peak_mb": peak,
           "cache_mb": cache, "tables_mb": 1.0, "explorer_html_mb": 2.0, "tokens_per_s_per_core": per_core}
    ana = {**row, "wall_seconds": 1.0, "tree_peak_mb": peak, "tokens_per_s": 2 * per_core,
           "tokens_per_s_per_core": per_core}
    scale = [{**ana, "scale": k, "documents_in_file": 10 * k, "tree_peak_mb": m}
             for k, m in ((1, 500.0), (16, x16)) if m is not None]
    st = {"set": "prosecutors", "documents": 10, "wall_seconds": 10.0, "import_seconds": 1.0, "build_seconds": 4.0,
          "explorer_seconds": 5.0, "tree_peak_mb": 700.0, "html_mb": 4.0, "load_1min": 1.0,
          "ours": [{"backend": "processes", "time_ratio": report_s / 10, "memory_ratio": 2.0, "page_ratio": 0.5}]}
    return {"machine": {"cpu": "x", "cores": 2, "cores_usable": 2, "ram_gb": 1, "python": "3", "packages": {}},
            "repeats": 1, "elapsed_seconds": 1, "command": "python -m bench --whole", "skipped": {},
            "whole": {"sets": {"prosecutors": {"path": "p", "documents_in_file": 10, "sample_step": 1, "limit": None,
                                               "group_col": "group", "group_a": "a", "group_b": "b"}},
                      "analysis": [ana], "report": [rep], "scattertext": [st], "scale": scale,
                      "scale_backend": "processes"}}


def test_the_whole_table_says_which_targets_are_met_and_which_are_missed():
    from bench.output import render_whole

    good = render_whole(_whole(x16=1900.0))
    assert "MISSED" not in good and good.count(": met") == 5
    bad = render_whole(_whole(report_s=61.0, peak=1600.0, cache=151.0, per_core=199_000.0, x16=2100.0))
    assert bad.count("MISSED") == 5 and ": met" not in bad
    assert "x16: not measured" in render_whole(_whole())
    assert "time 6.10x" in bad and "boilerplate OFF" in bad


@pytest.mark.slow
def test_quick_whole_benchmark_runs_the_analysis_the_report_and_the_scale(tmp_path):
    require_shared(*EN)
    cmd = [sys.executable, "-m", "bench", "--whole", "--quick", "--repeats", "1", "--whole-runs",
           "prosecutors:local", "--scales", "1", "--scattertext-sets", "", "--out", str(tmp_path)]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    for needle in ("Full analysis", "Full report", "Scale", "boilerplate OFF", "Targets of issue 13", "load"):
        assert needle in proc.stdout, f"{needle!r} missing from the table:\n{proc.stdout}"
    w = json.loads((tmp_path / "latest.json").read_text())["whole"]
    (ana,), (rep,) = w["analysis"], w["report"]
    assert ana["documents"] == rep["documents"] > 0 and ana["tokens"] == rep["tokens"] > 0
    assert rep["html_files"] >= 6 and rep["cache_mb"] > 0 and rep["tables_mb"] > 0 and rep["explorer_html_mb"] > 0
    assert rep["tree_peak_mb"] >= rep["largest_child_peak_mb"] > 0  # the report's kernels are in its tree
    x1, x2 = w["scale"]
    assert x2["documents_in_file"] == 2 * x1["documents_in_file"] and x2["tokens"] == 2 * x1["tokens"]
    assert not (tmp_path / "partial.json").exists()


@pytest.mark.skipif(importlib.util.find_spec("scattertext") is None, reason="scattertext is not installed")
def test_scattertext_explorer_writes_its_page(tmp_path):
    path = sample_file(str(require_shared(*EN)), 150, 60, str(tmp_path))
    res = run_once("bench.whole:run_scattertext_explorer", corpus=path, group_col="group", group_a="kings_ny",
                   group_b="orange_ca", out_html=str(tmp_path / "st.html"))
    kept = [json.loads(line)["group"] for line in open(path, encoding="utf-8")]
    assert res["documents"] == sum(g in ("kings_ny", "orange_ca") for g in kept) > 0
    size = (tmp_path / "st.html").stat().st_size
    assert size > 10_000 and res["html_mb"] == pytest.approx(size / 1e6)
    assert res["wall_seconds"] >= res["import_seconds"] + res["build_seconds"] > 0


def test_a_run_past_the_memory_limit_is_stopped_and_named(tmp_path):
    code = "import time; b = bytearray(400 * 2**20); b[::4096] = b'x' * len(b[::4096]); time.sleep(30)"
    from bench.whole import TreePeak

    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code])
    with TreePeak(proc.pid, interval=0.05, limit_mb=200) as tree:
        proc.wait(timeout=20)
    assert time.perf_counter() - t0 < 20 and proc.returncode != 0  # killed, not slept out
    with pytest.raises(RuntimeError, match="passed 200 MB"):
        tree.check()


def test_an_analysis_past_the_memory_limit_is_stopped():
    params = {"corpus": str(SEEDS), "group_a": "us_federal", "group_b": "fr_policing", "backend": "processes"}
    with pytest.raises(RuntimeError, match="passed 1 MB"):
        run_once("bench.whole:run_analysis", timeout=120, params=params, limit_mb=1)
