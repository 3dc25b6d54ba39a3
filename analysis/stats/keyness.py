"""Keyness: which terms one group (A) uses more than another (B), by how much, and how sure we are.

Input: a frequency table of :mod:`analysis.counts` (group, term, count, docs, n_docs, total). B is another
value of the group column, or ``"rest"``: every group but A pooled. For each term, with a = count in A,
b = count in B, N_A and N_B the groups' token totals (stop words included), D the document counts:

- ``g2``: log-likelihood G² (Dunning 1993) of the full 2x2 table [[a, b], [N_A-a, N_B-b]], the "4-term"
  form of quanteda, scattertext and AntConc: 2 Σ O ln(O/E), 0 ln 0 = 0 (equal to
  ``scipy.stats.chi2_contingency(table, correction=False, lambda_="log-likelihood")``), signed: positive when
  the term is relatively more frequent in A. ``p_value``: chi-square with 1 degree of freedom,
  ``erfc(sqrt(G²/2))`` (exact for 1 df). ``p_adjusted``: Benjamini-Hochberg over the terms kept (or
  Bonferroni, or none: ``correction``); ``p_bonferroni`` always beside it.
- ``g2_2term``: the 2-term form of Rayson & Garside (2000) and of Rayson's online log-likelihood calculator,
  2 (a ln(a/E_A) + b ln(b/E_B)) with E_A = N_A (a+b)/(N_A+N_B); signed as g2. Close to g2 for rare terms.
- ``log_ratio``: Hardie (2014), log2((a/N_A)/(b/N_B)); a zero count is replaced by 0.5 (Hardie's own
  convention in CQPweb), so the value stays finite and shows the order of magnitude.
- ``pct_diff``: %DIFF of Gabrielatos & Marchi (2012), 100 (f_A - f_B)/f_B on frequencies per million; as
  they do, a zero frequency in B is replaced by 1e-18, so a term absent from B gets a huge (not infinite) value.
- ``logodds`` and ``logodds_z``: log-odds ratio with informative Dirichlet prior (Monroe, Colaresi & Quinn
  2008, "Fightin' Words", eq. 16-22): δ = ln((a+α_w)/(N_A+α0-a-α_w)) - ln((b+α_w)/(N_B+α0-b-α_w)),
  variance 1/(a+α_w) + 1/(b+α_w), z = δ/sqrt(variance). Prior (``prior``): "pooled" (default),
  α_w = alpha0 x (share of the term in A and B pooled, over the whole vocabulary of the table, stop words
  included), so Σα_w = alpha0 (default 1000 pseudo-tokens); a number c for the uninformative prior α_w = c
  (α0 = c x vocabulary); or a mapping term -> background count, scaled to sum to alpha0 (a term the mapping
  lacks gets half the smallest background count).
- ``td_g2``: text-dispersion keyness (Egbert & Biber 2019): the same signed 4-term G² over *documents*,
  [[docs_a, docs_b], [n_docs_a-docs_a, n_docs_b-docs_b]], so a term that fills one long article scores low.
- ``direction``: the name of the group the term is more frequent in (A's or B's, "rest" for the rest), ""
  when the relative frequencies are equal.

Filters, before the multiple-comparison correction: stop words (a term in ``stopwords``; an n-gram whose
first or last word is one), ``min_count`` (a + b), ``min_docs`` (documents holding the term in the group
it is key for). Rows are sorted by |g2| descending, then term.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from analysis.errors import ComparisonError, ParameterError

REST = "rest"
NEEDED = ("term", "count", "docs", "n_docs", "total")
COLUMNS = ["term", "count_a", "count_b", "total_a", "total_b", "docs_a", "docs_b", "n_docs_a", "n_docs_b",
           "per_10k_a", "per_10k_b", "g2", "p_value", "p_adjusted", "p_bonferroni", "g2_2term", "log_ratio",
           "pct_diff", "logodds", "logodds_z", "td_g2", "direction"]
_erfc = np.vectorize(math.erfc, otypes=[float])


def xlogy(x, y):
    """x ln y with 0 ln(anything) = 0 (the convention of G²)."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    out = np.zeros(np.broadcast(x, y).shape)
    pos = x > 0
    np.log(y, out=out, where=pos)
    return np.where(pos, x * out, 0.0)


