"""Keyness statistics: each checked by hand arithmetic on small tables, against scipy / NLTK oracles, and on
the seed corpus by rank (never against floats copied from a run)."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from nltk.metrics import BigramAssocMeasures
from scipy.stats import chi2, chi2_contingency, false_discovery_control

from analysis.stats.counts import term_frequencies
from analysis.errors import ComparisonError, ParameterError
from analysis.stats.keyness import COLUMNS, benjamini_hochberg, g2_4term, keyness
from analysis.text.tokens import tokenize


def freqs_table(a: dict, b: dict, docs_a=None, docs_b=None, n_docs=(1, 1), names=("A", "B")) -> pd.DataFrame:
    """A frequency table whose totals are the sums of the given counts (each group's whole vocabulary)."""
    rows = []
    for g, counts, docs, nd in ((names[0], a, docs_a, n_docs[0]), (names[1], b, docs_b, n_docs[1])):
        total = sum(counts.values())
        for t, c in counts.items():
            if c:
                rows.append({"group": g, "term": t, "count": c, "per_10k": c * 1e4 / total,
                             "docs": (docs or {}).get(t, 1), "n_docs": nd, "total": total})
    return pd.DataFrame(rows)


# x: a=10 of N_A=100, b=5 of N_B=200
TABLE = freqs_table({"x": 10, "y": 90}, {"x": 5, "y": 195})


def row(k, term):
    return k.set_index("term").loc[term]


def test_g2_four_term_by_hand_scipy_and_nltk():
    """Dunning (1993) G² over the 2x2 table [[10, 5], [90, 195]] (the term, then all other tokens).
    Expected values from the margins, N = 300: E = 15*100/300 = 5, 15*200/300 = 10, 285*100/300 = 95,
    285*200/300 = 190."""
    by_hand = 2 * (10 * math.log(10 / 5) + 5 * math.log(5 / 10) + 90 * math.log(90 / 95) + 195 * math.log(195 / 190))
    assert by_hand == pytest.approx(7.3298, abs=1e-4)  # 2 (6.93147 - 3.46574 - 4.86605 + 5.06520)
    k = keyness(TABLE, "A", "B", min_count=1)
    x = row(k, "x")
    assert x["g2"] == pytest.approx(by_hand, rel=1e-12)
    stat = chi2_contingency(np.array([[10, 5], [90, 195]]), correction=False, lambda_="log-likelihood")[0]
    assert x["g2"] == pytest.approx(stat, rel=1e-12)
    # NLTK: n_ii = 10 (term in A), n_ix = 15 (term), n_xi = 100 (A), n_xx = 300
    assert x["g2"] == pytest.approx(BigramAssocMeasures.likelihood_ratio(10, (15, 100), 300), rel=1e-12)
    assert x["p_value"] == pytest.approx(chi2.sf(by_hand, 1), rel=1e-10)
    assert x["direction"] == "A" and x["g2"] > 0
    assert row(k, "y")["g2"] == pytest.approx(-by_hand) and row(k, "y")["direction"] == "B"
    assert (x["count_a"], x["count_b"], x["total_a"], x["total_b"]) == (10, 5, 100, 200)


def test_g2_oracles_on_random_tables():
    rng = np.random.default_rng(0)
    a, b = rng.integers(0, 50, 200), rng.integers(0, 50, 200)
    c, d = rng.integers(1, 5000, 200), rng.integers(1, 5000, 200)
    ours = g2_4term(a, b, c, d)
    for i in range(200):
        if a[i] + b[i] == 0:
            assert ours[i] == 0
            continue
        table = np.array([[a[i], b[i]], [c[i], d[i]]])
        assert ours[i] == pytest.approx(chi2_contingency(table, correction=False, lambda_="log-likelihood")[0],
                                        rel=1e-9, abs=1e-9)
        assert ours[i] == pytest.approx(BigramAssocMeasures.likelihood_ratio(
            int(a[i]), (int(a[i] + b[i]), int(a[i] + c[i])), int(a[i] + b[i] + c[i] + d[i])), rel=1e-9, abs=1e-9)


def test_two_term_form_rayson_garside():
    """Rayson & Garside (2000), the form of Rayson's log-likelihood calculator: only the term's two cells,
    E_A = 100*15/300 = 5, E_B = 200*15/300 = 10: 2 (10 ln(10/5) + 5 ln(5/10)) = 10 ln 2."""
    x = row(keyness(TABLE, "A", "B", min_count=1), "x")
    assert x["g2_2term"] == pytest.approx(2 * (10 * math.log(2) + 5 * math.log(0.5)))
    assert x["g2_2term"] == pytest.approx(10 * math.log(2))


def test_log_ratio_hardie_and_zero_counts():
    """Hardie (2014): Log Ratio = log2 of the ratio of relative frequencies; +1 = twice as frequent.
    (10/100) / (5/200) = 4 -> 2. A zero count counts as 0.5: (4/100) / (0.5/100) = 8 -> 3."""
    assert row(keyness(TABLE, "A", "B", min_count=1), "x")["log_ratio"] == pytest.approx(2.0)
    k = keyness(freqs_table({"x": 4, "y": 96}, {"y": 100}), "A", "B", min_count=1)
    assert row(k, "x")["log_ratio"] == pytest.approx(3.0)
    assert row(k, "x")["count_b"] == 0


def test_pct_diff_gabrielatos_marchi():
    """%DIFF (Gabrielatos & Marchi 2012) = 100 (NF_A - NF_B) / NF_B on frequencies per million:
    NF_A = 10/100 * 1e6 = 100,000; NF_B = 5/200 * 1e6 = 25,000 -> 300 (%DIFF 100 = twice as frequent).
    Absent from B: NF_B replaced by 1e-18, as they do: 40,000 * 100 / 1e-18 = 4e24."""
    assert row(keyness(TABLE, "A", "B", min_count=1), "x")["pct_diff"] == pytest.approx(300.0)
    k = keyness(freqs_table({"x": 4, "y": 96}, {"y": 100}), "A", "B", min_count=1)
    assert row(k, "x")["pct_diff"] == pytest.approx((40_000 - 1e-18) * 100 / 1e-18)
    assert row(k, "y")["pct_diff"] == pytest.approx((960_000 - 1_000_000) * 100 / 1_000_000)


def test_log_odds_informative_dirichlet_prior():
    """Monroe, Colaresi & Quinn (2008) eq. 16 and 18-19: δ = ln((y_i+α_w)/(n_i+α0-y_i-α_w))
    - ln((y_j+α_w)/(n_j+α0-y_j-α_w)), σ² = 1/(y_i+α_w) + 1/(y_j+α_w), z = δ/σ."""
    # pooled prior, alpha0 = 300: x is 15 of the 300 pooled tokens -> α_x = 300 * 15/300 = 15
    x = row(keyness(TABLE, "A", "B", min_count=1, alpha0=300), "x")
    delta = math.log(25 / (100 + 300 - 10 - 15)) - math.log(20 / (200 + 300 - 5 - 15))
    assert x["logodds"] == pytest.approx(delta)
    assert x["logodds_z"] == pytest.approx(delta / math.sqrt(1 / 25 + 1 / 20))
    # uniform (uninformative) prior α_w = 1 for the two terms: α0 = 2
    u = row(keyness(TABLE, "A", "B", min_count=1, prior=1.0), "x")
    delta = math.log(11 / (100 + 2 - 10 - 1)) - math.log(6 / (200 + 2 - 5 - 1))
    assert u["logodds"] == pytest.approx(delta)
    assert u["logodds_z"] == pytest.approx(delta / math.sqrt(1 / 11 + 1 / 6))
    # background counts, scaled to alpha0 = 10: x 1, y 4 -> α_x = 2
    bg = row(keyness(TABLE, "A", "B", min_count=1, prior={"x": 1, "y": 4}, alpha0=10), "x")
    assert bg["logodds"] == pytest.approx(math.log(12 / (100 + 10 - 12)) - math.log(7 / (200 + 10 - 7)))
    with pytest.raises(ParameterError, match="prior"):
        keyness(TABLE, "A", "B", prior="flat")


def test_text_dispersion_keyness_and_min_docs():
    """Egbert & Biber (2019): G² over document counts. 'burst' fills one of 10 documents of A (40 times),
    'spread' appears once in each of 8: the token G² ranks burst first, td_g2 ranks spread first.
    td_g2(spread) = G² of [[8, 1], [10-8, 10-1]]."""
    f = freqs_table({"burst": 40, "spread": 8, "z": 952}, {"burst": 1, "spread": 1, "z": 998},
                    docs_a={"burst": 1, "spread": 8, "z": 10}, docs_b={"burst": 1, "spread": 1, "z": 10},
                    n_docs=(10, 10))
    k = keyness(f, "A", "B", min_count=1)
    assert abs(row(k, "burst")["g2"]) > abs(row(k, "spread")["g2"])
    assert row(k, "spread")["td_g2"] > row(k, "burst")["td_g2"]
    assert row(k, "burst")["td_g2"] == pytest.approx(0.0)
    expect = chi2_contingency(np.array([[8, 1], [2, 9]]), correction=False, lambda_="log-likelihood")[0]
    assert row(k, "spread")["td_g2"] == pytest.approx(expect)
    kept = keyness(f, "A", "B", min_count=1, min_docs=2)
    assert "burst" not in set(kept["term"]) and "spread" in set(kept["term"])


def test_multiple_comparison_corrections():
    p = np.array([0.01, 0.04, 0.03, 0.005])
    # by hand: sorted 0.005, 0.01, 0.03, 0.04 -> x4/1, x4/2, x4/3, x4/4 = .02, .02, .04, .04 (step-up minimum)
    assert benjamini_hochberg(p) == pytest.approx([0.02, 0.04, 0.04, 0.02])
    rng = np.random.default_rng(1)
    q = rng.uniform(size=500) ** 3
    assert benjamini_hochberg(q) == pytest.approx(false_discovery_control(q, method="bh"))
    k = keyness(TABLE, "A", "B", min_count=1)
    assert k["p_bonferroni"].tolist() == pytest.approx(np.minimum(k["p_value"] * 2, 1).tolist())
    assert k["p_adjusted"].tolist() == pytest.approx(benjamini_hochberg(k["p_value"]).tolist())
    kb = keyness(TABLE, "A", "B", min_count=1, correction="bonferroni")
    assert kb["p_adjusted"].tolist() == kb["p_bonferroni"].tolist()


def test_filters_sort_and_errors():
    f = freqs_table({"x": 10, "y": 90, "rare": 2, "de": 30}, {"x": 5, "y": 195, "rare": 0, "de": 40})
    k = keyness(f, "A", "B")  # min_count 3 drops "rare"
    assert list(k.columns) == COLUMNS and "rare" not in set(k["term"])
    assert "de" not in set(keyness(f, "A", "B", stopwords={"de"})["term"])
    g = k["g2"].abs().to_numpy()
    assert (g[:-1] >= g[1:]).all()
    tie = keyness(freqs_table({"b": 5, "a": 5, "z": 90}, {"b": 5, "a": 5, "z": 90}), "A", "B", min_count=1)
    assert tie["term"].tolist() == ["a", "b", "z"] and (tie["direction"] == "").all()
    with pytest.raises(ComparisonError, match="itself"):
        keyness(f, "A", "A")
    with pytest.raises(ComparisonError, match="'C'"):
        keyness(f, "C", "B")
    with pytest.raises(ComparisonError, match="group_b 'D'"):
        keyness(f, "A", "D")
    with pytest.raises(ComparisonError, match="stop words"):
        keyness(f, "A", "B", stopwords={"x", "y", "rare", "de"})
    with pytest.raises(ComparisonError, match="min_count"):
        keyness(f, "A", "B", min_count=10_000)
    with pytest.raises(ComparisonError, match="rest"):
        keyness(f[f["group"] == "A"], "A", "rest")
    with pytest.raises(ParameterError, match="freqs"):
        keyness(f.drop(columns="docs"), "A", "B")
    with pytest.raises(ParameterError, match="correction"):
        keyness(f, "A", "B", correction="holm")


def test_rest_pools_every_other_group():
    three = pd.concat([freqs_table({"x": 10, "y": 90}, {"x": 2, "y": 98}, names=("A", "B1")),
                       freqs_table({"x": 10, "y": 90}, {"x": 3, "y": 97}, names=("A2", "B2")).query("group == 'B2'")])
    k = keyness(three, "A", "rest", min_count=1)
    x = row(k, "x")
    assert (x["count_b"], x["total_b"], x["n_docs_b"]) == (5, 200, 2)
    assert x["g2"] == pytest.approx(chi2_contingency(np.array([[10, 5], [90, 195]]), correction=False,
                                                     lambda_="log-likelihood")[0])
    assert set(k["direction"]) == {"A", "rest"}


@pytest.fixture(scope="module")
def seed_freqs(seed_docs):
    toks = tokenize(seed_docs)
    return term_frequencies(toks), set(toks.loc[toks["is_stopword"], "token"])


def side_rank(k, term: str, col: str = "g2") -> int:
    """Rank of ``term`` on its side (0 = first), ties sharing their best rank: how many terms of the same
    side have a strictly larger |col|."""
    k = k.set_index("term")
    side = k[np.sign(k["g2"]) == np.sign(k.loc[term, "g2"])]
    return int((side[col].abs() > abs(side.loc[term, col])).sum())


def test_seed_keyness_ranks_the_obvious_terms(seed_freqs):
    freqs, stop = seed_freqs
    k = keyness(freqs, "us_federal", "fr_policing", min_count=2, stopwords=stop)
    assert k["term"].iloc[0] == "fentanyl"
    for term in ("fentanyl", "livres"):
        assert row(k, term)["g2"] > 0 and side_rank(k, term) < 10, term
        assert side_rank(k, term, "td_g2") < 15, term
    # "arrestations" occurs only twice (in both US documents, never on the French side): it is a trait of
    # the whole US side by text dispersion (top tier of td_g2), while its token G² ties with every other
    # term seen twice on one side only.
    assert row(k, "arrestations")["g2"] > 0 and row(k, "arrestations")["docs_a"] == 2
    assert side_rank(k, "arrestations", "td_g2") < 15
    assert side_rank(k, "arrestations") < 50
    for term in ("snapchat", "dealers", "police"):
        assert row(k, term)["g2"] < 0 and side_rank(k, term) < 25, term
    for term in ("dealers", "police"):
        assert side_rank(k, term, "td_g2") < 25, term
    assert not set(k["term"]) & stop
    assert (k.loc[k["g2"] > 0, "direction"] == "us_federal").all()
    assert (k.loc[k["g2"] < 0, "direction"] == "fr_policing").all()
    # A against B is B against A with the signs flipped
    back = keyness(freqs, "fr_policing", "us_federal", min_count=2, stopwords=stop).set_index("term")
    fw = k.set_index("term")
    assert np.allclose(back.loc[fw.index, "g2"], -fw["g2"])
    assert np.allclose(back.loc[fw.index, "log_ratio"], -fw["log_ratio"])


def test_seed_keyness_with_other_group_names(seed_docs, seed_freqs):
    freqs, stop = seed_freqs
    renamed = freqs.assign(group=freqs["group"].map({"us_federal": "États-Unis (DEA)", "fr_policing": "fr 2"}))
    k1 = keyness(freqs, "us_federal", "fr_policing", stopwords=stop)
    k2 = keyness(renamed, "États-Unis (DEA)", "fr 2", stopwords=stop)
    cols = [c for c in COLUMNS if c != "direction"]
    pd.testing.assert_frame_equal(k1[cols], k2[cols])
    assert set(k2["direction"]) == {"États-Unis (DEA)", "fr 2"}
    # another column name for the groups, and 'rest' against a two-group corpus = the other group
    side = freqs.rename(columns={"group": "side"})
    k3 = keyness(side, "us_federal", "rest", stopwords=stop, group_col="side")
    pd.testing.assert_frame_equal(k1[cols], k3[cols])
    # the report's bigram table works too
    bi = term_frequencies(tokenize(seed_docs), ngram=2)
    kb = keyness(bi, "us_federal", "fr_policing", min_count=2)
    assert {"trafic de stupéfiants", "réseaux sociaux"} & set(kb.loc[kb["g2"] < 0, "term"])
    assert "blue lotus" in set(kb.loc[kb["g2"] > 0, "term"])


def test_group_of_stop_words_only_is_refused():
    f = freqs_table({"le": 5, "de": 5}, {"le": 3, "trafic": 7})
    with pytest.raises(ComparisonError, match="group 'A' has no word left once stop words"):
        keyness(f, "A", "B", min_count=1, stopwords={"le", "de"})
    with pytest.raises(ComparisonError, match="group 'B'"):
        keyness(f, "A", "B", min_count=1, stopwords={"le", "trafic"})
