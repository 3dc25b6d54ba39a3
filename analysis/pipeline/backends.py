"""Counting and keyness on a Dask cluster (``dask.distributed``), with tables identical to the local path.

Selected by the report parameter ``backend``: ``local`` (this process, :func:`analysis.counts.count_documents`),
``processes`` (a pool of local processes, one per core, :func:`count_documents_processes`),
``dask`` (a :class:`distributed.LocalCluster` started for the run, one single-threaded worker process per core)
or the address of a running scheduler (``tcp://host:8786``). The corpus is streamed here, cut into batches of
documents; each worker runs :func:`analysis.counts.count_documents` on its batch; the partial tables are added
up in batch order (integer sums, so the order of arrival cannot change them), and the frequency table is
finished exactly as the single-process path finishes it. Keyness then runs once, on the merged table, in this
process: ``pandas.testing.assert_frame_equal`` holds between the two paths (tests/test_distributed.py).

Workers need the kit installed (``pip install -e .`` or the same wheel) in the same Python version as the
client; no shared folder is needed, as the documents travel with the tasks.
"""
from __future__ import annotations

import contextlib
import math
import os
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator

import pandas as pd

from analysis.errors import ParameterError

SCHEMES = ("tcp://", "tls://", "ws://", "wss://", "inproc://")
SUMMED = ("count", "docs")  # per (group, term): added up over batches
PER_GROUP = ("n_docs", "total")  # per group: added up over batches, repeated on each row
CONNECT_TIMEOUT = "10s"  # how long to try reaching a scheduler given by its address


def _records(source, group_col: str, text_col: str = "text", id_col: str = "doc_id") -> Iterator[dict]:
    """The documents of ``source`` (corpus path, DataFrame or iterable of dicts), streamed, with only what
    counting needs (doc_id, group, text, language)."""
    if isinstance(source, (str, os.PathLike)):
        from analysis.corpus import iter_documents

        items: Iterable[dict] = iter_documents(source, text_col=text_col, id_col=id_col)
    elif isinstance(source, pd.DataFrame):
        items = source.to_dict("records")
    else:
        items = source
    keep = ("doc_id", group_col, "text", "language")
    for rec in items:
        yield {k: rec[k] for k in keep if k in rec}


def _batches(records: Iterable[dict], size: int) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for rec in records:
        batch.append(rec)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _count_batch(batch: list[dict], group_col: str, language: str, ngram: int, kwargs: dict) -> dict:
    """On a worker: the frequency table of one batch, and the documents of each group in it."""
    from analysis.stats.counts import count_documents

    freqs = count_documents(batch, group_col=group_col, language=language, ngram=ngram, **kwargs)
    n_docs = Counter(str(rec.get(group_col, "")) for rec in batch)
    return {"freqs": freqs, "n_docs": dict(n_docs)}


def _count_local(records: Iterable[dict], group_col: str, language: str, ngram: int, kwargs: dict) -> pd.DataFrame:
    from analysis.stats.counts import count_documents

    return count_documents(records, group_col=group_col, language=language, ngram=ngram, **kwargs)


def merge_partials(partials: list[dict]) -> pd.DataFrame:
    """Add up the partial frequency tables of :func:`_count_batch` (given in batch order) into the table
    ``count_documents`` gives for all the documents at once: same rows, columns, dtypes and order."""
    frames = [p["freqs"] for p in partials]
    template = next((f for f in frames if len(f.columns)), frames[0])
    columns = list(template.columns)
    group = "group" if "group" in columns else columns[0]
    keys = [group, "term"]
    cat = pd.concat([f for f in frames if len(f)], ignore_index=True) if any(len(f) for f in frames) \
        else template.iloc[0:0]
    summed = cat.groupby(keys, sort=False)[list(SUMMED)].sum()
    others = [c for c in columns if c not in (*keys, *SUMMED, *PER_GROUP, "per_10k")]
    merged = summed.join(cat.groupby(keys, sort=False)[others].first()) if others else summed
    merged = merged.reset_index()
    n_docs: Counter = Counter()
    for p in partials:
        n_docs.update(p["n_docs"])
    totals: Counter = Counter()
    for f in frames:
        if len(f):
            totals.update(f.groupby(group, sort=False)["total"].first().to_dict())
    merged["n_docs"] = merged[group].map(n_docs)
    merged["total"] = merged[group].map(totals)
    merged["per_10k"] = merged["count"] * 10_000 / merged["total"]
    merged = merged[columns]
    merged = merged.astype(template.dtypes.to_dict())
    merged = merged.sort_values([group, "count", "term"], ascending=[True, False, True], kind="stable")
    return merged.reset_index(drop=True)


