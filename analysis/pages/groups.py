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


def key_terms_wide(keyness: pd.DataFrame, level: str, top_n: int = 10) -> pd.DataFrame:
    """One row per unit: its ``top_n`` key words with their G², best first."""
    sub = keyness[keyness["level"] == level]
    rows = []
    for (g, s), part in sub.groupby(["group", "subgroup"], sort=False):
        terms = ", ".join(f"{t} ({v:.1f})" for t, v in zip(part["term"].head(top_n), part["g2"].head(top_n)))
        rows.append({"group": g, "subgroup": s, "key words (G²)": terms})
    out = pd.DataFrame(rows, columns=["group", "subgroup", "key words (G²)"])
    return out.drop(columns="subgroup") if level == "group" else out


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
