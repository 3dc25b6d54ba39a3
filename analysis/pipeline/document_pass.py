"""The one pass over the documents: each document is parsed once and every extractor reads that parsed form.

:func:`run_batch` takes a batch of documents (dicts with ``doc_id``, ``group``, ``text``, metadata) and returns
a :class:`BatchResult`: partial counts (words, bigrams, per group, with document frequencies) and per-document
rows (documents, entities, claims, quotes, frame shares) plus the frame evidence sentences, capped. Batches are
independent, so the same function runs in this process, in one process per core or on Dask workers; :func:`merge`
adds the results up in batch order, and the merged tables do not depend on how the corpus was cut into batches.
Every document, of a side or not, is also added to the tally of its (group, subgroup) values for page 08
(:class:`analysis.pipeline.groups.GroupTally`).

Memory is bounded by a batch and by the vocabulary: no table of every token of the corpus is built. Evidence
sentences of the frames are kept per (frame, group, language) up to ``evidence_cap``, chosen by a hash of
(doc_id, sentence_id) so that the kept sentences are spread over the corpus and the same on every backend.
"""
from __future__ import annotations

import zlib
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from analysis.narratives import claims as C
from analysis.narratives import concepts as K
from analysis.narratives import entities as E
from analysis.narratives import frames as F
from analysis.narratives import quotes as Q
from analysis.pipeline.groups import GroupTally
from analysis.stats import coverage as V
from analysis.text.cleaning import foreign_rows, foreign_table, prepare_text
from analysis.text.parse import parse_document
from analysis.text.stopwords import get_stopwords
from analysis.text.tokens import language_of

OVERVIEW = "_overview"  # record key: the document's (group, subgroup) values, counted for page 08
OUTSIDE = "_outside"  # record key: true for a document of neither compared side (counted for page 08 only)
DOCUMENT_DROP = ("text", "path", "encoding", OVERVIEW, OUTSIDE)  # corpus columns that are not document metadata
PAIR = "\x1f"  # joins the two words of a bigram key (no token holds it; a token may hold a space: "91 000")


@dataclass(frozen=True)
class PassConfig:
    """What every batch needs besides its documents (small and picklable: it travels to the workers)."""

    language: str = "auto"
    stop_replace: str | None = None  # a stop word file replacing the shipped list of each language
    stop_extra: tuple = ()  # words added to the stop words of each language
    gazetteer: str | None = None
    lexicon: str | None = None
    concepts: str | None = None  # the concept lexicon (None: the kit's concepts.yaml)
    evidence_cap: int | None = 200  # frame sentences kept per (frame, group, language); None keeps all
    source_key: str = "group"  # the record key naming a document's source (whose boilerplate it shares)


@dataclass
class BatchResult:
    """Partial counts and per-document rows of one batch (see the module docstring)."""

    # counts are kept per (group, language): per group they are sums, per language the reference of keyness
    n_docs: Counter = field(default_factory=Counter)
    word_total: Counter = field(default_factory=Counter)
    words: dict = field(default_factory=dict)  # (group, language) -> Counter(term -> count)
    word_docs: dict = field(default_factory=dict)  # (group, language) -> Counter(term -> documents)
    bigram_total: Counter = field(default_factory=Counter)
    bigrams: dict = field(default_factory=dict)  # (group, language) -> Counter("word\x1fword" -> count)
    bigram_docs: dict = field(default_factory=dict)
    stopwords_seen: dict = field(default_factory=dict)  # (group, language) -> counted tokens that are stop words
    documents: list = field(default_factory=list)
    entities: list = field(default_factory=list)
    claims: list = field(default_factory=list)
    quotes: list = field(default_factory=list)
    frames: list = field(default_factory=list)
    evidence: list = field(default_factory=list)  # frame sentences, capped by (frame, group, language)
    evidence_total: Counter = field(default_factory=Counter)  # (frame, group, language) -> sentences found
    foreign: list = field(default_factory=list)  # paragraphs in another language than their document's
    concepts: K.ConceptTally = field(default_factory=K.ConceptTally)
    concept_lines: list = field(default_factory=list)  # concept KWIC lines, capped by (concept, group, language)
    concept_docs: list = field(default_factory=list)  # (doc_id, concept, hits, content tokens) per document
    coverage: V.Coverage = field(default_factory=V.Coverage)
    groups: GroupTally = field(default_factory=GroupTally)  # every document, by (group, subgroup): page 08


