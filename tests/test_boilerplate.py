"""Boilerplate learning and removal (analysis.text.boilerplate): tiny corpora whose answers are known, and the
shared prosecutors' corpus (orange_ca against kings_ny)."""
from __future__ import annotations

import itertools
import pickle
from collections import Counter

import pytest

from analysis.errors import ParameterError
from analysis.text import boilerplate as B
from analysis.text.boilerplate import (Cleaned, boilerplate_table, check_mode, cleaning_table, learn_boilerplate,
                                       normalize_block, source_column)
from tests.conftest import require_shared

NAV = ["HOME", "Contact  us", "Skip to content"]
QUOTE = "“We will not tolerate this,” said District Attorney Jane Roe."
FOOTER = "Office of the District Attorney\n350 Main Street, Springfield"


def _doc(i: int, source: str = "a") -> dict:
    body = [f"Release {i}: defendant number {i} was charged with offence {i * 7} in case {i}-{i * 3}.",
            f"The investigation of case {i} took {i + 2} months and involved witness {i * 11}."]
    if i in (2, 5, 9):
        body.append(QUOTE)
    nav = [n if i % 2 else n.lower() for n in NAV]  # case and spacing differ; normalized they are the same
    captcha = f"Are You a Human? {i % 10} + {(i * 3) % 10} ="
    return {"doc_id": f"{source}/{i:02d}", "group": source,
            "text": "\n".join(nav + body + [captcha]) + "\n\n" + FOOTER + "\n"}


def corpus(n: int = 20) -> list[dict]:
    return [_doc(i) for i in range(n)]


def test_normalize_block_collapses_space_and_case_keeps_digits():
    assert normalize_block("  Contact\t US  ") == "contact us"
    assert normalize_block("May 28, 2026") != normalize_block("May 29, 2026")


def test_navigation_and_footer_removed_recurring_quote_kept():
    model = learn_boilerplate(corpus(), "group")
    cleaned = model.clean("a/05", "a", _doc(5)["text"])
    assert QUOTE in cleaned.text
    for nav in ("home", "skip to content", "contact"):
        assert nav not in cleaned.text.lower()
    assert "Are You a Human" not in cleaned.text  # differs by its numbers only: removed by its shape
    assert "Springfield" not in cleaned.text
    assert cleaned.text.splitlines() == _doc(5)["text"].splitlines()[3:6]
    kinds = Counter(r.kind for r in cleaned.removed)
    assert kinds == {"line": 4, "paragraph": 1}
    assert all(_doc(5)["text"][r.start:r.end] == r.text for r in cleaned.removed)
    assert cleaned.n_removed_chars == sum(len(r.text) for r in cleaned.removed)
    assert not cleaned.emptied and cleaned.duplicate_of == ""


def test_threshold_is_max_of_min_documents_and_share():
    # a line in 6 of 400 documents: boilerplate at 5 documents, not at 2 % (8 documents)
    def words(i):
        return " ".join("abcdefghij"[int(c)] * 3 for c in str(i))

    docs = [{"doc_id": f"d{i:03d}", "group": "s", "text": f"unique body {words(i)}\n" + ("shared line\n" if i < 6 else "")}
            for i in range(400)]
    assert learn_boilerplate(docs, min_share=0.0).sources["s"].threshold == 5
    assert "shared line" not in learn_boilerplate(docs, min_share=0.0).clean("d000", "s", docs[0]["text"]).text
    model = learn_boilerplate(docs)
    assert model.sources["s"].threshold == 8
    assert model.clean("d000", "s", docs[0]["text"]).text == docs[0]["text"]


