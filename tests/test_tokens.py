"""Tokenizer rules, each checked on the seed texts (mixed ' and ’, « » quotes, "91 000") or, where the seeds
have no example (URL, emoji, @handle, English), on a short text."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis.errors import ParameterError
from analysis.text.sentences import split_sentences
from analysis.text.tokens import (COUNTED_RE, TOKEN_RE, document_languages, find_tokens, guess_language,
                             token_kind, tokenize)


@pytest.fixture(scope="module")
def seed_tokens(seed_docs):
    return tokenize(seed_docs)


def one(text: str, language: str = "fr") -> pd.DataFrame:
    return tokenize(pd.DataFrame({"doc_id": ["d"], "group": ["g"], "text": [text]}), language=language)


def doc_tokens(toks, doc_id):
    return toks.loc[toks["doc_id"] == doc_id, "token"].tolist()


def follows(seq, sub) -> bool:
    return any(seq[i:i + len(sub)] == sub for i in range(len(seq) - len(sub) + 1))


def test_columns_and_surface_offsets(seed_docs, seed_tokens):
    assert list(seed_tokens.columns) == ["doc_id", "group", "sentence_id", "position", "start", "end", "token",
                                         "norm", "kind", "is_stopword", "is_punct"]
    texts = dict(zip(seed_docs["doc_id"], seed_docs["text"]))
    for d, s, e, tok in zip(seed_tokens["doc_id"], seed_tokens["start"], seed_tokens["end"], seed_tokens["token"]):
        assert texts[d][s:e].lower().replace("\u2019", "'") == tok
    # every non-space character is in exactly one token
    for d, text in texts.items():
        sub = seed_tokens[seed_tokens["doc_id"] == d]
        covered = sum(e - s for s, e in zip(sub["start"], sub["end"]))
        inner_spaces = sum(t.count(" ") + t.count("\u00a0") + t.count("\u202f") for t in sub["token"])
        assert covered - inner_spaces == len("".join(text.split()))
        assert sub["position"].tolist() == list(range(len(sub)))


def test_thousands_separator_number_91_000(seed_tokens):
    row = seed_tokens[(seed_tokens["doc_id"] == "us_dea_last_mile") & (seed_tokens["token"] == "91 000")]
    assert len(row) == 1 and row["kind"].iloc[0] == "number" and row["norm"].iloc[0] == "91000"
    toks = doc_tokens(seed_tokens, "us_dhs_artemis")
    assert "10 000" in toks and "5 000" in toks and "1 500" in toks and "23 000" in toks
    nb = one("plus de 91\u00a0000 livres et 3\u202f337 arrestations, 2,5 tonnes")
    assert nb["token"].tolist()[2:] == ["91\u00a0000", "livres", "et", "3\u202f337", "arrestations", ",", "2,5",
                                        "tonnes"]
    assert nb.loc[nb["kind"] == "number", "norm"].tolist() == ["91000", "3337", "2,5"]
    # separate numbers stay separate: a year then a count, "24 heures sur 24 et 7 jours"
    assert one("du 1er mai 2022 au 1er mai 2023")["token"].tolist() == ["du", "1er", "mai", "2022", "au", "1er",
                                                                        "mai", "2023"]


def test_percentages(seed_tokens):
    assert "90 %" in doc_tokens(seed_tokens, "us_dhs_artemis")
    toulouse = seed_tokens[seed_tokens["doc_id"] == "fr_toulouse_reseaux"]
    assert {"100%", "10 %", "80 %"} <= set(toulouse.loc[toulouse["kind"] == "percent", "token"])
    assert one("90 % du fentanyl")["norm"].iloc[0] == "90%"


def test_elisions_both_apostrophes(seed_tokens):
    dea = doc_tokens(seed_tokens, "us_dea_last_mile")
    assert follows(dea, ["l'", "«", "opération", "last", "mile", "»"])  # L’«Opération
    assert follows(dea, ["d'", "énormes", "quantités"])  # ASCII apostrophe
    assert follows(dea, ["d'", "américains"])  # typographic apostrophe: d’Américains
    assert follows(dea, ["c'", "est", "que"])
    lyon = doc_tokens(seed_tokens, "fr_lyon_snapchat")
    assert follows(lyon, ["lorsqu'", "elle", "était"])
    assert follows(lyon, ["qu'", "il", "est", "inutile"])
    assert follows(lyon, ["j'", "ai", "vu"])
    assert follows(lyon, ["m'", "a", "envoyé"])
    assert follows(lyon, ["n'", "y", "a", "pas"])
    assert follows(lyon, ["s'", "est", "déroulée"])
    assert follows(doc_tokens(seed_tokens, "us_dhs_artemis"), ["jusqu'", "à", "présent"])
    assert follows(doc_tokens(seed_tokens, "fr_toulouse_reseaux"), ["l'", "ordre"])  # l’ordre
    # « voire ’s’ubérise’ »: the quote marks are punctuation, s’ an elision
    assert follows(doc_tokens(seed_tokens, "fr_darmanin_cyberpatrouilles"), ["'", "s'", "ubérise", "'"])
    el = seed_tokens[seed_tokens["kind"] == "elision"]
    assert len(el) > 50 and el["is_stopword"].all()
    assert one("puisqu’il le dit, t'as vu")["token"].tolist()[:2] == ["puisqu'", "il"]
    assert token_kind("t'") == "elision"


def test_hyphenated_words_and_inner_apostrophes(seed_tokens):
    lyon = doc_tokens(seed_tokens, "fr_lyon_snapchat")
    assert {"saint-étienne", "peut-être", "c'", "est-à-dire", "assure-t-il", "grand-chose", "covid-19"} <= set(lyon)
    assert "aujourd'hui" in doc_tokens(seed_tokens, "us_dhs_artemis")
    assert "états-unis" in doc_tokens(seed_tokens, "us_dea_last_mile")


def test_hashtags_handles_urls_emoji(seed_tokens):
    toulouse = seed_tokens[seed_tokens["doc_id"] == "fr_toulouse_reseaux"]
    assert toulouse.loc[toulouse["kind"] == "hashtag", "token"].tolist() == ["#shit", "#beuh", "#cocaïne"]
    t = one("Voir @DEAHQ et https://www.dea.gov/press-releases/2023. Écrire à a@b.fr 😀👍🏽 👨\u200d👩\u200d👧 ok")
    kinds = dict(zip(t["token"], t["kind"]))
    assert kinds["@deahq"] == "handle" and kinds["https://www.dea.gov/press-releases/2023"] == "url"
    assert kinds["😀"] == kinds["👍🏽"] == kinds["👨\u200d👩\u200d👧"] == "emoji"
    assert "@b" not in kinds  # an e-mail address is not a handle
    assert t["token"].tolist()[t["token"].tolist().index("https://www.dea.gov/press-releases/2023") + 1] == "."


def test_lowercase_accents_kept_and_stems(seed_tokens):
    assert seed_tokens["token"].str.lower().equals(seed_tokens["token"])
    row = seed_tokens[seed_tokens["token"] == "méthamphétamine"].iloc[0]
    assert row["norm"].startswith("méthamphétamin")
    assert seed_tokens.loc[seed_tokens["token"] == "arrestations", "norm"].iloc[0] == "arrest"
    assert seed_tokens.loc[seed_tokens["token"] == "livres", "norm"].iloc[0] == "livr"


def test_punct_and_stopword_flags(seed_tokens):
    p = seed_tokens[seed_tokens["is_punct"]]
    assert set(p["kind"]) == {"punct"} and {"«", "»", ".", ",", "(", ")"} <= set(p["token"])
    s = seed_tokens.set_index("token")["is_stopword"]
    assert s.loc["de"].all() and s.loc["les"].all() and not s.loc["fentanyl"].any()


def test_sentence_ids_agree_with_split_sentences(seed_docs, seed_tokens):
    sents = split_sentences(seed_docs)
    spans = {(d, i): (s, e) for d, i, s, e in zip(sents["doc_id"], sents["sentence_id"], sents["start"], sents["end"])}
    for d, i, s, e in zip(seed_tokens["doc_id"], seed_tokens["sentence_id"], seed_tokens["start"], seed_tokens["end"]):
        lo, hi = spans[(d, i)]
        assert lo <= s and e <= hi
    assert seed_tokens.groupby("doc_id")["sentence_id"].max().to_dict() == \
        (sents.groupby("doc_id")["sentence_id"].max()).to_dict()


def test_english_contractions_and_language():
    t = one("The attorney's office said: don't sell fentanyl. It's the D'Artagnan rule.", language="en")
    tok = t["token"].tolist()
    assert "attorney's" in tok and "don't" in tok and "it's" in tok
    assert t.loc[t["token"] == "attorney's", "norm"].iloc[0] == "attorney"
    assert t.set_index("token").loc[["don't", "it's", "the"], "is_stopword"].all()
    assert follows(tok, ["d'", "artagnan"])
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "text": ["The office said that it was over.",
                                                            "Le bureau a dit que c'était fini.", "The cat"],
                         "language": ["", "", "fr"]})
    assert document_languages(docs).tolist() == ["en", "fr", "fr"]  # column wins over the guess
    assert document_languages(docs, "en").tolist() == ["en"] * 3
    assert guess_language("the drug and the police") == "en"
    with pytest.raises(ParameterError):
        tokenize(docs, language="de")


def test_stopwords_parameter_and_group_col():
    docs = pd.DataFrame({"doc_id": ["a"], "side": ["x"], "text": ["Le chat et le fentanyl."]})
    t = tokenize(docs, stopwords={"fentanyl"}, group_col="side")
    assert "side" in t.columns and t.loc[t["token"] == "fentanyl", "is_stopword"].all()
    assert not t.loc[t["token"] == "le", "is_stopword"].any()


def test_fast_path_regex_is_the_same_pattern():
    text = "L’«Opération» : 91 000 livres, 90 % ; #shit @dea https://x.fr 😀 Saint-Étienne."
    counted = [t for t in TOKEN_RE.findall(text.lower().replace("\u2019", "'")) if token_kind(t) != "punct"]
    assert find_tokens(text) == counted == COUNTED_RE.findall(text.lower().replace("\u2019", "'"))


def test_document_without_text_is_named():
    docs = pd.DataFrame({"doc_id": ["ok", "bad"], "text": ["Un texte.", None]})
    with pytest.raises(ParameterError, match="'bad'"):
        tokenize(docs)
    with pytest.raises(ParameterError, match="'bad'"):
        tokenize(docs, language="fr")
