"""The whole report, not only counting: full analysis, full report, scale, and scattertext's explorer.

Workloads (each run in a fresh spawned process by :mod:`bench.measure`):

- :func:`run_analysis`: ``analysis.pipeline.compute.analyze(params, use_cache=False)``, the one streaming pass
  over the documents and every table that follows from it;
- :func:`run_report`: ``python -m analysis report ... --force`` in a subprocess with a fresh analysis cache
  (``NARRATIVES_CACHE_DIR``), as users run it: wall time, the size of the cache and of ``tables/``;
- :func:`run_scattertext_explorer`: scattertext end to end on the same two groups, the peer a user would pick:
  ``CorpusFromPandas(..., nlp=whitespace_nlp_with_sentences).build()`` then ``produce_scattertext_explorer``
  written to an HTML file (its import counted in its time, as our report's imports are in ours).

Memory of a process tree (the report's kernels, the ``processes`` backend's pool) is measured two ways: the
largest single process (``RUSAGE_CHILDREN`` high-water mark, as :mod:`bench.reports` does) and the sum of the
resident sets of the whole tree, sampled every 0.1 s (:class:`TreePeak`; never below one process's high-water
mark, which catches a peak shorter than the interval), which is what the machine must hold.
Scaled corpora are written as JSON Lines (every document k times, doc_ids suffixed ``#x<k>`` as the streaming
scaling benchmark does) and analysed with ``boilerplate off``: the boilerplate step would drop the replicas as
duplicate documents.
"""
from __future__ import annotations

import contextlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from .workloads import SUFFIX

ROOT = Path(__file__).resolve().parents[1]


def prepare(func_name: str) -> None:
    """Imports before the clock: pandas and the pipeline for the analysis (the report subprocess and
    scattertext import inside their timed span, since a user pays for that too)."""
    if func_name == "run_analysis":
        import pandas  # noqa: F401

        import analysis.pipeline.compute  # noqa: F401
        import analysis.pipeline.document_pass  # noqa: F401


# --- memory of a process tree ------------------------------------------------------------------------------

def _children(pid: int) -> list[int]:
    """The child processes of ``pid`` (from /proc/PID/task/*/children; empty once it has gone)."""
    kids: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return kids
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                kids.extend(int(x) for x in fh.read().split())
        except OSError:
            continue
    return kids


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_mb(pid: int) -> float:
    """The resident memory of ``pid`` and all its descendants, now (MB)."""
    todo, total = [pid], 0
    while todo:
        p = todo.pop()
        total += _rss_kb(p)
        todo.extend(_children(p))
    return total / 1024


class TreePeak:
    """Sample the summed RSS of a process tree in a thread; ``peak_mb`` is the largest sum seen.

    With ``limit_mb``, a tree that grows past it is stopped (its children killed, KeyboardInterrupt raised in
    the main thread) and ``exceeded_after`` says after how many seconds: a measurement must not take the
    memory of a shared machine."""

    def __init__(self, pid: int | None = None, interval: float = 0.1, limit_mb: float | None = None):
        self.pid, self.interval, self.peak_mb, self.limit_mb = pid or os.getpid(), interval, 0.0, limit_mb
        self.exceeded_after: float | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        t0 = time.perf_counter()
        while not self._stop.is_set():
            self.peak_mb = max(self.peak_mb, tree_rss_mb(self.pid))
            if self.limit_mb and self.peak_mb > self.limit_mb and self.exceeded_after is None:
                self.exceeded_after = time.perf_counter() - t0
                self._kill()
            self._stop.wait(self.interval)

    def _kill(self) -> None:
        import signal

        if self.pid == os.getpid():  # a real signal to the main thread: it also wakes a blocking wait
            signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)
        todo = _children(self.pid)
        while todo:
            p = todo.pop()
            todo.extend(_children(p))
            with contextlib.suppress(OSError):
                os.kill(p, signal.SIGKILL)
        if self.pid != os.getpid():
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)

    def check(self) -> None:
        """Raise RuntimeError if the tree was stopped for passing ``limit_mb``."""
        if self.exceeded_after is not None:
            raise RuntimeError(f"stopped: the process tree passed {self.limit_mb:,.0f} MB after "
                               f"{self.exceeded_after:.0f} s")

    def __enter__(self) -> "TreePeak":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def _children_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def folder_mb(path: str | os.PathLike) -> float:
    """Bytes of every file under ``path`` (MB); 0 when it does not exist."""
    p = Path(path)
    if not p.exists():
        return 0.0
    return sum(f.stat().st_size for f in p.rglob("*") if f.is_file()) / 1e6


