"""Corpus loading: the seed folder, the single-file formats, and the faults each must name (file and line)."""
from __future__ import annotations

import hashlib
import json

import pandas as pd
import pytest

from analysis.corpus import (
    date_precision,
    document_hashes,
    iter_documents,
    load_corpus,
    parse_partial_date,
    validate_corpus,
)
from analysis.errors import CorpusError

from .conftest import ROOT, SEEDS, shared_dir


def write_folder(tmp_path, rows, files, header="doc_id,path,group,date"):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "manifest.csv").write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    for name, content in files.items():
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (folder / name).write_bytes(data)
    return folder


def messages(path, **kw):
    return [str(p) for p in validate_corpus(path, **kw)]


def test_seed_corpus_loads_five_documents_in_two_groups(seed_docs):
    assert len(seed_docs) == 5
    assert seed_docs["group"].value_counts().to_dict() == {"fr_policing": 3, "us_federal": 2}
    assert seed_docs["doc_id"].is_unique
    assert set(seed_docs.columns) >= {"doc_id", "path", "group", "agencies", "source", "date", "language",
                                      "title", "text"}
    assert (seed_docs["language"] == "fr").all()
    assert seed_docs["text"].str.len().min() > 2000


def test_seed_files_are_the_shared_seeds_byte_for_byte():
    shared = shared_dir() / "seeds"
    if not shared.exists():
        pytest.skip("../shared/seeds absent")
    ours = sorted(p.name for p in SEEDS.glob("*.txt"))
    assert ours == sorted(p.name for p in shared.glob("*.txt"))
    for name in ours:
        assert (SEEDS / name).read_bytes() == (shared / name).read_bytes(), name


def test_seed_manifest_describes_every_file_with_iso_dates():
    manifest = pd.read_csv(SEEDS / "manifest.csv", dtype=str, keep_default_na=False)
    assert list(manifest.columns) == ["doc_id", "path", "group", "agencies", "source", "date", "language", "title"]
    assert sorted(manifest["path"]) == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert set(manifest["group"]) == {"us_federal", "fr_policing"}
    for value in manifest["date"]:
        assert value == "" or parse_partial_date(value) is not None
    assert validate_corpus(SEEDS) == []


def test_seed_text_is_nfc_and_apostrophes_are_kept(seed_docs):
    import unicodedata

    for text in seed_docs["text"]:
        assert unicodedata.is_normalized("NFC", text)
        assert "\r" not in text
    lyon = seed_docs.set_index("doc_id").loc["fr_lyon_snapchat", "text"]
    assert "’" in seed_docs.set_index("doc_id").loc["fr_toulouse_reseaux", "text"]
    assert "'" in lyon


def test_folder_corpus_normalizes_bom_crlf_and_nfc(tmp_path):
    decomposed = "Cafe\u0301 a\u0300 Lyon"
    folder = write_folder(tmp_path, ["a,a.txt,g1,2023-05", "b,b.txt,g2,"],
                          {"a.txt": b"\xef\xbb\xbfline one\r\nline two\r\n", "b.txt": decomposed})
    docs = load_corpus(folder)
    assert docs.loc[0, "text"] == "line one\nline two\n"
    assert docs.loc[1, "text"] == "Café à Lyon"
    assert docs.loc[1, "date"] == ""


@pytest.mark.parametrize("kind", ["csv", "jsonl", "parquet"])
def test_single_file_corpora_load_with_metadata(tmp_path, kind):
    frame = pd.DataFrame({"doc_id": ["x1", "x2"], "group": ["a", "b"], "outlet": ["o1", "o2"],
                          "text": ["Première « phrase ».", "Second text, 91 000 livres."]})
    path = tmp_path / f"corpus.{kind}"
    if kind == "csv":
        frame.to_csv(path, index=False)
    elif kind == "jsonl":
        path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in frame.to_dict("records")),
                        encoding="utf-8")
    else:
        frame.to_parquet(path)
    docs = load_corpus(path)
    assert list(docs["doc_id"]) == ["x1", "x2"]
    assert list(docs["outlet"]) == ["o1", "o2"]
    assert docs.loc[0, "text"] == "Première « phrase »."
    streamed = list(iter_documents(path))
    assert [r["text"] for r in streamed] == list(docs["text"])


def test_custom_id_and_text_columns(tmp_path):
    path = tmp_path / "c.csv"
    pd.DataFrame({"id": ["1", "2"], "body": ["one", "two"], "group": ["a", "b"]}).to_csv(path, index=False)
    docs = load_corpus(path, id_col="id", text_col="body")
    assert list(docs["doc_id"]) == ["1", "2"] and list(docs["text"]) == ["one", "two"]


def test_missing_file_names_manifest_line(tmp_path):
    folder = write_folder(tmp_path, ["a,a.txt,g1,", "b,nothere.txt,g2,"], {"a.txt": "text"})
    msgs = messages(folder)
    assert len(msgs) == 1
    assert "manifest.csv, line 3" in msgs[0] and "nothere.txt" in msgs[0]
    with pytest.raises(CorpusError, match="line 3"):
        load_corpus(folder)


def test_duplicate_id_names_both_lines(tmp_path):
    folder = write_folder(tmp_path, ["a,a.txt,g1,", "a,b.txt,g2,"], {"a.txt": "x", "b.txt": "y"})
    (msg,) = messages(folder)
    assert "line 3" in msg and "first at line 2" in msg and "duplicate doc_id 'a'" in msg


