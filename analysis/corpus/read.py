"""Load and validate corpora: a folder with ``manifest.csv`` and text files, or one CSV, JSONL or Parquet file.

Whatever the input, the result is one tidy DataFrame with one row per document: ``doc_id``, ``text`` and
every metadata column of the source (``group``, ``date``, ``language``, ``title``...). Loading is strict on
purpose: a corpus with a fault is refused with the file and line of every fault, never silently trimmed.

What the loader does to texts, always and on purpose (documented in the README):
- decodes UTF-8 (a leading byte-order mark is dropped); other encodings only where declared, through the
  ``encoding`` argument or an ``encoding`` column of the manifest (e.g. ``cp1252``, ``latin-1``);
- turns CRLF and lone CR line ends into LF;
- normalizes Unicode to NFC, so that "é" typed as one or two code points is the same letter.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.errors import CorpusError, Problem
from analysis.corpus.dates import parse_partial_date

MANIFEST = "manifest.csv"
FOLDER_REQUIRED = ("doc_id", "path")
FILE_REQUIRED = ("doc_id", "text")
BINARY_SIGNATURES = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF file",
    b"PK\x03\x04": "a ZIP archive (or DOCX/XLSX)",
    b"\x1f\x8b": "a gzip archive",
}

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


@dataclass(frozen=True)
class CorpusFormat:
    kind: str  # "folder", "csv", "jsonl", "parquet", "spec" (a YAML corpus spec, analysis.corpus.spec)
    path: Path


def detect_format(path: str | os.PathLike) -> CorpusFormat:
    """Tell which kind of corpus ``path`` is, or raise a CorpusError that says why it is none."""
    p = Path(path)
    if not p.exists():
        raise CorpusError(Problem(str(p), None, "no such file or folder"))
    if p.is_dir():
        if not (p / MANIFEST).is_file():
            raise CorpusError(Problem(str(p), None, f"a corpus folder needs a {MANIFEST} (columns: "
                                      f"{', '.join(FOLDER_REQUIRED)}, then any metadata)"))
        return CorpusFormat("folder", p)
    suffix = "".join(s.lower() for s in p.suffixes[-1:])
    kinds = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".parquet": "parquet",
             ".pq": "parquet", ".yaml": "spec", ".yml": "spec"}
    if suffix not in kinds:
        raise CorpusError(Problem(str(p), None, "unknown corpus format: give a folder with a manifest.csv, "
                                  "or a .csv, .jsonl or .parquet file, or a .yaml corpus spec"))
    return CorpusFormat(kinds[suffix], p)


def decode_text(data: bytes, file: str, encoding: str | None = None, line: int | None = None) -> str:
    """Decode ``data`` as documented above; raise CorpusError naming ``file`` (and ``line``) on failure."""
    for magic, what in BINARY_SIGNATURES.items():
        if data.startswith(magic):
            raise CorpusError(Problem(file, line, f"this is not a text file: it starts like {what}"))
    if b"\x00" in data[:65536] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CorpusError(Problem(file, line, "this is not a text file: it holds NUL bytes (binary data)"))
    enc = (encoding or "utf-8").strip().lower()
    try:
        if enc in ("utf-8", "utf8", "utf-8-sig"):
            text = data.decode("utf-8-sig")
        else:
            text = data.decode(enc)
    except LookupError:
        raise CorpusError(Problem(file, line, f"unknown encoding {encoding!r}")) from None
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        at_line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        where_line = at_line if line is None else line
        hint = ("; if the file is in a legacy encoding, declare it (manifest column 'encoding' or "
                "--encoding, e.g. cp1252 or latin-1)") if enc.startswith("utf") else ""
        raise CorpusError(Problem(file, where_line, f"bytes that are not valid {enc.upper()} "
                                  f"(byte 0x{data[exc.start]:02X} at line {at_line}, column {col}){hint}")) from None
    return normalize_text(text)


def normalize_text(text: str) -> str:
    """Line ends to LF, Unicode to NFC."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def _meta(value):
    """A metadata cell as loaded: surrounding spaces dropped and NFC, so that a group typed with a combining
    accent matches the same group typed with a precomposed one."""
    return unicodedata.normalize("NFC", value.strip()) if isinstance(value, str) else value


