"""Coverage of the concept and frame lexicons: per-document counts, merging, gaps, and the shared corpora."""
from __future__ import annotations

import itertools
import json
import time

import pandas as pd
import pytest

from analysis.errors import ParameterError
from analysis.narratives.concepts import concept_lexicon, scan
from analysis.narratives.frames import frame_matches, frame_rules
from analysis.stats.coverage import (COVERAGE_COLUMNS, GAP_COLUMNS, UNCOVERED_COLUMNS, Coverage, coverage_gap,
                                     coverage_in, coverage_table, merge, uncovered_table)
from analysis.text.parse import parse_document
from tests.conftest import require_shared

CONTENT = [(0, 0, 5, "agent"), (0, 6, 12, "seize"), (0, 13, 20, "cocaine"), (1, 30, 35, "judge"),
           (1, 36, 40, "rule"), (2, 50, 55, "rain")]


def test_one_document_by_hand():
    concept_hits = [{"sentence_id": 0, "start": 6, "end": 20}, (1, 30, 35)]  # rows or tuples
    frame_hits = [(0, 6, 12)]
    cov = coverage_in("us", "en", 3, CONTENT, concept_hits, frame_hits)
    t = coverage_table(cov)
    assert list(t.columns) == COVERAGE_COLUMNS
    row = t.iloc[0]
    assert (row["n_docs"], row["sentences"], row["sentences_concept"], row["sentences_frame"]) == (1, 3, 2, 1)
    assert (row["content_tokens"], row["content_concept"], row["content_frame"]) == (6, 3, 1)
    assert row["share_content_concept"] == pytest.approx(0.5)
    assert row["share_sentences_frame"] == pytest.approx(1 / 3)
    assert cov.uncovered[("us", "en")] == {"agent": 1, "rule": 1, "rain": 1}


def test_a_token_half_inside_a_hit_is_not_covered():
    cov = coverage_in("g", "fr", 1, [(0, 0, 6, "saisie")], [(0, 0, 3)])
    assert coverage_table(cov).iloc[0]["content_concept"] == 0


def test_no_hits_and_no_sentences():
    t = coverage_table(coverage_in("g", "fr", 0, []))
    assert t.iloc[0][["share_content_concept", "share_sentences_concept"]].tolist() == [0.0, 0.0]


def corpus_docs():
    rows = [("a1", "us", "en", "Agents seized cocaine in Texas. The judge ruled on Monday."),
            ("a2", "us", "en", "Police arrested a dealer. It rained."),
            ("a3", "us", "en", "The court ordered the defendant to pay."),
            ("b1", "fr", "fr", "Les policiers ont saisi de la cocaïne. Il pleut sur Lyon."),
            ("b2", "fr", "fr", "Une saisie record de cannabis sur les réseaux sociaux."),
            ("b3", "fr", "fr", "Le ciel est bleu.")]
    return [parse_document(doc_id, group, text, language) for doc_id, group, language, text in rows]


def per_document(docs) -> list[Coverage]:
    lex, frames = concept_lexicon(), frame_rules()
    out = []
    for d in docs:
        found = scan(d, lex)
        out.append(coverage_in(d.group, found.language, found.n_sentences, found.content, found.rows,
                               frame_matches(d, frames, found.rows)))
    return out


def test_merged_partials_equal_the_whole_corpus():
    parts = per_document(corpus_docs())
    whole = merge(parts)
    for split in (2, 3, 5):  # batches of different sizes, merged in order
        batches = [merge(parts[i:i + split]) for i in range(0, len(parts), split)]
        merged = merge(batches)
        pd.testing.assert_frame_equal(coverage_table(merged), coverage_table(whole))
        pd.testing.assert_frame_equal(uncovered_table(merged), uncovered_table(whole))
    reordered = merge(reversed(parts))  # addition does not depend on the order
    pd.testing.assert_frame_equal(coverage_table(reordered), coverage_table(whole))
    t = coverage_table(whole).set_index("group")
    assert t.loc["us", "n_docs"] == 3 and t.loc["fr", "sentences"] == 4
    assert 0 < t.loc["fr", "share_content_concept"] < 1


