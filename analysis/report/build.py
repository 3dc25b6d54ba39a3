"""The report runner: one command renders every page of a corpus into a folder that can be mailed around.

``run_report`` validates the parameters, starts a pool of warm kernels (:mod:`analysis.notebook_runner`), computes
the analysis once in this process while they warm up (cached on disk, see :mod:`analysis.pipeline`), writes
``tables/*.csv``, executes the notebooks through papermill in those kernels, exports each to self-contained HTML
with nbconvert, and writes ``index.html`` and ``run.json``.

Safety of the published report:
- everything is built in a temporary sibling folder (``.NAME-build-XXXX``) and swapped into place at the end
  (old folder renamed away, new one renamed in, old one deleted): a failed run never touches the report
  already published;
- a failing cell stops the run: every kernel is killed, the executed notebooks are
  kept in ``OUT.partial/`` (replacing an older one) and a :class:`ReportError` names the notebook, the cell
  and that folder; SIGINT and SIGTERM do the same (exit codes 130 and 143);
- when the output folder cannot be written (read-only, disk full), the error says so and the complete build
  is kept in the partial folder;
- an unchanged corpus, parameters, code and notebooks reuse the published report ("up to date") unless
  ``force``.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from analysis.report import runner as R
from analysis.pipeline import params as P
from analysis.pipeline.cache_location import CACHE_ENV, cache_dir
from analysis.errors import AnalysisError, NotebookExecutionError, ReportError
from analysis.pages import PAGES

# The analysis modules (pandas, the pipeline, the HTML helpers) are imported where they are used: a run starts its
# kernels before it imports them, so that they boot while this process loads.

KIT_ROOT = Path(__file__).resolve().parents[2]


def _kit_folder(name: str, package: str) -> Path:
    """A folder of the kit: beside the package in a clone (``notebooks/``, ``seeds/``), else the copy an installed
    wheel carries inside the package (``analysis/kit_notebooks``, ``analysis/kit_seeds``)."""
    here = KIT_ROOT / name
    if here.is_dir():
        return here
    return Path(__file__).resolve().parents[1] / package


NOTEBOOK_DIR = _kit_folder("notebooks", "kit_notebooks")
SEED_DIR = _kit_folder("seeds", "kit_seeds")
TEMPLATE_DIR = R.TEMPLATE_DIR
NOTEBOOKS = tuple(name for name, _, _ in PAGES)
SIGNAL_EXIT = {signal.SIGINT: 130, signal.SIGTERM: 143}


@dataclass
class ReportResult:
    out: Path
    pages: list[str]
    up_to_date: bool = False
    seconds: float = 0.0
    timings: dict = field(default_factory=dict)
    message: str = ""


class _Interrupted(BaseException):
    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


# --------------------------------------------------------------------------------------------- notebooks

def resolve_notebooks(only: str | list[str] | None, available=NOTEBOOKS) -> list[str]:
    """Notebook names selected by ``--only`` (full name, number prefix like ``03`` or a part of the name)."""
    if not only:
        return list(available)
    wanted = [only] if isinstance(only, str) else list(only)
    chosen = []
    for w in wanted:
        w = w.strip().removesuffix(".ipynb").removesuffix(".html")
        hits = [n for n in available if n == w] or [n for n in available if n.startswith(w)] or \
               [n for n in available if w and w in n]
        if len(hits) != 1:
            why = "no notebook matches" if not hits else f"several notebooks match ({', '.join(hits)})"
            raise P.ParameterError("only", f"{why} {w!r}", ", ".join(available))
        if hits[0] not in chosen:
            chosen.append(hits[0])
    return [n for n in available if n in chosen]


# --------------------------------------------------------------------------------------------- folders

def _sha_files(paths) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(Path(p).name.encode() + b"\0" + Path(p).read_bytes() + b"\0")
    return h.hexdigest()


def _replace_dir(src: Path, dst: Path) -> None:
    """Move ``src`` to ``dst``, replacing what is there: rename the old one away, rename the new one in, then
    delete the old one. If the new one cannot be put in place, the old one is put back."""
    old = None
    if dst.exists() or dst.is_symlink():
        old = dst.parent / f".{dst.name}-old-{os.getpid()}-{time.monotonic_ns()}"
        os.rename(dst, old)
    try:
        os.rename(src, dst)
    except OSError:
        if old is not None:
            with contextlib.suppress(OSError):
                os.rename(old, dst)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _keep_partial(build: Path, out: Path) -> Path:
    """Keep ``build`` as ``OUT.partial`` (replacing an older one); if that folder cannot be written either,
    leave the build where it is and return its path."""
    partial = out.parent / f"{out.name}.partial"
    try:
        _replace_dir(build, partial)
        return partial
    except OSError:
        try:
            moved = Path(tempfile.mkdtemp(prefix=f"{out.name}.partial-"))
            shutil.rmtree(moved)
            shutil.move(str(build), str(moved))
            return moved
        except OSError:
            return build


def _make_build_dir(out: Path) -> tuple[Path, OSError | None]:
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        build = Path(tempfile.mkdtemp(prefix=f".{out.name}-build-", dir=out.parent))
        unwritable = None
    except OSError as err:
        # the output's folder is not writable: build elsewhere, the publish step will say what failed
        build = Path(tempfile.mkdtemp(prefix=f"{out.name}-build-"))
        unwritable = err
    umask = os.umask(0)
    os.umask(umask)
    build.chmod(0o777 & ~umask)  # mkdtemp makes it private; the published report is an ordinary folder
    return build, unwritable


def _longest_first(names: list[str], out: Path) -> list[str]:
    """Notebooks ordered by their duration in the published run, longest first (so that the last one to
    start is a short one), in page order where nothing is known."""
    run = _published_run(out) or {}
    seconds = {n: t.get("seconds", 0.0) for n, t in run.get("timings", {}).get("notebooks", {}).items()
               if isinstance(t, dict)}
    return sorted(names, key=lambda n: (-seconds.get(n, 0.0), names.index(n)))


def _published_run(out: Path) -> dict | None:
    try:
        return json.loads((out / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _is_up_to_date(out: Path, report_key: str, names: list[str]) -> bool:
    run = _published_run(out)
    if not run or run.get("report", {}).get("key") != report_key:
        return False
    expected = ["index.html", "run.json"] + [f"{n}.{ext}" for n in names for ext in ("html", "ipynb")]
    return all((out / f).is_file() for f in expected) and (out / "tables").is_dir()


# --------------------------------------------------------------------------------------------- main entry

@contextlib.contextmanager
def _signals_raise():
    """SIGTERM (and SIGINT) raise _Interrupted in the main thread while a run is under way."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise _Interrupted(signum)

    old = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)


