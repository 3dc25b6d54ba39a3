"""SHA-256 of files, documents and corpora: the provenance in ``run.json`` and the key of the analysis cache."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from analysis.errors import CorpusError, Problem
from analysis.corpus.read import MANIFEST, CorpusFormat, _check_inside, _meta, _read_csv_rows, detect_format, iter_documents, \
    validate_corpus


def document_hashes(path: str | os.PathLike) -> tuple[str, dict[str, str]]:
    """SHA-256 of the corpus and of each document, for provenance (``run.json``).

    For a folder, a document's hash is that of its file's bytes (``sha256sum`` gives the same) and the corpus
    hash covers the manifest's bytes then each document hash in manifest order. For a single file, the corpus
    hash is the file's and a document's hash is that of its text encoded as UTF-8. For a corpus spec (YAML), the
    corpus hash covers the spec's bytes then each source's corpus hash, and a document's hash is that of its
    text. A corpus that does not load raises CorpusError listing every problem (as :func:`validate_corpus`), never a bare OSError.
    """
    fmt = detect_format(path)
    try:
        return _document_hashes(fmt)
    except (CorpusError, OSError) as err:
        problems = validate_corpus(path)
        if problems:
            raise CorpusError(problems) from None
        if isinstance(err, CorpusError):
            raise
        raise CorpusError(Problem(err.filename or str(fmt.path), None, f"cannot read: {err.strerror or err}")) from None


def _document_hashes(fmt: CorpusFormat) -> tuple[str, dict[str, str]]:
    docs: dict[str, str] = {}
    if fmt.kind == "folder":
        corpus = hashlib.sha256((fmt.path / MANIFEST).read_bytes())
        problems: list[Problem] = []
        _, rows, lines = _read_csv_rows(fmt.path / MANIFEST, problems)
        if problems:
            raise CorpusError(problems)
        for row, line in zip(rows, lines):
            target = _check_inside(fmt.path, (row.get("path") or "").strip(), str(fmt.path / MANIFEST), line)
            digest = file_sha256(target)
            docs[_meta(str(row.get("doc_id", "")))] = digest
            corpus.update(digest.encode())
        return corpus.hexdigest(), docs
    if fmt.kind == "spec":
        from analysis.corpus.spec import read_spec

        corpus = hashlib.sha256(fmt.path.read_bytes())
        for src in read_spec(fmt.path):
            corpus.update(document_hashes(src.path)[0].encode())
        for rec in iter_documents(fmt.path):
            docs[rec["doc_id"]] = hashlib.sha256(rec["text"].encode("utf-8")).hexdigest()
        return corpus.hexdigest(), docs
    for rec in iter_documents(fmt.path):
        docs[rec["doc_id"]] = hashlib.sha256(rec["text"].encode("utf-8")).hexdigest()
    return file_sha256(fmt.path), docs


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, read in 1 MiB chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
