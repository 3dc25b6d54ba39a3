"""Frequency tables: hand-counted values, the n-gram rule, and the fast streaming path agreeing with the
token-table path on the seeds and on samples of the shared corpora."""
from __future__ import annotations

import itertools
import json

import pandas as pd
import pytest

from analysis.stats.counts import COLUMNS, count_documents, term_frequencies
from analysis.errors import ParameterError
from analysis.text.tokens import tokenize
from tests.conftest import require_shared

SMALL = pd.DataFrame({
    "doc_id": ["a1", "a2", "b1"],
    "group": ["A", "A", "B"],
    "text": ["Le trafic de drogue. Le trafic, encore !", "La drogue en ligne.", "The drug trade and the drug."],
    "language": ["fr", "fr", "en"],
})


def test_words_by_hand():
    f = term_frequencies(tokenize(SMALL))
    assert list(f.columns) == COLUMNS
    row = f[(f["group"] == "A") & (f["term"] == "drogue")].iloc[0]
    # group A: le trafic de drogue le trafic encore | la drogue en ligne -> 7 + 4 = 11 words (punctuation out)
    assert (row["count"], row["docs"], row["n_docs"], row["total"]) == (2, 2, 2, 11)
    assert row["per_10k"] == pytest.approx(2 * 10_000 / 11)
    trafic = f[(f["group"] == "A") & (f["term"] == "trafic")].iloc[0]
    assert (trafic["count"], trafic["docs"]) == (2, 1)
    b = f[f["group"] == "B"]
    assert b.set_index("term")["count"].to_dict() == {"the": 2, "drug": 2, "trade": 1, "and": 1}
    assert set(b["total"]) == {6} and set(b["n_docs"]) == {1}
    # sorted by group, count descending, then term
    assert f["group"].tolist() == sorted(f["group"])
    assert b["term"].tolist() == ["drug", "the", "and", "trade"]


def test_ngrams_stay_in_sentences_and_drop_stopword_edges():
    f = term_frequencies(tokenize(SMALL), ngram=2)
    a = f[f["group"] == "A"].set_index("term")
    # sentences of a1: [le trafic de drogue] [le trafic encore]; a2: [la drogue en ligne]
    # bigrams: le trafic, trafic de, de drogue, le trafic, trafic encore, la drogue, drogue en, en ligne = 8
    # kept (no stop word at either end): "trafic encore" only ("drogue le" would cross a sentence)
    assert a.index.tolist() == ["trafic encore"] and set(a["total"]) == {8}
    tri = term_frequencies(tokenize(SMALL), ngram=3)
    assert "trafic de drogue" in set(tri["term"])  # a stop word inside is fine
    # B: the drug trade | drug trade and | trade and the | and the drug: each starts or ends with a stop word
    b = tri[tri["group"] == "B"]
    assert b.empty
    # A: 2 + 1 + 2 trigram positions (sentences of 4, 3 and 4 words)
    assert set(tri.loc[tri["group"] == "A", "total"]) == {5}


def test_fast_path_equals_token_path_on_small_and_seeds(seed_docs):
    for docs in (SMALL, seed_docs):
        toks = tokenize(docs)
        for n in (1, 2, 3):
            assert count_documents(docs.to_dict("records"), ngram=n).equals(term_frequencies(toks, ngram=n)), n


def test_other_group_column_and_values(seed_docs):
    docs = seed_docs.assign(side=seed_docs["group"].map({"us_federal": "USA", "fr_policing": "France"}))
    f = count_documents(docs.to_dict("records"), group_col="side")
    assert "side" in f.columns and set(f["side"]) == {"USA", "France"}
    g = term_frequencies(tokenize(docs, group_col="side"), group_col="side")
    assert f.equals(g)


def test_bad_parameters():
    with pytest.raises(ParameterError, match="ngram"):
        count_documents([], ngram=0)
    with pytest.raises(ParameterError, match="term"):
        term_frequencies(tokenize(SMALL), term="lemma")
    with pytest.raises(ParameterError, match="tokens"):
        term_frequencies(pd.DataFrame({"doc_id": []}))
    with pytest.raises(ParameterError, match="records"):
        count_documents([{"doc_id": "x", "group": "A"}])


@pytest.mark.parametrize("corpus,n_docs", [("us-prosecutor-press-releases", 120), ("fr-press-gilets-jaunes", 120)])
def test_fast_path_equals_token_path_on_shared_corpora(corpus, n_docs):
    path = require_shared("corpora", corpus, "documents.jsonl")
    with open(path, encoding="utf-8") as fh:
        # every 7th document, for variety across the file
        records = [json.loads(line) for line in itertools.islice(fh, 0, n_docs * 7, 7)]
    docs = pd.DataFrame(records)
    toks = tokenize(docs)
    for n in (1, 2):
        fast = count_documents(records, ngram=n)
        assert fast.equals(term_frequencies(toks, ngram=n)), (corpus, n)
        assert fast["total"].gt(0).all()
