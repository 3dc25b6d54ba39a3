"""Coverage: how much of each side's text the concept and frame lexicons reach, per side and language.

A lexicon written on one language's texts may miss much of another's; then a difference of concept or frame
shares between an English and a French side says more about the lexicon than about the texts. Coverage makes
that visible:

- the share of **content tokens** (word tokens that are not stop words) inside a concept hit, and inside a
  frame match (a hit of one of the frames' concepts, or a match of one of their terms or patterns);
- the share of **sentences** that hold at least one concept hit, and at least one frame match;
- the content words (lemmas) that no concept covers, most frequent first, so the user sees what is missing.

Everything is computed from per-document partial counts (:class:`Coverage`, a mergeable record of counts and
a Counter of uncovered lemmas per (group, language)), so a pipeline that reads each document once adds them up
batch by batch: ``coverage_in`` for one document, ``+`` to merge, then :func:`coverage_table` and
:func:`uncovered_table`. :func:`coverage_gap` tells whether two sides' coverage differs by more than a margin
(10 points by default), the warning a report shows next to any concept or frame difference.

The inputs are plain data, so this module depends on nothing above the text layer: the content tokens of a
document as (sentence_id, start, end, lemma) and hits as mappings or tuples with sentence_id, start, end
(``analysis.narratives.concepts.scan`` and ``analysis.narratives.frames.frame_matches`` give them).
"""
from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.errors import ParameterError

MARGIN = 0.10
COUNT_FIELDS = ("n_docs", "sentences", "sentences_concept", "sentences_frame", "content_tokens",
                "content_concept", "content_frame")
COVERAGE_COLUMNS = ["group", "language", *COUNT_FIELDS, "share_content_concept", "share_content_frame",
                    "share_sentences_concept", "share_sentences_frame"]
UNCOVERED_COLUMNS = ["group", "language", "rank", "word", "count", "share"]
MEASURES = {"share_content_concept": "content tokens reached by the concept lexicon",
            "share_content_frame": "content tokens reached by the frame lexicon",
            "share_sentences_concept": "sentences with a concept",
            "share_sentences_frame": "sentences with a frame"}
GAP_COLUMNS = ["measure", "side_a", "side_b", "value_a", "value_b", "diff", "margin", "differs", "warning"]


@dataclass
class Coverage:
    """Partial coverage counts per (group, language): ``counts`` maps the key to a Counter of
    ``COUNT_FIELDS``; ``uncovered`` maps it to a Counter of the lemmas of content tokens no concept covers.
    ``a + b`` is a new sum (neither is changed); ``a.add(b)`` adds ``b`` into ``a`` (for a batch's running
    total, document by document)."""

    counts: dict = field(default_factory=dict)
    uncovered: dict = field(default_factory=dict)

    def add(self, other: "Coverage") -> "Coverage":
        """Add ``other``'s counts into this one (in place); returns self."""
        for key, c in other.counts.items():
            self.counts.setdefault(key, Counter()).update(c)
        for key, c in other.uncovered.items():
            self.uncovered.setdefault(key, Counter()).update(c)
        return self

    def __add__(self, other: "Coverage") -> "Coverage":
        return Coverage().add(self).add(other)


def merge(parts: Iterable[Coverage]) -> Coverage:
    """The sum of partial coverages (documents, batches); none of them is changed."""
    out = Coverage()
    for p in parts:
        out.add(p)
    return out


def _spans(hits) -> tuple[list[tuple[int, int]], set[int]]:
    """Merged (start, end) intervals of hits, and the sentence ids they fall in."""
    raw, sentences = [], set()
    for h in hits or ():
        if isinstance(h, dict):
            sid, s, e = h["sentence_id"], h["start"], h["end"]
        else:
            sid, s, e = h[0], h[1], h[2]
        raw.append((int(s), int(e)))
        sentences.add(int(sid))
    raw.sort()
    merged: list[list[int]] = []
    for s, e in raw:
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged], sentences


def _inside(intervals: list[tuple[int, int]], starts: list[int], s: int, e: int) -> bool:
    i = bisect_right(starts, s) - 1
    return i >= 0 and intervals[i][1] >= e


def coverage_in(group: str, language: str, n_sentences: int, content: list[tuple[int, int, int, str]],
                concept_hits=(), frame_hits=()) -> Coverage:
    """The coverage counts of one document: its ``group`` and ``language``, its number of sentences, its
    content tokens as (sentence_id, start, end, lemma), its concept hits and its frame matches (mappings or
    tuples with sentence_id, start, end)."""
    c_iv, c_sent = _spans(concept_hits)
    f_iv, f_sent = _spans(frame_hits)
    c_starts, f_starts = [s for s, _ in c_iv], [s for s, _ in f_iv]
    uncovered: Counter = Counter()
    n_c = n_f = 0
    for _, s, e, lem in content:
        if c_iv and _inside(c_iv, c_starts, s, e):
            n_c += 1
        else:
            uncovered[lem] += 1
        if f_iv and _inside(f_iv, f_starts, s, e):
            n_f += 1
    key = (str(group), str(language))
    counts = Counter({"n_docs": 1, "sentences": int(n_sentences), "sentences_concept": len(c_sent),
                      "sentences_frame": len(f_sent), "content_tokens": len(content), "content_concept": n_c,
                      "content_frame": n_f})
    return Coverage({key: counts}, {key: uncovered})


