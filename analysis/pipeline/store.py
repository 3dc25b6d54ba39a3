"""The analysis cache: one folder per analysis, one Parquet file per table, read back table by table.

An entry is ``<cache>/<key>/`` holding ``analysis.json`` (parameters, groups, notes, timings) and
``tables/<name>.parquet``. The key is the SHA-256 of everything the analysis depends on (see
:func:`cache_key`): the content of the corpus, the parameters that change results (with the content of
parameter files), every file of the ``analysis`` package and the versions of the packages that compute. An
entry is written in a temporary folder and renamed into place, so a reader never sees half of one; an entry
that cannot be read is recomputed, never trusted. The cache is bounded: beyond ``CACHE_KEEP`` entries or
``CACHE_MAX_BYTES`` in all, the least recently used entries are deleted. A cache folder that cannot be written
only costs speed.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from analysis.corpus import file_sha256
from analysis.pipeline import provenance
from analysis.pipeline.cache_location import cache_dir

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # analysis/
# parameters that do not change any computed table (the corpus is keyed by its content, not its path)
NOT_IN_KEY = ("corpus", "include_code", "output_dir", "backend", "analysis_dir")  # explorer_text is in the key:
# with "none" no line of text is gathered, so nothing of the documents can reach the cache or the page
FILE_PARAMS = ("lexicon", "concepts", "gazetteer", "stopwords", "codes")
RESULT_PACKAGES = ("pandas", "numpy", "nltk", "scipy", "scikit-learn", "PyYAML", "pyarrow")
CACHE_KEEP = 32  # entries kept at most
CACHE_MAX_BYTES = 1 << 30  # bytes kept at most (1 GiB), whatever the number of entries
META = "analysis.json"


def code_hash() -> str:
    """SHA-256 over every file of the analysis package: code, data files and templates (names and bytes)."""
    h = hashlib.sha256()
    files = sorted(p for p in PACKAGE_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                   and p.suffix not in (".pyc", ".pyo"))
    for p in files:
        h.update(str(p.relative_to(PACKAGE_DIR)).encode())
        h.update(b"\0")
        h.update(file_sha256(p).encode())
    return h.hexdigest()


def package_versions(names=RESULT_PACKAGES) -> dict[str, str | None]:
    """Versions of the packages whose results the cache depends on."""
    return provenance.package_versions(names)


def result_params(params: dict) -> dict:
    """The parameters that change results, with the content hash of each parameter file."""
    out = {k: v for k, v in sorted(params.items()) if k not in NOT_IN_KEY}
    for name in FILE_PARAMS:
        if params.get(name):
            out[name] = {"sha256": file_sha256(Path(params[name]))}
    return out


def cache_key(params: dict, corpus_sha256: str | None = None) -> str:
    """The SHA-256 that names an analysis in the cache (see the module docstring)."""
    if corpus_sha256 is None:
        from analysis.corpus import document_hashes

        corpus_sha256, _ = document_hashes(params["corpus"])
    payload = {
        "corpus": corpus_sha256,
        "params": result_params(params),
        "code": code_hash(),
        "packages": package_versions(),
        "python": ".".join(map(str, sys.version_info[:2])),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def entry_dir(key: str) -> Path:
    return cache_dir() / key


def read_meta(folder: Path) -> dict | None:
    """The metadata of a stored analysis, or None when the entry is absent, incomplete or corrupt."""
    try:
        meta = json.loads((Path(folder) / META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or not isinstance(meta.get("tables"), list):
        return None
    if not all((Path(folder) / "tables" / f"{t}.parquet").is_file() for t in meta["tables"]):
        return None
    return meta


def read_table(folder: Path, name: str):
    import pandas as pd

    return pd.read_parquet(Path(folder) / "tables" / f"{name}.parquet")


def write_entry_at(folder: Path, meta: dict, tables: dict) -> Path:
    """Store ``tables`` and ``meta`` in ``folder`` (created), as an entry of the cache is stored."""
    folder = Path(folder)
    (folder / "tables").mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        df.to_parquet(folder / "tables" / f"{name}.parquet", index=False)
    (folder / META).write_text(json.dumps({**meta, "tables": sorted(tables)}, sort_keys=True, default=str),
                               encoding="utf-8")
    return folder


def write_entry(key: str, meta: dict, tables: dict) -> Path | None:
    """Store ``tables`` (name -> DataFrame) and ``meta`` as the entry ``key``; None when the cache cannot be
    written (read-only or full disk: the analysis is still returned, only the cache is lost)."""
    root = cache_dir()
    tmp = None
    try:
        root.mkdir(parents=True, exist_ok=True)
        tmp = write_entry_at(Path(tempfile.mkdtemp(dir=root, prefix=".tmp-")), meta, tables)
        final = root / key
        if final.exists():
            shutil.rmtree(final, ignore_errors=True)
        os.replace(tmp, final)
        prune(root, keep_also=final)
        return final
    except OSError:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        return None


def add_table(folder: Path, name: str, df) -> bool:
    """Add one table to a stored analysis (the report adds the findings its pages share); False when the cache
    cannot be written."""
    folder = Path(folder)
    meta = read_meta(folder)
    if meta is None:
        return False
    try:
        fd, tmp = tempfile.mkstemp(dir=folder / "tables", prefix=".tmp-", suffix=".parquet")
        os.close(fd)
        df.to_parquet(tmp, index=False)
        os.replace(tmp, folder / "tables" / f"{name}.parquet")
        meta["tables"] = sorted(set(meta["tables"]) | {name})
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(meta, sort_keys=True, default=str))
        os.replace(tmp, folder / META)
        return True
    except OSError:
        return False


def touch(folder: Path) -> None:
    """Mark an entry as just used (pruning deletes the least recently used)."""
    try:
        os.utime(Path(folder) / META)
    except OSError:
        pass


def _size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def prune(root: Path, keep: int | None = None, max_bytes: int | None = None, keep_also: Path | None = None
          ) -> list[Path]:
    """Delete the least recently used entries beyond ``keep`` entries or ``max_bytes`` in all (the newest
    entry, ``keep_also``, always stays); stale temporary folders older than an hour go too. Returns what went."""
    keep = CACHE_KEEP if keep is None else keep
    max_bytes = CACHE_MAX_BYTES if max_bytes is None else max_bytes
    removed = []
    entries = []
    now = time.time()
    for d in Path(root).iterdir() if Path(root).is_dir() else []:
        if not d.is_dir():
            if d.suffix == ".pkl":  # entries of the kit's former pickle cache
                d.unlink(missing_ok=True)
                removed.append(d)
            continue
        if d.name.startswith(".tmp-"):
            if now - d.stat().st_mtime > 3600:
                shutil.rmtree(d, ignore_errors=True)
                removed.append(d)
            continue
        meta = d / META
        entries.append((meta.stat().st_mtime if meta.exists() else d.stat().st_mtime, d))
    entries.sort(reverse=True)
    total = 0
    for i, (_, d) in enumerate(entries):
        size = _size(d)
        total += size
        if d != keep_also and (i >= keep or total > max_bytes):
            shutil.rmtree(d, ignore_errors=True)
            removed.append(d)
            total -= size
    return removed