def g2_4term(a, b, c, d) -> np.ndarray:
    """Unsigned G² of the 2x2 tables [[a, b], [c, d]] (arrays): 2 Σ O ln(O/E), E from the margins."""
    a, b, c, d = (np.asarray(v, dtype=float) for v in (a, b, c, d))
    n = a + b + c + d
    r1, r2, c1, c2 = a + b, c + d, a + c, b + d
    with np.errstate(divide="ignore", invalid="ignore"):
        s = (xlogy(a, a * n / (r1 * c1)) + xlogy(b, b * n / (r1 * c2))
             + xlogy(c, c * n / (r2 * c1)) + xlogy(d, d * n / (r2 * c2)))
    return np.maximum(2.0 * np.nan_to_num(s), 0.0)


def g2_2term(a, b, total_a, total_b) -> np.ndarray:
    """Unsigned 2-term log-likelihood of Rayson & Garside (2000): 2 Σ O ln(O/E) over the term's two cells."""
    a, b, na, nb = (np.asarray(v, dtype=float) for v in (a, b, total_a, total_b))
    ea = na * (a + b) / (na + nb)
    eb = nb * (a + b) / (na + nb)
    with np.errstate(divide="ignore", invalid="ignore"):
        return 2.0 * (xlogy(a, a / ea) + xlogy(b, b / eb))


def chi2_sf_1df(g2) -> np.ndarray:
    """Upper tail of chi-square with 1 degree of freedom: P(X >= g2) = erfc(sqrt(g2/2))."""
    g2 = np.abs(np.asarray(g2, dtype=float))
    return _erfc(np.sqrt(g2 / 2.0)) if g2.size else g2.copy()


def log_ratio(a, b, total_a, total_b, zero: float = 0.5) -> np.ndarray:
    """Hardie's (2014) Log Ratio, log2 of the ratio of relative frequencies; a zero count counts as ``zero``."""
    a = np.where(np.asarray(a) == 0, zero, a).astype(float)
    b = np.where(np.asarray(b) == 0, zero, b).astype(float)
    return np.log2((a / np.asarray(total_a, float)) / (b / np.asarray(total_b, float)))


def pct_diff(a, b, total_a, total_b, zero: float = 1e-18) -> np.ndarray:
    """%DIFF (Gabrielatos & Marchi 2012) on frequencies per million; a zero in B is replaced by ``zero``."""
    fa = np.asarray(a, float) * 1e6 / np.asarray(total_a, float)
    fb = np.asarray(b, float) * 1e6 / np.asarray(total_b, float)
    fb = np.where(fb == 0, zero, fb)
    return (fa - fb) * 100.0 / fb


def log_odds_dirichlet(a, b, total_a, total_b, alpha_w, alpha0: float) -> tuple[np.ndarray, np.ndarray]:
    """Monroe, Colaresi & Quinn (2008): log-odds ratio δ with Dirichlet prior α_w (α0 = Σα_w) and its z."""
    a, b, alpha_w = (np.asarray(v, float) for v in (a, b, alpha_w))
    na, nb = float(total_a), float(total_b)
    delta = (np.log((a + alpha_w) / (na + alpha0 - a - alpha_w))
             - np.log((b + alpha_w) / (nb + alpha0 - b - alpha_w)))
    var = 1.0 / (a + alpha_w) + 1.0 / (b + alpha_w)
    return delta, delta / np.sqrt(var)


