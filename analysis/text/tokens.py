"""Tokenization by one regular expression, French first, English too.

Rules (each tested on the seed texts in ``tests/test_tokens.py``); text is NFC and ``’`` counts as ``'``:

- **url**: ``http(s)://...`` or ``www....``, trailing punctuation left out;
- **hashtag** ``#shit`` and **handle** ``@dea`` (a ``@`` inside a word, as in an e-mail address, is not one);
- **percent**: a number then ``%``, with or without a space (``90 %``, ``100%``);
- **number**: digits with thousands groups separated by a space, a no-break space (U+00A0) or a narrow
  no-break space (U+202F) are ONE token (``91 000``; its ``norm`` drops the separators: ``91000``), decimals
  with a comma or a point (``2,5``, ``2.0``, ``1,500``). A number glued to letters is a word (``1er``, ``4e``);
- **elision** (French): ``l' d' qu' n' s' j' c' m' t' jusqu' lorsqu' puisqu' quoiqu'`` at the start of a word
  and before a letter (or an opening quote then a letter) are tokens of their own (``l'opération`` ->
  ``l'`` + ``opération``; ``L’«Opération`` -> ``l'`` + ``«`` + ``opération``);
- **word**: letters and digits, hyphenated words kept whole (``Saint-Étienne``, ``peut-être``,
  ``assure-t-il``) and word-inner apostrophes kept (``aujourd'hui``). English contractions and possessives
  therefore stay whole (``don't``, ``it's``, ``attorney's``): the English stop word list holds the
  contractions and the English Snowball stemmer strips a possessive ``'s`` in ``norm``. The elision rule is
  the same in English texts (it fires only on a word *starting* with ``l'``, ``d'``..., as in ``d'Artagnan``);
- **emoji**: one pictograph with its modifiers and zero-width-joiner sequence;
- **punct**: any other single non-space character.

``token`` is the lowercased surface (accents kept, ``’`` -> ``'``); ``norm`` is the Snowball stem of the
document's language for words (NLTK ``SnowballStemmer``, a stem rather than a lemma: offline, fast and
reproducible), the separator-free form for numbers and percentages, the token otherwise.

The pattern is built once, here (:data:`TOKEN_RE`, and :data:`COUNTED_RE` = the same without punctuation),
and used both by :func:`tokenize` (one row per token) and by the fast counting path of
:mod:`analysis.counts`, so both find the same tokens.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from functools import lru_cache

import pandas as pd

from analysis.errors import ParameterError
from analysis.text.sentences import sentence_spans
from analysis.text.stopwords import get_stopwords

KINDS = ("word", "number", "percent", "hashtag", "handle", "url", "emoji", "punct", "elision")
ELISIONS = ("jusqu'", "lorsqu'", "puisqu'", "quoiqu'", "qu'", "l'", "d'", "n'", "s'", "j'", "c'", "m'", "t'")
THOUSANDS_SEPARATORS = " \u00a0\u202f"

_SEP = "[ \u00a0\u202f]"
_ALNUM = r"[^\W_]"
_LETTER = r"[^\W\d_]"
_EMOJI_CHAR = "[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u2300-\u23FF]"
_EMOJI_MOD = "(?:\uFE0F|[\U0001F3FB-\U0001F3FF]|\u20E3)*"
# Alternatives in order of priority, the commonest (words) early for speed; non-capturing groups only (the
# fast path uses findall, and the benchmark hands the same pattern to CountVectorizer). Python's ``re``
# engine: the same as scikit-learn's and NLTK's, so their counts with this pattern are ours exactly.
PATTERN_PARTS = {
    "url": r"(?:https?://|www\.)[^\s<>\"'«»“”]*[^\s<>\"'«»“”.,;:!?)\]]",
    "elision": rf"(?:jusqu|lorsqu|puisqu|quoiqu|qu|[ldnsjcmt])'(?=(?:[«“\"]{_SEP}*)?{_LETTER})",
    "word": rf"{_LETTER}[^\W_]*(?:[-'][^\W_]+)*",
    "hashtag": r"\#\w+",
    "handle": r"@(?<!\w@)\w+",
    "percent": rf"(?:\d{{1,3}}(?:{_SEP}\d{{3}})+(?!\d)(?:,\d+)?|\d+(?:[.,]\d+)*){_SEP}?%",
    "number": rf"\d{{1,3}}(?:{_SEP}\d{{3}})+(?!\d)(?:,\d+)?(?![^\W_])|\d+(?:[.,]\d+)*+(?![^\W_])",
    "digit_word": r"\d[^\W_]*(?:[-'][^\W_]+)*",
    "emoji": rf"{_EMOJI_CHAR}{_EMOJI_MOD}(?:\u200D{_EMOJI_CHAR}{_EMOJI_MOD})*",
    "punct": r"[^\w\s]|_",
}
# The leading (?=\S) changes no match (no alternative starts with a space) but lets the engine skip white
# space fast: it halves the time of findall (measured on the 8,635 US press releases).
_ALTERNATIVES = "|".join(v for k, v in PATTERN_PARTS.items() if k != "punct")
COUNTED_PATTERN = rf"(?=\S)(?:{_ALTERNATIVES})"
TOKEN_PATTERN = rf"(?=\S)(?:{_ALTERNATIVES}|{PATTERN_PARTS['punct']})"
TOKEN_RE = re.compile(TOKEN_PATTERN)
COUNTED_RE = re.compile(COUNTED_PATTERN)
# for the rare text whose lowercase form changes length (offsets would shift): match the original text
TOKEN_RE_CI = re.compile(TOKEN_PATTERN, re.IGNORECASE)
COUNTED_RE_CI = re.compile(COUNTED_PATTERN, re.IGNORECASE)
_EMOJI_START = re.compile(_EMOJI_CHAR)
_NUMBER_FULL = re.compile(rf"(?:{PATTERN_PARTS['number']})\Z")

COLUMNS = ["doc_id", "group", "sentence_id", "position", "start", "end", "token", "norm", "kind",
           "is_stopword", "is_punct"]


def prepare(text: str) -> str:
    """The form in which tokens are read: NFC, lowercase, ``’`` as ``'``. Same length as ``text`` unless
    lowercasing changes a character's length (see :func:`tokenize`)."""
    return unicodedata.normalize("NFC", text).lower().replace("\u2019", "'")


