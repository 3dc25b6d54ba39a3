"""The whole analysis of a corpus in one call, cached on disk table by table: what every report page reads.

:func:`analyze` validates the parameters, scans the corpus once (hash, groups, metadata), and either opens
the stored analysis or computes it. Computing streams the documents of the comparison in batches through
:func:`analysis.pipeline.document_pass.run_batch` — each document parsed once, every extractor reading that
parsed form — on the chosen backend (this process, one process per core, or Dask), adds the batches up, then
works out what needs the whole corpus: frequency tables, keyness of words and bigrams, collocations, frame
comparison, and the concordance lines of the top key terms (a second, early-stopping pass over the documents).
The pass reads the documents of neither side too, for page 08's overview of every group only
(:mod:`analysis.pipeline.groups`).

The result is an :class:`Analysis`: a read-only mapping of table name to DataFrame whose tables are read from
the cache's Parquet files when first used, so a page loads only what it shows. Storage, keys and pruning are
in :mod:`analysis.pipeline.store`; the tables a report writes in :mod:`analysis.pipeline.tables`.
"""
from __future__ import annotations

import contextlib
import re
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.errors import AnalysisError, ComparisonError
from analysis.pipeline import params as P
from analysis.pipeline.document_pass import PAIR
from analysis.pipeline import store
from analysis.pipeline.cache_location import CACHE_ENV, DEFAULT_CACHE, cache_dir  # noqa: F401  (this module's API)
from analysis.pipeline.store import CACHE_KEEP, cache_key, code_hash, package_versions  # noqa: F401
from analysis.pipeline.tables import write_tables  # noqa: F401  (part of this module's API)

TABLES = ("documents", "frequencies", "frequencies_bigrams", "keyness", "keyness_bigrams", "collocations",
          "concordance", "entities", "claims", "quotes", "frames", "frame_sentences", "frame_evidence_counts",
          "frame_comparison", "language_mix", "keyness_reference", "boilerplate", "foreign_paragraphs", "explorer_lines", "concept_frequencies",
          "concept_keyness", "concept_terms", "concept_concordance", "coverage", "uncovered", "coverage_gap",
          "documents_by_period", "frames_by_period", "categories_by_period", "frame_validation", "frame_agreement",
          "concepts_by_period", "key_terms_by_period",
          "group_sizes", "group_languages", "group_keyness", "group_frames", "group_categories")
CONCORDANCE_TERMS = 5  # key terms per side shown in concordance lines
CONCORDANCE_LINES = 8  # lines per term
BATCH_SIZE = 500  # documents per batch of the pass
META_FIELDS = ("key", "group_a", "group_b", "missing", "step_seconds", "excluded_documents", "seconds",
               "language_comparison", "cleaning", "periods")