def test_legal_disclaimers_removed_from_min_documents_on():
    def words(i):
        return " ".join("abcdefghij"[int(c)] * 3 for c in str(i))

    disclaimer = "An indictment is merely an accusation, and the defendant is presumed innocent unless proven guilty."
    ordinary = "The defendant is scheduled to be arraigned before the judge next week."
    long_one = disclaimer + " " + " ".join(["The investigation lasted many months and involved agents."] * 6)
    docs = [{"doc_id": f"d{i:03d}", "group": "s", "text": f"body {words(i)}\n" + "\n".join(
        [disclaimer, ordinary, long_one] if i < 6 else [disclaimer.replace("the defendant", "defendants")] if i < 9
        else [])} for i in range(400)]
    model = learn_boilerplate(docs)
    assert model.sources["s"].threshold == 8
    text = model.clean("d000", "s", docs[0]["text"]).text
    assert disclaimer not in text.split("\n") and ordinary in text and long_one in text
    assert model.clean("d007", "s", docs[7]["text"]).text == docs[7]["text"]  # a variant of 3 documents
    assert B.is_disclaimer("Les suspects sont présumés innocents.") and not B.is_disclaimer(ordinary)


def test_sources_are_learned_apart_and_unknown_sources_lose_nothing():
    docs = corpus(20) + [dict(_doc(i, "b"), text=_doc(i, "b")["text"].replace("HOME", "Accueil").replace("home", "accueil"))
                         for i in range(3)]
    model = learn_boilerplate(docs, "group")
    assert "home" not in model.clean("a/01", "a", docs[1]["text"]).text.lower()
    only_b = model.clean("b/01", "b", docs[21]["text"])
    assert "Accueil" in only_b.text and not only_b.removed  # 3 documents: below min_documents
    assert model.clean("x/1", "elsewhere", "HOME\nbody").text == "HOME\nbody"


def test_exact_and_near_duplicates_reported_first_doc_id_kept():
    docs = corpus(20)
    exact = dict(docs[4], doc_id="a/04-copy")  # same text, later doc_id
    near = dict(docs[7], doc_id="a/07b",
                text=docs[7]["text"].replace("Are You a Human? 7 + 1 =", "Are You a Human? 2 + 2 ="))
    earlier = dict(docs[3], doc_id="a/00a")  # streamed last but first by doc_id: it is the one kept
    model = learn_boilerplate(docs + [exact, near, earlier], "group")
    assert model.duplicates == {"a/04-copy": "a/04", "a/07b": "a/07", "a/03": "a/00a"}
    assert model.clean("a/07b", "a", near["text"]).duplicate_of == "a/07"
    assert model.clean("a/08", "a", docs[8]["text"]).duplicate_of == ""
    table = boilerplate_table(model)
    dups = table[table["kind"] == "duplicate_document"]
    assert dict(zip(dups["doc_id"], dups["duplicate_of"])) == model.duplicates
    assert set(dups["n_chars"]) == {len(exact["text"]), len(near["text"]), len(docs[3]["text"])}
    # exact duplicates are not counted twice: 16 copies of a 4-document corpus learn nothing (4 < 5)
    small = [_doc(i) for i in range(4)]
    copies = [dict(d, doc_id=f"{d['doc_id']}#x{k}") for k in range(16) for d in small]
    assert not learn_boilerplate(small + copies).sources["a"].lines
    assert len(learn_boilerplate(small + copies).duplicates) == 64
    assert learn_boilerplate(docs + [near], near_duplicate=None).duplicates == {}
    light = learn_boilerplate(small + copies).for_cleaning()
    assert light.duplicates == {} and len(pickle.dumps(light)) < 0.5 * len(pickle.dumps(learn_boilerplate(small + copies)))
    assert model.for_cleaning().clean("a/07b", "a", near["text"]) == Cleaned(
        model.clean("a/07b", "a", near["text"]).text, model.clean("a/07b", "a", near["text"]).removed)


def test_document_of_only_boilerplate_is_reported_and_keeps_its_text():
    docs = corpus(20)
    nav_only = "\n".join(NAV) + "\n\n" + FOOTER
    model = learn_boilerplate(docs + [{"doc_id": "a/99", "group": "a", "text": nav_only}])
    cleaned = model.clean("a/99", "a", nav_only)
    assert cleaned.emptied and cleaned.text == nav_only and cleaned.removed
    table = cleaning_table([("a/99", "a", cleaned), ("a/01", "a", model.clean("a/01", "a", docs[1]["text"]))])
    assert table.loc[table["emptied"], "doc_id"].tolist() == ["a/99"]
    assert list(table.columns) == ["doc_id", "source", "n_chars_removed", "n_blocks_removed", "emptied",
                                   "duplicate_of"]


