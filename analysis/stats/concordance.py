"""Concordance (key word in context): every hit of a word, a phrase or a regular expression, in its context.

A word or phrase query is tokenized like the texts and matched token by token (so "police" does not match
"policiers", and "forces de l'ordre" matches "forces de l’ordre"); a regular expression is matched against
the document text and the hit covers the tokens it overlaps. ``ignore_case`` and ``ignore_accents`` fold
both sides (``ignore_accents``: "operation" finds "opération"). The context is ``window`` tokens on each side
within the document, shown as written in the text (original case, spacing and apostrophes).
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from functools import lru_cache

import pandas as pd

from analysis.errors import ParameterError
from analysis.text.tokens import TOKEN_RE, TOKEN_RE_CI, prepare

COLUMNS = ["doc_id", "group", "sentence_id", "position", "left", "match", "right"]


@lru_cache(maxsize=50_000)
def _fold_char(c: str, case: bool, accents: bool) -> str:
    """One character folded without changing the text's length (offsets stay valid)."""
    out = c
    if case:
        low = c.lower()
        out = low if len(low) == 1 else c
    if accents:
        base = unicodedata.normalize("NFD", out)
        if len(base) > 1 and all(unicodedata.combining(x) for x in base[1:]):
            out = base[0]
    return "'" if out == "\u2019" else out


def fold(text: str, case: bool = True, accents: bool = False) -> str:
    """``text`` with case and/or accents folded, character by character (same length)."""
    return "".join(_fold_char(c, case, accents) for c in text)


@lru_cache(maxsize=200_000)
def _fold_token(token: str, case: bool, accents: bool) -> str:
    """:func:`fold` of one token's surface; tokens repeat, and every query of a run folds the same ones."""
    return fold(token, case, accents)


def kwic(tokens: pd.DataFrame, docs: pd.DataFrame, query: str, regex: bool = False, ignore_case: bool = True,
         ignore_accents: bool = False, window: int = 8, sort: str | None = None,
         group_col: str = "group") -> pd.DataFrame:
    """One row per hit: doc_id, group, sentence_id, position (of the first matched token), left, match, right.

    ``sort``: None (document order, then position), "left" (by the words left of the hit, nearest first) or
    "right" (by the words right of the hit).
    """
    if not isinstance(query, str) or not query.strip():
        raise ParameterError("query", "give a word, a phrase or a regular expression")
    if sort not in (None, "left", "right"):
        raise ParameterError("sort", f"unknown sort {sort!r}", "None, left, right")
    if not isinstance(window, int) or window < 0:
        raise ParameterError("window", f"must be a whole number >= 0, not {window!r}")
    pattern = None
    if regex:
        try:
            pattern = re.compile(fold(query, False, ignore_accents), re.IGNORECASE if ignore_case else 0)
        except re.error as exc:
            raise ParameterError("query", f"not a valid regular expression: {exc}") from None
    else:
        src = prepare(query) if ignore_case else unicodedata.normalize("NFC", query).replace("\u2019", "'")
        q = [fold(t, ignore_case, ignore_accents) for t in (TOKEN_RE if ignore_case else TOKEN_RE_CI).findall(src)]
    texts = dict(zip(docs["doc_id"], docs["text"]))
    has_group = group_col in tokens.columns
    rows = []
    for doc_id, toks in tokens.groupby("doc_id", sort=False):
        text = texts.get(doc_id)
        if text is None:
            raise ParameterError("docs", f"document {doc_id!r} of the token table is not among the documents")
        toks = toks.sort_values("position", kind="stable")
        starts, ends = toks["start"].tolist(), toks["end"].tolist()
        sents = toks["sentence_id"].tolist()
        positions = toks["position"].tolist()
        group = toks[group_col].iloc[0] if has_group else None
        hits: list[tuple[int, int]] = []  # (first, last) token index, inclusive
        if regex:
            folded = fold(text, False, ignore_accents)
            for m in pattern.finditer(folded):
                if m.end() == m.start():
                    continue
                i, j = bisect_right(ends, m.start()), bisect_left(starts, m.end()) - 1
                if i <= j:
                    hits.append((i, j))
        else:
            n = len(q)
            surf = [_fold_token(text[s:e], ignore_case, ignore_accents) for s, e in zip(starts, ends)]
            if not ignore_case:
                surf = [s.replace("\u2019", "'") for s in surf]
            for i in range(len(surf) - n + 1):
                if surf[i:i + n] == q:
                    hits.append((i, i + n - 1))
        for i, j in hits:
            lo, hi = max(0, i - window), min(len(starts) - 1, j + window)
            left = text[starts[lo]:starts[i]].strip() if i > lo else ""
            right = text[ends[j]:ends[hi]].strip() if hi > j else ""
            rows.append({"doc_id": doc_id, "group": group, "sentence_id": sents[i], "position": positions[i],
                         "left": " ".join(left.split()), "match": text[starts[i]:ends[j]],
                         "right": " ".join(right.split())})
    out = pd.DataFrame(rows, columns=COLUMNS)
    if not has_group:
        out = out.drop(columns="group")
    if out.empty:
        return out
    order = {d: k for k, d in enumerate(docs["doc_id"])}
    out["_doc"] = out["doc_id"].map(order)
    if sort == "left":
        out["_key"] = [" ".join(reversed(fold(x).split())) for x in out["left"]]
    elif sort == "right":
        out["_key"] = [fold(x) for x in out["right"]]
    keys = (["_key"] if sort else []) + ["_doc", "position"]
    out = out.sort_values(keys, kind="stable").drop(columns=[c for c in ("_key", "_doc") if c in out.columns])
    return out.reset_index(drop=True)