# --- corpora -----------------------------------------------------------------------------------------------

def replicate_file(path: str, scale: int, folder: str, step: int = 1, limit: int | None = None) -> str:
    """A JSONL file holding every document of the JSONL corpus ``path`` ``scale`` times (replicate k > 0 with
    doc_id + ``#x<k>``), written in ``folder``; ``step``/``limit`` take a systematic sample first."""
    out = os.path.join(folder, f"{Path(path).stem}-x{scale}-every{step}-max{limit}.jsonl")
    if os.path.exists(out):
        return out
    with open(path, "rb") as fh:
        lines = [l for l in fh if l.strip()]
    lines = lines[::step][:limit]
    with open(out, "w", encoding="utf-8") as dst:
        for k in range(scale):
            for line in lines:
                rec = json.loads(line)
                if k:
                    rec["doc_id"] = f"{rec['doc_id']}{SUFFIX}{k}"
                dst.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return out


# --- the workloads -----------------------------------------------------------------------------------------

def _tree_result(seconds: float, tree: TreePeak, cpu0: float) -> dict:
    """Wall time, peak memory (summed tree, largest child) and CPU time of this process and its children
    since ``cpu0`` (``time.process_time()`` at the start; children count once they have been waited for)."""
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"wall_seconds": seconds, "tree_peak_mb": tree.peak_mb, "largest_child_peak_mb": _children_peak_mb(),
            "tree_cpu_seconds": time.process_time() - cpu0 + ru.ru_utime + ru.ru_stime}


def run_analysis(params: dict, limit_mb: float | None = None) -> dict:
    """The full analysis, no cache: documents, counted tokens, step times, and the tree's peak memory (this
    process and the ``processes`` backend's pool); stopped with RuntimeError past ``limit_mb``."""
    from analysis.pipeline.compute import analyze

    cpu0, tree = time.process_time(), TreePeak(limit_mb=limit_mb)
    try:
        with tree:
            t0 = time.perf_counter()
            result = analyze(params, use_cache=False)
            seconds = time.perf_counter() - t0
    except KeyboardInterrupt:
        tree.check()
        raise
    docs = result.documents
    return {**_tree_result(seconds, tree, cpu0), "documents": len(docs), "tokens": int(docs["n_tokens"].sum()),
            "groups": {str(g): int(n) for g, n in docs["group"].value_counts().sort_index().items()},
            "step_seconds": dict(result.step_seconds), "duplicates": len(result.cleaning.get("duplicates", [])),
            "tables": sorted(n for n in result if result.available(n))}


def report_command(corpus: str, out: str, params: dict) -> list[str]:
    cmd = [sys.executable, "-m", "analysis", "report", "--corpus", corpus, "--out", out, "--force"]
    for k, v in params.items():
        cmd += ["-p", k, str(v)]
    return cmd


