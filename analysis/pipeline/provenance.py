"""Provenance of a report run (``run.json``): what went in, with which code, on which software, and when.

Written beside the report so that anyone holding the HTML can tell which corpus (SHA-256 of the corpus and of
each document), which parameters, which kit commit and which package versions produced it.
"""
from __future__ import annotations

import json
import os
import platform
import sys
from importlib import metadata
from pathlib import Path

REPORT_PACKAGES = ("narratives-kit", "pandas", "numpy", "matplotlib", "nltk", "scipy", "scikit-learn", "PyYAML",
                   "pyarrow", "papermill", "nbconvert", "nbclient", "nbformat", "ipykernel", "jupyter_client",
                   "tqdm", "dask", "distributed")
KIT_ROOT = Path(__file__).resolve().parents[2]


def package_versions(names=REPORT_PACKAGES) -> dict[str, str | None]:
    out = {}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def git_commit(root: Path = KIT_ROOT) -> str | None:
    """The commit the kit is checked out at, read from ``.git`` (no git process); None outside a clone."""
    git = root / ".git"
    try:
        if git.is_file():  # a worktree: "gitdir: PATH"
            git = (root / git.read_text().split(":", 1)[1].strip()).resolve()
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref:"):
            return head or None
        ref = head.split(":", 1)[1].strip()
        for base in (git, _common_dir(git)):
            path = base / ref
            if path.is_file():
                return path.read_text().strip() or None
            packed = base / "packed-refs"
            if packed.is_file():
                for line in packed.read_text().splitlines():
                    parts = line.split()
                    if len(parts) == 2 and parts[1] == ref:
                        return parts[0]
    except OSError:
        return None
    return None


def _common_dir(git: Path) -> Path:
    common = git / "commondir"
    if common.is_file():
        return (git / common.read_text().strip()).resolve()
    return git


def python_info() -> dict[str, str]:
    return {"version": platform.python_version(), "implementation": platform.python_implementation(),
            "executable_prefix": os.path.basename(sys.prefix)}


def write_json(path: str | os.PathLike, data: dict) -> None:
    Path(path).write_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8",
                          newline="\n")