def evidence_key(doc_id: str, sentence_id: int) -> int:
    """Deterministic rank of a sentence among the evidence of its frame (smallest kept)."""
    return zlib.crc32(f"{doc_id}\0{sentence_id}".encode())


class _Extractors:
    """The compiled rules of the extractors, built once per process (per worker) and reused for every batch."""

    _cache: dict = {}

    def __init__(self, cfg: PassConfig):
        self.matcher = E.matcher_for(cfg.gazetteer)
        self.quote_rules = Q.quote_rules(gazetteer=cfg.gazetteer)
        self.concepts = K.concept_lexicon(cfg.concepts)
        self.frames = F.frame_rules(cfg.lexicon, concepts=self.concepts)

    @classmethod
    def for_config(cls, cfg: PassConfig) -> "_Extractors":
        ex = cls._cache.get(cfg)
        if ex is None:
            ex = cls._cache[cfg] = cls(cfg)
        return ex


@lru_cache(maxsize=32)
def _stopwords(language: str, replace: str | None, extra: tuple) -> frozenset:
    return get_stopwords(language, replace=replace, extra=extra)


def _count(res: BatchResult, g: tuple[str, str], sents: list[list[str]], toks: list[str], stop) -> tuple[int, int]:
    if g not in res.words:
        for name in ("words", "word_docs", "bigrams", "bigram_docs"):
            getattr(res, name)[g] = Counter()
    words = res.words[g]
    words.update(toks)
    types = set(toks)
    res.word_docs[g].update(types)
    res.word_total[g] += len(toks)
    seen = types & stop
    if seen:
        res.stopwords_seen.setdefault(g, set()).update(seen)
    grams: list[str] = []
    n = 0
    for s in sents:
        m = len(s) - 1
        if m <= 0:
            continue
        n += m
        grams.extend([a + PAIR + b for a, b in zip(s, s[1:]) if a not in stop and b not in stop])
    res.bigrams[g].update(grams)
    res.bigram_docs[g].update(set(grams))
    res.bigram_total[g] += n
    return len(toks), len(types)


