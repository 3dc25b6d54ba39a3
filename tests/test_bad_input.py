"""Hostile corpora and impossible requests, each built here in ``tmp_path``.

Every case ends in either a documented handling (legacy encodings when declared, BOM dropped, CRLF to LF,
big documents loaded) or a clear error that names the file and the line (or the parameter) — never a
traceback from deep inside a library, never a document dropped without a word.
"""
from __future__ import annotations

import csv
import io
import json
import os
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pandas as pd
import pytest

from analysis.stats import counts

from analysis.text import tokens
from analysis.pipeline import params as P
from analysis.stats.keyness import keyness
from analysis.corpus import iter_documents, load_corpus, validate_corpus
from analysis.errors import AnalysisError, ComparisonError, CorpusError, ParameterError

ROOT = Path(__file__).resolve().parents[1]
FRENCH = "Le préfet a été reçu à Orléans ; « ça coûte 5 € », dit-il. Où est l'œuvre ? Noël, garçon, maïs, hôte.\n"


# ----------------------------------------------------------------------------------------------- helpers

def write_folder(root: Path, files: dict[str, bytes], manifest: str) -> Path:
    """A corpus folder: ``manifest`` written verbatim (so its line numbers are known) and the text files."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "manifest.csv").write_text(manifest, encoding="utf-8")
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


def good_files() -> dict[str, bytes]:
    return {"a.txt": "Premier texte sur les réseaux.\n".encode(), "b.txt": "Second texte, la police.\n".encode()}


def refused(path, *, file: str, line: int | None, words: tuple[str, ...] = (), **kwargs) -> CorpusError:
    """Assert that loading ``path`` fails with a problem in ``file`` (basename) at ``line`` whose message
    holds ``words``; validate_corpus must report the same problem without raising."""
    with pytest.raises(CorpusError) as info:
        load_corpus(path, **kwargs)
    err = info.value
    hits = [p for p in err.problems if Path(p.file).name == file and p.line == line
            and all(w.lower() in p.message.lower() for w in words)]
    assert hits, f"no problem in {file} line {line} with {words}; got:\n{err}"
    text = str(err)
    assert file in text, text
    if line is not None:
        assert f"line {line}" in text, text
    assert "Traceback" not in text
    found = validate_corpus(path, **kwargs)
    assert hits[0] in found, found
    return err


def tiny_png() -> bytes:
    """A real 1x1 PNG image, built byte by byte."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    if cwd is not None:  # a report run caches its analysis in the test's folder, never in the repository
        env["NARRATIVES_CACHE_DIR"] = str(cwd / ".cache-test")
    return subprocess.run([sys.executable, "-m", "analysis", *args], cwd=cwd or ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def assert_clean_failure(proc: subprocess.CompletedProcess, *words: str) -> None:
    """Non-zero exit, each of ``words`` in the message, and no Python traceback."""
    out = proc.stderr + proc.stdout
    assert proc.returncode != 0, f"exit 0 where a failure was expected:\n{out}"
    assert "Traceback (most recent call last)" not in proc.stderr, proc.stderr
    for w in words:
        assert w.lower() in out.lower(), f"{w!r} not in the message:\n{out}"


# ----------------------------------------------------------------------------------------------- encodings

def test_cp1252_text_is_refused_by_default_naming_file_line_and_byte(tmp_path):
    body = b"Ligne une, en ASCII.\n" + FRENCH.encode("cp1252")
    root = write_folder(tmp_path / "c", {"legacy.txt": body, **good_files()},
                        "doc_id,path,group\nd1,a.txt,x\nd2,legacy.txt,x\nd3,b.txt,y\n")
    err = refused(root, file="legacy.txt", line=2, words=("0xE9", "cp1252"))
    # the good documents are not the problem
    assert all(Path(p.file).name == "legacy.txt" for p in err.problems)


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_legacy_encoding_loads_when_declared_by_argument(tmp_path, encoding):
    text = FRENCH if encoding == "cp1252" else FRENCH.replace("€", "EUR").replace("œ", "oe")
    root = write_folder(tmp_path / "c", {"legacy.txt": text.encode(encoding)},
                        "doc_id,path,group\nd1,legacy.txt,x\n")
    docs = load_corpus(root, encoding=encoding)
    assert docs.loc[0, "text"] == text
    assert "préfet" in docs.loc[0, "text"] and "Orléans" in docs.loc[0, "text"]


def test_legacy_encoding_loads_when_declared_in_manifest_column(tmp_path):
    files = {"legacy.txt": FRENCH.encode("cp1252"), "modern.txt": FRENCH.encode("utf-8"),
             "latin.txt": "Noël à Besançon.\n".encode("latin-1")}
    root = write_folder(tmp_path / "c", files,
                        "doc_id,path,group,encoding\nd1,legacy.txt,x,cp1252\nd2,modern.txt,x,\nd3,latin.txt,y,latin-1\n")
    docs = load_corpus(root).set_index("doc_id")
    assert docs.loc["d1", "text"] == FRENCH
    assert docs.loc["d2", "text"] == FRENCH
    assert docs.loc["d3", "text"] == "Noël à Besançon.\n"


def test_unknown_encoding_in_manifest_is_named(tmp_path):
    root = write_folder(tmp_path / "c", {"a.txt": b"abc\n"}, "doc_id,path,group,encoding\nd1,a.txt,x,klingon\n")
    refused(root, file="a.txt", line=None, words=("unknown encoding", "klingon"))


def test_utf8_bom_is_dropped(tmp_path):
    root = write_folder(tmp_path / "c", {"bom.txt": b"\xef\xbb\xbf" + FRENCH.encode()},
                        "doc_id,path,group\nd1,bom.txt,x\n")
    text = load_corpus(root).loc[0, "text"]
    assert text == FRENCH and not text.startswith("\ufeff")


def test_manifest_with_bom_and_crlf_still_has_doc_id_column(tmp_path):
    root = tmp_path / "c"
    root.mkdir()
    (root / "manifest.csv").write_bytes(b"\xef\xbb\xbfdoc_id,path,group\r\nd1,a.txt,x\r\n")
    (root / "a.txt").write_bytes(b"Texte.\n")
    docs = load_corpus(root)
    assert list(docs["doc_id"]) == ["d1"] and list(docs["group"]) == ["x"]


def test_crlf_and_lone_cr_become_lf_and_text_is_nfc(tmp_path):
    nfd = "Le pre\u0301fet\r\nde\u0301clare\rfin\r\n"
    root = write_folder(tmp_path / "c", {"crlf.txt": nfd.encode()}, "doc_id,path,group\nd1,crlf.txt,x\n")
    text = load_corpus(root).loc[0, "text"]
    assert text == "Le préfet\ndéclare\nfin\n"
    assert "\r" not in text


def test_metadata_is_stripped_and_nfc_so_groups_match(tmp_path):
    nfd = "fe\u0301de\u0301ral"
    root = write_folder(tmp_path / "c", good_files(), f"doc_id,path,group,title\nd1,a.txt, {nfd} ,Le pre\u0301fet\nd2,b.txt,police,x\n")
    docs = load_corpus(root, groups={"fédéral", "police"})
    assert docs.loc[0, "group"] == "fédéral" and docs.loc[0, "title"] == "Le préfet"
    params = P.validate({"corpus": str(root), "group_a": nfd + " ", "group_b": "police"})
    assert params["group_a"] == "fédéral"
    P.check_groups(params, docs)  # no error: the same group, however its accent was typed


# ----------------------------------------------------------------------------------------------- empty / binary

@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  \n", "\u00a0\u2003\n".encode()],
                         ids=["empty", "whitespace", "unicode-spaces"])
