"""Key words of one side against a reference in its own language, for sides that cannot be compared directly.

When two sides are written in different languages (:mod:`analysis.stats.languages`), each side's words in a
language are compared with a reference corpus in that language, with the kit's own keyness statistics
(:func:`analysis.stats.keyness.keyness`, side = A, reference = B), so that the columns read as in
``keyness.csv``; the column ``reference`` names the reference used:

(a) ``corpus:<language>``: the rest of the corpus in that language (the documents of the other groups in the
    same language), when it holds at least ``MIN_REFERENCE_TOKENS`` = 100,000 counted tokens. Every column
    means what it means in keyness.csv.
(b) ``wordfreq:<language>``: otherwise, the general frequency list of the ``wordfreq`` package (version pinned
    in the report, "large" list; built from Wikipedia, subtitles, news, books, web text, Reddit and Twitter;
    ships with the package, nothing is downloaded). The list is turned into a pseudo-group of
    ``REFERENCE_SIZE`` = 10⁹ tokens: a term of relative frequency f counts round(f × 10⁹) in it (wordfreq's
    smallest frequencies, about 10⁻⁸, give 10), and ``total_b`` = 10⁹. Only the side's own terms are looked up.
    A frequency list has no documents: ``docs_b`` and ``n_docs_b`` are 0 and ``td_g2`` is NaN. wordfreq
    splits what the kit keeps whole (``l'``, ``saint-étienne``, ``91 000``): such a term gets wordfreq's
    estimate for the phrase (``wordfreq.word_frequency``). Its counts are not the kit's tokenization, so very
    large G² values are expected for any specialised text: read the ranking, not the p-values.

N-grams have only reference (a): wordfreq has no n-gram list.
"""
from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import numpy as np
import pandas as pd

from analysis.errors import ComparisonError, ParameterError
from analysis.stats.keyness import COLUMNS, NEEDED, keyness

MIN_REFERENCE_TOKENS = 100_000
REFERENCE_SIZE = 10**9
WORDLIST = "large"
REFERENCE_GROUP = "reference"
REFERENCE_COLUMNS = COLUMNS + ["reference"]


def wordfreq_version() -> str:
    from importlib.metadata import version

    return version("wordfreq")


@lru_cache(maxsize=4)
def _frequency_dict(language: str) -> dict[str, float]:
    import wordfreq

    if language not in wordfreq.available_languages(WORDLIST):
        raise ParameterError("language", f"wordfreq has no {WORDLIST!r} list for {language!r}", "en, fr")
    return wordfreq.get_frequency_dict(language, WORDLIST)


def general_frequency(terms: Iterable[str], language: str) -> np.ndarray:
    """wordfreq's relative frequency of each term in ``language`` (0 for a term it does not know)."""
    import wordfreq

    table = _frequency_dict(language)
    out = []
    for term in terms:
        f = table.get(term)
        if f is None:
            f = wordfreq.word_frequency(term, language, WORDLIST) if any(not c.isalpha() for c in term) else 0.0
        out.append(float(f))
    return np.asarray(out, dtype=float)


def wordfreq_reference(terms: Iterable[str], language: str, size: int = REFERENCE_SIZE,
                       group_col: str = "group") -> pd.DataFrame:
    """The pseudo-group of wordfreq frequencies for ``terms``, as rows of a frequency table: count =
    round(frequency × size), docs = n_docs = 0, total = size (terms it lacks count 0 and are left out)."""
    terms = list(dict.fromkeys(terms))
    counts = np.rint(general_frequency(terms, language) * size).astype(np.int64)
    keep = counts > 0
    return pd.DataFrame({group_col: REFERENCE_GROUP, "term": np.asarray(terms, dtype=object)[keep],
                         "count": counts[keep], "docs": 0, "n_docs": 0, "total": int(size)})


def _pooled(freqs: pd.DataFrame, group_col: str) -> pd.DataFrame:
    """A frequency table's groups pooled into the reference pseudo-group."""
    per_group = freqs.groupby(group_col)[["total", "n_docs"]].first()
    pooled = freqs.groupby("term", sort=False)[["count", "docs"]].sum().reset_index()
    return pooled.assign(**{group_col: REFERENCE_GROUP, "n_docs": int(per_group["n_docs"].sum()),
                            "total": int(per_group["total"].sum())})


def reference_name(language: str, rest_tokens: int, min_reference_tokens: int = MIN_REFERENCE_TOKENS) -> str:
    """``corpus:<language>`` when the rest holds tokens, at least ``min_reference_tokens``, else
    ``wordfreq:<language>``."""
    return f"corpus:{language}" if 0 < rest_tokens and min_reference_tokens <= rest_tokens else f"wordfreq:{language}"


