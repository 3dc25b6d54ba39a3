"""What page 08 (every group) shows besides its figures: the prose on which groups are shown, and its tables
made wide for reading (one row per group or subgroup)."""
from __future__ import annotations

import pandas as pd

from analysis.pages.html import esc


def units(sizes: pd.DataFrame, level: str) -> list[tuple[str, str]]:
    """The (group, subgroup) units shown at ``level`` ('group' or 'subgroup'), in the order of the page."""
    if sizes is None or sizes.empty:
        return []
    sub = sizes[(sizes["level"] == level) & sizes["shown"]]
    if level == "subgroup":
        order = {g: i for i, g in enumerate(sizes.loc[sizes["level"] == "group", "group"])}
        sub = sub.assign(_o=sub["group"].map(order)).sort_values(["_o", "rank"], kind="mergesort")
    return [(str(g), str(s)) for g, s in zip(sub["group"], sub["subgroup"])]


def overview_prose(analysis, cap: int) -> str:
    """Which groups the page shows (HTML): how many groups the corpus has, the cap, and the others by name."""
    sizes, col = analysis.group_sizes, analysis.params.get("group_col", "group")
    groups = sizes[sizes["level"] == "group"]
    n = len(groups)
    text = (f"The corpus has <b>{n}</b> value{'s' if n != 1 else ''} of <code>{esc(col)}</code>. Each group is "
            "compared with the rest of the corpus (every other document).")
    if n <= 2:
        text += (" With two groups, each group against the rest is the comparison of the other pages (A against B):"
                 " there is nothing more to show beyond the two sides; they are shown here in the same form.")
    hidden = groups[~groups["shown"]]
    if len(hidden):
        names = ", ".join(f"{esc(g)} ({d:,} documents)".replace(",", "\u202f")
                          for g, d in zip(hidden["group"], hidden["n_docs"]))
        text += (f" The page shows the <b>{cap}</b> largest groups (by documents) and the compared ones; the "
                 f"{len(hidden)} others are counted in the rest of the corpus and not shown: {names}.")
    return text


def sizes_table(sizes: pd.DataFrame, level: str = "group") -> pd.DataFrame:
    """Documents and word tokens of each group (or subgroup), and whether it is shown."""
    cols = ["group", "n_docs", "n_tokens", "shown"] if level == "group" else \
        ["group", "subgroup", "n_docs", "n_tokens", "shown"]
    return sizes[sizes["level"] == level][cols].reset_index(drop=True)


def main_keyness(keyness: pd.DataFrame, languages: pd.DataFrame | None, level: str) -> pd.DataFrame:
    """The key words of each unit at ``level`` in its main language (every language when ``languages`` is None:
    a table stored before the languages were kept)."""
    sub = keyness[keyness["level"] == level]
    if languages is None or languages.empty or "language" not in sub.columns:
        return sub
    main = languages[(languages["level"] == level) & languages["main"].astype(bool)]
    keys = set(zip(main["group"], main["subgroup"], main["language"]))
    return sub[[k in keys for k in zip(sub["group"], sub["subgroup"], sub["language"])]]


