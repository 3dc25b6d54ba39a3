"""Execute notebooks with papermill in a pool of warm, reused kernels, and export each to HTML with nbconvert.

A report runs a handful of notebooks that all import the same libraries. Starting one kernel per notebook,
as papermill does by default, pays the kernel start and the pandas/matplotlib imports once per notebook: on the
seed corpus that was most of a report's time. :class:`KernelPool` instead launches ``jobs`` kernels, one per
core, as soon as the run starts, with one worker thread each. A worker warms its kernel (imports the modules the
notebooks import, draws one figure; see :mod:`analysis.kernel_session`) while the caller computes the analysis,
then executes notebooks one after the other in that kernel with ``papermill.execute_notebook(..., km=...)``.
Before every notebook the kernel is reset to the state the warm-up recorded (empty namespace, execution counter
at 1, matplotlib settings, warning filters, working folder, environment), so a notebook renders the same outputs
as in a fresh kernel; a kernel where the warm-up cannot run (another kernel, the kit not importable) is replaced
by a new one before every notebook instead.

Each kernel runs in a session of its own. A failing cell, SIGINT or SIGTERM kill every kernel and what it
started (:func:`kill_tree`) before the error reaches the caller.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import queue
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

from analysis.errors import NotebookExecutionError, ReportError
from analysis.report.css import lean_page

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "narratives"
KERNEL_NAME = "python3"
STARTUP_TIMEOUT = 120  # seconds for a kernel to answer, and for its warm-up or reset to finish
# no IPython history database on disk, as papermill's own kernels (nbclient's default)
KERNEL_ARGUMENTS = ["--HistoryManager.hist_file=:memory:"]
WARM_CODE = "import analysis.report.kernel_session as _kit_session\n_kit_session.warm({modules!r})"
RESET_CODE = "import analysis.report.kernel_session as _kit_session\n_kit_session.reset()"


# --------------------------------------------------------------------------------------------- HTML export

_EXPORTER = None
_EXPORT_LOCK = threading.Lock()  # one exporter, configured per call


def export_html(nb, html_path: str | os.PathLike, include_code: bool = False) -> None:
    """Export an executed notebook to a self-contained HTML page with the kit's template (no CDN script;
    code cells hidden unless ``include_code``; JupyterLab's stylesheet cut to what the page uses,
    :func:`analysis.report.css.lean_page`)."""
    exp = _exporter()
    exp.exclude_input = not include_code
    exp.exclude_input_prompt = not include_code
    exp.exclude_output_prompt = True
    body, _ = exp.from_notebook_node(nb, resources={"metadata": {"name": Path(html_path).stem}})
    Path(html_path).write_text(lean_page(body), encoding="utf-8", newline="\n")


def page_exporter_class():
    """nbconvert's HTMLExporter with its accessibility pass done by three regular expressions instead of
    BeautifulSoup.

    ``HTMLExporter.from_notebook_node`` parses every page it renders with BeautifulSoup, to give each ``<img>``
    without ``alt`` a placeholder alt text and ``tabindex="0"`` to each cell input wrapper and output area, then
    serializes the parse tree back: more than half of an export's time on the seed pages. The kit's template
    produces those elements itself, so the same attributes are added to its markup directly; the test suite
    checks that a page equals, element for element, what the stock exporter gives with the same template."""
    import re

    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter

    no_alt = re.compile(r"<img\b(?![^>]*\salt=)")
    input_wrapper = re.compile(r'<div class="jp-Cell-inputWrapper"(?![^>]*\stabindex=)')
    output_area = re.compile(r'(<div class="[^"<>]*\bjp-OutputArea-output\b[^"<>]*")(?![^>]*\stabindex=)')

    class PageExporter(HTMLExporter):
        def from_notebook_node(self, nb, resources=None, **kw):
            # HTMLExporter.from_notebook_node up to its BeautifulSoup pass (nbconvert 7)
            from nbconvert.filters.highlight import Highlight2HTML
            from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            self.register_filter("highlight_code", self.filters.get(
                "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
            resources = self._init_resources(resources)
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            html = no_alt.sub('<img alt="No description has been provided for this image"', html)
            html = input_wrapper.sub(r'\g<0> tabindex="0"', html)
            html = output_area.sub(r'\1 tabindex="0"', html)
            return html, resources

    return PageExporter


def _exporter():
    global _EXPORTER
    if _EXPORTER is None:
        import jinja2

        exp = page_exporter_class()(extra_template_basedirs=[str(TEMPLATE_DIR)], template_name=TEMPLATE_NAME)
        # compiled templates kept between runs, like .pyc files (Jinja's per-user folder in the temporary
        # directory; an entry is used only while its template's source is unchanged)
        exp.environment.bytecode_cache = jinja2.FileSystemBytecodeCache()
        _EXPORTER = exp
    return _EXPORTER


def preload(exporter: bool = True) -> None:
    """Import papermill and (with ``exporter``) compile the HTML template with a first export (which loads the
    CSS and Markdown machinery), so that the first notebook does not pay for them on its way."""
    import papermill  # noqa: F401

    if exporter and _EXPORTER is None:
        import nbformat

        warm = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# warm-up", id="warm-md"),
                                                nbformat.v4.new_code_cell("1", id="warm-code")])
        with _EXPORT_LOCK:
            _exporter().from_notebook_node(warm, resources={"metadata": {"name": "warm-up"}})


def stable_ids(nb) -> bool:
    """Papermill gives the cell it injects a random id, which the HTML shows: make it fixed so that two runs
    give the same page. Returns True when an id was changed."""
    changed = False
    for i, cell in enumerate(nb.cells):
        tags = cell.get("metadata", {}).get("tags", [])
        if "injected-parameters" in tags and cell.get("id") != f"injected-parameters-{i}":
            cell["id"] = f"injected-parameters-{i}"
            changed = True
    return changed


def warm_modules(sources) -> list[str]:
    """The modules the notebooks ``sources`` (paths) import at the top level of their code cells."""
    from analysis.report.kernel_session import notebook_imports

    cells = []
    for path in sources:
        try:
            nb = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # the run reports an unreadable notebook itself
        cells += ["".join(c.get("source", "")) if isinstance(c.get("source"), list) else str(c.get("source", ""))
                  for c in nb.get("cells", []) if c.get("cell_type") == "code"]
    return notebook_imports(cells)


# --------------------------------------------------------------------------------------------- processes

def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (read from /proc; empty where /proc is absent)."""
    children: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read().decode(errors="replace")
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def kill_tree(pid: int) -> None:
    """Kill a process's group (a kernel leads its own session) and every process below it."""
    with contextlib.suppress(OSError):
        os.killpg(pid, signal.SIGSTOP)  # freeze the group so that it starts nothing while we look
    below = descendants(pid)
    for target in [pid, *below]:
        for kill in (lambda t: os.killpg(t, signal.SIGKILL), lambda t: os.kill(t, signal.SIGKILL)):
            with contextlib.suppress(OSError):
                kill(target)


