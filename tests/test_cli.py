"""``python -m analysis validate`` and the refusals of ``python -m analysis report`` (before any notebook runs)."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import SEEDS

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, cwd: Path = ROOT, timeout: float = 120) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), NARRATIVES_CACHE_DIR=str(cwd / ".cache-cli-test"))
    return subprocess.run([sys.executable, "-m", "analysis", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


def corpus(root: Path, manifest: str, files: dict[str, bytes]) -> Path:
    root.mkdir(parents=True)
    (root / "manifest.csv").write_text(manifest, encoding="utf-8")
    for name, data in files.items():
        (root / name).write_bytes(data)
    return root


TEXT = "La police surveille les réseaux sociaux.\n".encode()


def test_validate_seeds_exits_0_with_a_summary():
    proc = run("validate", str(SEEDS))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1 and "5 documents" in lines[0] and "us_federal (2)" in lines[0] and "fr_policing (3)" in lines[0]


@pytest.mark.parametrize("manifest, files, words", [
    ("doc_id,path,group\nd1,a.txt,x\nd2,missing.txt,y\n", {"a.txt": TEXT}, ["manifest.csv, line 3", "missing.txt"]),
    ("doc_id,path,group\nd1,a.txt,x\nd1,b.txt,y\n", {"a.txt": TEXT, "b.txt": TEXT},
     ["line 3", "duplicate doc_id 'd1'"]),
    ("doc_id,path,group,date\nd1,a.txt,x,hier\nd2,b.txt,y,\n", {"a.txt": TEXT, "b.txt": TEXT},
     ["line 2", "'hier' is not a date"]),
    ("doc_id,path,group\nd1,a.txt,x\nd2,b.txt,y\n", {"a.txt": TEXT, "b.txt": b"   \n"}, ["b.txt", "empty text"]),
    ("doc_id,path,group\nd1,a.txt,x\nd2,../b.txt,y\n", {"a.txt": TEXT}, ["line 3", "outside the corpus folder"]),
    ("doc_id,group\nd1,x\n", {}, ["manifest.csv", "missing required column", "path"]),
    ("doc_id,path,group\nd1,a.txt,x\nd2,b.txt,y\n", {"a.txt": TEXT, "b.txt": "Écrit en cp1252".encode("cp1252")},
     ["b.txt", "line 1", "0xC9"]),
])
def test_validate_names_each_fault_and_exits_1(tmp_path, manifest, files, words):
    root = corpus(tmp_path / "c", manifest, files)
    proc = run("validate", str(root))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    for w in words:
        assert w in proc.stdout, f"{w!r} not in:\n{proc.stdout}"


def test_validate_lists_every_problem_at_once(tmp_path):
    root = corpus(tmp_path / "c", "doc_id,path,group,date\nd1,a.txt,x,2023-13\nd1,b.txt,y,\nd3,nope.txt,y,\n",
                  {"a.txt": TEXT, "b.txt": TEXT})
    proc = run("validate", str(root))
    assert proc.returncode == 1
    problems = proc.stdout.strip().splitlines()
    assert len(problems) == 3, problems
    assert "3 problems" in proc.stderr


def test_validate_missing_corpus(tmp_path):
    proc = run("validate", str(tmp_path / "nowhere"))
    assert proc.returncode == 1 and "nowhere" in proc.stdout and "no such file" in proc.stdout


@pytest.mark.parametrize("extra, words", [
    (["-p", "top_n", "ten"], ["parameter 'top_n'", "expected an integer, got 'ten'"]),
    (["-p", "group_a", "us_fedral"], ["parameter 'group_a'", "'us_fedral'", "fr_policing, us_federal"]),
    (["-p", "group_col", "outlet"], ["parameter 'group_col'", "no column 'outlet'"]),
    (["-p", "colour", "blue"], ["parameter 'colour'", "unknown parameter"]),
    (["--only", "09"], ["parameter 'only'", "no notebook matches"]),
])
def test_report_refuses_bad_parameters_before_any_notebook(tmp_path, extra, words):
    out = tmp_path / "out"
    t0 = time.perf_counter()
    proc = run("report", "--corpus", str(SEEDS), "--out", str(out), "--no-progress", *extra, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    for w in words:
        assert w in proc.stderr, f"{w!r} not in:\n{proc.stderr}"
    assert not out.exists() and not list(tmp_path.glob(".out-build-*"))
    assert time.perf_counter() - t0 < 30


def test_report_refuses_a_broken_corpus_naming_file_and_line(tmp_path):
    root = corpus(tmp_path / "c", "doc_id,path,group\nd1,a.txt,us_federal\nd2,gone.txt,fr_policing\n", {"a.txt": TEXT})
    proc = run("report", "--corpus", str(root), "--out", str(tmp_path / "out"), "--no-progress", cwd=tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "manifest.csv, line 3" in proc.stderr and "gone.txt" in proc.stderr


def test_help_lists_the_commands():
    proc = run("--help")
    assert proc.returncode == 0 and "report" in proc.stdout and "validate" in proc.stdout
    proc = run("report", "--help")
    assert all(w in proc.stdout for w in ("--corpus", "--out", "-p", "--only", "--jobs", "--force"))
