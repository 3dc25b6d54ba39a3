"""The plain-text table of a benchmark run, and its JSON form."""
from __future__ import annotations


def _fmt(value: float, digits: int = 0) -> str:
    return f"{value:,.{digits}f}"


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    line = lambda cells: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))
    return "\n".join([line(headers), "  ".join("-" * w for w in widths), *(line(r) for r in rows)])


def render(results: dict) -> str:
    m, c = results["machine"], results["corpus"]
    pk = ", ".join(f"{k} {v}" for k, v in m["packages"].items())
    out = [
        "Narratives kit benchmark",
        f"machine : {m['cpu']}, {m['cores']} cores ({m['cores_usable']} usable), {m['ram_gb']} GB RAM, "
        f"Python {m['python']}; load average (1, 5, 15 min) at start {' '.join(map(str, m.get('load_average_at_start', [])))}"
        f", at end {' '.join(map(str, m.get('load_average_at_end', [])))}",
        f"packages: {pk}",
        f"corpus  : {c['path']} ({c['documents_in_file']:,} documents in the file"
        + (f"; sample: every {c['sample_step']}th document, at most {c['limit']}" if c["limit"] else "") + ")",
        f"compare : {c['group_col']} {c['group_a']!r} vs {c['group_b']!r}; medians of {results['repeats']} run(s), "
        "each in a fresh process; time = read + tokenize + count per group + keyness table",
        "",
        "Throughput (same documents, same token pattern; scattertext uses its own tokenizer)",
    ]
    thr = results["throughput"]
    ours = thr.get("ours")
    rows = []
    for name, r in thr.items():
        ref = r.get("ours_same_sample") or ours
        ratio = r["seconds"] / ref["seconds"] if ref else float("nan")
        cpu = lambda x: _fmt(x["cpu_seconds"], 2) if "cpu_seconds" in x else "-"
        cpu_ratio = (f"{r['cpu_seconds'] / ref['cpu_seconds']:.2f}x" if ref and "cpu_seconds" in r
                     and "cpu_seconds" in ref else "-")
        rows.append([name + (" (sample)" if r.get("sample") else ""), _fmt(r["documents"]), _fmt(r["tokens"]),
                     _fmt(r["seconds"], 2), cpu(r), _fmt(r["documents"] / r["seconds"]),
                     _fmt(r["tokens"] / r["seconds"]), _fmt(r["peak_rss_mb"]), _fmt(r["base_rss_mb"]), f"{ratio:.2f}x",
                     cpu_ratio])
        if r.get("ours_same_sample"):
            s = r["ours_same_sample"]
            rows.append(["  ours (same sample)", _fmt(s["documents"]), _fmt(s["tokens"]), _fmt(s["seconds"], 2), cpu(s),
                         _fmt(s["documents"] / s["seconds"]), _fmt(s["tokens"] / s["seconds"]),
                         _fmt(s["peak_rss_mb"]), _fmt(s["base_rss_mb"]), "1.00x", "1.00x"])
    out.append(_table(["tool", "docs", "tokens", "median s", "CPU s", "docs/s", "tokens/s", "peak MB",
                       "MB after import", "time / ours", "CPU / ours"], rows))
    out.append("  (s = wall-clock seconds; CPU s = the process's own CPU time, less sensitive to other load on "
               "the machine; rates are per wall-clock second; for 'ours, 1 process per core' CPU s and memory are "
               "the parent's only, its pool's are not counted)")
    for name, why in results.get("skipped", {}).items():
        out.append(f"  {name}: not measured ({why})")
    if results["scaling"]:
        out += ["", "Scaling (corpus streamed k times from the file by a generator, doc_ids suffixed #x<k>)"]
        rows = []
        first = {}
        for s in results["scaling"]:
            f = first.setdefault(s["tool"], s)
            rows.append([f"{s['tool']} x{s['scale']}", _fmt(s["documents"]), _fmt(s["tokens"]), _fmt(s["vocabulary"]),
                         _fmt(s["seconds"], 2), str(s["repeats"]), f"{s['seconds'] / f['seconds']:.1f}x",
                         _fmt(s["peak_rss_mb"]), _fmt(s["peak_rss_mb"] - s["base_rss_mb"]),
                         f"{(s['peak_rss_mb'] - s['base_rss_mb']) / max(1e-9, f['peak_rss_mb'] - f['base_rss_mb']):.1f}x"])
        out.append(_table(["tool x scale", "docs", "tokens", "vocab", "s", "runs", "time vs x1", "peak MB",
                           "peak - import MB", "memory vs x1"], rows))
    rep = results.get("reports")
    if rep:
        out += ["", "Report suite (seeds) vs floor = plain papermill + nbconvert on as many EMPTY notebooks, as many processes"]
        if "error" in rep:
            out.append(f"  not measured: {rep['error']}")
        else:
            rows = []
            for key, label in (("suite_cold", "suite, cold cache"), ("suite_cached", "suite --force, cached analysis"),
                               ("suite_warm", "suite, warm (unchanged inputs)"),
                               ("floor", "floor (empty notebooks)")):
                r = rep[key]
                rows.append([label, str(len(rep["notebooks"])), str(r["html_files"]), _fmt(r["seconds"], 2),
                             " ".join(f"{x:.2f}" for x in r["runs"]), _fmt(r["largest_process_peak_mb"]),
                             f"{r['seconds'] / rep['floor']['seconds']:.2f}x"])
            out.append(_table(["run", "notebooks", "html", "median s", "runs s", "largest proc MB", "vs floor"], rows))
            out.append(f"  {rep['jobs']} parallel job(s), kernel {rep['kernel']!r}; floor run by {rep.get('floor_how')}")
            if "floor_fastest_seconds" in rep:
                out.append(f"  against the fastest floor run ({rep['floor_fastest_seconds']:.2f} s, no kernel shutdown "
                           f"stall): cold {rep['cold_over_fastest_floor']:.2f}x, cached "
                           f"{rep['cached_over_fastest_floor']:.2f}x")
    out += ["", f"total benchmark time {results['elapsed_seconds']:.0f} s; command: {results['command']}"]
    return "\n".join(out)


