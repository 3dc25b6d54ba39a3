"""Small tidy summaries the report pages show: sizes, sources and dates per group, counts of actors, claims
and voices per group, frame evidence. Kept here, not in the notebooks, so that they are tested and reusable.

Every function takes the tables of :mod:`analysis.pipeline` (one row per document, mention, claim, quote...)
and returns a DataFrame sorted deterministically (ties broken by name).
"""
from __future__ import annotations

import pandas as pd

from analysis.corpus import parse_partial_date


def group_sizes(docs: pd.DataFrame, group_a: str, group_b: str) -> pd.DataFrame:
    """One row per side: documents, word tokens, sentences, median length, dated documents."""
    rows = []
    for g, side in ((group_a, "A"), (group_b, "B")):
        sub = docs[docs["group"] == g]
        dates = sub["date"].fillna("").astype(str) if "date" in sub.columns else pd.Series("", index=sub.index)
        rows.append({"group": g, "side": side, "documents": len(sub),
                     "word tokens": int(sub["n_tokens"].sum()),
                     "sentences": int(sub["n_sentences"].sum()),
                     "median length (tokens)": float(sub["n_tokens"].median()) if len(sub) else 0.0,
                     "dated documents": int((dates != "").sum())})
    return pd.DataFrame(rows)


def documents_per_source(docs: pd.DataFrame, column: str = "source") -> pd.DataFrame:
    """Documents per source and group (an empty source is shown as "(none stated)"); most frequent first."""
    src = docs.assign(**{column: docs[column].fillna("").replace("", "(none stated)")})
    return (src.groupby([column, "group"]).size().rename("documents").reset_index()
            .sort_values(["documents", column, "group"], ascending=[False, True, True], kind="mergesort")
            .reset_index(drop=True))


def date_ranges(docs: pd.DataFrame, group_a: str, group_b: str) -> pd.DataFrame:
    """Per side: dated and undated documents, earliest and latest date as written (partial ISO dates are
    placed at the first day they cover)."""
    dated = docs.assign(_d=docs["date"].fillna("").astype(str).map(parse_partial_date))
    rows = []
    for g in (group_a, group_b):
        sub = dated[(dated["group"] == g) & dated["_d"].notna()].sort_values(["_d", "doc_id"], kind="mergesort")
        rows.append({"group": g, "dated": len(sub), "undated": int((dated["group"] == g).sum()) - len(sub),
                     "earliest": sub["date"].iloc[0] if len(sub) else "",
                     "latest": sub["date"].iloc[-1] if len(sub) else ""})
    return pd.DataFrame(rows)


def count_by_group(table: pd.DataFrame, column: str, missing: str = "unknown") -> pd.DataFrame:
    """Rows of ``table`` per value of ``column`` and group: columns ``column``, group, n."""
    values = table[column].fillna(missing).replace("", missing)
    return (table.assign(**{column: values}).groupby([column, "group"]).size().rename("n").reset_index()
            .sort_values([column, "group"], kind="mergesort").reset_index(drop=True))


def name_column(entities: pd.DataFrame) -> str:
    """The column that names an entity on a page: ``label`` (in the report's language) when the table has it."""
    return "label" if "label" in entities.columns else "canonical"


def mentions_by_name(entities: pd.DataFrame, category: str) -> pd.DataFrame:
    """For one category of actors: one row per entity (by its label in the report's language), its mentions and
    documents in each group, most mentioned first."""
    name = name_column(entities)
    sub = entities[entities["category"] == category]
    table = (sub.groupby([name, "group"]).agg(mentions=("doc_id", "size"), documents=("doc_id", "nunique"))
             .reset_index().pivot_table(index=name, columns="group", values=["mentions", "documents"],
                                        fill_value=0))
    table.columns = [f"{v} ({g})" for v, g in table.columns]
    table = table.reset_index()
    mention_cols = [c for c in table.columns if c.startswith("mentions")]
    return (table.assign(_t=table[mention_cols].sum(axis=1))
            .sort_values(["_t", name], ascending=[False, True], kind="mergesort")
            .drop(columns="_t").reset_index(drop=True))


def speakers(quotes: pd.DataFrame) -> pd.DataFrame:
    """One row per speaker (with role and kind of voice) and group: the number of quotations, most first."""
    return (quotes.groupby(["group", "speaker", "role", "voice_kind"], dropna=False).size().rename("quotations")
            .reset_index().sort_values(["group", "quotations", "speaker"], ascending=[True, False, True],
                                       kind="mergesort").reset_index(drop=True))


def frame_shares_wide(frames: pd.DataFrame) -> pd.DataFrame:
    """One row per document, one column per frame: the share of its sentences that carry the frame."""
    wide = frames.pivot_table(index=["group", "doc_id"], columns="frame", values="share", aggfunc="first")
    wide.columns.name = None
    return wide.reset_index()


