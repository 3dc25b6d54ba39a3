"""Actors and entities: gazetteer mentions and named operations, on the seeds and on traps."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis.narratives.agencies import agency_id
from analysis.narratives.entities import (ENTITY_COLUMNS, find_entities, label_for, load_gazetteer, relabel,
                                          resolve_labels)
from analysis.errors import AnalysisError, ParameterError
from fixtures.annotations.scoring import annotations, fmt, prf


def ents(text: str, gazetteer=None) -> pd.DataFrame:
    return find_entities(pd.DataFrame({"doc_id": ["d"], "group": ["g"], "text": [text]}), gazetteer)


def found(text: str, category: str | None = None, gazetteer=None) -> set[str]:
    e = ents(text, gazetteer)
    if category:
        e = e[e["category"] == category]
    return set(e["canonical"])


@pytest.fixture(scope="module")
def seed_entities(seed_docs):
    return find_entities(seed_docs)


def test_seed_precision_and_recall(seed_entities):
    gold = annotations("entities")
    # the seed annotation predates generic_agency: its "forces de l'ordre" is the generic mention now
    gold.loc[gold["canonical"] == "forces de l'ordre", "category"] = "generic_agency"
    measured = seed_entities[seed_entities["category"].isin(set(gold["category"]))]
    key = list(zip(gold["doc_id"], gold["category"], gold["canonical"]))
    # an office found by pattern ("parquet de Saint-Étienne") is the annotated "parquet", named more exactly
    known = set(gold["canonical"])
    family = {c: next((k for k in known if c.startswith(k + " de ")), c) for c in set(measured["canonical"])}
    got = sorted(set(zip(measured["doc_id"], measured["category"], measured["canonical"].map(family))))
    score = prf(key, got)
    lines = [fmt("entities (doc_id + category + canonical, distinct per document)", score)]
    for cat in sorted(set(gold["category"])):
        s = prf([k for k in key if k[1] == cat], [k for k in got if k[1] == cat])
        lines.append("  " + fmt(cat, s))
    print("\n" + "\n".join(lines))
    missing = set(key) - set(got)
    assert not {k for k in missing if k[1] in ("platform", "drug", "operation")}, \
        f"platforms, drugs or operations missed: {sorted(missing)}"
    assert score["recall"] >= 0.9 and score["precision"] >= 0.9, "\n".join(lines)


def test_table_shape_and_offsets(seed_docs, seed_entities):
    assert list(seed_entities.columns) == ENTITY_COLUMNS
    texts = dict(zip(seed_docs["doc_id"], seed_docs["text"]))
    for rec in seed_entities.itertuples():
        assert texts[rec.doc_id][rec.start:rec.end] == rec.surface
        assert rec.surface.replace("\n", " ") in rec.sentence.replace("\n", " ") or "\n" in rec.surface


def test_one_row_per_mention(seed_entities):
    dea = seed_entities[(seed_entities["doc_id"] == "us_dea_last_mile") & (seed_entities["canonical"] == "DEA")]
    assert len(dea) >= 4  # (DEA) in the lead, "selon la DEA", "un rapport de la DEA", "la DEA et ses partenaires"


# --- named operations ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,names", [
    ("L'opération Artemis a conduit à la saisie de milliers de livres", {"Artemis"}),
    ("Operation Last Mile tracked the cartels.", {"Last Mile"}),
    ("L’«Opération Last Mile», menée pendant un an", {"Last Mile"}),
    ("Opération « Place nette XXL » à Marseille : Gérald Darmanin livre un bilan", {"Place nette XXL"}),
    ("Suite au succès des opérations Blue Lotus et Four Horsemen, qui ont arrêté", {"Blue Lotus", "Four Horsemen"}),
    ("Dans le cadre de l'Opération Blue Lotus 2.0, lancée le 12 juin", {"Blue Lotus 2.0"}),
    ("dans le cadre des opérations « place nette », le trafic", {"Place nette"}),
    ("le CBP mène une opération parallèle appelée Opération Argus, qui fournit", {"Argus"}),
    ("HSI renforce l'Opération Hydra ; et Operation Chain Breaker, qui cible", {"Hydra", "Chain Breaker"}),
    ("L'opération a aussi déterminé que ces cartels se servent de gangs.", set()),
    ("Cette opération de patrouille frontalière a saisi des drogues.", set()),
])
def test_operations_by_pattern(text, names):
    assert found(text, "operation") == names


def test_operation_name_propagates_within_the_document_only():
    docs = pd.DataFrame({"doc_id": ["a", "b"], "group": ["g", "g"], "text": [
        "L'opération Artemis du CBP a conduit à 130 saisies. Le succès d'Artemis est net.",
        "Artemis, déesse de la chasse, est la sœur jumelle d'Apollon.",
    ]})
    e = find_entities(docs)
    ops = e[e["category"] == "operation"]
    assert ops["doc_id"].tolist() == ["a", "a"]
    assert ops["surface"].tolist() == ["Artemis", "Artemis"]


def test_artemis_the_goddess_is_not_an_operation():
    assert found("Artemis, déesse grecque de la chasse, veille sur la forêt.", "operation") == set()


# --- ambiguous aliases ---------------------------------------------------------------------------------------

def test_signal_and_wire_as_common_words_are_not_platforms():
    text = ("Le Signal d'alarme a retenti dans la gare. Wire est un mot anglais pour un câble. "
            "La police a reçu un signal fort.")
    assert found(text, "platform") == set()


def test_signal_and_wire_next_to_messaging_words_are_platforms():
    text = "Les trafiquants utilisent des messageries chiffrées comme Signal, Wire et Wickr."
    assert found(text, "platform") == {"Signal", "Wire", "Wickr"}


def test_x_is_twitter_only_in_context():
    assert found("Il a publié sur le réseau social X une vidéo.", "platform") == {"Twitter/X"}
    assert found("Le suspect X a été interpellé.", "platform") == set()


def test_slang_and_precursors():
    assert found("#shit #beuh #cocaïne. Livraison à domicile", "drug") == {"cannabis", "cocaïne"}
    assert found("5 000 livres de précurseurs chimiques", "drug") == {"précurseurs chimiques"}
    assert found("de la coke et de la xylazine", "drug") == {"cocaïne", "xylazine"}


def test_lydia46_and_uber_shit_across_a_line_break():
    assert found("des programmes de type Lydia46 sont utilisés", "payment") == {"Lydia"}
    e = ents("comme Uber\nShit qui a été relayée par des médias")
    assert e[["category", "canonical"]].values.tolist() == [["delivery", "Uber Shit"]]  # not "shit" the drug


def test_agencies_french_and_english():
    text = ("Le ministre de l’Intérieur a écrit aux préfets ; la place Beauvau et le parquet de Saint-Étienne. "
            "Customs and Border Protection (CBP) and the Drug Enforcement Administration.")
    assert found(text, "agency") >= {"ministère de l'Intérieur", "préfets", "parquet de Saint-Étienne", "CBP", "DEA"}


# --- the gazetteer is a data file -------------------------------------------------------------------------

def test_user_adds_a_platform_by_editing_a_file(tmp_path):
    path = tmp_path / "gaz.yaml"
    path.write_text("- {canonical: Threema Work, category: platform, aliases: [Threema Work, ThreemaWork]}\n"
                    "- {canonical: Jean Dupont, category: person, aliases: [Jean Dupont]}\n", encoding="utf-8")
    e = ents("Jean Dupont vend sur ThreemaWork.", gazetteer=path)
    assert set(zip(e["category"], e["canonical"])) == {("platform", "Threema Work"), ("person", "Jean Dupont")}


def test_a_table_works_as_gazetteer():
    gaz = pd.DataFrame({"canonical": ["Foo"], "category": ["platform"], "alias": ["foo app"]})
    assert found("sur la Foo App hier", gazetteer=gaz) == {"Foo"}


def test_shipped_gazetteer_loads():
    gaz = load_gazetteer()
    assert {"platform", "drug", "agency", "criminal_org", "payment", "delivery", "person"} <= set(gaz["category"])
    key = [a if cs else a.lower() for a, cs in zip(gaz["alias"], gaz["case_sensitive"])]
    dup = gaz.assign(key=key).duplicated(["key", "case_sensitive"], keep=False)
    assert not dup.any(), gaz[dup]  # an alias listed twice, or for two canonical names, is a mistake


@pytest.mark.parametrize("content,message", [
    ("- {category: platform, aliases: [A]}\n", "entry 1"),
    ("- {canonical: A, category: platform, aliases: [A]}\n- {canonical: B, aliases: [B]}\n", "entry 2"),
    ("- {canonical: A, category: platform, aliases: []}\n", "aliases"),
    ("- {canonical: A, category: platform, aliases: [A], colour: red}\n", "unknown key"),
    ("canonical: A\n", "list of entries"),
    ("- [unclosed\n", "not valid YAML"),
])
def test_bad_gazetteer_names_file_and_entry(tmp_path, content, message):
    path = tmp_path / "gaz.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(AnalysisError, match=message) as info:
        load_gazetteer(path)
    assert "gaz.yaml" in str(info.value)


def test_missing_gazetteer_is_a_parameter_error(tmp_path):
    with pytest.raises(ParameterError, match="gazetteer"):
        ents("x", gazetteer=tmp_path / "nope.yaml")


# --- agencies by pattern, generic mentions, identities and labels ---------------------------------------------

@pytest.mark.parametrize("text,name", [
    ("said Orange County District Attorney Todd Spitzer.", "Orange County District Attorney's Office"),
    ("The Dallas County Criminal District Attorney’s Office filed", "Dallas County District Attorney's Office"),
    ("the Dallas County DA's Office said", "Dallas County District Attorney's Office"),
    ("Cook County State’s Attorney Eileen O’Neill Burke", "Cook County State's Attorney's Office"),
    ("assisted by the La Mesa Police Department.", "La Mesa Police Department"),
    ("Las Cruces, New Mexico, Police Department; and", "Las Cruces Police Department"),
    ("the El Paso County Sheriffs Office and", "El Paso County Sheriff's Office"),
    ("the Riverside County Sheriff's Department", "Riverside County Sheriff's Office"),
    ("U.S. Attorney's Office for the Central District of California", "U.S. Attorney's Office for the Central District of California"),
    ("Acting U.S. Attorney Sloman of the Southern District of Florida. Federal", "U.S. Attorney's Office for the Southern District of Florida"),
    ("the California Highway Patrol and the New Mexico State Police", "California Highway Patrol"),
    ("the Texas Department of Public Safety", "Texas Department of Public Safety"),
    ("the Orange County Human Trafficking Task Force", "Orange County Human Trafficking Task Force"),
    ("selon la police cantonale vaudoise,", "police cantonale vaudoise"),
    ("la police cantonale de Genève a", "police cantonale genevoise"),
    ("le procureur de la République de Lons-le-Saunier a", "parquet de Lons-le-Saunier"),
    ("a indiqué le parquet de Marseille", "parquet de Marseille"),
    ("la police municipale de Nice", "police municipale de Nice"),
    ("la section de recherches de la gendarmerie de Besançon", "section de recherches de Besançon"),
    ("Police Nyon Région est intervenue", "Police Nyon Région"),
])
def test_agencies_by_pattern(text, name):
    assert name in found(text, "agency")


def test_headline_words_and_courts_are_not_agencies():
    assert found("Man Charged By Chicago Police Department", "agency") == {"Chicago Police Department"}
    assert not found("before the U.S. District Court for the Southern District of Texas", "agency")


def test_title_and_office_are_one_agency():
    e = ents("San Diego County District Attorney Summer Stephan said the San Diego County District Attorney’s "
             "Office will appeal.")
    assert e.loc[e["category"] == "agency", "entity_id"].tolist() == \
        ["agency.san_diego_county_district_attorney_s_office"] * 2


@pytest.mark.parametrize("text,names", [
    ("ATF, the U.S. Marshals Service, the U.S. Postal Inspection Service and IRS-CI", {"ATF", "U.S. Marshals Service",
                                                                                   "U.S. Postal Inspection Service",
                                                                                   "IRS Criminal Investigation"}),
    ("HSI and the FBI", {"HSI", "FBI"}),
    ("la DGDDI, l'OFAST, Interpol et Europol", {"douane française", "OFAST", "Interpol", "Europol"}),
    ("la Sûreté du Québec et le SPVM", {"Sûreté du Québec", "SPVM"}),
    ("la préfecture de police a indiqué", {"préfecture de police"}),
])
def test_agencies_by_list(text, names):
    assert found(text, "agency") == names


def test_generic_mentions_are_never_one_institution():
    e = ents("Prosecutors and law enforcement partners said police would help. Les autorités et les enquêteurs.")
    assert set(e["category"]) == {"generic_agency"}
    assert set(e["entity_id"]) == {"generic.prosecutors", "generic.law_enforcement", "generic.police",
                                   "generic.authorities", "generic.investigators"}
    assert "forces de l'ordre" not in set(e["label"])  # an English text labelled in English
    assert not found("a police officer with the unit", "generic_agency")


def test_labels_follow_the_language():
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "group": ["g"] * 3, "language": ["en", "en", "fr"],
                         "text": ["law enforcement seized cocaine", "more cocaine", "les forces de l'ordre"]})
    auto = find_entities(docs)
    assert set(auto.loc[auto["entity_id"] == "generic.law_enforcement", "label"]) == {"law enforcement"}
    assert set(auto.loc[auto["entity_id"] == "drug.cocaine", "label"]) == {"cocaine"}
    fr = find_entities(docs, labels="fr")
    assert set(fr.loc[fr["entity_id"] == "drug.cocaine", "label"]) == {"cocaïne"}
    assert set(fr["canonical"]) == set(auto["canonical"])  # canonical stays, whatever the labels
    assert set(relabel(fr, "en")["label"]) == set(auto["label"])
    with pytest.raises(ParameterError, match="labels"):
        find_entities(docs, labels="de")


def test_label_for_and_resolve_labels():
    assert label_for("generic.law_enforcement", "en") == "law enforcement"
    assert label_for("generic.law_enforcement", "fr") == "forces de l'ordre"
    assert label_for("agency.la_mesa_police_department", "en", default="La Mesa Police Department") == \
        "La Mesa Police Department"
    assert resolve_labels("auto", ["fr", "fr-CA", "en"]) == "fr"
    assert resolve_labels("auto", []) == "en"
    assert resolve_labels("en", ["fr"]) == "en"


def test_pattern_ids_are_deterministic():
    a = ents("the La Mesa Police Department")
    b = ents("Officers of the La Mesa  Police\nDepartment")
    assert a["entity_id"].tolist() == b["entity_id"].tolist() == ["agency.la_mesa_police_department"]
    assert agency_id("Préfecture de l’Aude") == "agency.prefecture_de_l_aude"


def test_every_gazetteer_entry_has_an_id_and_both_labels():
    gaz = load_gazetteer()
    assert gaz["id"].str.fullmatch(r"[a-z_]+\.[a-z0-9_]+").all()
    assert (gaz["label_en"] != "").all() and (gaz["label_fr"] != "").all()
    assert gaz.groupby("id")["category"].nunique().max() == 1


def test_an_id_with_two_names_is_an_error(tmp_path):
    path = tmp_path / "gaz.yaml"
    path.write_text("- {id: platform.a, canonical: A, category: platform, aliases: [A]}\n"
                    "- {id: platform.a, canonical: B, category: platform, aliases: [B]}\n", encoding="utf-8")
    with pytest.raises(AnalysisError, match="entry 2"):
        load_gazetteer(path)


# --- drugs ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,drug", [
    ("morphine and heroin", "drug.morphine"), ("OxyContin pills", "drug.oxycodone"),
    ("30 Percocet tablets", "drug.oxycodone"), ("des comprimés de Xanax", "drug.alprazolam"),
    ("alprazolam", "drug.alprazolam"), ("des pilules de captagon", "drug.captagon"),
    ("hydrocodone", "drug.hydrocodone"), ("carfentanil", "drug.carfentanil"), ("xylazine", "drug.xylazine"),
    ("ketamine", "drug.ketamine"), ("du GHB", "drug.ghb"), ("LSD", "drug.lsd"),
    ("psilocybine", "drug.psilocybin"), ("PCP", "drug.pcp"), ("MDMA", "drug.mdma"),
])
def test_drugs_en_and_fr(text, drug):
    e = ents(text)
    assert drug in set(e.loc[e["category"] == "drug", "entity_id"])


def test_drug_classes_are_not_drugs():
    e = ents("opioids and opioïdes")
    assert set(e["category"]) == {"drug_class"}


# --- operations: headlines and line breaks -----------------------------------------------------------------------

@pytest.mark.parametrize("text,names", [
    ("The investigation, Operation Grease\nMonkey, began in 2019.", {"Grease Monkey"}),
    ("Operation Last Mile\nPress Release\nThe DEA announced", {"Last Mile"}),
    ("DEFENDANT CHARGED WITH ILLEGAL OPERATION OF GAMBLING DEVICES IN CALIFORNIA\nThe man ran", set()),
    ("Eleven Defendants Charged After Operation Allegedly Took Millions From Seniors\nThe case", set()),
    ("a drug trafficking operation Arizona officials shut down", set()),
    ("Operation Safe Streets In Texas led to arrests.", {"Safe Streets"}),
    ("the criminal operation in Arizona was dismantled", set()),
])
def test_operations_not_from_headlines(text, names):
    assert found(text, "operation") == names


def test_operation_named_in_the_body_is_found_in_its_headline_too():
    e = ents("Eleven Charged In Operation Grease Monkey\nThe defendants were arrested in Operation Grease Monkey, a"
             " long investigation.")
    assert e.loc[e["category"] == "operation", "canonical"].tolist() == ["Grease Monkey", "Grease Monkey"]


def test_operation_names_lose_surrounding_quote_marks():
    from analysis.narratives.entities import operation_canonical

    assert operation_canonical("Red Zone’") == "Red Zone"
    assert operation_canonical("« place nette »") == "Place nette"
    assert operation_canonical('"Grease  Monkey",') == "Grease Monkey"


# --- forms met on the second development split (dev2) --------------------------------------------------------

@pytest.mark.parametrize("text,name", [
    ("Policies of the District Attorney's Office", "District Attorney's Office"),
    ("The San Diego County District Attorney’s Office announced a campaign. The District Attorney’s office and the "
     "county partnered.", "San Diego County District Attorney's Office"),
    ("Acting Brooklyn District Attorney Eric Gonzalez announced the charges.", "Kings County District Attorney's Office"),
    ("the Colorado City Marshals Office engaged in abuses. The Marshals Office has seven officers.",
     "Colorado City Marshal's Office"),
    ("the Montgomery County, Texas, Precinct 4 Constables Office", "Precinct 4 Constable's Office"),
    ("the San Diego County Health and Human Services Agency partnered", "San Diego County Health and Human Services Agency"),
    ("agents of the Texas Alcohol and Beverage Commission", "Texas Alcohol and Beverage Commission"),
])
def test_more_agencies_by_pattern(text, name):
    e = ents(text)
    assert set(e.loc[e["category"] == "agency", "canonical"]) == {name}
    assert (e["category"] == "agency").sum() == max(1, len(re.findall(r"(?i)\boffice\b", text)))  # the bare one too


def test_a_bare_office_of_a_document_naming_two_offices_keeps_the_pattern_name():
    text = ("The Orange County District Attorney's Office and the Riverside County District Attorney's Office "
            "worked together; the District Attorney's Office will file charges.")
    assert found(text, "agency") == {"Orange County District Attorney's Office",
                                     "Riverside County District Attorney's Office", "District Attorney's Office"}


def test_police_beside_the_gendarmerie_is_the_national_police():
    assert found("les crimes enregistrés par la police et la gendarmerie", "agency") == {"police nationale",
                                                                                       "gendarmerie"}
    assert found("des affrontements avec la police ces dernières semaines", "generic_agency") == {"police"}
    assert found("la création d'une police municipale à Paris", "agency") == {"police municipale de Paris"}


def test_new_gazetteer_agencies():
    assert found("a indiqué le secrétaire d’État français à l’Intérieur, Laurent Nuñez", "agency") == {
        "ministère de l'Intérieur"}
    assert found("en présence de la garde républicaine et du Comité consultatif national d’éthique", "agency") == {
        "garde républicaine", "Comité consultatif national d'éthique"}
    assert found("investigated by the Texas Rangers and the FBI", "agency") == {"Texas Rangers", "FBI"}
    assert not found("the Texas Rangers won the game last night", "agency")


def test_a_call_to_follow_the_page_is_no_platform_mention():
    assert not found("Pour faire le plein d'inspiration mode, suivez billie jean sur Instagram et Facebook.",
                     "platform")
    assert found("Elle a publié la vidéo sur Instagram.", "platform") == {"Instagram"}


@pytest.mark.parametrize("text,names", [
    ("They were questioned by Anaheim police and arrested.", {"Anaheim Police Department"}),
    ("detectives from the Beaumont, Cathedral City, Hemet, and Riverside Police Departments.",
     {"Beaumont Police Department", "Cathedral City Police Department", "Hemet Police Department",
      "Riverside Police Department"}),
    ("the Riverside County Gang Impact Team (GIT) arrested him", {"Riverside County Gang Impact Team"}),
    ("staffed by agents from the DA’s Bureau of Investigation", set()),
    ("the Mexican police and the La police", set()),
    ("a parole hearing before the Board of Parole Hearings", {"parole board"}),
    ("investigated with the U.S. Postal Service", {"U.S. Postal Service"}),
])
def test_agencies_of_dev3(text, names):
    e = ents(text)
    assert set(e.loc[e["category"] == "agency", "label"]) == names


def test_french_agencies_of_dev3():
    text = ("le patron de la DGSI, Laurent Nunez ; la ministre de la Santé Agnès Buzyn ; l'Agence nationale de la "
            "sécurité du médicament (ANSM) ; le bureau des prisons a fixé les dates ; les ministres de l'Intérieur")
    assert found(text, "agency") >= {"DGSI", "ANSM", "ministère de la Santé", "ministère de l'Intérieur",
                                     "Federal Bureau of Prisons"}
