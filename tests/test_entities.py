"""Actors and entities: gazetteer mentions and named operations, on the seeds and on traps."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis.narratives.entities import ENTITY_COLUMNS, find_entities, load_gazetteer
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
    measured = seed_entities[seed_entities["category"].isin(set(gold["category"]))]
    key = list(zip(gold["doc_id"], gold["category"], gold["canonical"]))
    got = sorted(set(zip(measured["doc_id"], measured["category"], measured["canonical"])))
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
    assert found(text, "agency") >= {"ministère de l'Intérieur", "préfets", "parquet", "CBP", "DEA"}


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