def test_partials_are_not_changed_by_merging():
    a, b = per_document(corpus_docs()[:2])
    before = coverage_table(a)
    _ = a + b
    pd.testing.assert_frame_equal(coverage_table(a), before)


def test_uncovered_words_ranked():
    cov = merge(per_document(corpus_docs()))
    u = uncovered_table(cov, top_n=2)
    assert list(u.columns) == UNCOVERED_COLUMNS
    assert u.groupby("group").size().max() == 2
    fr = uncovered_table(cov, top_n=50)
    fr = fr[fr["group"] == "fr"]
    assert "saisir" not in set(fr["word"]) and "ciel" in set(fr["word"])  # covered vs missed
    assert fr["count"].is_monotonic_decreasing
    with pytest.raises(ParameterError, match="top_n"):
        uncovered_table(cov, top_n=0)


def table(a: float, b: float) -> pd.DataFrame:
    rows = [coverage_in("A", "en", 10, [(0, i, i + 1, "w") for i in range(100)], [(0, 0, int(a * 100))]),
            coverage_in("B", "fr", 10, [(0, i, i + 1, "w") for i in range(100)], [(0, 0, int(b * 100))])]
    return coverage_table(merge(rows))


@pytest.mark.parametrize("a,b,differs", [(0.30, 0.15, True), (0.30, 0.21, False), (0.30, 0.20, False),
                                         (0.10, 0.25, True)])
def test_gap_beyond_the_margin_is_flagged(a, b, differs):
    gap = coverage_gap(table(a, b), "A", "B").set_index("measure")
    assert list(gap.reset_index().columns) == GAP_COLUMNS
    row = gap.loc["share_content_concept"]
    assert row["diff"] == pytest.approx(a - b) and row["differs"] == differs
    assert bool(row["warning"]) == differs
    if differs:
        assert "A" in row["warning"] and "B" in row["warning"] and "10%" in row["warning"]


def test_gap_against_rest_and_bad_arguments():
    t = table(0.3, 0.1)
    assert coverage_gap(t, "A", "rest").set_index("measure").loc["share_content_concept", "differs"]
    assert not coverage_gap(t, "A", "B", margin=0.25).set_index("measure").loc["share_content_concept", "differs"]
    with pytest.raises(ParameterError, match="margin"):
        coverage_gap(t, "A", "B", margin=10)
    with pytest.raises(ParameterError, match="no coverage"):
        coverage_gap(t, "A", "Z")


# --- the two real corpora of the issue: DOJ drug releases (English) against French drug articles -----------

def sample(path, group: str, every: int, keep=lambda r: True):
    """Every ``every``-th kept document of a JSON Lines corpus, all in ``group``."""
    with open(path, encoding="utf-8") as fh:
        rows = (json.loads(line) for line in fh)
        for r in itertools.islice((r for r in rows if keep(r)), 0, None, every):
            yield parse_document(r["doc_id"], group, r["text"], r.get("language", ""))


def test_english_and_french_coverage_are_within_ten_points():
    start = time.perf_counter()
    doj = require_shared("corpora", "us-doj-press-releases-2009-2018", "documents.jsonl")
    fr = require_shared("corpora", "fr-press-drug-articles-orangesum", "documents.jsonl")
    docs = list(sample(doj, "doj", 8, lambda r: r.get("mentions_drugs"))) + list(sample(fr, "france", 4))
    t = coverage_table(merge(per_document(docs))).set_index("language")
    print("\n" + t.round(3).to_string())
    en, fr_ = t.loc["en"], t.loc["fr"]
    assert en["n_docs"] > 150 and fr_["n_docs"] > 150
    for measure in ("share_content_concept", "share_sentences_concept"):
        assert abs(en[measure] - fr_[measure]) <= 0.10, measure  # the target
    assert min(en["share_content_concept"], fr_["share_content_concept"]) >= 0.20  # high enough to be useful
    assert min(en["share_sentences_concept"], fr_["share_sentences_concept"]) >= 0.75
    gap = coverage_gap(t.reset_index(), "doj", "france").set_index("measure")
    assert not gap.loc["share_content_concept", "differs"]
    assert time.perf_counter() - start < 15
