"""Page 08's overview of every group: key words of each group against the rest of the corpus and of each subgroup
against the rest of its group, checked against counts worked out by hand on a tiny corpus of three groups; frame
shares and kinds of actors per group; the cap on the groups shown; the subgroup_col parameter refused when the
corpus cannot satisfy it."""
from __future__ import annotations

import math
from collections import Counter

import pandas as pd
import pytest

from analysis.errors import ParameterError
from analysis.pipeline import compute as pipeline
from analysis.pipeline import groups as GR
from analysis.pipeline import params as P

from conftest import SEEDS

# x: alpha ×4, beta, gamma (6 tokens, 2 documents); y: beta ×2, gamma (3); z: delta ×2, gamma (3). Inside x,
# agency a1 has "alpha alpha alpha beta" (4 tokens) and a2 "alpha gamma" (2).
TEXTS = [("d1", "x", "a1", "Alpha alpha alpha beta."), ("d2", "x", "a2", "Alpha gamma."),
         ("d3", "y", "b1", "Beta beta gamma."), ("d4", "z", "c1", "Delta delta gamma.")]


def _docs() -> pd.DataFrame:
    return pd.DataFrame([{"doc_id": d, "group": g, "agency": s, "language": "en", "text": t} for d, g, s, t in TEXTS])


def _g2(a: int, b: int, total_a: int, total_b: int) -> float:
    """G² of a 2×2 table written out: 2 Σ O ln(O / E)."""
    n = total_a + total_b
    cells = [(a, (a + b) * total_a / n), (b, (a + b) * total_b / n),
             (total_a - a, (n - a - b) * total_a / n), (total_b - b, (n - a - b) * total_b / n)]
    return 2 * sum(o * math.log(o / e) for o, e in cells if o > 0)


@pytest.fixture(scope="module")
def three():
    with pytest.MonkeyPatch.context() as mp:  # a rest of a few tokens is still the reference of these hand counts
        mp.setattr(GR, "MIN_REST_TOKENS", 1)
        return pipeline.analyze({"corpus": str(SEEDS), "group_a": "x", "group_b": "y", "subgroup_col": "agency",
                                 "min_count": 1, "boilerplate": "off", "language": "en"}, use_cache=False,
                                docs=_docs())


def _row(keyness: pd.DataFrame, level: str, group: str, subgroup: str, term: str) -> pd.Series:
    sub = keyness[(keyness["level"] == level) & (keyness["group"] == group) & (keyness["subgroup"] == subgroup)
                  & (keyness["term"] == term)]
    assert len(sub) == 1, (level, group, subgroup, term)
    return sub.iloc[0]


def test_every_group_is_counted_even_outside_the_comparison(three):
    sizes = three.group_sizes
    groups = sizes[sizes["level"] == "group"].set_index("group")
    assert groups["n_docs"].to_dict() == {"x": 2, "y": 1, "z": 1}
    assert groups["n_tokens"].to_dict() == {"x": 6, "y": 3, "z": 3}
    assert groups["shown"].all()
    # the comparison itself still leaves z out
    assert set(three.documents["group"]) == {"x", "y"} and three.excluded_documents == 1
    assert int(three.keyness["total_b"].iloc[0]) == 3


@pytest.mark.parametrize("group, term, a, b, total, total_rest", [
    ("x", "alpha", 4, 0, 6, 6), ("y", "beta", 2, 1, 3, 9), ("y", "gamma", 1, 2, 3, 9), ("z", "delta", 2, 0, 3, 9),
    ("z", "gamma", 1, 2, 3, 9),
])
def test_key_words_of_each_group_against_the_rest_match_the_hand_counts(three, group, term, a, b, total, total_rest):
    row = _row(three.group_keyness, "group", group, "", term)
    assert (row["count"], row["count_rest"], row["total"], row["total_rest"]) == (a, b, total, total_rest)
    assert row["g2"] == pytest.approx(_g2(a, b, total, total_rest))
    assert row["log_ratio"] == pytest.approx(math.log2((a / total) / ((b or 0.5) / total_rest)))
    assert row["per_10k"] == pytest.approx(a * 10_000 / total)


def test_only_words_more_frequent_in_the_group_are_its_key_words(three):
    k = three.group_keyness
    assert set(k.loc[(k["level"] == "group") & (k["group"] == "x"), "term"]) == {"alpha"}  # beta, gamma: less in x
    y = k[(k["level"] == "group") & (k["group"] == "y")]
    assert list(y["term"]) == ["beta", "gamma"] and list(y["rank"]) == [1, 2]  # ranked by G²


