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
