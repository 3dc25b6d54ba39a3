"""Findings of the comparison written as sentences generated from the computed tables (none typed by hand).

Each finding is one row: its topic, the sentence, the table it comes from (``tables/NAME.csv``, named in the
sentence) and, where one exists, the anchor of the figure in the comparison page (``#fig-...``). The rules are
conservative on purpose:
- a key term is called over-represented only when its BH-adjusted p-value is below :data:`ALPHA`; otherwise the
  sentence says that no term reaches significance;
- a frame difference is stated only when ``frame_comparison.supported`` is true (enough documents on both
  sides and an interval that excludes zero); otherwise the sentence says the data cannot tell.
"""
from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

ALPHA = 0.05
FIGURES = {"keyness": "fig-keyness", "frames": "fig-frames", "actors": "fig-actors", "voices": "fig-voices"}


@dataclass(frozen=True)
class Finding:
    topic: str
    text: str
    table: str
    anchor: str = ""


def _n(value) -> str:
    """An integer with a thin space between thousands."""
    return f"{int(value):,}".replace(",", "\u202f")


def _pct(value) -> str:
    return f"{100 * float(value):.1f}\u202f%"


def _p(value, name: str = "p") -> str:
    """``p < 0.001`` or ``p = 0.042``."""
    v = float(value)
    return f"{name} < 0.001" if v < 0.001 else f"{name} = {v:.3f}"


def _quote(term) -> str:
    return f"“{term}”"


def _side_counts(analysis) -> tuple[int, int]:
    docs = analysis.documents
    return int((docs["group"] == analysis.group_a).sum()), int((docs["group"] == analysis.group_b).sum())


def corpus_findings(analysis) -> list[Finding]:
    a, b = analysis.group_a, analysis.group_b
    docs = analysis.documents
    na, nb = _side_counts(analysis)
    text = f"The comparison covers {_n(na)} document(s) of {a} (A) and {_n(nb)} of {b} (B)"
    if "n_tokens" in docs.columns:
        ta = docs.loc[docs["group"] == a, "n_tokens"].sum()
        tb = docs.loc[docs["group"] == b, "n_tokens"].sum()
        text += f", {_n(ta)} and {_n(tb)} word tokens"
    text += " (tables/documents.csv)."
    out = [Finding("corpus", text, "documents.csv")]
    if min(na, nb) < 5:
        out.append(Finding("corpus", f"With {_n(min(na, nb))} document(s) on the smaller side, differences between "
                           "the groups describe these texts, not the institutions behind them: tests that need "
                           "several documents per side say when they cannot conclude (tables/documents.csv).",
                           "documents.csv"))
    return out


def cross_language_findings(analysis, top: int = 3) -> list[Finding]:
    """When the sides are written in different languages: why word keyness across them is no finding, and each
    side's key words against a reference in its own language instead."""
    lc = getattr(analysis, "language_comparison", None) or {}
    if lc.get("comparable", True):
        return []
    out = [Finding("vocabulary", f"Word and bigram keyness across the sides is not a finding here: {lc['reason']} "
                   "(tables/language_mix.csv).", "language_mix.csv", "")]
    ref = analysis.keyness_reference
    if ref is None or ref.empty:
        return out
    for (side, lang), sub in ref.groupby(["side", "language"], sort=False):
        sub = sub[(sub["g2"] > 0) & (sub["p_adjusted"] < ALPHA)].head(top)
        if sub.empty:
            continue
        terms = "; ".join(f"{_quote(r.term)} (G² = {float(r.g2):.1f})" for r in sub.itertuples(index=False))
        out.append(Finding("vocabulary", f"Against {sub['reference'].iloc[0]} (the reference in its own language, "
                           f"{lang}), {side} stands out by {terms} (tables/keyness_reference.csv).",
                           "keyness_reference.csv", ""))
    return out


