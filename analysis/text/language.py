"""The language of each paragraph of a document, and of a whole document, offline.

Scraped releases mix languages: an English page carries a Spanish or Vietnamese translation notice, a French one
a block in English. :func:`foreign_spans` finds the paragraphs written in another language than the document's
(so that they are left out of that language's word counts); :func:`document_language` guesses a document's
language (for ``language: auto``) from the letters of its paragraphs rather than from stop words.

The identifier is py3langid (a naive Bayes model over byte n-grams, shipped inside the wheel:
``py3langid/data/model.npz.xz``; nothing is downloaded), restricted to :data:`LANGUAGES`: the kit's languages
and those of the translation notices and quotations found on US and French official sites. A *paragraph* is a
line (scraped pages hold one paragraph a line; a blank line is no paragraph).

Rules:

- a paragraph with fewer than :data:`MIN_LETTERS` letters (a CJK, kana or Hangul character counts
  :data:`CJK_WEIGHT`) is not judged: it takes the document's language ("Home", "Edwin Echeverria, 26");
- to stay cheap, a longer paragraph is judged only if it holds a non-ASCII letter or if fewer than
  :data:`MIN_STOPWORD_SHARE` of its words are stop words of the declared language: an ordinary English or
  French paragraph never reaches the model;
- a judged paragraph is foreign when its most likely language is not the declared one with probability at
  least :data:`MIN_PROBABILITY`.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from analysis.errors import ParameterError
from analysis.text.stopwords import get_stopwords

LANGUAGES = ("en", "fr", "es", "pt", "it", "de", "nl", "ro", "pl", "ru", "uk", "ar", "fa", "he", "hy", "hi", "vi",
             "km", "th", "zh", "ja", "ko", "tl", "ht")
KIT_LANGUAGES = ("fr", "en")
MIN_LETTERS = 30
CJK_WEIGHT = 3
MIN_STOPWORD_SHARE = 0.2
MIN_PROBABILITY = 0.9
_WORDS = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_NON_ASCII_LETTER = re.compile(r"[^\x00-\x7f\W\d_]")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


class Span(NamedTuple):
    """A paragraph of a document: offsets into its text, the language given to it, and the model's probability
    (``judged`` False: too short or plainly of the declared language, the document's language assumed)."""

    start: int
    end: int
    language: str
    probability: float
    judged: bool


@lru_cache(maxsize=1)
def _identifier():
    """py3langid's identifier, probabilities normalized, restricted to LANGUAGES (loaded once per process)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(list(LANGUAGES))
    return ident


@lru_cache(maxsize=1 << 12)
def classify(text: str) -> tuple[str, float]:
    """(language, probability) of a text among :data:`LANGUAGES` (cached: translation notices and quoted
    paragraphs recur from document to document)."""
    lang, prob = _identifier().classify(text)
    return lang, float(prob)


def _check(language: str) -> str:
    lang = str(language).strip().lower()
    if lang not in LANGUAGES:
        raise ParameterError("language", f"no language model for {language!r}", ", ".join(LANGUAGES))
    return lang


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line of ``text``, outer white space excluded."""
    spans, pos = [], 0
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            spans.append((start + lead, start + lead + len(stripped)))
    return spans


def _weight(paragraph: str, words: list[str]) -> tuple[int, bool]:
    """Letters of a paragraph (a CJK, kana or Hangul character counting CJK_WEIGHT) and whether one of them
    is not ASCII."""
    letters = sum(map(len, words))
    if paragraph.isascii() or not _NON_ASCII_LETTER.search(paragraph):
        return letters, False
    return letters + (CJK_WEIGHT - 1) * len(_CJK.findall(paragraph)), True


def letter_weight(paragraph: str) -> int:
    """Letters of a paragraph, a CJK, kana or Hangul character counting CJK_WEIGHT."""
    return _weight(paragraph, _WORDS.findall(paragraph))[0]


def _judged(paragraph: str, stopwords: frozenset[str], min_letters: int) -> bool:
    """Whether a paragraph goes to the model: long enough, and with a non-ASCII letter or few stop words."""
    if len(paragraph) * CJK_WEIGHT < min_letters or (len(paragraph) < min_letters and paragraph.isascii()):
        return False  # too few characters to hold min_letters letters
    words = _WORDS.findall(paragraph)
    letters, non_ascii = _weight(paragraph, words)
    if letters < min_letters:
        return False
    if non_ascii or not stopwords:
        return True
    return sum(1 for w in words if w.lower() in stopwords) < MIN_STOPWORD_SHARE * len(words)


def paragraph_languages(text: str, language: str, *, min_letters: int = MIN_LETTERS,
                        min_probability: float = MIN_PROBABILITY) -> list[Span]:
    """Every paragraph of ``text`` with its language, ``language`` being the document's declared one."""
    lang = _check(language)
    stop = get_stopwords(lang) if lang in KIT_LANGUAGES else frozenset()
    out = []
    for start, end in paragraph_spans(text):
        para = text[start:end]
        if not _judged(para, stop, min_letters):
            out.append(Span(start, end, lang, 1.0, False))
            continue
        found, prob = classify(para)
        if found != lang and prob < min_probability:
            found = lang
        out.append(Span(start, end, found, prob, True))
    return out


def foreign_spans(text: str, language: str, **kwargs) -> list[Span]:
    """The paragraphs of ``text`` written in another language than ``language`` (the document's)."""
    lang = _check(language)
    return [s for s in paragraph_languages(text, lang, **kwargs) if s.language != lang]


def without_spans(text: str, spans) -> str:
    """``text`` with the lines of ``spans`` left out (what the word counts of the document's language read)."""
    if not spans:
        return text
    cut = sorted((s[0], s[1]) for s in spans)
    parts, pos = [], 0
    for start, end in cut:
        if text[end:end + 1] == "\n":
            parts.append(text[pos:start])
            pos = end + 1
        else:  # the last line: its line break before goes with it
            parts.append(text[pos:start - 1 if start > pos and text[start - 1] == "\n" else start])
            pos = end
    parts.append(text[pos:])
    return "".join(parts)


def language_shares(text: str, *, min_letters: int = MIN_LETTERS, max_chars: int = 20_000) -> dict[str, float]:
    """Share of the letters of the first ``max_chars`` characters in each language, over the paragraphs of at
    least ``min_letters`` letters (largest first); empty when no paragraph is that long."""
    head = text[:max_chars]
    letters: dict[str, int] = {}
    for start, end in paragraph_spans(head):
        para = head[start:end]
        weight = letter_weight(para)
        if weight >= min_letters:
            lang, _ = classify(para)
            letters[lang] = letters.get(lang, 0) + weight
    total = sum(letters.values())
    return {k: v / total for k, v in sorted(letters.items(), key=lambda kv: (-kv[1], kv[0]))}


def document_language(text: str, supported: tuple[str, ...] = KIT_LANGUAGES, *,
                      min_letters: int = MIN_LETTERS, max_chars: int = 20_000) -> str:
    """The language of a document among ``supported`` (for ``language: auto``): the supported language holding
    most letters of its long paragraphs (:func:`language_shares`), so that a short notice in another language
    does not decide; where no paragraph is long enough, or none is in a supported language, the model's choice
    for the whole text among ``supported``. A document whose largest share is an unsupported language (a
    Spanish release) is better reported than counted: see :func:`language_shares`."""
    supported = tuple(_check(s) for s in supported)
    shares = language_shares(text, min_letters=min_letters, max_chars=max_chars)
    if any(shares.get(s, 0.0) for s in supported):
        return max(supported, key=lambda s: (shares.get(s, 0.0), -supported.index(s)))
    ranked = dict(_identifier().rank(text[:max_chars]))
    return max(supported, key=lambda s: (ranked.get(s, 0.0), -supported.index(s)))