@contextlib.contextmanager
def dask_client(target="dask", n_workers: int | None = None):
    """A ``distributed.Client`` for ``target``: a Client (used as is), ``"dask"`` (a LocalCluster of
    ``n_workers`` single-threaded processes, closed at the end) or a scheduler address ``tcp://host:port``."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:  # pragma: no cover - dask[distributed] is a dependency of the kit
        raise ParameterError("backend", "dask.distributed is not installed", "local") from None
    if isinstance(target, Client):
        yield target
        return
    if isinstance(target, LocalCluster):
        with Client(target) as client:
            yield client
        return
    if target == "dask":
        workers = n_workers or max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                                   else os.cpu_count() or 1)
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
                Client(cluster) as client:
            yield client
        return
    if isinstance(target, str) and target.startswith(SCHEMES):
        try:
            client = Client(target, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            raise ParameterError("backend", f"cannot reach the Dask scheduler at {target}: {exc}",
                                 "local, processes, dask, or the address of a running scheduler, tcp://HOST:PORT") from None
        try:
            yield client
        finally:
            client.close()
        return
    raise ParameterError("backend", f"unknown backend {target!r}", "local, processes, dask, or tcp://HOST:PORT")


def count_documents_dask(source, client_or_address="dask", group_col: str = "group", language: str = "auto",
                         ngram: int = 1, partitions: int | None = None, batch_size: int | None = None,
                         **count_kwargs) -> pd.DataFrame:
    """:func:`analysis.counts.count_documents` on a Dask cluster; the same table, exactly.

    ``source`` is a corpus path (streamed with :func:`analysis.corpus.iter_documents`), a DataFrame of documents
    or an iterable of dicts. The documents are cut into ``partitions`` batches (default: four per worker) or
    batches of ``batch_size`` documents; at most two batches per worker are in flight, so a corpus larger than
    memory streams through.
    """
    with dask_client(client_or_address) as client:
        if batch_size is None:
            workers = max(1, len(client.scheduler_info().get("workers", {})) or 1)
            n = _size(source)
            parts = partitions or 4 * workers
            batch_size = max(1, math.ceil(n / parts)) if n else 1000
        partials = list(map_batches(client, _count_batch, _records(source, group_col), group_col, language, ngram,
                                    count_kwargs, batch_size=batch_size))
    if not partials:  # no document: the single-process path decides what that means
        return _count_local([], group_col, language, ngram, count_kwargs)
    return merge_partials(partials)


def _size(source) -> int:
    """Number of documents of ``source`` without loading it (lines of a JSONL file, rows of a table)."""
    if isinstance(source, pd.DataFrame):
        return len(source)
    if isinstance(source, (list, tuple)):
        return len(source)
    if isinstance(source, (str, os.PathLike)):
        from analysis.corpus import detect_format, iter_documents

        if detect_format(source).kind == "jsonl":
            with open(source, "rb") as fh:
                return sum(1 for line in fh if line.strip())
        return sum(1 for _ in iter_documents(source))
    return 0


def count_documents_processes(source, jobs: int | None = None, group_col: str = "group", language: str = "auto",
                              ngram: int = 1, batch_size: int = 500, **count_kwargs) -> pd.DataFrame:
    """:func:`analysis.counts.count_documents` on ``jobs`` local processes (default: the usable cores); the
    same table, exactly. Batches of documents go to a process pool (forked where the platform allows), at most
    two per process in flight, so memory stays bounded by the batches and the vocabulary; partial tables are
    merged in batch order as on Dask. The backend ``processes`` of the reports; the benchmark's parallel row."""
    partials = list(map_batches("processes", _count_batch, _records(source, group_col), group_col, language, ngram,
                                count_kwargs, batch_size=batch_size, jobs=jobs))
    if not partials:
        return _count_local([], group_col, language, ngram, count_kwargs)
    return merge_partials(partials)