def find_tokens(text: str) -> list[str]:
    """Counted tokens (every kind but punctuation) of ``text``, lowercased: the fast path's unit of work."""
    return COUNTED_RE.findall(prepare(text))


@lru_cache(maxsize=200_000)
def token_kind(token: str) -> str:
    """The kind of a token found by :data:`TOKEN_RE` (lowercased)."""
    c = token[0]
    if token.startswith(("http://", "https://", "www.")) and len(token) > 4:
        return "url"
    if c == "#" and len(token) > 1:
        return "hashtag"
    if c == "@" and len(token) > 1:
        return "handle"
    if token.endswith("%") and len(token) > 1:
        return "percent"
    if c.isdigit() and _NUMBER_FULL.match(token):
        return "number"
    if token.endswith("'") and token in ELISIONS:
        return "elision"
    if c.isalnum():
        return "word"
    if _EMOJI_START.match(c):
        return "emoji"
    return "punct"


def strip_separators(token: str) -> str:
    """``91 000`` -> ``91000``, ``90 %`` -> ``90%``: thousands separators and the space before % dropped."""
    return token.translate(_NO_SEP)


_NO_SEP = {ord(c): None for c in THOUSANDS_SEPARATORS}


@lru_cache(maxsize=8)
def stemmer(language: str):
    from analysis.text.nltk_import import load

    load()  # see analysis.nltk_import
    from nltk.stem.snowball import SnowballStemmer

    return SnowballStemmer({"fr": "french", "en": "english"}[language])


def make_normalizer(language: str):
    """A function token -> norm for ``language``, caching stems per type."""
    stem = stemmer(language).stem
    cache: dict[str, str] = {}

    def norm(token: str, kind: str) -> str:
        out = cache.get(token)
        if out is None:
            if kind == "word":
                out = stem(token)
            elif kind in ("number", "percent"):
                out = strip_separators(token)
            else:
                out = token
            cache[token] = out
        return out

    return norm


_NORMALIZERS: dict[str, object] = {}


def _normalizer(language: str):
    if language not in _NORMALIZERS:
        _NORMALIZERS[language] = make_normalizer(language)
    return _NORMALIZERS[language]


def check_language(language: str) -> str:
    lang = str(language).strip().lower()
    if lang not in ("auto", "fr", "en"):
        raise ParameterError("language", f"unknown language {language!r}", "auto, fr, en")
    return lang


def declared_language(value) -> str | None:
    """'fr' or 'en' from a metadata cell ("fr", "FR", "fr-FR", "French", "english"), else None."""
    if not isinstance(value, str):
        return None
    v = value.strip().lower()[:2]
    return v if v in ("fr", "en") else None


def guess_language(text: str) -> str:
    """'fr' or 'en' for a text, by the share of its first 20,000 characters' words that are French or English
    stop words; a tie (no stop word at all) gives 'fr', the kit's first language."""
    words = COUNTED_RE.findall(prepare(text[:20_000]))
    fr, en = get_stopwords("fr"), get_stopwords("en")
    n_fr = sum(1 for w in words if w in fr)
    n_en = sum(1 for w in words if w in en)
    return "en" if n_en > n_fr else "fr"