def test_empty_or_blank_document_is_refused_not_dropped(tmp_path, content):
    root = write_folder(tmp_path / "c", {"blank.txt": content, **good_files()},
                        "doc_id,path,group\nd1,a.txt,x\nd2,b.txt,y\nd_blank,blank.txt,x\n")
    err = refused(root, file="blank.txt", line=None, words=("empty text",))
    message = str(err)
    assert "d_blank" in message and "manifest line 4" in message


def test_binary_image_renamed_txt_is_refused(tmp_path):
    root = write_folder(tmp_path / "c", {"photo.txt": tiny_png(), **good_files()},
                        "doc_id,path,group\nd1,a.txt,x\nd2,photo.txt,x\nd3,b.txt,y\n")
    refused(root, file="photo.txt", line=None, words=("not a text file", "PNG"))


def test_binary_without_signature_is_refused(tmp_path):
    root = write_folder(tmp_path / "c", {"blob.txt": b"abc\x00\x01\x02def" * 10},
                        "doc_id,path,group\nd1,blob.txt,x\n")
    refused(root, file="blob.txt", line=None, words=("not a text file", "NUL"))


# ----------------------------------------------------------------------------------------------- big inputs

SENTENCE = "Les trafiquants vendent la drogue sur Snapchat et la police surveille les réseaux. "  # 13 words