def run_report(corpus: str, params: dict, workdir: str | None = None, limit_mb: float | None = None) -> dict:
    """``python -m analysis report --force`` with a fresh cache: wall time, peak memory of the process tree,
    analysis and notebook seconds (from run.json), sizes of the cache, the tables and the explorer page."""
    with tempfile.TemporaryDirectory(prefix="bench-whole-", dir=workdir) as tmp:
        out, cache = os.path.join(tmp, "out"), os.path.join(tmp, "cache")
        env = dict(os.environ, NARRATIVES_CACHE_DIR=cache, PYTHONHASHSEED="0")
        cmd = report_command(corpus, out, params)
        t0, cpu0 = time.perf_counter(), time.process_time()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        with TreePeak(proc.pid, limit_mb=limit_mb) as tree:
            stdout, stderr = proc.communicate()
        seconds = time.perf_counter() - t0
        tree.check()
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{stderr[-3000:]}")
        run = json.loads((Path(out) / "run.json").read_text(encoding="utf-8"))
        import pandas as pd

        docs = pd.read_csv(Path(out) / "tables" / "documents.csv", usecols=["n_tokens"])
        explorer = Path(out) / "06_explorer.html"
        timings = run.get("timings", {})
        return {**_tree_result(seconds, tree, cpu0), "documents": int(sum(run["comparison"]["documents"].values())),
                "tokens": int(docs["n_tokens"].sum()), "analysis_seconds": timings.get("analysis_seconds"),
                "notebooks_seconds": timings.get("notebooks_seconds"),
                "step_seconds": run.get("analysis", {}).get("step_seconds", {}),
                "html_files": len(list(Path(out).glob("*.html"))), "cache_mb": folder_mb(cache),
                "tables_mb": folder_mb(Path(out) / "tables"), "report_mb": folder_mb(out),
                "explorer_html_mb": explorer.stat().st_size / 1e6 if explorer.is_file() else 0.0,
                "duplicates": len(run.get("cleaning", {}).get("duplicates", []))}


def _two_groups(corpus: str, group_col: str, group_a: str, group_b: str):
    """The documents of the two groups as a DataFrame (doc_id, group, text)."""
    import pandas as pd

    from analysis.corpus import iter_documents

    rows = []
    for rec in iter_documents(corpus):
        g = str(rec.get(group_col, ""))  # as the analysis reads it (a JSON true is "True")
        if g in (group_a, group_b):
            rows.append({"doc_id": rec["doc_id"], "group": g, "text": rec["text"]})
    return pd.DataFrame(rows, columns=["doc_id", "group", "text"])


def run_scattertext_explorer(corpus: str, group_col: str, group_a: str, group_b: str, out_html: str,
                             limit_mb: float | None = None) -> dict:
    """scattertext end to end: import, read the two groups, CorpusFromPandas(whitespace_nlp_with_sentences)
    .build(), produce_scattertext_explorer (its defaults; documents' ids as metadata), write the HTML."""
    cpu0, tree = time.process_time(), TreePeak(limit_mb=limit_mb)
    try:
        with tree:
            res = _scattertext_explorer(corpus, group_col, group_a, group_b, out_html, time.perf_counter())
    except KeyboardInterrupt:
        tree.check()
        raise
    return {**_tree_result(res["wall_seconds"], tree, cpu0), **res}


def _scattertext_explorer(corpus: str, group_col: str, group_a: str, group_b: str, out_html: str,
                          t0: float) -> dict:
    import scattertext as st

    t_import = time.perf_counter() - t0
    frame = _two_groups(corpus, group_col, group_a, group_b)
    built = st.CorpusFromPandas(frame, category_col="group", text_col="text",
                                nlp=st.whitespace_nlp_with_sentences).build()
    t_built = time.perf_counter() - t0
    html = st.produce_scattertext_explorer(built, category=group_a, category_name=group_a,
                                           not_category_name=group_b, metadata=frame["doc_id"],
                                           width_in_pixels=1000)
    Path(out_html).write_text(html, encoding="utf-8")
    seconds = time.perf_counter() - t0
    return {"wall_seconds": seconds, "documents": len(frame), "import_seconds": t_import,
            "build_seconds": t_built - t_import, "explorer_seconds": seconds - t_built,
            "html_mb": os.path.getsize(out_html) / 1e6, "terms": int(len(built.get_terms()))}


# --- the whole benchmark -----------------------------------------------------------------------------------