def _check_inside(root: Path, rel: str, file: str, line: int) -> Path:
    """Resolve a manifest ``path`` and refuse anything that leaves the corpus folder."""
    if not rel or not rel.strip():
        raise CorpusError(Problem(file, line, "empty path", "path"))
    if os.path.isabs(rel) or re.match(r"^[A-Za-z]:[\\/]", rel):
        raise CorpusError(Problem(file, line, f"absolute path {rel!r}: paths must be relative to the corpus folder",
                                  "path"))
    if "\x00" in rel:
        raise CorpusError(Problem(file, line, f"the path {rel!r} holds a NUL character", "path"))
    target = root / rel
    real_root = root.resolve()
    try:
        real = target.resolve()
    except (OSError, RuntimeError) as exc:  # a loop of symbolic links, a path too long...
        raise CorpusError(Problem(file, line, f"cannot follow the path {rel!r}: {exc}", "path")) from None
    if real != real_root and real_root not in real.parents:
        lexical = Path(os.path.normpath(os.path.abspath(target)))
        inside = lexical == Path(os.path.abspath(root)) or Path(os.path.abspath(root)) in lexical.parents
        how = "a symbolic link that points" if inside else "a path that goes"
        raise CorpusError(Problem(file, line, f"{how} outside the corpus folder: {rel!r}", "path"))
    return target


def _validate_rows(rows: list[dict], file: str, lines: list[int], required: tuple[str, ...],
                   columns: list[str], problems: list[Problem], group_col: str | None,
                   groups: set[str] | None) -> None:
    missing = [c for c in required if c not in columns]
    if missing:
        problems.append(Problem(file, 1, f"missing required column(s) {', '.join(missing)}; found: "
                                f"{', '.join(columns) or 'none'}"))
        return
    seen: dict[str, int] = {}
    for row, line in zip(rows, lines):
        doc_id = (row.get("doc_id") or "").strip()
        if not doc_id:
            problems.append(Problem(file, line, "empty doc_id", "doc_id"))
        elif doc_id in seen:
            problems.append(Problem(file, line, f"duplicate doc_id {doc_id!r} (first at line {seen[doc_id]})",
                                    "doc_id"))
        else:
            seen[doc_id] = line
        date = row.get("date")
        if date is not None and str(date).strip() and parse_partial_date(str(date)) is None:
            problems.append(Problem(file, line, f"{date!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)",
                                    "date"))
        if group_col and group_col in columns:
            g = row.get(group_col)
            if g is None or not str(g).strip():
                problems.append(Problem(file, line, f"empty {group_col}: every document needs a group", group_col))
            elif groups is not None and _meta(str(g)) not in {_meta(x) for x in groups}:
                problems.append(Problem(file, line, f"unknown {group_col} {g!r} (expected one of "
                                        f"{', '.join(sorted(groups))})", group_col))


def _read_csv_rows(path: Path, problems: list[Problem],
                   encoding: str | None = None) -> tuple[list[str], list[dict], list[int]]:
    """Read a CSV with line numbers; a file that is not UTF-8 (or not in the declared ``encoding``) is one
    problem naming its line."""
    data = path.read_bytes()
    enc = (encoding or "utf-8").strip().lower()
    try:
        text = data.decode("utf-8-sig" if enc in ("utf-8", "utf8", "utf-8-sig") else enc)
    except LookupError:
        problems.append(Problem(str(path), None, f"unknown encoding {encoding!r}"))
        return [], [], []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.append(Problem(str(path), line, f"bytes that are not valid {enc.upper()} (byte "
                                f"0x{data[exc.start]:02X}); save the file as UTF-8, or declare its encoding "
                                "(e.g. encoding cp1252 or latin-1)"))
        return [], [], []
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = [c.strip() for c in (reader.fieldnames or [])]
    reader.fieldnames = columns
    rows, lines = [], []
    start = 2
    try:
        for row in reader:
            if None in row:
                problems.append(Problem(str(path), start, f"more fields than the {len(columns)} columns of the header"))
                row.pop(None)
            rows.append(row)
            lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.append(Problem(str(path), reader.line_num, f"malformed CSV: {exc}"))
    return columns, rows, lines


