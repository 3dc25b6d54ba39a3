"""Time the seed report suite against its floor: papermill + nbconvert on as many empty notebooks.

The suite runs as users run it, ``python -m analysis report --corpus seeds --out DIR --force``, in a
subprocess with a fresh analysis cache (``NARRATIVES_CACHE_DIR``: cold), then again with ``--force`` and the
cache filled (the analysis is reused, every notebook runs again), then unchanged without ``--force`` (warm: the
published report is reused). The floor executes the same number of notebooks that hold one
empty (parameters) cell with plain ``papermill.execute_notebook`` (a new kernel per notebook, papermill's default)
and exports each to HTML with nbconvert's ``HTMLExporter`` (one per process), in a process pool as wide as the
report's own parallelism: what any papermill-based report suite pays before doing any work. It does not go
through the kit's runner, whose warm, reused kernels are part of what is measured against the floor.
Each measurement runs in its own spawned process (see :mod:`bench.measure`); peak memory is that of the
largest process of the run (``RUSAGE_CHILDREN``).
"""
from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def report_jobs() -> int:
    """The report suite's parallelism: its runner's default (one worker per core)."""
    return max(1, os.cpu_count() or 1)


def report_notebooks() -> list[str]:
    """The pages of the report suite, as the runner lists them."""
    from analysis.report import build as report

    return list(report.NOTEBOOKS)


def kernel_name() -> str:
    """The Jupyter kernel the report runner uses (the floor uses the same)."""
    from analysis.report.runner import KERNEL_NAME

    return KERNEL_NAME


def _children_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def run_suite(corpus: str, out: str, cache_dir: str, force: bool = True) -> dict:
    """One run of ``python -m analysis report`` in a subprocess; its wall time and largest process peak."""
    env = dict(os.environ, NARRATIVES_CACHE_DIR=cache_dir, PYTHONHASHSEED="0")
    cmd = [sys.executable, "-m", "analysis", "report", "--corpus", corpus, "--out", out]
    if force:
        cmd.append("--force")
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    htmls = sorted(str(p.relative_to(out)) for p in Path(out).rglob("*.html"))
    return {"wall_seconds": seconds, "largest_process_peak_mb": _children_peak_mb(), "html_files": len(htmls)}


def _empty_notebook(path: Path, kernel: str) -> None:
    import nbformat

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("")
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell]
    nb.metadata["kernelspec"] = {"name": kernel, "display_name": kernel, "language": "python"}
    nbformat.write(nb, path)


_EXPORTER = None


def _execute_and_export(src: str, dst_dir: str, kernel: str, parameters: dict) -> str:
    import nbformat
    import papermill
    from nbconvert import HTMLExporter

    global _EXPORTER
    dst = Path(dst_dir) / Path(src).name
    papermill.execute_notebook(src, str(dst), parameters=parameters, kernel_name=kernel, progress_bar=False,
                               cwd=dst_dir)
    _EXPORTER = _EXPORTER or HTMLExporter()
    body, _ = _EXPORTER.from_notebook_node(nbformat.read(dst, as_version=4))
    html = dst.with_suffix(".html")
    html.write_text(body, encoding="utf-8")
    return str(html)


def run_floor(n_notebooks: int, jobs: int, kernel: str, workdir: str) -> dict:
    """Execute and export ``n_notebooks`` empty notebooks, ``jobs`` at a time: papermill + nbconvert's
    HTMLExporter in a pool of ``jobs`` processes (started, and papermill imported, inside the timed span, as
    the report command starts and imports inside its own)."""
    src_dir = Path(workdir) / "src"
    out_dir = Path(workdir) / "out"
    src_dir.mkdir(parents=True, exist_ok=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    sources = []
    for i in range(n_notebooks):
        path = src_dir / f"{i:02d}_empty.ipynb"
        _empty_notebook(path, kernel)
        sources.append(str(path))
    parameters = {"corpus": str(ROOT / "seeds"), "output_dir": str(out_dir)}
    env_path = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
    os.environ["PATH"] = env_path  # the kernelspec's "python" is this environment's, as for the report
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn")) as pool:
        htmls = list(pool.map(_execute_and_export, sources, [str(out_dir)] * n_notebooks,
                              [kernel] * n_notebooks, [parameters] * n_notebooks))
    seconds = time.perf_counter() - t0
    return {"wall_seconds": seconds, "largest_process_peak_mb": _children_peak_mb(), "html_files": len(htmls),
            "how": f"papermill.execute_notebook + nbconvert HTMLExporter, {jobs} processes, a kernel per notebook"}


def measure_reports(repeats: int, corpus: str = "seeds") -> dict:
    """Cold suite, warm suite and floor, each ``repeats`` times in fresh processes; medians."""
    import statistics

    from .measure import run_once

    notebooks = report_notebooks()
    if not notebooks:
        raise RuntimeError("the report runner lists no notebooks")
    jobs, kernel = report_jobs(), kernel_name()
    runs: dict[str, list[dict]] = {"suite_cold": [], "suite_cached": [], "suite_warm": [], "floor": []}
    for _ in range(max(1, repeats)):
        with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
            out, cache = os.path.join(tmp, "out"), os.path.join(tmp, "cache")
            for key, force in (("suite_cold", True), ("suite_cached", True), ("suite_warm", False)):
                runs[key].append(run_once("bench.reports:run_suite", corpus=corpus, out=out, cache_dir=cache,
                                          force=force))
        with tempfile.TemporaryDirectory(prefix="bench-floor-") as tmp:
            runs["floor"].append(run_once("bench.reports:run_floor", n_notebooks=len(notebooks), jobs=jobs,
                                          kernel=kernel, workdir=tmp))
    result = {"notebooks": list(notebooks), "jobs": jobs, "kernel": kernel, "repeats": repeats}
    for name, rs in runs.items():
        result[name] = {"seconds": statistics.median(r["wall_seconds"] for r in rs),
                        "runs": [round(r["wall_seconds"], 3) for r in rs],
                        "largest_process_peak_mb": statistics.median(r["largest_process_peak_mb"] for r in rs),
                        "html_files": rs[0]["html_files"]}
    result["cold_over_floor"] = result["suite_cold"]["seconds"] / result["floor"]["seconds"]
    result["cached_over_floor"] = result["suite_cached"]["seconds"] / result["floor"]["seconds"]
    result["warm_over_floor"] = result["suite_warm"]["seconds"] / result["floor"]["seconds"]
    # papermill shuts each kernel down gracefully, and ipykernel sometimes takes seconds to exit: the fastest floor
    # run is the floor without those stalls, the strictest reference
    fastest = min(r["wall_seconds"] for r in runs["floor"])
    result["floor_fastest_seconds"] = fastest
    result["cold_over_fastest_floor"] = result["suite_cold"]["seconds"] / fastest
    result["cached_over_fastest_floor"] = result["suite_cached"]["seconds"] / fastest
    result["floor_how"] = runs["floor"][0].get("how", "")
    return result