def choose_reference(language: str, rest: pd.DataFrame | None, min_reference_tokens: int = MIN_REFERENCE_TOKENS,
                     group_col: str = "group") -> str:
    """``corpus:<language>`` when ``rest`` has at least ``min_reference_tokens`` tokens, else ``wordfreq:<language>``."""
    tokens = int(rest.groupby(group_col)["total"].first().sum()) if rest is not None and len(rest) else 0
    return reference_name(language, tokens, min_reference_tokens)


def reference_keyness(freqs_of_side: pd.DataFrame, language: str, rest: pd.DataFrame | None = None, *,
                      min_reference_tokens: int = MIN_REFERENCE_TOKENS, size: int = REFERENCE_SIZE,
                      min_count: int = 3, stopwords: Iterable[str] | None = None,
                      group_col: str = "group") -> pd.DataFrame:
    """Keyness of one side's terms in ``language`` against a reference in that language (``REFERENCE_COLUMNS``).

    ``freqs_of_side``: the frequency table (:mod:`analysis.stats.counts`) of the side's documents in
    ``language``, one group. ``rest``: the frequency table of the other documents of the corpus in ``language``
    (any groups, pooled), or None. The reference is chosen as the module docstring says and named in the column
    ``reference``; ``direction`` is the side's group or "reference"."""
    missing = [c for c in (group_col, *NEEDED) if c not in freqs_of_side.columns]
    if missing:
        raise ParameterError("freqs_of_side", f"the frequency table lacks the column(s) {', '.join(missing)}")
    groups = sorted(set(freqs_of_side[group_col].astype(str)))
    if len(groups) != 1:
        raise ParameterError("freqs_of_side", f"give the frequencies of one side, found groups {groups}")
    side = groups[0]
    if side == REFERENCE_GROUP:
        raise ComparisonError(f"a side cannot be named {REFERENCE_GROUP!r}")
    reference = choose_reference(language, rest, min_reference_tokens, group_col)
    if reference.startswith("corpus:"):
        ref, min_docs = _pooled(rest, group_col), 1
    else:  # no documents in a frequency list: min_docs cannot apply to terms key for the reference
        ref, min_docs = wordfreq_reference(freqs_of_side["term"], language, size, group_col), 0
    table = pd.concat([freqs_of_side[[group_col, *NEEDED]].assign(**{group_col: side}),
                       ref[[group_col, *NEEDED]]], ignore_index=True)
    out = keyness(table, side, REFERENCE_GROUP, min_count=min_count, min_docs=min_docs, stopwords=stopwords,
                  group_col=group_col)
    if reference.startswith("wordfreq:"):
        out["td_g2"] = np.nan
    out["reference"] = reference
    return out[REFERENCE_COLUMNS]


SIDE_COLUMNS = ["side", "language"] + REFERENCE_COLUMNS


def keyness_against_references(docs: pd.DataFrame, group_a: str, group_b: str = "rest", *, group_col: str = "group",
                               language: str = "auto", min_count: int = 3, min_reference_tokens: int = MIN_REFERENCE_TOKENS,
                               stopwords: Iterable[str] | None = None) -> pd.DataFrame:
    """Each side's key words against a reference in its own language, for every language of the side
    (``SIDE_COLUMNS``: ``side`` = the group, or "rest", ``language``, then the columns of
    :func:`reference_keyness`). The rest of the corpus in a language = the documents of that language outside
    the side. ``stopwords``: None = the kit's list of each language."""
    from analysis.stats.counts import count_documents
    from analysis.text.stopwords import get_stopwords
    from analysis.text.tokens import document_languages

    langs = document_languages(docs, language).to_numpy()
    groups = docs[group_col].astype(str).to_numpy()
    in_a = groups == str(group_a)
    sides = [(str(group_a), in_a), (str(group_b), ~in_a if group_b == "rest" else groups == str(group_b))]
    tables = []
    for side, mask in sides:
        if not mask.any():
            raise ComparisonError(f"group {side!r} has no documents")
        for lang in sorted(set(langs[mask])):
            here = docs[mask & (langs == lang)].assign(**{group_col: side, "language": lang})
            rest_docs = docs[~mask & (langs == lang)].assign(language=lang)
            freqs = count_documents(here.to_dict("records"), group_col, lang)
            rest = count_documents(rest_docs.to_dict("records"), group_col, lang) if len(rest_docs) else None
            stop = get_stopwords(lang) if stopwords is None else stopwords
            out = reference_keyness(freqs, lang, rest, min_reference_tokens=min_reference_tokens, min_count=min_count,
                                    stopwords=stop, group_col=group_col)
            tables.append(out.assign(side=side, language=lang))
    return pd.concat(tables, ignore_index=True)[SIDE_COLUMNS]
