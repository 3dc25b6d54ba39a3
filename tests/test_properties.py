"""Property-based tests (hypothesis) for the tokenizer, the claim parser and the loader.

Properties: no crash on arbitrary Unicode text; every token points back to the text it came from (offsets
inside the text, increasing, inside its sentence); a number's value does not depend on the thousands
separator (space, no-break space, narrow no-break space); any text written to a corpus folder, a JSON
Lines or a CSV file comes back NFC-normalized with LF line ends, and nothing else changed.
"""
from __future__ import annotations

import csv
import json
import tempfile
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from analysis.narratives import claims

from analysis.text import tokens
from analysis.corpus import BINARY_SIGNATURES, load_corpus
from analysis.errors import CorpusError
from analysis.text.sentences import sentence_spans

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Any Unicode text but lone surrogates (they cannot be written to a file in UTF-8)
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
# Text that looks like the corpus: French words, digits, punctuation, emoji, odd spaces and line ends
PIECES = st.sampled_from([
    "Le", "préfet", "a", "saisi", "1 200", "1\u00a0200", "1\u202f200", "kg", "de", "cocaïne", "l’", "d'",
    "aujourd'hui", "Snapchat", "#drogue", "@police", "https://exemple.fr/a?b=1", "😀", "👮‍♀️", "e\u0301",
    "«", "»", "—", "…", ".", ",", "!", "?", ";", ":", "(", ")", "\"", "'", "%", "50 %", "3,5", "M.", "Dr.",
    " ", "  ", "\n", "\r\n", "\r", "\t", "\u00a0", "\u2028", "İ", "ß", "ﬁ", "Ω", "東京", "עברית", "١٢٣",
])
CORPUS_TEXT = st.lists(PIECES, max_size=60).map("".join)
TEXTS = st.one_of(ANY_TEXT, CORPUS_TEXT)


def expected_text(written: str, *, file: bool) -> str:
    """What the loader documents: (a leading BOM of a text file dropped), CRLF/CR -> LF, NFC."""
    if file and written.startswith("\ufeff"):
        written = written[1:]
    return unicodedata.normalize("NFC", written.replace("\r\n", "\n").replace("\r", "\n"))


# ----------------------------------------------------------------------------------------------- tokenizer

def tokenize_one(text: str) -> pd.DataFrame:
    docs = pd.DataFrame([{"doc_id": "d", "group": "g", "language": "fr", "text": text}])
    return tokens.tokenize(docs, language="fr")


@SETTINGS
@given(TEXTS)
@example("L’État a saisi 1\u202f200 kg… «\u00a0Oui\u00a0» — https://x.fr #drogue @police 😀👮‍♀️ aujourd'hui.")
@example("İİİ ßß ﬁn")
@example("Fin de ligne\x1f")  # U+001F is whitespace for str.strip (sentences) but not for regex's \\s
def test_tokens_point_back_to_the_text(text):
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    toks = tokenize_one(text)
    if toks.empty:
        return
    starts, ends = toks["start"].tolist(), toks["end"].tolist()
    assert all(0 <= s < e <= len(text) for s, e in zip(starts, ends))
    assert all(e <= s2 for e, s2 in zip(ends, starts[1:])), "tokens overlap or go backwards"
    assert toks["position"].tolist() == sorted(toks["position"].tolist())
    for surface, token in zip((text[s:e] for s, e in zip(starts, ends)), toks["token"]):
        assert surface and "\n" not in surface, repr(surface)
        # the token is the surface lowercased with the typographic apostrophe made straight
        assert token == surface.lower().replace("\u2019", "'"), (surface, token)
    spans = sentence_spans(text)
    for s, e, sid in zip(starts, ends, toks["sentence_id"]):
        lo, hi = spans[sid]
        assert lo <= s and e <= hi, "a token lies outside the sentence it is said to be in"


# ----------------------------------------------------------------------------------------------- claims

def claims_module():
    return claims


