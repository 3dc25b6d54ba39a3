"""Term frequencies per group: raw, per 10,000 tokens, and in how many documents (dispersion).

Two ways to the same table (tested to agree term for term):

- :func:`term_frequencies` from the token table of :func:`analysis.tokens.tokenize`;
- :func:`count_documents`, the fast streaming path over an iterable of records (dicts with ``doc_id``,
  the group, ``text`` and maybe ``language``): no token table, one ``findall`` of the shared token pattern
  per document over its prepared text (NFC, lowercase, ``’`` -> ``'``), a ``Counter`` per group and a
  ``set`` per document for document frequency. Used for large corpora, the benchmark and Dask.

Columns: ``group`` (the group column's name), ``term``, ``count``, ``per_10k`` (count x 10,000 / total),
``docs`` (documents of the group holding the term), ``n_docs`` (documents of the group), ``total``.

Words (``ngram=1``): every token but punctuation, stop words included (they are flagged at keyness time);
``total`` = those tokens of the group. N-grams (``ngram=2, 3``): runs of ``ngram`` consecutive non-punctuation
tokens *within one sentence* (punctuation between them is skipped over, a sentence boundary is not); an
n-gram whose first or last word is a stop word is not counted as a term ("de la", "the drug"), one with a
stop word inside is ("forces de l'ordre"); ``total`` = every n-gram position of the group, dropped ones
included, so that per_10k and keyness keep the same reference size whatever the stop word list.
"""
from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable

import numpy as np
import pandas as pd

from analysis.errors import ParameterError
from analysis.text.sentences import sentence_spans
from analysis.text.stopwords import get_stopwords
from analysis.text.tokens import COUNTED_RE, COUNTED_RE_CI, check_language, language_of, prepare

COLUMNS = ["group", "term", "count", "per_10k", "docs", "n_docs", "total"]


def _check_ngram(ngram) -> int:
    if not isinstance(ngram, (int, np.integer)) or isinstance(ngram, bool) or not 1 <= ngram <= 5:
        raise ParameterError("ngram", f"must be a whole number from 1 to 5, not {ngram!r}")
    return int(ngram)


def _frame(group_col: str, groups, terms, count, docs, n_docs: dict, total: dict) -> pd.DataFrame:
    """The frequency table, sorted by group, count (descending) then term; same dtypes on every path."""
    groups = np.asarray(groups, dtype=object)
    frame = pd.DataFrame({
        "group": pd.array(groups, dtype="str"),
        "term": pd.array(np.asarray(terms, dtype=object), dtype="str"),
        "count": np.asarray(count, dtype="int64"),
        "docs": np.asarray(docs, dtype="int64"),
        "n_docs": np.asarray([n_docs[g] for g in groups], dtype="int64"),
        "total": np.asarray([total[g] for g in groups], dtype="int64"),
    })
    frame.insert(3, "per_10k", frame["count"].to_numpy() * 10_000 / np.maximum(frame["total"].to_numpy(), 1))
    frame = frame.sort_values(["group", "count", "term"], ascending=[True, False, True], kind="stable",
                              ignore_index=True)
    return frame.rename(columns={"group": group_col}) if group_col != "group" else frame


def term_frequencies(tokens: pd.DataFrame, group_col: str = "group", term: str = "token",
                     ngram: int = 1) -> pd.DataFrame:
    """The frequency table of a token table (see the module docstring). ``term``: "token" or "norm"."""
    ngram = _check_ngram(ngram)
    if term not in ("token", "norm"):
        raise ParameterError("term", f"unknown term column {term!r}", "token, norm")
    need = {"doc_id", group_col, "sentence_id", "position", term, "is_punct", "is_stopword"}
    missing = sorted(need - set(tokens.columns))
    if missing:
        raise ParameterError("tokens", f"the token table lacks the column(s) {', '.join(missing)} "
                             "(give the table of analysis.tokens.tokenize, with its group column)")
    groups_all = tokens[group_col].astype(str)
    n_docs = pd.DataFrame({"g": groups_all, "d": tokens["doc_id"]}).drop_duplicates().groupby("g").size()
    n_docs = {g: int(n) for g, n in n_docs.items()}
    words = tokens.loc[~tokens["is_punct"].to_numpy(bool)]
    words = words.sort_values(["doc_id", "position"], kind="stable") if ngram > 1 else words
    g = words[group_col].astype(str).to_numpy(object)
    d = words["doc_id"].to_numpy(object)
    t = words[term].astype(str).to_numpy(object)
    if ngram == 1:
        keep = np.ones(len(t), bool)
        total = Counter(g.tolist())
        grams, gg, dd = t, g, d
    else:
        s = words["sentence_id"].to_numpy()
        stop = words["is_stopword"].to_numpy(bool)
        m = len(t) - ngram + 1
        if m <= 0:
            grams, gg, dd, keep = t[:0], g[:0], d[:0], np.zeros(0, bool)
        else:
            same = np.ones(m, bool)
            for k in range(1, ngram):
                same &= (d[k:k + m] == d[:m]) & (s[k:k + m] == s[:m])
            gg, dd = g[:m][same], d[:m][same]
            total = Counter(gg.tolist())
            parts = [t[k:k + m][same] for k in range(ngram)]
            grams = parts[0].astype(object)
            for p in parts[1:]:
                grams = grams + " " + p
            keep = ~(stop[:m][same] | stop[ngram - 1:ngram - 1 + m][same])
        if m <= 0:
            total = Counter()
    grams, gg, dd = grams[keep], gg[keep], dd[keep]
    for grp in n_docs:
        total.setdefault(grp, 0)
    if len(grams) == 0:
        return _frame(group_col, [], [], [], [], n_docs, total)
    frame = pd.DataFrame({"g": gg, "t": grams, "d": dd})
    counted = frame.groupby(["g", "t"], sort=False).agg(count=("d", "size"), docs=("d", "nunique")).reset_index()
    return _frame(group_col, counted["g"].to_numpy(object), counted["t"].to_numpy(object),
                  counted["count"], counted["docs"], n_docs, total)


