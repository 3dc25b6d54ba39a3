"""Language mix of each side, and whether word keyness across the sides can be read as a finding.

Word and n-gram keyness between an English side and a French side ranks the words of two languages ("the",
"attorney" against "plus", "trafic"): every term is "key", none says anything about the narratives. The kit
therefore measures each side's language mix (share of its counted tokens in each language) from a table of
per-document token counts, one row per document: ``doc_id``, ``group``, ``language``, ``n_tokens`` (the
document's counted tokens, punctuation excluded, as the ``total`` of :mod:`analysis.stats.counts`;
:func:`language_tokens` builds it from a corpus table).

The rule (:func:`keyness_across_languages`): word keyness across two sides is **comparable** only when both
sides have the same dominant language (the language with the largest share of tokens) **and** no language's
share differs between the sides by more than ``MAX_SHARE_GAP`` = 10 percentage points. Otherwise it is not a
finding; each side's key words are computed against a reference in its own language instead
(:mod:`analysis.stats.reference`).
"""
from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analysis.errors import ComparisonError, ParameterError
from analysis.text.tokens import document_languages, find_tokens, token_kind

TOKEN_COLUMNS = ["doc_id", "group", "language", "n_tokens"]
MIX_COLUMNS = ["group", "language", "n_docs", "n_tokens", "share"]
MAX_SHARE_GAP = 0.10
LANGUAGE_NAMES = {"en": "English", "fr": "French"}


def language_tokens(docs: pd.DataFrame, group_col: str = "group", language: str = "auto") -> pd.DataFrame:
    """One row per document (``TOKEN_COLUMNS``): its group, language (as
    :func:`analysis.text.tokens.document_languages` decides it) and counted tokens."""
    langs = document_languages(docs, language)
    groups = docs[group_col].astype(str) if group_col in docs.columns else pd.Series([""] * len(docs))
    n = [sum(1 for t in find_tokens(text) if token_kind(t) != "punct") for text in docs["text"]]
    return pd.DataFrame({"doc_id": docs["doc_id"].astype(str).to_numpy(), "group": groups.to_numpy(),
                         "language": langs.to_numpy(), "n_tokens": n}, columns=TOKEN_COLUMNS).astype({"n_tokens": "int64"})


def language_mix(tokens: pd.DataFrame, group_a: str | None = None, group_b: str = "rest") -> pd.DataFrame:
    """Share of tokens per language of each group (``MIX_COLUMNS``, one row per group and language). With
    ``group_a``, only the two sides compared, B being ``group_b`` or every other group pooled as "rest"."""
    missing = [c for c in TOKEN_COLUMNS if c not in tokens.columns]
    if missing:
        raise ParameterError("tokens", f"the token table lacks the column(s) {', '.join(missing)}",
                             ", ".join(TOKEN_COLUMNS))
    t = tokens.assign(group=tokens["group"].astype(str))
    if group_a is not None:
        if group_b == "rest":
            t = t.assign(group=t["group"].where(t["group"] == group_a, "rest"))
        else:
            t = t[t["group"].isin([group_a, group_b])]
        for g in (group_a, group_b):
            if not (t["group"] == g).any():
                raise ComparisonError(f"group {g!r} has no documents")
    mix = (t.groupby(["group", "language"], sort=True)
           .agg(n_docs=("doc_id", "size"), n_tokens=("n_tokens", "sum")).reset_index())
    totals = mix.groupby("group")["n_tokens"].transform("sum")
    mix["share"] = (mix["n_tokens"] / totals.where(totals > 0)).fillna(0.0)
    return mix[MIX_COLUMNS]


def mix_of(mix: pd.DataFrame, group: str) -> dict[str, float]:
    """The language -> share mapping of one group of a :func:`language_mix` table."""
    part = mix[mix["group"] == group]
    return dict(zip(part["language"], part["share"].astype(float)))


def _describe(mix: Mapping[str, float]) -> str:
    parts = sorted(mix.items(), key=lambda kv: (-kv[1], kv[0]))
    return " and ".join(f"{share:.0%} {LANGUAGE_NAMES.get(lang, lang)}" for lang, share in parts if share > 0)


def dominant_language(mix: Mapping[str, float]) -> str:
    """The language with the largest share (ties: the first in alphabetical order)."""
    if not mix or not any(v > 0 for v in mix.values()):
        raise ComparisonError("a side has no tokens: its language mix is empty")
    return sorted(mix.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def keyness_across_languages(mix_a: Mapping[str, float], mix_b: Mapping[str, float],
                             max_gap: float = MAX_SHARE_GAP) -> tuple[bool, str]:
    """Whether word keyness between side A and side B is a finding, and why (see the module docstring).
    ``mix_a``, ``mix_b``: language -> share of tokens (shares of a side sum to 1)."""
    dom_a, dom_b = dominant_language(mix_a), dominant_language(mix_b)
    gaps = {lang: abs(mix_a.get(lang, 0.0) - mix_b.get(lang, 0.0)) for lang in set(mix_a) | set(mix_b)}
    lang, gap = max(sorted(gaps.items()), key=lambda kv: kv[1])
    what = f"side A is {_describe(mix_a)}, side B {_describe(mix_b)}"
    if dom_a != dom_b:
        return False, (f"{what}: the sides are written in different languages, so word and n-gram keyness "
                       "across them ranks the words of two languages, not two narratives; each side's key words "
                       "are shown against a reference in its own language instead")
    if gap > max_gap:
        return False, (f"{what}: the share of {LANGUAGE_NAMES.get(lang, lang)} differs by {gap:.0%} points "
                       f"(more than {max_gap:.0%}), so words of that language would be key for that reason alone; "
                       "each side's key words are shown against a reference in its own language instead")
    return True, f"{what}: both sides share a language, word keyness across them is comparable"
