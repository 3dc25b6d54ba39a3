"""Collocations through NLTK's collocation finders, over a token table.

Words are the non-punctuation tokens of each sentence (a collocation never spans two sentences); with
``window`` > 2 (bigrams only) two words count as a pair when they stand within ``window`` tokens of each
other, the first before the second (NLTK's ``window_size``). Stop words are left out by default (they
would fill the top of a likelihood-ratio list with "de la", "of the"). Scores are NLTK's association
measures (``BigramAssocMeasures`` / ``TrigramAssocMeasures``): ``likelihood_ratio`` (Dunning's G²) or
``pmi``, or any other measure name of those classes (``chi_sq``, ``student_t``...).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from analysis.text import nltk_import
from analysis.errors import ParameterError

nltk_import.load()  # before any nltk submodule: see analysis.nltk_import
from nltk.collocations import (BigramAssocMeasures, BigramCollocationFinder,  # noqa: E402
                               TrigramAssocMeasures, TrigramCollocationFinder)


def _sentences(tokens: pd.DataFrame, term: str, drop_stopwords: bool) -> list[list[str | None]]:
    words = tokens.loc[~tokens["is_punct"].to_numpy(bool)]
    words = words.sort_values(["doc_id", "sentence_id", "position"], kind="stable")
    out = []
    for _, sent in words.groupby(["doc_id", "sentence_id"], sort=False):
        seq = sent[term].astype(str).tolist()
        if drop_stopwords:  # stop words become gaps: no pair is made across or with them
            seq = [None if s else w for w, s in zip(seq, sent["is_stopword"].to_numpy(bool))]
        out.append(seq)
    return out


def collocations(tokens: pd.DataFrame, node: str | Iterable[str] | None = None, measure: str = "likelihood_ratio",
                 min_freq: int = 2, window: int = 2, top_n: int | None = 20, group=None, ngram: int = 2,
                 term: str = "token", drop_stopwords: bool = True, group_col: str = "group") -> pd.DataFrame:
    """The ``top_n`` strongest collocations (all of them with ``top_n=None``).

    ``node``: keep only n-grams holding this word (or one of these words); ``min_freq``: minimum frequency of
    the n-gram; ``group``: only the tokens of this group. Columns: w1, w2 (, w3), freq, score, measure; sorted
    by score descending then by the words (NLTK's order).
    """
    if ngram not in (2, 3):
        raise ParameterError("ngram", f"collocations are bigrams or trigrams, not {ngram!r}", "2, 3")
    measures = BigramAssocMeasures if ngram == 2 else TrigramAssocMeasures
    if not isinstance(measure, str) or measure.startswith("_") or not callable(getattr(measures, measure, None)):
        raise ParameterError("measure", f"unknown association measure {measure!r}", "likelihood_ratio, pmi, "
                             "chi_sq, student_t, raw_freq, ...")
    if not isinstance(window, int) or isinstance(window, bool) or window < 2:
        raise ParameterError("window", f"must be a whole number >= 2, not {window!r}")
    window = max(window, ngram)  # a trigram needs a window of 3 at least
    if not isinstance(min_freq, int) or min_freq < 1:
        raise ParameterError("min_freq", f"must be a whole number >= 1, not {min_freq!r}")
    missing = [c for c in ("doc_id", "sentence_id", "position", term, "is_punct", "is_stopword")
               if c not in tokens.columns]
    if missing:
        raise ParameterError("tokens", f"the token table lacks the column(s) {', '.join(missing)}")
    if group is not None:
        if group_col not in tokens.columns:
            raise ParameterError("group_col", f"no column {group_col!r} in the token table")
        tokens = tokens[tokens[group_col].astype(str) == str(group)]
    cols = [f"w{i + 1}" for i in range(ngram)] + ["freq", "score", "measure"]
    seq: list[str | None] = []
    for sent in _sentences(tokens, term, drop_stopwords):
        seq.extend(sent)
        seq.extend([None] * (window - 1))  # padding: no window reaches into the next sentence
    if ngram == 2:
        finder = BigramCollocationFinder.from_words(seq, window_size=window)
    else:
        finder = TrigramCollocationFinder.from_words(seq, window_size=window)
    finder.apply_ngram_filter(lambda *ws: any(w is None for w in ws))
    finder.apply_freq_filter(min_freq)
    if node is not None:
        nodes = {str(node).lower()} if isinstance(node, str) else {str(n).lower() for n in node}
        finder.apply_ngram_filter(lambda *ws: not nodes.intersection(ws))
    if finder.N == 0 or not finder.ngram_fd:
        return pd.DataFrame(columns=cols)
    scored = finder.score_ngrams(getattr(measures, measure))
    if top_n is not None:
        scored = scored[:top_n]
    rows = [(*ng, finder.ngram_fd[ng], float(score), measure) for ng, score in scored]
    out = pd.DataFrame(rows, columns=cols)
    out["freq"] = out["freq"].astype("int64")
    return out


def collocations_from_counts(word_counts: Mapping[str, int], pair_counts: Mapping[tuple[str, str], int],
                             measure: str = "likelihood_ratio", min_freq: int = 2, top_n: int | None = 20
                             ) -> pd.DataFrame:
    """:func:`collocations` of bigrams (window 2, stop words dropped) from counts instead of a token table.

    ``word_counts``: occurrences of each word that may take part (stop words and punctuation left out);
    ``pair_counts``: occurrences of each pair of such words adjacent within a sentence. These are exactly the
    frequency distributions NLTK's finder builds from the token stream, so the table is the same; the one pass
    over the documents counts them, and no token table is needed."""
    if not isinstance(measure, str) or measure.startswith("_") or not callable(getattr(BigramAssocMeasures, measure,
                                                                                      None)):
        raise ParameterError("measure", f"unknown association measure {measure!r}", "likelihood_ratio, pmi, "
                             "chi_sq, student_t, raw_freq, ...")
    from nltk.probability import FreqDist

    cols = ["w1", "w2", "freq", "score", "measure"]
    finder = BigramCollocationFinder(FreqDist(dict(word_counts)), FreqDist(dict(pair_counts)), window_size=2)
    finder.apply_freq_filter(min_freq)
    if finder.N == 0 or not finder.ngram_fd:
        return pd.DataFrame(columns=cols)
    scored = finder.score_ngrams(getattr(BigramAssocMeasures, measure))
    if top_n is not None:
        scored = scored[:top_n]
    out = pd.DataFrame([(*ng, finder.ngram_fd[ng], float(score), measure) for ng, score in scored], columns=cols)
    out["freq"] = out["freq"].astype("int64")
    return out
