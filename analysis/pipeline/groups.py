"""Every group of ``group_col`` against the rest of the corpus, and each subgroup (``subgroup_col``) against the
rest of its group: the tallies the pass keeps for page 08 and the tables worked out from them.

The pass (:mod:`analysis.pipeline.document_pass`) reads every document of the corpus, compared or not, and adds
each to a :class:`GroupTally` under its (group, subgroup) value: documents, word tokens, word counts per language,
entity mentions per category, and one frame share per (document, frame). Memory is bounded by the vocabulary times
the number of (group, subgroup, language) values for the counts, plus one float per document and frame for the
bootstrap of the frame shares; no token of the corpus is kept. Tallies of batches add up in any order to the same
tables.

Key words are compared within a language only: words of an English group against a mostly French rest would all
be "key" because the rest is written in another language. A unit's words in language L are tested against the
rest of its whole (the corpus, or its group) in L, reference ``corpus:L``; when that rest holds fewer than
:data:`MIN_REST_TOKENS` = 1,000 tokens in L (none, when only this group writes in L), against the general
frequency list of L, reference ``wordfreq:L`` (:mod:`analysis.stats.reference`, the reference of
``keyness_reference.csv``). The floor is lower than the 100,000 tokens page 02 asks of a reference corpus: the
rest of the user's own corpus in L is the comparison this page is about, however small; below 1,000 tokens a word
of the rest is seen a handful of times at most, and the general list estimates L better. A unit's main language
(most tokens) is always tested; another of its languages only when it holds at least :data:`MIN_LANGUAGE_SHARE`
(5 %) of the unit's tokens and :data:`MIN_LANGUAGE_TOKENS` (1,000) tokens; the others are
skipped and counted in ``group_languages``.

Only the :data:`GROUP_CAP` largest groups (by documents, then name; the two compared sides always) and, inside
each, the :data:`SUBGROUP_CAP` largest subgroups are tested and shown; the others are counted in ``group_sizes`` (``shown`` false) and stay in
the rest of the corpus (or of their group) that the shown ones are measured against.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.stats.reference import REFERENCE_SIZE, reference_name, wordfreq_reference

GROUP_CAP = 12  # groups shown on page 08 (the largest by documents)
SUBGROUP_CAP = 8  # subgroups shown inside each shown group
N_BOOT = 1000  # bootstrap resamples of the frame shares of each group and subgroup
NO_VALUE = "(no value)"  # the subgroup of documents whose subgroup_col is empty
SEP = "\x1f"  # joins group and subgroup in one key
MIN_REST_TOKENS = 1_000  # tokens of the same-language rest below which wordfreq is the reference
MIN_LANGUAGE_SHARE = 0.05  # a unit's language other than its main one is tested from this share of its tokens
MIN_LANGUAGE_TOKENS = 1_000  # ... and from this many tokens

SIZE_COLUMNS = ["level", "group", "subgroup", "n_docs", "n_tokens", "rank", "shown"]
LANGUAGE_COLUMNS = ["level", "group", "subgroup", "language", "n_docs", "n_tokens", "share", "main", "tested",
                    "n_tokens_rest", "reference"]
KEY_COLUMNS = ["level", "group", "subgroup", "language", "reference", "rank", "term", "count", "count_rest", "total", "total_rest",
               "per_10k", "per_10k_rest", "g2", "p_value", "p_adjusted", "log_ratio"]
FRAME_COLUMNS = ["level", "group", "subgroup", "frame", "n_docs", "share", "ci_low", "ci_high", "share_rest"]
CATEGORY_COLUMNS = ["level", "group", "subgroup", "category", "mentions", "docs", "n_docs", "per_10k",
                    "per_10k_rest", "doc_share"]


@dataclass
class GroupTally:
    """What the pass counts per (group, subgroup) value of every document (see the module docstring)."""

    n_docs: Counter = field(default_factory=Counter)  # (group, subgroup) -> documents
    total: Counter = field(default_factory=Counter)  # (group, subgroup) -> word tokens
    words: dict = field(default_factory=dict)  # (group, subgroup, language) -> Counter(term -> count)
    lang_docs: Counter = field(default_factory=Counter)  # (group, subgroup, language) -> documents
    lang_total: Counter = field(default_factory=Counter)  # (group, subgroup, language) -> word tokens
    stopwords: set = field(default_factory=set)  # counted tokens that are stop words (of any language)
    mentions: Counter = field(default_factory=Counter)  # (group, subgroup, category) -> entity mentions
    mention_docs: Counter = field(default_factory=Counter)  # (group, subgroup, category) -> documents
    frames: list = field(default_factory=list)  # (doc_id, group, subgroup, frame, share)

    def add(self, doc_id: str, key: tuple[str, str], tokens: list[str], stop, entities: list[dict],
            shares: list[dict], language: str) -> None:
        """Add one document in ``language``: its counted tokens, entity rows and frame share rows."""
        self.n_docs[key] += 1
        self.total[key] += len(tokens)
        lkey = (*key, language)
        self.lang_docs[lkey] += 1
        self.lang_total[lkey] += len(tokens)
        words = self.words.get(lkey)
        if words is None:
            words = self.words[lkey] = Counter()
        words.update(tokens)
        self.stopwords.update(stop.intersection(tokens))
        cats = Counter(e["category"] for e in entities)
        for cat, n in cats.items():
            self.mentions[(*key, cat)] += n
            self.mention_docs[(*key, cat)] += 1
        self.frames.extend((doc_id, *key, r["frame"], float(r["share"])) for r in shares)

    def update(self, other: "GroupTally") -> None:
        """Add ``other`` (a later batch) to this tally."""
        self.n_docs.update(other.n_docs)
        self.total.update(other.total)
        self.lang_docs.update(other.lang_docs)
        self.lang_total.update(other.lang_total)
        for key, c in other.words.items():
            if key in self.words:
                self.words[key].update(c)
            else:
                self.words[key] = c
        self.stopwords.update(other.stopwords)
        self.mentions.update(other.mentions)
        self.mention_docs.update(other.mention_docs)
        self.frames.extend(other.frames)


def subgroup_value(value) -> str:
    """A record's subgroup value as text ('' when absent or empty)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()