class Analysis(Mapping):
    """Every table of one analysis (tidy DataFrames) plus the parameters and cache key that produced them.

    A read-only mapping of table name to DataFrame (``analysis["keyness"]``, or ``analysis.keyness``); a table
    of a stored analysis is read from its Parquet file when first used. ``missing`` names the tables the data
    could not yield and why (e.g. no bigram reaching ``min_count``; shown in the reports).
    """

    def __init__(self, params: dict, key: str, group_a: str, group_b: str, tables: dict | None = None,
                 folder: Path | None = None, missing: dict | None = None, step_seconds: dict | None = None,
                 excluded_documents: int = 0, seconds: float = 0.0, from_cache: bool = False,
                 language_comparison: dict | None = None, cleaning: dict | None = None,
                 periods: dict | None = None):
        self.params, self.key, self.group_a, self.group_b = params, key, group_a, group_b
        self._tables: dict[str, pd.DataFrame | None] = dict(tables or {})
        self.folder = folder
        self.missing = dict(missing or {})
        self.step_seconds = dict(step_seconds or {})
        self.excluded_documents = int(excluded_documents)
        self.seconds = seconds
        self.from_cache = from_cache
        # {"comparable": bool, "reason": str}: whether word keyness across the sides is a finding
        self.language_comparison = dict(language_comparison or {"comparable": True, "reason": ""})
        # {"boilerplate": mode, "duplicates": [doc_id], "emptied": [doc_id]}: what cleaning the input did
        self.cleaning = dict(cleaning or {"boilerplate": "off", "duplicates": [], "emptied": []})
        # {"unit": month | quarter | year, "n_undated": int, "undated": [first doc_ids]}: page 07's periods
        self.periods = dict(periods or {"unit": "", "n_undated": 0, "undated": []})
        self._stored: set[str] = set()

    def _table(self, name: str) -> pd.DataFrame | None:
        if name not in self._tables:
            self._tables[name] = store.read_table(self.folder, name) if name in self._stored else None
        return self._tables[name]

    def __getattr__(self, name: str):
        if name in TABLES or name == "findings_table":
            return self._table(name)
        raise AttributeError(name)

    def __setattr__(self, name: str, value):
        if name in TABLES or name == "findings_table":
            self._tables[name] = value
        else:
            object.__setattr__(self, name, value)

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in TABLES:
            raise KeyError(name)
        return self._table(name)

    def __iter__(self):
        return iter(TABLES)

    def __len__(self) -> int:
        return len(TABLES)

    def available(self, name: str) -> bool:
        return self._table(name) is not None

    def note(self, name: str) -> str:
        """Why a table is absent ("" when it is there)."""
        return self.missing.get(name, "")

    def meta(self) -> dict:
        return {"params": self.params, **{k: getattr(self, k) for k in META_FIELDS}}

    @classmethod
    def open(cls, folder: Path, params: dict | None = None) -> "Analysis | None":
        """The stored analysis in ``folder`` (tables read when first used), or None if it cannot be read."""
        meta = store.read_meta(folder)
        if meta is None:
            return None
        a = cls(params if params is not None else meta.get("params", {}), meta["key"], meta["group_a"],
                meta["group_b"], folder=Path(folder), missing=meta.get("missing"),
                step_seconds=meta.get("step_seconds"), excluded_documents=meta.get("excluded_documents", 0),
                seconds=meta.get("seconds", 0.0), from_cache=True,
                language_comparison=meta.get("language_comparison"), cleaning=meta.get("cleaning"),
                periods=meta.get("periods"))
        a._stored = set(meta["tables"])
        return a


# --------------------------------------------------------------------------------------------- entry points

def analyze(params: dict | None = None, *, use_cache: bool = True, docs: pd.DataFrame | None = None,
            key: str | None = None, checked: bool = False, **overrides: Any) -> Analysis:
    """Validate ``params`` (names of :mod:`analysis.pipeline.params`), then open the stored analysis or compute
    and store it. ``key``: the cache key when the caller has already hashed the corpus, ``checked``: the corpus
    and groups are already validated (the report command does both once per run).

    Raises ParameterError for a bad parameter (also a group absent from the corpus), CorpusError for a corpus
    that does not load, ComparisonError for groups that cannot be compared.
    """
    p = P.validate(params, **overrides)
    if p.get("analysis_dir"):
        opened = Analysis.open(Path(p["analysis_dir"]), params=dict(p))
        if opened is not None:
            return opened
    if docs is not None:
        key = key or ""
        use_cache = use_cache and bool(key)
    key = key or cache_key(p)
    if use_cache:
        opened = Analysis.open(store.entry_dir(key), params=dict(p))
        if opened is not None:
            store.touch(opened.folder)
            return opened
    t0 = time.perf_counter()
    result = compute(p, key, docs=docs, checked=checked)
    result.seconds = round(time.perf_counter() - t0, 3)
    if use_cache:
        folder = store.write_entry(key, result.meta(), {n: t for n, t in result._tables.items() if t is not None})
        result.folder = folder
        if folder is not None:
            result._stored = {n for n, t in result._tables.items() if t is not None}
    return result


def compare_documents(docs: pd.DataFrame, p: dict) -> tuple[pd.DataFrame, int]:
    """The documents of the comparison with their side in ``group``: documents of group_a keep it; with
    group_b = 'rest' every other document is labelled 'rest'; otherwise documents of neither group are
    left out (their number is returned)."""
    recs = list(_side_records(docs.to_dict("records"), p))
    return pd.DataFrame(recs, columns=_side_columns(list(docs.columns), p)), len(docs) - len(recs)