def language_of(record, language: str) -> str:
    """The language of one document (a dict or a row with ``text`` and maybe ``language``)."""
    if language != "auto":
        return language
    get = record.get if isinstance(record, dict) else (lambda k, d=None: getattr(record, k, d))
    return declared_language(get("language")) or guess_language(get("text") or "")


def document_languages(docs: pd.DataFrame, language: str = "auto") -> pd.Series:
    """The language ('fr' or 'en') of each document, indexed by doc_id: ``language`` itself unless "auto";
    with "auto", the document's ``language`` column when it says fr or en, else a guess from stop words."""
    language = check_language(language)
    has_lang = "language" in docs.columns
    out = []
    for doc_id, text, lang in zip(docs["doc_id"], docs["text"],
                                  docs["language"] if has_lang else [None] * len(docs)):
        if language == "auto" and not declared_language(lang) and not isinstance(text, str):
            raise ParameterError("docs", f"document {doc_id!r} has no text (found {type(text).__name__})")
        out.append(language if language != "auto" else (declared_language(lang) or guess_language(text)))
    return pd.Series(out, index=pd.Index(docs["doc_id"], name="doc_id"), name="language", dtype=object)


def iter_tokens(text: str):
    """(start, end, token) of every token of ``text`` (punctuation included), offsets into ``text``."""
    low = prepare(text)
    if len(low) == len(text):
        for m in TOKEN_RE.finditer(low):
            yield m.start(), m.end(), m.group()
    else:
        src = unicodedata.normalize("NFC", text).replace("\u2019", "'")
        for m in TOKEN_RE_CI.finditer(src):
            yield m.start(), m.end(), m.group().lower()


def tokenize(docs: pd.DataFrame, language: str = "auto", stopwords=None, group_col: str | None = "group"
             ) -> pd.DataFrame:
    """One row per token of every document (see the module docstring for the rules).

    Columns: ``doc_id``, ``group`` (named ``group_col``, when the documents have it), ``sentence_id``
    (0-based, from :func:`analysis.sentences.sentence_spans`, so it agrees with ``split_sentences``),
    ``position`` (0-based within the document, punctuation included), ``start``, ``end`` (``text[start:end]``
    is the surface), ``token``, ``norm``, ``kind``, ``is_stopword``, ``is_punct``.

    ``stopwords``: None for the shipped list of each document's language, or a collection of words used for
    every document. ``language``: "fr", "en" or "auto" (see :func:`document_languages`).
    """
    language = check_language(language)
    if "text" not in docs.columns or "doc_id" not in docs.columns:
        raise ParameterError("docs", "needs the columns doc_id and text (as load_corpus gives)")
    has_group = group_col is not None and group_col in docs.columns
    langs = document_languages(docs, language).to_numpy()
    fixed_stop = None if stopwords is None else frozenset(str(w).lower().replace("\u2019", "'") for w in stopwords)
    cols: dict[str, list] = {c: [] for c in COLUMNS}
    groups = docs[group_col].tolist() if has_group else [None] * len(docs)
    for doc_id, text, group, lang in zip(docs["doc_id"].tolist(), docs["text"].tolist(), groups, langs):
        if not isinstance(text, str):
            raise ParameterError("docs", f"document {doc_id!r} has no text (found {type(text).__name__})")
        stop = fixed_stop if fixed_stop is not None else get_stopwords(lang)
        norm = _normalizer(lang)
        spans = sentence_spans(text)
        starts = [s for s, _ in spans]
        n0 = len(cols["token"])
        for pos, (s, e, tok) in enumerate(iter_tokens(text)):
            kind = token_kind(tok)
            cols["sentence_id"].append(max(bisect_right(starts, s) - 1, 0))
            cols["position"].append(pos)
            cols["start"].append(s)
            cols["end"].append(e)
            cols["token"].append(tok)
            cols["norm"].append(norm(tok, kind))
            cols["kind"].append(kind)
            cols["is_stopword"].append(tok in stop)
            cols["is_punct"].append(kind == "punct")
        n = len(cols["token"]) - n0
        cols["doc_id"].extend([doc_id] * n)
        cols["group"].extend([group] * n)
    if not has_group:
        del cols["group"]
    frame = pd.DataFrame(cols)
    for c in ("sentence_id", "position", "start", "end"):
        frame[c] = frame[c].astype("int64")
    for c in ("is_stopword", "is_punct"):
        frame[c] = frame[c].astype(bool)
    if has_group and group_col != "group":
        frame = frame.rename(columns={"group": group_col})
    return frame
