"""Partial ISO dates (``2023``, ``2023-05``, ``2023-05-14``): parsing and precision."""
from __future__ import annotations

import re

import pandas as pd

DATE_RE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


def parse_partial_date(value: str) -> pd.Timestamp | None:
    """'2023', '2023-05' or '2023-05-14' to the first day they cover; '' to None."""
    value = (value or "").strip()
    if not value or not DATE_RE.match(value):
        return None
    parts = value.split("-")
    year, month, day = int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1
    try:
        return pd.Timestamp(year=year, month=month, day=day)
    except ValueError:
        return None


def date_precision(value: str) -> str:
    """'year', 'month', 'day' or '' for a partial ISO date."""
    value = (value or "").strip()
    if not value:
        return ""
    return {1: "year", 2: "month", 3: "day"}.get(len(value.split("-")), "")
