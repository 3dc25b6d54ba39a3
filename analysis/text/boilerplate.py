"""Boilerplate of scraped corpora: lines and paragraphs repeated across the documents of one source, and
duplicate documents; learned in one streaming pass, removed document by document.

The rule
--------
A *block* is a line, or a paragraph (a run of two or more non-blank lines between blank lines). Blocks are
compared in a normalized form: white space collapsed, case-folded, digits kept ("May 28, 2026" and "May 29,
2026" differ). A block is **boilerplate of a source** when it occurs in at least
``max(min_documents, ceil(min_share × documents of that source))`` distinct documents of that source (defaults
5 and 2 %: 129 documents of a source of 6,423, 25 of 1,235, 5 of anything up to 250). Short blocks count like
long ones ("HOME", "Press", "###"). A short legal disclaimer ("An indictment is merely an accusation and the
defendant is presumed innocent...": the patterns of ``data/disclaimers.txt``, blocks of at most 400 characters)
is boilerplate from ``min_documents`` documents on, whatever the source's size: offices word it in many
variants, each too rare for the share. A sentence quoted in three releases stays: it is below ``min_documents``
whatever the source's size. Blocks are counted once per document, and exact duplicate documents are not
counted again (a corpus replicated k times learns the same boilerplate as the corpus itself).

A line of at most :data:`SHAPE_MAX_WORDS` words (:data:`SHAPE_MAX_CHARS` characters) that holds a number also counts by its *shape* (each run of
digits written ``#``): "Are You a Human? 3 + 2 =", "9 min read", "Wednesday, May 6, 2020" are page furniture
that differs only by its numbers; a shape repeated in as many documents is boilerplate too.

A **duplicate document** is one whose whole normalized text equals an earlier one's, or whose lines left after
boilerplate removal are near-identical to another document's of the same source (estimated Jaccard similarity
of their sets of normalized lines, short numbered lines by their shape, ≥ ``near_duplicate``, 0.8 by default,
from a bottom-k sketch of the line hashes). Of each group of duplicates the first by ``doc_id`` is kept; the others are reported.

Memory
------
Blocks are counted by 8-byte BLAKE2b digests, in sorted numpy arrays merged batch by batch (16 bytes per
distinct block and source); the text of a block is kept only once it reaches ``min_documents`` documents, so
memory grows with the number of distinct lines, not with the corpus text. Each document adds a sketch of at
most :data:`SKETCH` line digests (for near-duplicates) and, if it is a duplicate, its ``doc_id``.

The learned :class:`Boilerplate` is small and picklable (frozen sets of the boilerplate digests per source and
the duplicate map) and :meth:`Boilerplate.clean` is deterministic, so worker processes clean alike.
"""
from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from analysis.errors import ParameterError

DISCLAIMERS_FILE = Path(__file__).resolve().parent / "data" / "disclaimers.txt"

MIN_DOCUMENTS = 5
MIN_SHARE = 0.02
NEAR_DUPLICATE = 0.8
SKETCH = 64  # line digests kept per document for near-duplicate detection
DISCLAIMER_MAX_CHARS = 400
SOURCE_COLUMNS = ("source", "outlet", "group")  # the source key, in order of preference
MODES = ("auto", "off")
KINDS = ("line", "paragraph", "duplicate_document")
TABLE_COLUMNS = ["source", "text", "kind", "n_documents", "n_chars", "doc_id", "duplicate_of"]
_BATCH = 400_000  # distinct (block) digests buffered before a merge into the sorted arrays
_BUCKET_CAP = 200  # documents sharing a sketch value beyond which the value is not used to pair them
_PARAGRAPH_SALT = b"\x00paragraph\x00"
_SHAPE_SALT = b"\x00shape\x00"
SHAPE_MAX_WORDS = 4  # a line of at most this many words (and SHAPE_MAX_CHARS characters) with a digit
SHAPE_MAX_CHARS = 80  # also counts by its shape
_DIGITS = re.compile(r"\d+")
_WORD = re.compile(r"[^\W\d_]+")