def _doc_tokens(text: str) -> list[str]:
    """Counted tokens of a document, as :func:`analysis.tokens.tokenize` finds them."""
    low = prepare(text)
    if len(low) == len(text):
        return COUNTED_RE.findall(low)
    src = unicodedata.normalize("NFC", text).replace("\u2019", "'")
    return [t.lower() for t in COUNTED_RE_CI.findall(src)]


def sentence_tokens(text: str, spans: list[tuple[int, int]] | None = None) -> list[list[str]]:
    """Counted tokens (lowercased, punctuation excluded) of each sentence of a document (``spans``: its sentence
    spans, split here when not given); n-grams do not cross sentences. The one tokenization every count shares,
    here and in the one pass over the documents (:mod:`analysis.pipeline.document_pass`)."""
    spans = sentence_spans(text) if spans is None else spans
    low = prepare(text)
    if len(low) == len(text):
        return [COUNTED_RE.findall(low, s, e) for s, e in spans]
    src = unicodedata.normalize("NFC", text).replace("\u2019", "'")
    return [[t.lower() for t in COUNTED_RE_CI.findall(src, s, e)] for s, e in spans]


def count_documents(records: Iterable[dict], group_col: str = "group", language: str = "auto",
                    ngram: int = 1, stopwords=None) -> pd.DataFrame:
    """The frequency table of :func:`term_frequencies`, streamed from records without a token table.

    ``records``: dicts with ``text``, the group under ``group_col`` (a record without one is in group "")
    and, for ``language="auto"``, maybe ``language``. Language and ``stopwords`` (None = the shipped list of
    each document's language, or one collection for all) matter only for n-grams (their stop word rule).
    """
    ngram = _check_ngram(ngram)
    language = check_language(language)
    fixed_stop = None if stopwords is None else frozenset(str(w).lower().replace("\u2019", "'") for w in stopwords)
    counts: dict[str, Counter] = {}
    dfs: dict[str, Counter] = {}
    n_docs: Counter = Counter()
    total: Counter = Counter()
    for rec in records:
        text = rec.get("text")
        if not isinstance(text, str):
            raise ParameterError("records", f"document {rec.get('doc_id')!r} has no text")
        g = str(rec.get(group_col, ""))
        n_docs[g] += 1
        c = counts.get(g)
        if c is None:
            c = counts[g] = Counter()
            dfs[g] = Counter()
        if ngram == 1:
            toks = _doc_tokens(text)
            total[g] += len(toks)
            c.update(toks)
            dfs[g].update(set(toks))
            continue
        stop = fixed_stop if fixed_stop is not None else get_stopwords(language_of(rec, language))
        grams: list[str] = []
        n = 0
        for sent in sentence_tokens(text):
            m = len(sent) - ngram + 1
            if m <= 0:
                continue
            n += m
            grams.extend(" ".join(sent[i:i + ngram]) for i in range(m)
                         if sent[i] not in stop and sent[i + ngram - 1] not in stop)
        total[g] += n
        c.update(grams)
        dfs[g].update(set(grams))
    groups, terms, cnt, dcnt = [], [], [], []
    for g, c in counts.items():
        df = dfs[g]
        groups.extend([g] * len(c))
        terms.extend(c.keys())
        cnt.extend(c.values())
        dcnt.extend(df[t] for t in c)
    return _frame(group_col, groups, terms, cnt, dcnt, dict(n_docs), dict(total))