def _log_tail(path: Path, lines: int = 15) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return ""
    text = [t for t in text if "without encryption" not in t]
    return ("\n--- last lines of the kernel log ---\n" + "\n".join(text[-lines:])) if text else ""


# --------------------------------------------------------------------------------------------- the kernels

_MANAGER = None


def _manager_class():
    """jupyter_client's KernelManager, remembering the clients it makes: papermill makes one per notebook and,
    the kernel manager not being its own, leaves it connected; the runner closes them after each notebook
    (else their sockets pile up, and the process waits on them when it exits)."""
    global _MANAGER
    if _MANAGER is None:
        from jupyter_client.manager import KernelManager

        class Manager(KernelManager):
            def client(self, **kwargs):
                kc = super().client(**kwargs)
                self.__dict__.setdefault("made_clients", []).append(kc)
                return kc

            def close_clients(self) -> None:
                for kc in self.__dict__.pop("made_clients", []):
                    with contextlib.suppress(Exception):
                        kc.stop_channels()

        _MANAGER = Manager
    return _MANAGER


class _Kernel:
    """One kernel of the pool: started at once, warmed, reset between notebooks. Its output (warnings, shutdown
    messages) goes to ``log_path``, not over the progress bar."""

    def __init__(self, cwd: str, log_path: str):
        self.cwd = cwd
        self.kc = None
        self.reusable = False
        self.log = open(log_path, "ab")
        self.km = self._launch()

    def _launch(self):
        # nbclient (inside papermill) drives the kernel with an asynchronous client; our own warm-up and resets
        # use a blocking one on the same connection
        km = _manager_class()(kernel_name=KERNEL_NAME, client_class="jupyter_client.asynchronous.AsyncKernelClient")
        km.start_kernel(cwd=self.cwd, extra_arguments=KERNEL_ARGUMENTS, stdout=self.log, stderr=self.log)
        return km

    @property
    def pid(self) -> int | None:
        provisioner = getattr(self.km, "provisioner", None)
        return getattr(getattr(provisioner, "process", None), "pid", None) or getattr(provisioner, "pid", None)

    def _client(self):
        if self.kc is None:
            from jupyter_client.blocking import BlockingKernelClient

            self.kc = BlockingKernelClient()
            self.kc.load_connection_info(self.km.get_connection_info())
            self.kc.start_channels()
            self.kc.wait_for_ready(timeout=STARTUP_TIMEOUT)
        return self.kc

    def run_quietly(self, code: str) -> str | None:
        """Execute ``code`` without output; None when it succeeded, else what went wrong."""
        try:
            reply = self._client().execute_interactive(code, silent=True, store_history=False, allow_stdin=False,
                                                       timeout=STARTUP_TIMEOUT, output_hook=lambda msg: None)
        except Exception as err:  # timeout, dead kernel
            return f"{type(err).__name__}: {err}"
        content = reply.get("content", {})
        if content.get("status") != "ok":
            return f"{content.get('ename', 'error')}: {content.get('evalue', '')}"
        return None

    def warm(self, modules: list[str]) -> None:
        self.reusable = self.run_quietly(WARM_CODE.format(modules=modules)) is None
        self.reset()

    def reset(self) -> bool:
        """Ready the kernel for the next notebook: reset it, or replace it where it cannot be reset."""
        if self.reusable and self.run_quietly(RESET_CODE) is None:
            return True
        self.reusable = False
        self.replace()
        return False

    def replace(self) -> None:
        """Kill the kernel and start a new one (new ports and connection file, launched from this thread)."""
        if self.kc is not None:
            with contextlib.suppress(Exception):
                self.kc.stop_channels()
            self.kc = None
        self.stop()
        self.km = self._launch()

    def shutdown(self) -> None:
        """Stop the kernel at once (nothing is left to save) and remove its connection file."""
        with contextlib.suppress(Exception):
            if self.kc is not None:
                self.kc.stop_channels()
        self.stop()
        with contextlib.suppress(Exception):
            self.log.close()

    def stop(self) -> None:
        """Kill the kernel, reap its process and remove its connection file (from any thread)."""
        self.kill()
        with contextlib.suppress(Exception):
            self.km.provisioner.process.wait(timeout=10)
        with contextlib.suppress(Exception):
            self.km.cleanup_resources()

    def kill(self) -> None:
        """Kill the kernel and everything it started, at once (from any thread)."""
        pid = self.pid
        if pid:
            kill_tree(pid)