def _side_columns(columns: list[str], p: dict) -> list[str]:
    col = p["group_col"]
    cols = ["group_metadata" if (c == "group" and col != "group") else c for c in columns]
    if col != "group":
        cols.insert(1, "group")
    return cols


def _side_records(records, p: dict) -> Iterator[dict]:
    """The records of the comparison, each with its side in ``group`` (see :func:`compare_documents`)."""
    col, a, b = p["group_col"], p["group_a"], p["group_b"]
    for rec in records:
        value = str(rec.get(col, ""))
        if b != P.REST and value not in (a, b):
            continue
        side = value if b != P.REST or value == a else P.REST
        if col != "group":
            rec = {("group_metadata" if k == "group" else k): v for k, v in rec.items()}
            rec = {"doc_id": rec.get("doc_id"), "group": side, **{k: v for k, v in rec.items() if k != "doc_id"}}
        else:
            rec = {**rec, "group": side}
        yield rec


def _pass_records(records, p: dict) -> Iterator[dict]:
    """Every record, for the pass: those of the comparison as :func:`_side_records` gives them, the others
    marked outside; each with its (group, subgroup) values for the overview of page 08."""
    from analysis.pipeline.document_pass import OUTSIDE, OVERVIEW
    from analysis.pipeline.groups import subgroup_value

    col, sub = p["group_col"], p["subgroup_col"]
    for rec in records:
        overview = (str(rec.get(col, "")), subgroup_value(rec.get(sub)) if sub else "")
        sided = next(_side_records([rec], p), None)
        yield {**(sided if sided is not None else {**rec, OUTSIDE: True}), OVERVIEW: overview}


@contextlib.contextmanager
def _step(steps: dict, name: str):
    """Record how long one step of the analysis took (``Analysis.step_seconds``, shown in run.json)."""
    t0 = time.perf_counter()
    try:
        yield
    finally:
        steps[name] = round(steps.get(name, 0.0) + time.perf_counter() - t0, 3)


def _corpus_records(p: dict, docs: pd.DataFrame | None):
    """The corpus, streamed (a path) or from a table already loaded (``docs``)."""
    if docs is not None:
        return docs.to_dict("records")
    from analysis.corpus import iter_documents

    return iter_documents(p["corpus"])


def _check_corpus(p: dict, docs: pd.DataFrame | None) -> None:
    """Refuse a corpus that does not load or groups it cannot satisfy, before any computation."""
    if docs is None:
        from analysis.corpus import load_metadata

        meta = load_metadata(p["corpus"], group_col=p["group_col"])
    else:
        meta = docs
    P.check_groups(p, meta)


