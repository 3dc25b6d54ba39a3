"""Language mix of the sides and the rule that says when word keyness across them is a finding."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis.errors import ComparisonError, ParameterError
from analysis.stats.languages import (MAX_SHARE_GAP, dominant_language, keyness_across_languages, language_mix,
                                      language_tokens, mix_of)
from tests.conftest import require_shared


def _tokens(rows):
    return pd.DataFrame(rows, columns=["doc_id", "group", "language", "n_tokens"])


def test_language_tokens_counts_words_not_punctuation():
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "group": ["us", "fr", "fr"], "language": ["en", "fr", ""],
                         "text": ["The cat sat, quietly.", "Le chat, l'an dernier.", "Les policiers et le trafic."]})
    t = language_tokens(docs)
    assert t.to_dict("list") == {"doc_id": ["a", "b", "c"], "group": ["us", "fr", "fr"],
                                 "language": ["en", "fr", "fr"], "n_tokens": [4, 5, 5]}


def test_language_mix_shares_by_hand():
    t = _tokens([("a", "A", "en", 300), ("b", "A", "fr", 100), ("c", "B", "fr", 50), ("d", "C", "en", 50)])
    mix = language_mix(t)
    assert mix_of(mix, "A") == {"en": 0.75, "fr": 0.25}
    assert mix.loc[(mix["group"] == "A") & (mix["language"] == "en"), "n_docs"].item() == 1
    rest = language_mix(t, "A", "rest")
    assert mix_of(rest, "rest") == {"en": 0.5, "fr": 0.5}
    assert set(language_mix(t, "A", "B")["group"]) == {"A", "B"}
    with pytest.raises(ComparisonError):
        language_mix(t, "A", "Z")
    with pytest.raises(ParameterError):
        language_mix(t.drop(columns="n_tokens"))


@pytest.mark.parametrize("mix_a, mix_b, comparable, fragment", [
    ({"en": 1.0}, {"fr": 1.0}, False, "different languages"),
    ({"en": 0.6, "fr": 0.4}, {"fr": 0.6, "en": 0.4}, False, "different languages"),
    ({"en": 0.95, "fr": 0.05}, {"en": 0.80, "fr": 0.20}, False, "differs by 15% points"),
    ({"en": 0.95, "fr": 0.05}, {"en": 0.86, "fr": 0.14}, True, "comparable"),
    ({"fr": 1.0}, {"fr": 1.0}, True, "comparable"),
    ({"fr": 1.0}, {"fr": 0.9, "en": 0.1}, True, "comparable"),  # exactly 10 points: not more than the limit
])
def test_the_rule(mix_a, mix_b, comparable, fragment):
    ok, reason = keyness_across_languages(mix_a, mix_b)
    assert ok is comparable and fragment in reason
    assert MAX_SHARE_GAP == 0.10


def test_reason_names_the_mixes_and_ties():
    ok, reason = keyness_across_languages({"en": 1.0}, {"fr": 1.0})
    assert reason.startswith("side A is 100% English, side B 100% French")
    assert dominant_language({"fr": 0.5, "en": 0.5}) == "en"
    with pytest.raises(ComparisonError):
        keyness_across_languages({}, {"fr": 1.0})


def test_shared_doj_drug_releases_against_french_drug_articles(tmp_path):
    from analysis.corpus import load_corpus

    doj = require_shared("corpora", "us-doj-press-releases-2009-2018", "documents.jsonl")
    fr = require_shared("corpora", "fr-press-drug-articles-orangesum", "documents.jsonl")
    spec = tmp_path / "spec.yaml"
    spec.write_text(f"sources:\n  - {{path: {doj}, group: us_doj, where: {{mentions_drugs: true}}}}\n"
                    f"  - {{path: {fr}, group: fr_press}}\n", encoding="utf-8")
    docs = load_corpus(spec)
    mix = language_mix(language_tokens(docs), "us_doj", "fr_press")
    assert mix_of(mix, "us_doj") == {"en": 1.0} and mix_of(mix, "fr_press") == {"fr": 1.0}
    ok, reason = keyness_across_languages(mix_of(mix, "us_doj"), mix_of(mix, "fr_press"))
    assert not ok and "different languages" in reason
