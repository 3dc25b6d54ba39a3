"""The Dask path (analysis.distributed) gives exactly the tables of the single-process path.

One LocalCluster of two single-threaded worker processes serves every test of the module; the corpus is cut
into several batches so that merging really happens (partial tables of different batches overlap in groups
and terms).
"""
from __future__ import annotations

import itertools

import pytest
from pandas.testing import assert_frame_equal

from conftest import SEEDS, require_shared

import distributed  # noqa: E402

from analysis.stats import counts  # noqa: E402
from analysis.stats import keyness as keyness_mod  # noqa: E402

from analysis.pipeline import backends as D  # noqa: E402
from analysis.corpus import iter_documents  # noqa: E402
from analysis.errors import ParameterError  # noqa: E402

EN = ("corpora", "us-prosecutor-press-releases", "documents.jsonl")


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as c:
        yield c


def _local(records, **kw):
    return counts.count_documents(records, **kw)


def test_seeds_identical_on_two_workers(client):
    records = list(iter_documents(SEEDS))
    local = _local(records, group_col="group", language="auto")
    # one document per batch: every term is merged across batches
    dask = D.count_documents_dask(SEEDS, client, group_col="group", language="auto", batch_size=1)
    assert len(local) > 100
    assert_frame_equal(dask, local, check_exact=True)
    # keyness on the merged table equals keyness on the local table
    assert_frame_equal(keyness_mod.keyness(dask, "us_federal", "fr_policing", min_count=1),
                       keyness_mod.keyness(local, "us_federal", "fr_policing", min_count=1), check_exact=True)


def test_seed_bigrams_identical(client):
    records = list(iter_documents(SEEDS))
    local = _local(records, group_col="group", language="auto", ngram=2)
    dask = D.count_documents_dask(records, client, group_col="group", language="auto", ngram=2, partitions=3)
    assert_frame_equal(dask, local, check_exact=True)


def test_shared_english_sample_identical(client):
    path = require_shared(*EN)
    # 500 documents spread over the file (it is sorted by county): several groups in every batch
    records = list(itertools.islice((r for i, r in enumerate(iter_documents(path)) if i % 17 == 0), 500))
    assert len({r["group"] for r in records}) >= 5
    local = _local(records, group_col="group", language="en")
    dask = D.count_documents_dask(records, client, group_col="group", language="en", partitions=7)
    assert_frame_equal(dask, local, check_exact=True)
    freqs, table = D.keyness_for_backend(records, "kings_ny", "orange_ca", backend=client, language="en")
    assert_frame_equal(freqs, local, check_exact=True)
    assert_frame_equal(table, keyness_mod.keyness(local, "kings_ny", "orange_ca"), check_exact=True)
    assert len(table) > 50


def test_counts_for_backend_local_is_count_documents():
    records = list(iter_documents(SEEDS))
    assert_frame_equal(D.counts_for_backend(records, "local"), _local(records, group_col="group"),
                       check_exact=True)


def test_merge_is_order_independent_and_catches_a_lost_batch(client):
    records = list(iter_documents(SEEDS))
    parts = [D._count_batch([r], "group", "auto", 1, {}) for r in records]
    forward = D.merge_partials(parts)
    assert_frame_equal(forward, D.merge_partials(parts[::-1]), check_exact=True)
    # a merge that lost a batch would not pass for the whole: the identity tests can fail
    with pytest.raises(AssertionError):
        assert_frame_equal(D.merge_partials(parts[1:]), forward)


def test_unknown_backend_and_unreachable_scheduler(monkeypatch):
    monkeypatch.setattr(D, "CONNECT_TIMEOUT", "1s")
    with pytest.raises(ParameterError, match="backend"):
        D.counts_for_backend(list(iter_documents(SEEDS)), "spark")
    with pytest.raises(ParameterError, match="cannot reach"):
        D.counts_for_backend(list(iter_documents(SEEDS)), "tcp://127.0.0.1:1")


@pytest.mark.parametrize("extra", ["", "fentanyl,snapchat"])
def test_report_backend_parameter_gives_the_local_tables(client, extra):
    """The report parameter ``backend`` (here the address of the test's cluster) changes where counting runs,
    not one cell of the frequency and keyness tables the reports show."""
    from analysis.pipeline import compute as pipeline

    address = client.scheduler.address
    base = {"corpus": str(SEEDS), "extra_stopwords": extra}
    local = pipeline.analyze(base, use_cache=False)
    remote = pipeline.analyze({**base, "backend": address}, use_cache=False)
    for name in ("frequencies", "frequencies_bigrams", "keyness", "keyness_bigrams"):
        assert_frame_equal(local[name].reset_index(drop=True), remote[name].reset_index(drop=True),
                           check_exact=True)
    if extra:
        assert "fentanyl" not in set(remote["keyness"]["term"])