def compute(p: dict, key: str = "", docs: pd.DataFrame | None = None, checked: bool = False) -> Analysis:
    """Compute every table (no cache); ``checked``: the corpus and groups were validated by the caller."""
    from analysis.pipeline import document_pass as D
    from analysis.pipeline.backends import map_batches

    steps: dict[str, float] = {}
    if not checked:
        with _step(steps, "scan"):
            _check_corpus(p, docs)
    extra = tuple(w.strip().lower() for w in p["extra_stopwords"].split(",") if w.strip())
    cfg = D.PassConfig(language=p["language"], stop_replace=p["stopwords"] or None, stop_extra=extra,
                       gazetteer=p["gazetteer"] or None,
                       lexicon=p["lexicon"] or None, concepts=p["concepts"] or None,
                       evidence_cap=None if p["full_tables"] else p["evidence_cap"])
    n_seen = Counter()
    model, cleaner = None, None
    if p["boilerplate"] != "off":
        from analysis.text.boilerplate import boilerplate_table, learn_boilerplate, source_column

        with _step(steps, "boilerplate"):
            first = next(iter(_corpus_records(p, docs)), {})
            source = source_column(first.keys()) or p["group_col"]
            cfg = replace(cfg, source_key=source)
            model = learn_boilerplate(_corpus_records(p, docs), source)
            cleaner = model.for_cleaning()
    duplicates: list[str] = []

    def compared(count: bool = False):
        for rec in _corpus_records(p, docs):
            dup = model is not None and model.is_duplicate(rec["doc_id"])
            if count:
                n_seen["all"] += 1
                if dup:
                    duplicates.append(rec["doc_id"])
            if not dup:
                yield rec

    with _step(steps, "pass"):
        merged = D.merge(map_batches(p["backend"], D.run_batch, _pass_records(compared(True), p), cfg, cleaner,
                                     batch_size=BATCH_SIZE), cfg)
    documents = _documents_table(merged.documents)
    result = Analysis(params=dict(p), key=key, group_a=p["group_a"], group_b=p["group_b"],
                      excluded_documents=n_seen["all"] - len(documents) - len(duplicates), step_seconds=steps)
    result.cleaning = {"boilerplate": p["boilerplate"], "duplicates": duplicates,
                       "emptied": documents.loc[documents["emptied"].astype(bool), "doc_id"].tolist()
                       if "emptied" in documents.columns else []}
    result.documents = documents
    result.boilerplate = boilerplate_table(model) if model is not None else None
    result.foreign_paragraphs = merged.foreign
    for name in ("entities", "claims", "quotes", "frames", "frame_sentences"):
        setattr(result, name, getattr(merged, name))
    result.frame_evidence_counts = merged.evidence_total
    from analysis.narratives.entities import relabel, resolve_labels

    result.entities = relabel(merged.entities, resolve_labels(p["labels"], documents["language"]),
                              gazetteer=p["gazetteer"] or None)
    with _step(steps, "counts"):
        _text_tables(result, merged.counts, p)
    with _step(steps, "concepts"):
        _concept_tables(result, merged, p)
    with _step(steps, "frame_comparison"):
        from analysis.narratives import frames

        result.frame_comparison = frames.compare_frames(result.frames, p["group_a"], p["group_b"], n_boot=2000,
                                                        seed=p["seed"])
    with _step(steps, "groups"):
        from analysis.pipeline.groups import overview_tables

        for name, table in overview_tables(merged.groups, p).items():
            setattr(result, name, table)
    if p["codes"]:
        with _step(steps, "validation"):
            _validation_tables(result, p)
    with _step(steps, "periods"):
        from analysis.stats import periods as T

        placed, unit, undated = T.assign_periods(documents, p["period"])
        result.periods = {"unit": unit, "n_undated": len(undated), "undated": undated[:50]}
        result.documents_by_period = T.documents_by_period(placed)
        result.frames_by_period = T.frames_by_period(result.frames, placed, seed=p["seed"])
        result.categories_by_period = T.categories_by_period(result.entities, documents, placed, seed=p["seed"])
        result.concepts_by_period = T.concepts_by_period(merged.concept_docs, placed, seed=p["seed"])
        # key terms by period: a fixed vocabulary per side and language, counted in the second pass below
        terms = T.PeriodTerms(T.period_vocabulary(merged.counts.words, merged.counts.stopwords_seen,
                                                  p["min_count"]), dict(zip(placed["doc_id"], placed["period"])))
    with _step(steps, "lines"):
        records = terms.tap(_cleaned(_side_records(compared(), p), cfg, cleaner))
        _line_tables(result, records, p)
        for _ in records:  # every document is counted, however few the lines needed
            pass
        result.key_terms_by_period = T.key_terms_by_period(terms, min_count=p["min_count"])
    result.step_seconds = dict(steps)
    return result


def _cleaned(records, cfg, cleaner):
    """The records with their text as the pass analysed it (boilerplate and other-language paragraphs out)."""
    from analysis.text.cleaning import prepare_text
    from analysis.text.tokens import language_of

    for rec in records:
        lang = language_of(rec, cfg.language)
        text = prepare_text(rec["doc_id"], str(rec.get(cfg.source_key, "")), rec["text"], lang, cleaner).text
        yield {**rec, "text": text, "language": lang}


def _documents_table(rows: list[dict]) -> pd.DataFrame:
    """The documents table in the column order of the corpus, then what the analysis measured."""
    from analysis.corpus import date_precision

    measured = ["n_chars", "n_sentences", "date_precision", "language", "n_tokens", "n_types", "n_chars_raw",
                "n_chars_boilerplate", "n_chars_other_language", "emptied"]
    frame = pd.DataFrame(rows)
    if frame.empty:
        return pd.DataFrame(columns=["doc_id", "group", *measured])
    if "date" in frame.columns:
        frame["date_precision"] = frame["date"].fillna("").astype(str).map(date_precision)
    cols = list(frame.columns)
    declared = cols.index("language") < cols.index("n_chars")  # the corpus has a language column: keep its place
    first = [c for c in cols if c not in measured or (c == "language" and declared)]
    cols = first + [c for c in measured if c in frame.columns and c not in first]
    frame = frame[cols]
    for c in ("n_chars", "n_sentences", "n_tokens", "n_types"):
        frame[c] = frame[c].astype("int64")
    return frame.reset_index(drop=True)


