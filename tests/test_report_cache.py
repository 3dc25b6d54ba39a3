"""The analysis cache: computed once, then reused; keyed by content; safe to delete; never trusted when
corrupt; its folder chosen by NARRATIVES_CACHE_DIR or .cache/analysis under the current folder."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis.pipeline import compute as pipeline

from conftest import SEEDS


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(pipeline.CACHE_ENV, str(folder))
    return folder


def test_second_call_comes_from_the_cache_with_identical_tables(cache):
    first = pipeline.analyze({"corpus": str(SEEDS)})
    assert not first.from_cache
    entries = list(cache.glob("*.pkl"))
    assert [e.stem for e in entries] == [first.key]
    second = pipeline.analyze({"corpus": str(SEEDS)})
    assert second.from_cache and second.key == first.key
    for name in pipeline.TABLES:
        a, b = getattr(first, name), getattr(second, name)
        assert (a is None) == (b is None), name
        if a is not None:
            pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_presentation_parameters_reuse_the_same_analysis(cache):
    first = pipeline.analyze({"corpus": str(SEEDS)})
    again = pipeline.analyze({"corpus": str(SEEDS), "include_code": "true", "output_dir": "x"})
    assert again.from_cache and again.key == first.key
    assert again.params["include_code"] is True


def test_a_corrupt_entry_is_recomputed(cache):
    first = pipeline.analyze({"corpus": str(SEEDS)})
    path = cache / f"{first.key}.pkl"
    path.write_bytes(b"not a pickle")
    again = pipeline.analyze({"corpus": str(SEEDS)})
    assert not again.from_cache
    assert path.stat().st_size > 1000


def test_deleting_the_cache_is_safe(cache):
    import shutil

    pipeline.analyze({"corpus": str(SEEDS)})
    shutil.rmtree(cache)
    assert not pipeline.analyze({"corpus": str(SEEDS)}).from_cache
    assert list(cache.glob("*.pkl"))


def test_default_folder_is_under_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.delenv(pipeline.CACHE_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    assert pipeline.cache_dir() == pipeline.DEFAULT_CACHE
    result = pipeline.analyze({"corpus": str(SEEDS)})
    assert (tmp_path / ".cache" / "analysis" / f"{result.key}.pkl").is_file()


def test_old_entries_are_pruned(cache):
    cache.mkdir(parents=True)
    for i in range(pipeline.CACHE_KEEP + 5):
        (cache / f"{i:064x}.pkl").write_bytes(b"old")
    pipeline.analyze({"corpus": str(SEEDS)})
    assert len(list(cache.glob("*.pkl"))) == pipeline.CACHE_KEEP


def test_documents_table_and_comparison_sides(cache):
    result = pipeline.analyze({"corpus": str(SEEDS), "group_b": "rest"})
    docs = result.documents
    assert set(docs["group"]) == {"us_federal", "rest"} and len(docs) == 5
    assert "text" not in docs.columns and "path" not in docs.columns
    assert (docs["n_sentences"] > 0).all() and (docs["n_chars"] > 0).all()
    assert result["documents"] is docs and set(result) == set(pipeline.TABLES)