@pytest.mark.slow
def test_fifty_megabyte_document_loads_and_streams_through_counting(tmp_path):
    repeats = 50 * 1024 * 1024 // len(SENTENCE.encode()) + 1
    body = (SENTENCE * repeats).encode()
    assert len(body) >= 50 * 1024 * 1024
    root = write_folder(tmp_path / "c", {"big.txt": body, "small.txt": b"Un petit texte.\n"},
                        "doc_id,path,group,language\nbig,big.txt,x,fr\nsmall,small.txt,y,fr\n")
    t0 = time.perf_counter()
    docs = load_corpus(root)
    assert len(docs) == 2
    assert len(docs.set_index("doc_id").loc["big", "text"]) == len(SENTENCE) * repeats
    del docs
    freqs = counts.count_documents(iter_documents(root), group_col="group", language="fr")
    elapsed = time.perf_counter() - t0
    big = freqs[freqs["group"] == "x"].set_index("term")
    assert int(big.loc["trafiquants", "count"]) == repeats
    assert int(big.loc["snapchat", "count"]) == repeats
    assert int(big["total"].iloc[0]) == 13 * repeats
    assert elapsed < 20, f"loading and counting 50 MB took {elapsed:.1f} s"


def test_five_megabyte_single_line_in_csv_field_and_jsonl_line(tmp_path):
    line = ("abcdéfghij " * (5 * 1024 * 1024 // 12 + 1)).strip()
    assert len(line.encode()) >= 5 * 1024 * 1024 - 16 and "\n" not in line
    csv_path = tmp_path / "big.csv"
    with open(csv_path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["doc_id", "group", "text"])
        w.writerow(["big", "x", line])
        w.writerow(["small", "y", "Un petit texte."])
    jsonl_path = tmp_path / "big.jsonl"
    jsonl_path.write_text(json.dumps({"doc_id": "big", "group": "x", "text": line}, ensure_ascii=False) + "\n"
                          + json.dumps({"doc_id": "small", "group": "y", "text": "Un petit texte."}) + "\n",
                          encoding="utf-8")
    for path in (csv_path, jsonl_path):
        docs = load_corpus(path).set_index("doc_id")
        assert docs.loc["big", "text"] == line, path
        streamed = {d["doc_id"]: d["text"] for d in iter_documents(path)}
        assert streamed["big"] == line


# ----------------------------------------------------------------------------------------------- manifests

def test_manifest_missing_required_column(tmp_path):
    root = write_folder(tmp_path / "c", good_files(), "doc_id,file,group\nd1,a.txt,x\n")
    refused(root, file="manifest.csv", line=1, words=("missing required column", "path"))
    root2 = write_folder(tmp_path / "c2", good_files(), "id,path,group\nd1,a.txt,x\n")
    refused(root2, file="manifest.csv", line=1, words=("missing required column", "doc_id"))


def test_manifest_unknown_and_empty_group(tmp_path):
    root = write_folder(tmp_path / "c", {**good_files(), "c.txt": b"Trois.\n"},
                        "doc_id,path,group\nd1,a.txt,x\nd2,b.txt,zz\nd3,c.txt,\n")
    refused(root, file="manifest.csv", line=3, words=("unknown group", "'zz'", "x, y"), groups={"x", "y"})
    refused(root, file="manifest.csv", line=4, words=("empty group",), groups={"x", "y"})
    refused(root, file="manifest.csv", line=4, words=("empty group",))  # even without a list of groups


def test_manifest_duplicate_ids_name_both_lines(tmp_path):
    root = write_folder(tmp_path / "c", {**good_files(), "c.txt": b"Trois.\n"},
                        "doc_id,path,group\nd1,a.txt,x\nd2,b.txt,y\nd1,c.txt,y\n")
    refused(root, file="manifest.csv", line=4, words=("duplicate doc_id", "'d1'", "line 2"))


def test_path_with_dotdot_leaving_the_folder(tmp_path):
    (tmp_path / "secret.txt").write_text("hors du corpus\n")
    root = write_folder(tmp_path / "c", good_files(), "doc_id,path,group\nd1,a.txt,x\nd2,../secret.txt,y\n")
    refused(root, file="manifest.csv", line=3, words=("outside the corpus folder", "../secret.txt"))
    root2 = write_folder(tmp_path / "c2", good_files(), "doc_id,path,group\nd1,a.txt,x\nd2,sub/../../secret.txt,y\n")
    refused(root2, file="manifest.csv", line=3, words=("outside the corpus folder",))


def test_absolute_path_is_refused(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("hors du corpus\n")
    root = write_folder(tmp_path / "c", good_files(), f"doc_id,path,group\nd1,a.txt,x\nd2,{outside},y\n")
    refused(root, file="manifest.csv", line=3, words=("absolute path",))


def test_symlink_pointing_outside_is_refused_but_inside_is_fine(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("hors du corpus\n")
    root = write_folder(tmp_path / "c", good_files(), "doc_id,path,group\nd1,a.txt,x\nd2,link.txt,y\n")
    (root / "link.txt").symlink_to(outside)
    refused(root, file="manifest.csv", line=3, words=("symbolic link", "outside", "link.txt"))
    # a link that stays inside the folder is an ordinary file
    (root / "link.txt").unlink()
    (root / "link.txt").symlink_to(root / "b.txt")
    assert len(load_corpus(root)) == 2


def test_symlink_loop_nul_and_overlong_paths_are_named(tmp_path):
    root = write_folder(tmp_path / "c", good_files(),
                        "doc_id,path,group\nd1,a.txt,x\nd2,loop1,y\n" + 'd3,"nul\x00.txt",y\n' + f"d4,{'n' * 300}.txt,y\n")
    (root / "loop1").symlink_to(root / "loop2")
    (root / "loop2").symlink_to(root / "loop1")
    refused(root, file="manifest.csv", line=3, words=("cannot follow the path", "loop1"))
    refused(root, file="manifest.csv", line=4, words=("NUL",))
    refused(root, file="manifest.csv", line=5, words=("nnnn",))


def test_missing_file_is_named_with_its_manifest_line(tmp_path):
    root = write_folder(tmp_path / "c", good_files(), "doc_id,path,group\nd1,a.txt,x\nd2,nope.txt,y\nd3,b.txt,y\n")
    refused(root, file="manifest.csv", line=3, words=("missing file", "nope.txt"))


@pytest.mark.parametrize("bad", ["2023-13-45", "hier", "2023-02-30", "13/05/2023", "2023-5"])
def test_date_that_is_not_a_date(tmp_path, bad):
    root = write_folder(tmp_path / "c", good_files(), f"doc_id,path,group,date\nd1,a.txt,x,2023-05\nd2,b.txt,y,{bad}\n")
    refused(root, file="manifest.csv", line=3, words=("not a date", bad, "YYYY-MM-DD"))


def test_partial_and_empty_dates_are_accepted(tmp_path):
    files = {**good_files(), "c.txt": b"Trois.\n", "d.txt": b"Quatre.\n"}
    root = write_folder(tmp_path / "c", files,
                        "doc_id,path,group,date\nd1,a.txt,x,2023\nd2,b.txt,y,2023-05\nd3,c.txt,y,2024-02-29\nd4,d.txt,x,\n")
    docs = load_corpus(root)
    assert list(docs["date"]) == ["2023", "2023-05", "2024-02-29", ""]


def test_every_fault_is_reported_at_once(tmp_path):
    root = write_folder(tmp_path / "c", {"a.txt": b"Un.\n", "e.txt": b""},
                        "doc_id,path,group,date\nd1,a.txt,x,hier\nd1,missing.txt,x,\nd3,e.txt,x,\nd4,../x.txt,x,\n")
    err = pytest.raises(CorpusError, load_corpus, root).value
    where = {(Path(p.file).name, p.line) for p in err.problems}
    assert {("manifest.csv", 2), ("manifest.csv", 3), ("manifest.csv", 5), ("e.txt", None)} <= where, err


def test_corpus_path_that_does_not_exist_or_is_not_a_corpus(tmp_path):
    with pytest.raises(CorpusError, match="no such file or folder"):
        load_corpus(tmp_path / "nowhere")
    with pytest.raises(CorpusError, match="manifest.csv"):
        load_corpus(tmp_path)
    (tmp_path / "corpus.docx").write_bytes(b"PK\x03\x04")
    with pytest.raises(CorpusError, match="unknown corpus format"):
        load_corpus(tmp_path / "corpus.docx")


# ----------------------------------------------------------------------------------------------- single files

ROWS = [
    {"doc_id": "d1", "group": "x", "date": "2023-05", "text": "Premier texte\nsur deux lignes."},
    {"doc_id": "d2", "group": "y", "date": "2023-13-45", "text": "Deuxième texte."},
    {"doc_id": "d3", "group": "zz", "date": "", "text": "Troisième texte."},
    {"doc_id": "d1", "group": "y", "date": "hier", "text": "Quatrième texte."},
    {"doc_id": "d5", "group": "x", "date": "2024", "text": "   "},
]


def write_rows(path: Path, rows: list[dict], kind: str) -> dict[str, int]:
    """Write ``rows`` as ``kind``; return each row's expected "line" (CSV: its first physical line, here after
    a first text spanning two lines; JSONL: its line, after a blank line; Parquet: row number + 1)."""
    if kind == "csv":
        buf = io.StringIO(newline="")
        w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        path.write_text(buf.getvalue(), encoding="utf-8")
        lines, n = [], 2
        for r in rows:
            lines.append(n)
            n += r.get("text", "").count("\n") + 1
    elif kind == "jsonl":
        out = [json.dumps(rows[0], ensure_ascii=False), ""] + [json.dumps(r, ensure_ascii=False) for r in rows[1:]]
        path.write_text("\n".join(out) + "\n", encoding="utf-8")
        lines = [1] + list(range(3, len(rows) + 2))
    else:
        pd.DataFrame(rows).to_parquet(path)
        lines = list(range(2, len(rows) + 2))
    return dict(zip(range(len(rows)), lines))


@pytest.mark.parametrize("kind", ["csv", "jsonl", "parquet"])
def test_single_file_faults_are_named_with_the_right_line(tmp_path, kind):
    path = tmp_path / f"corpus.{kind}"
    line = write_rows(path, ROWS, kind)
    with pytest.raises(CorpusError) as info:
        load_corpus(path, groups={"x", "y"})
    got = {(p.line, p.column) for p in info.value.problems}
    assert all(Path(p.file).name == path.name for p in info.value.problems)
    expected = {(line[1], "date"), (line[2], "group"), (line[3], "doc_id"), (line[3], "date"), (line[4], "text")}
    assert got == expected, info.value
    dup = next(p for p in info.value.problems if p.column == "doc_id")
    assert f"line {line[0]}" in dup.message  # both lines of the duplicate are named
    assert validate_corpus(path, groups={"x", "y"}) == info.value.problems


@pytest.mark.parametrize("kind", ["csv", "jsonl", "parquet"])
def test_single_file_missing_text_column(tmp_path, kind):
    path = tmp_path / f"corpus.{kind}"
    write_rows(path, [{"doc_id": "d1", "group": "x", "body": "Texte."}], kind)
    refused(path, file=path.name, line=1, words=("missing required column", "text"))
    docs = load_corpus(path, text_col="body")  # documented handling: name the text column
    assert docs.loc[0, "text"] == "Texte."


@pytest.mark.parametrize("kind", ["csv", "jsonl", "parquet"])
def test_single_file_good_rows_load_with_text_metadata(tmp_path, kind):
    path = tmp_path / f"corpus.{kind}"
    write_rows(path, [ROWS[0], {"doc_id": "d2", "group": "y", "date": "", "text": "Deux\r\nlignes."}], kind)
    docs = load_corpus(path)
    assert list(docs["doc_id"]) == ["d1", "d2"]
    assert list(docs["text"]) == ["Premier texte\nsur deux lignes.", "Deux\nlignes."]
    assert list(docs["date"]) == ["2023-05", ""]


def test_jsonl_and_parquet_non_string_cells(tmp_path):
    """Numeric ids, real dates and missing cells (None/NaN) are metadata written as text, not a crash."""
    jl = tmp_path / "c.jsonl"
    jl.write_text(json.dumps({"doc_id": 1, "group": "x", "text": "Un."}) + "\n"
                  + json.dumps({"doc_id": 2, "group": "y", "date": None, "text": "Deux."}) + "\n")
    docs = load_corpus(jl)
    assert list(docs["doc_id"]) == ["1", "2"]
    pq = tmp_path / "c.parquet"
    pd.DataFrame({"doc_id": [1, 2], "group": ["x", "y"], "source": ["AFP", None],
                  "date": pd.to_datetime(["2023-05-14", "2024-01-02"]), "text": ["Un.", "Deux."]}).to_parquet(pq)
    docs = load_corpus(pq)
    assert list(docs["doc_id"]) == ["1", "2"]
    assert list(docs["date"]) == ["2023-05-14", "2024-01-02"]
    assert list(docs["source"]) == ["AFP", ""]
    assert [d["doc_id"] for d in iter_documents(pq)] == ["1", "2"]
    pd.DataFrame({"doc_id": ["a", "b"], "group": ["x", None], "text": ["Un.", "Deux."]}).to_parquet(pq)
    refused(pq, file="c.parquet", line=3, words=("empty group",))


def test_jsonl_broken_line_and_non_object(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text('{"doc_id": "a", "group": "x", "text": "Un."}\n{"doc_id": "b", "text": \n[1, 2]\n')
    refused(path, file="c.jsonl", line=2, words=("not valid JSON",))
    refused(path, file="c.jsonl", line=3, words=("JSON object",))


def test_csv_in_cp1252_refused_then_loaded_when_declared(tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes(('doc_id,group,text\nd1,x,Sans accent\nd2,y,"' + FRENCH.strip() + '"\n').encode("cp1252"))
    refused(path, file="c.csv", line=3, words=("0xE9",))
    docs = load_corpus(path, encoding="cp1252")
    assert docs.loc[1, "text"] == FRENCH.strip()
    assert [d["text"] for d in iter_documents(path, encoding="cp1252")][1] == FRENCH.strip()


def test_csv_row_with_too_many_fields(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("doc_id,group,text\nd1,x,Un\nd2,y,Deux,en trop\n")
    refused(path, file="c.csv", line=3, words=("more fields",))


# ----------------------------------------------------------------------------------------------- validate CLI

def test_cli_validate_good_and_broken_corpus(tmp_path):
    good = write_folder(tmp_path / "good", good_files(), "doc_id,path,group\nd1,a.txt,x\nd2,b.txt,y\n")
    proc = run_cli("validate", str(good))
    assert proc.returncode == 0, proc.stderr + proc.stdout
    bad = write_folder(tmp_path / "bad", {**good_files(), "legacy.txt": FRENCH.encode("cp1252")},
                       "doc_id,path,group,date\nd1,a.txt,x,hier\nd2,b.txt,y,\nd2,legacy.txt,y,\nd4,../x.txt,y,\n")
    proc = run_cli("validate", str(bad))
    assert_clean_failure(proc, "manifest.csv", "line 2", "not a date", "line 4", "duplicate doc_id",
                         "legacy.txt", "0xE9", "line 5", "outside")
    proc = run_cli("validate", str(tmp_path / "nowhere"))
    assert_clean_failure(proc, "nowhere")
    legacy = write_folder(tmp_path / "legacy", {"legacy.txt": FRENCH.encode("cp1252")}, "doc_id,path,group\nd1,legacy.txt,x\n")
    assert_clean_failure(run_cli("validate", str(legacy)), "legacy.txt", "line 1", "0xE9")
    proc = run_cli("validate", str(legacy), "--encoding", "cp1252")
    assert proc.returncode == 0, proc.stderr + proc.stdout


# ----------------------------------------------------------------------------------------------- parameters

@pytest.mark.parametrize("raw, name, words", [
    ({"top_n": "ten"}, "top_n", ("integer", "'ten'")),
    ({"top_n": 2.5}, "top_n", ("integer",)),
    ({"top_n": True}, "top_n", ("integer",)),
    ({"top_n": 0}, "top_n", ("between 1 and 1000",)),
    ({"top_n": "1001"}, "top_n", ("between 1 and 1000",)),
    ({"min_count": -1}, "min_count", ("at least 1",)),
    ({"min_count": "0"}, "min_count", ("at least 1",)),
    ({"language": "xx"}, "language", ("auto, fr, en",)),
    ({"include_code": "maybe"}, "include_code", ("true or false",)),
    ({"seed": -3}, "seed", (">= 0",)),
    ({"backend": "gpu"}, "backend", ("local, processes, dask",)),
    ({"topn": 5}, "topn", ("unknown parameter", "top_n")),
    ({"group_a": "fr_policing", "group_b": "fr_policing"}, "group_b", ("itself",)),
    ({"group_a": "rest"}, "group_a", ("'rest' may only be used as group_b",)),
    ({"group_col": " "}, "group_col", ("must not be empty",)),
    ({"corpus": "/nonexistent/corpus"}, "corpus", ("no such file",)),
    ({"lexicon": "/nonexistent/frames.yaml"}, "lexicon", ("no such file",)),
])
def test_bad_report_parameters_name_the_parameter(raw, name, words):
    with pytest.raises(ParameterError) as info:
        P.validate({"corpus": str(ROOT / "seeds"), **raw})
    err = info.value
    assert err.name == name
    message = str(err)
    assert repr(name) in message
    for w in words:
        assert w in message, message


def test_good_parameters_from_strings_are_converted():
    params = P.validate({"corpus": str(ROOT / "seeds"), "top_n": " 7 ", "min_count": "2", "include_code": "yes",
                         "group_b": "rest"})
    assert params["top_n"] == 7 and params["min_count"] == 2 and params["include_code"] is True


def two_groups_docs() -> pd.DataFrame:
    return pd.DataFrame({"doc_id": ["a1", "b1"], "group": ["x", "y"], "text": ["Un texte.", "Un autre."]})


def test_check_groups_absent_group_lists_the_values():
    docs = two_groups_docs()
    with pytest.raises(ParameterError) as info:
        P.check_groups(P.validate({"corpus": str(ROOT / "seeds"), "group_a": "zz", "group_b": "y"}), docs)
    assert info.value.name == "group_a" and "'zz'" in str(info.value) and "x, y" in str(info.value)
    with pytest.raises(ParameterError) as info:
        P.check_groups(P.validate({"corpus": str(ROOT / "seeds"), "group_a": "x", "group_b": "zz"}), docs)
    assert info.value.name == "group_b"
    with pytest.raises(ParameterError) as info:
        P.check_groups(P.validate({"corpus": str(ROOT / "seeds"), "group_col": "outlet", "group_a": "x",
                                   "group_b": "y"}), docs)
    assert info.value.name == "group_col" and "'outlet'" in str(info.value)


def test_check_groups_one_document_corpus_has_no_rest():
    docs = two_groups_docs().iloc[:1]
    with pytest.raises(ParameterError) as info:
        P.check_groups(P.validate({"corpus": str(ROOT / "seeds"), "group_a": "x", "group_b": "rest"}), docs)
    assert info.value.name == "group_b" and "'rest' is empty" in str(info.value)


# ----------------------------------------------------------------------------------------------- comparisons

STOPWORDS_ONLY = "Le la les de des du et un une. Il elle nous vous ils. Mais ou ce cette se sa son ses est sont à au aux en dans par pour sur avec qui que."
CONTENT_A = "Les trafiquants vendent la drogue sur Snapchat. Les trafiquants livrent la cocaïne à domicile."
CONTENT_B = "La police surveille les réseaux sociaux. La police arrête les trafiquants et saisit la drogue."


def freqs_of(docs: pd.DataFrame) -> pd.DataFrame:
    return counts.term_frequencies(tokens.tokenize(docs, language="fr"), group_col="group")


def docs_of(*rows) -> pd.DataFrame:
    return pd.DataFrame([{"doc_id": f"d{i}", "group": g, "language": "fr", "text": t} for i, (g, t) in enumerate(rows)])


def test_keyness_group_with_no_documents():
    freqs = freqs_of(docs_of(("x", CONTENT_A), ("y", CONTENT_B)))
    with pytest.raises(ComparisonError, match="'zz'"):
        keyness(freqs, "zz", "y", min_count=1)
    with pytest.raises(ComparisonError, match="'zz'"):
        keyness(freqs, "x", "zz", min_count=1)


def test_keyness_group_compared_with_itself():
    freqs = freqs_of(docs_of(("x", CONTENT_A), ("y", CONTENT_B)))
    with pytest.raises(ComparisonError, match="itself"):
        keyness(freqs, "x", "x", min_count=1)


def test_keyness_group_whose_texts_are_all_stopwords():
    """Group x says nothing but stop words: no term can be key for it, so the comparison is refused, naming
    the group (as the pipeline calls keyness: with the stop words of the token table)."""
    toks = tokens.tokenize(docs_of(("x", STOPWORDS_ONLY), ("x", STOPWORDS_ONLY.lower()), ("y", CONTENT_B),
                                   ("y", CONTENT_A)), language="fr")
    x_words = toks[(toks["group"] == "x") & ~toks["is_punct"]]
    assert len(x_words) and x_words["is_stopword"].all(), "the test text must be stop words only"
    stop = set(toks.loc[toks["is_stopword"], "token"])
    freqs = counts.term_frequencies(toks, group_col="group")
    with pytest.raises(ComparisonError) as info:
        keyness(freqs, "x", "y", min_count=1, stopwords=stop)
    message = str(info.value).lower()
    assert "'x'" in message and "stop word" in message.replace("stopword", "stop word"), message


def test_keyness_corpus_of_one_document():
    freqs = freqs_of(docs_of(("x", CONTENT_A)))
    with pytest.raises(ComparisonError):
        keyness(freqs, "x", "rest", min_count=1)


def test_comparison_errors_are_analysis_errors():
    assert issubclass(ComparisonError, AnalysisError) and issubclass(ParameterError, AnalysisError)


# ----------------------------------------------------------------------------------------------- report CLI

@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("cli") / "corpus"
    return write_folder(root, {"a.txt": (CONTENT_A + "\n").encode(), "b.txt": (CONTENT_B + "\n").encode(),
                               "c.txt": (CONTENT_A + " " + CONTENT_B + "\n").encode()},
                        "doc_id,path,group,language\nd1,a.txt,x,fr\nd2,b.txt,y,fr\nd3,c.txt,y,fr\n")


@pytest.mark.parametrize("extra, words", [
    ({"top_n": "ten"}, ("top_n", "integer", "'ten'")),
    ({"nosuch": "1"}, ("nosuch", "unknown parameter")),
    ({"top_n": "0"}, ("top_n", "between 1 and 1000")),
    ({"min_count": "-1"}, ("min_count", "at least 1")),
    ({"language": "xx"}, ("language", "auto, fr, en")),
    ({"include_code": "peut-être"}, ("include_code", "true or false")),
    ({"group_a": "zz"}, ("group_a", "'zz'", "x, y")),
    ({"group_b": "x"}, ("group_b", "itself")),
    ({"group_col": "outlet"}, ("group_col", "'outlet'")),
    ({"subgroup_col": "outlet"}, ("subgroup_col", "'outlet'")),
    ({"subgroup_col": "group"}, ("subgroup_col", "group_col")),
])
def test_report_cli_refuses_bad_parameters_before_running(tmp_path, small_corpus, extra, words):
    out = tmp_path / "out"
    given = {"group_a": "x", "group_b": "y", **extra}
    t0 = time.perf_counter()
    proc = run_cli("report", "--corpus", str(small_corpus), "--out", str(out),
                   *[a for name, value in given.items() for a in ("-p", name, value)], cwd=tmp_path)
    assert_clean_failure(proc, *words)
    assert not (out / "index.html").exists()
    assert time.perf_counter() - t0 < 30, "parameters must be refused before any notebook runs"


def test_report_cli_refuses_broken_corpus_naming_file_and_line(tmp_path):
    bad = write_folder(tmp_path / "bad", good_files(), "doc_id,path,group\nd1,a.txt,x\nd2,missing.txt,y\n")
    proc = run_cli("report", "--corpus", str(bad), "--out", str(tmp_path / "out"), "-p", "group_a", "x",
                   "-p", "group_b", "y", cwd=tmp_path)
    assert_clean_failure(proc, "manifest.csv", "line 3", "missing.txt")


def test_report_cli_refuses_stopword_only_group(tmp_path):
    root = write_folder(tmp_path / "c", {"a.txt": STOPWORDS_ONLY.encode(), "a2.txt": STOPWORDS_ONLY.lower().encode(),
                                         "b.txt": CONTENT_B.encode(), "b2.txt": CONTENT_A.encode()},
                        "doc_id,path,group,language\nd1,a.txt,x,fr\nd2,a2.txt,x,fr\nd3,b.txt,y,fr\nd4,b2.txt,y,fr\n")
    proc = run_cli("report", "--corpus", str(root), "--out", str(tmp_path / "out"), "-p", "group_a", "x",
                   "-p", "group_b", "y", "-p", "min_count", "1", cwd=tmp_path, timeout=300)
    assert_clean_failure(proc, "'x'", "stop word")
    assert not (tmp_path / "out" / "index.html").exists()


def test_report_cli_refuses_one_document_corpus(tmp_path):
    root = write_folder(tmp_path / "c", {"a.txt": CONTENT_A.encode()}, "doc_id,path,group,language\nd1,a.txt,x,fr\n")
    proc = run_cli("report", "--corpus", str(root), "--out", str(tmp_path / "out"), "-p", "group_a", "x",
                   "-p", "group_b", "rest", cwd=tmp_path)
    assert_clean_failure(proc, "group_b", "'rest' is empty")