def test_streaming_generator_small_batches_pickling_and_determinism(monkeypatch):
    from_list = learn_boilerplate(corpus(30), "group")
    monkeypatch.setattr(B, "_BATCH", 3)  # merge the digest buffer every 3 distinct blocks
    streamed = learn_boilerplate((d for d in corpus(30)), "group")
    assert streamed == from_list
    clone = pickle.loads(pickle.dumps(streamed))
    assert len(pickle.dumps(streamed)) < 20_000
    for d in corpus(30):
        assert clone.clean(d["doc_id"], "a", d["text"]) == from_list.clean(d["doc_id"], "a", d["text"])
    assert boilerplate_table(clone).equals(boilerplate_table(from_list))


def test_table_columns_and_counts():
    table = boilerplate_table(learn_boilerplate(corpus(20), "group"))
    assert list(table.columns) == B.TABLE_COLUMNS
    assert set(table["kind"]) <= set(B.KINDS)
    home = table[table["text"].str.lower() == "home"].iloc[0]
    assert (home["source"], home["kind"], home["n_documents"], home["n_chars"]) == ("a", "line", 20, 80)
    shape = table[table["text"] == "are you a human? # + # ="]
    assert shape["n_documents"].tolist() == [20]
    assert table[table["kind"] == "paragraph"]["n_documents"].tolist() == [20]


def test_source_column_and_parameters():
    assert source_column(["doc_id", "group", "outlet", "text"]) == "outlet"
    assert source_column(["doc_id", "source", "outlet", "group"]) == "source"
    assert source_column(["doc_id", "text"]) is None
    assert check_mode(" AUTO ") == "auto" and check_mode("off") == "off"
    with pytest.raises(ParameterError, match="boilerplate"):
        check_mode("on")
    with pytest.raises(ParameterError, match="min_documents"):
        learn_boilerplate(corpus(3), min_documents=1)
    with pytest.raises(ParameterError, match="record 2"):
        learn_boilerplate([{"doc_id": "x", "text": "a"}, {"text_missing": 1}])


# --- the shared prosecutors' corpus ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def prosecutors():
    """Every 8th orange_ca release and every 4th kings_ny one (1,111 documents), streamed, learned and cleaned."""
    import json

    from analysis.corpus.read import normalize_text

    path = require_shared("corpora", "us-prosecutor-press-releases", "documents.jsonl")
    counters = Counter()
    docs = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            g = "orange_ca" if '"group": "orange_ca"' in line else "kings_ny" if '"group": "kings_ny"' in line else ""
            if g:
                counters[g] += 1
                if counters[g] % (8 if g == "orange_ca" else 4) == 0:
                    d = json.loads(line)
                    docs.append({"doc_id": d["doc_id"], "group": d["group"], "text": normalize_text(d["text"])})
    assert {d["group"] for d in docs} == {"orange_ca", "kings_ny"}
    model = learn_boilerplate(iter(docs), source_column(docs[0].keys()))
    return docs, model, [model.clean(d["doc_id"], d["group"], d["text"]) for d in docs]


