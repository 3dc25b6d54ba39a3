"""Report parameters: names, conversion of command-line strings, checks against the corpus, and which of
them change the cached analysis."""
from __future__ import annotations

import pytest

from analysis.pipeline import params as P
from analysis.pipeline import compute as pipeline
from analysis.errors import ParameterError
from analysis.report.build import resolve_notebooks

from conftest import SEEDS

STANDARD = {"corpus", "group_col", "group_a", "group_b", "language", "top_n", "min_count", "lexicon", "gazetteer",
            "include_code"}


def test_the_standard_names_exist_with_their_documented_defaults():
    assert STANDARD <= set(P.SPECS)
    d = P.DEFAULTS
    assert (d["group_col"], d["group_a"], d["group_b"], d["language"]) == ("group", "us_federal", "fr_policing", "auto")
    assert d["top_n"] > 0 and d["min_count"] >= 1 and d["include_code"] is False


@pytest.mark.parametrize("name, raw, value", [
    ("top_n", "30", 30), ("top_n", " 7 ", 7), ("min_count", "1", 1), ("seed", "42", 42),
    ("include_code", "true", True), ("include_code", "False", False), ("include_code", "yes", True),
    ("include_code", "0", False), ("language", "fr", "fr"), ("group_b", "rest", "rest"),
])
def test_command_line_strings_are_converted(name, raw, value):
    p = P.validate({"corpus": str(SEEDS), name: raw})
    assert p[name] == value and type(p[name]) is type(value)


@pytest.mark.parametrize("raw, name, words", [
    ({"top_n": "ten"}, "top_n", ["integer"]),
    ({"top_n": "0"}, "top_n", ["between 1 and 1000"]),
    ({"include_code": "maybe"}, "include_code", ["true or false"]),
    ({"language": "de"}, "language", ["auto, fr, en"]),
    ({"colour": "blue"}, "colour", ["unknown parameter", "group_col"]),
])
def test_bad_values_name_the_parameter_and_the_allowed_values(raw, name, words):
    with pytest.raises(ParameterError) as info:
        P.validate({"corpus": str(SEEDS), **raw})
    assert info.value.name == name
    for w in words:
        assert w in str(info.value)


def test_groups_are_checked_against_the_corpus(seed_docs):
    P.check_groups(P.validate({"corpus": str(SEEDS)}), seed_docs)
    P.check_groups(P.validate({"corpus": str(SEEDS), "group_b": "rest"}), seed_docs)
    with pytest.raises(ParameterError) as info:
        P.check_groups(P.validate({"corpus": str(SEEDS), "group_a": "us_fedral"}), seed_docs)
    assert info.value.name == "group_a" and "fr_policing, us_federal" in str(info.value)
    with pytest.raises(ParameterError) as info:
        P.check_groups(P.validate({"corpus": str(SEEDS), "group_col": "outlet"}), seed_docs)
    assert info.value.name == "group_col" and "language" in str(info.value)


def test_analysis_refuses_an_absent_group_before_computing(tmp_path, monkeypatch):
    monkeypatch.setenv(pipeline.CACHE_ENV, str(tmp_path))
    with pytest.raises(ParameterError) as info:
        pipeline.analyze({"corpus": str(SEEDS), "group_b": "fr_police"})
    assert info.value.name == "group_b"
    assert not list(tmp_path.glob("*/analysis.json"))


def test_cache_key_follows_the_parameters_that_change_results(tmp_path):
    base = P.validate({"corpus": str(SEEDS)})
    key = pipeline.cache_key(base)
    assert key == pipeline.cache_key(dict(base))  # stable
    # presentation-only parameters do not change the analysis
    for name, value in (("include_code", True), ("output_dir", "elsewhere"), ("backend", "dask")):
        assert pipeline.cache_key(dict(base, **{name: value})) == key, name
    # parameters that change results do
    for name, value in (("top_n", 5), ("min_count", 1), ("seed", 3), ("group_b", "rest"), ("language", "fr"),
                        ("extra_stopwords", "drogue")):
        assert pipeline.cache_key(dict(base, **{name: value})) != key, name
    # a parameter file counts by its content, not its name
    lex = tmp_path / "frames.yaml"
    lex.write_text("a: [b]\n", encoding="utf-8")
    k1 = pipeline.cache_key(dict(base, lexicon=str(lex)))
    lex.write_text("a: [c]\n", encoding="utf-8")
    assert pipeline.cache_key(dict(base, lexicon=str(lex))) != k1


def test_cache_key_follows_the_corpus_content(tmp_path):
    import shutil

    corpus = tmp_path / "seeds"
    shutil.copytree(SEEDS, corpus)
    p = P.validate({"corpus": str(corpus)})
    key = pipeline.cache_key(p)
    assert key == pipeline.cache_key(P.validate({"corpus": str(SEEDS)})), "same content, other path: same key"
    first = sorted(corpus.glob("*.txt"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\nUne phrase de plus.\n", encoding="utf-8")
    assert pipeline.cache_key(p) != key


@pytest.mark.parametrize("only, expected", [
    (None, ["01_corpus_overview", "02_vocabulary_keyness", "03_frames", "04_actors_claims_voices", "05_comparison",
             "06_explorer", "07_over_time", "08_groups"]),
    ("03", ["03_frames"]), ("05_comparison", ["05_comparison"]), ("frames", ["03_frames"]),
    (["05", "01_corpus_overview.ipynb"], ["01_corpus_overview", "05_comparison"]),
])
def test_only_selects_notebooks(only, expected):
    assert resolve_notebooks(only) == expected


@pytest.mark.parametrize("only", ["09", "0", "nothing"])
def test_only_refuses_unknown_or_ambiguous_names(only):
    with pytest.raises(ParameterError) as info:
        resolve_notebooks(only)
    assert info.value.name == "only" and "01_corpus_overview" in str(info.value)