def counts_for_backend(source, backend: str = "local", group_col: str = "group", language: str = "auto",
                       ngram: int = 1, partitions: int | None = None, **count_kwargs) -> pd.DataFrame:
    """The frequency table of ``source`` on the report's ``backend`` (``local``, ``dask`` or ``tcp://...``).

    What :mod:`analysis.pipeline` calls: every backend gives the same table, the local one without Dask.
    """
    if backend in (None, "", "local"):
        return _count_local(_records(source, group_col), group_col, language, ngram, count_kwargs)
    if backend == "processes":
        return count_documents_processes(source, group_col=group_col, language=language, ngram=ngram,
                                         **count_kwargs)
    return count_documents_dask(source, backend, group_col=group_col, language=language, ngram=ngram,
                                partitions=partitions, **count_kwargs)


def keyness_for_backend(source, group_a: str, group_b: str = "rest", backend: str = "local",
                        group_col: str = "group", language: str = "auto", ngram: int = 1,
                        partitions: int | None = None, count_kwargs: dict | None = None,
                        **keyness_kwargs) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(frequency table, keyness table) of ``source`` on ``backend``: counting distributed, keyness local."""
    from analysis.stats.keyness import keyness

    freqs = counts_for_backend(source, backend, group_col=group_col, language=language, ngram=ngram,
                               partitions=partitions, **(count_kwargs or {}))
    return freqs, keyness(freqs, group_a, group_b, **keyness_kwargs)


def _jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def map_batches(backend, fn, records: Iterable[dict], *args, batch_size: int = 500, jobs: int | None = None
                ) -> Iterator:
    """``fn(batch, *args)`` for each batch of ``records``, results yielded in batch order, on ``backend``:
    ``local`` (this process), ``processes`` (``jobs`` processes, default one per core) or Dask (``dask``, a
    scheduler address or a Client). At most two batches per worker are in flight, so a corpus larger than memory
    streams through; the results do not depend on the backend (each batch is computed by the same function).
    The one place where batches meet a backend: the whole analysis and the counting benchmark both go through it."""
    batches = _batches(records, batch_size)
    if backend in (None, "", "local"):
        for batch in batches:
            yield fn(batch, *args)
        return
    if backend == "processes":
        import multiprocessing

        jobs = jobs or _jobs()
        if jobs <= 1:
            for batch in batches:
                yield fn(batch, *args)
            return
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        with multiprocessing.get_context(method).Pool(jobs) as pool:
            pending = []
            for batch in batches:
                pending.append(pool.apply_async(fn, (batch, *args)))
                if len(pending) >= 2 * jobs:
                    yield pending.pop(0).get()
            for p in pending:
                yield p.get()
        return
    with dask_client(backend) as client:
        workers = max(1, len(client.scheduler_info().get("workers", {})) or 1)
        run, pending = uuid.uuid4().hex, []
        for i, batch in enumerate(batches):
            pending.append(client.submit(fn, batch, *args, key=f"narratives-pass-{run}-{i}", pure=False))
            if len(pending) > 2 * workers:
                yield pending.pop(0).result()
        for f in pending:
            yield f.result()