def _collect(path: str | os.PathLike, *, encoding: str | None, group_col: str | None,
             groups: set[str] | None, text_col: str, id_col: str) -> tuple[list[dict], list[Problem]]:
    fmt = detect_format(path)
    problems: list[Problem] = []
    records: list[dict] = []
    if fmt.kind == "folder":
        manifest = fmt.path / MANIFEST
        mfile = str(manifest)
        columns, rows, lines = _read_csv_rows(manifest, problems)
        if columns:
            _validate_rows(rows, mfile, lines, FOLDER_REQUIRED, columns, problems, group_col, groups)
        if problems and any(p.line == 1 for p in problems):
            return [], problems
        if not rows and not problems:
            problems.append(Problem(mfile, None, "the manifest lists no documents"))
        for row, line in zip(rows, lines):
            rel = (row.get("path") or "").strip()
            try:
                target = _check_inside(fmt.path, rel, mfile, line)
                if not target.is_file():
                    raise CorpusError(Problem(mfile, line, f"missing file {rel!r}", "path"))
                enc = (row.get("encoding") or "").strip() or encoding
                text = decode_text(target.read_bytes(), str(target), enc)
            except CorpusError as err:
                problems.extend(err.problems)
                continue
            except OSError as err:
                problems.append(Problem(mfile, line, f"cannot read {rel!r}: {err.strerror}", "path"))
                continue
            if not text.strip():
                problems.append(Problem(str(target), None, f"empty text (document {row.get('doc_id')!r}, manifest "
                                        f"line {line}): remove it from the manifest or give it text"))
                continue
            rec = {k: _meta(v) for k, v in row.items()}
            rec["text"] = text
            records.append(rec)
        return records, problems

    file = str(fmt.path)
    if fmt.kind == "csv":
        columns, rows, lines = _read_csv_rows(fmt.path, problems, encoding)
    elif fmt.kind == "jsonl":
        columns, rows, lines = _read_jsonl_rows(fmt.path, problems)
    else:
        columns, rows, lines = _read_parquet_rows(fmt.path, problems)
    if id_col != "doc_id" or text_col != "text":
        for row in rows:
            if id_col in row:
                row["doc_id"] = row.pop(id_col)
            if text_col in row:
                row["text"] = row.pop(text_col)
        columns = ["doc_id" if c == id_col else "text" if c == text_col else c for c in columns]
    # JSONL and Parquet cells may be numbers, dates or missing (None/NaN): metadata becomes text first
    rows = [{k: (v if k == "text" else _cell_text(v)) for k, v in row.items()} for row in rows]
    if columns:
        _validate_rows(rows, file, lines, FILE_REQUIRED, columns, problems, group_col, groups)
    if any(p.line == 1 and "required column" in p.message for p in problems):
        return [], problems
    if not rows and not problems:
        problems.append(Problem(file, None, "the file holds no documents"))
    for row, line in zip(rows, lines):
        text = row.get("text")
        if text is None or (isinstance(text, float) and text != text):
            problems.append(Problem(file, line, "missing text", "text"))
            continue
        if not isinstance(text, str):
            problems.append(Problem(file, line, f"text is a {type(text).__name__}, not a string", "text"))
            continue
        text = normalize_text(text)
        if not text.strip():
            problems.append(Problem(file, line, "empty text", "text"))
            continue
        rec = {k: (v if k == "text" else _meta(v)) for k, v in row.items()}
        rec["doc_id"] = str(rec.get("doc_id", "")).strip()
        rec["text"] = text
        records.append(rec)
    return records, problems