def keyness_findings(analysis, table: str = "keyness", what: str = "word", top: int = 3) -> list[Finding]:
    k = getattr(analysis, table)
    if k is None or k.empty:
        return []
    if table in ("keyness", "keyness_bigrams") and not (getattr(analysis, "language_comparison", None)
                                                        or {}).get("comparable", True):
        return []  # two languages: cross_language_findings says why and what is shown instead
    a, b = analysis.group_a, analysis.group_b
    pcol = "p_adjusted" if "p_adjusted" in k.columns else "p_value"
    out = []
    anchor = FIGURES["keyness"] if table == "keyness" else ""
    for side, other, sign in ((a, b, 1), (b, a, -1)):
        sub = k[(k["g2"] * sign > 0)]
        sig = sub[sub[pcol] < ALPHA].head(top)
        if sig.empty:
            best = sub.head(1)
            extra = ""
            if not best.empty:
                r = best.iloc[0]
                extra = (f"; the strongest candidate is {_quote(r['term'])} ({_n(r['count_a'] if sign > 0 else r['count_b'])} "
                         f"vs {_n(r['count_b'] if sign > 0 else r['count_a'])} occurrences, {_p(r[pcol], 'adjusted p')})")
            out.append(Finding("vocabulary", f"No {what} is significantly more frequent in {side} than in {other} "
                               f"after correction for multiple tests (Benjamini–Hochberg, α = {ALPHA}){extra} "
                               f"(tables/{table}.csv).", f"{table}.csv", anchor))
            continue
        parts = []
        for r in sig.itertuples(index=False):
            ca, cb = (r.count_a, r.count_b) if sign > 0 else (r.count_b, r.count_a)
            parts.append(f"{_quote(r.term)} ({_n(ca)} vs {_n(cb)} occurrences, G² = {abs(float(r.g2)):.1f}, "
                         f"{_p(getattr(r, pcol), 'adjusted p')})")
        out.append(Finding("vocabulary", f"The {what}s most over-represented in {side} relative to {other} are "
                           + "; ".join(parts) + f" (tables/{table}.csv).", f"{table}.csv", anchor))
    return out


def coverage_findings(analysis) -> list[Finding]:
    """Where the concept or frame lexicons reach one side's text much more than the other's: a difference of
    concepts or frames between the sides may then come from the lexicon, not the texts."""
    gap = getattr(analysis, "coverage_gap", None)
    if gap is None or gap.empty:
        return []
    cov = gap.set_index("measure")
    text = "; ".join(f"{m.replace('share_', '').replace('_', ' ')} {r.value_a:.0%} in {r.side_a} against "
                     f"{r.value_b:.0%} in {r.side_b}" for m, r in cov.iterrows())
    out = [Finding("coverage", f"Lexicon coverage (share of content tokens and of sentences the concept and frame "
                   f"lexicons reach): {text} (tables/coverage.csv).", "coverage.csv", "")]
    out += [Finding("coverage", w + " (tables/coverage_gap.csv)", "coverage_gap.csv", "")
            for w in gap.loc[gap["differs"].astype(bool), "warning"]]
    return out


def frame_findings(analysis) -> list[Finding]:
    comp = analysis.frame_comparison
    if comp is None or comp.empty:
        return []
    a, b = analysis.group_a, analysis.group_b
    out = []
    supported = comp["supported"].fillna(False).astype(bool)
    for r in comp[supported].itertuples(index=False):
        more, less = (a, b) if r.diff > 0 else (b, a)
        hi_share, lo_share = (r.share_a, r.share_b) if r.diff > 0 else (r.share_b, r.share_a)
        out.append(Finding("frames", f"The frame {_quote(r.frame)} takes a larger share of the sentences of {more} "
                           f"({_pct(hi_share)}) than of {less} ({_pct(lo_share)}): difference A − B = "
                           f"{100 * r.diff:+.1f} points, 95 % bootstrap interval [{100 * r.ci_low:+.1f}, "
                           f"{100 * r.ci_high:+.1f}], {_p(r.p_perm, 'permutation p')} (tables/frame_comparison.csv).",
                           "frame_comparison.csv", FIGURES["frames"]))
    rest = comp[~supported]
    if not rest.empty:
        na, nb = int(rest["n_docs_a"].max()), int(rest["n_docs_b"].max())
        names = ", ".join(_quote(f) for f in rest["frame"])
        out.append(Finding("frames", f"For {len(rest)} frame(s) ({names}) the data cannot carry a difference between "
                           f"{a} and {b} ({_n(na)} and {_n(nb)} documents; the interval of the difference includes "
                           "zero or a side has too few documents), so none is claimed (tables/frame_comparison.csv).",
                           "frame_comparison.csv", FIGURES["frames"]))
    return out


def actor_findings(analysis, categories=("platform", "drug", "agency", "operation")) -> list[Finding]:
    """Per category: what each side names most, and what only one side names (by label, in the report's
    language)."""
    from analysis.pages.summaries import name_column

    ent = analysis.entities
    if ent is None:
        return []
    name = name_column(ent)
    a, b = analysis.group_a, analysis.group_b
    out = []
    for cat in categories:
        sub = ent[ent["category"] == cat]
        parts = []
        for g in (a, b):
            counts = (sub[sub["group"] == g].groupby(name).agg(n=("doc_id", "size"), docs=("doc_id", "nunique"))
                      .reset_index().sort_values(["n", name], ascending=[False, True], kind="mergesort"))
            if counts.empty:
                parts.append(f"{g} names none")
            else:
                r = counts.iloc[0]
                parts.append(f"{g} names {_quote(r[name])} most ({_n(r['n'])} mention(s) in {_n(r['docs'])} "
                             f"document(s))")
        if sub.empty:
            continue
        only_a = sorted(set(sub.loc[sub["group"] == a, name]) - set(sub.loc[sub["group"] == b, name]))
        only_b = sorted(set(sub.loc[sub["group"] == b, name]) - set(sub.loc[sub["group"] == a, name]))
        text = f"Category {cat}: " + "; ".join(parts)
        if only_a or only_b:
            text += (f". Named by one side only: {a}: {', '.join(only_a[:5]) or 'none'}; "
                     f"{b}: {', '.join(only_b[:5]) or 'none'}")
        out.append(Finding("actors", text + " (tables/entities.csv).", "entities.csv", FIGURES["actors"]))
    return out


