"""Concepts: the bilingual lexicon, lemma matching, counts shaped for keyness, concordance."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis.errors import AnalysisError, ParameterError
from analysis.narratives.concepts import (COUNT_COLUMNS, KWIC_COLUMNS, ROW_COLUMNS, TERM_COLUMNS,
                                          concept_concordance, concept_counts, concept_lexicon, concept_terms,
                                          concepts_in, concordance_side_by_side, find_concepts, load_concepts,
                                          one_language_concepts, scan, tally)
from analysis.stats.counts import _frame
from analysis.stats.keyness import keyness
from analysis.text.parse import parse_document
from analysis.text.stopwords import get_stopwords

MISSION = {"seizure", "arrest", "indictment", "sentence_prison", "extradition", "overdose_death",
           "platform_social_media", "encryption_messaging", "delivery", "menu_advertising", "cartel",
           "gang_organized_crime", "youth_minors", "cyberpatrol", "undercover_buy", "lack_of_means", "prevention",
           "cooperation", "trafficking", "money_laundering", "fentanyl_opioids", "cannabis", "cocaine",
           "street_dealing", "violence_shooting", "victims_families", "public_health_treatment"}


def doc(text: str, language: str, doc_id: str = "d", group: str = "g"):
    return parse_document(doc_id, group, text, language)


def found(text: str, language: str, lexicon=None) -> set[tuple[str, str]]:
    """(concept, matched words as written) of every hit."""
    d = doc(text, language)
    return {(r["concept"], d.text[r["start"]:r["end"]]) for r in concepts_in(d, lexicon)}


def concepts(text: str, language: str, lexicon=None) -> set[str]:
    return {c for c, _ in found(text, language, lexicon)}


def write(tmp_path, content: str):
    path = tmp_path / "concepts.yaml"
    path.write_text(content, encoding="utf-8")
    return path


# --- the shipped lexicon ------------------------------------------------------------------------------------

def test_shipped_lexicon_covers_the_mission_in_both_languages():
    terms = concept_terms()
    assert list(terms.columns) == TERM_COLUMNS
    assert MISSION <= set(terms["concept"])
    assert 30 <= len(terms) <= 60
    assert one_language_concepts() == []  # every concept has English and French terms
    assert (terms["n_terms_en"] > 0).all() and (terms["n_terms_fr"] > 0).all()
    assert terms["definition"].str.len().gt(20).all()


@pytest.mark.parametrize("text,language", [
    ("Agents seized two kilograms.", "en"), ("The DEA seizes the drugs.", "en"), ("A record seizure.", "en"),
    ("Les saisies de cannabis.", "fr"), ("Les douaniers ont saisi la marchandise.", "fr"),
])
def test_lemma_matching_finds_every_form_of_seizure(text, language):
    assert "seizure" in concepts(text, language)


@pytest.mark.parametrize("text,language,concept,words", [
    ("Dealers sell on social media.", "en", "platform_social_media", "social media"),
    ("Les dealers vendent sur les réseaux sociaux.", "fr", "platform_social_media", "réseaux sociaux"),
    ("La livraison à domicile se développe.", "fr", "delivery", "livraison à domicile"),
    ("Les policiers multiplient les coups d'achat.", "fr", "undercover_buy", "coups d'achat"),
    ("Les coups d’achat se multiplient.", "fr", "undercover_buy", "coups d’achat"),
    ("Le manque de moyens freine l'enquête.", "fr", "lack_of_means", "manque de moyens"),
    ("Six surveillants ont été mis en examen.", "fr", "indictment", "mis en examen"),
    ("They use encrypted messaging apps.", "en", "encryption_messaging", "encrypted messaging"),
])
def test_multi_word_terms(text, language, concept, words):
    assert (concept, words) in found(text, language)


def test_court_orders_are_not_commerce():
    assert "sale_commerce" not in concepts("The court ordered him to pay restitution.", "en")
    assert "sale_commerce" not in concepts("The judge ordered the defendant detained.", "en")
    assert "sale_commerce" in concepts("He ordered fentanyl online.", "en")
    assert ("sale_commerce", "placed an order") in found("She placed an order on the darknet.", "en")


def test_exclusions_keep_legal_prose_out():
    assert "indictment" not in concepts("Special Agent in Charge John Smith made the announcement.", "en")
    assert "indictment" in concepts("He was charged with conspiracy.", "en")
    assert "indictment" not in concepts("La prise en charge des usagers.", "fr")
    assert "cocaine" not in concepts("Agencies crack down on gangs.", "en")
    assert "platform_social_media" in concepts("Une application de messagerie.", "fr")
    assert "platform_social_media" not in concepts("L'application de la loi.", "fr")


@pytest.mark.parametrize("text,language,concept,still", [
    # classes of false positives read on the development samples: home detention is not delivery, a report handed
    # to judges is not a discount, post-incarceration and a cover story are not social media, nor a decree
    ("Six mois de détention à domicile.", "fr", "delivery", "La livraison à domicile."),
    ("Une expertise remise aux juges.", "fr", "menu_advertising", "Une remise sur le gramme."),
    ("Skills for post incarceration employment.", "en", "platform_social_media", "He posted it on Instagram."),
    ("He relayed the false cover story to agents.", "en", "platform_social_media", "An Instagram story."),
    ("La gagnante de Loft Story.", "fr", "platform_social_media", "Une story Snapchat."),
    ("Le décret d'application est paru.", "fr", "platform_social_media", "Une application de messagerie."),
])
def test_exclusions_found_on_the_development_samples(text, language, concept, still):
    assert concept not in concepts(text, language)
    assert concept in concepts(still, language)


def test_rows_name_the_document_sentence_and_offsets():
    d = doc("Rien ici. The DEA seized heroin.", "en", doc_id="x", group="us")
    rows = concepts_in(d)
    assert rows and all(list(r) == ROW_COLUMNS for r in rows)
    for r in rows:
        assert (r["doc_id"], r["group"], r["language"], r["sentence_id"]) == ("x", "us", "en", 1)
        assert d.index.locate(r["start"]) == 1
    words = {r["concept"]: d.text[r["start"]:r["end"]] for r in rows}
    assert words["seizure"] == "seized" and words["fentanyl_opioids"] == "heroin" and words["law_enforcement"] == "DEA"
    assert {r["concept"]: r["term"] for r in rows}["seizure"] == "seized"  # the lexicon's term, its own form first
    other = concepts_in(doc("The DEA seizes heroin.", "en"))
    assert {r["concept"]: r["term"] for r in other}["seizure"] == "seize"  # matched on its lemma


def test_language_comes_from_the_document_or_a_guess():
    assert concepts_in(doc("Les saisies de drogue sont en hausse.", ""))[0]["language"] == "fr"
    assert concepts_in(doc("The seizures of drugs are up.", "English"))[0]["language"] == "en"


# --- matching rules, on a lexicon of one's own -------------------------------------------------------------

LEXICON = """
- id: trade
  label: Trade
  definition: the trade
  en: [drug, drug trafficking, traffic*]
  fr: [trafic]
