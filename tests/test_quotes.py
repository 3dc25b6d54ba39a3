"""Voices: quotations, speakers, roles and kinds of voice, on the seeds and on traps."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis.errors import AnalysisError
from analysis.narratives.quotes import QUOTE_COLUMNS, find_quotes, load_voices, voice_kind
from fixtures.annotations.scoring import annotations, fmt, prf, same_speaker
from test_heldout_quotes import match

OFFICIAL_KINDS = {"official", "police", "prosecutor", "union"}


def quotes(text: str) -> pd.DataFrame:
    return find_quotes(pd.DataFrame({"doc_id": ["d"], "group": ["g"], "text": [text]}))


def one(text: str) -> pd.Series:
    q = quotes(text)
    assert len(q) == 1, f"expected one quote in {text!r}, got:\n{q[['speaker', 'quote']]}"
    return q.iloc[0]


@pytest.fixture(scope="module")
def seed_quotes(seed_docs):
    return find_quotes(seed_docs)


def test_seed_quotes_precision_recall_and_speakers(seed_quotes):
    gold = annotations("quotes")
    pairs = match(gold, seed_quotes)
    tp = sum(1 for _, f in pairs if f is not None)
    score = prf(list(range(len(gold))), list(range(tp)) + [f"x{i}" for i in range(len(seed_quotes) - tp)])
    right = [(g, f) for g, f in pairs if f is not None and same_speaker(g.speaker, f["speaker"])]
    kind = [(g, f) for g, f in pairs if f is not None and g.voice_kind == f["voice_kind"]]
    print("\n" + fmt("quotes (doc_id + first words)", score)
          + f"\nspeaker right for {len(right)}/{len(gold)} annotated quotes ({len(right) / len(gold):.3f}); "
          f"voice_kind right for {len(kind)}/{len(gold)} ({len(kind) / len(gold):.3f})")
    assert score["recall"] >= 0.9 and score["precision"] >= 0.9, fmt("quotes", score)
    wrong = [(g.doc_id, g.quote_start, g.speaker, None if f is None else f["speaker"]) for g, f in pairs
             if g.voice_kind in OFFICIAL_KINDS and (f is None or not same_speaker(g.speaker, f["speaker"]))]
    assert not wrong, f"official voices not identified with the right name: {wrong}"
    assert len(right) / len(gold) >= 0.9


def test_every_quoted_official_is_named(seed_quotes):
    expected = {
        "us_dea_last_mile": {"Anne Milgram"},
        "us_dhs_artemis": {"Alexander N. Mayorkas", "Troy A. Miller"},
        "fr_lyon_snapchat": {"Thibaut Fontaine", "David Charmatz", "Gérald Darmanin"},
        "fr_toulouse_reseaux": {"David Porte"},
        "fr_darmanin_cyberpatrouilles": {"Gérald Darmanin"},
    }
    for doc_id, names in expected.items():
        speakers = set(seed_quotes.loc[seed_quotes["doc_id"] == doc_id, "speaker"])
        assert names <= speakers, (doc_id, names - speakers)
    kinds = dict(zip(seed_quotes["speaker"], seed_quotes["voice_kind"]))
    assert kinds["Anne Milgram"] == kinds["Alexander N. Mayorkas"] == kinds["Troy A. Miller"] == "official"
    assert kinds["Gérald Darmanin"] == "official"
    assert kinds["Thibaut Fontaine"] == "police"
    assert kinds["David Charmatz"] == "prosecutor"
    assert kinds["David Porte"] == "union"
    assert kinds["Steve Bonet"] == "company/expert"


def test_table_shape(seed_docs, seed_quotes):
    assert list(seed_quotes.columns) == QUOTE_COLUMNS
    assert set(seed_quotes["voice_kind"]) <= {"official", "police", "prosecutor", "union", "company/expert",
                                              "user/witness", "unknown"}
    texts = dict(zip(seed_docs["doc_id"], seed_docs["text"]))
    for rec in seed_quotes.itertuples():
        assert texts[rec.doc_id][rec.start] in "«“\""


# --- scare quotes and names ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "y compris les dirigeants du cartel connus sous le nom de «Chapitos».",
    "Nous avons fait appel au compte. Il nous a envoyé le \"menu\" de ce qui pouvait être proposé.",
    "les forces de l’ordre doivent renforcer leur « veille numérique » par la mise en place de ces « cyberpatrouilles ».",
    "dans le cadre des opérations « place nette », le trafic continue.",
    "livré par ce réseau baptisé « Ubershit ».",
])
def test_scare_quotes_and_names_are_not_quotations(text):
    assert quotes(text).empty


def test_short_quote_counts_when_a_speech_verb_attributes_it():
    q = one('Cependant, les dealers "sont intelligents", selon Thibaut Fontaine.')
    assert (q["quote"], q["speaker"]) == ("sont intelligents", "Thibaut Fontaine")


# --- speakers ------------------------------------------------------------------------------------------------

def test_quote_without_speaker():
    q = one("Le marché change. « Il y a beaucoup d'obstacles à un résultat extrêmement faible. »")
    assert q["speaker"] == "" and q["voice_kind"] == "unknown"


def test_missing_space_after_declare():
    q = one('"Nous avons saisi plus de 5 000 livres de précurseurs chimiques", a déclaréSecrétaire à la '
            'Sécurité intérieure Alexander N. Mayorkas . La suite.')
    assert q["speaker"] == "Alexander N. Mayorkas" and q["voice_kind"] == "official"


def test_name_then_role_after_the_quote():
    q = one("« Ce n’est pas compliqué si nous intervenons », explique David Porte, le secrétaire général de la "
            "Fédération professionnelle indépendante de la police (FPIP), le plus ancien syndicat de la profession.")
    assert q["speaker"] == "David Porte"
    assert "secrétaire général" in q["role"]
    assert q["voice_kind"] == "union"  # a union official, not "official" nor "police"


def test_prosecutor_and_police():
    q = one('"C\'est la première fois", explique David Charmatz, procureur, qui précise que les enquêtes sont rares.')
    assert (q["speaker"], q["voice_kind"]) == ("David Charmatz", "prosecutor")
    q = one('"Nous surveillons les prix" selon le commissaire Thibaut Fontaine.')
    assert (q["speaker"], q["voice_kind"]) == ("Thibaut Fontaine", "police")


def test_pronoun_and_role_resolve_to_the_last_compatible_named_speaker():
    text = ("« Les services sont débordés », souligne David Porte, représentant syndical de la FPIP.\n"
            "« Sur Twitter, cela peut atteindre 10 % des publications », explique Steve Bonet, directeur chez Atchik.\n"
            "« C'est clairement du e-commerce », ajoute-t-il.\n"
            "« Un enfant peut se retrouver confronté à ce genre de propositions » alerte le représentant syndical.")
    q = quotes(text)
    assert q["speaker"].tolist() == ["David Porte", "Steve Bonet", "Steve Bonet", "David Porte"]
    assert q["voice_kind"].tolist() == ["union", "company/expert", "company/expert", "union"]


def test_speaker_before_the_verb_after_the_quote():
    q = one("« Sous l’influence des évolutions technologiques », le ministre de l’Intérieur Gérald Darmanin a "
            "demandé aux préfets de prendre de nouvelles mesures.")
    assert q["speaker"] == "Gérald Darmanin" and q["voice_kind"] == "official"
    assert "ministre" in q["role"]


def test_incise_inside_an_unclosed_quote():
    q = one('"C\'est extrêmement facile, dit Florian, qui se sert de Snapchat pour commander du\ncannabis.')
    assert q["speaker"] == "Florian" and q["quote"] == "C'est extrêmement facile"
    assert q["voice_kind"] == "user/witness"


def test_unclosed_quote_runs_to_the_end_of_its_paragraph():
    text = ("«Ce qui est alarmant, c'est cela, a déclaré l'administratrice Anne Milgram. Les cartels utilisent "
            "les médias sociaux.\n\nAFP\n\n«Lorsque leur produit tue des Américains, ils recommencent.»")
    q = quotes(text)
    assert len(q) == 2
    assert q.iloc[0]["quote"].endswith("utilisent les médias sociaux")
    assert "AFP" not in q.iloc[0]["quote"]
    assert q["speaker"].tolist() == ["Anne Milgram", "Anne Milgram"]


def test_nested_quotes_stay_inside():
    q = one('" Le plus souvent, ils utilisent des articles similaires à "uber" ou à d\'autres services de livraison."')
    assert "uber" in q["quote"] and q["quote"].endswith("services de livraison")
    q = one("« La ’voiture numérique et cyber’ de l’État doit rouler plus vite », conclut d’ailleurs le ministre.")
    assert q["quote"].startswith("La ’voiture numérique")


def test_curly_quotes_and_english_attribution():
    q = one("“When their product kills Americans, they simply try to victimize others,” said Administrator "
            "Anne Milgram.")
    assert q["speaker"] == "Anne Milgram" and q["voice_kind"] == "official"


def test_institution_as_speaker():
    q = one("Les saisies «équivalent à près de 193 millions de doses mortelles», selon la DEA.")
    assert q["speaker"] == "DEA" and q["voice_kind"] == "official"


# --- voices data file --------------------------------------------------------------------------------------

def test_voice_rules_are_ordered():
    assert voice_kind("David Porte", "secrétaire général de la FPIP, syndicat de police") == "union"
    assert voice_kind("Troy A. Miller", "haut fonctionnaire du CBP exerçant les fonctions de commissaire") == "official"
    assert voice_kind("X", "commissaire divisionnaire") == "police"
    assert voice_kind("", "") == "unknown"


def test_user_voices_file(tmp_path):
    path = tmp_path / "voices.yaml"
    path.write_text("- voice_kind: company/expert\n  patterns: ['Atchik']\n", encoding="utf-8")
    q = find_quotes(pd.DataFrame({"doc_id": ["d"], "text": ["« Les comptes sont nombreux », explique Steve Bonet, "
                                                           "chargé de com chez Atchik."]}), voices=path)
    assert q.iloc[0]["voice_kind"] == "company/expert"
    bad = tmp_path / "bad.yaml"
    bad.write_text("- voice_kind: alien\n  patterns: ['x']\n", encoding="utf-8")
    with pytest.raises(AnalysisError, match="rule 1"):
        load_voices(bad)


def test_quotes_on_documents_beyond_the_seeds():
    """Two articles of ../shared/corpora/fr-press-gilets-jaunes annotated by hand (quotes_heldout.csv). Measured
    once before any change prompted by them, then after (see tests/fixtures/annotations/README.md)."""
    import json

    from conftest import require_shared

    gold = annotations("quotes_heldout")
    wanted = set(gold["doc_id"])
    docs = []
    with open(require_shared("corpora", "fr-press-gilets-jaunes", "documents.jsonl"), encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec["doc_id"] in wanted:
                docs.append({"doc_id": rec["doc_id"], "text": rec["text"]})
    found = find_quotes(pd.DataFrame(docs))
    pairs = match(gold, found)
    tp = sum(1 for _, f in pairs if f is not None)
    score = prf(list(range(len(gold))), list(range(tp)) + [f"x{i}" for i in range(len(found) - tp)])
    right = sum(1 for g, f in pairs if f is not None and same_speaker(g.speaker, f["speaker"]))
    print("\n" + fmt("quotes beyond the seeds", score)
          + f"\nspeaker right for {right}/{len(gold)} annotated quotes ({right / len(gold):.3f})")
    assert score["recall"] >= 0.8 and score["precision"] >= 0.8, fmt("quotes beyond the seeds", score)
    assert right / len(gold) >= 0.6


# --- speakers by structure (issue 11): names apart from titles, subjects, coreference, headlines, sources ---

@pytest.mark.parametrize("text,speaker,role", [
    ('"We will not stop," said Orange County District Attorney Todd Spitzer.', "Todd Spitzer",
     "Orange County District Attorney"),
    ('District Attorney Todd Spitzer said, "We will not stop until every dealer is held to account."',
     "Todd Spitzer", "District Attorney"),
    ('"This office will keep fighting for the victims," Cook County State’s Attorney Eileen O’Neill Burke said.',
     "Eileen O’Neill Burke", "Cook County State’s Attorney"),
    ('"Fentanyl kills," said Miami-Dade State Attorney Katherine Fernandez Rundle.', "Katherine Fernandez Rundle",
     "Miami-Dade State Attorney"),
    ('"The streets are safer today," said NYPD Police Commissioner James P. O\'Neill.', "James P. O'Neill",
     "NYPD Police Commissioner"),
    ('"These cartels poison our communities," said DEA Special Agent in Charge Frank Tarentino.',
     "Frank Tarentino", "DEA Special Agent in Charge"),
    ('According to Senator Maria Lopez, "the bill will save lives in every county of the state."', "Maria Lopez",
     "Senator"),
    ("« Nous ne céderons pas », a déclaré Dominique de Villepin devant les députés.", "Dominique de Villepin", ""),
    ("« Les enquêtes sont nombreuses », a déclaré le commandant de la gendarmerie de Besançon Pascal Péresse.",
     "Pascal Péresse", "commandant de la gendarmerie de Besançon"),
    ("« Ce dispositif ne sert à rien », assure à l’AFP le général à la retraite Vincent Desportes, ancien "
     "directeur de l’École de guerre.", "Vincent Desportes", "général à la retraite"),
])
def test_name_apart_from_its_title(text, speaker, role):
    q = one(text)
    assert q["speaker"] == speaker
    assert q["role"].startswith(role) if role else True, q["role"]


def test_voice_kinds_of_english_titles():
    assert voice_kind("Todd Spitzer", "Orange County District Attorney") == "prosecutor"
    assert voice_kind("Eileen O’Neill Burke", "Cook County State’s Attorney") == "prosecutor"
    assert voice_kind("James P. O'Neill", "Police Commissioner") == "police"
    assert voice_kind("Larry Snelling", "Chicago Police Superintendent") == "police"
    assert voice_kind("Frank Tarentino", "DEA Special Agent in Charge") == "police"
    assert voice_kind("Maria Lopez", "Senator") == "official"
    assert voice_kind("Troy A. Miller", "Commissioner") == "official"


def test_attribution_after_a_line_break_and_its_continuation():
    text = ("Cook County State’s Attorney Eileen O’Neill Burke and Chicago Police Superintendent Larry Snelling "
            "today announced the expansion of the program.\n"
            "“The program is an effort to address a longstanding bottleneck in the system,”\n"
            "State’s Attorney Burke said\n"
            ". “These are straightforward gun possession cases that can take hours.”\n"
            "\"The program returns officers to the streets more quickly,\"\n"
            "Superintendent Snelling said\n")
    q = quotes(text)
    assert q["speaker"].tolist() == ["Eileen O’Neill Burke"] * 2 + ["Larry Snelling"]
    assert q["role"].tolist()[0].endswith("State’s Attorney") and q["voice_kind"].tolist()[2] == "police"


def test_statement_announced_on_the_line_before():
    q = one("District Attorney Summer Stephan released the following statement:\n“I want to thank the jury for "
            "their time and consideration of this case.”")
    assert (q["speaker"], q["voice_kind"]) == ("Summer Stephan", "prosecutor")


def test_pronouns_resolve_to_the_person_never_to_the_pronoun():
    q = quotes("Le procureur de Lyon, Jean Dupont, a tenu une conférence. Les faits sont graves selon lui. "
               "« La victime a été frappée plusieurs fois à la tête avant de mourir », a-t-il dit.\n"
               "« Les analyses ont duré plusieurs semaines », a-t-il ajouté.")
    assert q["speaker"].tolist() == ["Jean Dupont", "Jean Dupont"]
    q = one("Jean Dupont, procureur, est formel. Le pire est à venir, « et très vite, sans aucun doute », selon lui.")
    assert q["speaker"] == "Jean Dupont"
    q = one('Sheriff Tom Baker met the families. "We owe them answers and we will find them," he said.')
    assert q["speaker"] == "Tom Baker"


def test_coreference_only_to_a_compatible_person():
    text = ("La maire de Lille, Martine Aubry, a reçu le ministre de l'Intérieur, Gérard Collomb.\n"
            "« Il faut plus de policiers nationaux dans nos quartiers », a expliqué l'ancienne ministre.\n"
            "« La sécurité des citoyens est une tâche régalienne de l'État », a poursuivi l'élue.")
    assert quotes(text)["speaker"].tolist() == ["Martine Aubry", "Martine Aubry"]
    q = one("« Le corps présentait des coups de couteau, tous au flanc », a indiqué le magistrat.")
    assert q["speaker"] == "" and q["role"] == "magistrat"  # no earlier prosecutor: no one to refer to


def test_headlines_are_never_attributed():
    text = ("Drogue: « On n'est plus dans une République »\n"
            "« Il faut plus de policiers dans les quartiers nord de la ville », a déclaré Martine Aubry.\n"
            "« Un combat sans fin »\n"
            "La maire a ensuite quitté la salle sans répondre aux questions des journalistes.")
    q = quotes(text)
    assert q["speaker"].tolist() == ["", "Martine Aubry", ""]


def test_previous_speaker_not_carried_to_other_peoples_quotes():
    text = ("« Les coups et blessures ont augmenté de 46 % en six ans », a souligné Rachida Dati.\n"
            "« Nous n'avons jamais affirmé qu'elle était créée », s'est insurgé auprès de l'AFP l'adjoint au maire "
            "chargé de la sécurité, Nicolas Nordman.")
    assert quotes(text)["speaker"].tolist() == ["Rachida Dati", "Nicolas Nordman"]


def test_the_object_of_the_verb_is_not_the_speaker():
    q = one("Marine Le Pen juge Emmanuel Macron « pas convaincant du tout sur ce dossier ».")
    assert q["speaker"] == "Marine Le Pen"


@pytest.mark.parametrize("text,role", [
    ("« Ils étaient plusieurs dizaines dans la rue », selon une source policière.", "source policière"),
    ("« Le suspect était connu des services », a indiqué une source proche du dossier.",
     "source proche du dossier"),
    ('"The suspect had been under surveillance for months," a law enforcement source said.',
     "law enforcement source"),
])
def test_anonymous_sources_stay_anonymous(text, role):
    q = one(text)
    assert (q["speaker"], q["role"]) == ("", role)


def test_a_person_named_by_a_role_is_not_an_institution():
    q = one('"I will never see my son graduate from high school," the victim said in court.')
    assert (q["speaker"], q["role"]) == ("", "victim")
    q = one("« Cette décision est une étape », estime la Direction départementale de la sécurité publique du Rhône.")
    assert q["speaker"] == "Direction départementale de la sécurité publique du Rhône"


@pytest.mark.parametrize("text,speaker", [
    ('"This defendant preyed on the vulnerable," said Acting U.S. Attorney John Smith.', "John Smith"),
    ('In a statement, Brooklyn District Attorney Eric Gonzalez said, "These arrests send a message to every dealer."',
     "Eric Gonzalez"),
    ('Brooklyn District Attorney Eric Gonzalez announced the charges.\nDistrict Attorney Gonzalez said, "These '
     'arrests send a message to every dealer."', "Eric Gonzalez"),
    ('"We will keep fighting fentanyl in our neighborhoods." — District Attorney Mike Hestrin', "Mike Hestrin"),
    ('"The message is clear," NYPD Commissioner Keechant Sewell said in a statement.', "Keechant Sewell"),
    ('"He will never hurt anyone again," Deputy District Attorney Jane Doe told the court.', "Jane Doe"),
    ('District Attorney Summer Stephan said the program "will save lives across the whole county of San Diego."',
     "Summer Stephan"),
    ('According to the complaint, the defendant said "I sell the best stuff in town, come and get it."', ""),
    ("« Nous allons poursuivre le travail », a affirmé jeudi soir Christophe Castaner sur BFMTV.",
     "Christophe Castaner"),
    ("Le ministre Christophe Castaner a estimé que « la violence n'a pas sa place dans la République ».",
     "Christophe Castaner"),
    ("« C'est une honte », s'est exclamée Marine Le Pen lors d'un meeting.", "Marine Le Pen"),
    ("Pour Jean-Luc Mélenchon, « le gouvernement a perdu toute légitimité auprès du peuple ».", "Jean-Luc Mélenchon"),
    ("« On ne lâchera rien », lance un manifestant venu de Lyon.", ""),
    ("Des manifestants - certains scandant « journalistes collabos ! » - se sont massés devant France Télévisions.",
     ""),
])
def test_attribution_forms(text, speaker):
    q = quotes(text)
    assert q["speaker"].tolist() == [speaker] or (q.empty and not speaker)  # a scare quote is no quotation


# --- names and titles (analysis.text.names) -----------------------------------------------------------------

@pytest.mark.parametrize("run,before,expected", [
    ("Orange County District Attorney Todd Spitzer", "", ("Todd Spitzer", "Orange County District Attorney")),
    ("State’s Attorney Burke", "", ("Burke", "State’s Attorney")),
    ("Special Agent in Charge John Smith", "", ("John Smith", "Special Agent in Charge")),
    ("Eileen O’Neill Burke", "", ("Eileen O’Neill Burke", "")),
    ("Dominique de Villepin", "", ("Dominique de Villepin", "")),
    ("Besançon Pascal Péresse", "de ", ("Pascal Péresse", "")),
    ("Instagram de P.O Beaudoin", "la page ", ("P.O Beaudoin", "")),
    ("District Attorney", "", ("", "District Attorney")),
])
def test_split_title(run, before, expected):
    from analysis.text.names import RUN_RE, split_title

    assert RUN_RE.fullmatch(run)
    assert split_title(run, before) == expected


def test_full_name_of_a_surname():
    from analysis.text.names import full_name, people_in

    text = "Cook County State’s Attorney Eileen O’Neill Burke met Chicago Police Superintendent Larry Snelling."
    assert [p[1:] for p in people_in(text)] == [("Eileen O’Neill Burke", "Cook County State’s Attorney"),
                                               ("Larry Snelling", "Chicago Police Superintendent")]
    assert full_name("Burke", text) == "Eileen O’Neill Burke" and full_name("Gonzalez", text) == "Gonzalez"


def test_hard_wrapped_release():
    text = ("The office announced the verdict today in the courtroom downtown.\n"
            "“We have been working this case with the Dallas Police Department since we started the\n"
            "Sexual Assault Kit Initiative almost a decade ago,” said lead prosecutor Leighton\n"
            "D’Antoni. “I remember long-time Dallas Police Department Sex Assaults Detective Todd\n"
            "Haecker telling me this was his white whale. We exhausted every tool.”\n")
    q = quotes(text)
    assert q["quote"].tolist()[0].endswith("almost a decade ago")
    assert q["speaker"].tolist() == ["Leighton D’Antoni"] * 2 and q["role"].tolist()[0] == "lead prosecutor"
    q = one("The U.S. Marshals Service is leading the manhunt.  Steve Jurman, U.S. Marshals Fugitive Task Force "
            "Commander, said, “Every resource is being used to locate and arrest the fugitive.”")
    assert q["speaker"] == "Steve Jurman"


def test_next_line_that_introduces_its_own_quote_is_not_an_attribution():
    text = ("Brooklyn District Attorney Kenneth P. Thompson and New York City Police Commissioner William J. "
            "Bratton announced the arrests.\n"
            "District Attorney Thompson said, “This joint operation with the NYPD underscores our determination.”\n"
            "Commissioner Bratton said, “This investigation is another example of the NYPD working in partnership.”")
    q = quotes(text)
    assert q["speaker"].tolist() == ["Kenneth P. Thompson", "William J. Bratton"]
    assert q["role"].tolist() == ["Brooklyn District Attorney", "New York City Police Commissioner"]


@pytest.mark.parametrize("text,speaker,role", [
    ("« Nous sommes préoccupés », a déclaré la porte-parole du ministère des Affaires étrangères, Agnès von der "
     "Mühll, dans un communiqué.", "Agnès von der Mühll", "porte-parole du ministère des Affaires étrangères"),
    ("« Le débat, c'est dans la rue », estime un Gilet jaune à Strasbourg, Jean-Jacques, 59 ans.", "Jean-Jacques",
     ""),
    ("« Nous avons des raisons de redouter une très grande violence », a à ce sujet averti mercredi la présidence "
     "française.", "présidence française", ""),
    ("« Les engagements du Canada sont clairs », a relevé la porte-parole du Quai d’Orsay.", "",
     "porte-parole du Quai d’Orsay"),
    ("« Ce gilet jaune est venu de loin », a ajouté ce manifestant interrogé par l’AFP mercredi.", "",
     "manifestant interrogé par l’AFP mercredi"),
])
def test_french_attribution_forms(text, speaker, role):
    q = one(text)
    assert (q["speaker"], q["role"]) == (speaker, role) if role else q["speaker"] == speaker


def test_a_role_resolves_to_the_person_just_quoted_of_that_gender():
    q = quotes("« Je comprends les gens qui manifestent », confie l'actrice Juliette Binoche au Spiegel.\n"
               "« L'État ne peut pas augmenter les taxes du jour au lendemain », estime l'actrice.")
    assert q["speaker"].tolist() == ["Juliette Binoche", "Juliette Binoche"]


def test_an_attribution_never_crosses_the_end_of_a_sentence():
    q = quotes("« Là, on avance sur le sujet », a ajouté Nicolas Nordman, en affirmant qu'« Anne Hidalgo va créer une "
               "police municipale ». Rachida Dati a par ailleurs accusé la maire de mentir.")
    assert q["speaker"].tolist() == ["Nicolas Nordman", "Nicolas Nordman"]


# --- forms met on the second development split (dev2) --------------------------------------------------------

@pytest.mark.parametrize("text,speaker", [
    ("“This has been a tremendous opportunity to enforce the law,”\nMJB Deputy Bureau Chief, Assistant State’s "
     "Attorney David Williams, who leads CCROC, said.", "David Williams"),
    ('"We must prioritize the safety of our communities,” DA Hestrin said. “It is time for common sense reforms.”',
     "Hestrin"),
    ('"Initiatives like this send a strong message to criminals,"\nsaid Lisa LaBruno, senior executive vice '
     'president.', "Lisa LaBruno"),
    ("« Cela peut passer par la présidence », lui a alors demandé l'animateur Laurent Delahousse.",
     "Laurent Delahousse"),
    ("Comme Nicole Belloubet, qui a jugé mercredi « curieux qu'une commission enquête sur l'Élysée ».",
     "Nicole Belloubet"),
    ("Pour le ministre Marc Fesneau, la commission pose « manifestement un regard politique sur l'Élysée ».",
     "Marc Fesneau"),
    ("« Même si c'était très cher, j'ai voulu les acheter », se lamente Iram, 25 ans.", "Iram"),
    ("Ancien président du comité, Didier Sicard a pris la parole pour évoquer un « passeur du temps futur ».",
     "Didier Sicard"),
])
def test_subject_of_the_verb_in_more_forms(text, speaker):
    assert quotes(text)["speaker"].tolist()[0] == speaker


def test_each_quote_of_a_mixed_mark_pair_is_found():
    q = quotes('"We must prioritize the safety of our communities,” DA Hestrin said. “It is time for common '
               'sense reforms that hold people accountable.”')
    assert len(q) == 2 and q["speaker"].tolist() == ["Hestrin", "Hestrin"]


def test_a_french_quote_left_open_ends_at_the_next_quotation():
    q = quotes("«Les passages sont difficiles, explique Alexandre Le Clève, l’un des chercheurs. Une durée qui "
               "augmente les risques.«Leur intention n’est pas si claire, tempère Alexandre Le Clève. Cela arrange "
               "les pouvoirs publics.» Mardi, l’UNICEF alertait.")
    assert len(q) == 2 and q["speaker"].tolist() == ["Alexandre Le Clève"] * 2


def test_a_pronoun_passes_over_a_person_named_as_a_complement():
    q = quotes("« Je me veux du bien », confie Laura Smet à Paris Match. Elle a tourné un film dont l'héroïne "
               "n'est autre que sa mère Nathalie Baye. « J'étais tellement heureuse quand elle a accepté le rôle », "
               "commente-t-elle.")
    assert q["speaker"].tolist() == ["Laura Smet", "Laura Smet"]


def test_a_role_resolves_to_the_person_named_with_the_same_role():
    q = quotes("« Vous avez fait exister ceux qui ne sont plus », a déclaré le premier ministre français, Edouard "
               "Philippe. Étaient réunis les anciens ministres Bernard Kouchner et Jack Lang. « Shoah, c’est une "
               "oeuvre unique pour un crime unique », avait souligné le premier ministre français aux Invalides.")
    assert q["speaker"].tolist() == ["Edouard Philippe", "Edouard Philippe"]


def test_plural_roles_and_anonymous_sources_keep_no_name():
    q = quotes("« Un grand serviteur de l'État », a dit Édouard Philippe. Ce principe a été « scrupuleusement "
               "respecté », ont immédiatement répondu le président et les corapporteurs de la commission.")
    assert q["speaker"].tolist() == ["Édouard Philippe", ""]
    q = quotes("Selon un responsable policier, l'alcool arrive par la mer, « un paradis pour les contrebandiers, qui "
               "ramènent de l'alcool ». « Les canaux diplomatiques sont une autre source », ajoute-t-il.")
    assert q["speaker"].tolist() == ["", ""] and q["role"].tolist() == ["responsable policier"] * 2


def test_no_carrying_over_past_three_sentences():
    text = ("« Il faut agir vite », a déclaré Edouard Philippe. Le philosophe a évoqué la figure d’Orphée. Son "
            "discours a été long. La cérémonie était ouverte au public. Près de 250 personnes étaient là. Le film est "
            "entré dans l’histoire. « Un des masques de l’antisémitisme, voilà ce qu'il combattait sans relâche. »")
    assert quotes(text)["speaker"].tolist() == ["Edouard Philippe", ""]
    near = text.replace(" Près de 250 personnes étaient là. Le film est entré dans l’histoire.", "")
    assert quotes(near)["speaker"].tolist() == ["Edouard Philippe"] * 2  # a continuation three sentences on


# --- forms met on the third development split (dev3) ---------------------------------------------------------

@pytest.mark.parametrize("text,speaker,role", [
    ("Elle bloquait une autoroute où on pouvait lire sur une banderole : « SOS d’une nation en détresse ».", "",
     "banderole"),
    ("Premier à s’exprimer, le patron de la CFDT Laurent Berger a appelé le président à « réunir très rapidement » "
     "les syndicats.", "Laurent Berger", ""),
    ("« Si demain il faut continuer on continuera », a prévenu l’un des porte-parole du mouvement à Millau.", "",
     "un des porte-parole du mouvement à Millau"),
    ("Il avait des « velléités de rejoindre la Syrie », selon cette même source.", "", "même source"),
    ("Le député LREM Olivier Veran a annoncé mercredi un amendement. « Parce qu'il y a des malades qui en ont "
     "besoin », a justifié ce médecin neurologue.", "Olivier Veran", ""),
])
def test_attribution_forms_of_dev3(text, speaker, role):
    q = quotes(text).iloc[-1]
    assert q["speaker"] == speaker and (not role or q["role"] == role)


def test_a_lawyer_named_with_an_honorific_is_the_lawyer_that_speaks_next():
    q = quotes("« C'est du délire », s'est insurgé l'avocat des gendarmes Me Rodolphe Bosselut. « Je refuse de la "
               "qualifier d'expertise », a ajouté l'avocat.")
    assert q["speaker"].tolist() == ["Rodolphe Bosselut"] * 2 and "avocat" in q["role"].tolist()[0]


def test_a_straight_mark_closed_by_a_curly_one_lines_later():
    q = one('"The conviction and sentencing of Mr. Leal underscore the grave threat that fentanyl poses to public\n'
            'health and safety. We must continue our collaborative efforts,” DA Creuzot said.')
    assert q["speaker"] == "Creuzot" and q["quote"].endswith("collaborative efforts")


def test_a_short_name_after_operations_is_no_quote_even_beside_a_speaker():
    q = quotes("Avec les démantèlements, dans le cadre des opérations « place nette », le trafic « se dématérialise "
               "toujours davantage », remarque Gérald Darmanin.")
    assert q["quote"].tolist() == ["se dématérialise toujours davantage"]


def test_quotes_of_two_glued_sentences_share_no_speaker():
    q = quotes("Le Brésil aidera dans le cadre d'une opération « en coopération avec les États-Unis ».Des aliments "
               "seront collectés « par le gouvernement de Juan Guaido », a précisé le porte-parole Otavio Barros.")
    assert q["speaker"].tolist() == ["", "Otavio Barros"]


# --- issue 11, third round: classes of speaker errors found on the development splits (examples written here) ---


def speaker_of(text: str, start: str) -> pd.Series:
    """The kit's row for the quotation of ``text`` that starts with ``start``."""
    q = quotes(text)
    rows = q[q["quote"].str.startswith(start)]
    assert len(rows) == 1, f"no single quote starting {start!r} in:\n{q[['speaker', 'quote']]}"
    return rows.iloc[0]


