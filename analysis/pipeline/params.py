"""Report parameters: their names, types, defaults and checks, in one place.

The names are a contract that CI jobs and users' scripts rely on (see the README). Values coming from the
command line arrive as strings and are converted here; anything unknown, of the wrong type or impossible is
refused with a ParameterError that names the parameter and the allowed values, before any notebook runs.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.errors import ParameterError

LANGUAGES = ("auto", "fr", "en")
REST = "rest"
GROUP_PARAMS = ("group_col", "group_a", "group_b")


@dataclass(frozen=True)
class Spec:
    name: str
    type: type
    default: Any
    help: str
    allowed: str


SPECS: dict[str, Spec] = {
    s.name: s
    for s in (
        Spec("corpus", str, "seeds", "corpus folder (manifest.csv + texts) or .csv/.jsonl/.parquet file",
             "an existing folder or file"),
        Spec("group_col", str, "group", "metadata column that holds the groups", "a column of the corpus"),
        Spec("group_a", str, "us_federal", "first group compared (A)", "a value of group_col"),
        Spec("group_b", str, "fr_policing", "second group compared (B), or 'rest' for every other document",
             "a value of group_col other than group_a, or 'rest'"),
        Spec("subgroup_col", str, "", "metadata column of subgroups inside each group (e.g. the agency inside a "
             "country): page 08 also compares each subgroup with the rest of its group; empty for none",
             "empty or a column of the corpus other than group_col"),
        Spec("language", str, "auto", "language of the texts; 'auto' reads each document's 'language' column "
             "and guesses where it is missing", "auto, fr, en"),
        Spec("top_n", int, 20, "rows shown in ranked tables and figures", "an integer from 1 to 1000"),
        Spec("min_count", int, 3, "minimum frequency (both groups together) for a term to be tested",
             "an integer >= 1"),
        Spec("lexicon", str, "", "frame lexicon (YAML); empty for the kit's own analysis/data/frames.yaml",
             "empty or an existing .yaml file"),
        Spec("concepts", str, "", "bilingual concept lexicon (YAML); empty for the kit's own "
             "analysis/narratives/data/concepts.yaml", "empty or an existing .yaml file"),
        Spec("codes", str, "", "a coded sample of sentences (python -m analysis sample, coded by hand; its .key.csv "
             "beside it): page 03 shows each frame's precision and recall per language measured on it",
             "empty or an existing .csv file"),
        Spec("gazetteer", str, "", "actor gazetteer (YAML); empty for the kit's own analysis/data/gazetteer.yaml",
             "empty or an existing .yaml file"),
        Spec("include_code", bool, False, "show code cells in the HTML", "true or false"),
        Spec("stopwords", str, "", "file of stopwords (one per line) that replaces the kit's list; empty "
             "for the kit's list", "empty or an existing text file"),
        Spec("extra_stopwords", str, "", "comma-separated words added to the stopword list", "comma-separated words"),
        Spec("backend", str, "local", "where counting runs: 'local', 'processes' (one process per core), 'dask' "
             "(a local Dask cluster) or a Dask scheduler address such as tcp://host:8786",
             "local, processes, dask, or tcp://HOST:PORT"),
        Spec("seed", int, 0, "random seed of the bootstrap", "an integer >= 0"),
        Spec("output_dir", str, "", "folder of the report (tables are written there); empty when exploring",
             "a folder path or empty"),
        Spec("boilerplate", str, "auto", "leave out lines and paragraphs repeated across many documents of a source "
             "(navigation, footers, translation notices, legal disclaimers) and duplicate documents; 'off' analyses "
             "the texts as they are", "auto, off"),
        Spec("explorer_text", str, "snippets", "what the explorer page (06_explorer) embeds of the documents: "
             "'snippets' (lines in context) or 'none' (counts, document ids and dates only, for corpora that "
             "cannot be shared)", "snippets, none"),
        Spec("period", str, "auto", "the periods of page 07 (change over time): 'auto' (months under two years "
             "of dates, quarters under eight, else years), 'month', 'quarter' or 'year'", "auto, month, quarter, year"),
        Spec("labels", str, "auto", "language of entity labels in the tables and pages: 'auto' (the corpus's "
             "majority language), 'en' or 'fr'", "auto, en, fr"),
        Spec("evidence_cap", int, 200, "evidence sentences kept per frame, group and language "
             "(tables/frame_sentences.csv); the counts behind the frame shares are never capped",
             "an integer from 1 to 1000000"),
        Spec("full_tables", bool, False, "keep every evidence sentence (no evidence_cap)", "true or false"),
        Spec("analysis_dir", str, "", "the stored analysis a report's notebooks read (set by the report command; "
             "empty: the notebook computes or opens the analysis itself)", "a folder path or empty"),
    )
}

DEFAULTS: dict[str, Any] = {name: spec.default for name, spec in SPECS.items()}


def convert(name: str, value: Any) -> Any:
    """Convert one raw value (a string from the command line, or a Python value) to the parameter's type."""
    if name not in SPECS:
        raise ParameterError(name, "unknown parameter", ", ".join(SPECS))
    spec = SPECS[name]
    if spec.type is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "yes", "1", "on"):
            return True
        if isinstance(value, str) and value.strip().lower() in ("false", "no", "0", "off", ""):
            return False
        raise ParameterError(name, f"expected true or false, got {value!r}", spec.allowed)
    if spec.type is int:
        if isinstance(value, bool):
            raise ParameterError(name, f"expected an integer, got {value!r}", spec.allowed)
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str):
            try:
                return int(value.strip())
            except ValueError:
                pass
        raise ParameterError(name, f"expected an integer, got {value!r}", spec.allowed)
    if value is None:
        return ""
    if not isinstance(value, (str, Path)):
        raise ParameterError(name, f"expected text, got {type(value).__name__} {value!r}", spec.allowed)
    if name in GROUP_PARAMS or name == "subgroup_col":
        # compared with corpus metadata, which the loader strips and normalizes to NFC
        return unicodedata.normalize("NFC", str(value).strip())
    return str(value)