def frame_evidence(frame_sentences: pd.DataFrame) -> pd.DataFrame:
    """One row per frame and sentence, with the terms that triggered the frame in it (comma-separated)."""
    return (frame_sentences.groupby(["frame", "group", "doc_id", "sentence_id", "sentence"], sort=True)["term"]
            .agg(lambda t: ", ".join(sorted(set(map(str, t))))).reset_index())


def content_words(frequencies: pd.DataFrame) -> pd.DataFrame:
    """The rows of a word frequency table that are content words (kind "word", not a stop word), most
    frequent first in each group."""
    freq = frequencies
    if "is_stopword" in freq.columns:
        freq = freq[~freq["is_stopword"].astype(bool)]
    if "kind" in freq.columns:
        freq = freq[freq["kind"] == "word"]
    return freq.sort_values(["group", "count", "term"], ascending=[True, False, True], kind="mergesort")


def cleaning_summary(analysis) -> str:
    """One sentence on what cleaning the input left out (duplicates, emptied documents, characters)."""
    c = getattr(analysis, "cleaning", None) or {}
    if c.get("boilerplate", "off") == "off":
        return "Boilerplate removal is off (parameter boilerplate): the texts are analysed as loaded."
    docs = analysis.documents
    raw = int(docs["n_chars_raw"].sum()) if "n_chars_raw" in docs.columns else 0
    cut = int(docs["n_chars_boilerplate"].sum()) if "n_chars_boilerplate" in docs.columns else 0
    other = int(docs["n_chars_other_language"].sum()) if "n_chars_other_language" in docs.columns else 0
    dups, emptied = c.get("duplicates", []), c.get("emptied", [])
    text = (f"Of {raw:,} characters of the compared documents, {cut:,} ({cut / raw:.1%}) were repeated boilerplate "
            f"and {other:,} ({other / raw:.1%}) were in another language than their document; they are left out."
            if raw else "")
    text += f" {len(dups)} duplicate document(s) were left out"
    text += (": " + ", ".join(dups[:10]) + (" ..." if len(dups) > 10 else "") + ".") if dups else "."
    if emptied:
        text += (f" {len(emptied)} document(s) would have been left with no text; they keep their text: "
                 + ", ".join(emptied[:10]) + (" ..." if len(emptied) > 10 else "") + ".")
    return text.strip()


def boilerplate_by_source(boilerplate: pd.DataFrame) -> pd.DataFrame:
    """Per source and kind: blocks left out and the characters they took."""
    return (boilerplate.groupby(["source", "kind"]).agg(blocks=("text", "size"), n_chars=("n_chars", "sum"))
            .reset_index().sort_values(["source", "kind"], kind="mergesort").reset_index(drop=True))


def concepts_wide(freqs: pd.DataFrame) -> pd.DataFrame:
    """Concept frequencies, one row per concept, one column per group and language (per 10,000 content tokens),
    most frequent first."""
    cell = freqs["group"].astype(str) + " (" + freqs["language"].astype(str) + ")"
    wide = freqs.assign(cell=cell).pivot_table(index="term", columns="cell", values="per_10k", fill_value=0.0)
    wide = wide.assign(_t=wide.sum(axis=1)).sort_values(["_t"], ascending=False, kind="mergesort").drop(columns="_t")
    wide.columns.name = None
    return wide.reset_index().rename(columns={"term": "concept"})


def uncovered_wide(uncovered: pd.DataFrame) -> pd.DataFrame:
    """The uncovered words by rank, one column per group and language ("word (count)")."""
    cell = uncovered["group"].astype(str) + " (" + uncovered["language"].astype(str) + ")"
    shown = uncovered["word"].astype(str) + " (" + uncovered["count"].astype(str) + ")"
    wide = uncovered.assign(cell=cell, shown=shown).pivot_table(index="rank", columns="cell", values="shown",
                                                                aggfunc="first").fillna("")
    wide.columns.name = None
    return wide.reset_index()


def concept_lines_side_by_side(lines: pd.DataFrame, concepts: list[str]) -> pd.DataFrame:
    """The concept lines of ``concepts``, one row per (concept, rank), one column per group and language."""
    from analysis.narratives.concepts import concordance_side_by_side

    sub = lines[lines["concept"].isin(concepts)]
    if sub.empty:
        return pd.DataFrame(columns=["concept", "rank"])
    wide = concordance_side_by_side(sub)
    order = {c: i for i, c in enumerate(concepts)}
    return wide.sort_values(["concept", "rank"], key=lambda s: s.map(order) if s.name == "concept" else s,
                            kind="mergesort").reset_index(drop=True)


