"""The report runner's pool of warm, reused kernels (analysis.notebook_runner, analysis.kernel_session).

A kernel that runs several notebooks must give each the outputs a fresh kernel would give, and nothing a
notebook does to its kernel (variables, matplotlib settings, warnings already shown, working folder, environment,
sys.path) may reach the next one. Where the warm-up cannot run, the kernel is restarted between notebooks.
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest

from analysis.report import runner as R
from analysis.pipeline import params as P
from analysis.report.kernel_session import notebook_imports
from analysis.report.build import NOTEBOOK_DIR, NOTEBOOKS, _absolute
from conftest import ROOT, SEEDS

pytestmark = pytest.mark.slow


@pytest.fixture
def kernel_env(tmp_path, monkeypatch):
    """What the report command gives its kernels: this Python, the kit importable, a private cache."""
    monkeypatch.setenv("PATH", os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), str(tmp_path)]))
    monkeypatch.setenv("NARRATIVES_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    return tmp_path


def outputs(nb) -> list:
    """What a reader sees of each cell: its execution count and outputs (not papermill's timing metadata)."""
    return [(c.get("execution_count"), c.get("outputs", [])) for c in nb.cells if c.cell_type == "code"]


def run_pool(sources: dict[str, Path], build: Path, parameters: dict, jobs: int = 1) -> R.KernelPool:
    build.mkdir(parents=True, exist_ok=True)
    with R.KernelPool(jobs, next(iter(sources.values())).parent, R.warm_modules(sources.values())) as pool:
        pool.run(sources, build, parameters, progress=False)
        reused = pool.reused_kernels()
    pool.reused = reused
    return pool


def test_a_reused_kernel_renders_what_fresh_kernels_render(kernel_env):
    import papermill

    build = kernel_env / "reused"
    params = _absolute(P.validate({"corpus": str(SEEDS), "output_dir": str(build)}))
    # the five pages one after the other in ONE kernel, in an order unlike the page order
    order = list(reversed(NOTEBOOKS))
    pool = run_pool({n: NOTEBOOK_DIR / f"{n}.ipynb" for n in order}, build, params, jobs=1)
    assert pool.reused == 1, "the kernel was not reused"
    for name in NOTEBOOKS:
        fresh = papermill.execute_notebook(str(NOTEBOOK_DIR / f"{name}.ipynb"), str(kernel_env / f"fresh-{name}.ipynb"),
                                           parameters=params, kernel_name=R.KERNEL_NAME, progress_bar=False,
                                           cwd=str(NOTEBOOK_DIR))
        reused = nbformat.read(build / f"{name}.ipynb", as_version=4)
        assert outputs(reused) == outputs(fresh), f"{name} renders differently in a reused kernel"
        assert (build / f"{name}.html").is_file()


LEAKY = """
import os, sys, warnings
import matplotlib
import leaky_helper
leak = 42
matplotlib.rcParams["lines.linewidth"] = 7.5
leaky_helper.warn()
os.chdir("/")
os.environ["KIT_LEAK"] = "1"
sys.path.append("/leaked-path")
"""

CHECK = """
import os, sys, warnings
import matplotlib
import leaky_helper
assert "leak" not in globals(), "a variable leaked"
assert matplotlib.rcParams["lines.linewidth"] != 7.5, "a matplotlib setting leaked"
assert os.getcwd() != "/", "the working folder leaked"
assert "KIT_LEAK" not in os.environ, "an environment variable leaked"
assert "/leaked-path" not in sys.path, "sys.path leaked"
leaky_helper.warn()  # shown again: the warning registry was reset
"""


def two_notebooks(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder.parent / "leaky_helper.py").write_text(textwrap.dedent("""
        import warnings

        def warn():
            warnings.warn("shown once per location unless the registry is reset", UserWarning)
    """), encoding="utf-8")
    sources = {}
    for name, code in (("a_leaky", LEAKY), ("b_check", CHECK)):
        nb = nbformat.v4.new_notebook()
        params = nbformat.v4.new_code_cell("x = 0", id="params")
        params.metadata["tags"] = ["parameters"]
        nb.cells = [params, nbformat.v4.new_code_cell(code, id="body")]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, folder / f"{name}.ipynb")
        sources[name] = folder / f"{name}.ipynb"
    return sources


def stderr_of(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    return "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", [])
                   if o.get("output_type") == "stream" and o.get("name") == "stderr")


def test_nothing_a_notebook_does_reaches_the_next_one(kernel_env):
    sources = two_notebooks(kernel_env / "nbs")
    build = kernel_env / "build"
    pool = run_pool(sources, build, {"x": 1}, jobs=1)
    assert pool.reused == 1
    checked = nbformat.read(build / "b_check.ipynb", as_version=4)
    assert [c.execution_count for c in checked.cells if c.cell_type == "code"][0] == 1
    assert "shown once per location" in stderr_of(build / "a_leaky.ipynb")
    assert "shown once per location" in stderr_of(build / "b_check.ipynb"), "the warning was not shown again"