def test_subgroups_against_the_rest_of_their_group_match_the_hand_counts(three):
    k = three.group_keyness
    alpha = _row(k, "subgroup", "x", "a1", "alpha")
    assert (alpha["count"], alpha["count_rest"], alpha["total"], alpha["total_rest"]) == (3, 1, 4, 2)
    assert alpha["g2"] == pytest.approx(_g2(3, 1, 4, 2))
    beta = _row(k, "subgroup", "x", "a1", "beta")
    assert (beta["count"], beta["count_rest"]) == (1, 0) and beta["g2"] == pytest.approx(_g2(1, 0, 4, 2))
    gamma = _row(k, "subgroup", "x", "a2", "gamma")
    assert (gamma["count"], gamma["count_rest"], gamma["total"], gamma["total_rest"]) == (1, 0, 2, 4)
    # y and z have one subgroup each: nothing to compare inside them
    subs = three.group_sizes[three.group_sizes["level"] == "subgroup"]
    assert set(subs.loc[subs["shown"], "group"]) == {"x"}
    assert set(k.loc[k["level"] == "subgroup", "group"]) == {"x"}


def test_frame_shares_per_group_are_the_means_of_its_documents(three):
    from analysis.narratives.frames import frame_shares

    f = three.group_frames
    for group in ("x", "z"):
        docs = _docs()
        mine = frame_shares(docs[docs["group"] == group])
        want = mine.groupby("frame")["share"].mean()
        got = f[(f["level"] == "group") & (f["group"] == group)].set_index("frame")
        assert set(got.index) == set(want.index)
        for fid, share in want.items():
            assert got.loc[fid, "share"] == pytest.approx(share)
            assert got.loc[fid, "ci_low"] <= share + 1e-12 and share <= got.loc[fid, "ci_high"] + 1e-12
        assert (got["n_docs"] == len(docs[docs["group"] == group])).all()


def test_kinds_of_actors_per_group_are_counted_per_10k_tokens():
    docs = pd.DataFrame([
        {"doc_id": "d1", "group": "x", "language": "en", "text": "The DEA and the FBI arrested him. The DEA spoke."},
        {"doc_id": "d2", "group": "y", "language": "en", "text": "Nothing was said about it."},
        {"doc_id": "d3", "group": "z", "language": "en", "text": "The FBI said it."}])
    A = pipeline.analyze({"corpus": str(SEEDS), "group_a": "x", "group_b": "y", "min_count": 1, "boilerplate": "off",
                          "language": "en"}, use_cache=False, docs=docs)
    tokens = A.group_sizes.set_index("group")["n_tokens"]
    cats = A.group_categories.set_index(["group", "category"])
    ents = A.entities[A.entities["group"] == "x"]
    for cat, n in Counter(ents["category"]).items():
        assert cats.loc[("x", cat), "mentions"] == n
        assert cats.loc[("x", cat), "per_10k"] == pytest.approx(n * 10_000 / tokens["x"])
        assert cats.loc[("x", cat), "doc_share"] == 1.0
    assert cats["mentions"].sum() >= 3  # d3 (outside the comparison) counted too
    assert cats.xs("z", level="group")["mentions"].sum() >= 1


def test_only_the_largest_groups_are_shown(monkeypatch):
    monkeypatch.setattr(GR, "GROUP_CAP", 2)
    monkeypatch.setattr(GR, "MIN_REST_TOKENS", 1)
    tally = GR.GroupTally()
    for i, (g, n) in enumerate((("big", 3), ("mid", 2), ("small", 1), ("tiny", 1))):
        for j in range(n):
            tally.add(f"{g}{j}", (g, ""), ["word", g], frozenset(), [], [], "en")
    sizes, units = GR.plan(tally, with_subgroups=False)
    assert [u.group for u in units] == ["big", "mid"]
    assert sizes.set_index("group")["shown"].to_dict() == {"big": True, "mid": True, "small": False, "tiny": False}
    sizes, with_side = GR.plan(tally, with_subgroups=False, always=("tiny", "rest"))  # a compared side: shown
    assert [u.group for u in with_side] == ["big", "mid", "tiny"]
    # the groups not shown stay in the rest the shown ones are measured against
    k = GR.keyness_table(tally, units, min_count=1, top_n=5)
    big = k[(k["group"] == "big") & (k["term"] == "big")].iloc[0]
    assert (big["total"], big["total_rest"]) == (6, 8)