def jsonable(obj):
    """The results without what JSON cannot hold (tuple keys of verification counts)."""
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items() if k not in ("counts", "docs")}
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    return obj


# targets of issue 13 for the whole report of the prosecutors' corpus (kings_ny vs orange_ca)
TARGETS = {"report_seconds": 60, "report_peak_mb": 1500, "cache_mb": 150, "tokens_per_s_per_core": 200_000,
           "x16_peak_mb": 2000}


def _header(results: dict) -> list[str]:
    m = results["machine"]
    pk = ", ".join(f"{k} {v}" for k, v in m["packages"].items())
    return [f"machine : {m['cpu']}, {m['cores']} cores ({m['cores_usable']} usable), {m['ram_gb']} GB RAM, "
            f"Python {m['python']}; load average (1, 5, 15 min) at start "
            f"{' '.join(map(str, m.get('load_average_at_start', [])))}, at end "
            f"{' '.join(map(str, m.get('load_average_at_end', [])))}", f"packages: {pk}"]


def _targets(w: dict) -> list[str]:
    """Each target of issue 13 with the figure measured and whether it is met."""
    t, lines = TARGETS, []
    check = lambda ok: "met" if ok else "MISSED"  # noqa: E731
    for r in (r for r in w["report"] if r["set"] == "prosecutors"):
        lines.append(f"  full report prosecutors ({r['backend']}): {r['wall_seconds']:.1f} s wall (target <= "
                     f"{t['report_seconds']} s: {check(r['wall_seconds'] <= t['report_seconds'])}), peak "
                     f"{r['tree_peak_mb']:,.0f} MB summed over the process tree (target <= {t['report_peak_mb']:,} MB: "
                     f"{check(r['tree_peak_mb'] <= t['report_peak_mb'])}), cache {r['cache_mb']:.1f} MB (target <= "
                     f"{t['cache_mb']} MB: {check(r['cache_mb'] <= t['cache_mb'])})")
    for r in w["analysis"]:
        lines.append(f"  analysis {r['set']} ({r['backend']}): {r['tokens_per_s_per_core']:,.0f} tokens/s per core "
                     f"(target >= {t['tokens_per_s_per_core']:,}: "
                     f"{check(r['tokens_per_s_per_core'] >= t['tokens_per_s_per_core'])})")
    for r in (r for r in w["scale"] if r["scale"] == 16):
        lines.append(f"  analysis x16: peak {r['tree_peak_mb']:,.0f} MB (target <= {t['x16_peak_mb']:,} MB: "
                     f"{check(r['tree_peak_mb'] <= t['x16_peak_mb'])})")
    if not any(r["scale"] == 16 for r in w["scale"]):
        lines.append("  analysis x16: not measured in this run")
    return lines