@dataclass(frozen=True)
class Unit:
    """One tested part of the corpus: a group against the rest of the corpus (level 'group') or a subgroup
    against the rest of its group (level 'subgroup'); ``keys`` are its (group, subgroup) values, ``reference``
    those of the whole it is part of."""

    level: str
    group: str
    subgroup: str
    keys: frozenset
    reference: frozenset


def _ranked(sizes: dict, cap: int) -> list[str]:
    return sorted(sizes, key=lambda g: (-sizes[g], g))[:cap]


def plan(tally: GroupTally, with_subgroups: bool, always=()) -> tuple[pd.DataFrame, list[Unit]]:
    """The size of every group and subgroup (``group_sizes``) and the units shown, largest first: the
    :data:`GROUP_CAP` largest groups, and the groups of ``always`` (the compared sides) whatever their size."""
    by_group: dict[str, dict[str, tuple[int, int]]] = {}
    for (g, s), n in tally.n_docs.items():
        by_group.setdefault(g, {})[s] = (n, tally.total[(g, s)])
    docs = {g: sum(n for n, _ in subs.values()) for g, subs in by_group.items()}
    every = frozenset(tally.n_docs)
    order = sorted(docs, key=lambda g: (-docs[g], g))
    shown = set(order[:GROUP_CAP]) | (set(always) & set(order))
    rows, units = [], []
    for rank, g in enumerate(order, 1):
        subs = by_group[g]
        mine = frozenset((g, s) for s in subs)
        rows.append({"level": "group", "group": g, "subgroup": "", "n_docs": docs[g],
                     "n_tokens": sum(t for _, t in subs.values()), "rank": rank, "shown": g in shown})
        if g in shown:
            units.append(Unit("group", g, "", mine, every))
    if with_subgroups:
        for g in order:
            subs = by_group[g]
            sizes = {s: n for s, (n, _) in subs.items()}
            shown_subs = set(_ranked(sizes, SUBGROUP_CAP)) if g in shown and len(subs) > 1 else set()
            mine = frozenset((g, s) for s in subs)
            for rank, s in enumerate(sorted(sizes, key=lambda s: (-sizes[s], s)), 1):
                rows.append({"level": "subgroup", "group": g, "subgroup": s or NO_VALUE, "n_docs": sizes[s],
                             "n_tokens": subs[s][1], "rank": rank, "shown": s in shown_subs})
                if s in shown_subs:
                    units.append(Unit("subgroup", g, s or NO_VALUE, frozenset({(g, s)}), mine))
    sizes = pd.DataFrame(rows, columns=SIZE_COLUMNS).astype({"n_docs": "int64", "n_tokens": "int64",
                                                              "rank": "int64", "shown": "bool"})
    return sizes, units


def _summed(counters) -> Counter:
    out: Counter = Counter()
    for c in counters:
        out.update(c)
    return out


