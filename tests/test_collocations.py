"""Collocations through NLTK's finders: scores equal NLTK's measures on the counts, filters work."""
from __future__ import annotations

import pandas as pd
import pytest
from nltk.metrics import BigramAssocMeasures

from analysis.stats.collocations import collocations
from analysis.errors import ParameterError
from analysis.text.tokens import tokenize


@pytest.fixture(scope="module")
def seed_tokens(seed_docs):
    return tokenize(seed_docs)


def test_likelihood_ratio_equals_nltk_measure_on_the_counts(seed_tokens):
    c = collocations(seed_tokens, top_n=None)
    assert list(c.columns) == ["w1", "w2", "freq", "score", "measure"]
    top = c.iloc[0]
    assert (top["w1"], top["w2"]) == ("réseaux", "sociaux")
    # recount by hand: content words of each sentence, pairs of neighbours
    words = seed_tokens[~seed_tokens["is_punct"]]
    seqs = []
    for _, s in words.groupby(["doc_id", "sentence_id"], sort=False):
        seqs.append([None if st else w for w, st in zip(s["token"], s["is_stopword"])])
    pairs = [(a, b) for s in seqs for a, b in zip(s, s[1:]) if a and b]
    unigrams = [w for s in seqs for w in s if w]
    n = len(unigrams)
    n_ii = pairs.count(("réseaux", "sociaux"))
    expect = BigramAssocMeasures.likelihood_ratio(n_ii, (unigrams.count("réseaux"), unigrams.count("sociaux")), n)
    assert top["freq"] == n_ii and top["score"] == pytest.approx(expect)
    assert (c["freq"] >= 2).all()
    assert (c["score"].diff().dropna() <= 1e-12).all()


def test_pmi_node_window_group_and_trigrams(seed_tokens):
    pmi = collocations(seed_tokens, measure="pmi", min_freq=3, top_n=10)
    assert set(pmi["measure"]) == {"pmi"} and (pmi["freq"] >= 3).all()
    node = collocations(seed_tokens, node="fentanyl", window=3, top_n=None)
    assert len(node) and ((node["w1"] == "fentanyl") | (node["w2"] == "fentanyl")).all()
    us = collocations(seed_tokens, group="us_federal", top_n=None)
    assert ("blue", "lotus") in set(zip(us["w1"], us["w2"]))
    assert ("thibaut", "fontaine") not in set(zip(us["w1"], us["w2"]))
    tri = collocations(seed_tokens, ngram=3, min_freq=3, top_n=5)
    assert list(tri.columns) == ["w1", "w2", "w3", "freq", "score", "measure"]
    assert ("blue", "lotus", "2.0") in set(zip(tri["w1"], tri["w2"], tri["w3"]))
    with_stop = collocations(seed_tokens, drop_stopwords=False, top_n=None)
    assert ("de", "la") in set(zip(with_stop["w1"], with_stop["w2"]))


def test_no_pair_across_sentences_and_errors():
    docs = pd.DataFrame({"doc_id": ["a"], "group": ["g"], "text": ["Alpha beta. Gamma delta. Alpha beta. Gamma delta."]})
    c = collocations(tokenize(docs, language="en"), min_freq=1, top_n=None)
    assert set(zip(c["w1"], c["w2"])) == {("alpha", "beta"), ("gamma", "delta")}
    assert collocations(tokenize(docs, language="en"), min_freq=5).empty
    with pytest.raises(ParameterError, match="measure"):
        collocations(tokenize(docs), measure="nope")
    with pytest.raises(ParameterError, match="window"):
        collocations(tokenize(docs), window=1)


def test_a_side_writing_in_two_languages_gets_its_collocations(tmp_path):
    """'son' is a stop word in French and a word in English: on a side with documents in both languages the
    collocations count it where it is a word, as the bigrams do (a side compared against 'rest' mixes languages)."""
    from analysis import pipeline

    en = ["The mayor's son sold pills at the drug market. His son sold drug market shares online.",
          "A son sold pills at the drug market. The son denied the drug market charges."]
    fr = ["Son frère a vendu de la drogue sur le marché. Le marché de la drogue a grandi avec son réseau.",
          "Son avocat parle du marché de la drogue et de son réseau."]
    docs = pd.DataFrame({"doc_id": [f"d{i}" for i in range(6)],
                         "group": ["a", "a", "a", "a", "b", "b"],
                         "language": ["en", "en", "fr", "fr", "en", "fr"],
                         "text": en + fr + ["The market of the city.", "Le marché de la ville."]})
    docs.to_csv(tmp_path / "corpus.csv", index=False)
    result = pipeline.analyze({"corpus": str(tmp_path / "corpus.csv"), "group_a": "a", "group_b": "rest",
                               "min_count": 1, "boilerplate": "off"}, use_cache=False)
    col = result.collocations
    side = col[col["group"] == "a"]
    assert {("drug", "market"), ("son", "sold")} <= set(zip(side["w1"], side["w2"]))
    assert (side["score"] > 0).all()