@pytest.mark.parametrize("text,start,speaker", [
    # the writer's own words: a legal qualification in a sentence that names no one and has no speech verb
    ("Le député Paul Martin s'est exprimé lundi. « Nous allons déposer une loi sur ce sujet », a-t-il dit. Deux "
     "hommes ont été interpellés. Une information judiciaire a été ouverte pour \"violences volontaires en réunion "
     "avec arme\".", "violences volontaires", ""),
    # a plural subject with its own speech verb, after a single-word quote of the same sentence
    ("Le maire Paul Martin a parlé. « Nous ferons tout pour les retrouver », a-t-il dit. Des manifestants scandaient "
     "\"Justice\" ou \"Tout le monde déteste la police\" devant la mairie.", "Tout le monde", ""),
    # a person the quote's sentence names as its subject, not the speaker quoted before
    ("« Nous allons continuer », a déclaré le sénateur Marc Dulac. Dans cette courte majorité, Hélène Garnier, une "
     "défenseure du droit des femmes à \"décider du cours de leur vie\", n'a jamais cédé.", "décider du cours",
     "Hélène Garnier"),
    # the antecedent of the sentence's pronoun, named in the sentence before
    ("Le président Paul Martin a parlé lundi. « Nous allons continuer ce travail ensemble », a-t-il dit. Le cinéaste "
     "Jean Dubois fut aussi journaliste. Ancien élève de Sciences-Po, il a été un grand avocat des libertés, voyant "
     "dans la censure « un des pires maux de notre temps ».", "un des pires maux", "Jean Dubois"),
])
def test_a_quotation_without_attribution_is_not_given_to_whoever_spoke_before(text, start, speaker):
    assert speaker_of(text, start)["speaker"] == speaker