def _cell_text(value) -> str:
    """A metadata cell as text: missing (None, NaN, NA, NaT) -> '', 12.0 -> '12', a midnight timestamp -> its
    ISO date, any other value as ``str`` gives it (JSON lists and objects as JSON)."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if pd.api.types.is_scalar(value) and pd.isna(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, pd.Timestamp) or hasattr(value, "isoformat"):
        ts = pd.Timestamp(value)
        if ts.tzinfo is None and ts == ts.normalize():
            return ts.date().isoformat()
        return ts.isoformat()
    return str(value)


def _read_jsonl_rows(path: Path, problems: list[Problem]) -> tuple[list[str], list[dict], list[int]]:
    rows, lines, columns = [], [], {}
    with open(path, "rb") as fh:
        for n, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw.decode("utf-8-sig" if n == 1 else "utf-8"))
            except UnicodeDecodeError as exc:
                problems.append(Problem(str(path), n, f"bytes that are not valid UTF-8 (byte 0x{raw[exc.start]:02X})"))
                continue
            except json.JSONDecodeError as exc:
                problems.append(Problem(str(path), n, f"not valid JSON: {exc.msg} (column {exc.colno})"))
                continue
            if not isinstance(obj, dict):
                problems.append(Problem(str(path), n, "each line must be a JSON object"))
                continue
            for k in obj:
                columns.setdefault(k, None)
            rows.append(obj)
            lines.append(n)
    # Every row must carry every required column; report the column missing from the first rows as a
    # header problem only when no row has it.
    return list(columns), rows, lines


def _read_parquet_rows(path: Path, problems: list[Problem]) -> tuple[list[str], list[dict], list[int]]:
    try:
        frame = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises many kinds; the user needs the file and the reason
        problems.append(Problem(str(path), None, f"cannot read Parquet: {exc}"))
        return [], [], []
    columns = [str(c) for c in frame.columns]
    rows = frame.to_dict("records")
    # "line" of a Parquet file is its 1-based row number (plus one, as if line 1 were a header)
    return columns, rows, list(range(2, len(rows) + 2))


def load_corpus(path: str | os.PathLike, *, encoding: str | None = None, group_col: str | None = "group",
                groups: set[str] | None = None, text_col: str = "text", id_col: str = "doc_id") -> pd.DataFrame:
    """Load a corpus into a DataFrame with one row per document (``doc_id``, ``text``, metadata...).

    Raises CorpusError listing every problem found (file, line, what is wrong). ``groups`` restricts the
    values allowed in ``group_col``. Columns are kept as strings; ``date`` stays as written (ISO, possibly
    partial: 2023, 2023-05, 2023-05-14).
    """
    if detect_format(path).kind == "spec":
        from analysis.corpus.spec import load_spec_corpus

        return load_spec_corpus(path, encoding=encoding, group_col=group_col, groups=groups)
    records, problems = _collect(path, encoding=encoding, group_col=group_col, groups=groups,
                                 text_col=text_col, id_col=id_col)
    if problems:
        raise CorpusError(problems)
    frame = pd.DataFrame.from_records(records)
    front = [c for c in ("doc_id", "group") if c in frame.columns]
    frame = frame[front + [c for c in frame.columns if c not in front and c != "text"] + ["text"]]
    for col in frame.columns:
        if col != "text" and frame[col].dtype == object:
            frame[col] = frame[col].map(lambda v: "" if v is None or (isinstance(v, float) and v != v) else str(v))
    return frame.reset_index(drop=True)


def load_metadata(path: str | os.PathLike, *, encoding: str | None = None, group_col: str | None = "group"
                  ) -> pd.DataFrame:
    """The metadata of every document (``doc_id`` and the metadata columns, no text), checked as strictly as
    :func:`load_corpus` checks a corpus (every problem listed with its file and line), with the texts streamed:
    memory holds the metadata, never the texts of the whole corpus."""
    if detect_format(path).kind == "folder":  # a folder's texts are separate files: load_corpus checks them
        return load_corpus(path, encoding=encoding, group_col=group_col).drop(columns="text")
    rows, bad = [], False
    try:
        for rec in iter_documents(path, encoding=encoding):
            rec.pop("text", None)
            rows.append(rec)
    except CorpusError:
        bad = True
    if not bad:
        ids = [r.get("doc_id", "") for r in rows]
        bad = (not rows or len(set(ids)) < len(ids) or "" in ids
               or any(str(r.get("date") or "").strip() and parse_partial_date(str(r["date"])) is None for r in rows)
               or bool(group_col) and any(group_col in r and not str(r[group_col]).strip() for r in rows))
    if bad:  # the full list of problems, with lines, from the strict loader's checks
        problems = validate_corpus(path, encoding=encoding, group_col=group_col)
        if problems:
            raise CorpusError(problems)
    frame = pd.DataFrame.from_records(rows)
    front = [c for c in ("doc_id", "group") if c in frame.columns]
    return frame[front + [c for c in frame.columns if c not in front]].reset_index(drop=True)


def validate_corpus(path: str | os.PathLike, *, encoding: str | None = None, group_col: str | None = "group",
                    groups: set[str] | None = None, text_col: str = "text", id_col: str = "doc_id") -> list[Problem]:
    """Every problem of a corpus, without raising: an empty list means the corpus loads."""
    try:
        if detect_format(path).kind == "spec":
            load_corpus(path, encoding=encoding, group_col=group_col, groups=groups)
            return []
        _, problems = _collect(path, encoding=encoding, group_col=group_col, groups=groups,
                               text_col=text_col, id_col=id_col)
    except CorpusError as err:
        return err.problems
    return problems


def iter_documents(path: str | os.PathLike, *, text_col: str = "text", id_col: str = "doc_id",
                   columns: tuple[str, ...] | None = None, encoding: str | None = None) -> Iterator[dict]:
    """Stream the documents of a corpus one at a time, without holding the corpus in memory.

    Used where only counts are needed (large corpora, benchmarks, Dask). Each item is a dict with
    ``doc_id``, ``text`` and the metadata columns (or only ``columns`` if given). Texts are normalized as
    by :func:`load_corpus`; a fault raises CorpusError naming the file and line.
    """
    fmt = detect_format(path)

    def keep(rec: dict) -> dict:
        if columns is None:
            return rec
        return {k: rec.get(k, "") for k in ("doc_id", *columns, "text")}

    file = str(fmt.path)
    if fmt.kind == "spec":
        from analysis.corpus.spec import iter_spec_documents

        yield from (keep(rec) for rec in iter_spec_documents(fmt.path, encoding=encoding))
        return

    def finish(obj: dict, line: int) -> dict:
        # same checks and cell conversion as load_corpus, one document at a time
        text = obj.pop(text_col, None)
        if not isinstance(text, str) or not text.strip():
            raise CorpusError(Problem(file, line, "missing or empty text", text_col))
        rec = {k: _meta(_cell_text(v)) for k, v in obj.items()}
        rec["doc_id"] = _cell_text(obj.get(id_col)).strip()
        if id_col != "doc_id":
            rec.pop(id_col, None)
        rec["text"] = normalize_text(text)
        return keep(rec)

    if fmt.kind == "jsonl":
        with open(fmt.path, "rb") as fh:
            for n, raw in enumerate(fh, start=1):
                if not raw.strip():
                    continue
                try:
                    obj = json.loads(raw.decode("utf-8-sig" if n == 1 else "utf-8"))
                except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                    raise CorpusError(Problem(file, n, f"not valid JSON/UTF-8: {exc}")) from None
                if not isinstance(obj, dict):
                    raise CorpusError(Problem(file, n, "each line must be a JSON object"))
                yield finish(obj, n)
    elif fmt.kind == "parquet":
        import pyarrow.parquet as pq

        try:
            pf = pq.ParquetFile(fmt.path)
        except Exception as exc:  # pyarrow raises many kinds; the user needs the file and the reason
            raise CorpusError(Problem(file, None, f"cannot read Parquet: {exc}")) from None
        n = 1
        for batch in pf.iter_batches(batch_size=2048):
            for obj in batch.to_pylist():
                n += 1
                yield finish(obj, n)
    elif fmt.kind == "csv":
        enc = (encoding or "utf-8").strip().lower()
        enc = "utf-8-sig" if enc in ("utf-8", "utf8", "utf-8-sig") else enc
        with open(fmt.path, encoding=enc, newline="") as fh:
            reader = csv.DictReader(fh)
            start = 2
            try:
                for obj in reader:
                    obj.pop(None, None)
                    yield finish(obj, start)
                    start = reader.line_num + 1
            except UnicodeDecodeError as exc:
                raise CorpusError(Problem(file, reader.line_num + 1, f"bytes that are not valid UTF-8 "
                                          f"(byte 0x{exc.object[exc.start]:02X}); save the file as UTF-8")) from None
            except csv.Error as exc:
                raise CorpusError(Problem(file, reader.line_num, f"malformed CSV: {exc}")) from None
    else:
        problems: list[Problem] = []
        mfile = str(fmt.path / MANIFEST)
        cols, rows, lines = _read_csv_rows(fmt.path / MANIFEST, problems)
        if problems:
            raise CorpusError(problems)
        for row, line in zip(rows, lines):
            target = _check_inside(fmt.path, (row.get("path") or "").strip(), mfile, line)
            if not target.is_file():
                raise CorpusError(Problem(mfile, line, f"missing file {row.get('path')!r}", "path"))
            enc = (row.get("encoding") or "").strip() or encoding
            row = {k: _meta(v) for k, v in row.items()}
            row["text"] = decode_text(target.read_bytes(), str(target), enc)
            yield keep(row)