- id: drugs
  label: Drugs
  definition: drugs
  en: [drug]
  fr: [drogue]
- id: assets
  label: Assets
  definition: form-only words
  en: ["=proceeds"]
  fr: [argent]
  exclude:
    fr: [argent de poche]
- id: only_en
  label: English only
  definition: no French terms
  en: [cartel]
"""


def test_longest_term_wins_within_a_concept_and_concepts_may_share_words(tmp_path):
    lex = load_concepts(write(tmp_path, LEXICON))
    d = doc("Drug trafficking and drug traffickers.", "en")
    rows = concepts_in(d, lex)
    trade = [(d.text[r["start"]:r["end"]], r["term"]) for r in rows if r["concept"] == "trade"]
    assert trade == [("Drug trafficking", "drug trafficking"), ("drug", "drug"), ("traffickers", "traffic*")]
    assert [d.text[r["start"]:r["end"]] for r in rows if r["concept"] == "drugs"] == ["Drug", "drug"]


def test_form_only_words_and_exclusions(tmp_path):
    lex = load_concepts(write(tmp_path, LEXICON))
    assert concepts("The proceeds of the sale.", "en", lex) == {"assets"}
    assert concepts("We proceed with the case.", "en", lex) == set()  # "proceed" is not the form "proceeds"
    assert concepts("De l'argent sale.", "fr", lex) == {"assets"}
    assert concepts("Son argent de poche.", "fr", lex) == set()


def test_one_language_concepts_are_flagged(tmp_path):
    path = write(tmp_path, LEXICON)
    assert one_language_concepts(path) == ["only_en"]
    terms = concept_terms(path).set_index("concept")
    assert terms.loc["only_en", "one_language"] and terms.loc["only_en", "n_terms_fr"] == 0
    assert not terms.loc["trade", "one_language"]
    assert terms.loc["trade", "terms_en"] == "drug; drug trafficking; traffic*"


def test_types_are_lemmatized_once(tmp_path):
    lex = load_concepts(write(tmp_path, LEXICON))
    scan(doc("Drug, drug, drug and drugs.", "en"), lex)
    types = lex.compiled("en").types
    assert set(types) == {"drug", "and", "drugs"}
    assert types["drugs"][0] == "drug" and types["drugs"][1]  # lemma, content token
    assert not types["and"][1]  # a stop word


def test_scan_gives_content_tokens(tmp_path):
    lex = load_concepts(write(tmp_path, LEXICON))
    d = doc("The drug is here. Drugs and 12 dogs.", "en")
    found_ = scan(d, lex)
    assert found_.n_sentences == 2 and found_.language == "en"
    assert [(sid, d.text[s:e], lem) for sid, s, e, lem in found_.content] == [
        (0, "drug", "drug"), (1, "Drugs", "drug"), (1, "dogs", "dog")]  # no stop word, no number
    more = set(get_stopwords("en")) | {"drugs", "dogs"}
    assert [t[3] for t in scan(d, lex, stopwords=more).content] == ["drug"]


@pytest.mark.parametrize("content,message", [
    ("- id: a\n  en: []\n", "terms under 'en' and/or 'fr'"),
    ("- id: Bad Id\n  en: [x]\n", "'id'"),
    ("- id: a\n  en: [x]\n- id: a\n  fr: [y]\n", "duplicate"),
    ("- id: a\n  en: x\n", "must be a list"),
    ("- id: a\n  en: [x]\n  terms: [y]\n", "unknown key"),
    ("- id: a\n  en: ['*']\n", "no word"),
    ("- id: a\n  en: [x]\n  exclude: [y]\n", "'exclude'"),
    ("{}\n", "list of concepts"),
])
def test_bad_lexicon_names_file_and_concept(tmp_path, content, message):
    with pytest.raises(AnalysisError, match=message) as info:
        load_concepts(write(tmp_path, content))
    assert "concepts.yaml" in str(info.value)


def test_missing_lexicon_is_a_parameter_error(tmp_path):
    with pytest.raises(ParameterError, match="concepts"):
        concept_lexicon(tmp_path / "none.yaml")


# --- counts and keyness ------------------------------------------------------------------------------------

def corpus() -> pd.DataFrame:
    texts = [("a1", "us", "en", "Agents seized cocaine. The cartel sold cocaine online."),
             ("a2", "us", "en", "Police arrested a dealer. Cocaine and heroin were seized."),
             ("a3", "us", "en", "The defendant was sentenced to prison."),
             ("b1", "fr", "fr", "Les policiers ont saisi de la cocaïne. Le dealer vend sur Snapchat."),
             ("b2", "fr", "fr", "Une saisie record de cannabis. Les jeunes achètent en ligne."),
             ("b3", "fr", "fr", "Il a été condamné à deux ans de prison.")]
    return pd.DataFrame(texts, columns=["doc_id", "group", "language", "text"])


def parsed(frame: pd.DataFrame):
    return [parse_document(r.doc_id, r.group, r.text, r.language) for r in frame.itertuples()]


def test_tallies_merge_across_batches():
    docs = parsed(corpus())
    whole = concept_counts(tally(docs))
    merged = concept_counts(tally(docs[:2]) + tally(docs[2:4]) + tally(docs[4:]))
    pd.testing.assert_frame_equal(whole, merged)


def test_concept_counts_are_shaped_like_word_counts():
    docs = parsed(corpus())
    freqs = concept_counts(tally(docs))
    assert list(freqs.columns) == COUNT_COLUMNS
    words = _frame("group", ["us"], ["x"], [1], [1], {"us": 1}, {"us": 10})
    assert list(freqs.dtypes) == list(words.dtypes)
    seizure = freqs.set_index(["group", "term"]).loc[("us", "seizure")]
    us_content = sum(len(scan(d).content) for d in docs if d.group == "us")
    assert seizure["count"] == 2 and seizure["docs"] == 2 and seizure["n_docs"] == 3
    assert seizure["total"] == us_content
    assert seizure["per_10k"] == pytest.approx(2 * 10_000 / us_content)


def test_concept_keyness_is_keyness_of_the_same_counts():
    freqs = concept_counts(tally(parsed(corpus())))
    same = _frame("group", freqs["group"].to_numpy(object), freqs["term"].to_numpy(object), freqs["count"],
                  freqs["docs"], dict(zip(freqs["group"], freqs["n_docs"])), dict(zip(freqs["group"], freqs["total"])))
    a = keyness(freqs, "us", "fr", min_count=1)
    b = keyness(same, "us", "fr", min_count=1)
    pd.testing.assert_frame_equal(a, b)
    cocaine = a.set_index("term").loc["cocaine"]
    assert cocaine["count_a"] == 3 and cocaine["count_b"] == 1 and cocaine["direction"] == "us"
    assert {"g2", "log_ratio", "logodds_z", "td_g2"} <= set(a.columns)


def test_frequencies_per_group_and_language():
    frame = corpus()
    frame.loc[frame["doc_id"] == "a3", ["language", "text"]] = ["fr", "Il a été condamné à la prison."]
    freqs = concept_counts(tally(parsed(frame)), by_language=True)
    assert list(freqs.columns) == ["group", "language", *COUNT_COLUMNS[1:]]
    us_prison = freqs[(freqs["group"] == "us") & (freqs["term"] == "sentence_prison")]
    assert us_prison[["language", "count", "n_docs"]].values.tolist() == [["fr", 2, 1]]
    assert set(freqs.loc[freqs["group"] == "us", "language"]) == {"en", "fr"}


def test_concept_counts_refuses_other_input():
    with pytest.raises(ParameterError, match="ConceptTally"):
        concept_counts(pd.DataFrame())


# --- concordance -------------------------------------------------------------------------------------------

def test_concordance_in_both_languages_side_by_side():
    frame = corpus()
    hits = find_concepts(frame)
    kwic = concept_concordance(hits, frame, per_cell=1, window=3, concepts=["seizure", "cocaine"])
    assert list(kwic.columns) == KWIC_COLUMNS
    assert kwic.groupby(["concept", "group", "language"]).size().max() == 1
    texts = dict(zip(frame["doc_id"], frame["text"]))
    for r in kwic.itertuples():
        assert r.match in texts[r.doc_id]
        assert len(re.findall(r"\w+", r.left)) <= 3 and len(re.findall(r"\w+", r.right)) <= 3
    row = kwic[(kwic["concept"] == "seizure") & (kwic["group"] == "fr")].iloc[0]
    assert (row["left"], row["match"], row["right"]) == ("Les policiers ont", "saisi", "de la cocaïne")
    wide = concordance_side_by_side(kwic)
    assert list(wide.columns) == ["concept", "rank", "us (en)", "fr (fr)"]
    assert wide.set_index("concept").loc["seizure", "fr (fr)"] == "Les policiers ont [saisi] de la cocaïne"


def test_concordance_spreads_lines_over_documents():
    frame = corpus()
    kwic = concept_concordance(find_concepts(frame), frame, per_cell=2, concepts=["cocaine"])
    us = kwic[kwic["group"] == "us"]
    assert us["doc_id"].tolist() == ["a1", "a2"]  # a1 holds two hits, a2 one: one line of each first
    assert us["rank"].tolist() == [1, 2]


def test_concordance_parameters_are_checked():
    frame = corpus()
    with pytest.raises(ParameterError, match="per_cell"):
        concept_concordance(find_concepts(frame), frame, per_cell=0)
    with pytest.raises(ParameterError, match="no text"):
        concept_concordance(find_concepts(frame), frame.iloc[:1])


def test_scan_gives_the_tokens_every_count_shares():
    """The pass counts words from the tokens of the concept scan: they are those of sentence_tokens, also where
    lowercasing changes the text's length ("İ") and with typographic apostrophes."""
    from analysis.narratives.concepts import scan
    from analysis.stats.counts import sentence_tokens
    from analysis.text.parse import parse_document

    for text in ["Police seized 12 kg of cocaine. The D.A. said: “It’s over.”\nNew line, 91 000 euros.",
                 "İstanbul’da LA POLICE a saisi 3 kilos.\n\nL’enquête continue, dit-il. Fin.", ""]:
        for lang in ("en", "fr"):
            doc = parse_document("d", "g", text, lang)
            assert scan(doc).tokens == sentence_tokens(text, doc.spans)
            assert len(scan(doc).tokens) == len(doc.spans)


def test_a_loaded_lexicon_is_shared_not_copied():
    """The frames table carries its concept lexicon in ``attrs``, which pandas deep-copies on every column
    access: a copy would cost more with every token type the lexicon's matchers have memoised."""
    import copy

    from analysis.narratives.frames import load_frames

    lexicon = concept_lexicon()
    lexicon.compiled("en").info("seized")
    assert copy.deepcopy(lexicon) is lexicon
    table = load_frames()
    assert table["frame"].attrs["concepts"] is table.attrs["concepts"]