@contextlib.contextmanager
def _environ(**values: str):
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _absolute(p: dict) -> dict:
    """The parameters handed to the notebooks: file parameters as absolute paths (the kernels run in
    notebooks/)."""
    out = dict(p)
    for name in ("corpus", "lexicon", "concepts", "gazetteer", "stopwords", "codes"):
        if out.get(name):
            out[name] = str(Path(out[name]).resolve())
    return out


def run_report(corpus: str | os.PathLike | None = None, out: str | os.PathLike | None = None,
               params: dict | None = None, only: str | list[str] | None = None, jobs: int | None = None,
               force: bool = False, progress: bool = True, notebook_dir: str | os.PathLike | None = None,
               log=None) -> ReportResult:
    """Render the report of ``corpus`` into ``out`` (see the module docstring). Raises ParameterError,
    CorpusError or ComparisonError before any notebook runs, ReportError when a run fails (with
    ``exit_code`` 130/143 when interrupted by SIGINT/SIGTERM)."""
    with _signals_raise():
        try:
            return _run_report(corpus, out, params, only, jobs, force, progress, notebook_dir, log)
        except _Interrupted as sig:  # before the build folder existed: nothing to keep
            err = ReportError(f"interrupted by {signal.Signals(sig.signum).name} before any notebook ran; "
                              "nothing was written")
            err.exit_code = SIGNAL_EXIT.get(sig.signum, 1)
            raise err from None


