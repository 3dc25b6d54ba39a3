"""Change over time (analysis.stats.periods): periods chosen from the date range, undated documents named,
means per period and side with bootstrap intervals over documents."""
from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest

from analysis.errors import ParameterError
from analysis.stats.counts import sentence_tokens
from analysis.stats import periods as T


def docs(dates, groups=None, tokens=None):
    n = len(dates)
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(n)], "group": groups or ["a"] * n, "date": dates,
                         "n_tokens": tokens or [1000] * n})


@pytest.mark.parametrize("dates, unit", [(["2023-01-05", "2023-11-30"], "month"),
                                         (["2019-01", "2024-06"], "quarter"),
                                         (["2009-01-05", "2018-04-13"], "year"), ([], "year")])
def test_auto_period_follows_the_date_range(dates, unit):
    assert T.choose_period(pd.to_datetime(pd.Series(dates, dtype=object)), "auto") == unit


def test_unknown_period_is_refused():
    with pytest.raises(ParameterError, match="period"):
        T.choose_period(pd.Series([], dtype=object), "week")


def test_documents_without_a_precise_enough_date_are_named():
    d = docs(["2023-02-10", "2023-05", "", "2023", "2023-08-01"])
    placed, unit, undated = T.assign_periods(d, "quarter")
    assert unit == "quarter"
    assert list(placed["period"]) == ["2023-Q1", "2023-Q2", "2023-Q3"]
    assert undated == ["d2", "d3"]  # no date; a year only cannot be put in a quarter
    placed, unit, undated = T.assign_periods(d, "year")
    assert list(placed["period"]) == ["2023"] * 4 and undated == ["d2"]
    no_dates = d.drop(columns="date")
    placed, _, undated = T.assign_periods(no_dates, "auto")
    assert placed.empty and undated == list(d["doc_id"])


def test_frame_means_per_period_and_side_with_intervals():
    d = docs(["2020", "2020", "2021", "2021"], groups=["a", "a", "a", "b"])
    placed, _, _ = T.assign_periods(d, "year")
    frames = pd.DataFrame({"doc_id": ["d0", "d1", "d2", "d3"], "frame": ["x"] * 4, "share": [0.2, 0.6, 0.5, 0.1]})
    out = T.frames_by_period(frames, placed, n_boot=500, seed=1)
    row = out[(out["period"] == "2020") & (out["group"] == "a")].iloc[0]
    assert row["n_docs"] == 2 and row["mean"] == pytest.approx(0.4)
    assert 0.2 <= row["ci_low"] <= 0.4 <= row["ci_high"] <= 0.6  # resamples of {0.2, 0.6}
    one = out[(out["period"] == "2021") & (out["group"] == "b")].iloc[0]
    assert one["ci_low"] == one["ci_high"] == pytest.approx(0.1)  # one document: no spread
    assert T.frames_by_period(frames, placed, n_boot=500, seed=1).equals(out)  # reproducible


def test_actor_rates_count_documents_without_mentions_as_zero():
    d = docs(["2020", "2020"], tokens=[1000, 500])
    placed, _, _ = T.assign_periods(d, "year")
    ents = pd.DataFrame({"doc_id": ["d0", "d0", "d1"], "category": ["drug", "drug", "agency"]})
    out = T.categories_by_period(ents, d, placed, n_boot=200).set_index("category")
    assert out.loc["drug", "mean"] == pytest.approx((2.0 + 0.0) / 2)  # 2 per 1,000 tokens and 0
    assert out.loc["agency", "mean"] == pytest.approx((0.0 + 2.0) / 2)  # 0 and 1 per 500 tokens
    assert list(T.documents_by_period(placed)["n_docs"]) == [2]


# ------------------------------------------------------------------------------------ concepts and key terms