def _frequency_table(counts: dict, docs: dict, n_docs: Counter, totals: Counter, join: bool = False
                     ) -> pd.DataFrame:
    from analysis.stats.counts import _frame

    groups, terms, cnt, dcnt = [], [], [], []
    for g, c in counts.items():
        df = docs[g]
        groups.extend([g] * len(c))
        terms.extend((t.replace(PAIR, " ") for t in c.keys()) if join else c.keys())
        cnt.extend(c.values())
        dcnt.extend(df[t] for t in c)
    total = {g: int(totals.get(g, 0)) for g in n_docs}
    return _frame("group", groups, terms, cnt, dcnt, dict(n_docs), total)


def _sum_by(counts: dict, key) -> dict:
    """Counters keyed by (group, language) added up by ``key`` of that pair (the group, or the language)."""
    out: dict = {}
    for k, c in counts.items():
        g = key(k)
        if g not in out:
            out[g] = c
        else:
            if out[g] is c:
                continue
            merged = Counter(out[g])
            merged.update(c)
            out[g] = merged
    return out


def _total_by(counter: Counter, key) -> Counter:
    out: Counter = Counter()
    for k, n in counter.items():
        out[key(k)] += n
    return out


def _text_tables(result: Analysis, counts, p: dict) -> None:
    from analysis.stats.collocations import collocations_from_counts
    from analysis.stats.keyness import keyness
    from analysis.text.tokens import token_kind

    a, b, missing = p["group_a"], p["group_b"], result.missing
    group = lambda k: k[0]  # noqa: E731
    words, word_docs = _sum_by(counts.words, group), _sum_by(counts.word_docs, group)
    bigrams, bigram_docs = _sum_by(counts.bigrams, group), _sum_by(counts.bigram_docs, group)
    n_docs = _total_by(counts.n_docs, group)
    seen = {}
    for (g, _), s in counts.stopwords_seen.items():
        seen.setdefault(g, set()).update(s)
    freqs = _frequency_table(words, word_docs, n_docs, _total_by(counts.word_total, group))
    stop_terms = set().union(*seen.values()) if seen else set()
    freqs["is_stopword"] = freqs["term"].isin(stop_terms)
    freqs["kind"] = freqs["term"].map(token_kind).astype("str")
    big = _frequency_table(bigrams, bigram_docs, n_docs, _total_by(counts.bigram_total, group), join=True)
    result.frequencies = freqs
    result.frequencies_bigrams = big
    result.keyness = keyness(freqs.drop(columns=["is_stopword", "kind"]), a, b, min_count=p["min_count"],
                             stopwords=stop_terms)
    try:
        result.keyness_bigrams = keyness(big, a, b, min_count=p["min_count"], stopwords=stop_terms)
    except ComparisonError as err:  # few bigrams reach the minimum count: say so, keep the words
        result.keyness_bigrams = None
        missing["keyness_bigrams"] = f"not available: {err}"
    parts = []
    for g in (a, b):
        kept = _words_outside_stopwords(counts, g)
        pairs = {tuple(k.split(PAIR)): n for k, n in bigrams.get(g, {}).items()}
        c = collocations_from_counts(kept, pairs, measure="likelihood_ratio", min_freq=2,
                                     top_n=p["top_n"])
        c.insert(0, "group", g)
        parts.append(c)
    result.collocations = pd.concat(parts, ignore_index=True)
    _language_tables(result, counts, p)


def _words_outside_stopwords(counts, group: str) -> Counter:
    """The words of ``group`` that may take part in its bigrams: per language, the words counted there less that
    language's stop words (a side writing in two languages: "son" is a stop word in French, not in English), as
    the pass built the bigrams."""
    kept: Counter = Counter()
    for (g, lang), c in counts.words.items():
        if g == group:
            stop = counts.stopwords_seen.get((g, lang), set())
            kept.update({w: n for w, n in c.items() if w not in stop})
    return kept