def languages_table(tally: GroupTally, units: list[Unit], min_rest_tokens: int | None = None) -> pd.DataFrame:
    """Each unit's languages (``LANGUAGE_COLUMNS``, main language first): documents, tokens and share of the unit's
    tokens, whether it is the main one, whether its key words are tested (see the module docstring), the tokens of
    the rest of its whole in that language and the reference its key words are measured against ('' when
    skipped)."""
    from analysis.stats.languages import dominant_language

    floor = MIN_REST_TOKENS if min_rest_tokens is None else min_rest_tokens
    rows = []
    for u in units:
        toks: Counter = Counter()
        docs: Counter = Counter()
        for (g, s, lang), n in tally.lang_total.items():
            if (g, s) in u.keys:
                toks[lang] += n
                docs[lang] += tally.lang_docs[(g, s, lang)]
        whole = sum(toks.values())
        if not whole:
            continue
        main = dominant_language({lang: n / whole for lang, n in toks.items()})
        for lang in sorted(toks, key=lambda lg: (lg != main, -toks[lg], lg)):
            n = toks[lang]
            rest = sum(tally.lang_total[(g, s, lang)] for g, s in u.reference) - n
            tested = lang == main or (n / whole >= MIN_LANGUAGE_SHARE and n >= MIN_LANGUAGE_TOKENS)
            rows.append({"level": u.level, "group": u.group, "subgroup": u.subgroup, "language": lang,
                         "n_docs": docs[lang], "n_tokens": n, "share": n / whole, "main": lang == main,
                         "tested": tested, "n_tokens_rest": rest,
                         "reference": reference_name(lang, rest, floor) if tested else ""})
    return pd.DataFrame(rows, columns=LANGUAGE_COLUMNS).astype(
        {"n_docs": "int64", "n_tokens": "int64", "n_tokens_rest": "int64", "main": "bool", "tested": "bool"})


def keyness_table(tally: GroupTally, units: list[Unit], min_count: int, top_n: int,
                  languages: pd.DataFrame | None = None) -> pd.DataFrame:
    """The ``top_n`` key words of each unit in each of its tested languages against the rest of its whole in that
    language, or against wordfreq's list of the language (``reference``; see the module docstring): words more
    frequent in the unit than in the reference, tested with the log-likelihood G² (2×2 table), ranked by G²; stop
    words are left out and a word is tested when the unit and its reference together have it at least
    ``min_count`` times. ``p_adjusted``: Benjamini–Hochberg over the unit's tested words in the language.
    ``languages``: :func:`languages_table` of the units (worked out when None)."""
    from analysis.stats.keyness import benjamini_hochberg, chi2_sf_1df, g2_4term, log_ratio

    if languages is None:
        languages = languages_table(tally, units)
    by_unit = {(u.level, u.group, u.subgroup): u for u in units}
    wholes: dict[tuple[frozenset, str], Counter] = {}
    parts = []
    for row in languages[languages["tested"]].itertuples(index=False):
        u, lang = by_unit[(row.level, row.group, row.subgroup)], row.language
        mine = _summed(tally.words[(*k, lang)] for k in sorted(u.keys) if (*k, lang) in tally.words)
        total = int(row.n_tokens)
        if total <= 0 or not mine:
            continue
        candidates = sorted(t for t in mine if t not in tally.stopwords)
        if row.reference.startswith("corpus:"):
            if (u.reference, lang) not in wholes:
                wholes[(u.reference, lang)] = _summed(tally.words[(*k, lang)] for k in sorted(u.reference)
                                                      if (*k, lang) in tally.words)
            whole = wholes[(u.reference, lang)]
            rest = {t: whole[t] - mine[t] for t in candidates}
            total_rest = int(row.n_tokens_rest)
        else:
            ref = wordfreq_reference(candidates, lang)
            rest = dict(zip(ref["term"], ref["count"].astype(int)))
            total_rest = REFERENCE_SIZE
        terms = [t for t in candidates if mine[t] + rest.get(t, 0) >= min_count]
        if not terms:
            continue
        a = np.fromiter((mine[t] for t in terms), np.int64, len(terms))
        b = np.fromiter((rest.get(t, 0) for t in terms), np.int64, len(terms))
        more = a * float(total_rest) > b * float(total)
        g2 = np.where(more, 1.0, -1.0) * g2_4term(a, b, total - a, total_rest - b)
        p = chi2_sf_1df(g2)
        frame = pd.DataFrame({
            "term": terms, "count": a, "count_rest": b, "total": total, "total_rest": total_rest,
            "per_10k": a * 10_000 / total, "per_10k_rest": b * 10_000 / total_rest, "g2": g2, "p_value": p,
            "p_adjusted": benjamini_hochberg(p), "log_ratio": log_ratio(a, b, total, total_rest)})
        frame = frame[more].sort_values(["g2", "term"], ascending=[False, True], kind="mergesort").head(top_n)
        frame.insert(0, "rank", np.arange(1, len(frame) + 1))
        for i, (name, value) in enumerate((("level", u.level), ("group", u.group), ("subgroup", u.subgroup),
                                           ("language", lang), ("reference", row.reference))):
            frame.insert(i, name, value)
        parts.append(frame)
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=KEY_COLUMNS)
    return out[KEY_COLUMNS].astype({"term": "str", "count": "int64", "count_rest": "int64", "total": "int64",
                                    "total_rest": "int64", "rank": "int64", "language": "str", "reference": "str"})