def _serve(wid: int, pool: "KernelPool") -> None:
    """One worker thread: warm its kernel, then execute the notebooks the pool hands out until it hands out None,
    reporting each to ``pool.results``."""
    current = None
    kernel = pool.kernels.get(wid)
    try:
        if kernel is not None:
            kernel.warm(pool.modules)
            pool.results.put(("warm", None, (wid, kernel.reusable)))
        first = True
        while not pool.stopping:
            task = pool.tasks.get()
            if task is None:
                return
            current = task["name"]
            picked = time.perf_counter()
            pool.results.put(("started", current, wid))
            if kernel is None:
                pool.results.put(("error", current, pool.failures.get(wid, "the kernel did not start")))
                return
            if not first:
                kernel.reset()
            first = False
            done = _execute(task, kernel.km, pool.results, picked)
            kernel.km.close_clients()
            if not done:
                return
            current = None
    except BaseException as err:  # anything not reported yet
        if not pool.stopping:
            pool.results.put(("error", current, f"the worker failed: {type(err).__name__}: {err}"[:2000]))
    finally:
        if kernel is not None and not pool.stopping:
            kernel.shutdown()


def _execute(task: dict, km, results, picked: float) -> bool:
    """Execute one notebook in the kernel of ``km`` and export it; report to ``results`` (with the seconds since
    the task was ``picked``, reset included). False on failure."""
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    name = task["name"]
    t0 = time.perf_counter()
    try:
        nb = pm.execute_notebook(task["src"], task["dst"], parameters=task["parameters"], kernel_name=KERNEL_NAME,
                                 progress_bar=False, log_output=False, request_save_on_cell_execute=False, km=km)
    except PapermillExecutionError as err:
        results.put(("failed", name, {"cell_index": err.cell_index, "exec_count": err.exec_count,
                                      "source": str(err.source)[:5000], "ename": err.ename,
                                      "evalue": str(err.evalue)[:2000],
                                      "traceback": [str(t)[:5000] for t in (err.traceback or [])][-20:]}))
        return False
    except BaseException as err:  # kernel died, bad notebook file, ...: report it, the caller decides
        results.put(("error", name, f"{type(err).__name__}: {err}"[:2000]))
        return False
    t1 = time.perf_counter()
    try:
        with _EXPORT_LOCK:
            if stable_ids(nb):
                import nbformat

                nbformat.write(nb, task["dst"])
            export_html(nb, task["html"], task["include_code"])
    except BaseException as err:
        results.put(("error", name, f"HTML export failed: {type(err).__name__}: {err}"[:2000]))
        return False
    t2 = time.perf_counter()
    results.put(("done", name, {"execute_seconds": round(t1 - t0, 3), "export_seconds": round(t2 - t1, 3),
                                "seconds": round(t2 - picked, 3)}))
    return True