def check_values(params: dict[str, Any]) -> dict[str, Any]:
    """Check ranges and files of converted parameters (group values are checked against the corpus in
    :func:`check_groups`). Returns ``params`` unchanged when all is well."""
    if not 1 <= params["top_n"] <= 1000:
        raise ParameterError("top_n", f"must be between 1 and 1000, got {params['top_n']}", SPECS["top_n"].allowed)
    if params["min_count"] < 1:
        raise ParameterError("min_count", f"must be at least 1, got {params['min_count']}",
                             SPECS["min_count"].allowed)
    if not 1 <= params["evidence_cap"] <= 1_000_000:
        raise ParameterError("evidence_cap", f"must be between 1 and 1000000, got {params['evidence_cap']}",
                             SPECS["evidence_cap"].allowed)
    if params["seed"] < 0:
        raise ParameterError("seed", f"must be >= 0, got {params['seed']}", SPECS["seed"].allowed)
    if params["boilerplate"] not in ("auto", "off"):
        raise ParameterError("boilerplate", f"unknown value {params['boilerplate']!r}", SPECS["boilerplate"].allowed)
    if params["explorer_text"] not in ("snippets", "none"):
        raise ParameterError("explorer_text", f"unknown value {params['explorer_text']!r}",
                             SPECS["explorer_text"].allowed)
    if params["period"] not in ("auto", "month", "quarter", "year"):
        raise ParameterError("period", f"unknown period {params['period']!r}", SPECS["period"].allowed)
    if params["labels"] not in LANGUAGES:
        raise ParameterError("labels", f"unknown value {params['labels']!r}", SPECS["labels"].allowed)
    if params["language"] not in LANGUAGES:
        raise ParameterError("language", f"unknown language {params['language']!r}", ", ".join(LANGUAGES))
    backend = params["backend"]
    if backend not in ("local", "processes", "dask") and not backend.startswith(("tcp://", "tls://", "ws://", "wss://")):
        raise ParameterError("backend", f"unknown backend {backend!r}", SPECS["backend"].allowed)
    for name in ("group_col", "group_a", "group_b"):
        if not params[name].strip():
            raise ParameterError(name, "must not be empty", SPECS[name].allowed)
    if params["group_a"] == params["group_b"]:
        raise ParameterError("group_b", f"compares {params['group_a']!r} with itself",
                             SPECS["group_b"].allowed)
    if params["group_a"] == REST:
        raise ParameterError("group_a", "'rest' may only be used as group_b", SPECS["group_a"].allowed)
    if not Path(params["corpus"]).exists():
        raise ParameterError("corpus", f"no such file or folder: {params['corpus']}", SPECS["corpus"].allowed)
    for name in ("lexicon", "concepts", "gazetteer", "stopwords", "codes"):
        if params[name] and not Path(params[name]).is_file():
            raise ParameterError(name, f"no such file: {params[name]}", SPECS[name].allowed)
    return params


def validate(params: dict[str, Any] | None = None, **overrides: Any) -> dict[str, Any]:
    """Complete ``params`` with defaults, convert and check them; raise ParameterError on the first fault."""
    raw = dict(params or {})
    raw.update(overrides)
    unknown = [k for k in raw if k not in SPECS]
    if unknown:
        raise ParameterError(unknown[0], "unknown parameter", ", ".join(SPECS))
    out = dict(DEFAULTS)
    for name, value in raw.items():
        out[name] = convert(name, value)
    return check_values(out)


def check_groups(params: dict[str, Any], docs) -> None:
    """Refuse group parameters that the corpus cannot satisfy (missing column, absent or empty group)."""
    col = params["group_col"]
    if col not in docs.columns:
        cols = ", ".join(c for c in docs.columns if c != "text")
        raise ParameterError("group_col", f"the corpus has no column {col!r}", cols)
    sub = params.get("subgroup_col", "")
    if sub and sub not in docs.columns:
        cols = ", ".join(c for c in docs.columns if c not in ("text", col))
        raise ParameterError("subgroup_col", f"the corpus has no column {sub!r}", cols)
    if sub and sub == col:
        raise ParameterError("subgroup_col", f"is group_col ({col!r}) itself: subgroups must come from another "
                             "column", SPECS["subgroup_col"].allowed)
    values = sorted(str(v) for v in docs[col].dropna().unique())
    listing = ", ".join(values) + (f", or {REST!r} for group_b" if len(values) > 1 else "")
    if params["group_a"] not in values:
        raise ParameterError("group_a", f"no document has {col} = {params['group_a']!r}", listing)
    if params["group_b"] == REST:
        if len(values) < 2:
            raise ParameterError("group_b", f"'rest' is empty: every document has {col} = {params['group_a']!r}",
                                 listing)
    elif params["group_b"] not in values:
        raise ParameterError("group_b", f"no document has {col} = {params['group_b']!r}", listing)


def pick(namespace: dict[str, Any]) -> dict[str, Any]:
    """The report parameters found in ``namespace`` (a notebook's ``globals()``): what a notebook passes on to
    :func:`analysis.pipeline.analyze`, so that its parameters cell is the only place that lists them."""
    return {name: namespace[name] for name in SPECS if name in namespace}
