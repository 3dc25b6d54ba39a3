"""``python -m bench``: measure, print the table, write reports/bench/latest.json."""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from . import output
from .measure import run_interleaved, run_repeated
from .workloads import WORKLOADS, count_documents_in, sample_file

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "us-prosecutor-press-releases" / "documents.jsonl"
DOJ_CORPUS = ROOT.parent / "shared" / "corpora" / "us-doj-press-releases-2009-2018" / "documents.jsonl"
QUICK_DOCS = 300
QUICK_WHOLE_DOCS = 60  # --whole --quick: every page of the report is rendered, so a smaller sample


def parse_args(argv=None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    ap.add_argument("--corpus", default=str(DEFAULT_CORPUS), help="corpus file or folder (default: %(default)s)")
    ap.add_argument("--group-col", default="group")
    ap.add_argument("--group-a", default="kings_ny")
    ap.add_argument("--group-b", default="orange_ca", help="a group, or 'rest'")
    ap.add_argument("--language", default="auto")
    ap.add_argument("--repeats", type=int, default=5, help="runs per measurement; medians are quoted")
    ap.add_argument("--scales", default="1,4,16", help="corpus replications for the scaling table")
    ap.add_argument("--scale-repeats", type=int, default=None,
                    help="runs per scaling point above 1x (default: 1 for 16x and more, else --repeats)")
    ap.add_argument("--scattertext-docs", type=int, default=0,
                    help="run scattertext (and ours, for its ratio) on a systematic sample of this many documents "
                         "(0 = the whole corpus)")
    ap.add_argument("--quick", action="store_true", help=f"smoke test: a sample of {QUICK_DOCS} documents, "
                    "scales 1,2")
    ap.add_argument("--skip-reports", action="store_true", help="do not time the report suite")
    ap.add_argument("--reports-only", action="store_true",
                    help="time only the report suite against its floor (no throughput, no scaling)")
    ap.add_argument("--report-repeats", type=int, default=None,
                    help="runs of each report measurement (default: --repeats)")
    ap.add_argument("--whole", action="store_true",
                    help="measure the whole report instead of counting: full analysis and full report of "
                         "--whole-runs, scattertext's explorer on --scattertext-sets, the prosecutors' corpus "
                         "replicated --scales times through the full analysis (boilerplate off)")
    ap.add_argument("--doj-corpus", default=str(DOJ_CORPUS), help="the DOJ corpus of --whole (default: %(default)s)")
    ap.add_argument("--whole-runs", default="prosecutors:local,prosecutors:processes,doj:local,doj:processes",
                    help="SET:BACKEND pairs of --whole (sets: prosecutors = kings_ny vs orange_ca, doj = "
                         "mentions_drugs True vs False; backends: local, processes; default: %(default)s)")
    ap.add_argument("--scattertext-sets", default="prosecutors,doj",
                    help="sets on which --whole runs scattertext's explorer ('' for none; default: %(default)s)")
    ap.add_argument("--max-tree-mb", type=float, default=8000,
                    help="--whole: stop (and report as failed) a run whose process tree passes this many MB "
                         "(the machine is shared; default: %(default)s)")
    ap.add_argument("--scale-backend", default="processes", choices=("local", "processes"),
                    help="backend of the --whole scale series (default: %(default)s)")
    ap.add_argument("--skip-baselines", default="", help="comma-separated baselines not to run")
    ap.add_argument("--out", default=str(ROOT / "reports" / "bench"), help="folder of latest.json")
    ap.add_argument("--timeout", type=float, default=3600, help="seconds allowed per measurement")
    return ap.parse_args(argv)


def machine() -> dict:
    """CPU, cores, RAM, Python and the versions of the packages compared."""
    import importlib.metadata as md
    import os
    import platform

    cpu = ""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    ram = 0.0
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal:"):
                ram = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    versions = {}
    for pkg in ("pandas", "numpy", "scipy", "scikit-learn", "nltk", "scattertext", "dask", "distributed",
                "papermill", "nbconvert"):
        try:
            versions[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            versions[pkg] = "not installed"
    return {"cpu": cpu or "unknown", "cores": os.cpu_count(), "cores_usable": len(os.sched_getaffinity(0)),
            "ram_gb": round(ram, 1), "python": platform.python_version(), "platform": platform.platform(),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
            "packages": versions}


def available(name: str) -> str | None:
    """None if the baseline's package imports, else why not."""
    import importlib

    module = {"CountVectorizer": "sklearn", "NLTK": "nltk", "scattertext": "scattertext"}.get(name)
    if module is None:
        return None
    try:
        importlib.import_module(module)
    except Exception as exc:  # a broken install is reported, not fatal
        return f"{type(exc).__name__}: {exc}"
    return None


def main(argv=None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        return _main(args, argv, tmp)


def _source(corpus: str, group_col: str, step: int, limit: int | None, tmp: str) -> dict:
    """The workloads' corpus argument: the whole file, or a sample (a temporary JSONL of every step-th line)."""
    if step == 1 and limit is None:
        return {"path": corpus, "group_col": group_col}
    sample = sample_file(corpus, step, limit, tmp)
    if sample is None:  # not JSONL: the generator skips documents itself
        return {"path": corpus, "group_col": group_col, "step": step, "limit": limit}
    return {"path": sample, "group_col": group_col}


def _main(args: argparse.Namespace, argv, tmp: str) -> int:
    if args.whole:
        return _main_whole(args, argv, tmp)
    started = time.time()
    corpus = str(Path(args.corpus).resolve())
    n_total = count_documents_in(corpus)
    scales = [int(s) for s in args.scales.split(",") if s.strip()]
    step, limit = 1, None
    if args.quick:
        step, scales = max(1, n_total // QUICK_DOCS), [s for s in scales if s <= 2] or [1]
        if 2 not in scales:
            scales.append(2)
        limit = QUICK_DOCS
    base = _source(corpus, args.group_col, step, limit, tmp)
    common = {"group_a": args.group_a, "group_b": args.group_b, "language": args.language}
    skip = {s.strip() for s in args.skip_baselines.split(",") if s.strip()}
    results: dict = {"machine": machine(), "corpus": {"path": corpus, "documents_in_file": n_total, "sample_step":
                     step, "limit": limit, "group_col": args.group_col, **common}, "repeats": args.repeats,
                     "throughput": {}, "skipped": {}, "scaling": [], "command": "python -m bench " +
                     " ".join(sys.argv[1:] if argv is None else argv)}
    say = lambda msg: print(f"[bench {time.time() - started:6.0f}s] {msg}", file=sys.stderr, flush=True)

    # 1. throughput, same documents for every tool (scattertext may get its own sample), runs interleaved
    jobs: dict[str, tuple[str, dict]] = {}
    st_sample = None
    if args.reports_only:
        scales = []
    for name, target in ({} if args.reports_only else WORKLOADS).items():
        why = "skipped on request" if name in skip else available(name)
        if why:
            results["skipped"][name] = why
            continue
        src = dict(base)
        if name == "scattertext" and args.scattertext_docs and not args.quick:
            src = _source(corpus, args.group_col, max(1, n_total // args.scattertext_docs), args.scattertext_docs,
                          tmp)
            st_sample = src
            jobs["ours (scattertext sample)"] = (WORKLOADS["ours"], dict(corpus=src, **common))
        jobs[name] = (target, dict(corpus=src, **common))
    if jobs:
        say(f"throughput: {args.repeats} round(s) of {', '.join(jobs)}")
    measured = run_interleaved(jobs, args.repeats, timeout=args.timeout, log=say) if jobs else {}
    for name in WORKLOADS:
        if name in measured:
            results["throughput"][name] = measured[name]
    if st_sample is not None and "scattertext" in measured:
        results["throughput"]["scattertext"]["sample"] = True
        results["throughput"]["scattertext"]["ours_same_sample"] = measured["ours (scattertext sample)"]

    # 2. scaling: the corpus streamed k times (a generator over the file, doc_ids suffixed #x<k>)
    for k in scales:
        for name in ("ours", "CountVectorizer"):
            if name not in results["throughput"]:
                continue
            if k == 1:
                res = results["throughput"][name]
            else:
                reps = args.scale_repeats or (1 if k >= 16 else args.repeats)
                say(f"scaling {name} x{k}: {reps} run(s)")
                res = run_repeated(WORKLOADS[name], reps, timeout=args.timeout, corpus=dict(base, scale=k),
                                   **common)
            results["scaling"].append({"tool": name, "scale": k, "documents": res["documents"],
                                       "tokens": res["tokens"], "vocabulary": res["vocabulary"],
                                       "seconds": res["seconds"], "repeats": res["repeats"],
                                       "peak_rss_mb": res["peak_rss_mb"], "base_rss_mb": res["base_rss_mb"]})

    # 3. the report suite against its floor
    if not args.skip_reports:
        from .reports import measure_reports

        reps = args.report_repeats or args.repeats
        say(f"report suite vs floor: {reps} run(s) each")
        try:
            results["reports"] = measure_reports(reps)
        except Exception as exc:  # the throughput figures stay useful; say why the report part is missing
            results["reports"] = {"error": f"{type(exc).__name__}: {exc}"}

    return _write(results, args, started, say, output.render)


def _main_whole(args: argparse.Namespace, argv, tmp: str) -> int:
    """``--whole``: the full analysis and report, scattertext's explorer and the scale series (bench.whole)."""
    from .whole import SETS, measure_whole, parse_runs

    try:
        runs = parse_runs(args.whole_runs)
    except ValueError as err:
        print(f"python -m bench: {err}", file=sys.stderr)
        return 2
    started = time.time()
    say = lambda msg: print(f"[bench {time.time() - started:6.0f}s] {msg}", file=sys.stderr, flush=True)
    scales = [int(s) for s in args.scales.split(",") if s.strip()]
    sample = None
    if args.quick:
        scales, sample = [s for s in scales if s <= 2] or [1], QUICK_WHOLE_DOCS
        if 2 not in scales:
            scales.append(2)
    st_sets = [s.strip() for s in args.scattertext_sets.split(",") if s.strip()]
    skipped = {}
    if "scattertext" in {s.strip() for s in args.skip_baselines.split(",")}:
        skipped["scattertext"], st_sets = "skipped on request", []
    elif st_sets and available("scattertext"):
        skipped["scattertext"], st_sets = available("scattertext"), []
    corpora = {"prosecutors": (str(Path(args.corpus).resolve()), {"group_col": args.group_col,
                                                                  "group_a": args.group_a, "group_b": args.group_b}),
               "doj": (str(Path(args.doj_corpus).resolve()), SETS["doj"][1])}
    results = {"machine": machine(), "repeats": args.repeats, "skipped": skipped,
               "command": "python -m bench " + " ".join(sys.argv[1:] if argv is None else argv)}
    results["whole"] = measure_whole(runs, scales, st_sets, args.repeats,
                                     args.scale_repeats, args.scale_backend, tmp, timeout=args.timeout,
                                     sample=sample, corpora=corpora, log=say,
                                     checkpoint=lambda raw: _checkpoint(raw, args.out),
                                     limit_mb=args.max_tree_mb or None)
    return _write(results, args, started, say, output.render_whole)


def _checkpoint(raw: dict, out: str) -> None:
    """The runs measured so far, in OUT/partial.json (replaced by latest.json when the benchmark ends)."""
    Path(out).mkdir(parents=True, exist_ok=True)
    (Path(out) / "partial.json").write_text(json.dumps(output.jsonable(raw), indent=1, default=str) + "\n",
                                            encoding="utf-8")


def _write(results: dict, args: argparse.Namespace, started: float, say, render) -> int:
    """Print the table; write it and the figures (JSON) to --out."""
    results["elapsed_seconds"] = round(time.time() - started, 1)
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    text = render(results)
    print(text)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.json").write_text(json.dumps(output.jsonable(results), indent=2, sort_keys=True) + "\n",
                                     encoding="utf-8")
    (out / "latest.txt").write_text(text + "\n", encoding="utf-8")
    (out / "partial.json").unlink(missing_ok=True)
    say(f"written {out / 'latest.json'}")
    return 0