def periods_summary(analysis) -> str:
    """One sentence on the periods of page 07 and the documents that could not be placed."""
    per = getattr(analysis, "periods", None) or {}
    n, names = int(per.get("n_undated", 0)), per.get("undated", [])
    unit = per.get("unit") or "period"
    text = f"Documents are grouped by {unit}."
    docs = getattr(analysis, "documents", None)
    if docs is not None and "date" in docs.columns:
        dates = sorted(d for d in docs["date"].fillna("").astype(str) if d)
        if dates:
            text += (f" Dates run from {dates[0]} to {dates[-1]}: the first and last {unit} may cover only part "
                     f"of it, so read their document counts.")
    table = getattr(analysis, "documents_by_period", None)
    if table is not None and not table.empty:
        from analysis.stats.periods import period_range

        span, used = period_range(table["period"]), set(table["period"])
        if len(span) > len(used):
            text += (f" {len(span) - len(used)} of the {len(span)} {unit}s from the first to the last have no "
                     f"document (gaps in the lines of the figures; parameter period sets a longer unit).")
    if n:
        shown = ", ".join(map(str, names[:20])) + (" ..." if n > 20 else "")
        text += (f" {n} document(s) have no date precise enough for a {unit} and are left out of this page: "
                 f"{shown} (tables/documents.csv lists every document with its date).")
    return text


def documents_by_period_wide(table: pd.DataFrame, group_a: str | None = None, group_b: str | None = None
                             ) -> pd.DataFrame:
    """Documents per period with documents (rows) and side (columns, A then B when given), as whole numbers."""
    wide = table.pivot_table(index="period", columns="group", values="n_docs", aggfunc="sum", fill_value=0)
    wide = wide.astype("int64")
    first = [g for g in (group_a, group_b) if g in wide.columns]
    wide = wide[first + [g for g in wide.columns if g not in first]]
    wide.columns.name = None
    wide.index.name = "period"
    return wide.reset_index()


def top_concepts(table: pd.DataFrame, n: int = 12) -> list[str]:
    """The ``n`` concepts of the concepts-by-period table with the most hits per document over every period
    and side (mean rate weighted by documents; ties by concept id): the panels of page 07's figure."""
    if table is None or table.empty:
        return []
    weight = (table["mean"] * table["n_docs"]).groupby(table["concept"]).sum()
    order = sorted(weight.items(), key=lambda kv: (-kv[1], kv[0]))
    return [c for c, w in order if w > 0][:n]


def key_terms_by_period_wide(table: pd.DataFrame, group_a: str, group_b: str, k: int = 8) -> pd.DataFrame:
    """The key terms by period, one row per period, one column per side (and language when a side has several):
    its ``k`` top terms by G², each with its log ratio against the side's other periods."""
    if table is None or table.empty:
        return pd.DataFrame(columns=["period"])
    t = table[table["rank"] <= k]
    several = t.groupby("group")["language"].nunique()
    rank = {group_a: 0, group_b: 1}
    cols = {}
    for (g, lang), sub in sorted(t.groupby(["group", "language"]), key=lambda kv: (rank.get(kv[0][0], 2), kv[0])):
        name = f"{g} ({lang})" if several.get(g, 1) > 1 else str(g)
        cols[name] = sub.sort_values(["period", "rank"]).groupby("period").apply(
            lambda s: ", ".join(f"{r.term} ({r.log_ratio:+.1f})" for r in s.itertuples()), include_groups=False)
    wide = pd.DataFrame(cols).fillna("")
    wide.index.name = "period"
    return wide.sort_index().reset_index()


def key_terms_summary(analysis) -> str:
    """What the key terms by period count and keep, and the sides and languages that have none."""
    from analysis.stats import periods as T

    text = (f"Counted: the {T.VOCABULARY:,} most frequent words of each side and language (stop words, numbers "
            f"and URLs left out), in dated documents only; kept: up to {T.KEY_TERMS} terms per period with a "
            f"positive G², a Benjamini–Hochberg adjusted p-value of at most {T.KEY_P:g} and at least "
            f"{T.KEY_MIN_DOCS} documents of the period holding the term.")
    table, per = analysis.key_terms_by_period, analysis.documents_by_period
    if per is None or per.empty:
        return text + " No document is dated: there is no period to compare."
    empty = []
    for g in (analysis.group_a, analysis.group_b):
        n = int((per["group"] == g).sum())
        have = 0 if table is None or table.empty else table.loc[table["group"] == g, "period"].nunique()
        if n < 2:
            empty.append(f" Nothing for {g}: {n} period(s) only, so no period can be compared with others.")
        elif have == 0:
            empty.append(f" Nothing for {g}: no period has a term passing these tests.")
    return text + "".join(empty)