@pytest.mark.parametrize("text,start", [
    # the speaker's proposals go on in the next sentence, with no subject of their own
    ("« Il faudra d'abord réformer les procédures », poursuit M. Paul Martin. L'office devra également organiser "
     "« des missions » dans les pays de transit « pour mieux maîtriser les flux ».", "pour mieux maîtriser"),
    # after a connective or a colon, a quote that opens its own sentence
    ("« Le trafic a changé de forme », explique le commissaire Paul Martin.\nEnsuite, « c'est devenu un vrai marché "
     "pour les consommateurs, c'est évident ».", "c'est devenu"),
    ("« Le trafic a changé de forme », explique le commissaire Paul Martin.\nLa version courte est la suivante : "
     "« Chacun voit une tâche particulière et ne connaît pas les autres. »", "Chacun voit"),
    # an inverted verb with its pronoun closing the clause (one the verb list lacks, or after an auxiliary)
    ("Le ministre Paul Martin a parlé. La France aura « un débat important sur le droit d'asile », qui « sera "
     "réussi à trois conditions », note-t-il.", "sera réussi"),
    ("Le ministre Paul Martin a parlé. La France aura « un débat important sur le droit d'asile », qui « sera "
     "réussi à trois conditions », note-t-il.", "un débat important"),
    ("Le ministre Paul Martin a parlé. Il faut d'« éloigner plus systématiquement ceux qui n'ont pas obtenu le "
     "droit d'asile », fait-il valoir.", "éloigner"),
    ("Le ministre Paul Martin a parlé. Dans l'ouest du pays, c'est « un grand équipement sportif » qui était "
     "ciblé, a-t-il dit.", "un grand équipement"),
])
def test_a_quotation_that_goes_on_with_the_last_speaker(text, start):
    assert speaker_of(text, start)["speaker"] == "Paul Martin"


