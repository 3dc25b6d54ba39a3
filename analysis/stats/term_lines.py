"""Lines in context of many terms at once, and the capped term set the explorer page shows.

:func:`explorer_lines` reads each text ONCE for a whole set of words and n-grams (the keyness tables' terms),
so that a pipeline can collect the lines of a thousand terms in one pass over the corpus once keyness is known;
:func:`concordance.kwic` serves one term or pattern over the token table. :func:`select_terms` caps a keyness
table the way the explorer (:mod:`analysis.pages.explorer`) shows it, :func:`explorer_terms` gives the words and
bigrams whose lines it needs.
"""
from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping

import pandas as pd

from analysis.errors import ParameterError
from analysis.text.tokens import COUNTED_RE, COUNTED_RE_CI

CAPS = {"words": 1000, "bigrams": 500, "entities": 300, "concepts": 300, "frames": 100}  # terms per view
LINES_PER_SIDE = 3  # lines per term and side
WINDOW = 60  # characters of context on each side of a match
LINE_COLUMNS = ["term", "doc_id", "group", "start", "end", "left", "match", "right"]


def select_terms(keyness: pd.DataFrame, cap: int) -> pd.DataFrame:
    """At most ``cap`` rows of a keyness table: the half with the largest |G²|, then the most frequent of
    the others (so that the common, unremarkable terms are on the scatter too), in that order."""
    if cap < 1:
        raise ParameterError("cap", f"must be at least 1, got {cap}")
    if len(keyness) <= cap:
        return keyness.reset_index(drop=True)
    key = keyness.assign(_abs=keyness["g2"].abs()).sort_values(["_abs", "term"], ascending=[False, True],
                                                               kind="mergesort")
    top = key.head((cap + 1) // 2)
    rest = key.iloc[len(top):]
    rest = rest.assign(_n=rest["count_a"] + rest["count_b"]).sort_values(["_n", "term"], ascending=[False, True],
                                                                        kind="mergesort")
    out = pd.concat([top, rest.head(cap - len(top))])
    return out.drop(columns=[c for c in ("_abs", "_n") if c in out.columns]).reset_index(drop=True)


def explorer_terms(keyness: pd.DataFrame | None = None, keyness_bigrams: pd.DataFrame | None = None,
                   caps: Mapping[str, int] = CAPS) -> list[str]:
    """The words and bigrams the explorer shows (what :func:`explorer_lines` must find), in a stable order."""
    terms: list[str] = []
    for view, table in (("words", keyness), ("bigrams", keyness_bigrams)):
        if table is not None and len(table):
            terms.extend(str(t) for t in select_terms(table, caps[view])["term"])
    return list(dict.fromkeys(terms))


def compact_space(text: str) -> str:
    """Runs of whitespace (line ends, tabs) as one space, none at the ends: a line in context on one line."""
    return " ".join(text.split())


def _record(item) -> tuple[str, str, str]:
    if isinstance(item, Mapping):
        try:
            return str(item["doc_id"]), str(item["group"]), item["text"]
        except KeyError as err:
            raise ParameterError("texts", f"a record lacks the key {err.args[0]!r} (needs doc_id, group, text)")
    doc_id, group, text = item
    return str(doc_id), str(group), text


def explorer_lines(texts: Iterable, terms: Iterable[str], window: int = WINDOW,
                   cap_per_term_side: int = LINES_PER_SIDE) -> pd.DataFrame:
    """KWIC lines of every term of ``terms`` in ONE pass over ``texts``, at most ``cap_per_term_side`` lines
    per term and group (the first ones, in the order of the texts).

    ``texts``: records with ``doc_id``, ``group`` and ``text`` (mappings, or (doc_id, group, text) tuples), e.g.
    ``docs[["doc_id", "group", "text"]].to_dict("records")`` or a generator over a corpus. ``terms``: words and
    n-grams as the keyness tables write them (lowercase tokens joined by one space). Each text is read once with
    the kit's counting pattern (:data:`analysis.text.tokens.COUNTED_RE`, the tokens keyness counted), and each
    token is looked up in the set of terms still short of lines (a set look-up instead of a regular expression
    per term); at a token that ends such an n-gram, the run of tokens before it is looked up too (punctuation
    skipped, as n-grams are counted, so a word and the bigram that holds it both get their lines). Once a
    term has its lines in a group it is no longer looked for there. With no cap reached, the lines of a word
    are exactly its count in the keyness table (tested on the seeds).

    Columns: ``term``, ``doc_id``, ``group``, ``start``, ``end`` (character offsets of the match in the NFC text),
    ``left``, ``match``, ``right`` (``window`` characters of context, whitespace collapsed).
    """
    if not isinstance(window, int) or window < 0:
        raise ParameterError("window", f"must be a whole number >= 0, got {window!r}")
    if not isinstance(cap_per_term_side, int) or cap_per_term_side < 1:
        raise ParameterError("cap_per_term_side", f"must be a whole number >= 1, got {cap_per_term_side!r}")
    wanted = {unicodedata.normalize("NFC", str(t)).lower().replace("\u2019", "'") for t in terms}
    wanted.discard("")
    rows: dict[str, list] = {c: [] for c in LINE_COLUMNS}
    if not wanted:
        return pd.DataFrame(rows)
    longest = max(t.count(" ") + 1 for t in wanted)
    ends = Counter(t.rsplit(" ", 1)[-1] for t in wanted if " " in t)  # an n-gram is looked up at its last word
    taken: dict[tuple[str, str], int] = {}
    open_terms: dict[str, set[str]] = {}  # per group: the terms still short of lines, and their last words
    open_ends: dict[str, Counter] = {}
    for item in texts:
        doc_id, group, text = _record(item)
        if not isinstance(text, str):
            raise ParameterError("texts", f"document {doc_id!r} has no text (found {type(text).__name__})")
        if group not in open_terms:
            open_terms[group], open_ends[group] = set(wanted), Counter(ends)
        need, need_ends = open_terms[group], open_ends[group]
        if not need:
            continue
        base = unicodedata.normalize("NFC", text)
        low = base.lower().replace("\u2019", "'")
        if len(low) == len(base):
            found = list(COUNTED_RE.finditer(low))
            toks = [m.group() for m in found]
        else:  # a character whose lowercase is longer: match without lowering, offsets stay those of base
            found = list(COUNTED_RE_CI.finditer(base.replace("\u2019", "'")))
            toks = [m.group().lower() for m in found]
        for i in [i for i, t in enumerate(toks) if t in need or t in need_ends]:
            tok = toks[i]
            for k in range(1, min(longest, i + 1) + 1 if need_ends.get(tok, 0) > 0 else 2):
                term = tok if k == 1 else " ".join(toks[i - k + 1:i + 1])
                if term not in need:
                    continue
                n = taken.get((term, group), 0) + 1
                taken[(term, group)] = n
                if n >= cap_per_term_side:
                    need.discard(term)
                    if k > 1:
                        need_ends[tok] -= 1
                        if need_ends[tok] <= 0:
                            del need_ends[tok]
                start, e = found[i - k + 1].start(), found[i].end()
                for c, v in zip(LINE_COLUMNS, (term, doc_id, group, start, e,
                                               compact_space(base[max(0, start - window):start]),
                                               compact_space(base[start:e]), compact_space(base[e:e + window]))):
                    rows[c].append(v)
    out = pd.DataFrame(rows)
    for c in ("start", "end"):
        out[c] = out[c].astype("int64")
    return out