# --------------------------------------------------------------------------------------------- the pool

class KernelPool:
    """``jobs`` worker threads, each with one warm kernel, that execute the notebooks handed to :meth:`submit`.

    Use as a context manager: entering starts the kernels (they boot and warm up while the caller goes on);
    leaving after an exception kills every kernel, leaving normally shuts them down."""

    def __init__(self, jobs: int, cwd: str | os.PathLike, modules: list[str] | tuple = ()):
        self.jobs = max(1, int(jobs))
        self.cwd = str(cwd)
        self.modules = list(modules)
        self.threads: dict[int, threading.Thread] = {}
        self.kernels: dict[int, _Kernel] = {}
        self.logs: Path | None = None
        self.stopping = False
        self.pending: list[str] = []
        self.current: dict[int, str] = {}  # worker -> the notebook it runs
        self.warm: dict[int, bool] = {}  # worker -> whether its kernel is reused
        self.failures: dict[int, str] = {}  # worker -> why its kernel did not start

    def __enter__(self) -> "KernelPool":
        self.tasks: queue.Queue = queue.Queue()
        self.results: queue.Queue = queue.Queue()
        self.logs = Path(tempfile.mkdtemp(prefix="narratives-logs-"))
        for wid in range(self.jobs):  # launch every kernel first: they boot while the rest goes on
            try:
                self.kernels[wid] = _Kernel(self.cwd, str(self.logs / f"kernel-{wid}.log"))
            except Exception as err:
                self.failures[wid] = f"the kernel {KERNEL_NAME!r} could not start: {type(err).__name__}: {err}"
        for wid in range(self.jobs):
            thread = threading.Thread(target=_serve, args=(wid, self), name=f"report-kernel-{wid}", daemon=True)
            thread.start()
            self.threads[wid] = thread
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.close(kill=exc_type is not None)

    def close(self, kill: bool = False) -> None:
        """Stop the kernels: kill them (and what they started) at once, or hand each worker a stop and wait a
        little. Closing twice does nothing."""
        if not self.threads:
            return
        for _ in self.threads:
            self.tasks.put(None)
        if kill:
            self.stopping = True
            for kernel in list(self.kernels.values()):
                kernel.stop()  # kill, reap, remove the connection file
        else:
            deadline = time.monotonic() + 10
            for thread in self.threads.values():
                thread.join(timeout=max(0.0, deadline - time.monotonic()))
            for wid, thread in self.threads.items():
                if thread.is_alive() and wid in self.kernels:  # a worker that did not stop in time
                    self.kernels[wid].kill()
        self.threads = {}
        if self.logs is not None:
            shutil.rmtree(self.logs, ignore_errors=True)

    def run(self, sources: dict[str, Path], build: Path, parameters: dict, *, include_code: bool = False,
            progress: bool = True) -> dict:
        """:meth:`submit` then :meth:`wait`."""
        self.submit(sources, build, parameters, include_code=include_code)
        return self.wait(progress=progress)

    def submit(self, sources: dict[str, Path], build: Path, parameters: dict, *, include_code: bool = False) -> None:
        """Hand out ``sources`` (name -> notebook path, in the order to start them), to be executed and exported
        into ``build`` (NAME.ipynb, NAME.html) by whichever worker is free first."""
        for name, src in sources.items():
            self.tasks.put({"name": name, "src": str(src), "dst": str(build / f"{name}.ipynb"),
                            "html": str(build / f"{name}.html"), "parameters": parameters,
                            "include_code": include_code})
            self.pending.append(name)

    def reused_kernels(self) -> int:
        """How many workers reuse their kernel (warm-up and resets worked) rather than restart it."""
        return sum(1 for ok in self.warm.values() if ok)

    def wait(self, progress: bool = True) -> dict:
        """Wait for the submitted notebooks; returns the timings of each. A failing cell raises
        ReportError(notebook, cell); a dead kernel or a failed export raises ReportError(notebook). Before any
        error (or interrupt) leaves, every kernel is killed."""
        from tqdm import tqdm

        timings: dict[str, dict] = {}
        bar = tqdm(total=len(self.pending), desc="notebooks", unit="nb", disable=not progress, file=sys.stderr,
                   dynamic_ncols=True, leave=True)
        try:
            while len(timings) < len(self.pending):
                try:
                    status, name, info = self.results.get(timeout=0.1)
                except queue.Empty:
                    continue
                if status == "warm":
                    wid, reusable = info
                    self.warm[wid] = reusable
                elif status == "started":
                    self.current[info] = name
                elif status == "done":
                    timings[name] = info
                    bar.set_postfix_str(name, refresh=False)
                    bar.update(1)
                elif status == "failed":
                    raise NotebookExecutionError(name, info["cell_index"], info["exec_count"], info["source"],
                                                 info["ename"], info["evalue"], info["traceback"])
                else:
                    wid = next((w for w, n in self.current.items() if n == name), None)
                    raise ReportError(f"{info}{self._log_tail(wid)}", notebook=name)
        except BaseException:
            self.close(kill=True)
            raise
        finally:
            bar.close()
        self.pending = []
        return timings

    def _log_tail(self, wid: int | None) -> str:
        return _log_tail(self.logs / f"kernel-{wid}.log") if wid is not None and self.logs else ""
