"""Corpus specs: one YAML file that combines several corpora, gives each source a group and a filter.

A spec is loaded wherever a corpus is (``load_corpus``, ``iter_documents``, ``python -m analysis report
--corpus spec.yaml``) so that "DOJ drug releases against French drug articles" needs no code::

    sources:
      - path: ../shared/corpora/us-doj-press-releases-2009-2018/documents.jsonl
        group: us_doj
        where: {mentions_drugs: true}
      - path: ../shared/corpora/fr-press-drug-articles-orangesum/documents.jsonl
        group: fr_press

Each source has a ``path`` (any corpus the kit reads, but not another spec; a relative path is resolved
against the spec file's folder) and optionally:

- ``group``: the group of every document of the source. The source's own group value, if any, is kept in
  the column ``source_group``. Without ``group`` the source's own group column is kept as it is.
- ``where``: column -> value, or column -> list of values; a document is kept when every column matches one
  of its values. Values are compared as text, after the loader's conversion of the cell (``true`` matches
  a JSON ``true``, ``2018`` a number 2018); booleans ignore case. A column absent from the source is an
  error, so is a filter that keeps no document.
- ``language``: the ``language`` of every document of the source (``en``, ``fr``), for sources without it.

Two columns are added to every document: ``spec_source`` (the source's number in the spec, 1 = first) and
``source_doc_id`` (its id in the source). doc_ids are made unique across sources: a doc_id already used by
an earlier source becomes ``<doc_id>~<k>``, k being the source's number, e.g. ``a1`` of source 2 ->
``a1~2`` (and ``a1~2~2`` should ``a1~2`` itself be taken). Ids are never changed within a source, whose
duplicates stay errors of that source.

Every fault of the spec is a :class:`~analysis.errors.Problem` naming the spec file and the line.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from analysis.errors import CorpusError, Problem

SPEC_SUFFIXES = (".yaml", ".yml")
SOURCE_KEYS = ("path", "group", "where", "language")
ADDED_COLUMNS = ("spec_source", "source_doc_id")


@dataclass(frozen=True)
class Source:
    """One source of a spec: its resolved ``path``, the spec ``line`` it starts at, and its settings."""

    number: int
    path: Path
    written: str
    line: int
    group: str | None = None
    where: dict = field(default_factory=dict)
    where_lines: dict = field(default_factory=dict)
    language: str | None = None


def is_spec(path: str | os.PathLike) -> bool:
    return Path(path).suffix.lower() in SPEC_SUFFIXES


def _line(node) -> int:
    return node.start_mark.line + 1


def _scalar_text(value) -> str:
    """A ``where`` value as text, in the loader's own conversion of cells (``True`` -> "true")."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_spec(path: str | os.PathLike) -> list[Source]:
    """The sources of a spec file, checked; raise CorpusError listing every fault with the spec's line."""
    spec = Path(path)
    file = str(spec)
    try:
        text = spec.read_text(encoding="utf-8-sig")
    except OSError as err:
        raise CorpusError(Problem(file, None, f"cannot read the corpus spec: {err.strerror or err}")) from None
    except UnicodeDecodeError as err:
        raise CorpusError(Problem(file, None, f"the corpus spec is not UTF-8 text ({err.reason})")) from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise CorpusError(Problem(file, mark.line + 1 if mark else None,
                                  f"not valid YAML: {getattr(err, 'problem', None) or err}")) from None
    example = "sources:\n  - {path: FILE, group: NAME, where: {COLUMN: VALUE}}"
    if not isinstance(root, yaml.MappingNode):
        raise CorpusError(Problem(file, _line(root) if root else None,
                                  f"a corpus spec is a mapping with a 'sources' list, e.g.\n{example}"))
    top = {k.value: (k, v) for k, v in root.value}
    problems: list[Problem] = []
    for key, (knode, _) in top.items():
        if key != "sources":
            problems.append(Problem(file, _line(knode), f"unknown key {key!r} (a spec has only 'sources')"))
    if "sources" not in top:
        problems.append(Problem(file, 1, f"no 'sources' list, e.g.\n{example}"))
        raise CorpusError(problems)
    snode = top["sources"][1]
    if not isinstance(snode, yaml.SequenceNode) or not snode.value:
        problems.append(Problem(file, _line(snode), "'sources' must be a non-empty list of sources"))
        raise CorpusError(problems)
    sources = []
    for number, node in enumerate(snode.value, start=1):
        src = _read_source(node, number, spec, problems)
        if src is not None:
            sources.append(src)
    if problems:
        raise CorpusError(problems)
    return sources