def normalize_block(text: str) -> str:
    """The form in which blocks are compared: white space collapsed, case-folded, digits kept."""
    return " ".join(text.split()).casefold()


@lru_cache(maxsize=1)
def disclaimer_pattern() -> re.Pattern:
    """One pattern of the legal disclaimers of ``data/disclaimers.txt`` (one regular expression a line)."""
    lines = (line.split("#", 1)[0].strip() for line in DISCLAIMERS_FILE.read_text(encoding="utf-8").splitlines())
    return re.compile("|".join(f"(?:{p})" for p in lines if p), re.IGNORECASE)


def is_disclaimer(text: str) -> bool:
    """Whether a block is a short legal disclaimer ("An indictment is merely an accusation...")."""
    norm = normalize_block(text).replace("’", "'")
    return len(norm) <= DISCLAIMER_MAX_CHARS and disclaimer_pattern().search(norm) is not None


def _digest(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


def source_column(columns: Iterable[str]) -> str | None:
    """The column that names a document's source: ``source`` if present, else ``outlet``, else ``group``."""
    cols = set(columns)
    return next((c for c in SOURCE_COLUMNS if c in cols), None)


def check_mode(value: str) -> str:
    """The ``boilerplate`` parameter: ``auto`` (learn and remove) or ``off``."""
    mode = str(value).strip().lower()
    if mode not in MODES:
        raise ParameterError("boilerplate", f"unknown value {value!r}", ", ".join(MODES))
    return mode


def line_shape(norm: str) -> str | None:
    """The shape of a short normalized line that holds a number (each run of digits written ``#``), else None:
    "are you a human? 3 + 2 =" and "are you a human? 8 + 8 =" share the shape "are you a human? # + # =".""" 
    if len(norm) > SHAPE_MAX_CHARS or not _DIGITS.search(norm) or len(_WORD.findall(norm)) > SHAPE_MAX_WORDS:
        return None
    return _DIGITS.sub("#", norm)


@lru_cache(maxsize=1 << 16)
def _line(line: str) -> tuple[str, int, int, int, int, str]:
    """(normalized form, offsets of its text without outer white space, digest, shape digest or 0, shape or "")
    of one line, cached: the lines of a source repeat from document to document (that is what boilerplate
    is)."""
    norm = normalize_block(line)
    if not norm:
        return "", 0, 0, 0, 0, ""
    shape = line_shape(norm)
    return (norm, len(line) - len(line.lstrip()), len(line.rstrip()), _digest(norm.encode()),
            _digest(_SHAPE_SALT + shape.encode()) if shape else 0, shape or "")


class _Block(NamedTuple):
    kind: str  # "line" or "paragraph"
    start: int  # offsets in the original text
    end: int
    key: int
    shape: int = 0  # digest of the line's shape, 0 if it has none
    shape_text: str = ""


def _blocks(text: str) -> tuple[list[_Block], list[list[int]]]:
    """Every non-blank line and every multi-line paragraph of ``text`` with its digest, and the paragraphs as
    lists of indexes into the blocks (the paragraph's own block first when it has two lines or more)."""
    blocks: list[_Block] = []
    paragraphs: list[list[int]] = []
    current: list[int] = []
    norms: list[str] = []  # of the lines of the current paragraph
    pos = 0

    def close():
        if len(current) > 1:
            first, last = blocks[current[0]], blocks[current[-1]]
            norm = " ".join(norms)
            blocks.append(_Block("paragraph", first.start, last.end, _digest(_PARAGRAPH_SALT + norm.encode())))
            paragraphs.append([len(blocks) - 1, *current])
        elif current:
            paragraphs.append(list(current))

    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        norm, lead, end, key, shape_key, shape = _line(line)
        if not norm:
            close()
            current, norms = [], []
            continue
        blocks.append(_Block("line", start + lead, start + end, key, shape_key, shape))
        current.append(len(blocks) - 1)
        norms.append(norm)
    close()
    return blocks, paragraphs


class Removed(NamedTuple):
    """One block left out of a document: ``kind`` (line or paragraph), offsets in the original text, text."""

    kind: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Cleaned:
    """A document after cleaning.

    ``text``: the text without its boilerplate (kept lines joined by a line break, kept paragraphs by a blank
    line) — or, when nothing would be left (``emptied``), the **original** text, so that no analysis is handed
    an empty document; the pipeline reports such documents by name. ``removed``: the blocks left out (or that
    would be, for an emptied document). ``duplicate_of``: the ``doc_id`` kept in place of this document when
    it duplicates another, else ``""`` (the pipeline leaves duplicates out).
    """

    text: str
    removed: tuple[Removed, ...] = ()
    emptied: bool = False
    duplicate_of: str = ""

    @property
    def n_removed_chars(self) -> int:
        return sum(r.end - r.start for r in self.removed)


@dataclass(frozen=True, slots=True)
class SourceBoilerplate:
    """What was learned of one source: its document count, the threshold that follows from it, and the digests
    of its boilerplate lines and paragraphs."""

    n_documents: int
    threshold: int
    lines: frozenset[int] = frozenset()
    paragraphs: frozenset[int] = frozenset()
    shapes: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Boilerplate:
    """The learned boilerplate of a corpus (see the module's docstring for the rule).

    ``sources``: per source, a :class:`SourceBoilerplate`; ``duplicates``: ``doc_id`` of each duplicate
    document -> ``doc_id`` kept; ``blocks``: the table rows of the boilerplate (source, kind, text, number of
    documents, characters), for :func:`boilerplate_table`; ``source_key``: the metadata column used as source.
    """

    source_key: str
    sources: Mapping[str, SourceBoilerplate] = field(default_factory=dict)
    duplicates: Mapping[str, str] = field(default_factory=dict)
    blocks: tuple[tuple[str, str, str, int, int], ...] = ()
    duplicate_chars: Mapping[str, int] = field(default_factory=dict)
    duplicate_sources: Mapping[str, str] = field(default_factory=dict)

    def clean(self, doc_id: str, source: str, text: str) -> Cleaned:
        """``text`` without the boilerplate of ``source`` (unknown sources lose nothing)."""
        dup = self.duplicates.get(str(doc_id), "")
        learned = self.sources.get("" if source is None else str(source))
        if learned is None or not (learned.lines or learned.paragraphs or learned.shapes):
            return Cleaned(text, (), False, dup)
        blocks, paragraphs = _blocks(text)
        removed: list[Removed] = []
        kept_paragraphs: list[str] = []
        for para in paragraphs:
            head = blocks[para[0]]
            if head.kind == "paragraph":
                if head.key in learned.paragraphs:
                    removed.append(Removed("paragraph", head.start, head.end, text[head.start:head.end]))
                    continue
                para = para[1:]
            kept = []
            for i in para:
                b = blocks[i]
                if b.key in learned.lines or (b.shape and b.shape in learned.shapes):
                    removed.append(Removed("line", b.start, b.end, text[b.start:b.end]))
                else:
                    kept.append(text[b.start:b.end])
            if kept:
                kept_paragraphs.append("\n".join(kept))
        if not removed:
            return Cleaned(text, (), False, dup)
        if not kept_paragraphs:
            return Cleaned(text, tuple(removed), True, dup)
        return Cleaned("\n\n".join(kept_paragraphs) if _has_blank_line(text) else "\n".join(kept_paragraphs),
                       tuple(removed), False, dup)

    def is_duplicate(self, doc_id: str) -> bool:
        return str(doc_id) in self.duplicates

    def for_cleaning(self) -> Boilerplate:
        """This model without its duplicate maps (which grow with the number of duplicates: 129,576 in the
        prosecutors' corpus replicated 16 times): what worker processes need when the parent process leaves
        duplicates out itself (:meth:`is_duplicate`). Its ``clean`` gives ``duplicate_of`` empty."""
        return Boilerplate(self.source_key, self.sources, {}, self.blocks, {}, {})


def _has_blank_line(text: str) -> bool:
    return any(not line.strip() for line in text.strip().split("\n"))


class _Counts:
    """Distinct-document counts of block digests for one source: sorted uint64 keys and their counts, merged
    from a dict buffer; the (kind, text) of a block is kept once its count reaches ``keep_text_at``."""

    def __init__(self, keep_text_at: int):
        self.keys = np.empty(0, dtype=np.uint64)
        self.counts = np.empty(0, dtype=np.int64)
        self.buffer: dict[int, int] = {}
        self.first_text: dict[int, tuple[str, str]] = {}
        self.texts: dict[int, tuple[str, str]] = {}
        self.keep_text_at = keep_text_at
        self.n_documents = 0

    def add(self, key: int, kind: str, text: str) -> None:
        n = self.buffer.get(key)
        if n is None:
            self.buffer[key] = 1
            if key not in self.texts:
                self.first_text[key] = (kind, text)
        else:
            self.buffer[key] = n + 1
        if len(self.buffer) >= _BATCH:
            self.merge()

    def merge(self) -> None:
        if not self.buffer:
            return
        bkeys = np.fromiter(self.buffer.keys(), dtype=np.uint64, count=len(self.buffer))
        bcounts = np.fromiter(self.buffer.values(), dtype=np.int64, count=len(self.buffer))
        keys, inverse = np.unique(np.concatenate([self.keys, bkeys]), return_inverse=True)
        counts = np.bincount(inverse, weights=np.concatenate([self.counts, bcounts]), minlength=len(keys))
        self.keys, self.counts = keys, counts.astype(np.int64)
        # a block reaching the text threshold now occurs in this buffer, whose first texts are at hand
        pos = np.searchsorted(self.keys, bkeys)
        for key in bkeys[self.counts[pos] >= self.keep_text_at].tolist():
            if key not in self.texts:
                self.texts[key] = self.first_text[key]
        self.buffer.clear()
        self.first_text.clear()

    def frequent(self, threshold: int) -> tuple[np.ndarray, np.ndarray]:
        self.merge()
        mask = self.counts >= threshold
        return self.keys[mask], self.counts[mask]


class _Sketches:
    """Per source: each counted document's ``doc_id``, its bottom-k line digests and whether the sketch holds
    all its lines (a document of at most k distinct lines)."""

    def __init__(self):
        self.doc_ids: list[str] = []
        self.sketches: list[np.ndarray] = []
        self.complete: list[bool] = []
        self.n_chars: list[int] = []

    def add(self, doc_id: str, line_keys: set[int], n_chars: int) -> None:
        arr = np.fromiter(line_keys, dtype=np.uint64, count=len(line_keys))
        if len(arr) > SKETCH:
            arr = np.partition(arr, SKETCH - 1)[:SKETCH]
        self.doc_ids.append(doc_id)
        self.sketches.append(np.sort(arr))
        self.complete.append(len(line_keys) <= SKETCH)
        self.n_chars.append(n_chars)


def _threshold(n_documents: int, min_documents: int, min_share: float) -> int:
    return max(min_documents, math.ceil(min_share * n_documents - 1e-9))


def _similarity(a: np.ndarray, a_tau, b: np.ndarray, b_tau) -> float:
    """Jaccard estimate of two line sets from their body sketches: both restricted below the smaller sketch
    threshold (None for a complete sketch), below which each sketch holds every line of its document."""
    taus = [t for t in (a_tau, b_tau) if t is not None]
    if taus:
        tau = min(taus)
        a, b = a[a <= tau], b[b <= tau]
    union = np.union1d(a, b)
    if len(union) == 0:
        return 0.0
    return len(np.intersect1d(a, b, assume_unique=True)) / len(union)


def _near_duplicates(sk: _Sketches, boiler_lines: np.ndarray, near: float) -> list[tuple[int, int]]:
    """Pairs of documents (indexes into ``sk``) whose body sketches are near-identical."""
    bodies, taus = [], []
    for arr, complete in zip(sk.sketches, sk.complete):
        bodies.append(arr[~np.isin(arr, boiler_lines)])
        taus.append(None if complete else arr[-1])
    buckets: dict[int, list[int]] = {}
    for i, body in enumerate(bodies):
        for v in body[:3].tolist():
            buckets.setdefault(v, []).append(i)
    pairs = set()
    for members in buckets.values():
        if len(members) < 2 or len(members) > _BUCKET_CAP:
            continue
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                pairs.add((members[x], members[y]))
    found = []
    for i, j in sorted(pairs):
        if len(bodies[i]) and len(bodies[j]) and _similarity(
                bodies[i], taus[i], bodies[j], taus[j]) >= near:
            found.append((i, j))
    return found


def learn_boilerplate(records: Iterable[Mapping], source_key: str = "group", *,
                      min_documents: int = MIN_DOCUMENTS, min_share: float = MIN_SHARE,
                      near_duplicate: float | None = NEAR_DUPLICATE,
                      id_key: str = "doc_id", text_key: str = "text") -> Boilerplate:
    """Learn the boilerplate of a stream of documents (dicts with ``doc_id``, ``text`` and ``source_key``), in
    one pass. ``near_duplicate``: the similarity from which two documents are duplicates (None: exact
    duplicates only). See the module's docstring for the rule."""
    if not isinstance(min_documents, int) or min_documents < 2:
        raise ParameterError("min_documents", f"must be an integer >= 2, got {min_documents!r}")
    if not 0 <= min_share < 1:
        raise ParameterError("min_share", f"must be in [0, 1), got {min_share!r}")
    if near_duplicate is not None and not 0 < near_duplicate <= 1:
        raise ParameterError("near_duplicate", f"must be in (0, 1] or None, got {near_duplicate!r}")
    counts: dict[str, _Counts] = {}
    sketches: dict[str, _Sketches] = {}
    exact: dict[int, str] = {}  # digest of the whole normalized text -> first doc_id seen
    exact_groups: dict[str, list[str]] = {}  # first doc_id seen -> the later exact duplicates
    dup_chars: dict[str, int] = {}
    dup_sources: dict[str, str] = {}
    for n, rec in enumerate(records, start=1):
        try:
            doc_id, text = str(rec[id_key]), rec[text_key]
        except (KeyError, TypeError):
            raise ParameterError("records", f"record {n} is not a dict with {id_key!r} and {text_key!r}") from None
        if not isinstance(text, str):
            raise ParameterError("records", f"document {doc_id!r}: text is {type(text).__name__}, not a string")
        source = rec.get(source_key)
        source = "" if source is None else str(source)
        whole = _digest(normalize_block(text).encode())
        first = exact.get(whole)
        if first is not None:
            exact_groups.setdefault(first, []).append(doc_id)
            dup_chars[doc_id] = len(text)
            dup_sources[doc_id] = source
            continue
        exact[whole] = doc_id
        c = counts.get(source)
        if c is None:
            c = counts[source] = _Counts(min_documents)
            sketches[source] = _Sketches()
        c.n_documents += 1
        blocks, _ = _blocks(text)
        seen: set[int] = set()
        lines: set[int] = set()
        for b in blocks:
            if b.key not in seen:
                seen.add(b.key)
                c.add(b.key, b.kind, text[b.start:b.end])
                if b.kind == "line":
                    lines.add(b.shape or b.key)
            if b.shape and b.shape not in seen:
                seen.add(b.shape)
                c.add(b.shape, "shape", b.shape_text)
        sketches[source].add(doc_id, lines, len(text))
    del exact

    learned: dict[str, SourceBoilerplate] = {}
    rows: list[tuple[str, str, str, int, int]] = []
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            lo, hi = sorted((ra, rb))
            parent[hi] = lo

    for first, others in exact_groups.items():
        for other in others:
            union(first, other)
    for source in sorted(counts):
        c = counts[source]
        threshold = _threshold(c.n_documents, min_documents, min_share)
        keys, n_docs = c.frequent(min_documents)
        found: dict[str, list[int]] = {"line": [], "paragraph": [], "shape": []}
        for key, nd in zip(keys.tolist(), n_docs.tolist()):
            kind, text = c.texts[key]
            if nd < threshold and (kind == "shape" or not is_disclaimer(text)):
                continue
            found[kind].append(key)
            rows.append((source, text, "line" if kind == "shape" else kind, int(nd), int(nd) * len(text)))
        line_keys = found["line"]
        learned[source] = SourceBoilerplate(c.n_documents, threshold, frozenset(line_keys),
                                            frozenset(found["paragraph"]), frozenset(found["shape"]))
        if near_duplicate is not None:
            sk = sketches[source]
            boiler = np.array(sorted(line_keys + found["shape"]), dtype=np.uint64)
            for i, j in _near_duplicates(sk, boiler, near_duplicate):
                union(sk.doc_ids[i], sk.doc_ids[j])
                for k in (i, j):
                    dup_chars.setdefault(sk.doc_ids[k], sk.n_chars[k])
                    dup_sources.setdefault(sk.doc_ids[k], source)
    duplicates = {}
    for doc_id in sorted(set(parent) | {d for g in exact_groups.values() for d in g}):
        root = find(doc_id)
        if root != doc_id:
            duplicates[doc_id] = root
    missing = set(duplicates) - set(dup_chars)  # first seen, yet not first by doc_id
    if missing:
        for source, sk in sketches.items():
            for doc_id, n_chars in zip(sk.doc_ids, sk.n_chars):
                if doc_id in missing:
                    dup_chars[doc_id], dup_sources[doc_id] = n_chars, source
    rows.sort(key=lambda r: (r[0], -r[3], r[2], r[1]))
    return Boilerplate(source_key, learned, duplicates, tuple(rows),
                       {d: dup_chars[d] for d in duplicates}, {d: dup_sources[d] for d in duplicates})


def boilerplate_table(model: Boilerplate) -> pd.DataFrame:
    """One row per boilerplate block and per duplicate document (``tables/boilerplate.csv``): ``source``,
    ``text`` (the block as first seen; empty for a duplicate document), ``kind`` (line, paragraph,
    duplicate_document), ``n_documents`` (documents of the source holding it; 1 for a duplicate),
    ``n_chars`` (characters it takes from the corpus: its length × ``n_documents``, or the duplicate's
    length), ``doc_id`` and ``duplicate_of`` (for duplicate documents: the one left out, the one kept)."""
    rows = [{"source": s, "text": t, "kind": k, "n_documents": n, "n_chars": c, "doc_id": "", "duplicate_of": ""}
            for s, t, k, n, c in model.blocks]
    rows += [{"source": model.duplicate_sources.get(d, ""), "text": "", "kind": "duplicate_document",
              "n_documents": 1, "n_chars": model.duplicate_chars.get(d, 0), "doc_id": d, "duplicate_of": kept}
             for d, kept in sorted(model.duplicates.items())]
    return pd.DataFrame(rows, columns=TABLE_COLUMNS).astype({"n_documents": "int64", "n_chars": "int64"})


def cleaning_table(results: Iterable[tuple[str, str, Cleaned]]) -> pd.DataFrame:
    """One row per document cleaned (``doc_id``, ``source``, ``n_chars_removed``, ``n_blocks_removed``,
    ``emptied``, ``duplicate_of``) from (doc_id, source, Cleaned) triples: what the corpus overview shows and
    where documents left with no text are named."""
    rows = [{"doc_id": d, "source": s, "n_chars_removed": c.n_removed_chars, "n_blocks_removed": len(c.removed),
             "emptied": c.emptied, "duplicate_of": c.duplicate_of} for d, s, c in results]
    return pd.DataFrame(rows, columns=["doc_id", "source", "n_chars_removed", "n_blocks_removed", "emptied",
                                       "duplicate_of"])
