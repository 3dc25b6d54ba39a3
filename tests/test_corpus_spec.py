"""Corpus specs (analysis.corpus.spec): sources, groups, filters, relative paths, id collisions, errors."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.corpus import document_hashes, iter_documents, load_corpus, validate_corpus
from analysis.errors import CorpusError
from tests.conftest import require_shared


def _jsonl(path: Path, rows: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture()
def sources(tmp_path):
    _jsonl(tmp_path / "data" / "us.jsonl", [
        {"doc_id": "a1", "group": "doj", "language": "en", "text": "Agents seized fentanyl.", "drugs": True},
        {"doc_id": "a2", "group": "doj", "language": "en", "text": "A tax fraud case.", "drugs": False},
        {"doc_id": "a3", "group": "doj", "language": "en", "text": "Heroin was sold online.", "drugs": True},
    ])
    _jsonl(tmp_path / "data" / "fr.jsonl", [
        {"doc_id": "a1", "group": "france", "text": "La police a saisi du cannabis."},
        {"doc_id": "b2", "group": "monde", "text": "Un réseau démantelé."},
    ])
    (tmp_path / "specs").mkdir()
    return tmp_path


def _spec(folder: Path, text: str, name: str = "spec.yaml") -> Path:
    p = folder / name
    p.write_text(text, encoding="utf-8")
    return p


def _messages(err) -> list[str]:
    return [str(p) for p in err.value.problems]


def test_filter_group_relative_paths_and_collisions(sources):
    spec = _spec(sources / "specs", "sources:\n"
                 "  - {path: ../data/us.jsonl, group: us, where: {drugs: true}}\n"
                 "  - path: ../data/fr.jsonl\n"
                 "    group: fr\n"
                 "    language: fr\n")
    docs = load_corpus(spec)
    assert docs["doc_id"].tolist() == ["a1", "a3", "a1~2", "b2"]
    assert docs["group"].tolist() == ["us", "us", "fr", "fr"]
    assert docs["source_group"].tolist() == ["doj", "doj", "france", "monde"]
    assert docs["source_doc_id"].tolist() == ["a1", "a3", "a1", "b2"]
    assert docs["spec_source"].tolist() == ["1", "1", "2", "2"]
    assert docs["language"].tolist() == ["en", "en", "fr", "fr"]
    assert docs.columns[-1] == "text" and docs.loc[2, "text"] == "La police a saisi du cannabis."
    streamed = list(iter_documents(spec))
    assert [r["doc_id"] for r in streamed] == docs["doc_id"].tolist()
    assert [r["group"] for r in streamed] == docs["group"].tolist()
    assert validate_corpus(spec) == []


def test_list_filter_and_own_groups_kept(sources):
    spec = _spec(sources, "sources:\n  - path: data/fr.jsonl\n    where: {group: [monde, nowhere]}\n")
    docs = load_corpus(spec)
    assert docs["doc_id"].tolist() == ["b2"] and docs["group"].tolist() == ["monde"]
    assert "source_group" not in docs.columns


def test_collision_of_a_renamed_id(sources):
    _jsonl(sources / "data" / "x.jsonl", [{"doc_id": "a1~2", "group": "g", "text": "one"}])
    _jsonl(sources / "data" / "y.jsonl", [{"doc_id": "a1", "group": "g", "text": "two"}])
    spec = _spec(sources, "sources:\n  - {path: data/x.jsonl}\n  - {path: data/us.jsonl}\n"
                 "  - {path: data/y.jsonl}\n")
    ids = load_corpus(spec)["doc_id"].tolist()
    assert ids == ["a1~2", "a1", "a2", "a3", "a1~3"]
    spec = _spec(sources, "sources:\n  - {path: data/us.jsonl}\n  - {path: data/x.jsonl}\n"
                 "  - {path: data/fr.jsonl}\n", "b.yaml")
    ids = load_corpus(spec)["doc_id"].tolist()
    assert ids == ["a1", "a2", "a3", "a1~2", "a1~3", "b2"]
    assert len(set(ids)) == len(ids)


def test_hashes_cover_the_spec_and_its_sources(sources):
    spec = _spec(sources, "sources:\n  - {path: data/us.jsonl, group: us, where: {drugs: true}}\n")
    digest, docs = document_hashes(spec)
    assert sorted(docs) == ["a1", "a3"]
    _spec(sources, "sources:\n  - {path: data/us.jsonl, group: us2, where: {drugs: true}}\n")
    assert document_hashes(spec)[0] != digest
    _spec(sources, "sources:\n  - {path: data/us.jsonl, group: us, where: {drugs: true}}\n")
    assert document_hashes(spec)[0] == digest
    _jsonl(sources / "data" / "us.jsonl", [{"doc_id": "a1", "text": "changed", "drugs": True}])
    assert document_hashes(spec)[0] != digest


@pytest.mark.parametrize("text, line, fragment", [
    ("sources: []\n", 1, "non-empty list"),
    ("corpus: x\n", 1, "no 'sources' list"),
    ("sources:\n  - {path: data/us.jsonl}\nextra: 1\n", 3, "unknown key 'extra'"),
    ("sources:\n  - {path: data/us.jsonl, grp: x}\n", 2, "unknown key 'grp'"),
    ("sources:\n  - {group: x}\n", 2, "'path' must be"),
    ("sources:\n  - {path: data/us.jsonl}\n  - {path: data/none.jsonl}\n", 3, "no such file"),
    ("sources:\n  - path: data/us.jsonl\n    where: {nocol: 1}\n", 3, "no column 'nocol'"),
    ("sources:\n  - path: data/us.jsonl\n    where: {drugs: maybe}\n", 2, "filter keeps no document"),
    ("sources:\n  - path: data/us.jsonl\n    where: drugs\n", 3, "'where' must map"),
    ("sources:\n  - {path: other.yaml}\n", 2, "cannot include another"),
    ("sources:\n  - {path: data/us.jsonl\n", 3, "not valid YAML"),
    ("sources:\n  - just a path\n", 2, "must be a mapping"),
])
def test_bad_specs_name_the_file_and_line(sources, text, line, fragment):
    _spec(sources, "sources: []\n", "other.yaml")
    spec = _spec(sources, text)
    with pytest.raises(CorpusError) as err:
        load_corpus(spec)
    assert any(m.startswith(f"{spec}, line {line}: ") and fragment in m for m in _messages(err)), _messages(err)
    assert validate_corpus(spec)


def test_a_source_without_group_column_needs_a_group(sources):
    _jsonl(sources / "data" / "nogroup.jsonl", [{"doc_id": "z", "text": "text"}])
    spec = _spec(sources, "sources:\n  - {path: data/us.jsonl}\n  - {path: data/nogroup.jsonl}\n")
    with pytest.raises(CorpusError) as err:
        load_corpus(spec)
    assert any(m.startswith(f"{spec}, line 3:") and "give it a 'group'" in m for m in _messages(err))


def test_problems_of_a_source_name_the_source_file(sources):
    _jsonl(sources / "data" / "dup.jsonl", [{"doc_id": "z", "group": "g", "text": "t"},
                                             {"doc_id": "z", "group": "g", "text": "u"}])
    spec = _spec(sources, "sources:\n  - {path: data/dup.jsonl}\n")
    with pytest.raises(CorpusError) as err:
        load_corpus(spec)
    assert any("dup.jsonl, line 2" in m and "duplicate doc_id" in m for m in _messages(err))


DOJ_VS_FR = ("sources:\n"
             "  - path: {doj}\n    group: us_doj\n    where: {{mentions_drugs: true}}\n"
             "  - path: {fr}\n    group: fr_press\n")


def test_shared_doj_drug_releases_against_french_drug_articles(tmp_path):
    doj = require_shared("corpora", "us-doj-press-releases-2009-2018", "documents.jsonl")
    fr = require_shared("corpora", "fr-press-drug-articles-orangesum", "documents.jsonl")
    spec = _spec(tmp_path, DOJ_VS_FR.format(doj=doj, fr=fr))
    docs = load_corpus(spec)
    assert docs["group"].value_counts().to_dict() == {"us_doj": 1539, "fr_press": 767}
    assert docs["doc_id"].is_unique
    assert set(docs.loc[docs["group"] == "us_doj", "language"]) == {"en"}
    assert set(docs.loc[docs["group"] == "fr_press", "language"]) == {"fr"}