def _run_report(corpus, out, params, only, jobs, force, progress, notebook_dir, log) -> ReportResult:
    log = log or (lambda msg: print(msg, file=sys.stderr))
    t_start = time.perf_counter()
    started = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    raw = dict(params or {})
    if corpus is not None:
        if "corpus" in raw and str(raw["corpus"]) != str(corpus):
            raise P.ParameterError("corpus", f"given twice ({raw['corpus']!r} and --corpus {str(corpus)!r})")
        raw["corpus"] = str(corpus)
    out = Path(out or raw.get("output_dir") or Path("reports") / Path(str(raw.get("corpus", "seeds"))).stem)
    raw["output_dir"] = str(out)
    p = P.validate(raw)
    nb_dir = Path(notebook_dir) if notebook_dir else NOTEBOOK_DIR
    available = tuple(sorted(f.stem for f in nb_dir.glob("*.ipynb"))) if notebook_dir else NOTEBOOKS
    names = resolve_notebooks(only, available)
    sources = {n: nb_dir / f"{n}.ipynb" for n in _longest_first(names, out)}
    for n, src in sources.items():
        if not src.is_file():
            raise ReportError(f"the notebook {src} is missing from the kit", notebook=n)

    # the kernels start first (they boot and warm up while this process imports, hashes and computes); when a
    # published report might be up to date, only once that check has failed
    kernel_env = {
        CACHE_ENV: str(cache_dir().resolve()),
        "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""),
        "PYTHONPATH": os.pathsep.join(x for x in (str(KIT_ROOT), os.environ.get("PYTHONPATH", "")) if x),
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }
    n_jobs = max(1, min(jobs or os.cpu_count() or 1, len(sources)))
    with contextlib.ExitStack() as stack:
        def start_kernels() -> R.KernelPool:
            stack.enter_context(_environ(**kernel_env))
            return stack.enter_context(R.KernelPool(n_jobs, nb_dir, R.warm_modules(sources.values())))

        checked = not force and not only
        from analysis.corpus import document_hashes, load_metadata

        # the corpus and the groups are checked once, before any kernel starts
        P.check_groups(p, load_metadata(p["corpus"], group_col=p["group_col"]))
        pool = None if checked and (out / "run.json").is_file() else start_kernels()
        from analysis.pipeline import compute as pipeline  # the extractors load while the kernels boot
        corpus_sha, doc_shas = document_hashes(p["corpus"])
        key = pipeline.cache_key(p, corpus_sha)
        report_key = hashlib.sha256(json.dumps({
            "analysis": key, "include_code": p["include_code"], "notebooks": list(available),
            "sources": _sha_files(nb_dir / f"{n}.ipynb" for n in available),
            "template": _sha_files(sorted(TEMPLATE_DIR.rglob("*.*"))),
        }, sort_keys=True).encode()).hexdigest()
        if checked and _is_up_to_date(out, report_key, names):
            msg = f"up to date: {out} (same corpus, parameters, code and notebooks; --force renders it again)"
            log(msg)
            return ReportResult(out=out, pages=names, up_to_date=True, message=msg,
                                seconds=round(time.perf_counter() - t_start, 3))
        pool = pool or start_kernels()

        # validate against the corpus and compute once, before any notebook runs
        t0 = time.perf_counter()
        analysis = pipeline.analyze(p, key=key, checked=True)
        _share_findings(analysis)
        analysis_seconds = round(time.perf_counter() - t0, 3)
        log(f"analysis: {'from the cache' if analysis.from_cache else 'computed'} in {analysis_seconds:.1f} s "
            f"({analysis.group_a}: {int((analysis.documents['group'] == analysis.group_a).sum())} documents, "
            f"{analysis.group_b}: {int((analysis.documents['group'] == analysis.group_b).sum())} documents)")
        build, unwritable = _make_build_dir(out)
        try:
            try:
                pipeline.write_tables(analysis, build)
                reused = _reuse_other_pages(out, build, key, names, available) if only else []
                if only and len(reused) + len(names) < len(available):
                    log(f"--only: the other pages of {out} are left out (none published, or made from another "
                        "corpus, parameters or code)")
                t_nb = time.perf_counter()
                nb_params = {**_absolute(p), "analysis_dir": str(_analysis_folder(analysis, build).resolve())}
                pool.submit(sources, build, nb_params, include_code=p["include_code"])
                R.preload(exporter=False)  # papermill, before the kernels finish warming up
                pages = [n for n in available if n in names or n in reused]
                _write_index(build, analysis, p, pages, started, corpus_sha)  # while the notebooks run
                R.preload()  # the HTML template, before the first notebook ends
                timings = pool.wait(progress=progress)
                phases = {"before_notebooks_seconds": round(t_nb - t_start, 3),
                          "notebooks_seconds": round(time.perf_counter() - t_nb, 3), "jobs": n_jobs,
                          "kernels_reused": pool.reused_kernels()}
                _write_run(build, p, analysis, corpus_sha, doc_shas, key, report_key, started, timings,
                           analysis_seconds, names, reused, t_start, phases)
            except BaseException:
                pool.close(kill=True)  # no worker writes into the build once it is kept
                raise
        except _Interrupted as sig:
            partial = _keep_partial(build, out)
            err = ReportError(f"interrupted by {signal.Signals(sig.signum).name}; the published report was not "
                              "touched", partial_dir=str(partial))
            err.exit_code = SIGNAL_EXIT.get(sig.signum, 1)
            raise err from None
        except KeyboardInterrupt:
            partial = _keep_partial(build, out)
            err = ReportError("interrupted (SIGINT); the published report was not touched", partial_dir=str(partial))
            err.exit_code = 130
            raise err from None
        except NotebookExecutionError as err:
            partial = _keep_partial(build, out)
            raise err.with_partial(str(partial), "; the published report was not touched") from None
        except ReportError as err:
            partial = _keep_partial(build, out)
            raise ReportError(err.detail + "; the published report was not touched", notebook=err.notebook,
                              cell=err.cell, partial_dir=str(partial)) from None
        except AnalysisError:
            shutil.rmtree(build, ignore_errors=True)
            raise
        except OSError as err:
            partial = _keep_partial(build, out)
            raise ReportError(f"cannot write the report: {err.strerror or err} ({err.filename or build})",
                              partial_dir=str(partial)) from None
        except BaseException:
            _keep_partial(build, out)
            raise
    try:
        if unwritable is not None:
            raise unwritable
        shutil.rmtree(build / ".analysis", ignore_errors=True)
        _replace_dir(build, out)
    except OSError as err:
        partial = _keep_partial(build, out)
        where = err.filename or out
        raise ReportError(f"cannot write the output folder {out} ({where}): {err.strerror or err}; the complete "
                          "report was built but not published", partial_dir=str(partial)) from None
    stale = out.parent / f"{out.name}.partial"
    if stale.is_dir():
        shutil.rmtree(stale, ignore_errors=True)
    seconds = round(time.perf_counter() - t_start, 3)
    msg = f"report written to {out}/index.html ({len(names)} page(s) in {seconds:.1f} s)"
    log(msg)
    return ReportResult(out=out, pages=names, seconds=seconds, timings=timings, message=msg)


