"""Change over time: documents grouped by period (month, quarter or year), and per period and side the mean
share of each frame and the rate of each kind of actor, with bootstrap intervals over the documents.

The period is chosen from the date range when ``period`` is ``auto``: months for less than two years, quarters
for less than eight, years beyond. A document without a date (or with a year only, when months or quarters are
asked) cannot be placed: it is counted and named as excluded, never silently dropped. The interval of a period
and side is the 2.5–97.5 percentile of the mean over ``n_boot`` resamples of its documents (with replacement),
so a period of few documents shows a wide interval.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.corpus.dates import parse_partial_date
from analysis.errors import ParameterError

PERIODS = ("auto", "month", "quarter", "year")
PERIOD_COLUMNS = ["period", "group", "n_docs"]
N_BOOT = 1000


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


def _boot(values: np.ndarray, rng: np.random.Generator, n_boot: int) -> tuple[float, float]:
    if len(values) == 0:
        return float("nan"), float("nan")
    idx = rng.integers(0, len(values), size=(n_boot, len(values)))
    means = values[idx].mean(axis=1)
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
    cats = sorted(counts["category"].unique())
    if not cats:
        return pd.DataFrame(columns=cols)
    tokens = documents.set_index("doc_id")["n_tokens"] if "n_tokens" in documents.columns else None
    grid = placed.assign(_k=1).merge(pd.DataFrame({"category": cats, "_k": 1}), on="_k").drop(columns="_k")
    grid = grid.merge(counts, on=["doc_id", "category"], how="left").fillna({"n": 0})
    size = grid["doc_id"].map(tokens).astype(float) if tokens is not None else pd.Series(1.0, index=grid.index)
    grid["rate"] = np.where(size > 0, grid["n"] * 1000 / size.where(size > 0, 1), 0.0)
    return _by_period(grid, "category", "rate", n_boot, seed)


def documents_by_period(placed: pd.DataFrame) -> pd.DataFrame:
    """Documents per period and side."""
    if placed.empty:
        return pd.DataFrame(columns=PERIOD_COLUMNS)
    return placed.groupby(["period", "group"]).size().rename("n_docs").reset_index()