@SETTINGS
@given(st.integers(min_value=1000, max_value=10**12), st.one_of(st.none(), st.integers(0, 99)))
def test_parse_number_does_not_depend_on_thousands_separator(n, decimals):
    claims = claims_module()
    groups = f"{n:,}".split(",")
    tail = "" if decimals is None else f",{decimals:02d}"
    value = n + (0 if decimals is None else decimals / 100)
    parsed = [claims.parse_number(sep.join(groups) + tail) for sep in (" ", "\u00a0", "\u202f")]
    assert parsed[0] is not None
    assert parsed[0] == pytest.approx(value)
    assert parsed[0] == parsed[1] == parsed[2]
    if decimals is None:
        assert claims.parse_number("".join(groups)) == parsed[0]  # and without any separator


@SETTINGS
@given(TEXTS)
@example("Les saisies ont atteint 1\u202f200 kg de cocaïne et 3,5 millions d'euros, soit +50 % en 2023.")
def test_find_claims_no_crash_and_offsets_in_text(text):
    claims = claims_module()
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    docs = pd.DataFrame([{"doc_id": "d", "group": "g", "language": "fr", "text": text}])
    found = claims.find_claims(docs)
    spans = sentence_spans(text)
    for s, e, span, sid in zip(found["start"], found["end"], found["text"], found["sentence_id"]):
        assert 0 <= s < e <= len(text)
        assert text[s:e] == span, "a claim's text is not the text at its offsets"
        lo, hi = spans[sid]
        assert lo <= s < hi, "a claim starts outside the sentence it is said to be in"
    assert found["value"].notna().all()


# ----------------------------------------------------------------------------------------------- loader

def _safe_for_text_file(text: str) -> bool:
    data = text.encode("utf-8")
    return "\x00" not in text and not any(data.startswith(m) for m in BINARY_SIGNATURES)


@SETTINGS
@given(st.lists(TEXTS, min_size=1, max_size=4))
@example(["\ufeffdébut\r\nfin\r", "e\u0301te\u0301 \u2028 ligne", "1\u202f200 €"])
def test_loader_round_trip_folder_jsonl_csv(texts):
    assume(all(expected_text(t, file=True).strip() and expected_text(t, file=False).strip() for t in texts))
    assume(all(_safe_for_text_file(t) for t in texts))
    ids = [f"d{i}" for i in range(len(texts))]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        folder = tmp / "folder"
        folder.mkdir()
        with open(folder / "manifest.csv", "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["doc_id", "path", "group"])
            for i, (doc_id, text) in enumerate(zip(ids, texts)):
                (folder / f"{i}.txt").write_bytes(text.encode("utf-8"))
                w.writerow([doc_id, f"{i}.txt", "g"])
        got = load_corpus(folder)
        assert list(got["doc_id"]) == ids
        assert list(got["text"]) == [expected_text(t, file=True) for t in texts]

        jsonl = tmp / "c.jsonl"
        jsonl.write_text("".join(json.dumps({"doc_id": d, "group": "g", "text": t}, ensure_ascii=False) + "\n"
                                 for d, t in zip(ids, texts)), encoding="utf-8")
        got = load_corpus(jsonl)
        assert list(got["doc_id"]) == ids
        assert list(got["text"]) == [expected_text(t, file=False) for t in texts]

        table = tmp / "c.csv"
        with open(table, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["doc_id", "group", "text"])
            w.writerows([d, "g", t] for d, t in zip(ids, texts))
        got = load_corpus(table)
        assert list(got["doc_id"]) == ids
        assert list(got["text"]) == [expected_text(t, file=False) for t in texts]


@SETTINGS
@given(ANY_TEXT, ANY_TEXT)
def test_text_file_with_nul_byte_is_refused_naming_the_file(before, after):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "manifest.csv").write_text("doc_id,path,group\nd1,doc.txt,g\n", encoding="utf-8")
        (folder / "doc.txt").write_bytes((before + "\x00" + after).encode("utf-8"))
        with pytest.raises(CorpusError) as info:
            load_corpus(folder)
        assert "doc.txt" in str(info.value)