def _share_findings(analysis) -> None:
    """Work out the findings once (the index and pages 05 and 07 show them) and store them with the analysis,
    so that every notebook reads them instead of working them out again."""
    if analysis.findings_table is not None:
        return
    from analysis.pages import findings
    from analysis.pipeline import store

    try:
        table = findings.findings(analysis)
    except Exception:  # a courtesy: each page works them out itself, and shows the error there
        return
    analysis.findings_table = table
    if analysis.folder is not None and store.add_table(analysis.folder, "findings_table", table):
        analysis._stored.add("findings_table")


DOCUMENT_HASHES_INLINE = 1000  # up to this many documents, run.json lists their hashes itself


def _document_hashes_entry(build: Path, doc_shas: dict) -> dict:
    """The per-document hashes for run.json: inline for small corpora, else in ``document_hashes.csv`` beside it
    (so that run.json stays small whatever the corpus)."""
    if len(doc_shas) <= DOCUMENT_HASHES_INLINE:
        return {"documents": doc_shas}
    import csv

    with open(build / "document_hashes.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["doc_id", "sha256"])
        w.writerows(doc_shas.items())
    return {"n_documents": len(doc_shas), "documents_file": "document_hashes.csv"}


def _analysis_folder(analysis, build: Path) -> Path:
    """Where the notebooks read the analysis: its cache entry, or (the cache could not be written) a copy
    stored in the build folder, which is removed before the report is published."""
    if analysis.folder is not None:
        return Path(analysis.folder)
    from analysis.pipeline import store

    folder = build / ".analysis"
    store.write_entry_at(folder, analysis.meta(), {n: t for n, t in analysis._tables.items() if t is not None})
    return folder


def _reuse_other_pages(out: Path, build: Path, key: str, names: list[str], available) -> list[str]:
    """With --only, keep the other pages of the published report when it was made from the same analysis."""
    run = _published_run(out)
    if not run or run.get("analysis", {}).get("cache_key") != key:
        return []
    kept = []
    for n in available:
        if n in names:
            continue
        files = [out / f"{n}.html", out / f"{n}.ipynb"]
        if all(f.is_file() for f in files):
            for f in files:
                shutil.copy2(f, build / f.name)
            kept.append(n)
    return kept


def _write_index(build: Path, analysis, p: dict, pages: list[str], started: str, corpus_sha: str) -> None:
    from analysis.pages import findings
    from analysis.pages import html as H

    docs = analysis.documents
    counts = {g: int((docs["group"] == g).sum()) for g in (analysis.group_a, analysis.group_b)}
    try:
        summary = findings.summary(analysis, limit=5)
    except Exception as err:  # the summary is a courtesy: its failure is shown, not fatal
        summary = [f"The summary could not be generated ({type(err).__name__}: {err})."]
    titles = {name: (title, what) for name, title, what in PAGES}
    page_rows = [(n, *titles.get(n, (n, ""))) for n in pages]
    shown = {k: v for k, v in p.items() if k not in ("output_dir",)}
    H.write_index(build / "index.html", corpus_name=Path(p["corpus"]).name, group_col=p["group_col"],
                  group_a=analysis.group_a, group_b=analysis.group_b, doc_counts=counts,
                  excluded=analysis.excluded_documents, pages=page_rows, summary=summary, params=shown,
                  started=started, corpus_sha256=corpus_sha, missing=analysis.missing)


def _write_run(build: Path, p: dict, analysis, corpus_sha: str, doc_shas: dict, key: str, report_key: str,
               started: str, timings: dict, analysis_seconds: float, names: list[str], reused: list[str],
               t_start: float, phases: dict) -> None:
    from analysis.pipeline import provenance

    docs = analysis.documents
    run = {
        "kit": {"name": "narratives-kit", "git_commit": provenance.git_commit()},
        "started": started,
        "parameters": p,
        "comparison": {"group_col": p["group_col"], "group_a": analysis.group_a, "group_b": analysis.group_b,
                       "documents": {g: int((docs["group"] == g).sum()) for g in (analysis.group_a, analysis.group_b)},
                       "excluded_documents": analysis.excluded_documents},
        "corpus": {"path": p["corpus"], "sha256": corpus_sha, **_document_hashes_entry(build, doc_shas)},
        "cleaning": analysis.cleaning,
        "languages": analysis.language_comparison,
        "analysis": {"cache_key": key, "cache_hit": analysis.from_cache, "missing": analysis.missing,
                     "step_seconds": analysis.step_seconds},
        "report": {"key": report_key, "notebooks": names, "reused_pages": reused,
                   "tables": sorted(f.name for f in (build / "tables").glob("*.csv"))},
        "timings": {"analysis_seconds": analysis_seconds, **phases, "notebooks": timings,
                    "total_seconds": round(time.perf_counter() - t_start, 3)},
        "packages": provenance.package_versions(),
        "python": provenance.python_info(),
    }
    provenance.write_json(build / "run.json", run)