def test_a_role_subject_after_a_leading_adverbial_phrase():
    text = ("La cérémonie a réuni le philosophe Jean-Marc Delorme et le ministre Paul Martin, qui a parlé le premier. "
            "Dans son discours, le philosophe a salué l'« homme courageux et fidèle » que fut le défunt.")
    q = speaker_of(text, "homme courageux")
    assert q["speaker"] == "Jean-Marc Delorme" and q["role"] == "philosophe"


def test_a_possessive_role_resolves_to_the_kin_named_before():
    text = ("Le défunt laisse sa veuve Martine Lenoir et deux enfants. Le maire Paul Martin a parlé. « C'était un "
            "homme bon », a-t-il dit. « Il nous manquera beaucoup », a confié sa veuve à l'AFP.")
    assert speaker_of(text, "Il nous manquera")["speaker"] == "Martine Lenoir"
    assert speaker_of(text, "C'était")["speaker"] == "Paul Martin"


def test_the_agent_of_par_is_the_role_of_the_name_that_follows():
    text = ("C'est le message envoyé par la maire du XXe arrondissement, Sophie Bernard, à la radio. Le préfet n'a "
            "rien dit. « Ce numéro doit rester libre pour les urgences », insiste l'édile parisienne.")
    q = speaker_of(text, "Ce numéro")
    assert q["speaker"] == "Sophie Bernard"