CORPORA = ROOT.parent / "shared" / "corpora"
SETS = {
    "prosecutors": (CORPORA / "us-prosecutor-press-releases" / "documents.jsonl",
                    {"group_col": "group", "group_a": "kings_ny", "group_b": "orange_ca"}),
    "doj": (CORPORA / "us-doj-press-releases-2009-2018" / "documents.jsonl",
            {"group_col": "mentions_drugs", "group_a": "True", "group_b": "False"}),
}
SCALE_SET = "prosecutors"
MEDIANS = ("seconds", "wall_seconds", "tree_peak_mb", "largest_child_peak_mb", "peak_rss_mb", "cpu_seconds",
           "tree_cpu_seconds", "analysis_seconds", "notebooks_seconds", "load_1min")


def cores_used(backend: str) -> int:
    """Cores a backend computes on: one for ``local``, one per usable core for ``processes``."""
    return len(os.sched_getaffinity(0)) if backend == "processes" else 1


def parse_runs(spec: str) -> list[tuple[str, str]]:
    """``"prosecutors:local,doj:processes"`` -> [("prosecutors", "local"), ("doj", "processes")]."""
    runs = []
    for item in (s.strip() for s in spec.split(",") if s.strip()):
        name, _, backend = item.partition(":")
        if name not in SETS or backend not in ("local", "processes"):
            raise ValueError(f"--whole-runs: {item!r} is not SET:BACKEND with SET in {', '.join(SETS)} and "
                             "BACKEND local or processes")
        runs.append((name, backend))
    return runs


def _tree_peak(run: dict) -> dict:
    """A run with ``tree_peak_mb`` at least its own and its largest child's high-water marks (a peak shorter
    than the sampling interval is seen by those, not by the sampler)."""
    return {**run, "tree_peak_mb": max(run["tree_peak_mb"], run.get("peak_rss_mb", 0), run["largest_child_peak_mb"])}


def _median_runs(runs: list[dict]) -> dict:
    import statistics

    runs = [_tree_peak(r) for r in runs]
    out = dict(runs[0])
    for key in MEDIANS:
        values = [r[key] for r in runs if r.get(key) is not None]
        if values:
            out[key] = statistics.median(values)
    out["runs"] = [round(r.get("wall_seconds", r["seconds"]), 2) for r in runs]
    out["repeats"] = len(runs)
    return out


def _rates(res: dict, backend: str, seconds: float) -> dict:
    cores = cores_used(backend)
    rate = res["tokens"] / seconds if seconds else float("nan")
    return {"cores": cores, "tokens_per_s": rate, "tokens_per_s_per_core": rate / cores}


