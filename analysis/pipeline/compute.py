"""The whole analysis of a corpus in one call, cached on disk: what every report page reads.

:func:`analyze` loads the corpus, checks the parameters against it, and computes every table the reports show
(documents, tokens, term frequencies, keyness of words and bigrams, collocations, concordance lines of the key
terms, actors, quantitative claims, quotations, frames). The report runner calls it once in the parent process;
each notebook calls it again and gets the same object back from the cache, in milliseconds.

The cache
---------
Results are pickled under ``$NARRATIVES_CACHE_DIR`` or, when unset, ``.cache/analysis`` under the current
folder. A result's file name is the SHA-256 of everything it depends on: the content of the corpus (manifest
and texts), the parameters that change results (groups, language, ``top_n``, ``min_count``, ``seed``,
stopwords, and the *content* of the lexicon, gazetteer and stopword files), the code (every ``analysis/*.py``
and ``analysis/data`` file) and the versions of the packages that compute (pandas, numpy, nltk, scipy...).
Change any of them and the analysis is recomputed. The cache is safe to delete at any time
(``make clean-cache``); a corrupt or unreadable entry is recomputed, never trusted; only the 32 most recent
analyses are kept; a cache folder that cannot be written only costs speed.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.pipeline import params as P
from analysis.pipeline import provenance
from analysis.pipeline.cache_location import CACHE_ENV, DEFAULT_CACHE, cache_dir  # noqa: F401  (part of this module's API)
from analysis.corpus import file_sha256
from analysis.errors import AnalysisError, ComparisonError

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # analysis/
# parameters that do not change any computed table (the corpus is keyed by its content, not its path)
NOT_IN_KEY = ("corpus", "include_code", "output_dir", "backend")
FILE_PARAMS = ("lexicon", "gazetteer", "stopwords")
RESULT_PACKAGES = ("pandas", "numpy", "nltk", "scipy", "scikit-learn", "PyYAML", "pyarrow")
TABLES = ("documents", "tokens", "frequencies", "frequencies_bigrams", "keyness", "keyness_bigrams",
          "collocations", "concordance", "entities", "claims", "quotes", "frames", "frame_sentences",
          "frame_comparison")
CONCORDANCE_TERMS = 5  # key terms per side shown in concordance lines
CONCORDANCE_LINES = 8  # lines per term
CACHE_KEEP = 32  # analyses kept in the cache folder (the oldest are deleted)


@dataclass
class Analysis(Mapping):
    """Every table of one analysis (tidy DataFrames) plus the parameters and cache key that produced them.

    Behaves as a read-only mapping of table name to DataFrame (``analysis["keyness"]``); ``missing`` names
    the tables the data could not yield and why (e.g. no bigram reaching ``min_count``; shown in the reports).
    """

    params: dict
    key: str
    group_a: str
    group_b: str
    documents: pd.DataFrame
    tokens: pd.DataFrame | None = None
    frequencies: pd.DataFrame | None = None
    frequencies_bigrams: pd.DataFrame | None = None
    keyness: pd.DataFrame | None = None
    keyness_bigrams: pd.DataFrame | None = None
    collocations: pd.DataFrame | None = None
    concordance: pd.DataFrame | None = None
    entities: pd.DataFrame | None = None
    claims: pd.DataFrame | None = None
    quotes: pd.DataFrame | None = None
    frames: pd.DataFrame | None = None
    frame_sentences: pd.DataFrame | None = None
    frame_comparison: pd.DataFrame | None = None
    missing: dict = field(default_factory=dict)
    findings_table: pd.DataFrame | None = None  # analysis.findings.findings, worked out once
    step_seconds: dict = field(default_factory=dict)
    excluded_documents: int = 0
    seconds: float = 0.0
    from_cache: bool = False

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in TABLES:
            raise KeyError(name)
        return getattr(self, name)

    def __iter__(self):
        return iter(TABLES)

    def __len__(self) -> int:
        return len(TABLES)

    def available(self, name: str) -> bool:
        return getattr(self, name) is not None

    def note(self, name: str) -> str:
        """Why a table is absent ("" when it is there)."""
        return self.missing.get(name, "")


# --------------------------------------------------------------------------------------------- keys

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
    from analysis.corpus import document_hashes

    if corpus_sha256 is None:
        corpus_sha256, _ = document_hashes(params["corpus"])
    payload = {
        "corpus": corpus_sha256,
        "params": result_params(params),
        "code": code_hash(),
        "packages": package_versions(),
        "python": ".".join(map(str, sys.version_info[:2])),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _load_cached(path: Path) -> Analysis | None:
    try:
        with open(path, "rb") as fh:
            obj = pickle.load(fh)
    except FileNotFoundError:
        return None
    except Exception:  # a truncated or stale entry is recomputed, never trusted
        return None
    return obj if isinstance(obj, Analysis) else None


def _store(path: Path, analysis: Analysis) -> None:
    """Write atomically (temporary file then rename) so that concurrent readers never see half a file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pkl")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(analysis, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        _prune(path.parent)
    except OSError:
        # a read-only or full disk only costs the cache, never the analysis
        try:
            os.unlink(tmp)  # type: ignore[possibly-undefined]
        except (OSError, NameError):
            pass


