"""The explorer page's data (analysis/pages/explorer.py): lines of a term set in one pass, the capped views,
the safe embedding of corpus text, the size budget, the text-free mode, and the size on a real corpus."""
from __future__ import annotations

import html
import json
import math
import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from analysis.errors import ParameterError
from analysis.pages import PAGES
from analysis.pages import explorer as X
from analysis.stats.keyness import g2_4term

from conftest import require_shared

A, B = "us", "fr"


def keyness_table(rows):
    """A keyness-like table from (term, count_a, count_b, g2) rows, 1,000 tokens a side."""
    df = pd.DataFrame(rows, columns=["term", "count_a", "count_b", "g2"])
    return df.assign(per_10k_a=df["count_a"] * 10, per_10k_b=df["count_b"] * 10, log_ratio=0.0, docs_a=1,
                     docs_b=1)


def documents():
    return pd.DataFrame({"doc_id": ["a1", "a2", "b1"], "group": [A, A, B], "date": ["2023-05", "", "2022-11-01"],
                         "n_tokens": [500, 500, 1000], "n_sentences": [10, 10, 40]})


# --------------------------------------------------------------------------------------------- lines

TEXTS = [
    {"doc_id": "a1", "group": A, "text": "Fentanyl sold on Snapchat.\nThe   fentanyl pills came by mail."},
    {"doc_id": "a2", "group": A, "text": "More fentanyl pills, and l’opération Lotus."},
    {"doc_id": "b1", "group": B, "text": "La police surveille Snapchat ; pas de fentanyl ici."},
]


def test_lines_of_words_and_bigrams_in_one_pass_with_their_offsets_and_context():
    lines = X.explorer_lines(iter(TEXTS), ["fentanyl", "fentanyl pills", "snapchat", "opération", "absent"],
                             window=10, cap_per_term_side=5)
    assert list(lines.columns) == X.LINE_COLUMNS
    got = {(r.term, r.doc_id): r for r in lines.itertuples()}
    found = sorted(set(got))
    assert found == [("fentanyl", "a1"), ("fentanyl", "a2"), ("fentanyl", "b1"), ("fentanyl pills", "a1"),
                     ("fentanyl pills", "a2"), ("opération", "a2"), ("snapchat", "a1"), ("snapchat", "b1")]
    # two fentanyl lines in a1 (the capitalised one first), one in a2, one in b1
    assert (lines["term"] == "fentanyl").sum() == 4
    first = lines[(lines["term"] == "fentanyl") & (lines["doc_id"] == "a1")].iloc[0]
    assert (first.start, first.end, first.match, first.left) == (0, 8, "Fentanyl", "")
    assert first.right == "sold on S"  # 10 characters of context: " sold on S", then stripped
    bigram = got[("fentanyl pills", "a1")]
    assert TEXTS[0]["text"][bigram.start:bigram.end] == "fentanyl pills"
    assert bigram.left == "at. The"  # whitespace collapsed: "at.\nThe   " -> "at. The"
    assert got[("opération", "a2")].match == "opération"  # after the elision l’, curly apostrophe and all


def test_longer_ngrams_and_a_word_inside_them_all_get_lines():
    text = "Les forces de l'ordre et les forces armées."
    lines = X.explorer_lines([("d", "g", text)], ["forces de l' ordre", "forces", "ordre"], window=3)
    got = sorted(zip(lines["term"], lines["match"]))
    assert got == [("forces", "forces"), ("forces", "forces"), ("forces de l' ordre", "forces de l'ordre"),
                   ("ordre", "ordre")]


