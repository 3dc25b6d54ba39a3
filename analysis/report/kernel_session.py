"""What the report runner executes inside a kernel it reuses, between notebooks (see :mod:`analysis.notebook_runner`).

A report kernel runs several notebooks one after the other. :func:`warm` is run once, right after the kernel
starts (while the report's analysis is still being computed): it imports the modules the notebooks import and
draws one throw-away figure, so that pandas, matplotlib, the font cache and the PNG encoder are loaded once per
kernel instead of once per notebook. It then records the kernel's pristine state. :func:`reset` is run before
every notebook and puts that state back, so that a notebook sees what it would see in a fresh kernel:

- an empty user namespace and an execution counter at 1 (``InteractiveShell.reset``);
- no open figure and the matplotlib settings of a fresh kernel once the notebook's imports ran (rcParams as
  they were right after the warm-up's imports, before its figure);
- the warning filters of a fresh kernel, with the "already shown" registries cleared, so a warning shown by
  one notebook is shown again by the next;
- the working folder, ``sys.path`` and environment variables the kernel started with.

Modules stay imported: that is the point. Module-level caches of :mod:`analysis` only memoise pure functions
of their arguments (stopword lists, YAML data files), so they cannot carry one notebook's state into another.
The test suite checks that every notebook renders the same outputs in a reused kernel as in a fresh one.
"""
from __future__ import annotations

import ast
import importlib
import os
import sys
import warnings

_PRISTINE: dict = {}


def notebook_imports(sources: list[str]) -> list[str]:
    """Modules imported at the top level of ``sources`` (code cells), in order of first appearance. Cells
    that are not plain Python (magics) are skipped; relative imports are ignored."""
    seen: list[str] = []
    for source in sources:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            else:
                continue
            for name in names:
                if name not in seen:
                    seen.append(name)
    return seen


def warm(modules: list[str]) -> list[str]:
    """Import ``modules`` (names that are attributes rather than submodules are skipped), draw and encode one
    small figure if matplotlib is among them, then record the kernel's pristine state. Returns the modules
    that failed to import (the notebook that imports them will fail on its own cell, with its own message)."""
    failed = []
    for name in modules:
        if name in sys.modules:
            continue
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as err:
            if err.name != name:  # a submodule that is really a name inside its module is fine
                failed.append(name)
        except Exception:
            failed.append(name)
    # the state after the imports is what a fresh kernel has once the notebook's own imports ran
    rc = sys.modules["matplotlib"].rcParams.copy() if "matplotlib" in sys.modules else None
    if "matplotlib.pyplot" in sys.modules:
        _draw_one_figure()
    _PRISTINE.update(rc=rc, filters=list(warnings.filters), cwd=os.getcwd(), path=list(sys.path),
                     environ=dict(os.environ))
    return failed


def _draw_one_figure() -> None:
    """Load the font cache, the text layout and the PNG writer once (the first figure of a kernel pays them)."""
    import io

    import matplotlib
    import matplotlib.pyplot as plt

    with matplotlib.rc_context():
        fig, ax = plt.subplots(figsize=(2, 1))
        ax.barh([0, 1], [1, 2])
        ax.set_yticks([0, 1], ["é", "b"])
        ax.set_title("warm-up")
        fig.savefig(io.BytesIO(), format="png", metadata={"Software": None})
        plt.close(fig)


def reset() -> None:
    """Put the kernel back in the state :func:`warm` recorded (see the module docstring)."""
    if not _PRISTINE:
        raise RuntimeError("kernel_session.reset() before warm()")
    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None:
        shell.reset(new_session=True)
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    if _PRISTINE["rc"] is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sys.modules["matplotlib"].rcParams.update(_PRISTINE["rc"])
    warnings.resetwarnings()  # also invalidates every module's "already shown" registry
    warnings.filters[:] = _PRISTINE["filters"]
    warnings.onceregistry.clear()
    os.chdir(_PRISTINE["cwd"])
    sys.path[:] = _PRISTINE["path"]
    if dict(os.environ) != _PRISTINE["environ"]:
        os.environ.clear()
        os.environ.update(_PRISTINE["environ"])
