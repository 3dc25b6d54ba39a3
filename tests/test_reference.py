"""Key words of a side against a reference in its own language (analysis.stats.reference)."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis.errors import ParameterError
from analysis.stats.keyness import COLUMNS, g2_4term, keyness
from analysis.stats.reference import (REFERENCE_SIZE, choose_reference, general_frequency, reference_keyness,
                                      wordfreq_reference)


def _freqs(group, total, n_docs, counts):
    return pd.DataFrame([{"group": group, "term": t, "count": c, "per_10k": c * 1e4 / total, "docs": d,
                          "n_docs": n_docs, "total": total} for t, (c, d) in counts.items()])


SIDE = _freqs("us", 1000, 4, {"fentanyl": (30, 4), "the": (60, 4), "court": (5, 2), "zzqxj": (4, 1)})


def test_against_the_rest_of_the_corpus_in_its_language():
    rest = pd.concat([_freqs("r1", 60_000, 10, {"fentanyl": (6, 3), "the": (3000, 10), "court": (40, 9)}),
                      _freqs("r2", 50_000, 5, {"the": (2500, 5), "court": (60, 5)})])
    out = reference_keyness(SIDE, "en", rest, min_count=3)
    assert list(out.columns) == COLUMNS + ["reference"] and set(out["reference"]) == {"corpus:en"}
    # the same as the kit's keyness over the hand-pooled reference: 110,000 tokens, 15 documents
    pooled = _freqs("reference", 110_000, 15, {"fentanyl": (6, 3), "the": (5500, 15), "court": (100, 14)})
    expected = keyness(pd.concat([SIDE, pooled]), "us", "reference", min_count=3)
    pd.testing.assert_frame_equal(out[COLUMNS], expected)
    row = out.set_index("term").loc["fentanyl"]
    assert (row["count_b"], row["total_b"], row["n_docs_b"]) == (6, 110_000, 15)
    assert row["g2"] == pytest.approx(g2_4term(30, 6, 970, 109_994).item()) and row["direction"] == "us"
    assert out.set_index("term").loc["the", "direction"] == "us"  # 6 % against 5 %


def test_a_small_rest_falls_back_to_wordfreq():
    small = _freqs("r1", 99_999, 3, {"the": (5000, 3)})
    assert choose_reference("en", small) == "wordfreq:en"
    assert choose_reference("en", pd.concat([small, _freqs("r2", 1, 1, {"x": (1, 1)})])) == "corpus:en"
    assert choose_reference("en", None) == "wordfreq:en"
    assert set(reference_keyness(SIDE, "en", small)["reference"]) == {"wordfreq:en"}


def test_wordfreq_reference_by_hand():
    import wordfreq

    table = wordfreq.get_frequency_dict("en", "large")  # exact; word_frequency() rounds to 3 digits
    f_the, f_fent = table["the"], table["fentanyl"]
    assert 0.03 < f_the < 0.08 and 0 < f_fent < 1e-4
    ref = wordfreq_reference(["the", "fentanyl", "zzqxj", "the"], "en")
    assert ref["term"].tolist() == ["the", "fentanyl"]  # unknown terms left out, duplicates once
    assert ref["count"].tolist() == [round(f_the * 1e9), round(f_fent * 1e9)]
    assert set(ref["total"]) == {REFERENCE_SIZE} == {10**9} and set(ref["docs"]) == {0}

    out = reference_keyness(SIDE, "en", None, min_count=3).set_index("term")
    assert set(out["reference"]) == {"wordfreq:en"}
    b = round(f_fent * 1e9)
    assert out.loc["fentanyl", "count_b"] == b and out.loc["fentanyl", "total_b"] == 10**9
    assert out.loc["fentanyl", "g2"] == pytest.approx(g2_4term(30, b, 970, 10**9 - b).item())
    assert out.loc["fentanyl", "direction"] == "us"
    assert out.loc["zzqxj", "count_b"] == 0 and out.loc["zzqxj", "direction"] == "us"
    assert out["td_g2"].isna().all() and (out["n_docs_b"] == 0).all()
    # 60 "the" in 1000 tokens is at wordfreq's rate or so: far less key than fentanyl
    assert abs(out.loc["the", "g2"]) < out.loc["fentanyl", "g2"]


def test_french_terms_and_kit_tokens_wordfreq_splits():
    f = general_frequency(["trafic", "l'", "aujourd'hui", "saint-étienne", "qqqzzz"], "fr")
    assert f[0] > 1e-6 and f[1] > 1e-3 and f[2] > 1e-5 and f[3] > 0 and f[4] == 0
    side = _freqs("fr", 500, 2, {"trafic": (20, 2), "stupéfiants": (10, 2), "le": (40, 2)})
    out = reference_keyness(side, "fr", stopwords={"le"}, min_count=3)
    assert "le" not in set(out["term"]) and set(out["reference"]) == {"wordfreq:fr"}
    assert out["term"].iloc[0] in {"trafic", "stupéfiants"} and (out["g2"] > 0).all()


def test_bad_inputs():
    with pytest.raises(ParameterError, match="one side"):
        reference_keyness(pd.concat([SIDE, SIDE.assign(group="b")]), "en")
    with pytest.raises(ParameterError, match="lacks"):
        reference_keyness(SIDE.drop(columns="docs"), "en")
    with pytest.raises(ParameterError, match="wordfreq has no"):
        general_frequency(["x"], "xx")


def test_each_side_against_its_own_language():
    from analysis.stats.reference import SIDE_COLUMNS, keyness_against_references

    docs = pd.DataFrame({
        "doc_id": ["e1", "e2", "f1", "f2", "x1"], "group": ["us", "us", "fr", "fr", "other"],
        "language": ["en", "en", "fr", "fr", "fr"],
        "text": ["Fentanyl fentanyl fentanyl was seized by agents.", "Agents seized fentanyl and cocaine.",
                 "Le trafic de cannabis et le trafic de cocaïne.", "Trafic, trafic et cannabis.",
                 "Le cannabis est une plante et le trafic une affaire."]})
    out = keyness_against_references(docs, "us", "fr", min_count=2)
    assert list(out.columns) == SIDE_COLUMNS
    assert out.groupby("side")["reference"].agg(set).to_dict() == {"us": {"wordfreq:en"}, "fr": {"wordfreq:fr"}}
    assert out.loc[out["side"] == "us", "term"].iloc[0] == "fentanyl"
    # with a lower bar, the French side is read against the rest of the corpus in French (x1, 10 tokens)
    out = keyness_against_references(docs, "us", "fr", min_count=2, min_reference_tokens=10)
    fr = out[out["side"] == "fr"].set_index("term")
    assert set(fr["reference"]) == {"corpus:fr"} and fr.loc["trafic", "total_b"] == 10
    assert fr.loc["trafic", "count_b"] == 1 and fr.loc["trafic", "n_docs_b"] == 1
