"""The analysis cache: computed once, then reused; keyed by content; safe to delete; never trusted when
corrupt; its folder chosen by NARRATIVES_CACHE_DIR or .cache/analysis under the current folder."""
from __future__ import annotations

import os

import pandas as pd
import pytest

from analysis.pipeline import compute as pipeline
from analysis.pipeline import store

from conftest import SEEDS


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(pipeline.CACHE_ENV, str(folder))
    return folder


def entries(cache):
    return sorted(d.name for d in cache.iterdir() if (d / "analysis.json").is_file()) if cache.is_dir() else []


def test_second_call_comes_from_the_cache_with_identical_tables(cache):
    first = pipeline.analyze({"corpus": str(SEEDS)})
    assert not first.from_cache
    assert entries(cache) == [first.key]
    assert {f.stem for f in (cache / first.key / "tables").glob("*.parquet")} <= {*pipeline.TABLES, "findings_table"}
    second = pipeline.analyze({"corpus": str(SEEDS)})
    assert second.from_cache and second.key == first.key
    for name in pipeline.TABLES:
        a, b = getattr(first, name), getattr(second, name)
        assert (a is None) == (b is None), name
        if a is not None:
            pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_a_stored_analysis_reads_only_the_tables_used(cache):
    pipeline.analyze({"corpus": str(SEEDS)})
    again = pipeline.analyze({"corpus": str(SEEDS)})
    assert again.from_cache and not again._tables  # nothing read yet
    again.keyness
    assert set(again._tables) == {"keyness"}


def test_a_report_notebook_opens_the_analysis_it_is_given(cache):
    first = pipeline.analyze({"corpus": str(SEEDS)})
    opened = pipeline.analyze({"corpus": str(SEEDS), "analysis_dir": str(cache / first.key)})
    assert opened.from_cache and opened.key == first.key
    pd.testing.assert_frame_equal(opened.claims, first.claims)


def test_presentation_parameters_reuse_the_same_analysis(cache):
    first = pipeline.analyze({"corpus": str(SEEDS)})
    again = pipeline.analyze({"corpus": str(SEEDS), "include_code": "true", "output_dir": "x"})
    assert again.from_cache and again.key == first.key
    assert again.params["include_code"] is True


@pytest.mark.parametrize("damage", ["meta", "table"])
def test_a_corrupt_entry_is_recomputed(cache, damage):
    first = pipeline.analyze({"corpus": str(SEEDS)})
    entry = cache / first.key
    if damage == "meta":
        (entry / "analysis.json").write_text("not json")
    else:
        (entry / "tables" / "keyness.parquet").unlink()
    again = pipeline.analyze({"corpus": str(SEEDS)})
    assert not again.from_cache
    assert (entry / "tables" / "keyness.parquet").stat().st_size > 1000


def test_deleting_the_cache_is_safe(cache):
    import shutil

    pipeline.analyze({"corpus": str(SEEDS)})
    shutil.rmtree(cache)
    assert not pipeline.analyze({"corpus": str(SEEDS)}).from_cache
    assert entries(cache)


def test_default_folder_is_under_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.delenv(pipeline.CACHE_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    assert pipeline.cache_dir() == pipeline.DEFAULT_CACHE
    result = pipeline.analyze({"corpus": str(SEEDS)})
    assert (tmp_path / ".cache" / "analysis" / result.key / "analysis.json").is_file()


def _fake_entry(cache, i: int, size: int = 10) -> None:
    d = cache / f"{i:064x}"
    (d / "tables").mkdir(parents=True)
    (d / "tables" / "x.parquet").write_bytes(b"x" * size)
    (d / "analysis.json").write_text('{"tables": ["x"]}')
    os.utime(d / "analysis.json", (1_000_000 + i, 1_000_000 + i))


def test_old_entries_are_pruned_by_number(cache):
    for i in range(store.CACHE_KEEP + 5):
        _fake_entry(cache, i)
    (cache / ("f" * 64 + ".pkl")).write_bytes(b"an entry of the former pickle cache")
    result = pipeline.analyze({"corpus": str(SEEDS)})
    kept = entries(cache)
    assert len(kept) == store.CACHE_KEEP and result.key in kept
    assert f"{0:064x}" not in kept and f"{store.CACHE_KEEP + 4:064x}" in kept  # the least recently used went
    assert not list(cache.glob("*.pkl"))


def test_old_entries_are_pruned_by_size(cache, monkeypatch):
    monkeypatch.setattr(store, "CACHE_MAX_BYTES", 250_000)
    for i in range(3):
        _fake_entry(cache, i, size=100_000)
    result = pipeline.analyze({"corpus": str(SEEDS)})
    kept = entries(cache)
    assert result.key in kept
    total = sum(f.stat().st_size for f in cache.rglob("*") if f.is_file())
    assert total <= 250_000 or kept == [result.key]
    assert f"{0:064x}" not in kept


def test_documents_table_and_comparison_sides(cache):
    result = pipeline.analyze({"corpus": str(SEEDS), "group_b": "rest"})
    docs = result.documents
    assert set(docs["group"]) == {"us_federal", "rest"} and len(docs) == 5
    assert "text" not in docs.columns and "path" not in docs.columns
    assert (docs["n_sentences"] > 0).all() and (docs["n_chars"] > 0).all()
    assert result["documents"] is docs and set(result) == set(pipeline.TABLES)