def test_uncapped_lines_count_what_keyness_counted_on_the_seeds(seed_docs):
    from analysis.stats import counts
    from analysis.stats.keyness import keyness

    recs = seed_docs[["doc_id", "group", "text"]].to_dict("records")
    k1 = keyness(counts.count_documents(recs, ngram=1), "us_federal", "fr_policing")
    k2 = keyness(counts.count_documents(recs, ngram=2), "us_federal", "fr_policing", min_count=2)
    lines = X.explorer_lines(recs, list(k1["term"]) + list(k2["term"]), cap_per_term_side=10_000)
    n = lines.groupby(["term", "group"]).size()
    for table, exact in ((k1, True), (k2, False)):  # a bigram line may also span a sentence end
        for row in table.itertuples():
            for g, count in (("us_federal", row.count_a), ("fr_policing", row.count_b)):
                got = int(n.get((row.term, g), 0))
                assert got == count if exact else got >= count, (row.term, g, got, count)


def test_lines_are_capped_per_term_and_group_in_text_order():
    lines = X.explorer_lines(TEXTS, ["fentanyl"], window=5, cap_per_term_side=1)
    assert list(zip(lines["doc_id"], lines["group"])) == [("a1", A), ("b1", B)]
    assert lines.iloc[0]["match"] == "Fentanyl"


def test_lines_accept_tuples_and_refuse_bad_arguments():
    assert len(X.explorer_lines([("d", "g", "x fentanyl y")], ["fentanyl"])) == 1
    assert X.explorer_lines(TEXTS, []).empty
    with pytest.raises(ParameterError, match="cap_per_term_side"):
        X.explorer_lines(TEXTS, ["x"], cap_per_term_side=0)
    with pytest.raises(ParameterError, match="window"):
        X.explorer_lines(TEXTS, ["x"], window=-1)
    with pytest.raises(ParameterError, match="'text'"):
        X.explorer_lines([{"doc_id": "d", "group": "g"}], ["x"])


# --------------------------------------------------------------------------------------------- views

def test_select_terms_keeps_the_most_key_half_then_the_most_frequent():
    k = keyness_table([("k1", 9, 0, 30.0), ("k2", 0, 9, -25.0), ("k3", 5, 0, 12.0), ("common", 50, 50, 0.1),
                       ("rare", 1, 1, 0.0), ("mid", 20, 21, -0.2)])
    assert list(X.select_terms(k, 4)["term"]) == ["k1", "k2", "common", "mid"]
    assert len(X.select_terms(k, 100)) == 6
    assert X.explorer_terms(k, keyness_table([("a b", 3, 0, 5.0)]), caps={"words": 2, "bigrams": 5}) == \
        ["k1", "common", "a b"]


def test_entity_and_frame_views_carry_the_keyness_of_their_counts():
    ent = pd.DataFrame({"doc_id": ["a1", "a1", "a2", "b1"], "group": [A, A, A, B],
                        "category": ["agency", "agency", "agency", "platform"],
                        "canonical": ["DEA", "DEA", "DEA", "Snapchat"], "surface": ["DEA", "DEA", "dea", "Snapchat"],
                        "sentence": ["The DEA said.", "DEA agents", "the dea", "Sur Snapchat, rien."]})
    k = X.entity_keyness(ent, documents(), A, B).set_index("term")
    dea = k.loc["DEA"]
    assert (dea.count_a, dea.count_b, dea.docs_a, dea.note) == (3, 0, 2, "agency")
    assert math.isclose(dea.g2, float(g2_4term(3, 0, 1000 - 3, 1000)))  # 1,000 tokens on each side
    assert dea.per_10k_a == 30.0
    d = X.explorer_data(documents=documents(), group_a=A, group_b=B, entities=ent, window=4)
    lines = d["views"]["entities"]["lines"]
    # 4 characters of context, stripped
    assert [l[2:] for l in lines["DEA"]] == [["The", "DEA", "sai"], ["", "DEA", "age"], ["the", "dea", ""]]
    (side, doc, *kwic), = lines["Snapchat"]
    assert (side, d["docs"][doc][0], kwic) == (1, "b1", ["Sur", "Snapchat", ", ri"])
    frames = pd.DataFrame({"doc_id": ["a1", "a2", "b1"], "group": [A, A, B], "frame": ["health"] * 3,
                           "n_sentences": [10, 10, 40], "n_frame_sentences": [4, 0, 2]})
    f = X.frame_keyness(frames, documents(), A, B).set_index("term").loc["health"]
    assert (f.count_a, f.count_b, f.docs_a, f.docs_b) == (4, 2, 1, 1)
    assert f.per_10k_a == 2000.0 and f.per_10k_b == 500.0  # sentences per 10,000 sentences
    assert X.entity_keyness(ent.iloc[:0], documents(), A, B) is None
    assert X.frame_keyness(None, documents(), A, B) is None


