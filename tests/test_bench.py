"""Smoke test of the benchmark (bench/): it runs, prints its table, and its baselines count what we count.

The comparison is only honest if CountVectorizer and NLTK, given our token pattern, find exactly our tokens:
same per-group totals and same count of every (group, term). scattertext tokenizes its own way, so only its
run is checked (skipped where it is not installed).
"""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

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
