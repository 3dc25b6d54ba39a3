"""The small summaries the report pages show, on tables small enough to check by hand."""
from __future__ import annotations

import pandas as pd

from analysis.pages import summaries


def docs():
    return pd.DataFrame({
        "doc_id": ["a1", "a2", "b1", "b2", "b3"],
        "group": ["A", "A", "B", "B", "B"],
        "source": ["AFP", "", "AFP", "Le HuffPost", "AFP"],
        "date": ["2023-05", "2023-07-13", "", "2022-11-01", "2024"],
        "n_tokens": [10, 30, 5, 7, 9],
        "n_sentences": [1, 3, 1, 1, 2],
    })


def test_group_sizes():
    t = summaries.group_sizes(docs(), "A", "B").set_index("group")
    assert t.loc["A", "documents"] == 2 and t.loc["A", "word tokens"] == 40 and t.loc["A", "sentences"] == 4
    assert t.loc["A", "median length (tokens)"] == 20.0 and t.loc["A", "dated documents"] == 2
    assert t.loc["B", "documents"] == 3 and t.loc["B", "word tokens"] == 21 and t.loc["B", "dated documents"] == 2
    assert list(t["side"]) == ["A", "B"]


def test_documents_per_source_names_missing_sources():
    t = summaries.documents_per_source(docs())
    assert t.iloc[0].to_dict() == {"source": "AFP", "group": "B", "documents": 2}
    assert ("(none stated)", "A", 1) in set(map(tuple, t.to_numpy().tolist()))


def test_date_ranges_sort_partial_dates():
    t = summaries.date_ranges(docs(), "A", "B").set_index("group")
    assert (t.loc["A", "earliest"], t.loc["A", "latest"]) == ("2023-05", "2023-07-13")
    assert (t.loc["B", "earliest"], t.loc["B", "latest"], t.loc["B", "undated"]) == ("2022-11-01", "2024", 1)


def test_counts_and_mentions():
    ent = pd.DataFrame({"doc_id": ["a1", "a1", "a2", "b1"], "group": ["A", "A", "A", "B"],
                        "category": ["platform"] * 4, "canonical": ["Snapchat", "Snapchat", "Telegram", "Snapchat"]})
    c = summaries.count_by_group(ent, "category")
    assert c.to_dict("records") == [{"category": "platform", "group": "A", "n": 3},
                                    {"category": "platform", "group": "B", "n": 1}]
    m = summaries.mentions_by_name(ent, "platform")
    assert list(m["canonical"]) == ["Snapchat", "Telegram"]
    row = m.iloc[0]
    assert row["mentions (A)"] == 2 and row["documents (A)"] == 1 and row["mentions (B)"] == 1


def test_speakers_and_frames():
    q = pd.DataFrame({"group": ["A", "A", "B"], "speaker": ["X", "X", "Y"], "role": ["r", "r", ""],
                      "voice_kind": ["official", "official", "unknown"]})
    s = summaries.speakers(q)
    assert s.iloc[0].to_dict() == {"group": "A", "speaker": "X", "role": "r", "voice_kind": "official", "quotations": 2}
    fs = pd.DataFrame({"frame": ["f", "f"], "group": ["A", "A"], "doc_id": ["a1", "a1"], "sentence_id": [0, 0],
                       "sentence": ["s", "s"], "term": ["saisie", "arrestation"]})
    assert summaries.frame_evidence(fs)["term"].tolist() == ["arrestation, saisie"]
    shares = pd.DataFrame({"group": ["A", "A"], "doc_id": ["a1", "a1"], "frame": ["f", "g"], "share": [0.5, 0.25]})
    assert summaries.frame_shares_wide(shares).to_dict("records") == [{"group": "A", "doc_id": "a1", "f": 0.5,
                                                                        "g": 0.25}]


def test_key_terms_by_period_wide_has_a_column_per_language_of_a_mixed_side():
    t = pd.DataFrame({"group": ["a", "a", "a", "b"], "language": ["en", "en", "fr", "en"],
                      "period": ["2020", "2020", "2021", "2021"], "rank": [1, 2, 1, 1],
                      "term": ["cartel", "fentanyl", "saisie", "court"], "log_ratio": [1.25, 0.5, 2.0, 3.0]})
    wide = summaries.key_terms_by_period_wide(t, "a", "b")
    assert list(wide.columns) == ["period", "a (en)", "a (fr)", "b"]
    assert wide.set_index("period").loc["2020", "a (en)"] == "cartel (+1.2), fentanyl (+0.5)"
    assert wide.set_index("period").loc["2020", "b"] == ""


def test_top_concepts_weigh_rates_by_documents():
    t = pd.DataFrame({"concept": ["x", "y", "y", "z"], "n_docs": [10, 1, 1, 5], "mean": [1.0, 4.0, 4.0, 0.0]})
    assert summaries.top_concepts(t, 5) == ["x", "y"]  # z is never found


def test_periods_summary_names_the_date_range_the_empty_periods_and_the_undated():
    from types import SimpleNamespace

    per = pd.DataFrame({"period": ["2020-01", "2020-04", "2020-01"], "group": ["a", "a", "b"], "n_docs": [2, 1, 1]})
    docs = pd.DataFrame({"doc_id": list("wxyzu"), "date": ["2020-01-05", "2020-01-20", "2020-04-02", "2020-01-09", ""]})
    A = SimpleNamespace(periods={"unit": "month", "n_undated": 1, "undated": ["u"]}, documents=docs,
                        documents_by_period=per)
    text = summaries.periods_summary(A)
    assert "from 2020-01-05 to 2020-04-02" in text
    assert "2 of the 4 months from the first to the last have no document" in text
    assert "1 document(s) have no date precise enough for a month" in text and ": u (" in text
    wide = summaries.documents_by_period_wide(per, "b", "a")
    assert list(wide.columns) == ["period", "b", "a"] and wide["a"].tolist() == [2, 1]
    assert str(wide["a"].dtype) == "int64"  # whole numbers, not 2.0