def data(**kw):
    k = keyness_table([("fentanyl", 3, 1, 2.0), ("snapchat", 1, 1, 0.0)])
    lines = X.explorer_lines(TEXTS, ["fentanyl", "snapchat"])
    args = dict(documents=documents(), group_a=A, group_b=B, keyness=k, lines=lines)
    args.update(kw)
    return X.explorer_data(**args)


def test_views_present_are_those_with_a_table_and_lines_cite_documents_with_dates():
    d = data(concepts=keyness_table([("SEIZURE", 2, 0, 3.0)]).rename(columns={"term": "concept"}))
    assert list(d["views"]) == ["words", "concepts"]  # no bigrams, entities or frames in this run
    words = d["views"]["words"]
    assert [r[0] for r in words["rows"]] == ["fentanyl", "snapchat"] and words["n_total"] == 2
    f_lines = words["lines"]["fentanyl"]
    assert sorted(l[0] for l in f_lines) == [0, 0, 0, 1]  # three in A (cap), one in B
    docs = {d["docs"][l[1]][0]: d["docs"][l[1]][1] for l in f_lines}
    assert docs == {"a1": "2023-05", "a2": "", "b1": "2022-11-01"}
    assert f_lines[0][2:] == ["", "Fentanyl", "sold on Snapchat. The fentanyl pills came by mail."]
    assert d["views"]["concepts"]["rows"][0][0] == "SEIZURE"


def test_text_none_leaves_every_document_text_out():
    d = data(text="none")
    dumped = json.dumps(d, ensure_ascii=False)
    for fragment in ("sold on", "surveille", "pills came", "mail"):
        assert fragment not in dumped
    assert all(len(l) == 2 for ls in d["views"]["words"]["lines"].values() for l in ls)
    assert "document text is left out" in X.caps_note(d)
    with pytest.raises(ParameterError, match="explorer_text"):
        data(text="all")


def test_the_size_budget_cuts_lines_then_terms_and_says_so():
    k = keyness_table([(f"t{i}", 3, 1, float(i)) for i in range(200)])
    lines = pd.DataFrame({"term": [f"t{i}" for i in range(200) for _ in range(6)],
                          "doc_id": "a1", "group": [A, A, A, B, B, B] * 200,
                          "left": "x" * 60, "match": "m", "right": "y" * 60})
    full = X.explorer_data(documents=documents(), group_a=A, group_b=B, keyness=k, lines=lines)
    assert full["caps"]["cuts"] == [] and full["caps"]["lines_per_side"] == 3
    small = X.explorer_data(documents=documents(), group_a=A, group_b=B, keyness=k, lines=lines,
                            max_bytes=full["caps"]["bytes"] // 4)
    assert small["caps"]["bytes"] <= full["caps"]["bytes"] // 4
    assert small["caps"]["lines_per_side"] == 1 and len(small["caps"]["cuts"]) >= 2
    assert "Size budget" in X.caps_note(small)


# --------------------------------------------------------------------------------------------- embedding

PAYLOADS = ["</script><script>window.__x=1</script>", "</div><img src=x onerror=alert(1)>", "&lt;b&gt; & <!--",
            "\u2028line\u2029sep"]


class Collect(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.data_text, self._in = [], [], False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._in = dict(attrs).get("id") == "kit-explorer-data"

    def handle_endtag(self, tag):
        self._in = False

    def handle_data(self, text):
        if self._in:
            self.data_text.append(text)


def test_corpus_text_cannot_close_the_data_or_open_markup_and_round_trips():
    k = keyness_table([(p, 2, 1, 1.0) for p in PAYLOADS])
    lines = pd.DataFrame({"term": PAYLOADS, "doc_id": PAYLOADS, "group": A, "left": PAYLOADS, "match": PAYLOADS,
                          "right": PAYLOADS})
    d = X.explorer_data(documents=documents().assign(doc_id=PAYLOADS[:3]), group_a='A<svg onload=x()>',
                        group_b=B, keyness=k, lines=lines.assign(group='A<svg onload=x()>'))
    page = X.explorer_html(d)
    embedded = X.embed_json(d)
    assert "<" not in embedded and ">" not in embedded
    assert "</script><script>" not in page and "<img src=x" not in page and "<svg onload" not in page
    parser = Collect()
    parser.feed(page)
    parser.close()
    assert parser.tags.count("script") == 1 and "img" not in parser.tags and "svg" in parser.tags
    assert json.loads("".join(parser.data_text)) == json.loads(json.dumps(d))
    assert json.loads(html.unescape(embedded))["views"]["words"]["rows"][0][0] in PAYLOADS


def test_the_page_script_builds_nothing_from_markup_and_fetches_nothing():
    script = (X.ASSETS / "explorer.js").read_text(encoding="utf-8")
    for banned in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "fetch(", "XMLHttpRequest",
                   "import(", "http://", "https://", "eval("):
        assert banned not in script.replace("http://www.w3.org/2000/svg", ""), banned
    page = X.explorer_html(data())
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page)