def test_missing_required_column_names_the_column(tmp_path):
    folder = write_folder(tmp_path, ["a,g1"], {"a.txt": "x"}, header="doc_id,group")
    (msg,) = messages(folder)
    assert "manifest.csv, line 1" in msg and "path" in msg
    path = tmp_path / "c.jsonl"
    path.write_text('{"doc_id": "1", "body": "x"}\n', encoding="utf-8")
    (msg,) = messages(path)
    assert "c.jsonl" in msg and "text" in msg


def test_empty_text_and_non_utf8_are_named(tmp_path):
    folder = write_folder(tmp_path, ["a,a.txt,g1,", "b,b.txt,g1,", "c,c.txt,g2,"],
                          {"a.txt": "  \n\t ", "b.txt": "ok line\nd\xe9j\xe0".encode("latin-1"), "c.txt": "fine"})
    msgs = messages(folder)
    assert any("a.txt" in m and "empty text" in m for m in msgs)
    assert any("b.txt, line 2" in m and "not valid UTF-8" in m and "0xE9" in m for m in msgs)
    # Declaring the encoding in the manifest makes the legacy file load with its accents.
    (folder / "manifest.csv").write_text("doc_id,path,group,encoding\nb,b.txt,g1,latin-1\n", encoding="utf-8")
    assert load_corpus(folder).loc[0, "text"] == "ok line\ndéjà"


def test_paths_that_leave_the_corpus_are_refused(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("outside", encoding="utf-8")
    folder = write_folder(tmp_path, ["a,../secret.txt,g1,", f"b,{outside},g1,", "c,link.txt,g2,"], {})
    (folder / "link.txt").symlink_to(outside)
    msgs = messages(folder)
    assert len(msgs) == 3
    assert "line 2" in msgs[0] and "outside the corpus folder" in msgs[0]
    assert "line 3" in msgs[1] and "absolute path" in msgs[1]
    assert "line 4" in msgs[2] and "symbolic link" in msgs[2]


def test_bad_dates_and_empty_groups_are_named(tmp_path):
    folder = write_folder(tmp_path, ["a,a.txt,g1,2023-02-30", "b,b.txt,,2023"], {"a.txt": "x", "b.txt": "y"})
    msgs = messages(folder)
    assert any("line 2" in m and "not a date" in m for m in msgs)
    assert any("line 3" in m and "empty group" in m for m in msgs)
    other = tmp_path / "other"
    other.mkdir()
    msgs = messages(write_folder(other, ["a,a.txt,g3,"], {"a.txt": "x"}), groups={"g1", "g2"})
    assert any("line 2" in m and "unknown group 'g3'" in m for m in msgs)


def test_jsonl_faults_carry_their_line_numbers(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text('{"doc_id": "1", "text": "ok", "group": "a"}\n'
                    '{"doc_id": "2", "text": ""}\n'
                    'not json\n'
                    '{"doc_id": "1", "text": "again", "group": "b"}\n', encoding="utf-8")
    msgs = messages(path)
    assert any("line 2" in m and "empty text" in m for m in msgs)
    assert any("line 3" in m and "not valid JSON" in m for m in msgs)
    assert any("line 4" in m and "duplicate doc_id '1'" in m for m in msgs)


def test_unknown_format_and_missing_path(tmp_path):
    (tmp_path / "c.docx").write_bytes(b"x")
    assert "unknown corpus format" in messages(tmp_path / "c.docx")[0]
    assert "no such file or folder" in messages(tmp_path / "nope")[0]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "manifest.csv" in messages(empty)[0]


def test_document_hashes_match_sha256sum_of_files():
    corpus_hash, docs = document_hashes(SEEDS)
    manifest = pd.read_csv(SEEDS / "manifest.csv", dtype=str, keep_default_na=False)
    for row in manifest.itertuples():
        assert docs[row.doc_id] == hashlib.sha256((SEEDS / row.path).read_bytes()).hexdigest()
    assert len(corpus_hash) == 64
    assert document_hashes(SEEDS)[0] == corpus_hash


def test_partial_dates():
    assert parse_partial_date("2023") == pd.Timestamp("2023-01-01")
    assert parse_partial_date("2023-05") == pd.Timestamp("2023-05-01")
    assert parse_partial_date("2023-07-13") == pd.Timestamp("2023-07-13")
    assert parse_partial_date("2023-02-30") is None
    assert parse_partial_date("hier") is None
    assert [date_precision(v) for v in ("", "2023", "2023-05", "2023-05-01")] == ["", "year", "month", "day"]


def test_environment_yml_lists_the_lock_pins():
    lock = sorted(line.strip() for line in (ROOT / "requirements.lock").read_text().splitlines()
                  if "==" in line and not line.startswith("#"))
    env = sorted(line.strip()[2:].strip() for line in (ROOT / "environment.yml").read_text().splitlines()
                 if line.strip().startswith("- ") and "==" in line)
    assert env == lock
    assert all("==" in pin for pin in lock)
    names = {pin.split("==")[0].lower() for pin in lock}
    assert {"jupyterlab", "pandas", "matplotlib", "nltk", "papermill", "nbconvert", "ipykernel"} <= names
