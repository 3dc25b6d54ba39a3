"""Frames: lexicon, sentences evoking each frame, per-document shares and the group comparison."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.errors import AnalysisError, ComparisonError, ParameterError
from analysis.narratives.frames import (COMPARE_COLUMNS, SENTENCE_COLUMNS, SHARE_COLUMNS, compare_frames, frame_sentences,
                             frame_shares, load_frames)
from analysis.text.sentences import split_sentences

ISSUE_FRAMES = {"enforcement", "health", "technology", "commerce", "youth", "police_means", "organized_crime",
                "law_procedure"}


def docs(*texts, groups=None) -> pd.DataFrame:
    groups = groups or ["g"] * len(texts)
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "group": groups, "text": list(texts)})


def test_shipped_lexicon_has_the_frames_of_the_issue():
    lex = load_frames()
    assert ISSUE_FRAMES <= set(lex["frame"])
    assert all(lex["definition"].str.len() > 20) and all(lex["label"].str.len() > 0)


@pytest.mark.parametrize("sentence,frame", [
    ("Ils planifient des ventes flash et distribuent des cartes de fidélité.", "commerce"),
    ("Un menu de cannabis avec tous les prix et la livraison à domicile.", "commerce"),
    ("Le principal frein de la police, c'est le manque d'effectifs sur le terrain.", "police_means"),
    ("Des moyens limités pour la police.", "police_means"),
    ("Il faut constater un flagrant délit de vente.", "law_procedure"),
    ("Le renforcement des enquêtes sous pseudonyme sur internet.", "law_procedure"),
    ("La saisie des véhicules impliqués.", "enforcement"),
    ("Le parquet a requis deux ans contre le prévenu.", "law_procedure"),
    ("The defendant pleaded guilty before the judge.", "law_procedure"),
    ("He ordered fentanyl online and had it delivered.", "commerce"),
    ("The seizures of cocaine by the DEA.", "enforcement"),
    ("Plus de 3337 arrestations et des saisies record.", "enforcement"),
    ("193 millions de doses mortelles de fentanyl.", "health"),
    ("Les cartels de Sinaloa et de Jalisco.", "organized_crime"),
    ("Un enfant de douze ans peut se retrouver confronté à ces propositions de drogue.", "youth"),
    ("Un garçon âgé de 15 ans a été interpellé.", "youth"),
    ("A 16-year-old was arrested.", "youth"),
    ("Les trafiquants passent par les messageries cryptées comme WhatsApp ou Telegram.", "technology"),
    ("Dealers use social media platforms and encrypted apps.", "technology"),
    ("Lethal doses and overdose deaths.", "health"),
])
def test_each_frame_is_evoked_by_its_terms(sentence, frame):
    hits = frame_sentences(docs(sentence))
    assert frame in set(hits["frame"]), hits


def test_frame_sentences_table():
    d = docs("Les cartels livrent. Rien ici.\nUn menu de prix du cannabis.")
    hits = frame_sentences(d)
    assert list(hits.columns) == SENTENCE_COLUMNS
    sents = split_sentences(d)
    for rec in hits.itertuples():
        assert sents.loc[sents["sentence_id"] == rec.sentence_id, "sentence"].item() == rec.sentence
    commerce = hits[hits["frame"] == "commerce"]
    assert commerce["sentence_id"].tolist() == [0, 2]
    assert commerce["term"].tolist() == ["livrent", "menu; prix"]


def test_shares_are_fractions_of_sentences():
    d = docs("Un menu de cannabis. Une livraison de cocaïne. Rien du tout. Il pleut.", "Les cartels. Le menu du dealer.")
    s = frame_shares(d)
    assert list(s.columns) == SHARE_COLUMNS
    assert len(s) == 2 * len(load_frames())  # zeros included
    c = s[s["frame"] == "commerce"].set_index("doc_id")
    assert c.loc["d0", "n_sentences"] == 4 and c.loc["d0", "n_frame_sentences"] == 2
    assert c.loc["d0", "share"] == pytest.approx(0.5)
    assert c.loc["d1", "share"] == pytest.approx(0.5)
    assert s.loc[(s["doc_id"] == "d1") & (s["frame"] == "organized_crime"), "share"].item() == pytest.approx(0.5)


def test_user_adds_a_frame_term_by_editing_a_file(tmp_path):
    path = tmp_path / "frames.yaml"
    path.write_text("- id: weather\n  label: Weather\n  definition: rain and sun\n  terms: [pluie, ensoleill*]\n"
                    "  patterns: ['\\bgr[êe]le\\b']\n", encoding="utf-8")
    hits = frame_sentences(docs("Il y a de la pluie. Temps ensoleillé. La grêle tombe. Rien."), lexicon=path)
    assert hits["sentence_id"].tolist() == [0, 1, 2] and set(hits["frame"]) == {"weather"}


@pytest.mark.parametrize("content,message", [
    ("- id: a\n  terms: []\n", "terms"),
    ("- id: bad id\n  terms: [x]\n", "'id'"),
    ("- id: a\n  terms: [x]\n- id: a\n  terms: [y]\n", "duplicate"),
    ("- id: a\n  patterns: ['(']\n", "bad pattern"),
    ("{}\n", "list of frames"),
    ("- id: a\n  concepts: [cannabis]\n  requires: [no_such_concept]\n", r"\(a\).*required concept"),
    ("- id: a\n  concepts: [cannabis]\n  requires: cannabis\n", r"\(a\).*'requires'"),
    ("- id: a\n  concepts: [cannabis]\n  exclude: [\"\"]\n", r"\(a\).*exclude phrase"),
])
def test_bad_lexicon_names_file_and_frame(tmp_path, content, message):
    path = tmp_path / "lex.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(AnalysisError, match=message) as info:
        load_frames(path)
    assert "lex.yaml" in str(info.value)


def test_missing_lexicon_is_a_parameter_error(tmp_path):
    with pytest.raises(ParameterError, match="lexicon"):
        frame_shares(docs("x"), lexicon=tmp_path / "none.yaml")


# --- comparison ----------------------------------------------------------------------------------------------

def test_seeds_two_against_three_documents_support_nothing(seed_docs):
    shares = frame_shares(seed_docs)
    cmp = compare_frames(shares, "us_federal", "fr_policing")
    print("\n" + cmp.round(3).to_string())
    assert list(cmp.columns) == COMPARE_COLUMNS
    assert (cmp["n_docs_a"] == 2).all() and (cmp["n_docs_b"] == 3).all()
    assert np.allclose(cmp["p_min"], 0.1)  # 10 ways to split 5 documents into 2 + 3
    assert (cmp["p_perm"] >= 0.1 - 1e-12).all()
    assert not cmp["supported"].any()
    # the measured differences are still reported, with their intervals
    row = cmp.set_index("frame").loc["enforcement"]
    assert row["share_a"] > row["share_b"] and row["ci_low"] <= row["diff"] <= row["ci_high"]


def _synthetic(n: int, rng) -> pd.DataFrame:
    texts, groups = [], []
    for i in range(n):
        for g, word in (("a", "Les cartels saisis."), ("b", "Un menu de cannabis livré.")):
            k = int(rng.integers(4, 8))
            texts.append(" ".join([word] * k + ["Il pleut."] * int(rng.integers(2, 5))))
            groups.append(g)
    return pd.DataFrame({"doc_id": [f"d{i:02d}" for i in range(len(texts))], "group": groups, "text": texts})


def test_a_clear_difference_over_many_documents_is_supported():
    d = _synthetic(8, np.random.default_rng(1))
    cmp = compare_frames(frame_shares(d), "a", "b", n_boot=500).set_index("frame")
    assert cmp.loc["organized_crime", "supported"] and cmp.loc["commerce", "supported"]
    assert cmp.loc["organized_crime", "p_perm"] < 0.01 and cmp.loc["organized_crime", "ci_low"] > 0
    assert not cmp.loc["youth", "supported"]  # no difference where both are zero


def test_comparison_is_reproducible_and_seeded():
    d = _synthetic(6, np.random.default_rng(2))
    s = frame_shares(d)
    a = compare_frames(s, "a", "rest", n_boot=300, seed=7)
    b = compare_frames(s, "a", "rest", n_boot=300, seed=7)
    pd.testing.assert_frame_equal(a, b)


def test_exact_permutation_p_value():
    shares = pd.DataFrame({"doc_id": ["a1", "a2", "b1", "b2", "b3"], "group": ["A", "A", "B", "B", "B"],
                           "frame": ["f"] * 5, "share": [0.9, 0.8, 0.1, 0.2, 0.3]})
    row = compare_frames(shares, "A", "B", n_boot=200).iloc[0]
    assert row["p_perm"] == pytest.approx(0.1)  # the observed split is the most extreme of 10
    assert row["diff"] == pytest.approx(0.85 - 0.2)
    assert not row["supported"]


@pytest.mark.parametrize("a,b,message", [("x", "rest", "no documents"), ("A", "A", "itself"),
                                         ("A", "zzz", "no documents")])
def test_impossible_comparisons(a, b, message):
    shares = pd.DataFrame({"doc_id": ["1", "2"], "group": ["A", "B"], "frame": ["f", "f"], "share": [0.1, 0.2]})
    with pytest.raises(ComparisonError, match=message):
        compare_frames(shares, a, b)


def test_one_document_per_group_is_never_supported():
    shares = pd.DataFrame({"doc_id": ["1", "2"], "group": ["A", "B"], "frame": ["f", "f"], "share": [0.9, 0.0]})
    assert not compare_frames(shares, "A", "B", n_boot=100).iloc[0]["supported"]


# --- frames over concepts ----------------------------------------------------------------------------------

def test_one_frame_definition_serves_both_languages():
    d = docs("Les trafiquants livrent à domicile.", "Dealers deliver to the buyer's home.",
             groups=["fr", "us"])
    d["language"] = ["fr", "en"]
    hits = frame_sentences(d)
    assert set(hits.loc[hits["frame"] == "commerce", "doc_id"]) == {"d0", "d1"}
    lex = load_frames()
    assert lex.set_index("frame").loc["commerce", "concepts"] == ("sale_commerce", "delivery", "menu_advertising")


@pytest.mark.parametrize("sentence,frame", [
    # requires: the frame's words count only next to a concept of its `requires` list
    ("Un menu avec tous les prix et la livraison à domicile.", "commerce"),
    ("La hausse des prix du carburant et le pouvoir d'achat.", "commerce"),
    ("Le manque d'effectifs dans les hôpitaux.", "police_means"),
    ("Les élèves ont choisi le chinois.", "youth"),
    ("Une vidéo postée sur Twitter par la ministre.", "technology"),
    ("Un automobiliste est mort dans un accident.", "health"),
    ("La crise politique continue.", "health"),
    ("Des victimes de l'attentat.", "health"),
    # exclude: a match inside one of the frame's phrases does not count
    ("The U.S. Attorney's Office announced the award.", "law_procedure"),
    ("According to court documents, he lived in Ohio.", "law_procedure"),
    ("He allegedly lied to his wife.", "enforcement"),
    ("The defendant remains in prison.", "enforcement"),
    ("Les manifestants marchaient vers l'aéroport de Beauvais et la frontière.", "organized_crime"),
    # ages are youth only under 18 and as a person's age
    ("Un homme de 38 ans a été interpellé.", "youth"),
    ("Il a été condamné à 10 ans de prison.", "youth"),
    ("A 35-year-old man was arrested.", "youth"),
])
def test_frames_need_their_context(sentence, frame):
    assert frame not in set(frame_sentences(docs(sentence))["frame"])


def test_requires_and_exclude_in_a_user_lexicon(tmp_path):
    path = tmp_path / "frames.yaml"
    path.write_text("- id: drug_death\n  label: D\n  definition: d\n  concepts: [overdose_death]\n"
                    "  requires: [cannabis, cocaine]\n  exclude: [\"mort de rire\"]\n", encoding="utf-8")
    hits = frame_sentences(docs("Il est mort. Mort après la cocaïne. Mort de rire avec du cannabis."), lexicon=path)
    assert hits["sentence_id"].tolist() == [1] and hits["term"].tolist() == ["mort"]
    lex = load_frames(path)
    assert lex.loc[0, "requires"] == ("cannabis", "cocaine") and lex.loc[0, "exclude"] == ("mort de rire",)


# Classes of false positives read on the development samples (frames_coding_dev, frames_coding_dev2), one case each;
# the paired sentence shows the same words still evoking the frame where they should.
@pytest.mark.parametrize("sentence,frame,still", [
    # commerce: the lawful tobacco trade, home detention, goods in general, shopping centres, FDA boilerplate
    ("Le prix du paquet de cigarettes atteint dix euros.", "commerce",
     "Le prix du gramme de cocaïne baisse."),
    ("Ils ont écopé de six mois de détention à domicile pour trafic de stupéfiants.", "commerce",
     "La livraison à domicile de cannabis."),
    ("Une marchandise dont l'origine interpelle les policiers du trafic de drogue.", "commerce",
     "La vente de cocaïne aux clients."),
    ("Le parking du centre commercial a été bouclé après la fusillade.", "commerce",
     "Le commerce en ligne de cannabis."),
    ("The lenses were counterfeit, unauthorized by the FDA for import and sale in the United States, the indictment "
     "alleges.", "commerce", "He sold heroin to customers, the indictment alleges."),
    ("He was convicted of possession of a firearm in furtherance of a drug transaction.", "commerce",
     "The dealer placed an order for fentanyl online."),
    # technology: units named, a digital scale, post-incarceration, a religious follower, a platform of any kind,
    # footage circulated on social networks
    ("The case is prosecuted by the Computer Crime and Intellectual Property Section, the indictment charges.",
     "technology", "He sold drugs on the dark web, the indictment charges."),
    ("He sold cocaine and kept a digital scale.", "technology", "He sold cocaine on a website."),
    ("Programs give inmates skills for post incarceration employment.", "technology",
     "He posted photos of the drugs on Instagram."),
    ("He sent a follower to aid the drug cartel, the indictment charges.", "technology",
     "The dealer had thousands of followers on Instagram and sold drugs."),
    ("Spotify, la plateforme, consacre un podcast à une affaire de meurtre.", "technology",
     "Les dealers vendent la drogue sur Snapchat."),
    ("Sur des vidéos diffusées sur les réseaux sociaux, on le voit être interpellé.", "technology",
     "Les trafiquants vendent la drogue sur les réseaux sociaux."),
    ("Le décret d'application sur les saisies de drogue est paru au Journal officiel.", "technology",
     "Une application de livraison de cannabis."),
    # health: emergency services, dangerous people, threats of violence, a medicine's indication, fraud victims
    ("Le jeune homme était en arrêt cardiaque à l'arrivée des pompiers après la fusillade liée au trafic de drogue.",
     "health", "Une overdose de cocaïne."),
    ("One of the most dangerous and feared drug kingpins was extradited.", "health",
     "Fentanyl is a dangerous drug that kills."),
    ("He used threats of violence to manage drug distribution points.", "health",
     "The opioid epidemic is a threat to public health."),
    ("The company promoted the drug to treat schizophrenia.", "health", "Treatment for opioid addiction."),
    ("Il a été récupéré par une force dépendant de l'armée, dans une zone de trafic de drogue.", "health",
     "Il était dépendant à l'héroïne."),
    # police_means: evidence or approval lacking for a medicine, a backlog reduced
    ("There was insufficient clinical evidence to support the claims, the indictment alleges.", "police_means",
     "The police have limited resources to investigate drug trafficking."),
    ("She enabled the office to reduce its backlogged investigations.", "police_means",
     "The police are overwhelmed by the backlog of drug investigations."),
    # enforcement: incarceration as a status, commutations, forfeiture units, penalties called for, "grâce"
    ("Prison sentence commuted to 175 months, conditioned upon drug treatment.", "enforcement",
     "He was sentenced to 175 months in prison for trafficking cocaine."),
    ("Assisted by the Asset Forfeiture Unit in the drug case.", "enforcement", "Agents seized cocaine and cash."),
    ("Le syndicat réclame des condamnations plus lourdes pour les chauffards drogués.", "enforcement",
     "Il a été condamné à deux ans de prison pour trafic de stupéfiants."),
    ("Un retour en grâce pour l'ancien dealer.", "enforcement", "Le dealer a été interpellé."),
    # law_procedure: prisons as the places gangs began, grant programs, lawful products
    ("The gang was established within the Texas prison system to traffic drugs.", "law_procedure",
     "He was sentenced to prison for drug trafficking."),
    ("Grants bolster justice systems and prevent youth substance abuse.", "law_procedure",
     "The court convicted him of drug trafficking."),
    ("La majorité des overdoses proviennent des drogues légales prescrites par les docteurs.", "law_procedure",
     "La loi interdit la vente de drogues."),
    # organized_crime: a terrorist conspiracy
    ("Il est poursuivi pour association de malfaiteurs terroriste et détention d'armes.", "organized_crime",
     "Il est poursuivi pour trafic de stupéfiants en bande organisée."),
    # youth: an adult's own youth
    ("Dans sa jeunesse, le dealer vendait du cannabis.", "youth", "Les dealers vendent du cannabis aux collégiens."),
])
def test_development_false_positive_classes(sentence, frame, still):
    assert frame not in set(frame_sentences(docs(sentence))["frame"])
    assert frame in set(frame_sentences(docs(still))["frame"]), still


def test_english_legal_prose_is_not_commerce():
    d = docs("The court ordered him to pay restitution.", "The judge ordered his detention.")
    d["language"] = "en"
    assert "commerce" not in set(frame_sentences(d)["frame"])


def test_frames_in_takes_the_concept_hits_already_found():
    from analysis.narratives.concepts import concepts_in
    from analysis.narratives.frames import frame_rules, frames_in
    from analysis.text.parse import parse_document

    doc = parse_document("d", "g", "Les cartels livrent la cocaïne. Un menu de prix. Il pleut.", "fr")
    rules = frame_rules()
    assert frames_in(doc, rules, concepts_in(doc, rules.concepts)) == frames_in(doc, rules)
    sentences, shares = frames_in(doc, rules, hits=[])  # no concept hit given: only terms and patterns
    assert sentences == [] and all(s["n_frame_sentences"] == 0 for s in shares)


def test_frames_in_accepts_plain_pairs_of_id_and_regex():
    import re

    from analysis.narratives.frames import frames_in
    from analysis.text.parse import parse_document

    doc = parse_document("d", "g", "Il pleut. Rien.", "fr")
    sentences, shares = frames_in(doc, [("rain", re.compile(r"pleut"))])
    assert [(s["frame"], s["sentence_id"], s["term"]) for s in sentences] == [("rain", 0, "pleut")]
    assert shares[0]["share"] == pytest.approx(0.5)


def test_user_frame_mixing_concepts_and_terms(tmp_path):
    path = tmp_path / "frames.yaml"
    path.write_text("- id: mix\n  label: Mix\n  definition: d\n  concepts: [cannabis]\n  terms: [pluie]\n",
                    encoding="utf-8")
    hits = frame_sentences(docs("Du cannabis saisi. De la pluie. Du soleil."), lexicon=path)
    assert hits["sentence_id"].tolist() == [0, 1] and hits["term"].tolist() == ["cannabis", "pluie"]


def test_unknown_concept_names_the_frame(tmp_path):
    path = tmp_path / "frames.yaml"
    path.write_text("- id: a\n  concepts: [no_such_concept]\n", encoding="utf-8")
    with pytest.raises(AnalysisError, match="no_such_concept") as info:
        load_frames(path)
    assert "frames.yaml" in str(info.value) and "(a)" in str(info.value)


def test_frames_can_use_another_concept_lexicon(tmp_path):
    concepts = tmp_path / "concepts.yaml"
    concepts.write_text("- id: rain\n  label: Rain\n  definition: weather\n  en: [rain]\n  fr: [pluie, pleuvoir]\n",
                        encoding="utf-8")
    frames = tmp_path / "frames.yaml"
    frames.write_text("- id: weather\n  concepts: [rain]\n", encoding="utf-8")
    hits = frame_sentences(docs("Il pleut. Rien."), lexicon=frames, concepts=concepts)
    assert hits["sentence_id"].tolist() == [0] and hits["term"].tolist() == ["pleut"]


def test_frame_rules_unpack_as_pairs_and_cross_processes():
    import pickle

    from analysis.narratives.frames import frame_rules, frames_in
    from analysis.text.parse import parse_document

    rules = frame_rules()
    assert [fid for fid, _ in rules] == list(load_frames()["frame"])  # the pipeline's `for fid, _ in rules`
    back = pickle.loads(pickle.dumps(rules))  # sent to worker processes and Dask workers
    assert back.concept_ids == rules.concept_ids and back.concepts.ids == rules.concepts.ids
    assert back.requires == rules.requires and any(rules.requires)
    assert [x.pattern if x else None for x in back.excludes] == [x.pattern if x else None for x in rules.excludes]
    doc = parse_document("d", "g", "Les cartels livrent la cocaïne. Il pleut.", "fr")
    assert frames_in(doc, back) == frames_in(doc, rules)


def test_bootstrap_and_permutation_in_blocks_give_the_draws_made_at_once(monkeypatch):
    """Memory stays bounded on large corpora: the resamples are drawn in blocks, and the comparison is the same
    to the last digit as when every draw is held at once."""
    import numpy as np
    import pandas as pd

    from analysis.narratives import frames as F

    rng = np.random.default_rng(3)
    shares = pd.DataFrame({"doc_id": [f"d{i:04d}" for i in range(900)], "group": ["a"] * 400 + ["b"] * 500,
                           "frame": ["x"] * 900, "share": rng.random(900)})
    monkeypatch.setattr(F, "BLOCK_CELLS", 50_000)  # many blocks
    blocks = F.compare_frames(shares, "a", "b", n_boot=300, seed=1)
    monkeypatch.setattr(F, "BLOCK_CELLS", 10**12)  # one block
    pd.testing.assert_frame_equal(blocks, F.compare_frames(shares, "a", "b", n_boot=300, seed=1), check_exact=True)