def run_batch(batch: list[dict], cfg: PassConfig, cleaner=None) -> BatchResult:
    """Clean, parse and analyse every document of ``batch`` once (see the module docstring). ``cleaner``: the
    boilerplate model (:meth:`analysis.text.boilerplate.Boilerplate.for_cleaning`), None to keep the texts.
    A record marked :data:`OUTSIDE` (of neither side) is only added to the tally of its :data:`OVERVIEW` group:
    tokens, entities and frames, none of the comparison's tables."""
    ex = _Extractors.for_config(cfg)
    res = BatchResult()
    texts: dict[str, str] = {}  # of the documents with concept hits, for the KWIC lines kept at the end
    for rec in batch:
        g = str(rec.get("group", ""))
        lang = language_of(rec, cfg.language)
        prepared = prepare_text(rec["doc_id"], str(rec.get(cfg.source_key, "")), rec["text"], lang, cleaner)
        text = prepared.text
        doc = parse_document(rec["doc_id"], g, text, lang,
                             {k: rec[k] for k in ("title", "heading") if isinstance(rec.get(k), str)})
        stop = _stopwords(lang, cfg.stop_replace, cfg.stop_extra)
        found = K.scan(doc, ex.concepts, stopwords=stop)  # its tokens are those of sentence_tokens(text, doc.spans)
        sents = found.tokens
        toks = [t for s in sents for t in s]
        if rec.get(OUTSIDE):
            if OVERVIEW in rec:
                shares = F.frame_rows(doc, ex.frames, F.frame_matches(doc, ex.frames, found.rows))[1]
                res.groups.add(rec["doc_id"], rec[OVERVIEW], toks, stop, E.entities_in(doc, ex.matcher), shares,
                               lang)
            continue
        res.foreign.extend(foreign_rows(rec["doc_id"], g, prepared))
        res.n_docs[(g, lang)] += 1
        n_tokens, n_types = _count(res, (g, lang), sents, toks, stop)
        meta = {k: v for k, v in rec.items() if k not in DOCUMENT_DROP}
        meta.update(n_chars=len(text), n_sentences=len(doc.spans))
        meta.update(n_chars_raw=len(rec["text"]), n_chars_boilerplate=len(rec["text"]) - len(prepared.boilerplate_text),
                    n_chars_other_language=len(prepared.boilerplate_text) - len(text), emptied=prepared.emptied)
        meta["language"] = lang  # in its place when the corpus has the column, else after the sentences
        meta.update(n_tokens=n_tokens, n_types=n_types)
        res.documents.append(meta)
        entities = E.entities_in(doc, ex.matcher)
        res.entities.extend(entities)
        res.claims.extend(C.claims_in(doc))
        res.quotes.extend(Q.quotes_in(doc, ex.quote_rules))
        res.concepts.add_scan(doc, found)
        res.concept_docs.extend(K.document_counts(doc.doc_id, found))
        hits = cap_lines(found.rows)
        if hits:
            res.concept_lines.extend(hits)
            texts[doc.doc_id] = text
        matches = F.frame_matches(doc, ex.frames, found.rows)
        res.coverage.add(V.coverage_in(g, found.language, found.n_sentences, found.content, found.rows, matches))
        sentences, shares = F.frame_rows(doc, ex.frames, matches)
        res.frames.extend(shares)
        if OVERVIEW in rec:
            res.groups.add(rec["doc_id"], rec[OVERVIEW], toks, stop, entities, shares, lang)
        for row in sentences:
            row["language"] = lang
            res.evidence_total[(row["frame"], g, lang)] += 1
        res.evidence.extend(sentences)
    res.evidence = cap_evidence(res.evidence, cfg.evidence_cap)
    res.concept_lines = _concept_lines(texts, cap_lines(res.concept_lines))
    return res


CONCEPT_LINES = 5  # concept KWIC lines kept per (concept, group, language)


def _concept_lines(texts: dict, hits: list[dict], window: int = 8) -> list[dict]:
    """KWIC lines of the concept hits a batch keeps (``texts``: doc_id -> analysed text of the batch)."""
    out = []
    for h in hits:
        text = texts[h["doc_id"]]
        left, right = K._context(text, h["start"], h["end"], window)
        out.append({"concept": h["concept"], "group": h["group"], "language": h["language"], "doc_id": h["doc_id"],
                    "sentence_id": h["sentence_id"], "start": h["start"], "term": h["term"], "left": left,
                    "match": " ".join(text[h["start"]:h["end"]].split()), "right": right})
    return out


def cap_lines(rows: list[dict], cap: int = CONCEPT_LINES) -> list[dict]:
    """Keep, per (concept, group, language), the ``cap`` lines of smallest hash of (doc_id, start): spread over
    the corpus and the same whatever the batches (in no particular order: the table sorts them)."""
    by: dict[tuple, list] = {}
    for r in rows:
        by.setdefault((r["concept"], r["group"], r["language"]), []).append(r)
    kept = []
    for sub in by.values():
        if len(sub) > cap:
            sub = sorted(sub, key=lambda r: (evidence_key(r["doc_id"], r["start"]), r["doc_id"], r["start"]))[:cap]
        kept.extend(sub)
    return kept


def cap_evidence(rows: list[dict], cap: int | None) -> list[dict]:
    """Keep, per (frame, group, language), the ``cap`` sentences of smallest :func:`evidence_key`."""
    if cap is None:
        return rows
    by: dict[tuple, list] = {}
    for r in rows:
        by.setdefault((r["frame"], r["group"], r["language"]), []).append(r)
    kept = []
    for sub in by.values():
        if len(sub) > cap:
            sub = sorted(sub, key=lambda r: (evidence_key(r["doc_id"], r["sentence_id"]), r["doc_id"],
                                             r["sentence_id"]))[:cap]
        kept.extend(sub)
    return kept