def test_two_groups_still_give_the_overview():
    A = pipeline.analyze({"corpus": str(SEEDS)}, use_cache=False)
    groups = A.group_sizes[A.group_sizes["level"] == "group"]
    assert set(groups["group"]) == {"us_federal", "fr_policing"}
    assert (A.group_sizes["level"] == "group").all()  # no subgroup_col: no subgroup rows
    fr = A.group_keyness[A.group_keyness["group"] == "fr_policing"].set_index("term")
    assert set(fr["language"]) == {"fr"} and set(fr["reference"]) == {"corpus:fr"}  # the seeds are all French
    two = A.keyness.set_index("term")
    common = fr.index.intersection(two[two["g2"] < 0].index)  # key for B in the two-sided table
    assert len(common)
    for t in common[:5]:
        assert fr.loc[t, "count"] == two.loc[t, "count_b"] and fr.loc[t, "count_rest"] == two.loc[t, "count_a"]
        assert fr.loc[t, "g2"] == pytest.approx(-two.loc[t, "g2"])


@pytest.mark.parametrize("subgroup_col, words", [("outlet", ["'outlet'", "agencies"]), ("group", ["group_col"])])
def test_subgroup_col_must_be_another_column_of_the_corpus(subgroup_col, words):
    from analysis.corpus import load_metadata

    p = P.validate({"corpus": str(SEEDS), "subgroup_col": subgroup_col})
    with pytest.raises(ParameterError) as info:
        P.check_groups(p, load_metadata(str(SEEDS)))
    assert info.value.name == "subgroup_col"
    for w in words:
        assert w in str(info.value)


def test_subgroup_col_is_a_documented_parameter():
    spec = P.SPECS["subgroup_col"]
    assert spec.default == "" and "page 08" in spec.help
    assert P.validate({"corpus": str(SEEDS), "subgroup_col": " agencies "})["subgroup_col"] == "agencies"


def test_the_page_names_the_groups_it_does_not_show():
    from types import SimpleNamespace

    from analysis.pages import groups as PG

    sizes = pd.DataFrame([{"level": "group", "group": g, "subgroup": "", "n_docs": n, "n_tokens": 10 * n, "rank": r,
                           "shown": r <= 2} for r, (g, n) in enumerate((("big", 30), ("mid", 20), ("<b>small</b>", 1)), 1)])
    text = PG.overview_prose(SimpleNamespace(group_sizes=sizes, params={"group_col": "source"}), cap=2)
    assert "<b>3</b> values" in text and "<b>2</b> largest" in text
    assert "&lt;b&gt;small&lt;/b&gt; (1 documents)" in text and "<b>small</b>" not in text
    assert PG.units(sizes, "group") == [("big", ""), ("mid", "")]


# Three groups in two languages (the language column says which). us (English): fentanyl ×2, seizures, agents ×2,
# arrested, dealers (7 tokens); fr (French): policiers ×2, saisissent, cannabis ×2, trafiquants, arrêtés (7); mix:
# one English document "agents seized cannabis" (3) and one French "policiers saisissent héroïne" (3). The rest of
# us in English is mix's English document alone (3 tokens), the rest of fr in French mix's French one (3).
BILINGUAL = [("u1", "us", "en", "Fentanyl seizures fentanyl agents."), ("u2", "us", "en", "Agents arrested dealers."),
             ("f1", "fr", "fr", "Policiers saisissent cannabis policiers."),
             ("f2", "fr", "fr", "Trafiquants arrêtés cannabis."),
             ("m1", "mix", "en", "Agents seized cannabis."), ("m2", "mix", "fr", "Policiers saisissent héroïne.")]


def _bilingual(drop=(), **floors):
    docs = pd.DataFrame([{"doc_id": d, "group": g, "language": lang, "text": t}
                         for d, g, lang, t in BILINGUAL if d not in drop])
    with pytest.MonkeyPatch.context() as mp:
        for name, value in floors.items():
            mp.setattr(GR, name, value)
        return pipeline.analyze({"corpus": str(SEEDS), "group_a": "us", "group_b": "fr", "min_count": 1,
                                 "boilerplate": "off"}, use_cache=False, docs=docs)


@pytest.fixture(scope="module")
def bilingual():
    return _bilingual(MIN_REST_TOKENS=1, MIN_LANGUAGE_TOKENS=1)


@pytest.mark.parametrize("group, language, term, a, b, total, total_rest", [
    ("us", "en", "fentanyl", 2, 0, 7, 3), ("us", "en", "dealers", 1, 0, 7, 3), ("fr", "fr", "cannabis", 2, 0, 7, 3),
    ("mix", "en", "seized", 1, 0, 3, 7), ("mix", "en", "agents", 1, 2, 3, 7), ("mix", "fr", "policiers", 1, 2, 3, 7),
])
def test_key_words_are_counted_against_the_rest_in_the_same_language(bilingual, group, language, term, a, b, total,
                                                                      total_rest):
    k = bilingual.group_keyness
    row = k[(k["group"] == group) & (k["language"] == language) & (k["term"] == term)]
    assert len(row) == 1
    row = row.iloc[0]
    assert (row["count"], row["count_rest"], row["total"], row["total_rest"]) == (a, b, total, total_rest)
    assert row["g2"] == pytest.approx(_g2(a, b, total, total_rest))
    assert row["reference"] == f"corpus:{language}"


