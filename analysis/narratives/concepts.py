"""Concepts: what a text talks about, in English and French alike, found by lemmas.

The concept lexicon is a YAML data file (``analysis/narratives/data/concepts.yaml``, format in
``analysis/narratives/data/README.md``): each concept has a stable ``id``, a ``label``, a ``definition`` and
terms per language (``en``, ``fr``), one word or several. A term is tokenized like the texts
(:mod:`analysis.text.tokens`) and each of its words is matched on lemmas (``simplemma``, offline): a token
matches a term word when the token's form or lemma equals the word's form or lemma, so "seized", "seizes" and
"seizure" meet the terms "seize" and "seizure", "saisies" and "saisi" the terms "saisie" and "saisi". A word
written ``=word`` matches that form only (not its lemma); a word ending in ``*`` matches any token whose form
or lemma starts with it. A multi-word term matches consecutive tokens (punctuation between them is skipped,
sentences are not crossed). ``exclude`` lists phrases per language inside which the concept's terms do not
count ("special agent in charge" is not a charge).

Each concept is matched on its own: within a concept the longest term wins and hits do not overlap; two
concepts may share tokens ("encrypted messaging app" is both encryption and platform).

:func:`concepts_in` gives one row per hit of one parsed document (``ROW_COLUMNS``). Lemmas and matches are
worked out once per token type and language and kept (:class:`Lexicon` caches them), since a corpus repeats
its types. :func:`scan` also returns the document's content tokens (word tokens that are not stop words),
which the coverage of :mod:`analysis.stats.coverage` needs. :class:`ConceptTally` adds hits up per group and
language across documents and batches; :func:`concept_counts` turns it into a frequency table shaped like
those of :mod:`analysis.stats.counts`, so that :func:`analysis.stats.keyness.keyness` runs on concepts
unchanged. Its ``total`` is the group's **content tokens**: the rate of a concept per 10,000 content words
does not depend on how many function words a language needs. :func:`concept_concordance` gives KWIC lines of
each concept per group and language.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.corpus.datafiles import load_yaml_list
from analysis.errors import AnalysisError, ParameterError
from analysis.narratives.entities import DATA
from analysis.text.parse import ParsedDocument
from analysis.text.stopwords import get_stopwords, normalize_word
from analysis.text.tokens import COUNTED_RE, COUNTED_RE_CI, declared_language, guess_language, prepare, token_kind

CONCEPTS = DATA / "concepts.yaml"
LANGUAGES = ("en", "fr")
ROW_COLUMNS = ["doc_id", "group", "language", "sentence_id", "concept", "term", "start", "end"]
TERM_COLUMNS = ["concept", "label", "definition", "terms_en", "terms_fr", "n_terms_en", "n_terms_fr",
                "one_language"]
COUNT_COLUMNS = ["group", "term", "count", "per_10k", "docs", "n_docs", "total"]
KWIC_COLUMNS = ["concept", "group", "language", "rank", "doc_id", "sentence_id", "term", "left", "match", "right"]
_ID = re.compile(r"[a-z0-9_]+")


# ------------------------------------------------------------------------------------------------ lemmas

_LEMMAS: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}


def lemma(word: str, language: str) -> str:
    """The lemma of a lowercased token (simplemma's dictionary for ``language``), lowercased; cached."""
    cache = _LEMMAS[language]
    out = cache.get(word)
    if out is None:
        from simplemma import lemmatize

        out = cache[word] = lemmatize(word, lang=language).lower()
    return out


def _word_tokens(text: str) -> list[str]:
    """Counted tokens of a lexicon phrase, as the texts are tokenized (lowercase, NFC, ``'``)."""
    return COUNTED_RE.findall(prepare(text))


# ------------------------------------------------------------------------------------------------ lexicon

@dataclass(frozen=True, slots=True)
class _Term:
    concept: int          # index of the concept in the lexicon
    words: tuple          # spec ids, one per word
    text: str             # the term as written in the lexicon
    exclusion: bool


class _Language:
    """The compiled terms of one language: which term words a token type meets, and terms by first word."""

    def __init__(self, language: str, terms: list[tuple[int, str, bool]], stop: frozenset):
        self.language = language
        self.stop = stop
        self.exact: dict[str, set[str]] = {}     # token form or lemma -> spec ids it meets
        self.forms: dict[str, set[str]] = {}     # token form -> spec ids of =word (form-only) words
        self.prefixes: list[tuple[str, str]] = []  # (prefix, spec id)
        self.first: dict[str, list[_Term]] = {}
        self.types: dict[str, tuple] = {}  # token type -> what info() says of it
        for concept, text, exclusion in terms:
            specs = []
            for piece in text.split():
                star, form_only = piece.endswith("*"), piece.startswith("=")
                words = _word_tokens(piece.strip("=*"))
                if not words:
                    continue
                for k, w in enumerate(words):
                    last = k == len(words) - 1
                    if star and last:
                        spec = w + "*"
                        if (w, spec) not in self.prefixes:
                            self.prefixes.append((w, spec))
                    elif form_only:
                        spec = "=" + w
                        self.forms.setdefault(w, set()).add(spec)
                    else:
                        spec = w
                        for key in {w, lemma(w, language)}:
                            self.exact.setdefault(key, set()).add(spec)
                    specs.append(spec)
            term = _Term(concept, tuple(specs), text, exclusion)
            self.first.setdefault(specs[0], []).append(term)
        for lst in self.first.values():  # longest first, then as written
            lst.sort(key=lambda t: (-len(t.words), t.text))

    def info(self, token: str) -> tuple[str, bool, frozenset, tuple, frozenset, int]:
        """(lemma, is a content token, term-word specs met, terms that may start here, the second words of
        those of several words, where those of one word begin) of a token type, worked out once; the terms are
        sorted longest first, then as written."""
        out = self.types.get(token)
        if out is None:
            lem = lemma(token, self.language) if token_kind(token) == "word" else token
            content = token_kind(token) == "word" and token not in self.stop
            specs = set(self.exact.get(token, ()))
            specs.update(self.exact.get(lem, ()))
            specs.update(self.forms.get(token, ()))
            for p, spec in self.prefixes:
                if token.startswith(p) or lem.startswith(p):
                    specs.add(spec)
            starts = sorted({t for spec in specs for t in self.first.get(spec, ())},
                            key=lambda t: (-len(t.words), t.text, t.exclusion))
            single = next((k for k, t in enumerate(starts) if len(t.words) == 1), len(starts))
            out = self.types[token] = (lem, content, frozenset(specs), tuple(starts),
                                       frozenset(t.words[1] for t in starts[:single]), single)
        return out


@dataclass
class Lexicon:
    """A loaded concept lexicon: ``table`` (one row per concept: concept, label, definition, terms_en, terms_fr,
    exclude_en, exclude_fr as tuples) and the compiled matchers of each language (built on first use)."""

    table: pd.DataFrame
    path: str = ""
    _compiled: dict = field(default_factory=dict, repr=False)

    @property
    def ids(self) -> list[str]:
        return self.table["concept"].tolist()

    def compiled(self, language: str, stopwords: frozenset | None = None) -> _Language:
        """The matcher of ``language``; ``stopwords`` (None: the shipped list) decide the content tokens."""
        lang = self._compiled.get((language, stopwords))
        if lang is None:
            terms = []
            for k, row in enumerate(self.table.itertuples()):
                terms += [(k, t, False) for t in getattr(row, f"terms_{language}")]
                terms += [(k, t, True) for t in getattr(row, f"exclude_{language}")]
            stop = get_stopwords(language) if stopwords is None else stopwords
            lang = self._compiled[(language, stopwords)] = _Language(language, terms, stop)
        return lang

    def __deepcopy__(self, memo) -> "Lexicon":
        """The lexicon itself: it is read-only once loaded, and its matchers memoise every token type met.
        pandas deep-copies ``DataFrame.attrs`` on every column access of the frames table that carries it."""
        return self


def _strings(value, where: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise AnalysisError(f"{where}: '{key}' must be a list of words or phrases")
    out = []
    for t in value:
        if not isinstance(t, (str, int)) or isinstance(t, bool):
            raise AnalysisError(f"{where}: '{key}' holds {t!r}, which is not a word or phrase")
        text = unicodedata.normalize("NFC", str(t)).strip()
        if not _word_tokens(text.replace("*", " ").replace("=", " ")):
            raise AnalysisError(f"{where}: '{key}' holds {t!r}, which has no word")
        out.append(text)
    return tuple(out)


def load_concepts(path: str | Path | None = None) -> Lexicon:
    """The concept lexicon of ``path`` (None: the kit's ``concepts.yaml``). Raises AnalysisError naming the file
    and the concept at fault (id, duplicate, terms that are not a list of phrases, an unknown key)."""
    path = Path(path) if path else CONCEPTS
    data = load_yaml_list(path, "concepts", "analysis/narratives/data/concepts.yaml",
                          "concepts (id, label, definition, en, fr)", allow_empty=False)
    rows, seen = [], set()
    known = {"id", "label", "definition", "en", "fr", "exclude"}
    for i, c in enumerate(data, start=1):
        where = f"{path}, concept {i}"
        if not isinstance(c, dict):
            raise AnalysisError(f"{where}: each concept must be a mapping with id, label, definition, en, fr")
        cid = c.get("id")
        if not isinstance(cid, str) or not _ID.fullmatch(cid):
            raise AnalysisError(f"{where}: 'id' must be lowercase letters, digits or _ (got {cid!r})")
        where = f"{where} ({cid})"
        if cid in seen:
            raise AnalysisError(f"{where}: duplicate id {cid!r}")
        seen.add(cid)
        unknown = sorted(set(c) - known)
        if unknown:
            raise AnalysisError(f"{where}: unknown key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(known))})")
        terms = {lang: _strings(c.get(lang), where, lang) for lang in LANGUAGES}
        if not any(terms.values()):
            raise AnalysisError(f"{where}: give terms under 'en' and/or 'fr'")
        exclude = c.get("exclude") or {}
        if not isinstance(exclude, dict) or set(exclude) - set(LANGUAGES):
            raise AnalysisError(f"{where}: 'exclude' must map en and/or fr to lists of phrases")
        rows.append({"concept": cid, "label": str(c.get("label") or cid), "definition": str(c.get("definition") or ""),
                     "terms_en": terms["en"], "terms_fr": terms["fr"],
                     "exclude_en": _strings(exclude.get("en"), where, "exclude: en"),
                     "exclude_fr": _strings(exclude.get("fr"), where, "exclude: fr")})
    table = pd.DataFrame(rows, columns=["concept", "label", "definition", "terms_en", "terms_fr", "exclude_en",
                                        "exclude_fr"])
    return Lexicon(table, str(path))


@lru_cache(maxsize=8)
def _cached(path: str, mtime: float) -> Lexicon:
    return load_concepts(path)


def concept_lexicon(lexicon=None) -> Lexicon:
    """A :class:`Lexicon` from None (the kit's file), a path, or a Lexicon (returned as it is). Loading a file
    is cached per path and modification time, so compiled matchers and their type caches are reused."""
    if isinstance(lexicon, Lexicon):
        return lexicon
    p = Path(lexicon) if lexicon else CONCEPTS
    if not p.is_file():
        raise ParameterError("concepts", f"no such file: {p}", "a YAML file like analysis/narratives/data/concepts.yaml")
    return _cached(str(p), p.stat().st_mtime)


def concept_terms(lexicon=None) -> pd.DataFrame:
    """Each concept's terms in both languages (``TERM_COLUMNS``): terms joined by "; ", their numbers, and
    ``one_language`` True when a concept has terms in one language only (it cannot be compared across)."""
    lex = concept_lexicon(lexicon).table
    out = pd.DataFrame({
        "concept": lex["concept"], "label": lex["label"], "definition": lex["definition"],
        "terms_en": ["; ".join(t) for t in lex["terms_en"]], "terms_fr": ["; ".join(t) for t in lex["terms_fr"]],
        "n_terms_en": [len(t) for t in lex["terms_en"]], "n_terms_fr": [len(t) for t in lex["terms_fr"]],
    })
    out["one_language"] = (out["n_terms_en"] == 0) | (out["n_terms_fr"] == 0)
    return out.astype({"n_terms_en": "int64", "n_terms_fr": "int64", "one_language": bool})[TERM_COLUMNS]


def one_language_concepts(lexicon=None) -> list[str]:
    """Ids of the concepts that have terms in one language only."""
    t = concept_terms(lexicon)
    return t.loc[t["one_language"], "concept"].tolist()


# ------------------------------------------------------------------------------------------------ matching

def document_language(doc: ParsedDocument) -> str:
    """'en' or 'fr': the document's declared language, else a guess from its stop words."""
    return declared_language(doc.language) or guess_language(doc.text)


@dataclass(slots=True)
class ConceptScan:
    """What :func:`scan` finds in one document: the hit ``rows`` (``ROW_COLUMNS``), the document's
    ``language``, its number of sentences, its ``content`` tokens as (sentence_id, start, end, lemma), and the
    counted tokens of each sentence (``tokens``: what :func:`analysis.stats.counts.sentence_tokens` gives)."""

    rows: list[dict]
    language: str
    n_sentences: int
    content: list[tuple[int, int, int, str]]
    tokens: list[list[str]] = field(default_factory=list)


def _sentence_hits(forms: list[str], infos: list) -> list[tuple[int, int, int, str]]:
    """(concept index, first token, end token, term) of the hits of one sentence's tokens (``forms``, and
    their :meth:`_Language.info`). Per concept: the longest term, then the one whose words are the tokens' own
    forms, then the first as written; hits of a concept do not overlap; exclusions are dropped at the end."""
    hits: list[tuple[int, int, int, str]] = []
    excluded: dict[int, list[tuple[int, int]]] = {}
    free: dict[int, int] = {}
    n = len(infos)
    for i in [k for k, inf in enumerate(infos) if inf[3]]:
        best: dict[int, _Term] = {}
        _, _, _, starts, seconds, single = infos[i]
        if single and (i + 1 >= n or seconds.isdisjoint(infos[i + 1][2])):
            starts = starts[single:]  # no term of several words can match here
        for term in starts:
            words = term.words
            m = len(words)
            if m > 1:
                if i + m > n or words[1] not in infos[i + 1][2]:
                    continue
                if m > 2 and any(words[k] not in infos[i + k][2] for k in range(2, m)):
                    continue
            c = term.concept
            if term.exclusion:
                excluded.setdefault(c, []).append((i, i + m))
                continue
            if free.get(c, 0) > i:
                continue
            old = best.get(c)
            if old is None:
                best[c] = term
            elif len(old.words) == m and _exact(term, forms, i) > _exact(old, forms, i):
                best[c] = term
        for c, term in best.items():
            hits.append((c, i, i + len(term.words), term.text))
            free[c] = i + len(term.words)
    if excluded:
        hits = [h for h in hits if not any(a <= h[1] and h[2] <= b for a, b in excluded.get(h[0], ()))]
    return hits


def _exact(term: _Term, forms: list[str], i: int) -> int:
    """How many of a term's words are the very forms of the tokens from ``i``."""
    return sum(w.lstrip("=") == forms[i + k] for k, w in enumerate(term.words))


def _normalized(stopwords) -> frozenset:
    return frozenset(normalize_word(str(w)) for w in stopwords)


_normalized_set = lru_cache(maxsize=64)(_normalized)


def _content_stop(stopwords) -> frozenset | None:
    """The stop words of :func:`scan` normalized (worked out once per set: the pass gives every document of a
    language the same frozenset)."""
    if stopwords is None:
        return None
    return _normalized_set(stopwords) if isinstance(stopwords, frozenset) else _normalized(stopwords)


def scan(doc: ParsedDocument, lexicon=None, stopwords=None) -> ConceptScan:
    """The concept hits and content tokens of one parsed document (see the module docstring). ``stopwords``:
    the words that are not content tokens (None: the shipped list of the document's language; the report's
    ``stopwords``/``extra_stopwords`` otherwise); they change coverage, never the hits."""
    lex = concept_lexicon(lexicon)
    language = document_language(doc)
    lang = lex.compiled(language, _content_stop(stopwords))
    ids = lex.ids
    text = doc.text
    low = prepare(text)
    if len(low) == len(text):
        src, rx, lower = low, COUNTED_RE, False
    else:  # lowercasing changed the length: match the original text so that offsets stay valid
        src, rx, lower = unicodedata.normalize("NFC", text).replace("\u2019", "'"), COUNTED_RE_CI, True
    get, info = lang.types.get, lang.info
    rows: list[dict] = []
    content: list[tuple[int, int, int, str]] = []
    tokens: list[list[str]] = []
    for sid, (s, e) in enumerate(doc.index.spans):
        ms = list(rx.finditer(src, s, e))
        forms = [m.group().lower() for m in ms] if lower else [m.group() for m in ms]
        tokens.append(forms)
        infos = [get(t) or info(t) for t in forms]
        content += [(sid, m.start(), m.end(), inf[0]) for m, inf in zip(ms, infos) if inf[1]]
        for c, a, b, term in _sentence_hits(forms, infos):
            rows.append({"doc_id": doc.doc_id, "group": doc.group, "language": language, "sentence_id": sid,
                         "concept": ids[c], "term": term, "start": ms[a].start(), "end": ms[b - 1].end()})
    return ConceptScan(rows, language, len(doc.index.spans), content, tokens)


def concepts_in(doc: ParsedDocument, lexicon=None) -> list[dict]:
    """The concept hits of one parsed document: rows of ``ROW_COLUMNS`` (doc_id, group, language, sentence_id,
    concept, term as written in the lexicon, start, end: offsets of the matched words in ``doc.text``)."""
    return scan(doc, lexicon).rows


def hits_frame(rows: Iterable[dict]) -> pd.DataFrame:
    """The concept-hits table (``concepts.csv``) from rows of :func:`concepts_in`."""
    return pd.DataFrame(list(rows), columns=ROW_COLUMNS).astype(
        {"sentence_id": "int64", "start": "int64", "end": "int64"})


def find_concepts(docs: pd.DataFrame, lexicon=None, group_col: str | None = "group") -> pd.DataFrame:
    """One row per concept hit of every document of a corpus table (``ROW_COLUMNS``)."""
    from analysis.text.parse import parse_documents

    lex = concept_lexicon(lexicon)
    return hits_frame(r for doc in parse_documents(docs, group_col) for r in concepts_in(doc, lex))


# ------------------------------------------------------------------------------------------------ counts

@dataclass
class ConceptTally:
    """Concept counts per (group, language), mergeable across documents and batches: ``count`` and ``docs``
    (Counters of concept ids), ``n_docs`` and ``total`` (content tokens) per (group, language)."""

    count: dict = field(default_factory=dict)
    docs: dict = field(default_factory=dict)
    n_docs: Counter = field(default_factory=Counter)
    total: Counter = field(default_factory=Counter)

    def add(self, group: str, language: str, concepts: Iterable[str], content_tokens: int) -> None:
        """Add one document: its group, language, the concept id of each of its hits, its content tokens."""
        key = (str(group), str(language))
        c = list(concepts)
        self.count.setdefault(key, Counter()).update(c)
        self.docs.setdefault(key, Counter()).update(set(c))
        self.n_docs[key] += 1
        self.total[key] += int(content_tokens)

    def add_scan(self, doc: ParsedDocument, found: ConceptScan) -> None:
        """Add one document from its :func:`scan`."""
        self.add(doc.group, found.language, (r["concept"] for r in found.rows), len(found.content))

    def merge(self, other: "ConceptTally") -> "ConceptTally":
        """This tally plus ``other`` (a new tally; neither is changed)."""
        out = ConceptTally()
        for t in (self, other):
            for key, c in t.count.items():
                out.count.setdefault(key, Counter()).update(c)
            for key, c in t.docs.items():
                out.docs.setdefault(key, Counter()).update(c)
            out.n_docs.update(t.n_docs)
            out.total.update(t.total)
        return out

    __add__ = merge


DOCUMENT_COLUMNS = ["doc_id", "concept", "count", "n_content"]


def document_counts(doc_id: str, found: ConceptScan) -> list[tuple]:
    """One row (``DOCUMENT_COLUMNS``) per concept found in a document: its hits and the document's content
    tokens, what the concepts by period of :mod:`analysis.stats.periods` average over documents."""
    n = len(found.content)
    return [(doc_id, c, k, n) for c, k in sorted(Counter(r["concept"] for r in found.rows).items())]


def documents_frame(rows: Iterable[tuple]) -> pd.DataFrame:
    """The table of :func:`document_counts` rows."""
    return pd.DataFrame(list(rows), columns=DOCUMENT_COLUMNS).astype(
        {"doc_id": "str", "concept": "str", "count": "int64", "n_content": "int64"})


def tally(docs: Iterable[ParsedDocument], lexicon=None) -> ConceptTally:
    """The :class:`ConceptTally` of parsed documents."""
    lex = concept_lexicon(lexicon)
    out = ConceptTally()
    for doc in docs:
        out.add_scan(doc, scan(doc, lex))
    return out


def concept_counts(counts: ConceptTally, by_language: bool = False, group_col: str = "group") -> pd.DataFrame:
    """The frequency table of concepts, shaped like :mod:`analysis.stats.counts` tables: ``group``, ``term``
    (the concept id), ``count``, ``per_10k``, ``docs``, ``n_docs``, ``total`` (content tokens), so that
    ``analysis.stats.keyness.keyness`` runs on it unchanged. ``by_language``: one row per group, language and
    concept (a ``language`` column after the group); otherwise languages are pooled within each group.
    Concepts never found in a group have no row (as in the word tables)."""
    if not isinstance(counts, ConceptTally):
        raise ParameterError("counts", f"expected a ConceptTally, got {type(counts).__name__}")

    def unit(key):
        return key if by_language else key[0]

    count, docs, n_docs, total = {}, {}, Counter(), Counter()
    for key, c in counts.count.items():
        count.setdefault(unit(key), Counter()).update(c)
        docs.setdefault(unit(key), Counter()).update(counts.docs.get(key, Counter()))
    for key, n in counts.n_docs.items():
        n_docs[unit(key)] += n
        total[unit(key)] += counts.total[key]
    recs = [(u, t, k, docs[u][t]) for u, c in count.items() for t, k in c.items() if k]
    units = [r[0] for r in recs]
    frame = pd.DataFrame({
        "group": pd.array([u[0] if by_language else u for u in units], dtype="str"),
        "term": pd.array([r[1] for r in recs], dtype="str"),
        "count": np.asarray([r[2] for r in recs], dtype="int64"),
        "docs": np.asarray([r[3] for r in recs], dtype="int64"),
        "n_docs": np.asarray([n_docs[u] for u in units], dtype="int64"),
        "total": np.asarray([total[u] for u in units], dtype="int64"),
    })
    frame.insert(3, "per_10k", frame["count"].to_numpy() * 10_000 / np.maximum(frame["total"].to_numpy(), 1))
    sort = ["group", "count", "term"]
    if by_language:
        frame.insert(1, "language", pd.array([u[1] for u in units], dtype="str"))
        sort = ["group", "language", "count", "term"]
    frame = frame.sort_values(sort, ascending=[True] * (len(sort) - 2) + [False, True], kind="stable",
                              ignore_index=True)
    return frame.rename(columns={"group": group_col}) if group_col != "group" else frame


# ------------------------------------------------------------------------------------------------ concordance

def _context(text: str, start: int, end: int, window: int) -> tuple[str, str]:
    """``window`` counted tokens of ``text`` left of ``start`` and right of ``end``, as written (one line)."""
    left_text = text[max(0, start - 40 * window):start]
    toks = list(COUNTED_RE_CI.finditer(left_text))
    left = left_text[toks[-window].start():] if len(toks) >= window else left_text
    right_text = text[end:end + 40 * window]
    toks = list(COUNTED_RE_CI.finditer(right_text))
    right = right_text[:toks[window - 1].end()] if len(toks) >= window else right_text
    return " ".join(left.split()), " ".join(right.split())


def concept_concordance(hits: pd.DataFrame, texts: Mapping[str, str] | pd.DataFrame, per_cell: int = 5,
                        window: int = 8, concepts: Iterable[str] | None = None) -> pd.DataFrame:
    """KWIC lines of each concept per group and language (``KWIC_COLUMNS``), at most ``per_cell`` of each
    (concept, group, language): first the first hit of as many documents as possible (in doc_id order), then
    second hits, so the lines spread over documents. ``texts``: doc_id -> text, or a corpus table with doc_id
    and text. ``rank`` numbers the lines of a cell from 1, so that :func:`concordance_side_by_side` can set the
    languages next to each other."""
    if not isinstance(per_cell, int) or per_cell < 1:
        raise ParameterError("per_cell", f"must be a positive integer, got {per_cell!r}")
    if not isinstance(window, int) or window < 1:
        raise ParameterError("window", f"must be a positive integer, got {window!r}")
    missing = sorted(set(ROW_COLUMNS) - set(hits.columns))
    if missing:
        raise ParameterError("hits", f"the concept-hits table lacks {', '.join(missing)} (give concepts_in rows)")
    if isinstance(texts, pd.DataFrame):
        texts = dict(zip(texts["doc_id"].astype(str), texts["text"]))
    h = hits if concepts is None else hits[hits["concept"].isin(list(concepts))]
    h = h.sort_values(["concept", "group", "language", "doc_id", "start"], kind="stable")
    h = h.assign(_nth=h.groupby(["concept", "group", "language", "doc_id"]).cumcount())
    h = h.sort_values(["concept", "group", "language", "_nth", "doc_id", "start"], kind="stable")
    h = h.groupby(["concept", "group", "language"], sort=False).head(per_cell)
    rows = []
    rank: Counter = Counter()
    for r in h.itertuples(index=False):
        text = texts.get(str(r.doc_id))
        if text is None:
            raise ParameterError("texts", f"no text for document {r.doc_id!r}")
        left, right = _context(text, int(r.start), int(r.end), window)
        key = (r.concept, r.group, r.language)
        rank[key] += 1
        rows.append({"concept": r.concept, "group": r.group, "language": r.language, "rank": rank[key],
                     "doc_id": r.doc_id, "sentence_id": int(r.sentence_id), "term": r.term, "left": left,
                     "match": " ".join(text[int(r.start):int(r.end)].split()), "right": right})
    return pd.DataFrame(rows, columns=KWIC_COLUMNS).astype({"rank": "int64", "sentence_id": "int64"})


def concordance_side_by_side(kwic: pd.DataFrame) -> pd.DataFrame:
    """The lines of :func:`concept_concordance` side by side: one row per (concept, rank), one column per
    group and language ("doj (en)", "france (fr)"...) holding "left [match] right", empty where a cell has
    fewer lines. Columns are ordered by language (en, fr), then group."""
    line = (kwic["left"] + " [" + kwic["match"] + "] " + kwic["right"]).str.strip()
    cell = kwic["group"].astype(str) + " (" + kwic["language"].astype(str) + ")"
    wide = kwic.assign(line=line, cell=cell).pivot_table(index=["concept", "rank"], columns="cell", values="line",
                                                         aggfunc="first")
    order = (kwic.drop_duplicates(["group", "language"]).sort_values(["language", "group"]))
    cols = [f"{g} ({lang})" for g, lang in zip(order["group"], order["language"])]
    wide = wide.reindex(columns=cols).fillna("").reset_index()
    wide.columns.name = None
    return wide[["concept", "rank", *cols]]
