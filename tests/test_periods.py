"""Change over time (analysis.stats.periods): periods chosen from the date range, undated documents named,
means per period and side with bootstrap intervals over documents."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis.errors import ParameterError
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