def test_the_explorer_is_a_page_of_the_report():
    assert ("06_explorer", "Explorer") in [page[:2] for page in PAGES]


# --------------------------------------------------------------------------------------------- real corpus

@pytest.mark.slow
def test_size_on_the_prosecutors_corpus_stays_under_the_budget():
    """kings_ny vs orange_ca of the US prosecutors' releases, words and bigrams with lines from every
    document, entities and frames on the first 400 documents of each side: the report page stays under 1 MB (and so
under the explorer's own budget of 3 MB), the caps and the cuts shown."""
    from analysis.corpus import load_corpus
    from analysis.narratives import entities as E, frames as FR
    from analysis.stats import counts
    from analysis.stats.keyness import keyness
    from analysis.text.stopwords import get_stopwords

    path = require_shared("corpora", "us-prosecutor-press-releases", "documents.jsonl")
    docs = load_corpus(path)
    docs = docs[docs["group"].isin(["kings_ny", "orange_ca"])].reset_index(drop=True)
    recs = docs[["doc_id", "group", "text"]].to_dict("records")
    stop = set(get_stopwords("en"))
    k1 = keyness(counts.count_documents(recs, ngram=1), "kings_ny", "orange_ca", stopwords=stop)
    k2 = keyness(counts.count_documents(recs, ngram=2), "kings_ny", "orange_ca", stopwords=stop)
    lines = X.explorer_lines(recs, X.explorer_terms(k1, k2))
    sample = docs.groupby("group", group_keys=False).head(400)
    documents = docs.drop(columns=["text"]).assign(n_tokens=1000, n_sentences=50)
    frames = FR.frame_shares(sample, group_col="group")
    page = X.explorer_page(documents=documents, group_a="kings_ny", group_b="orange_ca", keyness=k1,
                           keyness_bigrams=k2, lines=lines, entities=E.find_entities(sample, group_col="group"),
                           frames=frames, frame_sentences=FR.frame_sentences(sample, group_col="group"))
    size = len(page.encode("utf-8"))
    assert size <= 1_000_000 - 150_000, size  # the notebook page adds about 150 kB (lean styles, a figure)
    assert "to keep the page under 0.8 MB" in page
    assert f"words: {X.CAPS['words']} of {len(k1)}" in page
    bare = X.explorer_page(documents=documents, group_a="kings_ny", group_b="orange_ca", keyness=k1,
                           keyness_bigrams=k2, lines=lines, text="none")
    assert len(bare.encode("utf-8")) < size / 2