def render_whole(results: dict) -> str:
    """The tables of ``python -m bench --whole``."""
    w = results["whole"]
    out = ["Narratives kit benchmark: the whole report", *_header(results)]
    for name, s in w["sets"].items():
        out.append(f"corpus  : {name} = {s['path']} ({s['documents_in_file']:,} documents"
                   + (f"; sample: every {s['sample_step']}th document, at most {s['limit']}" if s["limit"] else "")
                   + f"), {s['group_col']} {s['group_a']!r} vs {s['group_b']!r}")
    out.append(f"medians of {results['repeats']} run(s), each in a fresh process, runs interleaved; peak MB = the "
               "resident memory summed over the process tree (kernels, worker pool), sampled every 0.1 s, and "
               "at least any one process's high-water mark; largest MB = the largest child process ('-': none); CPU s = the tree's CPU time; tokens = counted tokens of "
               "documents.csv (n_tokens); per core = over 1 core (local) or every usable core (processes); "
               "load = 1-minute load average when the run started")
    cpu = lambda r: _fmt(r["tree_cpu_seconds"], 1) if r.get("tree_cpu_seconds") is not None else "-"  # noqa: E731
    largest = lambda r: _fmt(r["largest_child_peak_mb"]) if r["largest_child_peak_mb"] else "-"  # noqa: E731
    if w["analysis"]:
        out += ["", "Full analysis: analysis.pipeline.compute.analyze(params, use_cache=False)"]
        rows = [[f"{r['set']} {r['backend']}", _fmt(r["documents"]), _fmt(r["tokens"]), _fmt(r["wall_seconds"], 1),
                 " ".join(f"{x:.1f}" for x in r["runs"]), cpu(r), _fmt(r["tokens_per_s"]),
                 _fmt(r["tokens_per_s_per_core"]), _fmt(r["tree_peak_mb"]), largest(r),
                 f"{r['load_1min']:.1f}"] for r in w["analysis"]]
        out.append(_table(["set backend", "docs", "tokens", "median s", "runs s", "CPU s", "tokens/s",
                           "per core", "peak MB", "largest MB", "load"], rows))
    if w["report"]:
        out += ["", "Full report: python -m analysis report --corpus FILE --out DIR -p ... --force, fresh "
                "NARRATIVES_CACHE_DIR (6 pages)"]
        rows = [[f"{r['set']} {r['backend']}", _fmt(r["documents"]), _fmt(r["wall_seconds"], 1),
                 " ".join(f"{x:.1f}" for x in r["runs"]), _fmt(r["analysis_seconds"], 1),
                 _fmt(r["notebooks_seconds"], 1), cpu(r), _fmt(r["tokens_per_s_per_core"]), _fmt(r["tree_peak_mb"]),
                 _fmt(r["largest_child_peak_mb"]), _fmt(r["cache_mb"], 1), _fmt(r["tables_mb"], 1),
                 _fmt(r["explorer_html_mb"], 1), f"{r['load_1min']:.1f}"] for r in w["report"]]
        out.append(_table(["set backend", "docs", "wall s", "runs s", "analysis s", "notebooks s", "CPU s",
                           "tok/s/core", "peak MB", "largest MB", "cache MB", "tables MB", "explorer MB", "load"],
                          rows))
        out.append("  (tok/s/core = counted tokens / the report's analysis seconds, from run.json)")
    if w["scattertext"]:
        out += ["", "scattertext explorer end to end: import + CorpusFromPandas(whitespace_nlp_with_sentences).build()"
                " + produce_scattertext_explorer -> HTML, same two groups"]
        rows = []
        for r in w["scattertext"]:
            ratios = "; ".join(f"ours {o['backend']}: time {o['time_ratio']:.2f}x, memory {o['memory_ratio']:.2f}x, "
                               f"page {o['page_ratio']:.2f}x" for o in r["ours"]) or "-"
            rows.append([r["set"], _fmt(r["documents"]), _fmt(r["wall_seconds"], 1), _fmt(r["import_seconds"], 1),
                         _fmt(r["build_seconds"], 1), _fmt(r["explorer_seconds"], 1), _fmt(r["tree_peak_mb"]),
                         _fmt(r["html_mb"], 1), f"{r['load_1min']:.1f}", ratios])
        out.append(_table(["set", "docs", "wall s", "import s", "build s", "explorer s", "peak MB", "HTML MB",
                           "load", "our full report / scattertext explorer"], rows))
        out.append("  (page = our 06_explorer.html against its HTML; our report renders five other pages besides)")
    for name, why in results.get("skipped", {}).items():
        out.append(f"  {name}: not measured ({why})")
    for name, why in w.get("failed", {}).items():
        out.append(f"  {name}: FAILED ({why})")
    if w["scale"]:
        out += ["", f"Scale: the prosecutors' corpus written k times (doc_ids suffixed #x<k>), full analysis, backend "
                f"{w['scale_backend']}, boilerplate OFF (the boilerplate step would rightly drop the replicas as "
                "duplicate documents)"]
        first = w["scale"][0]
        rows = [[f"x{r['scale']}", _fmt(r["documents_in_file"]), _fmt(r["documents"]), _fmt(r["tokens"]),
                 _fmt(r["wall_seconds"], 1), str(r["repeats"]), f"{r['wall_seconds'] / first['wall_seconds']:.1f}x",
                 cpu(r), _fmt(r["tokens_per_s_per_core"]), _fmt(r["tree_peak_mb"]),
                 f"{r['tree_peak_mb'] / first['tree_peak_mb']:.1f}x", largest(r),
                 f"{r['load_1min']:.1f}"] for r in w["scale"]]
        out.append(_table(["scale", "docs in file", "docs compared", "tokens", "s", "runs", f"time vs x{first['scale']}",
                           "CPU s", "tok/s/core", "peak MB", f"memory vs x{first['scale']}", "largest MB", "load"],
                          rows))
    out += ["", "Targets of issue 13", *_targets(w)]
    out += ["", f"total benchmark time {results['elapsed_seconds']:.0f} s; command: {results['command']}"]
    return "\n".join(out)