def test_a_relative_with_the_same_surname_does_not_revive_the_earlier_speaker():
    text = ("« Ce n'est plus le combat de la famille », a lancé Assia Morel, sœur de Karim Morel. Dans le rapport, "
            "un médecin considère que Karim Morel est mort d'un syndrome asphyxique. « Aucune autre cause du décès "
            "n'est identifiée », ajoute-t-il.")
    assert speaker_of(text, "Aucune autre")["speaker"] != "Assia Morel"


@pytest.mark.parametrize("text,speaker,role", [
    ("“Our detectives worked for months on this case,” said Huntington Beach Chief of Police Eric Parra.",
     "Eric Parra", "Huntington Beach Chief of Police"),
    ("Director of Public Safety Maria Gomez said, “This is a great day for the city.”", "Maria Gomez",
     "Director of Public Safety"),
])
def test_an_english_title_with_of_before_the_name(text, speaker, role):
    q = one(text)
    assert q["speaker"] == speaker and q["role"] == role


def test_a_title_with_of_is_not_carried_to_the_earlier_speaker():
    q = quotes("“We will keep working for the victims,” said Orange County District Attorney Todd Spitzer.\n"
               "“Our detectives worked for months on this case,” said Huntington Beach Chief of Police Eric Parra. "
               "“This case shows their tenacity.”")
    assert q["speaker"].tolist() == ["Todd Spitzer", "Eric Parra", "Eric Parra"]