def _read_source(node, number: int, spec: Path, problems: list[Problem]) -> Source | None:
    file, line = str(spec), _line(node)
    if not isinstance(node, yaml.MappingNode):
        problems.append(Problem(file, line, f"source {number} must be a mapping with 'path' (and 'group', "
                                "'where', 'language')"))
        return None
    value = yaml.safe_load(yaml.serialize(node))
    keys = {k.value: (_line(k), v) for k, v in node.value}
    before = len(problems)
    for key, (kline, _) in keys.items():
        if key not in SOURCE_KEYS:
            problems.append(Problem(file, kline, f"source {number}: unknown key {key!r} (allowed: "
                                    f"{', '.join(SOURCE_KEYS)})"))
    written = value.get("path")
    if not isinstance(written, str) or not written.strip():
        problems.append(Problem(file, line, f"source {number}: 'path' must be the path of a corpus"))
        return None
    resolved = Path(written) if os.path.isabs(written) else spec.parent / written
    pline = keys["path"][0]
    if is_spec(resolved):
        problems.append(Problem(file, pline, f"source {number}: {written!r} is a spec; a spec cannot include "
                                "another"))
    elif not resolved.exists():
        problems.append(Problem(file, pline, f"source {number}: no such file or folder {written!r} (resolved "
                                f"against the spec's folder: {resolved})"))
    group = value.get("group")
    if group is not None and (not isinstance(group, (str, int)) or isinstance(group, bool) or not str(group).strip()):
        problems.append(Problem(file, keys["group"][0], f"source {number}: 'group' must be a name"))
    language = value.get("language")
    if language is not None and (not isinstance(language, str) or not language.strip()):
        problems.append(Problem(file, keys["language"][0], f"source {number}: 'language' must be a code "
                                "such as en or fr"))
    where, where_lines = {}, {}
    if "where" in keys:
        wline, wnode = keys["where"]
        if not isinstance(wnode, yaml.MappingNode) or not wnode.value:
            problems.append(Problem(file, wline, f"source {number}: 'where' must map columns to values, e.g. "
                                    "{mentions_drugs: true}"))
        else:
            for (cnode, _), (col, allowed) in zip(wnode.value, value["where"].items()):
                allowed = allowed if isinstance(allowed, list) else [allowed]
                if not allowed or any(isinstance(v, (list, dict)) or v is None for v in allowed):
                    problems.append(Problem(file, _line(cnode), f"source {number}: 'where' {col!r} needs a "
                                            "value or a list of values"))
                    continue
                where[str(col)] = frozenset(_scalar_text(v) for v in allowed)
                where_lines[str(col)] = _line(cnode)
    if len(problems) > before:
        return None
    return Source(number, resolved, written, line, None if group is None else str(group).strip(), where,
                  where_lines, None if language is None else language.strip())


def _matches(rec: dict, where: dict) -> bool:
    for col, allowed in where.items():
        cell = str(rec.get(col, ""))
        if cell not in allowed and cell.lower() not in {a.lower() for a in allowed if a in ("true", "false")}:
            return False
    return True


class _Ids:
    """doc_ids made unique across sources (see the module docstring)."""

    def __init__(self):
        self.seen: set[str] = set()

    def take(self, doc_id: str, source: Source, own: set[str]) -> str:
        new = doc_id
        if new in self.seen and doc_id not in own:
            while new in self.seen:
                new = f"{new}~{source.number}"
        own.add(doc_id)
        self.seen.add(new)
        return new


def _shape(records: Iterable[dict], source: Source, ids: _Ids, group_col: str | None, spec: Path) -> Iterator[dict]:
    """The documents of one source as the spec makes them: filtered, grouped, renamed."""
    own: set[str] = set()
    kept = 0
    first = True
    for rec in records:
        if first and source.where:
            missing = [c for c in source.where if c not in rec]
            if missing:
                raise CorpusError([Problem(str(spec), source.where_lines[c], f"source {source.number}: no column "
                                           f"{c!r} in {source.written} (columns: {', '.join(k for k in rec if k != 'text')})")
                                   for c in missing])
        first = False
        if not _matches(rec, source.where):
            continue
        kept += 1
        rec = dict(rec)
        original = rec["doc_id"]
        rec["doc_id"] = ids.take(original, source, own)
        if source.group is not None and group_col:
            if group_col in rec:
                rec["source_group"] = rec[group_col]
            rec[group_col] = source.group
        if source.language is not None:
            rec["language"] = source.language
        rec["spec_source"] = str(source.number)
        rec["source_doc_id"] = original
        text = rec.pop("text")
        rec["text"] = text
        yield rec
    if kept == 0:
        why = "its filter keeps no document" if source.where else "it holds no document"
        raise CorpusError(Problem(str(spec), source.line, f"source {source.number} ({source.written}): {why}"))


def load_spec_corpus(path: str | os.PathLike, *, encoding: str | None = None, group_col: str | None = "group",
                     groups: set[str] | None = None):
    """The documents of every source of a spec as one corpus table (as :func:`analysis.corpus.load_corpus`)."""
    import pandas as pd

    from analysis.corpus.read import load_corpus

    spec = Path(path)
    sources = read_spec(spec)
    ids = _Ids()
    rows: list[dict] = []
    problems: list[Problem] = []
    for src in sources:
        try:
            table = load_corpus(src.path, encoding=encoding, group_col=group_col if src.group is None else None)
            if src.group is None and group_col and group_col not in table.columns:
                raise CorpusError(Problem(str(spec), src.line, f"source {src.number} ({src.written}) has no "
                                          f"{group_col!r} column: give it a 'group'"))
            rows.extend(_shape(table.to_dict("records"), src, ids, group_col, spec))
        except CorpusError as err:
            problems.extend(err.problems)
    if problems:
        raise CorpusError(problems)
    frame = pd.DataFrame.from_records(rows)
    if groups is not None and group_col in frame.columns:
        bad = sorted(set(frame[group_col]) - set(groups))
        if bad:
            raise CorpusError(Problem(str(spec), None, f"unknown {group_col} {', '.join(map(repr, bad))} (expected "
                                      f"one of {', '.join(sorted(groups))})"))
    front = [c for c in ("doc_id", group_col) if c and c in frame.columns]
    frame = frame[front + [c for c in frame.columns if c not in front and c != "text"] + ["text"]]
    return frame.fillna("").reset_index(drop=True)


def iter_spec_documents(path: str | os.PathLike, *, encoding: str | None = None,
                        group_col: str = "group") -> Iterator[dict]:
    """Stream the documents of a spec, source after source (as :func:`analysis.corpus.iter_documents`)."""
    from analysis.corpus.read import iter_documents

    spec = Path(path)
    ids = _Ids()
    for src in read_spec(spec):
        yield from _shape(iter_documents(src.path, encoding=encoding), src, ids, group_col, spec)