@pytest.mark.parametrize("ngram", [1, 2])
def test_local_processes_give_the_single_process_table(ngram):
    """backend "processes": batches counted in a pool of local processes, merged in batch order."""
    records = list(iter_documents(SEEDS))
    expected = _local(records, ngram=ngram)
    got = D.count_documents_processes(records, jobs=2, ngram=ngram, batch_size=2)
    assert_frame_equal(expected, got, check_exact=True)


def test_local_processes_on_the_shared_english_sample():
    path = require_shared(*EN)
    records = list(itertools.islice(iter_documents(path), 600))
    assert_frame_equal(_local(records), D.count_documents_processes(records, jobs=2, batch_size=50),
                       check_exact=True)
    assert_frame_equal(_local(records), D.counts_for_backend(records, "processes"), check_exact=True)


def _whole_analysis(params: dict, backend: str, monkeypatch, batch_size: int):
    from analysis.pipeline import compute as pipeline

    monkeypatch.setattr(pipeline, "BATCH_SIZE", batch_size)
    return pipeline.analyze({**params, "backend": backend}, use_cache=False)


def _assert_same_analysis(local, other):
    from analysis.pipeline import compute as pipeline

    for name in pipeline.TABLES:
        a, b = local[name], other[name]
        assert (a is None) == (b is None), name
        if a is not None:
            assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), check_exact=True, obj=name)
    assert local.excluded_documents == other.excluded_documents
    assert local.language_comparison == other.language_comparison


@pytest.mark.parametrize("backend", ["processes", "dask"])
def test_the_whole_analysis_is_identical_on_every_backend(client, backend, monkeypatch):
    """Every table of the analysis (counts, keyness, collocations, concordance, entities, claims, quotes,
    frames and their capped evidence, and page 08's tables of every group and subgroup), cut into batches of 2
    documents, on a process pool and on a two-worker Dask cluster, equals the single-process analysis."""
    target = client.scheduler.address if backend == "dask" else backend
    params = {"corpus": str(SEEDS), "group_b": "rest", "evidence_cap": 3, "subgroup_col": "source"}
    local = _whole_analysis(params, "local", monkeypatch, 1000)
    _assert_same_analysis(local, _whole_analysis(params, target, monkeypatch, 2))


def test_the_whole_analysis_is_identical_on_a_shared_sample(client, monkeypatch, tmp_path):
    """The same on 200 real press releases in batches of 25 documents: two counties compared, a third one
    outside the comparison (counted on page 08 only)."""
    import json

    path = require_shared(*EN)
    keep = {"kings_ny": 80, "orange_ca": 80, "san_diego_ca": 40}
    sample = []
    for rec in iter_documents(path):
        if rec["group"] in keep and sum(r["group"] == rec["group"] for r in sample) < keep[rec["group"]]:
            sample.append(rec)
        if len(sample) >= sum(keep.values()):
            break
    corpus = tmp_path / "sample.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in sample), encoding="utf-8")
    params = {"corpus": str(corpus), "group_a": "kings_ny", "group_b": "orange_ca", "evidence_cap": 10}
    local = _whole_analysis(params, "local", monkeypatch, 1000)
    _assert_same_analysis(local, _whole_analysis(params, client.scheduler.address, monkeypatch, 25))
    _assert_same_analysis(local, _whole_analysis(params, "processes", monkeypatch, 25))


@pytest.mark.parametrize("backend", ["processes", "dask"])
def test_concepts_and_key_terms_by_period_are_identical_on_every_backend(client, backend, monkeypatch, tmp_path):
    """Concepts and key terms by period (per-document concept hits merged from the batches, the second pass's
    counts per period) on a dated corpus of two sides over three years, cut into batches of 2 documents."""
    import json

    words = ["fentanyl seized", "cartel money", "court sentence prison", "encrypted phones"]
    rows = [{"doc_id": f"d{i:02d}", "group": "a" if i % 3 else "b", "date": f"{2019 + i % 3}-0{1 + i % 9}-15",
             "language": "en",
             "text": f"Release {i}. Agents {words[i % 3]} in the case, and {words[(i // 3) % 4]} again. "
                     f"The {words[i % 3]} case was closed in year {2019 + i % 3}."} for i in range(24)]
    corpus = tmp_path / "dated.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    params = {"corpus": str(corpus), "group_a": "a", "group_b": "b", "period": "year", "boilerplate": "off"}
    target = client.scheduler.address if backend == "dask" else backend
    local = _whole_analysis(params, "local", monkeypatch, 1000)
    assert len(local["concepts_by_period"]) > 10 and len(local["key_terms_by_period"]) > 3
    _assert_same_analysis(local, _whole_analysis(params, target, monkeypatch, 2))
