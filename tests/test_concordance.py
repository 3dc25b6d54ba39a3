"""KWIC: words, phrases and regular expressions in context, with case and accent folding and sorting."""
from __future__ import annotations

import pytest

from analysis.stats.concordance import COLUMNS, kwic
from analysis.errors import ParameterError
from analysis.text.tokens import tokenize


@pytest.fixture(scope="module")
def seed(seed_docs):
    return seed_docs, tokenize(seed_docs)


def test_word_query_whole_tokens_and_context(seed):
    docs, toks = seed
    k = kwic(toks, docs, "police", window=3)
    assert list(k.columns) == COLUMNS
    assert set(k["match"].str.lower()) == {"police"}  # not "policiers"
    assert len(k) == int((toks["token"] == "police").sum())
    first = k.iloc[0]
    assert first["doc_id"] == "fr_lyon_snapchat" and first["right"] == "judiciaire de Lyon"
    assert len(first["left"].split()) <= 3


def test_phrase_with_either_apostrophe(seed):
    docs, toks = seed
    k = kwic(toks, docs, "forces de l’ordre", window=2)
    assert len(k) == 6 and set(k["group"]) == {"fr_policing"}
    assert {"forces de l'ordre", "forces de l’ordre"} == set(k["match"])


def test_case_and_accents(seed):
    docs, toks = seed
    plain = kwic(toks, docs, "operation")
    folded = kwic(toks, docs, "operation", ignore_accents=True)
    assert len(folded) > len(plain) >= 1  # "Operation Chain Breaker" vs every "opération"
    assert len(kwic(toks, docs, "Opération", ignore_case=False)) < len(kwic(toks, docs, "opération"))


def test_regex_and_sorting(seed):
    docs, toks = seed
    k = kwic(toks, docs, r"cyber\w+", regex=True, window=2)
    assert len(k) >= 7 and k["match"].str.lower().str.startswith("cyber").all()
    r = kwic(toks, docs, "fentanyl", window=3, sort="right")
    keys = [x.lower() for x in r["right"]]
    assert keys == sorted(keys)
    left = kwic(toks, docs, "fentanyl", window=3, sort="left")
    lk = [" ".join(reversed(x.lower().split())) for x in left["left"]]
    assert lk == sorted(lk)
    assert set(zip(r["doc_id"], r["position"])) == set(zip(left["doc_id"], left["position"]))
    with pytest.raises(ParameterError, match="query"):
        kwic(toks, docs, "(", regex=True)
    with pytest.raises(ParameterError, match="sort"):
        kwic(toks, docs, "x", sort="middle")
    assert kwic(toks, docs, "zzzz").empty