def benjamini_hochberg(p) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (step-up, monotone, capped at 1), in the input order."""
    p = np.asarray(p, float)
    m = p.size
    if m == 0:
        return p.copy()
    order = np.argsort(p, kind="stable")
    ranked = p[order] * m / np.arange(1, m + 1)
    ranked = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(ranked, 1.0)
    return out


def bonferroni(p) -> np.ndarray:
    p = np.asarray(p, float)
    return np.minimum(p * p.size, 1.0)


def _side(freqs: pd.DataFrame, group_col: str, values: list[str]) -> tuple[pd.DataFrame, int, int]:
    """Counts per term of the pooled ``values`` groups, with the pooled token total and document count."""
    sub = freqs[freqs[group_col].isin(values)]
    per_group = sub.groupby(group_col, sort=True)[["total", "n_docs"]].first()
    counts = sub.groupby("term", sort=False)[["count", "docs"]].sum()
    return counts, int(per_group["total"].sum()), int(per_group["n_docs"].sum())


def _drop_stopwords(terms: pd.Index, stopwords: Iterable[str] | None) -> np.ndarray:
    if not stopwords:
        return np.ones(len(terms), bool)
    stop = frozenset(str(w).lower().replace("\u2019", "'") for w in stopwords)
    keep = []
    for t in terms:
        words = t.split(" ")
        keep.append(words[0] not in stop and words[-1] not in stop)
    return np.asarray(keep, bool)


def _prior(prior, terms: pd.Index, pooled: np.ndarray, alpha0: float) -> tuple[np.ndarray, float]:
    """α_w for the terms of the comparison and α0 = Σα_w over the whole vocabulary."""
    if isinstance(prior, str):
        if prior != "pooled":
            raise ParameterError("prior", f"unknown prior {prior!r}", "'pooled', a number, or term -> count")
        if not alpha0 > 0:
            raise ParameterError("alpha0", f"must be > 0, not {alpha0!r}")
        return alpha0 * pooled / pooled.sum(), float(alpha0)
    if isinstance(prior, (int, float)) and not isinstance(prior, bool):
        if not prior > 0:
            raise ParameterError("prior", f"a uniform prior must be > 0, not {prior!r}")
        return np.full(len(terms), float(prior)), float(prior) * len(terms)
    if isinstance(prior, (Mapping, pd.Series)):
        bg = pd.Series(prior, dtype=float)
        if (bg < 0).any() or not (bg > 0).any():
            raise ParameterError("prior", "background counts must be >= 0, with at least one > 0")
        fill = float(bg[bg > 0].min()) / 2
        w = bg.reindex(terms).fillna(fill).to_numpy(float)
        w = np.where(w > 0, w, fill)
        return alpha0 * w / w.sum(), float(alpha0)
    raise ParameterError("prior", f"cannot use {type(prior).__name__} as a prior",
                         "'pooled', a number, or term -> count")


def keyness(freqs: pd.DataFrame, group_a: str, group_b: str = REST, min_count: int = 3, min_docs: int = 1,
            prior="pooled", alpha0: float = 1000.0, correction: str = "bh", stopwords: Iterable[str] | None = None,
            group_col: str = "group") -> pd.DataFrame:
    """Keyness of every term of ``freqs`` for ``group_a`` against ``group_b`` (a group or "rest").

    See the module docstring for every column. Raises ComparisonError when the comparison is impossible
    (a group absent or without tokens, a group against itself, no term left after the filters).
    """
    if group_col not in freqs.columns and group_col == "group" and len(freqs.columns):
        group_col = freqs.columns[0]
    missing = [c for c in (group_col, *NEEDED) if c not in freqs.columns]
    if missing:
        raise ParameterError("freqs", f"the frequency table lacks the column(s) {', '.join(missing)} "
                             "(give the table of analysis.counts)")
    if correction not in ("bh", "bonferroni", "none"):
        raise ParameterError("correction", f"unknown correction {correction!r}", "bh, bonferroni, none")
    for name, v in (("min_count", min_count), ("min_docs", min_docs)):
        if not isinstance(v, (int, np.integer)) or isinstance(v, bool) or v < 0:
            raise ParameterError(name, f"must be a whole number >= 0, not {v!r}")
    group_a, group_b = str(group_a), str(group_b)
    groups = sorted(set(freqs[group_col].astype(str)))
    shown = ", ".join(groups[:20]) + (" ..." if len(groups) > 20 else "")
    if group_a == group_b:
        raise ComparisonError(f"cannot compare group {group_a!r} with itself: choose two different groups")
    if group_a not in groups:
        raise ComparisonError(f"group_a {group_a!r} has no tokens in the corpus (groups with tokens: {shown})")
    if group_b == REST:
        b_values = [g for g in groups if g != group_a]
        if not b_values:
            raise ComparisonError(f"group_b 'rest' is empty: every document is in group {group_a!r}")
    elif group_b not in groups:
        raise ComparisonError(f"group_b {group_b!r} has no tokens in the corpus (groups with tokens: {shown})")
    else:
        b_values = [group_b]
    freqs = freqs.assign(**{group_col: freqs[group_col].astype(str)})
    ca, total_a, n_docs_a = _side(freqs, group_col, [group_a])
    cb, total_b, n_docs_b = _side(freqs, group_col, b_values)
    for g, tot in ((group_a, total_a), (group_b, total_b)):
        if tot <= 0:
            raise ComparisonError(f"group {g!r} has no tokens to count")
    terms = ca.index.union(cb.index).sort_values()
    ca, cb = ca.reindex(terms, fill_value=0), cb.reindex(terms, fill_value=0)
    a, b = ca["count"].to_numpy(np.int64), cb["count"].to_numpy(np.int64)
    alpha_w, a0 = _prior(prior, terms, (a + b).astype(float), alpha0)

    keep = _drop_stopwords(terms, stopwords)
    if not keep.any():
        raise ComparisonError("no term is left once stop words are removed")
    for g, counts in ((group_a, a), (group_b, b)):
        if not counts[keep].any():
            raise ComparisonError(f"group {g!r} has no word left once stop words are removed: its texts are "
                                  "stop words only, so no term can be key for it")
    keep &= (a + b) >= min_count
    if not keep.any():
        raise ComparisonError(f"no term occurs at least min_count={min_count} times in the two groups")
    da, db = ca["docs"].to_numpy(np.int64), cb["docs"].to_numpy(np.int64)
    more_a = a * float(total_b) > b * float(total_a)
    keep &= np.where(more_a, da, db) >= min_docs
    if not keep.any():
        raise ComparisonError(f"no term is found in at least min_docs={min_docs} documents of the group "
                              "it is key for")
    terms, a, b, da, db, alpha_w, more_a = (v[keep] for v in (terms, a, b, da, db, alpha_w, more_a))

    less_a = a * float(total_b) < b * float(total_a)
    sign = np.where(less_a, -1.0, 1.0)
    g2 = sign * g2_4term(a, b, total_a - a, total_b - b)
    p = chi2_sf_1df(g2)
    p_bonf = bonferroni(p)
    p_adj = {"bh": benjamini_hochberg(p), "bonferroni": p_bonf, "none": p}[correction]
    two = sign * g2_2term(a, b, total_a, total_b)
    lo, z = log_odds_dirichlet(a, b, total_a, total_b, alpha_w, a0)
    td_sign = np.where(da * float(n_docs_b) < db * float(n_docs_a), -1.0, 1.0)
    td = td_sign * g2_4term(da, db, n_docs_a - da, n_docs_b - db)
    direction = np.where(more_a, group_a, np.where(less_a, group_b, ""))
    out = pd.DataFrame({
        "term": pd.array(np.asarray(terms, dtype=object), dtype="str"),
        "count_a": a, "count_b": b,
        "total_a": np.full(len(a), total_a, np.int64), "total_b": np.full(len(a), total_b, np.int64),
        "docs_a": da, "docs_b": db,
        "n_docs_a": np.full(len(a), n_docs_a, np.int64), "n_docs_b": np.full(len(a), n_docs_b, np.int64),
        "per_10k_a": a * 10_000 / total_a, "per_10k_b": b * 10_000 / total_b,
        "g2": g2, "p_value": p, "p_adjusted": p_adj, "p_bonferroni": p_bonf, "g2_2term": two,
        "log_ratio": log_ratio(a, b, total_a, total_b), "pct_diff": pct_diff(a, b, total_a, total_b),
        "logodds": lo, "logodds_z": z, "td_g2": td,
        "direction": pd.array(direction.astype(object), dtype="str"),
    })
    order = np.argsort(-np.abs(g2), kind="stable")  # terms are already in order: ties stay sorted by term
    return out.iloc[order].reset_index(drop=True)[COLUMNS]
