"""Nothing is lost when a run fails.

A good report is published first; then runs that fail — a cell that raises, SIGINT and SIGTERM sent to
``python -m analysis report`` mid-way, an output folder that cannot be written (read-only bind mount, or
ENOSPC injected at the publish step where no mount is possible), a disk full while the build is written —
must each leave the published report byte for byte as it was, leave no half-written file in its place, say
what failed, and name the folder where the partial output was kept (which must exist).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow  # renders whole reports
PARTIAL = re.compile(r"Partial output kept in (.+)")
ONE = "01_corpus_overview"


@dataclass
class Published:
    base: Path
    corpus: Path
    out: Path
    hashes: dict[str, str]
    siblings: set[str]

    def env(self, **extra: str) -> dict[str, str]:
        return dict(os.environ, PYTHONPATH=str(ROOT), NARRATIVES_CACHE_DIR=str(self.base / "cache"), **extra)

    def argv(self, *extra: str) -> list[str]:
        return ["report", "--corpus", str(self.corpus), "--out", str(self.out), "--no-progress", *extra]

    def argv_one(self, *extra: str) -> list[str]:
        """A forced run of one notebook (the rest reused from the published report): the same build, fail
        and swap steps as a full run, in a fraction of its time."""
        return self.argv("--force", "--only", ONE, *extra)


def tree_hashes(root: Path) -> dict[str, str]:
    """SHA-256 of every file under ``root`` (symbolic links by target), keyed by relative path."""
    out = {}
    for p in sorted(root.rglob("*")):
        rel = str(p.relative_to(root))
        if p.is_symlink():
            out[rel] = "link:" + os.readlink(p)
        elif p.is_file():
            out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
        elif p.is_dir():
            out[rel + "/"] = "dir"
    return out


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "analysis", *args]


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Published:
    base = tmp_path_factory.mktemp("failures")
    corpus = base / "seeds"
    shutil.copytree(ROOT / "seeds", corpus)
    out = base / "reports" / "seeds"
    pub = Published(base, corpus, out, {}, set())
    proc = subprocess.run(cli(*pub.argv()), cwd=base, env=pub.env(), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"the first, good run failed:\n{proc.stderr[-5000:]}"
    assert (out / "index.html").is_file()
    pub.hashes = tree_hashes(out)
    pub.siblings = {p.name for p in out.parent.iterdir()}
    return pub


def assert_untouched(pub: Published, stderr: str, *, partial_expected: bool = True) -> Path | None:
    """The published report is byte-identical, nothing half-written sits beside it, and the message names
    an existing folder holding the partial output."""
    assert tree_hashes(pub.out) == pub.hashes, "the published report changed after a failed run"
    assert "Traceback (most recent call last)" not in stderr, stderr[-3000:]
    m = PARTIAL.search(stderr)
    partial = Path(m.group(1).strip()) if m else None
    if partial_expected:
        assert partial is not None, f"the error does not say where the partial output was kept:\n{stderr}"
        assert partial.is_dir(), f"the partial folder named in the error does not exist: {partial}"
        assert partial.resolve() != pub.out.resolve()
    leftovers = {p.name for p in pub.out.parent.iterdir()} - pub.siblings
    if partial is not None:
        leftovers.discard(partial.name)
    assert not leftovers, f"half-written files left beside the published report: {leftovers}"
    return partial


def clear_partials(pub: Published, partial: Path | None) -> None:
    if partial is not None and partial.exists():
        shutil.rmtree(partial)


# ----------------------------------------------------------------------------------------------- a bad cell

FAILING_CELL = {"cell_type": "code", "execution_count": None, "id": "injected-failure", "metadata": {},
                "outputs": [], "source": ["raise RuntimeError('injected failure for the test')"]}


def test_failing_cell_names_notebook_and_cell_and_keeps_it(published, tmp_path):
    pub = published
    notebooks = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", notebooks)
    victim = notebooks / f"{ONE}.ipynb"
    nb = json.loads(victim.read_text(encoding="utf-8"))
    at = next(i for i, c in enumerate(nb["cells"]) if "parameters" in c.get("metadata", {}).get("tags", [])) + 2
    nb["cells"].insert(at, FAILING_CELL)
    victim.write_text(json.dumps(nb), encoding="utf-8")
    # the same command line, with the kit's notebook folder pointed at the copy
    script = textwrap.dedent("""
        import sys
        from pathlib import Path
        import analysis.report.build as report
        report.NOTEBOOK_DIR = Path(sys.argv[1])
        from analysis.cli import main
        sys.exit(main(sys.argv[2:]))
    """)
    proc = subprocess.run([sys.executable, "-c", script, str(notebooks), *pub.argv_one()], cwd=pub.base,
                          env=pub.env(), capture_output=True, text=True, timeout=600)
    assert proc.returncode != 0
    err = proc.stderr
    assert victim.stem in err, f"the error does not name the notebook:\n{err}"
    assert "RuntimeError" in err and "injected failure for the test" in err, err
    assert re.search(r"cell\s+\d+|In \[\d+\]", err), f"the error does not name the cell:\n{err}"
    partial = assert_untouched(pub, err)
    kept = partial / f"{victim.stem}.ipynb"
    assert kept.is_file(), f"the failed notebook was not kept for debugging in {partial}"
    executed = json.loads(kept.read_text(encoding="utf-8"))
    errors = [o for c in executed["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors and errors[0]["ename"] == "RuntimeError"
    clear_partials(pub, partial)


# ----------------------------------------------------------------------------------------------- signals

def descendants(pid: int) -> set[int]:
    import psutil

    try:
        return {p.pid for p in psutil.Process(pid).children(recursive=True)}
    except psutil.NoSuchProcess:
        return set()


def alive(pids: set[int]) -> set[int]:
    import psutil

    out = set()
    for pid in pids:
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                out.add(pid)
        except psutil.NoSuchProcess:
            pass
    return out


@pytest.mark.parametrize("sig, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["SIGINT", "SIGTERM"])
def test_signal_mid_run_leaves_published_report(published, sig, code):
    pub = published
    # a full run (the signal cuts it short anyway): the widest window to land the signal mid-way
    # SIGINT back to its default in the child: a test run started in the background (SIGINT ignored, as a
    # non-interactive shell does for "&") must still see the report react to it as a user's terminal would
    proc = subprocess.Popen(cli(*pub.argv("--force")), cwd=pub.base, env=pub.env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline = time.monotonic() + 120
        build = None
        while time.monotonic() < deadline and proc.poll() is None:
            new = [p for p in pub.out.parent.iterdir() if p.name not in pub.siblings and "build" in p.name]
            if new:
                build = new[0]
                break
            time.sleep(0.05)
        assert build is not None, "the run never created its build folder beside the report"
        # wait until notebooks run (kernels started), so the signal lands mid-way
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None and len(descendants(proc.pid)) < 2:
            time.sleep(0.05)
        time.sleep(0.5)
        assert proc.poll() is None, "the run ended before it could be interrupted"
        below = descendants(proc.pid)
        proc.send_signal(sig)
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == code, f"exit code {proc.returncode}, expected {code}:\n{stderr}"
    assert signal.Signals(sig).name in stderr or "interrupted" in stderr.lower(), stderr
    partial = assert_untouched(pub, stderr)
    assert not build.exists(), f"the build folder {build} was left in place"
    deadline = time.monotonic() + 10
    while alive(below) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(below), f"workers or kernels still running after the interrupt: {alive(below)}"
    clear_partials(pub, partial)


# ----------------------------------------------------------------------------------------------- no room

def readonly_mount_works(folder: Path) -> bool:
    probe = subprocess.run(["unshare", "-m", "sh", "-c",
                            f'mount --bind "{folder}" "{folder}" && mount -o remount,ro,bind "{folder}" "{folder}" '
                            f'&& ! touch "{folder}/.probe" 2>/dev/null'],
                           capture_output=True, text=True)
    return probe.returncode == 0 and not (folder / ".probe").exists()


def test_unwritable_output_folder(published):
    """The output's folder cannot be written: a read-only bind mount where this machine allows one (root with
    mount rights, as here and in CI containers), else ENOSPC injected at the publish step."""
    pub = published
    parent = pub.out.parent
    if shutil.which("unshare") is not None and readonly_mount_works(parent):
        command = " ".join(f"'{a}'" for a in cli(*pub.argv_one()))
        proc = subprocess.run(["unshare", "-m", "sh", "-c",
                               f'mount --bind "{parent}" "{parent}" && mount -o remount,ro,bind "{parent}" "{parent}" '
                               f"&& exec {command}"],
                              cwd=pub.base, env=pub.env(), capture_output=True, text=True, timeout=600)
        what = "read-only file system"
    else:
        proc = subprocess.run([sys.executable, "-c", ENOSPC_SCRIPT, "publish", pub.out.name, *pub.argv_one()],
                              cwd=pub.base, env=pub.env(), capture_output=True, text=True, timeout=600)
        what = "no space left on device"
    assert proc.returncode != 0
    err = proc.stderr
    assert what in err.lower(), f"the error does not say what failed ({what}):\n{err}"
    assert str(pub.out) in err or str(parent) in err, f"the error does not name the output folder:\n{err}"
    partial = assert_untouched(pub, err)
    # the complete build was kept: every page is there
    assert (partial / "index.html").is_file() and (partial / "run.json").is_file(), sorted(partial.iterdir())
    assert (partial / f"{ONE}.html").is_file()
    clear_partials(pub, partial)


ENOSPC_SCRIPT = textwrap.dedent("""
    import errno, os, sys
    import analysis.report.build as report
    from analysis.pipeline import compute as pipeline
    where = sys.argv[1]
    if where == "tables":
        real = pipeline.write_tables
        def write_tables(analysis, out_dir):
            real(analysis, out_dir)
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(out_dir) + "/tables/keyness.csv")
        pipeline.write_tables = write_tables
    else:
        real_replace = report._replace_dir
        def replace(src, dst):
            if dst.name == sys.argv[2]:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(dst))
            return real_replace(src, dst)
        report._replace_dir = replace
    from analysis.cli import main
    sys.exit(main(sys.argv[3:]))
""")


def test_disk_full_while_writing_the_build(published):
    """ENOSPC while the tables are written into the build folder: the run stops at once, says so, and keeps
    what it wrote."""
    pub = published
    proc = subprocess.run([sys.executable, "-c", ENOSPC_SCRIPT, "tables", pub.out.name, *pub.argv_one()],
                          cwd=pub.base, env=pub.env(), capture_output=True, text=True, timeout=600)
    assert proc.returncode != 0
    err = proc.stderr
    assert "No space left on device" in err and "keyness.csv" in err, f"the error does not say what failed:\n{err}"
    partial = assert_untouched(pub, err)
    assert (partial / "tables").is_dir()
    assert not (partial / "index.html").exists(), "the run went on after the disk was full"
    clear_partials(pub, partial)
