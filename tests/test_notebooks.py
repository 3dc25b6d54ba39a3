"""The committed notebooks: clean (no outputs, no execution counts), parameterized with the kit's names, thin,
and runnable as they are (from notebooks/, with their own default parameters) through papermill."""
from __future__ import annotations

import ast
import json
import os
import sys
from pathlib import Path

import pytest

from analysis.pipeline import params as P
from analysis.pages import PAGES

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
NAMES = [name for name, _, _ in PAGES]


def load(name: str) -> dict:
    return json.loads((NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8"))


def parameters_cell(nb: dict) -> dict:
    cells = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(cells) == 1, "exactly one cell must be tagged 'parameters'"
    return cells[0]


def assigned(source: str) -> dict[str, object]:
    values = {}
    for node in ast.parse(source).body:
        assert isinstance(node, ast.Assign) and len(node.targets) == 1, ast.dump(node)
        values[node.targets[0].id] = ast.literal_eval(node.value)
    return values


def test_the_five_notebooks_are_there_and_nothing_else():
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")) == sorted(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_committed_notebook_has_no_outputs_or_execution_counts(name):
    nb = load(name)
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"{name} cell {i} carries outputs"
            assert cell.get("execution_count") is None, f"{name} cell {i} carries an execution count"
        assert "papermill" not in cell.get("metadata", {}), f"{name} cell {i} holds papermill metadata"
    assert "papermill" not in nb["metadata"], f"{name} is an executed notebook (papermill metadata)"
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("name", NAMES)
def test_parameters_cell_has_the_standard_names_and_defaults(name):
    values = assigned("".join(parameters_cell(load(name))["source"]))
    assert set(values) == set(P.SPECS), set(values) ^ set(P.SPECS)
    expected = dict(P.DEFAULTS, corpus="../seeds")  # runs as is from notebooks/ in JupyterLab
    assert values == expected
    # the defaults pass the kit's validation (from the notebooks' folder)
    cwd = os.getcwd()
    try:
        os.chdir(NOTEBOOKS)
        P.validate(values)
    finally:
        os.chdir(cwd)


@pytest.mark.parametrize("name", NAMES)
def test_notebooks_are_thin_and_escape_generated_html(name):
    """Real work lives in analysis/: code cells are short, call the package, and never build HTML from
    corpus text by hand (no Markdown display of generated text, no f-string HTML)."""
    nb = load(name)
    code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    assert any("pipeline.analyze(" in c for c in code), f"{name} does not call analysis.pipeline.analyze"
    assert all(len(c.splitlines()) <= 40 for c in code), f"{name} has a code cell of more than 40 lines"
    for c in code:
        assert "Markdown(" not in c, f"{name} displays generated Markdown (corpus text must go through html.escape)"
        assert "HTML(f" not in c, f"{name} builds HTML with an f-string (use analysis.html helpers)"
    assert nb["cells"][0]["cell_type"] == "markdown" and "".join(nb["cells"][0]["source"]).startswith("# ")


def test_notebook_runs_as_is_from_the_notebooks_folder(tmp_path, monkeypatch):
    """What a user does in JupyterLab: open notebooks/01_corpus_overview.ipynb and run all, with its own
    parameters (corpus='../seeds')."""
    import papermill as pm

    monkeypatch.setenv("NARRATIVES_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("PATH", os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    out = tmp_path / "01.ipynb"
    nb = pm.execute_notebook(str(NOTEBOOKS / "01_corpus_overview.ipynb"), str(out), kernel_name="python3",
                             progress_bar=False, cwd=str(NOTEBOOKS))
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, errors
    shown = json.dumps([c.get("outputs", []) for c in nb.cells])
    for doc_id in ("us_dea_last_mile", "fr_darmanin_cyberpatrouilles"):
        assert doc_id in shown, f"the documents table does not show {doc_id}"
    assert '"image/png"' in shown, "no figure was drawn"
    assert list((tmp_path / "cache").glob("*/analysis.json")), "the analysis was not cached"
