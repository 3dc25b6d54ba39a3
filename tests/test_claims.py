"""Quantitative claims: measured against the hand annotation of the seeds, and the traps of each rule."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.narratives.claims import CLAIM_COLUMNS, find_claims, parse_number
from analysis.errors import ParameterError
from fixtures.annotations.scoring import annotations, fmt, prf


def claims_of(text: str, doc_id: str = "d") -> pd.DataFrame:
    return find_claims(pd.DataFrame({"doc_id": [doc_id], "group": ["g"], "text": [text]}))


def one(text: str) -> pd.Series:
    found = claims_of(text)
    assert len(found) == 1, f"expected one claim in {text!r}, got:\n{found[['value', 'text']]}"
    return found.iloc[0]


def values(text: str) -> list[float]:
    return claims_of(text)["value"].tolist()


@pytest.fixture(scope="module")
def seed_claims(seed_docs):
    return find_claims(seed_docs)


def test_seed_precision_and_recall_on_value(seed_claims):
    gold = annotations("claims")
    key = lambda d, v: (d, round(float(v), 6))  # noqa: E731
    score = prf([key(d, v) for d, v in zip(gold["doc_id"], gold["value"])],
                [key(d, v) for d, v in zip(seed_claims["doc_id"], seed_claims["value"])])
    print("\n" + fmt("claims (doc_id + value)", score))
    assert score["recall"] >= 0.9, fmt("claims", score)
    assert score["precision"] >= 0.9, fmt("claims", score)


def test_seed_units_and_categories_agree_with_annotation(seed_claims):
    gold = annotations("claims")
    key = lambda d, v, x: (d, round(float(v), 6), x)  # noqa: E731
    cat = prf([key(d, v, c) for d, v, c in zip(gold["doc_id"], gold["value"], gold["category"])],
              [key(d, v, c) for d, v, c in zip(seed_claims["doc_id"], seed_claims["value"], seed_claims["category"])])
    unit = prf([key(d, v, u) for d, v, u in zip(gold["doc_id"], gold["value"], gold["unit"])],
               [key(d, v, u) for d, v, u in zip(seed_claims["doc_id"], seed_claims["value"], seed_claims["unit"])])
    print("\n" + fmt("claims (doc_id + value + category)", cat) + "\n" + fmt("claims (doc_id + value + unit)", unit))
    assert cat["recall"] >= 0.8 and unit["recall"] >= 0.8


def test_table_shape(seed_claims):
    assert list(seed_claims.columns) == CLAIM_COLUMNS
    assert set(seed_claims["category"]) <= {"seized", "arrests_cases", "money", "share", "price", "age",
                                            "staff_means", "duration", "other"}
    for rec in seed_claims.itertuples():
        assert rec.text.strip(), rec


def test_spans_point_into_the_text(seed_docs, seed_claims):
    texts = dict(zip(seed_docs["doc_id"], seed_docs["text"]))
    for rec in seed_claims.itertuples():
        assert texts[rec.doc_id][rec.start:rec.end] == rec.text


# --- the examples of the issue ----------------------------------------------------------------------------

def test_pounds_of_methamphetamine_with_hedge():
    c = one("Au total, plus de 91 000 livres de méthamphétamine ont été saisies.")
    assert (c.value, c.unit, c.object, c.hedge, c.category) == (91000, "pounds", "méthamphétamine", "plus de",
                                                                 "seized")


def test_millions_of_dollars():
    c = one("plus de 100 millions de dollars ont été saisis")
    assert (c.value, c.unit, c.category) == (100_000_000, "USD", "money")


def test_tablets_percent_price():
    assert one("Environ 44 millions de comprimés de fentanyl ont été saisis.").value == 44_000_000
    c = one("où 90 % du fentanyl est acheminé")
    assert (c.value, c.unit, c.category) == (90, "percent", "share")
    c = one("Il y avait un achat minimum de 60 euros.")
    assert (c.value, c.unit, c.category) == (60, "EUR", "price")


def test_approximation_and_number_words():
    c = one("A Lyon, il y a une trentaine de combattants qui luttent.")
    assert (c.value, c.hedge, c.object, c.category) == (30, "une trentaine", "combattants", "staff_means")
    c = one("Un enfant de douze ans peut se retrouver confronté à ce genre de propositions.")
    assert (c.value, c.unit, c.category) == (12, "years", "age")


def test_range_and_times_out_of():
    c = one("Ils vont nous donner un enfant qui a entre 13 et 14 ans.")
    assert (c.value, c.value_max, c.unit, c.category) == (13, 14, "years", "age")
    c = one("Mais 9 fois sur 10, on aura un petit livreur.")
    assert (c.value, c.unit, c.category) == (90, "percent", "share")


@pytest.mark.parametrize("text,hedge", [
    ("près de 6500 livres de fentanyl", "près de"), ("environ 40 policiers", "environ"),
    ("jusqu'à 10 % des publications", "jusqu'à"), ("presque deux ans", "presque"),
    ("au moins 12 arrestations", "au moins"), ("moins de 5 kg de cocaïne", "moins de"),
    ("quelque 200 enquêteurs", "quelque"), ("nearly 300 arrests", "nearly"),
])
def test_hedges(text, hedge):
    assert one(text).hedge == hedge


def test_vague_magnitudes_take_their_lower_bound():
    c = one("L'opération a conduit à la saisie de milliers de livres de produits chimiques précurseurs")
    assert (c.value, c.hedge, c.unit) == (1000, "vague", "pounds")
    c = one("ils tentent de victimiser les millions d'autres Américains")
    assert (c.value, c.hedge) == (1_000_000, "vague")


def test_duration_versus_age():
    assert one("sur une période de deux mois plus tôt cette année").category == "duration"
    assert one("il y a maintenant presque deux ans").category == "duration"
    assert one("un essor important ces deux dernières années").category == "duration"


def test_arrests_and_cases():
    assert one("3337 arrestations ont été effectuées").category == "arrests_cases"
    assert one("l'inculpation de 28 membres du cartel").category == "arrests_cases"
    assert one("plus de 1100 cas concernaient des applications").category == "arrests_cases"


# --- parse_number ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("sep", [" ", "\u00a0", "\u202f"])
def test_parse_number_same_value_whatever_the_thousands_separator(sep):
    assert parse_number(f"91{sep}000") == 91000
    assert parse_number(f"1{sep}500{sep}000") == 1_500_000
    assert parse_number(f"1{sep}500,5") == 1500.5
    assert values(f"plus de 91{sep}000 livres de méthamphétamine") == [91000]


@pytest.mark.parametrize("text,value", [
    ("91,000", 91000), ("1,5", 1.5), ("2.5", 2.5), ("12", 12), ("douze", 12), ("vingt-cinq", 25),
    ("quatre-vingt-dix", 90), ("trente", 30), ("deux cents", 200), ("trois mille", 3000), ("twelve", 12),
    ("44 millions", 44_000_000), ("$100 million", 100_000_000), ("1,2 milliard", 1_200_000_000),
])
def test_parse_number(text, value):
    assert math.isclose(parse_number(text), value)


@pytest.mark.parametrize("text", ["", "abc", "Lydia46", "un", "2.0.1", None])
def test_parse_number_refuses_what_is_not_a_number(text):
    assert parse_number(text) is None


# --- traps: what is not a claim ----------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "fait état d'enquêtes menées du 1er mai 2022 au 1er mai 2023.",
    "l'Opération Blue Lotus, lancée le 12 juin, a continué.",
    "lors du premier confinement, qui a eu lieu en 2020.",
    "Jul 13, 2023",
    "Dernière modification par cependant (01 novembre 2022 à 13:14)",
    " date 2023-05 Une intervention nationale",
    "Annoncé ce jeudi 21\u00a0mars, cette demande du ministre",
    "une unité créée en mars 2019 pour surveiller",
    "En avril 2023, la DEA a annoncé des inculpations.",
])
def test_dates_are_not_claims(text):
    assert values(text) == [], claims_of(text)[["value", "text"]]


@pytest.mark.parametrize("text", [
    "Dans le cadre de l'Opération Blue Lotus 2.0, le CBP a continué.",
    "Du deal 2.0 qui ne passe pas inaperçu. Qui sont ces dealers 2.0. et comment opèrent-ils ?",
    "Un effet Covid-19 sur le trafic.",
    "Comment Snapchat est devenu le réseau n°1 pour les trafiquants",
    "des programmes de type Lydia46 sont utilisés par certains revendeurs",
    "Puis, il a déménagé dans le 4e arrondissement de Lyon.",
    "Suite au succès des opérations Blue Lotus et Four Horsemen, le DHS continue.",
    "la saisie systématique des voitures et des deux-roues impliqués",
    '"Je suis disponible 24 heures sur 24 et 7 jours sur 7", assure-t-il.',
    "Livraison 24h/24 et 7j/7, service discret.",
])
def test_versions_names_and_idioms_are_not_claims(text):
    assert values(text) == [], claims_of(text)[["value", "text"]]


def test_articles_are_not_counts():
    assert values("Une livraison au pied de l'immeuble, un petit livreur.") == []


# --- English ---------------------------------------------------------------------------------------------------

def test_english_claims():
    c = one("The DEA seized more than 91,000 pounds of methamphetamine.")
    assert (c.value, c.unit, c.object, c.hedge, c.category) == (91000, "pounds", "methamphetamine", "more than",
                                                                 "seized")
    c = one("and $100 million in cash were seized")
    assert (c.value, c.unit) == (100_000_000, "USD")
    assert values("Operation Last Mile, said Administrator Anne Milgram on May 5, 2023.") == []
    c = one("The operation led to 3,337 arrests.")
    assert (c.value, c.category) == (3337, "arrests_cases")


def test_bad_input_names_the_parameter():
    with pytest.raises(ParameterError, match="docs"):
        find_claims(pd.DataFrame({"id": ["a"], "body": ["x"]}))


def test_empty_corpus_gives_empty_table():
    out = find_claims(pd.DataFrame({"doc_id": [], "text": []}))
    assert list(out.columns) == CLAIM_COLUMNS and out.empty


# --- beyond the seeds: documents of ../shared/corpora annotated by hand --------------------------------------

def test_claims_on_documents_beyond_the_seeds():
    """Batch 1 was annotated, then used to fix the extractor (addresses, phone and emergency numbers, "N-year-old"
    ages); batch 2 was annotated after those fixes and never used to tune: it is the honest figure."""
    import json

    from conftest import require_shared

    gold = annotations("claims_heldout")
    docs = []
    for corpus, ids in gold.groupby("corpus")["doc_id"]:
        wanted = set(ids) | ({"dallas_tx/Assets_uploads_docs_district-attorney_press-release_2022_Methodist_20Hospital_"
                              "20Shooting_20Statement_pdf"} if corpus.startswith("us-") else set())
        with open(require_shared("corpora", corpus, "documents.jsonl"), encoding="utf-8") as fh:
            for line in fh:
                if any(i in line for i in wanted):
                    rec = json.loads(line)
                    if rec["doc_id"] in wanted:
                        docs.append({"doc_id": rec["doc_id"], "text": rec["text"]})
    found = find_claims(pd.DataFrame(docs))
    batch_of = dict(zip(gold["doc_id"], gold["batch"]))
    lines = []
    for batch in ("1", "2"):
        g = gold[gold["batch"] == batch]
        f = found[found["doc_id"].map(batch_of).fillna("1") == batch]
        s = prf([(d, float(v)) for d, v in zip(g["doc_id"], g["value"])],
                [(d, float(v)) for d, v in zip(f["doc_id"], f["value"])])
        lines.append(fmt(f"claims beyond the seeds, batch {batch}", s))
        assert s["precision"] >= 0.8 and s["recall"] >= 0.8, lines[-1]
    print("\n" + "\n".join(lines))


# --- figures of press releases and of Swiss and Québec texts -------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("affecting 4.7 million people", [4_700_000]),
    ("seized 20.5 pounds of methamphetamine", [20.5]),
    ("1½ kilos of cocaine", [1.5]),
    ("½ kilo of heroin", [0.5]),
    ("Eleven Defendants Charged With Conspiring To Traffic Narcotics\nThe case", [11]),
    ("the victims, ages 14 and 15, were", [14, 15]),
    ("between 14 and 15 years", [14]),
    ("une amende de 50'000 francs", [50_000]),
    ("136’000 manifestants", [136_000]),
    ("136\u202f000 manifestants", [136_000]),
    ("près de 2000 interpellations", [2000]),
    ("en 2000, la police", []),
    ("The 1988 Aggravated Robbery case", []),
    ("entre 2013 et 2019, le nombre", []),
    ("rendez-vous à 14 h devant la mairie", []),
    ("à 16 h 30 et vers 7 heure 30", []),
    ("The hearing is at 10:30 a.m. in Dept. 5", []),
    ("a five-day trial", [5]),
    ("sentenced to 15 years\nin prison", [15]),
    ("20.5\npounds of fentanyl", [20.5]),
    ("five of the seven brothers were arrested", [5, 7]),
    ("hundreds of millions of dollars", [100_000_000]),
    ("one felony count of murder and one victim", [1, 1]),
    ("one of the defendants", []),
    ("pendant un an, un seul candidat", [1, 1]),
    ("un couteau et une journée de chaos", []),
])
def test_press_release_figures(text, expected):
    assert values(text) == expected


@pytest.mark.parametrize("text", [
    "Dallas, TX 75207",
    "330 W. Broadway, Suite 1300",
    "Call (888) 647-3258 or (888) 6473258",
    "Tél. 021 333 53 33",
    "in violation of 21 U.S.C. 841(a)(1) and Section 846",
    "Penal Code 236.1 and SB 1319",
    "Case No. 23CR001234",
    "1080\n1920\nBarbara Medina",
    "Home\n1\n/\nNews\n2\n/\nPress",
    "Are You a Human? 3 + 6 =",
    "1. First item\n2. Second item",
    "8 min read",
    "an FBI Top 10 Most Wanted fugitive",
    "21 de Mayo de 2026",
])
def test_page_furniture_is_not_a_claim(text):
    assert values(text) == []


@pytest.mark.parametrize("text,category", [
    ("was sentenced to 25 years in prison", "sentence"),
    ("faces up to 20 years", "sentence"),
    ("condamné à neuf ans de prison", "sentence"),
    ("charged with 12 counts of fraud", "charges"),
    ("Eleven defendants were named", "people"),
    ("10 witnesses testified", "people"),
    ("$3.8 million in restitution", "money"),
    ("2 kilograms of fentanyl", "seized"),
    ("Jorge Valerio, 35, of Santa Ana", "age"),
])
def test_press_release_categories(text, category):
    assert claims_of(text)["category"].tolist() == [category]


def test_vague_scale_words_multiply():
    assert values("hundreds of thousands of dollars") == [100_000]
    assert values("des dizaines de milliards d'euros") == [10e9]


def test_excluded_spans_searched_near_digits_equal_a_whole_text_search():
    """The page-furniture patterns are searched only in the lines that hold a digit (and their neighbours):
    exactly the spans a search of the whole text finds, here on texts made to sit on the segment edges."""
    from analysis.narratives.claims import EXCLUDE_RES, excluded_spans

    texts = ["Call (555) 123-4567 today.\nNo digits here.\nOn 12 juin 2023 at 10:30 a.m., 21 U.S.C. 841.",
             "n°\n5 and no. 7\n\nLine\n24 heures sur 24\nend 92101", "plain text, nothing", "9\n9\n9",
             "Dallas, TX 75207\n330 W. Main Street\nmars 2019 et 1er mai 2022"]
    for t in texts:
        full = sorted({(m.start(), m.end()) for rx in EXCLUDE_RES for m in rx.finditer(t)})
        assert excluded_spans(t) == full, t


def test_fast_exclusion_patterns_match_what_the_written_ones_match():
    """The exclusion patterns are searched in a rewritten form (a digit, bracket or first letter put before the
    look-behinds, so that ``re`` skips to where a match can start) and two only when the text holds what
    every match of them holds: on made-up texts full of edge cases, the same spans as the patterns as written,
    and excluded_spans the same as a whole-text search of those."""
    import random

    from analysis.narratives.claims import _FAST_EXCLUDE_RES, EXCLUDE_RES, excluded_spans

    assert sum(a is not b for a, b in zip(EXCLUDE_RES, _FAST_EXCLUDE_RES)) >= 15
    pieces = ["(", ")", "0", "1", "12", "123", "2023", " ", "\u00a0", "\n", "-", "/", ":", "h", "H", ".", ",", "a",
              "N", "o", "°", "º", "er", "e", "st", "th", "mai", "May", "juin", "Jan.", "de", "enero", "tháng",
              "U.S.C.", "§", "Section", "+", "x", "=", "Street", "rue", "W.", "North", "TX", "min", "read",
              "millions", "d'amis", "24", "7", "sur", "heures", "a.m.", "ſ", "İ", "MAI", "Mars", "ſept", "Sept.",
              "août", "AOÛT", "déc.", "Jan", "July", "(555)", "555", "CA", "x,", "n°", "No.", "4h", "à", "vers",
              "5 h", "janvier", "Nov.", "é", "Ñ"]
    rnd = random.Random(13)
    for _ in range(4000):
        t = "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 30)))
        for slow, fast in zip(EXCLUDE_RES, _FAST_EXCLUDE_RES):
            assert [m.span() for m in slow.finditer(t)] == [m.span() for m in fast.finditer(t)], (slow.pattern, t)
        assert excluded_spans(t) == sorted({m.span() for rx in EXCLUDE_RES for m in rx.finditer(t)}), t


def test_count_patterns_match_what_their_plain_form_matches():
    """"9 fois sur 10" and "17-year-old" are searched with the count put first (:func:`_count_first`): the same
    matches and groups as the plain patterns, on made-up texts of number words, cases and separators."""
    import random
    import re

    from analysis.narratives import claims as C

    sp = C.SP
    plain_sur = re.compile(rf"(?i)(?<![\w-])(?P<a>\d+|{C.NUMWORD_RE}|un|une|one){sp}+(?:fois{sp}+|times{sp}+)?"
                           rf"(?:sur|out{sp}+of|in){sp}+(?P<b>\d+|{C.NUMWORD_RE})(?!\w)")
    plain_age = re.compile(rf"(?i)(?<![\w-])(?P<n>\d+|{C.NUMWORD_RE}|one)[- \u00a0](?:years?|months?)[- \u00a0]"
                           r"olds?(?!\w)")
    pieces = ["one", "One", "ONE", "un", "une", "Une", "onze", "ONZE", "deux", "Deux", "vingt", "et", "-", " ",
              "\u00a0", "9", "10", "sur", "in", "out of", "fois", "times", "year", "years", "month", "old", "olds",
              "-year-old", "ſix", "ſept", "Seven", "twenty", "five", "x", "a", "'", "quatre", "cent", "\n", "dix"]
    rnd = random.Random(7)
    for _ in range(5000):
        t = "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 12)))
        for plain, fast in ((plain_sur, C.SUR_RE), (plain_age, C.AGE_COMPOUND_RE)):
            assert [(m.span(), m.groupdict()) for m in plain.finditer(t)] == \
                [(m.span(), m.groupdict()) for m in fast.finditer(t)], t