def measure_whole(runs: list[tuple[str, str]], scales: list[int], scattertext_sets: list[str], repeats: int,
                  scale_repeats: int | None, scale_backend: str, tmp: str, timeout: float | None = None,
                  sample: int | None = None, corpora: dict | None = None, log=None, checkpoint=None,
                  limit_mb: float | None = None) -> dict:
    """Full analysis and full report of each (set, backend) of ``runs``, scattertext's explorer on
    ``scattertext_sets``, interleaved over ``repeats`` rounds (medians); then the scale series of the
    prosecutors' corpus (boilerplate off). ``sample``: a systematic sample of that many documents of each
    corpus (the quick smoke run); ``corpora``: name -> (path, group parameters), for sets other than SETS';
    ``checkpoint(raw)`` is called with the runs measured so far after each run (a long run keeps its figures
    if it is stopped); ``limit_mb``: a run whose process tree passes it is stopped and reported as failed."""
    from .measure import run_once
    from .workloads import count_documents_in, sample_file

    log = log or (lambda msg: None)
    known = {**SETS, **(corpora or {})}
    paths, sets, groups = {}, {}, {}
    for name in sorted({n for n, _ in runs} | set(scattertext_sets) | ({SCALE_SET} if scales else set())):
        path, groups[name] = str(known[name][0]), dict(known[name][1])
        n = count_documents_in(path)
        step = max(1, n // sample) if sample else 1
        paths[name] = sample_file(path, step, sample, tmp) if sample else path
        sets[name] = {"path": path, "documents_in_file": n, "sample_step": step, "limit": sample, **groups[name]}
    jobs: dict[tuple, tuple[str, dict]] = {}
    for name, backend in runs:
        params = {**groups[name], "backend": backend}
        jobs[("analysis", name, backend)] = ("bench.whole:run_analysis", {"params": {**params, "corpus": paths[name]}})
        jobs[("report", name, backend)] = ("bench.whole:run_report", {"corpus": paths[name], "params": params,
                                                                      "workdir": tmp})
    for name in scattertext_sets:
        g = groups[name]
        jobs[("scattertext", name, "")] = ("bench.whole:run_scattertext_explorer", {
            "corpus": paths[name], "group_col": g["group_col"], "group_a": g["group_a"], "group_b": g["group_b"],
            "out_html": os.path.join(tmp, f"scattertext-{name}.html")})
    measured: dict[tuple, list[dict]] = {k: [] for k in jobs}
    failed: dict[str, str] = {}
    for r in range(max(1, repeats)):
        for key, (target, kwargs) in jobs.items():
            label = " ".join(k for k in key if k)
            if label in failed:
                continue
            log(f"whole round {r + 1}/{repeats}: {label}")
            load = os.getloadavg()[0]
            try:
                measured[key].append({**run_once(target, timeout=timeout, limit_mb=limit_mb, **kwargs),
                                  "load_1min": load})
            except RuntimeError as err:  # one failed workload (a timeout, memory) leaves the others' figures
                failed[label] = str(err).strip().splitlines()[-1][:300]
                log(f"{label} failed: {failed[label]}")
            if checkpoint:
                checkpoint({" ".join(k for k in key if k): rs for key, rs in measured.items() if rs})
    out: dict = {"sets": sets, "analysis": [], "report": [], "scattertext": [], "scale": [],
                 "scale_backend": scale_backend, "failed": failed}
    for (kind, name, backend), rs in measured.items():
        if not rs:
            continue
        res = {"set": name, "backend": backend, **_median_runs(rs)}
        if kind == "analysis":
            res.update(_rates(res, backend, res["wall_seconds"]))
        elif kind == "report":
            res.update(_rates(res, backend, res["analysis_seconds"]))
        out[kind].append(res)
    for st_row in out["scattertext"]:
        ours = [r for r in out["report"] if r["set"] == st_row["set"]]
        st_row["ours"] = [{"backend": r["backend"], "time_ratio": r["wall_seconds"] / st_row["wall_seconds"],
                           "memory_ratio": r["tree_peak_mb"] / st_row["tree_peak_mb"],
                           "page_ratio": r["explorer_html_mb"] / st_row["html_mb"]} for r in ours]
    for k in scales:
        corpus = replicate_file(paths[SCALE_SET], k, tmp)
        reps = scale_repeats or (1 if k >= 16 else repeats)
        params = {**groups[SCALE_SET], "backend": scale_backend, "boilerplate": "off", "corpus": corpus}
        rs = []
        for r in range(reps):
            log(f"whole scale x{k} ({scale_backend}, boilerplate off): run {r + 1}/{reps}")
            load = os.getloadavg()[0]
            try:
                rs.append({**run_once("bench.whole:run_analysis", timeout=timeout, params=params,
                                      limit_mb=limit_mb), "load_1min": load})
            except RuntimeError as err:
                failed[f"scale x{k}"] = str(err).strip().splitlines()[-1][:300]
                log(f"scale x{k} failed: {failed[f'scale x{k}']}")
                break
            if checkpoint:
                checkpoint({**out, f"scale x{k} runs": rs})
        in_file = count_documents_in(corpus)
        os.remove(corpus)
        if rs:
            res = {"scale": k, "backend": scale_backend, "documents_in_file": in_file, **_median_runs(rs)}
            res.update(_rates(res, scale_backend, res["wall_seconds"]))
            out["scale"].append(res)
    return out
