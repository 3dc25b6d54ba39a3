"""Exceptions of the kit: one base class, each error naming the file, line or parameter at fault.

Every message is meant to be read by a user who never saw the code: it says what is wrong, where,
and what to do about it. Errors are plain picklable exceptions so they cross process boundaries.
"""
from __future__ import annotations

from dataclasses import dataclass


class AnalysisError(Exception):
    """Base class of every error the kit raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One fault found in a corpus: where it is (file and line) and what it is."""

    file: str
    line: int | None
    message: str
    column: str | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}, line {self.line}"
        if self.column:
            where += f", column {self.column!r}"
        return f"{where}: {self.message}"


class CorpusError(AnalysisError):
    """A corpus cannot be loaded; ``problems`` lists every fault found, each with file and line."""

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem(file="", line=None, message=problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        shown = "\n".join(f"  - {p}" for p in self.problems[:20])
        more = len(self.problems) - 20
        if more > 0:
            shown += f"\n  ... and {more} more problem(s)"
        n = len(self.problems)
        super().__init__(f"the corpus has {n} problem{'s' if n != 1 else ''}:\n{shown}")

    def __reduce__(self):
        return (type(self), (self.problems,))


class ParameterError(AnalysisError):
    """A report or function parameter has a wrong name, type or value."""

    def __init__(self, name: str, message: str, allowed: str | None = None):
        self.name = name
        self.allowed = allowed
        self.detail = message
        text = f"parameter {name!r}: {message}"
        if allowed:
            text += f" (allowed: {allowed})"
        super().__init__(text)

    def __reduce__(self):
        return (type(self), (self.name, self.detail, self.allowed))


class ComparisonError(AnalysisError):
    """Two groups cannot be compared (a group is empty, a group against itself, no content words)."""


class ReportError(AnalysisError):
    """A report run failed; names the notebook and cell where possible and where partial output was kept."""

    def __init__(self, message: str, notebook: str | None = None, cell: int | None = None,
                 partial_dir: str | None = None):
        self.notebook = notebook
        self.cell = cell
        self.partial_dir = partial_dir
        self.detail = message
        parts = []
        if notebook:
            parts.append(f"notebook {notebook}")
        if cell is not None:
            parts.append(f"cell {cell}")
        text = (" ".join(parts) + ": " if parts else "") + message
        if partial_dir:
            text += f"\nPartial output kept in {partial_dir}"
        super().__init__(text)

    def __reduce__(self):
        return (type(self), (self.detail, self.notebook, self.cell, self.partial_dir))


class NotebookExecutionError(ReportError):
    """A cell of a report notebook raised, modelled on papermill's ``PapermillExecutionError``: the notebook,
    the cell's index in the notebook and its execution count, its source, the exception's name, value and
    traceback (as the kernel reported them), the folder where the partial output was kept and the exit code.
    Picklable, so that it crosses process boundaries whole."""

    def __init__(self, notebook: str, cell_index: int, exec_count: int | None, source: str, ename: str, evalue: str,
                 traceback: list[str] | None = None, partial_dir: str | None = None, exit_code: int = 1,
                 detail: str | None = None):
        self.cell_index, self.exec_count, self.source = cell_index, exec_count, source
        self.ename, self.evalue, self.traceback = ename, evalue, list(traceback or [])
        self.exit_code = exit_code
        where = f"In [{exec_count}]" if exec_count is not None else "a cell that did not start"
        message = detail or (f"{ename}: {evalue} (the cell {where}, cell index {cell_index} of the executed "
                             f"notebook {notebook}.ipynb)")
        super().__init__(message, notebook=notebook, cell=exec_count if exec_count is not None else cell_index,
                         partial_dir=partial_dir)

    def with_partial(self, partial_dir: str, suffix: str = "") -> "NotebookExecutionError":
        """The same error, once the partial output has been kept in ``partial_dir``."""
        return NotebookExecutionError(self.notebook, self.cell_index, self.exec_count, self.source, self.ename,
                                      self.evalue, self.traceback, partial_dir, self.exit_code,
                                      detail=self.detail + suffix)

    def __reduce__(self):
        return (type(self), (self.notebook, self.cell_index, self.exec_count, self.source, self.ename, self.evalue,
                             self.traceback, self.partial_dir, self.exit_code, self.detail))
