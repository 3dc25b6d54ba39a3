"""Change over time: documents grouped by period (month, quarter or year), and per period and side the mean
share of each frame, the rate of each kind of actor and of each concept, with bootstrap intervals over the
documents; and each side's key terms of each period against its other periods.

The period is chosen from the date range when ``period`` is ``auto``: months for less than two years, quarters
for less than eight, years beyond. A document without a date (or with a year only, when months or quarters are
asked) cannot be placed: it is counted and named as excluded, never silently dropped. The interval of a period
and side is the 2.5–97.5 percentile of the mean over ``n_boot`` resamples of its documents (with replacement),
so a period of few documents shows a wide interval.

Key terms by period (:class:`PeriodTerms`, :func:`key_terms_by_period`) compare, within one side and one
language, the documents of a period with those of the side's other periods (G² and log ratio of
:mod:`analysis.stats.keyness`), so the comparison never crosses languages even when a side mixes them. Memory
is bounded by the vocabulary, not the corpus: only a fixed vocabulary is counted per (side, language, period),
the ``VOCABULARY`` most frequent words of that side and language that are not stop words (numbers, URLs and
punctuation left out), counted while the documents stream by once more.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping

import numpy as np
import pandas as pd

from analysis.corpus.dates import parse_partial_date
from analysis.errors import ComparisonError, ParameterError
from analysis.stats.counts import sentence_tokens
from analysis.stats.keyness import REST, keyness
from analysis.text.tokens import token_kind

PERIODS = ("auto", "month", "quarter", "year")
PERIOD_COLUMNS = ["period", "group", "n_docs"]
N_BOOT = 1000
VOCABULARY = 3000  # words counted per (side, language) for the key terms by period
KEY_TERMS = 10  # key terms kept per period, side and language
KEY_MIN_DOCS = 2  # documents of the period a key term must occur in
KEY_P = 0.05  # largest Benjamini-Hochberg adjusted p-value of a key term
KEY_KINDS = ("word", "hashtag", "handle")
KEY_TERM_COLUMNS = ["group", "language", "period", "rank", "term", "count", "docs", "n_docs", "total",
                    "per_10k", "per_10k_other", "g2", "log_ratio", "p_adjusted"]
CONCEPT_COLUMNS = ["period", "group", "concept", "n_docs", "docs", "mean", "ci_low", "ci_high"]


def choose_period(dates: pd.Series, period: str = "auto") -> str:
    """``period`` itself, or for ``auto`` the unit that suits the range of ``dates`` (timestamps)."""
    if period not in PERIODS:
        raise ParameterError("period", f"unknown period {period!r}", ", ".join(PERIODS))
    if period != "auto":
        return period
    d = dates.dropna()
    if d.empty:
        return "year"
    years = (d.max() - d.min()).days / 365.25
    return "month" if years < 2 else "quarter" if years < 8 else "year"


def _label(ts: pd.Timestamp, unit: str) -> str:
    if unit == "month":
        return f"{ts.year:04d}-{ts.month:02d}"
    if unit == "quarter":
        return f"{ts.year:04d}-Q{(ts.month - 1) // 3 + 1}"
    return f"{ts.year:04d}"


def period_range(labels: Iterable[str]) -> list[str]:
    """Every period from the first to the last of ``labels`` (``2023-05``, ``2023-Q2`` or ``2023``, one unit),
    in order, those without documents included: a time axis on which an empty period shows as a gap."""
    labels = sorted({str(v) for v in labels})
    if not labels:
        return []
    first = labels[0]
    freq = "Q" if "-Q" in first else "M" if "-" in first else "Y"
    try:
        span = pd.period_range(pd.Period(labels[0].replace("-Q", "Q"), freq=freq),
                               pd.Period(labels[-1].replace("-Q", "Q"), freq=freq), freq=freq)
    except (ValueError, TypeError):  # not labels of this module: keep them as they are
        return labels
    unit = {"Q": "quarter", "M": "month", "Y": "year"}[freq]
    return [_label(per.start_time, unit) for per in span]


def assign_periods(documents: pd.DataFrame, period: str = "auto") -> tuple[pd.DataFrame, str, list[str]]:
    """(``doc_id``, ``group``, ``period``) of every document that has a date precise enough for the unit, the
    unit chosen, and the doc_ids left out (no date, or too coarse a date for the unit)."""
    if "date" not in documents.columns:
        return pd.DataFrame(columns=["doc_id", "group", "period"]), choose_period(pd.Series([], dtype=object),
                                                                                 period), list(documents["doc_id"])
    raw = documents["date"].fillna("").astype(str)
    ts = raw.map(parse_partial_date)
    unit = choose_period(pd.to_datetime(ts, errors="coerce"), period)
    need = {"year": 1, "quarter": 2, "month": 2}[unit]  # parts of the ISO date the unit needs
    parts = raw.map(lambda v: len(v.split("-")) if v else 0)
    ok = ts.notna() & (parts >= need)
    placed = documents.loc[ok, ["doc_id", "group"]].copy()
    placed["period"] = [_label(t, unit) for t in ts[ok]]
    return placed.reset_index(drop=True), unit, documents.loc[~ok, "doc_id"].astype(str).tolist()


def _boot_columns(values: np.ndarray, rng: np.random.Generator, n_boot: int) -> tuple[np.ndarray, np.ndarray]:
    """2.5 and 97.5 percentiles of the column means of ``values`` (documents x measures) over ``n_boot``
    resamples of its rows: one draw of documents serves every column."""
    n = len(values)
    if n == 0:
        return np.full(values.shape[1], np.nan), np.full(values.shape[1], np.nan)
    idx = rng.integers(0, n, size=(n_boot, n))
    weights = np.bincount((idx + np.arange(n_boot)[:, None] * n).ravel(), minlength=n_boot * n)
    means = weights.reshape(n_boot, n).astype(float) @ values / n
    return np.percentile(means, 2.5, axis=0), np.percentile(means, 97.5, axis=0)


def _boot(values: np.ndarray, rng: np.random.Generator, n_boot: int) -> tuple[float, float]:
    """The interval of one measure (:func:`_boot_columns` with one column, by indexing: faster for one)."""
    if len(values) == 0:
        return float("nan"), float("nan")
    means = values[rng.integers(0, len(values), size=(n_boot, len(values)))].mean(axis=1)
    return float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


def _by_period(values: pd.DataFrame, key: str, value: str, n_boot: int, seed: int) -> pd.DataFrame:
    """Mean of ``value`` per (period, group, ``key``) with its bootstrap interval over documents."""
    rng = np.random.default_rng(seed)
    rows = []
    for (per, g, k), sub in values.groupby(["period", "group", key], sort=True):
        v = sub[value].to_numpy(float)
        lo, hi = _boot(v, rng, n_boot)
        rows.append({"period": per, "group": g, key: k, "n_docs": len(v), "mean": float(v.mean()),
                     "ci_low": lo, "ci_high": hi})
    return pd.DataFrame(rows, columns=["period", "group", key, "n_docs", "mean", "ci_low", "ci_high"])


def _grid(placed: pd.DataFrame, counts: pd.DataFrame, key: str) -> pd.DataFrame:
    """Every placed document with every value of ``key`` in ``counts`` (doc_id, key, n), n = 0 where absent."""
    keys = sorted(counts[key].unique())
    grid = placed.merge(pd.DataFrame({key: keys}), how="cross")
    return grid.merge(counts, on=["doc_id", key], how="left").fillna({"n": 0})


def frames_by_period(frames: pd.DataFrame, placed: pd.DataFrame, n_boot: int = N_BOOT, seed: int = 0
                     ) -> pd.DataFrame:
    """Per period, side and frame: documents, mean share of their sentences carrying the frame, interval."""
    if frames is None or frames.empty or placed.empty:
        return pd.DataFrame(columns=["period", "group", "frame", "n_docs", "mean", "ci_low", "ci_high"])
    merged = frames[["doc_id", "frame", "share"]].merge(placed, on="doc_id", how="inner")
    return _by_period(merged, "frame", "share", n_boot, seed)


def categories_by_period(entities: pd.DataFrame, documents: pd.DataFrame, placed: pd.DataFrame,
                         n_boot: int = N_BOOT, seed: int = 0) -> pd.DataFrame:
    """Per period, side and kind of actor (entity category): documents, mean mentions per 1,000 word tokens of
    a document (zeros included), interval."""
    cols = ["period", "group", "category", "n_docs", "mean", "ci_low", "ci_high"]
    if entities is None or placed.empty:
        return pd.DataFrame(columns=cols)
    counts = entities.groupby(["doc_id", "category"]).size().rename("n").reset_index()
    if counts.empty:
        return pd.DataFrame(columns=cols)
    tokens = documents.set_index("doc_id")["n_tokens"] if "n_tokens" in documents.columns else None
    grid = _grid(placed, counts, "category")
    size = grid["doc_id"].map(tokens).astype(float) if tokens is not None else pd.Series(1.0, index=grid.index)
    grid["rate"] = np.where(size > 0, grid["n"] * 1000 / size.where(size > 0, 1), 0.0)
    return _by_period(grid, "category", "rate", n_boot, seed)


def documents_by_period(placed: pd.DataFrame) -> pd.DataFrame:
    """Documents per period and side."""
    if placed.empty:
        return pd.DataFrame(columns=PERIOD_COLUMNS)
    return placed.groupby(["period", "group"]).size().rename("n_docs").reset_index()


def concepts_by_period(concept_docs: pd.DataFrame | None, placed: pd.DataFrame, n_boot: int = N_BOOT,
                       seed: int = 0) -> pd.DataFrame:
    """Per period, side and concept: documents, documents that mention the concept (``docs``), mean hits per
    10,000 content tokens of a document (zeros included) and its interval. ``concept_docs``: one row per
    document and concept found in it (doc_id, concept, count, n_content: the document's content tokens)."""
    if concept_docs is None or concept_docs.empty or placed.empty:
        return pd.DataFrame(columns=CONCEPT_COLUMNS)
    placed = placed.assign(doc_id=placed["doc_id"].astype(str))
    hits = concept_docs.assign(doc_id=concept_docs["doc_id"].astype(str))
    hits = hits[hits["doc_id"].isin(placed["doc_id"])]
    if hits.empty:
        return pd.DataFrame(columns=CONCEPT_COLUMNS)
    rate = hits["count"] * 10_000 / hits["n_content"].where(hits["n_content"] > 0, np.nan)
    wide = hits.assign(rate=rate.fillna(0.0)).pivot_table(index="doc_id", columns="concept", values="rate",
                                                          aggfunc="sum", fill_value=0.0)
    concepts = list(wide.columns)
    rng = np.random.default_rng(seed)
    parts = []
    for (per, g), sub in placed.groupby(["period", "group"], sort=True):
        v = wide.reindex(sub["doc_id"], fill_value=0.0).to_numpy(float)
        lo, hi = _boot_columns(v, rng, n_boot)
        parts.append(pd.DataFrame({"period": per, "group": g, "concept": concepts, "n_docs": len(v),
                                   "docs": (v > 0).sum(axis=0), "mean": v.mean(axis=0),
                                   "ci_low": lo, "ci_high": hi}))
    out = pd.concat(parts, ignore_index=True)[CONCEPT_COLUMNS]
    return out.astype({"n_docs": "int64", "docs": "int64"})


# ------------------------------------------------------------------------------------------------ key terms

def period_vocabulary(words: Mapping[tuple[str, str], Counter], stopwords: Mapping[tuple[str, str], set],
                      min_count: int = 1, size: int = VOCABULARY) -> dict[tuple[str, str], frozenset]:
    """Per (side, language) of the pass's word counts, the ``size`` most frequent words (ties by term) that
    occur at least ``min_count`` times and are not stop words: what the key terms by period count."""
    out = {}
    for key, counts in words.items():
        stop = stopwords.get(key, set())
        kept = [(t, n) for t, n in counts.items()
                if n >= min_count and t not in stop and token_kind(t) in KEY_KINDS]
        kept.sort(key=lambda tn: (-tn[1], tn[0]))
        out[key] = frozenset(t for t, _ in kept[:size])
    return out


class PeriodTerms:
    """Counts of a fixed vocabulary per (side, language, period), gathered from records streaming by
    (:meth:`tap`): term counts, documents holding each term, documents and tokens. A record whose document has
    no period (undated) is not counted; ``n_undated`` says how many passed."""

    def __init__(self, vocabulary: Mapping[tuple[str, str], frozenset], period_of: Mapping[str, str]):
        self.vocabulary, self.period_of = dict(vocabulary), {str(k): v for k, v in period_of.items()}
        self.count: dict[tuple, Counter] = {}
        self.docs: dict[tuple, Counter] = {}
        self.n_docs: Counter = Counter()
        self.total: Counter = Counter()
        self.n_undated = 0

    def add(self, doc_id: str, group: str, language: str, text: str) -> None:
        """Count one document (its analysed text)."""
        per = self.period_of.get(str(doc_id))
        if per is None:
            self.n_undated += 1
            return
        key = (str(group), str(language), per)
        toks = sentence_tokens(text, [(0, len(text))])[0]
        self.n_docs[key] += 1
        self.total[key] += len(toks)
        vocab = self.vocabulary.get(key[:2], frozenset())
        kept = [t for t in toks if t in vocab]
        self.count.setdefault(key, Counter()).update(kept)
        self.docs.setdefault(key, Counter()).update(set(kept))

    def tap(self, records: Iterable[dict]) -> Iterator[dict]:
        """The records unchanged, each counted as it passes."""
        for rec in records:
            self.add(rec["doc_id"], rec.get("group", ""), rec.get("language", ""), rec["text"])
            yield rec

    def frequencies(self, group: str, language: str) -> pd.DataFrame:
        """The frequency table (``period`` as the group column) of one side and language; a period holding
        none of the words keeps one row (term "", count 0) so that its tokens count in the other periods' total."""
        rows = [(k[2], t, n, self.docs[k][t], self.n_docs[k], self.total[k])
                for k in sorted(self.n_docs) if k[:2] == (group, language)
                for t, n in sorted(self.count.get(k, Counter()).items())]
        empty = [(k[2], "", 0, 0, self.n_docs[k], self.total[k]) for k in sorted(self.n_docs)
                 if k[:2] == (group, language) and not self.count.get(k)]
        return pd.DataFrame(rows + empty, columns=["period", "term", "count", "docs", "n_docs", "total"])


def key_terms_by_period(terms: PeriodTerms, min_count: int = 3, top_k: int = KEY_TERMS,
                        min_docs: int = KEY_MIN_DOCS, max_p: float = KEY_P) -> pd.DataFrame:
    """Per side, language and period, the ``top_k`` terms most over-represented in the period against the
    side's other periods in that language (positive G², adjusted p at most ``max_p``, in at least ``min_docs``
    documents of the period), by G². A side and language with one period only has no row."""
    rows = []
    for group, language in sorted({k[:2] for k in terms.n_docs}):
        freqs = terms.frequencies(group, language)
        freqs = freqs[freqs["total"] > 0]
        periods = sorted(freqs["period"].unique())
        if len(periods) < 2:
            continue
        for per in periods:
            try:
                k = keyness(freqs, per, REST, min_count=min_count, min_docs=min_docs, group_col="period")
            except ComparisonError:
                continue
            k = k[(k["g2"] > 0) & (k["p_adjusted"] <= max_p) & (k["term"] != "")].head(top_k)
            for rank, r in enumerate(k.itertuples(index=False), start=1):
                rows.append({"group": group, "language": language, "period": per, "rank": rank, "term": r.term,
                             "count": r.count_a, "docs": r.docs_a, "n_docs": r.n_docs_a, "total": r.total_a,
                             "per_10k": r.per_10k_a, "per_10k_other": r.per_10k_b, "g2": r.g2,
                             "log_ratio": r.log_ratio, "p_adjusted": r.p_adjusted})
    out = pd.DataFrame(rows, columns=KEY_TERM_COLUMNS)
    return out.astype({c: "int64" for c in ("rank", "count", "docs", "n_docs", "total")})