def _ratio(a: pd.Series, b: pd.Series) -> np.ndarray:
    a, b = a.to_numpy(float), b.to_numpy(float)
    return np.divide(a, b, out=np.zeros_like(a), where=b > 0)


def coverage_table(cov: Coverage) -> pd.DataFrame:
    """One row per (group, language) (``COVERAGE_COLUMNS``): the counts and the four shares (0 to 1)."""
    rows = [{"group": g, "language": lang, **{f: int(c.get(f, 0)) for f in COUNT_FIELDS}}
            for (g, lang), c in sorted(cov.counts.items())]
    t = pd.DataFrame(rows, columns=["group", "language", *COUNT_FIELDS])
    t = t.astype({f: "int64" for f in COUNT_FIELDS})
    t["share_content_concept"] = _ratio(t["content_concept"], t["content_tokens"])
    t["share_content_frame"] = _ratio(t["content_frame"], t["content_tokens"])
    t["share_sentences_concept"] = _ratio(t["sentences_concept"], t["sentences"])
    t["share_sentences_frame"] = _ratio(t["sentences_frame"], t["sentences"])
    return t[COVERAGE_COLUMNS]


def uncovered_table(cov: Coverage, top_n: int = 50) -> pd.DataFrame:
    """The ``top_n`` most frequent content words (lemmas) that no concept covers, per (group, language)
    (``UNCOVERED_COLUMNS``; ``share`` = count / content tokens of that group and language); ties by word."""
    if not isinstance(top_n, int) or isinstance(top_n, bool) or top_n < 1:
        raise ParameterError("top_n", f"must be a positive integer, got {top_n!r}")
    rows = []
    for key in sorted(cov.uncovered):
        total = cov.counts.get(key, Counter()).get("content_tokens", 0)
        ranked = sorted(cov.uncovered[key].items(), key=lambda kv: (-kv[1], kv[0]))[:top_n]
        rows += [{"group": key[0], "language": key[1], "rank": r, "word": w, "count": n,
                  "share": n / total if total else 0.0} for r, (w, n) in enumerate(ranked, start=1)]
    return pd.DataFrame(rows, columns=UNCOVERED_COLUMNS).astype({"rank": "int64", "count": "int64",
                                                                  "share": "float64"})


def side_coverage(table: pd.DataFrame, side: str | Iterable[str]) -> dict[str, float]:
    """The four shares of one side (a group, or several groups pooled; every language of it pooled), from
    :func:`coverage_table`."""
    groups = [side] if isinstance(side, str) else list(side)
    sub = table[table["group"].isin(groups)]
    if sub.empty:
        raise ParameterError("side", f"no coverage for {side!r} (groups: {', '.join(sorted(set(table['group'])))})")
    tot = sub[list(COUNT_FIELDS)].sum()
    return {"share_content_concept": tot["content_concept"] / max(tot["content_tokens"], 1),
            "share_content_frame": tot["content_frame"] / max(tot["content_tokens"], 1),
            "share_sentences_concept": tot["sentences_concept"] / max(tot["sentences"], 1),
            "share_sentences_frame": tot["sentences_frame"] / max(tot["sentences"], 1)}


def coverage_gap(table: pd.DataFrame, side_a: str | Iterable[str], side_b: str | Iterable[str],
                 margin: float = MARGIN) -> pd.DataFrame:
    """Whether the two sides' coverage differs by more than ``margin`` (a share: 0.10 = 10 points), for each
    measure (``GAP_COLUMNS``); ``warning`` is a sentence to show beside any concept or frame difference, empty
    when the sides are within the margin. ``side_b`` may be "rest" (every other group)."""
    if not isinstance(margin, (int, float)) or isinstance(margin, bool) or not 0 <= margin <= 1:
        raise ParameterError("margin", f"must be a share between 0 and 1, got {margin!r}")
    if isinstance(side_b, str) and side_b == "rest":
        a = [side_a] if isinstance(side_a, str) else list(side_a)
        side_b = [g for g in table["group"].unique() if g not in a]
    ca, cb = side_coverage(table, side_a), side_coverage(table, side_b)
    name_a = side_a if isinstance(side_a, str) else "+".join(side_a)
    name_b = side_b if isinstance(side_b, str) else "+".join(side_b)
    rows = []
    for m, what in MEASURES.items():
        va, vb = float(ca[m]), float(cb[m])
        differs = abs(va - vb) > margin + 1e-12
        warning = (f"Coverage differs: {what} is {va:.0%} in {name_a} against {vb:.0%} in {name_b} (more than "
                   f"{margin:.0%} apart), so a difference between the sides may come from the lexicon, not the "
                   "texts.") if differs else ""
        rows.append({"measure": m, "side_a": name_a, "side_b": name_b, "value_a": va, "value_b": vb,
                     "diff": va - vb, "margin": float(margin), "differs": differs, "warning": warning})
    return pd.DataFrame(rows, columns=GAP_COLUMNS)