def frames_table(tally: GroupTally, units: list[Unit], seed: int = 0, n_boot: int = N_BOOT) -> pd.DataFrame:
    """Each unit's mean share of a document's sentences carrying each frame, with its 95% bootstrap interval
    over the unit's documents, and the mean share of the rest of its whole."""
    from analysis.narratives.frames import _boot_means

    if not tally.frames or not units:
        return pd.DataFrame(columns=FRAME_COLUMNS)
    shares = pd.DataFrame(tally.frames, columns=["doc_id", "group", "subgroup", "frame", "share"])
    shares = shares.sort_values(["doc_id", "frame"], kind="mergesort")
    frames = list(dict.fromkeys(r[3] for r in tally.frames))
    key = shares["group"] + SEP + shares["subgroup"]
    rng = np.random.default_rng(seed)
    rows = []
    for u in units:
        mine = key.isin([g + SEP + s for g, s in u.keys])
        whole = key.isin([g + SEP + s for g, s in u.reference])
        for f in frames:
            at = shares["frame"] == f
            x = shares.loc[at & mine, "share"].to_numpy(float)
            rest = shares.loc[at & whole & ~mine, "share"].to_numpy(float)
            if not len(x):
                continue
            lo, hi = np.quantile(_boot_means(x, rng, n_boot), [0.025, 0.975])
            rows.append({"level": u.level, "group": u.group, "subgroup": u.subgroup, "frame": f, "n_docs": len(x),
                         "share": x.mean(), "ci_low": float(lo), "ci_high": float(hi),
                         "share_rest": rest.mean() if len(rest) else np.nan})
    return pd.DataFrame(rows, columns=FRAME_COLUMNS).astype({"n_docs": "int64"})


def categories_table(tally: GroupTally, units: list[Unit]) -> pd.DataFrame:
    """Each unit's entity mentions per kind of actor (category): mentions per 10,000 word tokens, in the unit and
    in the rest of its whole, and the share of its documents that mention the kind at least once."""
    cats = sorted({c for (_, _, c) in tally.mentions})
    rows = []
    for u in units:
        total = sum(tally.total[k] for k in u.keys)
        total_rest = sum(tally.total[k] for k in u.reference) - total
        n_docs = sum(tally.n_docs[k] for k in u.keys)
        for c in cats:
            m = sum(tally.mentions[(*k, c)] for k in u.keys)
            m_rest = sum(tally.mentions[(*k, c)] for k in u.reference) - m
            d = sum(tally.mention_docs[(*k, c)] for k in u.keys)
            rows.append({"level": u.level, "group": u.group, "subgroup": u.subgroup, "category": c, "mentions": m,
                         "docs": d, "n_docs": n_docs, "per_10k": m * 10_000 / total if total else 0.0,
                         "per_10k_rest": m_rest * 10_000 / total_rest if total_rest else np.nan,
                         "doc_share": d / n_docs if n_docs else 0.0})
    return pd.DataFrame(rows, columns=CATEGORY_COLUMNS).astype({"mentions": "int64", "docs": "int64",
                                                                "n_docs": "int64"})


def overview_tables(tally: GroupTally, p: dict) -> dict[str, pd.DataFrame]:
    """The tables of page 08 (``group_sizes``, ``group_languages``, ``group_keyness``, ``group_frames``,
    ``group_categories``)."""
    sizes, units = plan(tally, bool(p.get("subgroup_col")), always=(p["group_a"], p["group_b"]))
    languages = languages_table(tally, units)
    return {"group_sizes": sizes, "group_languages": languages,
            "group_keyness": keyness_table(tally, units, p["min_count"], p["top_n"], languages),
            "group_frames": frames_table(tally, units, seed=p["seed"]),
            "group_categories": categories_table(tally, units)}
