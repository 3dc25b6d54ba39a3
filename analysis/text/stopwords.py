"""Stop words for French and English, offline, replaceable and extendable.

The lists ship with the kit (``analysis/data/stopwords/fr.txt`` and ``en.txt``): the Snowball project's
lists (snowballstem.org, BSD licence; NLTK's ``stopwords`` corpus derives from them), the French one with
the elided forms (``l'``, ``d'``, ``qu'``...) added as the tokenizer emits them. Words are compared in the
tokenizer's form: lowercase, NFC, ``’`` written ``'``.
"""
from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from analysis.errors import ParameterError

DATA = Path(__file__).resolve().parent / "data" / "stopwords"
LANGUAGES = ("fr", "en")


def normalize_word(word: str) -> str:
    """A word in the tokenizer's form: NFC, lowercase, typographic apostrophe as ASCII, no outer spaces."""
    return unicodedata.normalize("NFC", word).strip().lower().replace("\u2019", "'")


def read_list(path: str | os.PathLike) -> frozenset[str]:
    """Words of a stop word file: one a line, ``#`` starts a comment, blank lines ignored."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ParameterError("stopwords", f"no such file: {p}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ParameterError("stopwords", f"cannot read {p} as UTF-8 text: {exc}") from None
    words = (normalize_word(line.split("#", 1)[0]) for line in text.splitlines())
    return frozenset(w for w in words if w)


@lru_cache(maxsize=None)
def _builtin(language: str) -> frozenset[str]:
    return read_list(DATA / f"{language}.txt")


def get_stopwords(language: str, replace: str | os.PathLike | Iterable[str] | None = None,
                  extra: Iterable[str] = ()) -> frozenset[str]:
    """The stop words of ``language`` ("fr" or "en").

    ``replace``: a file (path) or an iterable of words used *instead of* the shipped list; ``extra``: words
    added to the list. Every word is normalized (lowercase, NFC, ``’`` -> ``'``).
    """
    lang = str(language).strip().lower()
    if lang not in LANGUAGES:
        raise ParameterError("language", f"no stop word list for {language!r}", ", ".join(LANGUAGES))
    if replace is None:
        base = _builtin(lang)
    elif isinstance(replace, (str, os.PathLike)):
        base = read_list(replace)
    else:
        base = frozenset(w for w in (normalize_word(str(x)) for x in replace) if w)
    if isinstance(extra, str):
        extra = [w for w in extra.split(",")]
    more = {w for w in (normalize_word(str(x)) for x in extra) if w}
    return frozenset(base | more)
