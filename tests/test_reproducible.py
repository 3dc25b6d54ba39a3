"""Two report runs over the same corpus and parameters give the same report.

The second run is forced (``--force``), uses a fresh analysis cache (``NARRATIVES_CACHE_DIR``) and another
``PYTHONHASHSEED`` (so that set and dict orders built from hashed strings change): ``tables/*.csv`` must be
byte-identical, the figures (base64 PNGs in the executed notebooks and in the HTML) identical, the HTML
identical except for the run timestamp, and ``run.json`` identical except for timestamps and timings.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow  # renders whole reports
PNG_IN_HTML = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=\s]+)")
TIME_KEYS = re.compile(r"time|timing|date|started|finished|ended|elapsed|duration|seconds|when|created", re.I)
ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?")


def render(corpus: Path, out: Path, cache: Path, hashseed: str, *extra: str) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT), NARRATIVES_CACHE_DIR=str(cache), PYTHONHASHSEED=hashseed)
    proc = subprocess.run([sys.executable, "-m", "analysis", "report", "--corpus", str(corpus), "--out", str(out),
                           *extra], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"report failed:\n{proc.stderr[-5000:]}\n{proc.stdout[-2000:]}"


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("repro")
    corpus = base / "seeds"
    shutil.copytree(ROOT / "seeds", corpus)  # the same corpus at the same path for both runs
    out = base / "report"
    before = kit_fingerprint()
    render(corpus, out, base / "cache1", "1")
    first = base / "first"
    shutil.copytree(out, first, symlinks=True)
    render(corpus, out, base / "cache2", "2", "--force")
    assert kit_fingerprint() == before, ("the kit's code or notebooks were edited while this test ran: "
                                         "the two runs are not of the same code, run the test again")
    return first, out


def kit_fingerprint() -> str:
    """SHA-256 of the analysis package, its data and templates, and the notebooks."""
    h = hashlib.sha256()
    for folder in (ROOT / "analysis", ROOT / "notebooks"):
        for p in sorted(folder.rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts:
                h.update(str(p.relative_to(ROOT)).encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def files(root: Path, pattern: str) -> dict[str, Path]:
    return {str(p.relative_to(root)): p for p in sorted(root.rglob(pattern)) if p.is_file()}


def test_same_set_of_files(two_runs):
    a, b = two_runs
    assert sorted(files(a, "*")) == sorted(files(b, "*"))


def test_tables_are_byte_identical(two_runs):
    a, b = two_runs
    ta, tb = files(a, "tables/*.csv"), files(b, "tables/*.csv")
    assert ta, "the report wrote no tables/*.csv"
    assert sorted(ta) == sorted(tb)
    differ = [name for name in ta if ta[name].read_bytes() != tb[name].read_bytes()]
    assert not differ, f"tables differ between two identical runs: {differ}"
    for name, path in ta.items():
        text = path.read_text(encoding="utf-8")
        assert str(a) not in text and str(ROOT) not in text, f"{name} holds an absolute path"
        assert not ISO_TIME.search(text), f"{name} holds a timestamp: {ISO_TIME.search(text).group()}"


def notebook_pngs(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            png = output.get("data", {}).get("image/png")
            if png:
                out.append("".join(png) if isinstance(png, list) else png)
    return out


def digest(b64: str) -> str:
    return hashlib.sha256(base64.b64decode("".join(b64.split()))).hexdigest()


def test_figures_are_identical(two_runs):
    a, b = two_runs
    na, nb = files(a, "*.ipynb"), files(b, "*.ipynb")
    assert na and sorted(na) == sorted(nb)
    total = 0
    for name in na:
        pa, pb = [digest(x) for x in notebook_pngs(na[name])], [digest(x) for x in notebook_pngs(nb[name])]
        assert pa == pb, f"figures of {name} differ between two identical runs"
        total += len(pa)
    assert total > 0, "no figure in any executed notebook"
    for name, page in files(a, "*.html").items():
        fa = [digest(m) for m in PNG_IN_HTML.findall(page.read_text(encoding="utf-8"))]
        fb = [digest(m) for m in PNG_IN_HTML.findall((b / name).read_text(encoding="utf-8"))]
        assert fa == fb, f"figures embedded in {name} differ"


def walk(value, path=()):
    """(path, leaf) pairs of a JSON value."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from walk(v, path + (str(k),))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from walk(v, path + (str(i),))
    else:
        yield path, value


def is_time(path: tuple[str, ...], value) -> bool:
    return any(TIME_KEYS.search(p) for p in path) or (isinstance(value, str) and bool(ISO_TIME.fullmatch(value)))


def test_run_json_differs_only_in_timestamps_and_timings(two_runs):
    a, b = two_runs
    ra = json.loads((a / "run.json").read_text(encoding="utf-8"))
    rb = json.loads((b / "run.json").read_text(encoding="utf-8"))
    la, lb = dict(walk(ra)), dict(walk(rb))
    assert set(la) == set(lb), f"run.json keys differ: {set(la) ^ set(lb)}"
    differ = {p: (la[p], lb[p]) for p in la if la[p] != lb[p] and not is_time(p, la[p])}
    # a run forced with a fresh cache may say whether it hit the cache; nothing else may change (the cache
    # and report keys hash the corpus, parameters, code and notebooks: they must be equal)
    differ = {p: v for p, v in differ.items() if p[-1] not in ("cache_hit", "from_cache", "force")}
    assert not differ, f"run.json differs beyond timestamps and timings: {differ}"
    assert any(is_time(p, v) for p, v in la.items()), "run.json records no timestamp"


def timestamps(run: Path) -> set[str]:
    data = json.loads((run / "run.json").read_text(encoding="utf-8"))
    return {str(v) for p, v in walk(data) if is_time(p, v) and isinstance(v, str) and v}


def test_html_identical_except_run_timestamp(two_runs):
    a, b = two_runs
    stamps = timestamps(a) | timestamps(b)
    for name, page in files(a, "*.html").items():
        ha, hb = page.read_text(encoding="utf-8"), (b / name).read_text(encoding="utf-8")
        if ha == hb:
            continue
        for s in sorted(stamps, key=len, reverse=True):
            ha, hb = ha.replace(s, "<TIMESTAMP>"), hb.replace(s, "<TIMESTAMP>")
        # the page may show the run time in a friendlier format than run.json: mask ISO-like times
        ha, hb = ISO_TIME.sub("<TIMESTAMP>", ha), ISO_TIME.sub("<TIMESTAMP>", hb)
        if ha != hb:
            la, lb = ha.splitlines(), hb.splitlines()
            first = next((i for i, (x, y) in enumerate(zip(la, lb)) if x != y), min(len(la), len(lb)))
            pytest.fail(f"{name} differs beyond the run timestamp, first at line {first + 1}:\n"
                        f"  run 1: {la[first][:300] if first < len(la) else '<end>'}\n"
                        f"  run 2: {lb[first][:300] if first < len(lb) else '<end>'}")
