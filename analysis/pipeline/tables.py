"""The tables a report writes: ``tables/*.csv`` for people and spreadsheets, ``tables/*.parquet`` beside each
at full precision for programs.

CSV bytes are deterministic (stable sort, fixed float format, LF line ends, UTF-8) so that two runs of the same
corpus and parameters give identical files; floats are written with 6 significant digits there, and exactly in
the Parquet file of the same name.
"""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

# each written table: (name in Analysis, file stem, stable sort keys)
WRITTEN = (
    ("documents", "documents", ["group", "doc_id"]),
    ("frequencies", "frequencies", None),
    ("frequencies_bigrams", "frequencies_bigrams", None),
    ("keyness", "keyness", None),
    ("keyness_bigrams", "keyness_bigrams", None),
    ("collocations", "collocations", None),
    ("concordance", "concordance", None),
    ("entities", "entities", ["doc_id", "start", "end", "category", "entity_id", "canonical"]),
    ("claims", "claims", ["doc_id", "start", "end"]),
    ("quotes", "quotes", ["doc_id", "start", "end"]),
    ("frames", "frames", ["doc_id", "frame"]),
    ("frame_sentences", "frame_sentences", ["doc_id", "sentence_id", "frame", "term"]),
    ("frame_evidence_counts", "frame_evidence_counts", None),
    ("frame_comparison", "frame_comparison", None),
    ("language_mix", "language_mix", None),
    ("keyness_reference", "keyness_reference", None),
    ("boilerplate", "boilerplate", None),
    ("foreign_paragraphs", "foreign_paragraphs", ["doc_id", "start"]),
    ("concept_frequencies", "concept_frequencies", None),
    ("concept_keyness", "concept_keyness", None),
    ("concept_terms", "concept_terms", None),
    ("concept_concordance", "concept_concordance", None),
    ("coverage", "coverage", None),
    ("uncovered", "uncovered", None),
    ("coverage_gap", "coverage_gap", None),
    ("documents_by_period", "documents_by_period", None),
    ("frames_by_period", "frames_by_period", None),
    ("categories_by_period", "categories_by_period", None),
    ("frame_validation", "frame_validation", None),
    ("frame_agreement", "frame_agreement", None),
    ("concepts_by_period", "concepts_by_period", None),
    ("key_terms_by_period", "key_terms_by_period", None),
    ("group_sizes", "group_sizes", None),
    ("group_languages", "group_languages", None),
    ("group_keyness", "group_keyness", None),
    ("group_frames", "group_frames", None),
    ("group_categories", "group_categories", None),
)
FRONT = {
    "claims": ("doc_id", "group", "value", "unit", "object", "hedge", "category", "text"),
    "quotes": ("doc_id", "group", "speaker", "role", "voice_kind", "quote"),
}
FLOAT_FORMAT = "%.6g"


def write_table(df: pd.DataFrame, path: Path, sort: list[str] | None = None, parquet: bool = True) -> list[Path]:
    """Write ``df`` as CSV with deterministic bytes (and as Parquet beside it, at full precision)."""
    if sort:
        keys = [c for c in sort if c in df.columns]
        if keys:
            df = df.sort_values(keys, kind="mergesort")
    path = Path(path)
    df.to_csv(path, index=False, float_format=FLOAT_FORMAT, lineterminator="\n", encoding="utf-8")
    written = [path]
    if parquet:
        pq = path.with_suffix(".parquet")
        df.reset_index(drop=True).to_parquet(pq, index=False)
        written.append(pq)
    return written


def write_tables(analysis, out_dir: str | os.PathLike) -> list[Path]:
    """Write the report tables under ``out_dir/tables`` (created); returns the files written. Absent tables
    (the data could not yield them; ``analysis.missing`` says why) are not written."""
    tables = Path(out_dir) / "tables"
    tables.mkdir(parents=True, exist_ok=True)
    written = []
    for name, stem, sort in WRITTEN:
        df = getattr(analysis, name)
        if df is None:
            continue
        if name in FRONT:
            front = [c for c in FRONT[name] if c in df.columns]
            df = df[front + [c for c in df.columns if c not in front]]
        written += write_table(df, tables / f"{stem}.csv", sort)
    return written
