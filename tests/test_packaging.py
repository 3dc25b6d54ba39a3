"""The kit as a wheel: every layer, data file, template, notebook and the seed corpus inside, so that an
installed kit renders reports from any folder (``narratives-kit report``)."""
from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_every_sub_package_is_listed_in_pyproject():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {"analysis." + ".".join(p.parent.relative_to(ROOT / "analysis").parts)
             for p in (ROOT / "analysis").rglob("__init__.py") if "__pycache__" not in p.parts}
    found = {f.rstrip(".") for f in found} | {"analysis"}
    assert found - {"analysis."} <= listed, sorted(found - listed)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w",
                           str(out), str(ROOT)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return next(out.glob("narratives_kit-*.whl"))


def test_the_wheel_carries_notebooks_seeds_data_and_templates(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for nb in (ROOT / "notebooks").glob("*.ipynb"):
        assert f"analysis/kit_notebooks/{nb.name}" in names
    for f in (ROOT / "seeds").iterdir():
        assert f"analysis/kit_seeds/{f.name}" in names
    data = [p for p in (ROOT / "analysis").rglob("*") if p.is_file() and "__pycache__" not in p.parts
            and (p.parent.name == "data" or "templates" in p.parts)]
    assert data
    for p in data:
        assert str(p.relative_to(ROOT)) in names, p
    assert any(n.endswith("LICENSE") for n in names)


@pytest.mark.slow
def test_an_installed_kit_renders_from_any_folder(wheel, tmp_path):
    target = tmp_path / "site"
    proc = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target),
                           str(wheel)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = dict(os.environ, PYTHONPATH=str(target), NARRATIVES_CACHE_DIR=str(tmp_path / "cache"))
    proc = subprocess.run([sys.executable, "-m", "analysis", "report", "--out", "out", "--only", "01", "--no-progress"],
                          cwd=elsewhere, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert (elsewhere / "out" / "01_corpus_overview.html").is_file()
    import json

    run = json.loads((elsewhere / "out" / "run.json").read_text())
    assert Path(run["parameters"]["corpus"]).resolve() == (target / "analysis" / "kit_seeds").resolve()
    version = subprocess.run([sys.executable, "-m", "analysis", "--version"], cwd=elsewhere, env=env,
                             capture_output=True, text=True, timeout=60)
    assert version.stdout.strip().startswith("narratives-kit ")