def _language_tables(result: Analysis, counts, p: dict) -> None:
    """Each side's language mix and whether word keyness across the sides is a finding; when it is not (the
    sides are written in different languages), each side's key words against a reference in its own language."""
    from analysis.stats.languages import keyness_across_languages, language_mix, mix_of
    from analysis.stats.reference import SIDE_COLUMNS, reference_keyness

    a, b = p["group_a"], p["group_b"]
    docs = result.documents
    mix = language_mix(docs[["doc_id", "group", "language", "n_tokens"]], a, b)
    result.language_mix = mix
    comparable, reason = keyness_across_languages(mix_of(mix, a), mix_of(mix, b))
    result.language_comparison = {"comparable": bool(comparable), "reason": reason}
    if comparable:
        return
    tables = []
    for side in (a, b):
        for lang in sorted({lg for (g, lg) in counts.words if g == side}):
            one = {side: counts.words[(side, lang)]}
            freqs = _frequency_table(one, {side: counts.word_docs[(side, lang)]}, Counter({side: counts.n_docs[
                (side, lang)]}), Counter({side: counts.word_total[(side, lang)]}))
            others = {g: c for (g, lg), c in counts.words.items() if lg == lang and g != side}
            rest = None
            if others:
                rest = _frequency_table(others, {g: counts.word_docs[(g, lang)] for g in others},
                                        Counter({g: counts.n_docs[(g, lang)] for g in others}),
                                        Counter({g: counts.word_total[(g, lang)] for g in others}))
            stop = counts.stopwords_seen.get((side, lang), set())
            out = reference_keyness(freqs, lang, rest, min_count=p["min_count"], stopwords=stop)
            tables.append(out.assign(side=side, language=lang))
    result.keyness_reference = pd.concat(tables, ignore_index=True)[SIDE_COLUMNS] if tables else None


CONCORDANCE_COLUMNS = ["term", "key_for", "doc_id", "group", "sentence_id", "position", "left", "match", "right"]


def concordance_lines(records, keyness: pd.DataFrame, group_a: str, group_b: str, n_terms: int,
                      lines: int = CONCORDANCE_LINES, window: int = 8) -> pd.DataFrame:
    """KWIC lines of the ``n_terms`` top key terms of each side, the first ``lines`` of each in corpus order,
    from one pass over ``records`` that stops once every term has its lines (only documents holding a term
    are tokenized)."""
    from analysis.stats.concordance import kwic
    from analysis.text.tokens import prepare, tokenize

    k = keyness
    wanted = [(group_a, str(t)) for t in k[k["g2"] > 0].head(n_terms)["term"]]
    wanted += [(group_b, str(t)) for t in k[k["g2"] < 0].head(n_terms)["term"]]
    if not wanted:
        return pd.DataFrame(columns=CONCORDANCE_COLUMNS)
    found: dict[tuple[str, str], list[pd.DataFrame]] = {w: [] for w in wanted}
    need = {w: lines for w in wanted}
    probe = re.compile("|".join(sorted({re.escape(t) for _, t in wanted}, key=len, reverse=True)))
    for rec in records:
        if not any(need.values()):
            break
        text = rec["text"]
        if not probe.search(prepare(text)):
            continue
        one = pd.DataFrame([{"doc_id": rec["doc_id"], "group": rec["group"], "text": text}])
        toks = tokenize(one, language=rec.get("language") if rec.get("language") in ("fr", "en") else "auto")
        for w in wanted:
            if need[w] <= 0:
                continue
            hits = kwic(toks, one, w[1], regex=False, window=window, group_col="group")
            if len(hits):
                hits = hits.head(need[w])
                need[w] -= len(hits)
                found[w].append(hits)
    parts = []
    for side, term in wanted:
        if found[(side, term)]:
            sub = pd.concat(found[(side, term)], ignore_index=True)
            sub.insert(0, "term", term)
            sub.insert(1, "key_for", side)
            parts.append(sub)
    if not parts:
        return pd.DataFrame(columns=CONCORDANCE_COLUMNS)
    return pd.concat(parts, ignore_index=True)[CONCORDANCE_COLUMNS]