def key_terms_wide(keyness: pd.DataFrame, level: str, top_n: int = 10,
                   languages: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per unit: its main language, the reference its key words are measured against, and its ``top_n``
    key words in that language with their G², best first."""
    sub = main_keyness(keyness, languages, level)
    rows = []
    for (g, s), part in sub.groupby(["group", "subgroup"], sort=False):
        terms = ", ".join(f"{t} ({v:.1f})" for t, v in zip(part["term"].head(top_n), part["g2"].head(top_n)))
        rows.append({"group": g, "subgroup": s, "language": part["language"].iloc[0] if "language" in part else "",
                     "reference": part["reference"].iloc[0] if "reference" in part else "", "key words (G²)": terms})
    out = pd.DataFrame(rows, columns=["group", "subgroup", "language", "reference", "key words (G²)"])
    return out.drop(columns="subgroup") if level == "group" else out


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def _language_name(lang: str) -> str:
    from analysis.stats.languages import LANGUAGE_NAMES

    return LANGUAGE_NAMES.get(lang, lang)


def languages_differ(languages: pd.DataFrame | None, level: str = "group") -> bool:
    """Whether the units shown at ``level`` are not all mainly written in one language."""
    if languages is None or languages.empty:
        return False
    main = languages[(languages["level"] == level) & languages["main"].astype(bool)]
    return main["language"].nunique() > 1


def language_prose(languages: pd.DataFrame | None) -> str:
    """How the key words are compared (HTML): within a language only, against which reference, and why when the
    groups are written in different languages; the languages of groups too small to be tested, counted."""
    from analysis.pipeline.groups import MIN_LANGUAGE_SHARE, MIN_LANGUAGE_TOKENS, MIN_REST_TOKENS

    if languages is None or languages.empty:
        return ""
    groups = languages[languages["level"] == "group"]
    main = groups[groups["main"].astype(bool)]
    floor = _thousands(MIN_REST_TOKENS)
    how = ("Key words are compared within a language only: a group's words in a language against the rest of the "
           f"corpus in that language (reference <code>corpus:xx</code>), or, where that rest has fewer than {floor} "
           "tokens in it, against the general frequency list of the language (<code>wordfreq:xx</code>, "
           "the reference of page 02; read its ranking, not its p-values).")
    if languages_differ(languages):
        names = "; ".join(f"{esc(g)}: {_language_name(lg)}" for g, lg in zip(main["group"], main["language"]))
        text = (f"The groups are written in different languages ({names}). {how} Against a rest written in "
                "another language, every word of the group's own language would come out as key merely because "
                "the rest does not use that language: the ranking would compare two vocabularies, not two "
                "narratives. Each panel shows the group's main language and names its reference.")
    else:
        lang = _language_name(str(main["language"].iloc[0])) if len(main) else ""
        text = f"Every group shown is mainly written in {lang}. {how}"
    skipped = languages[~languages["tested"].astype(bool)]
    if len(skipped):
        n_units = len(set(zip(skipped["level"], skipped["group"], skipped["subgroup"])))
        text += (f" {len(skipped)} language part{'s' if len(skipped) != 1 else ''} of {n_units} "
                 f"group{'s' if n_units != 1 else ''} or subgroup{'s' if n_units != 1 else ''} "
                 f"{'were' if len(skipped) != 1 else 'was'} too small to be tested (under {MIN_LANGUAGE_SHARE:.0%} "
                 f"of its tokens or under {_thousands(MIN_LANGUAGE_TOKENS)} tokens; tables/group_languages.csv).")
    others = languages[languages["tested"].astype(bool) & ~languages["main"].astype(bool)]
    if len(others):
        text += (f" {len(others)} other language part{'s' if len(others) != 1 else ''} large enough "
                 f"{'are' if len(others) != 1 else 'is'} tested too: see tables/group_keyness.csv.")
    return text


def coverage_prose(analysis) -> str:
    """The coverage caveat of frames and kinds of actors when the groups differ in language (HTML, '' otherwise):
    the lexicons are bilingual, but may reach one language's texts less than the other's (page 03)."""
    if not languages_differ(getattr(analysis, "group_languages", None)):
        return ""
    text = ("The groups are written in different languages. Frames and kinds of actors are language-neutral (the "
            "frames are defined over the bilingual concept lexicon), but a lexicon may reach one language's texts "
            "less than the other's: see how much of each side the lexicons reach on page 03 (tables/coverage.csv) "
            "before reading a difference between groups of different languages.")
    gap = getattr(analysis, "coverage_gap", None)
    if gap is not None and len(gap):
        warnings = [str(w) for w in gap.loc[gap["differs"].astype(bool), "warning"]]
        if warnings:
            text += " For the two compared sides: " + " ".join(esc(w) for w in warnings)
    return text


def frames_wide(frames: pd.DataFrame, level: str) -> pd.DataFrame:
    """One row per unit, one column per frame: its mean share (%) with the 95% interval, and the rest's."""
    sub = frames[frames["level"] == level]
    cells = [f"{v * 100:.1f} [{lo * 100:.1f}–{hi * 100:.1f}] vs {r * 100:.1f}"
             for v, lo, hi, r in zip(sub["share"], sub["ci_low"], sub["ci_high"], sub["share_rest"].fillna(0))]
    wide = sub.assign(cell=cells).pivot(index=["group", "subgroup"], columns="frame", values="cell")
    wide = wide.reindex(columns=list(dict.fromkeys(sub["frame"]))).reset_index()
    order = list(dict.fromkeys(zip(sub["group"], sub["subgroup"])))
    wide = wide.set_index(["group", "subgroup"]).loc[order].reset_index()
    wide.columns.name = None
    return wide.drop(columns="subgroup") if level == "group" else wide


def categories_wide(categories: pd.DataFrame, level: str = "group") -> pd.DataFrame:
    """One row per unit, one column per kind of actor: mentions per 10,000 word tokens (the rest's after 'vs')."""
    sub = categories[categories["level"] == level]
    cells = [f"{v:.1f} vs {r:.1f}" for v, r in zip(sub["per_10k"], sub["per_10k_rest"].fillna(0))]
    wide = sub.assign(cell=cells).pivot(index=["group", "subgroup"], columns="category", values="cell")
    order = list(dict.fromkeys(zip(sub["group"], sub["subgroup"])))
    wide = wide.loc[order].reset_index()
    wide.columns.name = None
    return wide.drop(columns="subgroup") if level == "group" else wide