def test_prosecutors_removed_blocks_are_frequent_and_notices_gone(prosecutors):
    from analysis.text.language import foreign_spans

    docs, model, cleaned = prosecutors
    doc_freq = Counter()
    for d in docs:
        doc_freq.update({(d["group"], normalize_block(line)) for line in d["text"].split("\n")})
    removed = Counter()
    for d, c in zip(docs, cleaned):
        assert not c.emptied
        threshold = model.sources[d["group"]].threshold
        for r in c.removed:
            if r.kind == "line" and B.line_shape(normalize_block(r.text)) is None:
                # no removed line is a sentence of fewer than 5 documents, nor, unless it is a legal
                # disclaimer, of fewer documents than the source's threshold
                n = doc_freq[(d["group"], normalize_block(r.text))]
                assert n >= 5 and (n >= threshold or B.is_disclaimer(r.text))
            removed[(d["group"], r.text)] += 1
    orange = [(d, c) for d, c in zip(docs, cleaned) if d["group"] == "orange_ca"]
    sample = orange[::4]
    # translation notices: lines in another language than English repeated in half the orange_ca releases
    notices = {normalize_block(d["text"][s.start:s.end]) for d, _ in sample[:20] for s in foreign_spans(d["text"], "en")}
    notices = {n for n in notices if doc_freq[("orange_ca", n)] >= 0.5 * len(orange)}
    assert len(notices) >= 2
    foreign_before = sum(bool(foreign_spans(d["text"], "en")) for d, _ in sample)
    foreign_after = sum(bool(foreign_spans(c.text, "en")) for _, c in sample)
    assert foreign_before == len(sample) and foreign_after <= 0.05 * len(sample)
    for _, c in orange:
        assert not {normalize_block(line) for line in c.text.split("\n")} & notices
    # the lines removed most often are site furniture: each in at least a quarter of the source's releases
    top = [(g, t) for (g, t), _ in itertools.islice(removed.most_common(), 30)]
    n_docs = Counter(d["group"] for d in docs)
    assert all(doc_freq[(g, normalize_block(t))] >= 0.25 * n_docs[g] for g, t in top)
    assert notices <= {normalize_block(t) for _, t in top}


def test_prosecutors_cleaning_leaves_the_releases(prosecutors):
    docs, model, cleaned = prosecutors
    removed = sum(c.n_removed_chars for c in cleaned)
    share = removed / sum(len(d["text"]) for d in docs)
    assert 0.1 < share < 0.6  # the sidebars and menus go, the releases stay
    assert all(len(c.text) > 0.2 * len(d["text"]) for d, c in zip(docs, cleaned) if d["group"] == "kings_ny")
    assert len(model.duplicates) < 0.02 * len(docs)


def test_prepare_text_removes_boilerplate_then_foreign_paragraphs():
    from analysis.text.cleaning import FOREIGN_COLUMNS, foreign_rows, foreign_table, prepare_text

    spanish = ("La Fiscalía del Distrito del Condado anunció hoy que el acusado fue condenado a quince años de "
               "prisión por el robo.")
    docs = corpus(20)
    text = docs[5]["text"].replace("\n\n", "\n" + spanish + "\n\n")
    model = learn_boilerplate(docs)
    prepared = prepare_text("a/05", "a", text, "en", model)
    assert spanish not in prepared.text and QUOTE in prepared.text and "home" not in prepared.text.lower()
    assert [s.language for s in prepared.foreign] == ["es"]
    rows = foreign_rows("a/05", "a", prepared)
    assert rows[0]["text"] == spanish and rows[0]["n_chars"] == len(spanish)
    assert list(foreign_table(rows).columns) == FOREIGN_COLUMNS
    assert not prepared.foreign_only and not prepared.emptied and prepared.duplicate_of == ""
    assert 0.2 < prepared.foreign_share < 0.5
    off = prepare_text("a/05", "a", text, "en", None)
    assert "HOME" in off.text and spanish not in off.text and not off.removed
    only = prepare_text("es/1", "es", spanish + "\n" + spanish.replace("quince", "doce"), "en", model)
    assert only.foreign_only and only.text.startswith("La Fiscalía") and only.foreign_share == 1.0
    mostly = prepare_text("es/2", "es", "Contacto: 214-653-3600\n" + spanish, "en", model)
    assert mostly.text == "Contacto: 214-653-3600" and mostly.foreign_share > 0.8 and not mostly.foreign_only
    assert prepare_text("a/05", "a", text, "en", model, foreign=False).text.count(spanish) == 1