def _corpus(tmp_path, rows):
    import json

    path = tmp_path / "dated.jsonl"
    path.write_text("".join(json.dumps({"language": "en", **r}) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def _analyze(corpus, **extra):
    from analysis.pipeline import compute

    return compute.analyze({"corpus": corpus, "group_a": "a", "group_b": "b", "period": "year", "min_count": 1,
                            "boilerplate": "off", **extra}, use_cache=False)


CONCEPT_DOCS = [  # the lexicon's hits, from analysis.narratives.concepts.scan, in brackets
    {"doc_id": "d0", "group": "a", "date": "2020-03-01", "text": "Officers seized heroin and seized cash."},
    # [seizure x2; 5 content words: officer seize heroin seize cash]
    {"doc_id": "d1", "group": "a", "date": "2020-06-01", "text": "The weather was sunny and warm today."},  # []
    {"doc_id": "d2", "group": "a", "date": "2021-02-01", "text": "Agents seized cocaine in the port."},
    # [seizure x1; 4 content words]
    {"doc_id": "d3", "group": "b", "date": "2020-05-01", "text": "The court sentenced him to prison."},
    # [sentence_prison x2 (sentenced, prison); 3 content words]
    {"doc_id": "d4", "group": "b", "date": "", "text": "Agents seized cocaine and seized heroin."},  # undated
]


def test_concept_rates_per_period_computed_by_hand(tmp_path):
    A = _analyze(_corpus(tmp_path, CONCEPT_DOCS))
    t = A.concepts_by_period.set_index(["period", "group", "concept"])
    seizure = t.loc[("2020", "a", "seizure")]
    assert seizure["n_docs"] == 2 and seizure["docs"] == 1
    assert seizure["mean"] == pytest.approx((2 / 5 * 10_000 + 0) / 2)  # 4,000 and 0 per 10,000 content words
    assert seizure["ci_low"] == pytest.approx(0) and seizure["ci_high"] == pytest.approx(4000)
    assert t.loc[("2021", "a", "seizure"), "mean"] == pytest.approx(1 / 4 * 10_000)
    assert t.loc[("2020", "b", "sentence_prison"), "mean"] == pytest.approx(2 / 3 * 10_000)
    # the undated document's seizures count nowhere: b's only period has none
    assert t.loc[("2020", "b", "seizure"), "mean"] == 0 and t.loc[("2020", "b", "seizure"), "docs"] == 0
    assert set(A.concepts_by_period["period"]) == {"2020", "2021"}
    assert A.periods["n_undated"] == 1 and A.periods["undated"] == ["d4"]


def test_concepts_by_period_from_a_table_of_hits():
    d = docs(["2020", "2020", "2020", ""], groups=["a", "a", "b", "a"])
    placed, _, undated = T.assign_periods(d, "year")
    hits = pd.DataFrame({"doc_id": ["d0", "d0", "d2", "d3"], "concept": ["x", "y", "x", "x"],
                         "count": [1, 3, 2, 9], "n_content": [100, 100, 50, 10]})
    out = T.concepts_by_period(hits, placed, n_boot=200).set_index(["group", "concept"])
    assert list(out.columns[-3:]) == ["mean", "ci_low", "ci_high"] and undated == ["d3"]
    assert out.loc[("a", "x"), "mean"] == pytest.approx((100 + 0) / 2)  # 1 per 100 words and 0
    assert out.loc[("a", "y"), "mean"] == pytest.approx((300 + 0) / 2)
    assert out.loc[("b", "x"), "mean"] == pytest.approx(400) and out.loc[("b", "y"), "mean"] == 0
    assert list(out["n_docs"]) == [2, 2, 1, 1] and out.loc[("a", "x"), "docs"] == 1
    assert T.concepts_by_period(hits.iloc[:0], placed).empty


def _fentanyl_corpus(tmp_path):
    rows = []
    for i in range(3):  # 2020: weather; 2021: fentanyl, three times in each of three documents
        rows.append({"doc_id": f"w{i}", "group": "a", "date": f"2020-0{i + 1}-10",
                     "text": f"Report {i}: the weather in the city was sunny, the market was busy and calm."})
        rows.append({"doc_id": f"f{i}", "group": "a", "date": f"2021-0{i + 1}-10",
                     "text": f"Report {i}: fentanyl in the city, fentanyl in the market, fentanyl everywhere."})
    rows.append({"doc_id": "b0", "group": "b", "date": "2020-05-05", "text": "The market was calm and sunny."})
    rows.append({"doc_id": "u0", "group": "a", "date": "",
                 "text": "Heroin heroin heroin heroin heroin heroin heroin in the city market."})
    return _corpus(tmp_path, rows)


def test_key_terms_by_period_find_the_period_that_uses_a_word_more(tmp_path):
    A = _analyze(_fentanyl_corpus(tmp_path))
    k = A.key_terms_by_period
    top = k[(k["group"] == "a") & (k["period"] == "2021")].iloc[0]
    assert (top["term"], top["rank"], top["language"]) == ("fentanyl", 1, "en")
    assert (top["count"], top["docs"], top["n_docs"]) == (9, 3, 3)
    assert top["per_10k_other"] == 0 and top["g2"] > 10 and top["p_adjusted"] <= T.KEY_P
    assert top["per_10k"] == pytest.approx(9 * 10_000 / top["total"])
    assert "fentanyl" not in set(k.loc[k["period"] == "2020", "term"])
    # the undated document is counted nowhere: its heroin is no key term and its tokens are in no total
    assert "heroin" not in set(k["term"])
    docs_a = A.documents.set_index("doc_id")["n_tokens"]
    assert top["total"] == sum(docs_a[f"f{i}"] for i in range(3))
    assert A.periods["undated"] == ["u0"]
    assert (k["group"] == "b").sum() == 0  # b has one period: nothing to compare it with


def test_period_terms_count_a_fixed_vocabulary_and_skip_undated_documents():
    vocab = T.period_vocabulary({("a", "en"): Counter({"fentanyl": 9, "the": 20, "2021": 5, "city": 2})},
                                {("a", "en"): {"the"}}, min_count=2, size=1)
    assert vocab == {("a", "en"): frozenset({"fentanyl"})}  # stop words and numbers out, then the cap
    counter = T.PeriodTerms(vocab, {"d1": "2021"})
    recs = [{"doc_id": "d1", "group": "a", "language": "en", "text": "Fentanyl, the city's fentanyl."},
            {"doc_id": "d2", "group": "a", "language": "en", "text": "fentanyl fentanyl"}]
    assert list(counter.tap(recs)) == recs
    assert counter.n_undated == 1 and counter.count == {("a", "en", "2021"): Counter({"fentanyl": 2})}
    assert counter.total[("a", "en", "2021")] == 4  # fentanyl the city's fentanyl


def test_period_range_fills_the_periods_without_documents():
    assert T.period_range(["2023-11", "2024-02"]) == ["2023-11", "2023-12", "2024-01", "2024-02"]
    assert T.period_range(["2023-Q4", "2023-Q2"]) == ["2023-Q2", "2023-Q3", "2023-Q4"]
    assert T.period_range(["2009", "2011"]) == ["2009", "2010", "2011"] and T.period_range([]) == []


def test_one_draw_of_documents_serves_every_concept_column():
    import numpy as np

    v = np.random.default_rng(3).random((40, 3))
    lo, hi = T._boot_columns(v, np.random.default_rng(1), 300)
    for j in range(3):  # the same resamples as one column's own bootstrap with the same seed
        assert (lo[j], hi[j]) == pytest.approx(T._boot(v[:, j], np.random.default_rng(1), 300))
    assert (lo < v.mean(axis=0)).all() and (v.mean(axis=0) < hi).all()


def test_a_side_that_mixes_languages_is_compared_within_each_language():
    texts = {("en", "2020"): "the market report, city market and harbour news", ("en", "2021"): "fentanyl news, fentanyl city",
             ("fr", "2020"): "le marché de la ville et le port", ("fr", "2021"): "la saisie, une saisie de la ville"}
    recs, period_of = [], {}
    for (lang, year), text in texts.items():
        for i in range(3):
            doc_id = f"{lang}{year}{i}"
            recs.append({"doc_id": doc_id, "group": "a", "language": lang, "text": text})
            period_of[doc_id] = year
    words = {(g, lang): Counter() for g, lang in (("a", "en"), ("a", "fr"))}
    for r in recs:
        words[(r["group"], r["language"])].update(sentence_tokens(r["text"], [(0, len(r["text"]))])[0])
    stop = {("a", "en"): {"the", "and"}, ("a", "fr"): {"le", "la", "de", "et", "une"}}
    terms = T.PeriodTerms(T.period_vocabulary(words, stop), period_of)
    for _ in terms.tap(recs):
        pass
    k = T.key_terms_by_period(terms, min_count=1)
    top = k.groupby(["language", "period"])["term"].first().to_dict()
    assert top[("en", "2021")] == "fentanyl" and top[("fr", "2021")] == "saisie"
    fr = k[k["language"] == "fr"]
    # French periods are compared with French text only: totals and counts never include English documents
    assert set(fr["n_docs"]) == {3} and not set(fr["term"]) & set(words[("a", "en")])
    assert fr.loc[fr["term"] == "saisie", "total"].iloc[0] == 3 * 7  # la saisie une saisie de la ville


def test_numeric_document_ids_are_matched_as_text():
    placed = pd.DataFrame({"doc_id": [1, 2], "group": ["a", "a"], "period": ["2020", "2020"]})
    hits = pd.DataFrame({"doc_id": ["1"], "concept": ["x"], "count": [1], "n_content": [10]})
    assert T.concepts_by_period(hits, placed, n_boot=50).loc[0, "mean"] == pytest.approx(500)
    counter = T.PeriodTerms({("a", "en"): frozenset({"x"})}, {1: "2020"})
    counter.add("1", "a", "en", "x y")
    assert counter.n_undated == 0 and counter.count[("a", "en", "2020")]["x"] == 1
