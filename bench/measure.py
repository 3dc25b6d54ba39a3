"""Run one measurement in a fresh spawned process and bring back its time and memory.

Why a child per measurement: a process's peak RSS never goes down, so two workloads measured in one process
would share a peak. Time and memory are read inside the child, after its imports (the RSS at that point is
reported as its baseline). Peak RSS is read from ``/proc/self/status`` (VmHWM, the high-water mark of the
child's own address space) and ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` is kept beside it: on Linux,
``ru_maxrss`` of a spawned child also carries the parent's peak from before ``exec`` (fork/vfork + exec), so on
its own it would overstate a small child launched from a big parent.
"""
from __future__ import annotations

import importlib
import multiprocessing
import resource
import statistics
import time
import traceback
from typing import Any


def _status_kb(field: str) -> int | None:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _child(conn, target: str, kwargs: dict) -> None:
    try:
        module_name, func_name = target.split(":")
        module = importlib.import_module(module_name)
        func = getattr(module, func_name)
        prepare = getattr(module, "prepare", None)
        if prepare is not None:
            prepare(func_name)  # heavy imports of the workload happen before the clock and the baseline
        base_kb = _status_kb("VmRSS")
        t0, cpu0 = time.perf_counter(), time.process_time()
        result = func(**kwargs)
        seconds, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        peak_kb = _status_kb("VmHWM")
        ru_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        result = dict(result or {})
        result.update(seconds=seconds, cpu_seconds=cpu, peak_rss_mb=(peak_kb or ru_kb) / 1024, ru_maxrss_mb=ru_kb / 1024,
                      base_rss_mb=(base_kb or 0) / 1024)
        conn.send(("ok", result))
    except BaseException as exc:  # report any failure to the parent instead of dying silently
        conn.send(("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=8)}"))
    finally:
        conn.close()


def run_once(target: str, timeout: float | None = None, **kwargs: Any) -> dict:
    """Run ``module:function(**kwargs)`` in a fresh spawned process; return its result plus seconds and memory.

    Raises RuntimeError (with the child's traceback) if the workload failed or timed out.
    """
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    # not a daemon: a measurement may start processes of its own (the report runner's notebook workers)
    proc = ctx.Process(target=_child, args=(child, target, kwargs), daemon=False)
    proc.start()
    child.close()
    if not parent.poll(timeout):
        proc.kill()
        proc.join()
        raise RuntimeError(f"{target} did not finish within {timeout} s")
    status, payload = parent.recv()
    proc.join()
    if status != "ok":
        raise RuntimeError(f"{target} failed in its child process:\n{payload}")
    return payload


def run_repeated(target: str, repeats: int, timeout: float | None = None, **kwargs: Any) -> dict:
    """``repeats`` fresh runs; the result of the first run with ``seconds`` and ``peak_rss_mb`` replaced by
    their medians, and every run's seconds kept in ``runs``."""
    return _summary([run_once(target, timeout=timeout, **kwargs) for _ in range(max(1, repeats))])


def run_interleaved(jobs: dict[str, tuple[str, dict]], repeats: int, timeout: float | None = None,
                    log=None) -> dict[str, dict]:
    """``repeats`` rounds over ``jobs`` (name -> (target, kwargs)), one fresh run of each job per round, so
    that a change of machine load during the benchmark touches every tool alike; medians as run_repeated."""
    runs: dict[str, list[dict]] = {name: [] for name in jobs}
    for r in range(max(1, repeats)):
        for name, (target, kwargs) in jobs.items():
            if log:
                log(f"round {r + 1}/{repeats}: {name}")
            runs[name].append(run_once(target, timeout=timeout, **kwargs))
    return {name: _summary(rs) for name, rs in runs.items()}


def _summary(runs: list[dict]) -> dict:
    out = dict(runs[0])
    for key in ("seconds", "cpu_seconds", "peak_rss_mb", "ru_maxrss_mb", "base_rss_mb"):
        out[key] = statistics.median(r[key] for r in runs)
    out["runs"] = [round(r["seconds"], 4) for r in runs]
    out["repeats"] = len(runs)
    return out