def test_words_are_not_key_because_the_rest_is_in_another_language(bilingual):
    k = bilingual.group_keyness
    us, fr = k[k["group"] == "us"], k[k["group"] == "fr"]
    # agents: 2 of us's 7 tokens against 1 of the 3 English tokens of the rest: less frequent, not key; against
    # the whole rest (13 tokens, mostly French) it would be (2/7 > 1/13)
    assert "agents" not in set(us["term"]) and "policiers" not in set(fr["term"])
    assert set(us["term"]) == {"fentanyl", "seizures", "arrested", "dealers"}
    assert set(us["language"]) == {"en"} and set(fr["language"]) == {"fr"}  # no French word tested for us
    assert (us["total_rest"] == 3).all() and (fr["total_rest"] == 3).all()


def test_each_language_of_a_mixed_group_has_its_own_reference(bilingual):
    langs = bilingual.group_languages.set_index(["group", "language"])
    assert langs.loc[("mix", "en"), "main"] and not langs.loc[("mix", "fr"), "main"]  # a tie: the first language
    assert langs.loc[("mix", "en"), "share"] == pytest.approx(0.5)
    assert langs.loc[("mix", "fr"), "reference"] == "corpus:fr" and langs.loc[("mix", "fr"), "n_tokens_rest"] == 7
    mix = bilingual.group_keyness[bilingual.group_keyness["group"] == "mix"]
    assert set(mix.loc[mix["language"] == "fr", "term"]) == {"héroïne", "saisissent", "policiers"}
    assert set(mix.loc[mix["language"] == "en", "reference"]) == {"corpus:en"}


def test_a_language_only_one_group_writes_falls_back_to_wordfreq():
    from analysis.stats.reference import REFERENCE_SIZE, wordfreq_reference

    A = _bilingual(drop=("m2",), MIN_REST_TOKENS=1)  # no French outside fr
    k = A.group_keyness
    fr, us = k[k["group"] == "fr"], k[k["group"] == "us"]
    assert set(fr["reference"]) == {"wordfreq:fr"} and set(us["reference"]) == {"corpus:en"}
    want = wordfreq_reference(["policiers", "cannabis"], "fr").set_index("term")["count"]
    for term, n in want.items():
        row = fr[fr["term"] == term].iloc[0]
        assert row["count_rest"] == n and row["total_rest"] == REFERENCE_SIZE
        assert row["g2"] == pytest.approx(_g2(int(row["count"]), int(n), 7, REFERENCE_SIZE))
    # with the kit's floor, a rest of 3 tokens in English is too few: wordfreq too
    assert set(_bilingual(drop=("m2",)).group_keyness.query("group == 'us'")["reference"]) == {"wordfreq:en"}


def test_a_tiny_language_of_a_group_is_skipped_and_counted_on_the_page():
    from analysis.pages import groups as PG

    A = _bilingual(MIN_REST_TOKENS=1)  # mix's French document: 3 tokens, under MIN_LANGUAGE_TOKENS
    langs = A.group_languages.set_index(["group", "language"])
    assert not langs.loc[("mix", "fr"), "tested"] and langs.loc[("mix", "fr"), "reference"] == ""
    assert langs.loc[("mix", "en"), "tested"]
    assert set(A.group_keyness.loc[A.group_keyness["group"] == "mix", "language"]) == {"en"}
    text = PG.language_prose(A.group_languages)
    assert "written in different languages" in text and "compared within a language only" in text
    assert "1 language part of 1 group" in text and "group_languages.csv" in text
    assert "policiers" not in set(A.group_keyness["term"][A.group_keyness["group"] == "mix"])


def test_the_page_shows_each_group_in_its_main_language_with_its_reference(bilingual):
    from analysis.pages import groups as PG

    wide = PG.key_terms_wide(bilingual.group_keyness, "group", languages=bilingual.group_languages).set_index("group")
    assert wide.loc["mix", "language"] == "en" and wide.loc["mix", "reference"] == "corpus:en"
    assert "héroïne" not in wide.loc["mix", "key words (G²)"]  # French: not its main language
    assert wide.loc["us", "key words (G²)"].startswith("fentanyl")
    assert "coverage" in PG.coverage_prose(bilingual) and "page 03" in PG.coverage_prose(bilingual)