def test_by_saying_the_subject_speaks_not_the_object():
    q = one("The defendant threatened the victim by saying, “I’m going to kill you tonight if you call them.”")
    assert q["role"] == "defendant"


def test_an_apposition_stops_at_the_speech_verb():
    q = one("Leslie Schultz, President of BRIC said, “Amplifying the voices of our youth is central to our work.”")
    assert q["speaker"] == "Leslie Schultz" and q["role"] == "President of BRIC"


@pytest.mark.parametrize("text,start,speaker", [
    # a medium or a place governed by a preposition, then the speaker: not the person named after them
    ("« Il y a urgence à agir », a estimé sur LCI M. Pierre Larcy, qui aura un entretien mardi avec le Premier "
     "ministre Jean Castel sur ce sujet.", "Il y a urgence", "Pierre Larcy"),
    ("« Un agent a constaté la présence de trois téléphones », explique un membre de l'UFAP Unsa Justice de Valence "
     "Sylvain Royère.", "Un agent", "Sylvain Royère"),
    # the pronoun before the verb speaks, not the subject of its "que" clause
    ("La droite monte au créneau. « Il faut en finir avec ces lois », dit Valérie Perrin. Sur le plan régalien, elle "
     "considère qu'Emmanuel Macron « sous-estime la gravité de la situation ».", "sous-estime", "Valérie Perrin"),
    ("« Il faut en finir avec ces lois », dit Valérie Perrin. Elle réclame « des centres différenciés pour les "
     "mineurs ».", "des centres", "Valérie Perrin"),
    # a union role names the union official named before
    ("« Les projections sont quotidiennes », selon le délégué local de Force Ouvrière (FO), Jérôme Goussard. Le "
     "directeur Paul Martin n'a rien dit. « On a retrouvé une bobine de fil de pêche », poursuit le responsable "
     "syndical.", "On a retrouvé", "Jérôme Goussard"),
])
def test_who_speaks_in_french_attributions_of_round_three(text, start, speaker):
    assert speaker_of(text, start)["speaker"] == speaker


def test_a_lawyer_introduced_among_several_is_the_lawyer_that_speaks_next():
    q = quotes("« Il l'a étranglée », a déclaré devant la presse un de ses avocats, Me Paul Renard. « Il n'a jamais "
               "voulu cela », a ajouté l'avocat. « Il se sentait rabaissé », a expliqué l'avocat plus tard. « Il a "
               "essayé d'être parfait », selon son avocat.")
    assert q["speaker"].tolist() == ["Paul Renard"] * 4