def _prune(folder: Path, keep: int = CACHE_KEEP) -> None:
    """Keep the ``keep`` most recently written analyses; older ones (old code, old parameters) go."""
    entries = sorted(folder.glob("*.pkl"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[keep:]:
        try:
            old.unlink()
        except OSError:
            pass


# --------------------------------------------------------------------------------------------- analysis

def analyze(params: dict | None = None, *, use_cache: bool = True, docs: pd.DataFrame | None = None,
            **overrides: Any) -> Analysis:
    """Validate ``params`` (names of :mod:`analysis.params`), then return the cached analysis or compute it.

    Raises ParameterError for a bad parameter (also a group absent from the corpus), CorpusError for a corpus
    that does not load, ComparisonError for groups that cannot be compared.
    """
    p = P.validate(params, **overrides)
    key = cache_key(p)
    path = cache_dir() / f"{key}.pkl"
    if use_cache:
        cached = _load_cached(path)
        if cached is not None:
            cached.from_cache = True
            cached.params = dict(p)
            return cached
    t0 = time.perf_counter()
    result = compute(p, key, docs=docs)
    result.seconds = round(time.perf_counter() - t0, 3)
    if use_cache:
        _store(path, result)
    return result


def _stopword_set(p: dict, languages) -> frozenset | None:
    """The stopwords of the languages present, with the user's list or extra words; None for the defaults."""
    if not p["stopwords"] and not p["extra_stopwords"]:
        return None
    from analysis.text.stopwords import get_stopwords

    extra = tuple(w.strip().lower() for w in p["extra_stopwords"].split(",") if w.strip())
    out: set[str] = set()
    for lang in sorted(set(languages)):
        out |= set(get_stopwords(lang, replace=p["stopwords"] or None, extra=extra))
    return frozenset(out)


def compare_documents(docs: pd.DataFrame, p: dict) -> tuple[pd.DataFrame, int]:
    """The documents of the comparison with their side in ``group``: documents of group_a keep it; with
    group_b = 'rest' every other document is labelled 'rest'; otherwise documents of neither group are
    left out (their number is returned)."""
    col, a, b = p["group_col"], p["group_a"], p["group_b"]
    values = docs[col].astype(str)
    docs = docs.copy()
    if col != "group":
        if "group" in docs.columns:
            docs = docs.rename(columns={"group": "group_metadata"})
        docs.insert(1, "group", values)
    if b == P.REST:
        docs["group"] = [a if v == a else P.REST for v in values]
        return docs.reset_index(drop=True), 0
    keep = values.isin([a, b]).to_numpy()
    return docs[keep].reset_index(drop=True), int((~keep).sum())


def compute(p: dict, key: str = "", docs: pd.DataFrame | None = None) -> Analysis:
    """Compute every table (no cache)."""
    from analysis.corpus import date_precision, load_corpus
    from analysis.text.sentences import split_sentences

    a, b = p["group_a"], p["group_b"]
    if docs is None:
        docs = load_corpus(p["corpus"], group_col=p["group_col"])
    P.check_groups(p, docs)
    docs, excluded = compare_documents(docs, p)
    missing: dict[str, str] = {}
    sentences = split_sentences(docs)

    documents = docs.drop(columns=[c for c in ("text", "path", "encoding") if c in docs.columns])
    documents["n_chars"] = docs["text"].str.len().astype("int64")
    documents["n_sentences"] = (sentences.groupby("doc_id").size().reindex(docs["doc_id"]).fillna(0)
                                .astype("int64").to_numpy())
    if "date" in documents.columns:
        documents["date_precision"] = documents["date"].fillna("").astype(str).map(date_precision)

    result = Analysis(params=dict(p), key=key, group_a=a, group_b=b, documents=documents, missing=missing,
                      excluded_documents=excluded)

    # ---- tokens, frequencies, keyness, collocations, concordance
    from analysis.text import tokens as T

    langs = T.document_languages(docs, language=p["language"])
    lang_of = dict(zip(langs.index, langs.to_numpy()))
    documents["language"] = [lang_of.get(d, "") for d in documents["doc_id"]]
    stop = _stopword_set(p, lang_of.values())
    kw = {"stopwords": stop} if stop is not None else {}
    with _step(result, "tokens"):
        toks = T.tokenize(docs, language=p["language"], group_col="group", **kw)
    result.tokens = toks
    words = toks[~toks["is_punct"].astype(bool)]
    documents["n_tokens"] = words.groupby("doc_id").size().reindex(documents["doc_id"]).fillna(0).astype(
        "int64").to_numpy()
    documents["n_types"] = words.groupby("doc_id")["token"].nunique().reindex(documents["doc_id"]).fillna(
        0).astype("int64").to_numpy()
    _text_tables(result, toks, docs, p, stop)

    # ---- actors, claims, quotes, frames
    _narrative_tables(result, docs, p)
    # ---- the findings of the comparison (index page, page 05), kept with the tables in the cache
    from analysis.pages import findings

    with contextlib.suppress(Exception):  # a courtesy: the pages work them out (and show the error) themselves
        findings.findings(result)
    return result


@contextlib.contextmanager
def _step(result: Analysis, name: str):
    """Record how long one step of the analysis took (``Analysis.step_seconds``, shown in run.json)."""
    t0 = time.perf_counter()
    try:
        yield
    finally:
        result.step_seconds[name] = round(time.perf_counter() - t0, 3)


def _stopword_terms(toks: pd.DataFrame) -> set[str]:
    return set(toks.loc[toks["is_stopword"].astype(bool), "token"].unique())


def _text_tables(result: Analysis, toks: pd.DataFrame, docs: pd.DataFrame, p: dict, stop) -> None:
    from analysis.stats import counts
    from analysis.stats.collocations import collocations
    from analysis.stats.concordance import kwic
    from analysis.stats.keyness import keyness

    a, b, missing = p["group_a"], p["group_b"], result.missing
    stop_terms = _stopword_terms(toks)
    if p["backend"] in ("", "local"):
        with _step(result, "frequencies"):
            freqs = counts.term_frequencies(toks, group_col="group", term="token", ngram=1)
        with _step(result, "frequencies_bigrams"):
            bigrams = counts.term_frequencies(toks, group_col="group", term="token", ngram=2)
    elif p["backend"] == "processes":  # one process per core (analysis/distributed.py): the same tables
        from analysis.pipeline.backends import counts_for_backend

        kw = {"stopwords": stop} if stop is not None else {}
        with _step(result, "frequencies"):
            freqs = counts_for_backend(docs, "processes", group_col="group", language=p["language"], ngram=1, **kw)
            bigrams = counts_for_backend(docs, "processes", group_col="group", language=p["language"], ngram=2,
                                         **kw)
    else:  # counting on Dask (analysis/distributed.py): the same tables, computed by the cluster
        from analysis.pipeline.backends import counts_for_backend, dask_client

        kw = {"stopwords": stop} if stop is not None else {}
        with _step(result, "frequencies"), dask_client(p["backend"]) as client:
            freqs = counts_for_backend(docs, client, group_col="group", language=p["language"], ngram=1, **kw)
            bigrams = counts_for_backend(docs, client, group_col="group", language=p["language"], ngram=2, **kw)
    result.frequencies = _sort(freqs, ["group", "count", "term"], [True, False, True])
    result.frequencies_bigrams = _sort(bigrams, ["group", "count", "term"], [True, False, True])
    with _step(result, "keyness"):
        result.keyness = keyness(freqs, a, b, min_count=p["min_count"], stopwords=stop_terms)
    try:
        result.keyness_bigrams = keyness(bigrams, a, b, min_count=p["min_count"], stopwords=stop_terms)
    except ComparisonError as err:  # few bigrams reach the minimum count: say so, keep the words
        result.keyness_bigrams = None
        missing["keyness_bigrams"] = f"not available: {err}"
    parts = []
    for g in (a, b):
        sub = toks[toks["group"] == g]
        c = collocations(sub, measure="likelihood_ratio", min_freq=2, window=2, top_n=p["top_n"])
        c.insert(0, "group", g)
        parts.append(c)
    result.collocations = pd.concat(parts, ignore_index=True)
    parts = []
    k = result.keyness
    n = min(CONCORDANCE_TERMS, p["top_n"])
    for side, sub in ((a, k[k["g2"] > 0].head(n)), (b, k[k["g2"] < 0].head(n))):
        for term in sub["term"]:
            lines = kwic(toks, docs, str(term), regex=False, window=8, group_col="group")
            lines = lines.head(CONCORDANCE_LINES).copy()
            lines.insert(0, "term", term)
            lines.insert(1, "key_for", side)
            parts.append(lines)
    result.concordance = (pd.concat(parts, ignore_index=True) if parts else
                          pd.DataFrame(columns=["term", "key_for", "doc_id", "group", "sentence_id", "position",
                                                "left", "match", "right"]))


def _narrative_tables(result: Analysis, docs: pd.DataFrame, p: dict) -> None:
    from analysis.narratives import claims, entities, frames, quotes

    with _step(result, "entities"):
        result.entities = entities.find_entities(docs, gazetteer=p["gazetteer"] or None, group_col="group")
    with _step(result, "claims"):
        result.claims = claims.find_claims(docs, group_col="group")
    with _step(result, "quotes"):
        result.quotes = quotes.find_quotes(docs, group_col="group")
    lexicon = frames.load_frames(p["lexicon"] or None)
    with _step(result, "frame_sentences"):
        result.frame_sentences = frames.frame_sentences(docs, lexicon=lexicon, group_col="group")
    with _step(result, "frames"):
        result.frames = frames.frame_shares(docs, lexicon=lexicon, group_col="group")
    with _step(result, "frame_comparison"):
        result.frame_comparison = frames.compare_frames(result.frames, p["group_a"], p["group_b"], n_boot=2000,
                                                        seed=p["seed"])


def _sort(df: pd.DataFrame, by: list[str], ascending: list[bool]) -> pd.DataFrame:
    by = [c for c in by if c in df.columns]
    return df.sort_values(by, ascending=ascending[: len(by)], kind="mergesort").reset_index(drop=True)


# --------------------------------------------------------------------------------------------- tables

# each written table: (name in Analysis, file name, stable sort keys)
WRITTEN = (
    ("documents", "documents.csv", ["group", "doc_id"]),
    ("frequencies", "frequencies.csv", None),
    ("frequencies_bigrams", "frequencies_bigrams.csv", None),
    ("keyness", "keyness.csv", None),
    ("keyness_bigrams", "keyness_bigrams.csv", None),
    ("collocations", "collocations.csv", None),
    ("concordance", "concordance.csv", None),
    ("entities", "entities.csv", ["doc_id", "start", "end", "category", "canonical"]),
    ("claims", "claims.csv", ["doc_id", "start", "end"]),
    ("quotes", "quotes.csv", ["doc_id", "start", "end"]),
    ("frames", "frames.csv", ["doc_id", "frame"]),
    ("frame_sentences", "frame_sentences.csv", ["doc_id", "sentence_id", "frame", "term"]),
    ("frame_comparison", "frame_comparison.csv", None),
)
FLOAT_FORMAT = "%.6g"


def write_table(df: pd.DataFrame, path: Path, sort: list[str] | None = None) -> None:
    """Write ``df`` as UTF-8 CSV with deterministic bytes: stable sort, fixed float format, LF line ends."""
    if sort:
        keys = [c for c in sort if c in df.columns]
        if keys:
            df = df.sort_values(keys, kind="mergesort")
    df.to_csv(path, index=False, float_format=FLOAT_FORMAT, lineterminator="\n", encoding="utf-8")


def write_tables(analysis: Analysis, out_dir: str | os.PathLike) -> list[Path]:
    """Write the report tables under ``out_dir/tables`` (created); returns the files written.

    Tables: documents, frequencies (+ bigrams), keyness (+ bigrams), collocations, concordance, entities,
    claims, quotes, frames (per-document shares), frame_sentences, frame_comparison. Absent tables (a module
    not installed) are not written. The token table is not written (it is large and derived from the corpus).
    """
    tables = Path(out_dir) / "tables"
    tables.mkdir(parents=True, exist_ok=True)
    written = []
    for name, filename, sort in WRITTEN:
        df = getattr(analysis, name)
        if df is None:
            continue
        if name == "claims":
            front = [c for c in ("doc_id", "group", "value", "unit", "object", "hedge", "category", "text")
                     if c in df.columns]
            df = df[front + [c for c in df.columns if c not in front]]
        if name == "quotes":
            front = [c for c in ("doc_id", "group", "speaker", "role", "voice_kind", "quote") if c in df.columns]
            df = df[front + [c for c in df.columns if c not in front]]
        path = tables / filename
        write_table(df, path, sort)
        written.append(path)
    return written


def require(analysis: Analysis, *names: str) -> None:
    """Raise AnalysisError when a table needed by a page is missing (used by nothing in the reports, which
    show a note instead; handy in scripts)."""
    absent = [n for n in names if getattr(analysis, n) is None]
    if absent:
        raise AnalysisError("; ".join(f"{n}: {analysis.note(n)}" for n in absent))


__all__ = ["Analysis", "analyze", "cache_dir", "cache_key", "code_hash", "compute", "write_tables",
           "package_versions", "TABLES"]