def test_a_kernel_that_cannot_warm_up_is_restarted_between_notebooks(kernel_env, monkeypatch):
    monkeypatch.setattr(R, "WARM_CODE", "raise RuntimeError('no warm-up here {modules}')")
    sources = two_notebooks(kernel_env / "nbs")
    pool = run_pool(sources, kernel_env / "build", {"x": 1}, jobs=1)
    assert pool.reused == 0
    assert (kernel_env / "build" / "b_check.html").is_file()  # its assertions held in a restarted kernel


def test_two_kernels_share_the_notebooks(kernel_env):
    sources = two_notebooks(kernel_env / "nbs")
    pool = run_pool(sources, kernel_env / "build", {"x": 1}, jobs=2)
    assert pool.reused == 2
    assert all((kernel_env / "build" / f"{n}.html").is_file() for n in sources)


def test_notebook_imports_are_read_from_the_code_cells():
    cells = ["import os\nfrom IPython.display import HTML, display\n",
             "%matplotlib inline\nimport never_seen",  # not Python: skipped
             "from analysis import figures\nfrom . import relative\nif True:\n    import nested\n",
             "import os, pandas as pd"]
    assert notebook_imports(cells) == ["os", "IPython.display", "IPython.display.HTML", "IPython.display.display",
                                       "analysis", "analysis.figures", "pandas"]


def test_the_kits_notebooks_warm_the_libraries_they_use():
    modules = R.warm_modules(NOTEBOOK_DIR / f"{n}.ipynb" for n in NOTEBOOKS)
    for needed in ("analysis.pages.figures", "analysis.pipeline", "analysis.pages.findings", "IPython.display"):
        assert needed in modules


def test_nltk_loads_without_scipy_and_scikit_learn():
    code = textwrap.dedent("""
        import sys
        from analysis.stats import collocations
        from analysis.text import tokens
        assert tokens.stemmer("fr").stem("arrestations") == "arrest"
        assert "nltk" in sys.modules
        assert "scipy" not in sys.modules and "sklearn" not in sys.modules, "NLTK pulled in scipy or sklearn"
        import scipy.stats, sklearn  # still importable afterwards
        print("ok")
    """)
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr[-2000:]


def _exported_pages(include_code: bool):
    """The same notebook (an image without alt text, raw HTML, streams, an error, the executed seed pages)
    through nbconvert's stock HTMLExporter and through the kit's, both with the kit's template."""
    from nbconvert import HTMLExporter

    png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell(f"# Title\n\n![](data:image/png;base64,{png}) and <img src='x.png'>", id="md"),
        nbformat.v4.new_code_cell("x = 1", id="c1", outputs=[
            nbformat.v4.new_output("display_data", data={"image/png": png, "text/plain": "<Figure>"}),
            nbformat.v4.new_output("display_data", data={"text/html": '<div class="jp-OutputArea-output">'
                                                                      '<img src="y.png"></div><b>bold</b>'}),
            nbformat.v4.new_output("stream", name="stdout", text="printed\n"),
            nbformat.v4.new_output("stream", name="stderr", text="warned\n"),
            nbformat.v4.new_output("error", ename="ValueError", evalue="bad", traceback=["ValueError: bad"]),
        ], execution_count=1),
    ])
    nb.metadata["language_info"] = {"name": "python", "pygments_lexer": "ipython3"}
    stock = HTMLExporter(extra_template_basedirs=[str(R.TEMPLATE_DIR)], template_name=R.TEMPLATE_NAME)
    ours = R.page_exporter_class()(extra_template_basedirs=[str(R.TEMPLATE_DIR)], template_name=R.TEMPLATE_NAME)
    for exp in (stock, ours):
        exp.exclude_input = exp.exclude_input_prompt = not include_code
        exp.exclude_output_prompt = True
    return [(exp.from_notebook_node(nb, resources={"metadata": {"name": "page"}})[0]) for exp in (stock, ours)]


@pytest.mark.parametrize("include_code", [False, True], ids=["code hidden", "code shown"])
def test_the_kits_exporter_gives_the_stock_exporters_page(include_code):
    from bs4 import BeautifulSoup

    stock, ours = _exported_pages(include_code)
    assert str(BeautifulSoup(ours, "html.parser")) == str(BeautifulSoup(stock, "html.parser"))
    assert 'alt="No description has been provided for this image"' in ours
    assert ours.count('tabindex="0"') == stock.count('tabindex="0"') >= 3