@dataclass
class Merged:
    """The batches added up: counts by group and the per-document tables, in corpus order."""

    counts: BatchResult
    documents: list
    entities: pd.DataFrame
    claims: pd.DataFrame
    quotes: pd.DataFrame
    frames: pd.DataFrame
    frame_sentences: pd.DataFrame
    evidence_total: pd.DataFrame
    foreign: pd.DataFrame
    concepts: K.ConceptTally
    concept_lines: pd.DataFrame
    coverage: V.Coverage
    groups: GroupTally
    concept_docs: pd.DataFrame | None = None  # hits of each concept per document (periods by concept)


def merge(results, cfg: PassConfig) -> Merged:
    """Add up :class:`BatchResult` objects given in batch order."""
    total = BatchResult()
    docs, ents, cls, qts, frs, ev, foreign, lines, cdocs = [], [], [], [], [], [], [], [], []
    tally, cov, groups = K.ConceptTally(), V.Coverage(), GroupTally()
    for r in results:
        groups.update(r.groups)
        total.n_docs.update(r.n_docs)
        for name in ("word_total", "bigram_total", "evidence_total"):
            getattr(total, name).update(getattr(r, name))
        for name in ("words", "word_docs", "bigrams", "bigram_docs"):
            mine = getattr(total, name)
            for g, c in getattr(r, name).items():
                if g in mine:
                    mine[g].update(c)
                else:
                    mine[g] = c
        for g, seen in r.stopwords_seen.items():
            total.stopwords_seen.setdefault(g, set()).update(seen)
        docs.extend(r.documents)
        if r.entities:
            ents.append(E.entities_frame(r.entities))
        if r.claims:
            cls.append(C.claims_frame(r.claims))
        if r.quotes:
            qts.append(Q.quotes_frame(r.quotes))
        frs.extend(r.frames)
        ev.extend(r.evidence)
        foreign.extend(r.foreign)
        lines.extend(r.concept_lines)
        cdocs.extend(r.concept_docs)
        tally = tally + r.concepts
        cov.add(r.coverage)
    ev = cap_evidence(ev, cfg.evidence_cap)
    order = {d["doc_id"]: i for i, d in enumerate(docs)}
    rank = {fid: k for k, (fid, _) in enumerate(_Extractors.for_config(cfg).frames)}
    ev.sort(key=lambda r: (order.get(r["doc_id"], 0), r["sentence_id"], rank.get(r["frame"], 0)))
    evidence = F.sentences_frame(ev).assign(language=[r["language"] for r in ev]) if ev else \
        F.sentences_frame([]).assign(language=pd.Series([], dtype="str"))
    totals = pd.DataFrame([{"frame": f, "group": g, "language": lang, "n_sentences": n}
                           for (f, g, lang), n in sorted(total.evidence_total.items())],
                          columns=["frame", "group", "language", "n_sentences"])
    return Merged(
        counts=total,
        documents=docs,
        entities=pd.concat(ents, ignore_index=True) if ents else E.entities_frame([]),
        claims=pd.concat(cls, ignore_index=True) if cls else C.claims_frame([]),
        quotes=pd.concat(qts, ignore_index=True) if qts else Q.quotes_frame([]),
        frames=F.shares_frame(frs),
        frame_sentences=evidence,
        evidence_total=totals,
        foreign=foreign_table(foreign),
        concepts=tally,
        concept_lines=_lines_frame(cap_lines(lines)),
        coverage=cov,
        concept_docs=K.documents_frame(cdocs),
        groups=groups,
    )


def _lines_frame(rows: list[dict]) -> pd.DataFrame:
    cols = ["concept", "group", "language", "rank", "doc_id", "sentence_id", "term", "left", "match", "right"]
    rows = sorted(rows, key=lambda r: (r["concept"], r["language"], r["group"], r["doc_id"], r["start"]))
    rank: Counter = Counter()
    for r in rows:
        rank[(r["concept"], r["group"], r["language"])] += 1
        r["rank"] = rank[(r["concept"], r["group"], r["language"])]
    return pd.DataFrame(rows, columns=cols).astype({"rank": "int64", "sentence_id": "int64"})