def _concept_tables(result: Analysis, merged, p: dict) -> None:
    """Concepts counted like words (frequencies per group and language, keyness across the sides: concepts
    are language-neutral, so this is the comparison that holds across languages), their terms, KWIC lines, and
    how much of each side's text the concept and frame lexicons reach (coverage, and where it differs)."""
    from analysis.narratives import concepts as K
    from analysis.stats import coverage as V
    from analysis.stats.keyness import keyness

    a, b = p["group_a"], p["group_b"]
    result.concept_frequencies = K.concept_counts(merged.concepts, by_language=True)
    try:
        result.concept_keyness = keyness(K.concept_counts(merged.concepts), a, b, min_count=p["min_count"])
    except ComparisonError as err:
        result.concept_keyness = None
        result.missing["concept_keyness"] = f"not available: {err}"
    result.concept_terms = K.concept_terms(p["concepts"] or None)
    result.concept_concordance = merged.concept_lines
    cov = V.coverage_table(merged.coverage)
    result.coverage = cov
    result.uncovered = V.uncovered_table(merged.coverage, top_n=50)
    result.coverage_gap = V.coverage_gap(cov, a, b, margin=V.MARGIN) if len(cov) else None


def _validation_tables(result: Analysis, p: dict) -> None:
    """Each frame's precision and recall per language on a hand-coded sample (parameter ``codes``), with the
    kit's labels worked out again by the frames in force, and the agreement of two coders when there are two."""
    from analysis.narratives import validation as V

    key = V.key_path(p["codes"])
    if not key.is_file():  # a coded copy (coded.csv) beside the sample's one key file (sample.key.csv)
        keys = sorted(Path(p["codes"]).parent.glob("*.key.csv"))
        key = keys[0] if len(keys) == 1 else key
    coded = V.relabel(V.read_codes(p["codes"], key), p["lexicon"] or None)
    result.frame_validation = V.precision_recall(coded)
    result.frame_agreement = V.agreement(coded) if "code_2" in coded.columns else None


def _line_tables(result: Analysis, records, p: dict) -> None:
    """Concordance lines of the top key terms and the explorer's lines in context, from one more pass over the
    (cleaned) documents: the explorer's lines are gathered for every term it shows, capped per term and side;
    the documents holding a concordance term are kept (a few per term) and read again for its KWIC lines."""
    from analysis.stats.term_lines import LINE_COLUMNS, explorer_lines, explorer_terms
    from analysis.text.tokens import find_tokens

    a, b, k = p["group_a"], p["group_b"], result.keyness
    n = min(CONCORDANCE_TERMS, p["top_n"])
    conc = [str(t) for t in k[k["g2"] > 0].head(n)["term"]] + [str(t) for t in k[k["g2"] < 0].head(n)["term"]]
    need = {t: CONCORDANCE_LINES for t in conc}
    kept: list[dict] = []

    def tap(recs):
        for rec in recs:
            if any(v > 0 for v in need.values()):
                tokens = set(find_tokens(rec["text"]))
                present = [t for t in need if need[t] > 0 and t in tokens]
                if present:
                    kept.append(rec)
                    for t in present:
                        need[t] -= 1
            yield rec

    if p["explorer_text"] == "none":
        for _ in tap(records):
            pass
        result.explorer_lines = pd.DataFrame(columns=LINE_COLUMNS)
    else:
        result.explorer_lines = explorer_lines(tap(records), explorer_terms(result.keyness, result.keyness_bigrams))
    result.concordance = concordance_lines(kept, k, a, b, n)


def require(analysis: Analysis, *names: str) -> None:
    """Raise AnalysisError when a table needed by a page is missing (used by nothing in the reports, which
    show a note instead; handy in scripts)."""
    absent = [n for n in names if getattr(analysis, n) is None]
    if absent:
        raise AnalysisError("; ".join(f"{n}: {analysis.note(n)}" for n in absent))


__all__ = ["Analysis", "analyze", "cache_dir", "cache_key", "code_hash", "compute", "write_tables",
           "package_versions", "TABLES"]