def claim_findings(analysis) -> list[Finding]:
    cl = analysis.claims
    if cl is None:
        return []
    a, b = analysis.group_a, analysis.group_b
    docs = analysis.documents
    parts = []
    for g in (a, b):
        sub = cl[cl["group"] == g]
        n = len(sub)
        piece = f"{g} puts forward {_n(n)} quantitative claim(s)"
        if "n_tokens" in docs.columns:
            tokens = docs.loc[docs["group"] == g, "n_tokens"].sum()
            if tokens:
                piece += f" ({1000 * n / tokens:.1f} per 1,000 word tokens)"
        if n:
            cats = sub["category"].value_counts()
            cats = cats.sort_index(kind="mergesort").sort_values(ascending=False, kind="mergesort")
            hedged = int((sub["hedge"].fillna("").astype(str).str.len() > 0).sum())
            piece += (f", most often about {cats.index[0]} ({_n(cats.iloc[0])}), {_n(hedged)} of them hedged or "
                      "approximate")
        parts.append(piece)
    return [Finding("claims", "; ".join(parts) + " (tables/claims.csv).", "claims.csv")]


def voice_findings(analysis) -> list[Finding]:
    q = analysis.quotes
    if q is None:
        return []
    a, b = analysis.group_a, analysis.group_b
    parts = []
    for g in (a, b):
        sub = q[q["group"] == g]
        if sub.empty:
            parts.append(f"{g} quotes nobody")
            continue
        kinds = sub["voice_kind"].fillna("unknown").astype(str).value_counts()
        kinds = kinds.sort_index(kind="mergesort").sort_values(ascending=False, kind="mergesort")
        shown = ", ".join(f"{k} {_n(v)}" for k, v in kinds.head(3).items())
        parts.append(f"{g} quotes {_n(len(sub))} time(s), mostly {kinds.index[0]} voices ({shown})")
    return [Finding("voices", "Who speaks: " + "; ".join(parts) + " (tables/quotes.csv).", "quotes.csv",
                    FIGURES["voices"])]


def findings(analysis) -> pd.DataFrame:
    """Every finding as a table [topic, text, table, anchor], in reading order. Worked out once per analysis:
    kept on it (``findings_table``, which the cache stores with the tables) for the index page and page 05."""
    table = getattr(analysis, "findings_table", None)
    if table is None:
        rows = (corpus_findings(analysis) + cross_language_findings(analysis) + keyness_findings(analysis)
                + keyness_findings(analysis, "keyness_bigrams", "bigram", top=2)
                + keyness_findings(analysis, "concept_keyness", "concept") + coverage_findings(analysis)
                + frame_findings(analysis)
                + actor_findings(analysis) + claim_findings(analysis) + voice_findings(analysis))
        table = pd.DataFrame([f.__dict__ for f in rows], columns=["topic", "text", "table", "anchor"])
        if hasattr(analysis, "findings_table"):
            analysis.findings_table = table
    return table.copy()


def summary(analysis, limit: int = 5) -> list[str]:
    """A few findings for the index page, plain text (escaped by the page)."""
    f = findings(analysis)
    order = ["vocabulary", "frames", "coverage", "actors", "claims", "voices", "corpus"]
    picked = []
    for topic in order:
        picked += list(f.loc[f["topic"] == topic, "text"].head(1))
    return picked[:limit]


def findings_html(analysis) -> str:
    """The findings as an HTML list; every sentence escaped, each with a link to its figure when there is one."""
    items = []
    for r in findings(analysis).itertuples(index=False):
        link = f' <a href="#{html.escape(r.anchor)}">(figure)</a>' if r.anchor else ""
        items.append(f"<li>{html.escape(r.text)}{link}</li>")
    return '<ol class="kit-findings">' + "".join(items) + "</ol>"


def show(analysis) -> None:
    from IPython.display import HTML, display

    display(HTML(findings_html(analysis)))
