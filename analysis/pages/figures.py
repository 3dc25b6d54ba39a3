"""Figures of the reports: one matplotlib style, one colour per group, deterministic PNGs.

Every figure of every report uses :data:`STYLE` (DejaVu Sans, which ships with matplotlib and renders French
accents) and the Okabe–Ito palette, which stays distinguishable under the common forms of colour blindness.
Group A is always :data:`GROUP_A_COLOR` (blue) and group B always :data:`GROUP_B_COLOR` (vermillion), whatever
the groups are called, so a reader can compare figures across pages and reports. Titles say what is compared.

PNGs are rendered by :func:`png_bytes` with a fixed resolution and no metadata (no software version, no date):
the same data gives the same bytes. :func:`show` embeds a figure in a notebook both as ``image/png`` and as an
HTML ``<figure id=...>`` so that findings can link to it (``#fig-...``).
"""
from __future__ import annotations

import base64
import html
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from analysis.pages.palette import GROUP_A_COLOR, GROUP_B_COLOR, OTHER_COLORS  # noqa: E402

DPI = 100

STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "x",
    "grid.color": "#dddddd",
    "grid.linewidth": 0.8,
    "axes.axisbelow": True,
    "axes.prop_cycle": matplotlib.cycler(color=[GROUP_A_COLOR, GROUP_B_COLOR, *OTHER_COLORS]),
    "legend.frameon": False,
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "figure.figsize": (8, 4.5),
    "text.parse_math": False,  # a "$" in a group name or a term is text, not mathematics
    "svg.hashsalt": "narratives-kit",
    "path.simplify": True,
}


def use_style() -> None:
    """Apply the kit's style to every figure drawn after this call."""
    matplotlib.rcParams.update(STYLE)


def group_colors(group_a: str, group_b: str) -> dict[str, str]:
    """The fixed colour of each compared group."""
    return {group_a: GROUP_A_COLOR, group_b: GROUP_B_COLOR}


def png_bytes(fig) -> bytes:
    """The figure as PNG bytes: fixed resolution, no metadata (reproducible byte for byte). Figures lay
    themselves out (:func:`fit`), so one draw is enough."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return buf.getvalue()


def figure_html(png: bytes, anchor: str, caption: str) -> str:
    """An HTML ``<figure>`` with the PNG embedded as a data URI; ``caption`` is escaped."""
    data = base64.b64encode(png).decode("ascii")
    cap = html.escape(caption)
    return (f'<figure id="{html.escape(anchor)}" class="kit-figure">'
            f'<img src="data:image/png;base64,{data}" alt="{cap}" style="max-width:100%">'
            f"<figcaption>{cap}</figcaption></figure>")


def show(fig, anchor: str, caption: str) -> None:
    """Display ``fig`` in a notebook (image/png for Jupyter, an anchored <figure> for the HTML) and close it."""
    from IPython.display import display

    png = png_bytes(fig)
    plt.close(fig)
    display({"text/html": figure_html(png, anchor, caption),
              "image/png": base64.b64encode(png).decode("ascii"),
              "text/plain": f"<Figure: {caption}>"}, raw=True)


# --------------------------------------------------------------------------------------------- layout

PAD_IN = 0.12  # inches between a text and the figure's edge or the next panel


def _text_size_in(texts, size_pt: float, weight: str = "normal") -> tuple[float, float]:
    """Width of the widest line of ``texts`` and height of the one with most lines, in inches, from the font's
    metrics (FreeType, as matplotlib measures text) without laying the texts out."""
    from matplotlib.font_manager import FontProperties, findfont, get_font

    texts = [str(t) for t in texts if str(t)]
    if not texts:
        return 0.0, 0.0
    font = get_font(findfont(FontProperties(family=STYLE["font.family"], weight=weight)))
    font.set_size(size_pt, 72)
    width = 0.0
    for line in {line for t in texts for line in t.split("\n")}:
        font.set_text(line, 0.0)
        width = max(width, font.get_width_height()[0] / 64)
    lines = max(len(t.split("\n")) for t in texts)
    return width / 72, lines * size_pt * 1.2 / 72


def _font_size(key: str) -> float:
    value = matplotlib.rcParams[key]
    return float(value) if not isinstance(value, str) else float(matplotlib.rcParams["font.size"]) * 1.2


def fit(fig) -> None:
    """Lay out a figure of one row of panels so that its tick labels, axis labels and titles fit.

    Used instead of ``fig.tight_layout()``, which lays every text of the figure out once more before it is drawn
    (a third of a figure's time here): the margins and the space between panels come from the widths of the
    labels, measured with the font. The kit's figures are single rows of horizontal bar or dot charts; a rotated
    x tick label (dates) counts with its rotation."""
    import math

    w_in, h_in = fig.get_size_inches()
    size = float(matplotlib.rcParams["font.size"])
    tick_pad = (matplotlib.rcParams["ytick.major.size"] + matplotlib.rcParams["ytick.major.pad"]) / 72
    axes = sorted((ax for ax in fig.axes if ax.get_visible()), key=lambda ax: ax.get_position().x0)
    if not axes:
        return
    left_need, right_need, below, above = [], [], 0.0, 0.0
    for ax in axes:
        # texts placed in data coordinates (value labels at the end of bars) may run past the axes on the right
        loose = [t.get_text() for t in ax.texts if t.get_transform() is not ax.transAxes and t.get_text()]
        right_need.append(_text_size_in(loose, size)[0])
        yw, _ = _text_size_in([t.get_text() for t in ax.get_yticklabels()], size)
        ylabel = _text_size_in([ax.get_ylabel()], size)[1] + tick_pad if ax.get_ylabel() else 0.0
        left_need.append(yw + (tick_pad if yw else 0.0) + ylabel)
        labels = [t for t in ax.get_xticklabels() if t.get_text()]
        xw, xh = _text_size_in([t.get_text() for t in labels], size)
        angle = math.radians(labels[0].get_rotation()) if labels else 0.0
        ticks = xw * abs(math.sin(angle)) + xh * abs(math.cos(angle)) + tick_pad if labels else 0.0
        xlabel = _text_size_in([ax.get_xlabel()], size)[1] + tick_pad if ax.get_xlabel() else 0.0
        below = max(below, ticks + xlabel)
        if ax.get_title():
            above = max(above, _text_size_in([ax.get_title()], _font_size("axes.titlesize"), "bold")[1] + PAD_IN)
    suptitle = fig.get_suptitle()
    if suptitle:
        above += _text_size_in([suptitle], _font_size("figure.titlesize"))[1] + PAD_IN
    left = (left_need[0] + PAD_IN) / w_in
    right = 1 - (right_need[-1] + PAD_IN) / w_in
    space = {}
    ncols = len({round(ax.get_position().x0, 4) for ax in axes})  # a grid of small multiples has several rows
    nrows = len({round(ax.get_position().y0, 4) for ax in axes})
    if ncols > 1:
        gap = max(r + l for r, l in zip(right_need[:-1], left_need[1:])) + 2 * PAD_IN
        mean_width = (w_in * (right - left) - gap * (ncols - 1)) / ncols
        space["wspace"] = gap / max(mean_width, 0.1)
    left = min(left, 0.6)
    bottom, top = min((below + PAD_IN) / h_in, 0.6), max(1 - (above + PAD_IN / 2) / h_in, 0.4)
    if nrows > 1:  # between rows: the tick labels of a panel above an empty slot, and the titles
        title = _text_size_in([ax.get_title() for ax in axes], _font_size("axes.titlesize"), "bold")[1]
        gap = below + title + 2 * PAD_IN
        mean_height = (h_in * (top - bottom) - gap * (nrows - 1)) / nrows
        space["hspace"] = gap / max(mean_height, 0.1)
    fig.subplots_adjust(left=left, right=right, bottom=bottom, top=top, **space)
    if len(axes) == 1:
        # a title or x label wider than its axes (long labels on the left) is centred on the figure instead,
        # within its edges
        ax, aw = axes[0], (right - left) * w_in
        for text, size_pt, weight in ((ax.title, _font_size("axes.titlesize"), "bold"),
                                      (ax.xaxis.label, size, "normal")):
            tw = _text_size_in([text.get_text()], size_pt, weight)[0]
            if tw > aw:
                centre = min(max(w_in / 2, PAD_IN + tw / 2), w_in - PAD_IN - tw / 2)
                text.set_x((centre - left * w_in) / aw)


def _side_label(group: str, which: str) -> str:
    return f"{group} ({which})"


def _empty(ax, message: str) -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color="#555555")
    ax.set_xticks([])
    ax.set_yticks([])


# --------------------------------------------------------------------------------------------- corpus

def documents_per_group(documents: pd.DataFrame, group_a: str, group_b: str):
    """Bars: documents and tokens of each compared group."""
    fig, axes = plt.subplots(1, 2, figsize=(8, 3))
    colors = group_colors(group_a, group_b)
    groups = [group_a, group_b]
    n_docs = [int((documents["group"] == g).sum()) for g in groups]
    n_tokens = [int(documents.loc[documents["group"] == g, "n_tokens"].sum()) if "n_tokens" in documents else 0
                for g in groups]
    for ax, values, label in ((axes[0], n_docs, "documents"), (axes[1], n_tokens, "word tokens")):
        ax.barh(range(2), values, color=[colors[g] for g in groups])
        ax.set_yticks(range(2), [_side_label(group_a, "A"), _side_label(group_b, "B")])
        ax.invert_yaxis()
        ax.set_xlabel(f"number of {label}")
        ax.set_title(f"{label.capitalize()} per group")
        for i, v in enumerate(values):
            ax.text(v, i, f" {v:,}".replace(",", "\u202f"), va="center")
    fig.suptitle(f"Corpus compared: {group_a} (A) vs {group_b} (B)")
    fit(fig)
    return fig


def document_lengths(documents: pd.DataFrame, group_a: str, group_b: str, max_docs: int = 60):
    """Horizontal bars: length in word tokens of each document, coloured by group."""
    colors = group_colors(group_a, group_b)
    docs = documents.sort_values(["group", "n_tokens", "doc_id"], ascending=[True, False, True], kind="mergesort")
    docs = pd.concat([docs[docs["group"] == group_a].head(max_docs // 2),
                      docs[docs["group"] == group_b].head(max_docs // 2)])
    fig, ax = plt.subplots(figsize=(8, max(2.5, 0.3 * len(docs) + 1)))
    y = np.arange(len(docs))
    ax.barh(y, docs["n_tokens"], color=[colors.get(g, OTHER_COLORS[0]) for g in docs["group"]])
    ax.set_yticks(y, [str(d)[:40] for d in docs["doc_id"]])
    ax.invert_yaxis()
    ax.set_xlabel("length (word tokens)")
    ax.set_title(f"Document lengths: {group_a} (A, blue) vs {group_b} (B, vermillion)")
    fit(fig)
    return fig


def timeline(documents: pd.DataFrame, group_a: str, group_b: str):
    """Dots on a time axis: one per dated document, one row per group; undated documents are counted."""
    from analysis.corpus import parse_partial_date

    colors = group_colors(group_a, group_b)
    fig, ax = plt.subplots(figsize=(8, 2.6))
    dates = documents.get("date", pd.Series([""] * len(documents), index=documents.index))
    parsed = [parse_partial_date(str(d)) for d in dates.fillna("")]
    undated = {}
    any_dated = False
    for row, g in enumerate([group_a, group_b]):
        mask = (documents["group"] == g).to_numpy()
        when = [d for d, m in zip(parsed, mask) if m and d is not None and not pd.isna(d)]
        undated[g] = int(mask.sum()) - len(when)
        if when:
            any_dated = True
            ax.scatter(when, [row] * len(when), s=60, color=colors[g], alpha=0.8, zorder=3)
    ax.set_yticks([0, 1], [f"{group_a} (A)\n{undated[group_a]} undated", f"{group_b} (B)\n{undated[group_b]} undated"])
    ax.set_ylim(-0.6, 1.6)
    ax.invert_yaxis()
    ax.set_xlabel("date of the document (partial dates at the first day they cover)")
    ax.set_title(f"When the documents were published: {group_a} vs {group_b}")
    if not any_dated:
        ax.text(0.5, 0.5, "no document carries a date", ha="center", va="center", transform=ax.transAxes)
    fig.autofmt_xdate()
    fit(fig)
    return fig


# --------------------------------------------------------------------------------------------- vocabulary

def keyness_bars(keyness: pd.DataFrame, group_a: str, group_b: str, top_n: int = 15, term_label: str = "word"):
    """Diverging bars of the signed log-likelihood G² of the top key terms of each side."""
    fig, ax = plt.subplots(figsize=(8, max(3, 0.28 * 2 * top_n + 1.2)))
    if keyness is None or keyness.empty:
        _empty(ax, "no term reaches the minimum count")
        ax.set_title(f"Key {term_label}s: {group_a} vs {group_b}")
        return fig
    pos = keyness[keyness["g2"] > 0].head(top_n)
    neg = keyness[keyness["g2"] < 0].head(top_n)
    rows = pd.concat([pos, neg.iloc[::-1]])
    y = np.arange(len(rows))
    ax.barh(y, rows["g2"], color=[GROUP_A_COLOR if v > 0 else GROUP_B_COLOR for v in rows["g2"]])
    ax.set_yticks(y, [str(t) for t in rows["term"]])
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_xlabel(f"signed log-likelihood G²  (← more in {group_b} (B)   |   more in {group_a} (A) →)")
    ax.set_title(f"Key {term_label}s: {group_a} (A) vs {group_b} (B)")
    fit(fig)
    return fig


def top_terms(frequencies: pd.DataFrame, group_a: str, group_b: str, top_n: int = 15):
    """Side-by-side bars: most frequent content words of each group, per 10,000 tokens."""
    fig, axes = plt.subplots(1, 2, figsize=(9, max(3, 0.28 * top_n + 1.2)))
    for ax, g, color, which in ((axes[0], group_a, GROUP_A_COLOR, "A"), (axes[1], group_b, GROUP_B_COLOR, "B")):
        sub = frequencies[frequencies["group"] == g].head(top_n)
        if sub.empty:
            _empty(ax, "no content word")
        else:
            y = np.arange(len(sub))
            ax.barh(y, sub["per_10k"], color=color)
            ax.set_yticks(y, [str(t) for t in sub["term"]])
            ax.invert_yaxis()
        ax.set_xlabel("occurrences per 10,000 word tokens")
        ax.set_title(f"{g} ({which})")
    fig.suptitle(f"Most frequent content words: {group_a} (A) vs {group_b} (B)")
    fit(fig)
    return fig


# --------------------------------------------------------------------------------------------- frames

def frame_shares(comparison: pd.DataFrame, group_a: str, group_b: str):
    """Grouped bars: mean share of sentences carrying each frame per group, with the bootstrap interval of
    the difference drawn in a second panel."""
    fig, axes = plt.subplots(1, 2, figsize=(10, max(3, 0.45 * len(comparison) + 1.3)),
                             gridspec_kw={"width_ratios": [3, 2]})
    if comparison is None or comparison.empty:
        for ax in axes:
            _empty(ax, "no frame found")
        return fig
    comp = comparison.reset_index(drop=True)
    y = np.arange(len(comp))
    h = 0.38
    ax = axes[0]
    ax.barh(y - h / 2, comp["share_a"] * 100, height=h, color=GROUP_A_COLOR, label=f"{group_a} (A)")
    ax.barh(y + h / 2, comp["share_b"] * 100, height=h, color=GROUP_B_COLOR, label=f"{group_b} (B)")
    ax.set_yticks(y, [str(f) for f in comp["frame"]])
    ax.invert_yaxis()
    ax.set_xlabel("mean share of a document's sentences (%)")
    ax.set_title("Frame shares by group")
    ax.legend(loc="lower right")
    ax = axes[1]
    diff = comp["diff"] * 100
    lo = (comp["diff"] - comp["ci_low"]).clip(lower=0) * 100
    hi = (comp["ci_high"] - comp["diff"]).clip(lower=0) * 100
    supported = comp.get("supported", pd.Series([False] * len(comp))).fillna(False).astype(bool)
    colors = ["#333333" if s else "#aaaaaa" for s in supported]
    for i in range(len(comp)):
        ax.errorbar(diff[i], y[i], xerr=[[lo[i]], [hi[i]]], fmt="o", color=colors[i], capsize=3)
    ax.axvline(0, color="#333333", linewidth=0.8)
    ax.set_yticks(y, [""] * len(y))
    ax.set_ylim(axes[0].get_ylim())
    ax.set_xlabel("A − B, points (95% bootstrap interval)\ngrey: the data cannot carry a difference")
    ax.set_title("Difference A − B")
    fig.suptitle(f"Frames: {group_a} (A) vs {group_b} (B)")
    fit(fig)
    return fig


# --------------------------------------------------------------------------------------------- actors

def counts_by_group(counts: pd.DataFrame, label: str, group_a: str, group_b: str, title: str, xlabel: str,
                    top_n: int = 15):
    """Grouped horizontal bars from a tidy table [label, group, n]."""
    fig, ax = plt.subplots(figsize=(8, max(2.5, 0.4 * min(top_n, counts[label].nunique() if len(counts) else 1) + 1.3)))
    if counts is None or counts.empty:
        _empty(ax, "nothing found")
        ax.set_title(title)
        return fig
    wide = counts.pivot_table(index=label, columns="group", values="n", aggfunc="sum", fill_value=0)
    for g in (group_a, group_b):
        if g not in wide.columns:
            wide[g] = 0
    wide["_total"] = wide[group_a] + wide[group_b]
    wide = wide.reset_index().sort_values(["_total", label], ascending=[False, True], kind="mergesort").head(top_n)
    y = np.arange(len(wide))
    h = 0.38
    ax.barh(y - h / 2, wide[group_a], height=h, color=GROUP_A_COLOR, label=f"{group_a} (A)")
    ax.barh(y + h / 2, wide[group_b], height=h, color=GROUP_B_COLOR, label=f"{group_b} (B)")
    ax.set_yticks(y, [str(v)[:40] for v in wide[label]])
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    ax.legend(loc="lower right")
    fit(fig)
    return fig


# --------------------------------------------------------------------------------------------- over time

def over_time(table: pd.DataFrame, key: str, group_a: str, group_b: str, ylabel: str, title: str,
              ncols: int = 3):
    """Small multiples: one panel per value of ``key`` (a frame, a kind of actor, a concept), the mean of each
    side per period as a line with its 95% bootstrap interval as a band. Every panel has the same time axis,
    from the first period to the last: a period without documents of a side is a gap in its line."""
    from analysis.stats.periods import period_range

    keys = sorted(table[key].unique()) if table is not None and len(table) else []
    if not keys:
        fig, ax = plt.subplots(figsize=(8, 2.5))
        _empty(ax, "no dated document")
        return fig
    periods = period_range(table["period"].unique())
    xs = np.arange(len(periods))
    nrows = int(np.ceil(len(keys) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.6 * ncols, 2.6 * nrows + 0.8), sharex=True, squeeze=False)
    step = max(1, int(np.ceil(len(periods) / 8)))
    colors = group_colors(group_a, group_b)
    handles = {}
    for ax, k in zip(axes.flat, keys):
        sub = table[table[key] == k]
        for g in (group_a, group_b):
            s = sub[sub["group"] == g].set_index("period").reindex(periods)
            if s["mean"].isna().all():
                continue
            (line,) = ax.plot(xs, s["mean"].to_numpy(float), marker="o", markersize=3, linewidth=1.4,
                              color=colors[g], label=g)
            handles.setdefault(g, line)
            ax.fill_between(xs, s["ci_low"].to_numpy(float), s["ci_high"].to_numpy(float), color=colors[g],
                            alpha=0.18, linewidth=0)
        ax.set_title(str(k), fontsize=10)
        ax.set_xticks(xs[::step], periods[::step], rotation=45, ha="right", fontsize=8)
        ax.set_ylim(bottom=0)
        ax.grid(axis="y", color="#dddddd")
    for ax in list(axes.flat)[len(keys):]:
        ax.set_visible(False)
    for ax in list(axes.flat)[max(0, len(keys) - ncols):len(keys)]:  # the bottom panel of each column
        ax.xaxis.set_tick_params(labelbottom=True)
    axes[0][0].set_ylabel(ylabel)
    fig.suptitle(title)
    fig.legend([handles[g] for g in (group_a, group_b) if g in handles],
               [g for g in (group_a, group_b) if g in handles], loc="upper right", ncol=2, fontsize=8,
               frameon=False)
    fit(fig)
    return fig


# --------------------------------------------------------------------------------------------- every group

OTHER_GROUP_COLOR = "#666666"  # groups other than A and B on page 08


def _group_color(group: str, group_a: str, group_b: str) -> str:
    return group_colors(group_a, group_b).get(group, OTHER_GROUP_COLOR)


def _grid(n: int, ncols: int, panel_w: float, panel_h: float, **kw):
    """A grid of ``n`` panels (the unused ones hidden), ``ncols`` wide; every panel keeps its x tick labels."""
    ncols = max(1, min(ncols, n))
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(panel_w * ncols, panel_h * nrows + 0.9), squeeze=False, **kw)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    axes = list(axes.flat)[:n]
    for ax in axes:
        ax.tick_params(axis="x", labelbottom=True, labelsize=8)
    return fig, axes, ncols


def _fit_grid(fig, axes: list, ncols: int, xlabel: str, size: float = 8.0) -> None:
    """Lay out a grid of panels (row by row): the widest y tick labels of the first column on the left, those
    of the other columns between panels, room above each row for its panel titles and below for its x ticks;
    ``xlabel`` under the lowest panel of each column."""
    for c in range(min(ncols, len(axes))):
        axes[max(i for i in range(c, len(axes), ncols))].set_xlabel(xlabel, fontsize=size)
    w_in, h_in = fig.get_size_inches()
    tick_pad = (matplotlib.rcParams["ytick.major.size"] + matplotlib.rcParams["ytick.major.pad"]) / 72

    def width(some):
        return max([_text_size_in([t.get_text() for t in ax.get_yticklabels()], size)[0] for ax in some] or [0.0])

    first, inner = width(axes[::ncols]), width([ax for i, ax in enumerate(axes) if i % ncols])
    line = size * 1.2 / 72
    title = _text_size_in([ax.get_title() for ax in axes], size + 1, "bold")[1] + PAD_IN
    suptitle = _text_size_in([fig.get_suptitle()], _font_size("figure.titlesize"))[1] + PAD_IN
    nrows = int(np.ceil(len(axes) / ncols))
    left, right = (first + tick_pad + PAD_IN) / w_in, 1 - 3 * PAD_IN / w_in
    gap_w = (inner + tick_pad + 2 * PAD_IN) if inner else 2 * PAD_IN
    panel_w = (w_in * (right - left) - gap_w * (ncols - 1)) / ncols
    below = line + tick_pad + PAD_IN  # x tick labels
    top, bottom = 1 - (suptitle + title) / h_in, (below + line + PAD_IN) / h_in
    panel_h = (h_in * (top - bottom) - (nrows - 1) * (below + title)) / nrows
    fig.subplots_adjust(left=min(left, 0.6), right=right, top=top, bottom=bottom,
                        wspace=gap_w / max(panel_w, 0.1), hspace=(below + title) / max(panel_h, 0.1))


def group_sizes(sizes: pd.DataFrame, group_a: str, group_b: str):
    """Bars: documents and word tokens of each group shown on page 08, and of the others together."""
    shown = sizes[(sizes["level"] == "group") & sizes["shown"]]
    others = sizes[(sizes["level"] == "group") & ~sizes["shown"]]
    labels = [str(g) for g in shown["group"]]
    docs, toks = list(shown["n_docs"]), list(shown["n_tokens"])
    colors = [_group_color(g, group_a, group_b) for g in labels]
    if len(others):
        labels.append(f"{len(others)} other groups")
        docs.append(int(others["n_docs"].sum()))
        toks.append(int(others["n_tokens"].sum()))
        colors.append("#bbbbbb")
    fig, axes = plt.subplots(1, 2, figsize=(9, max(2.5, 0.32 * len(labels) + 1.3)))
    for ax, values, label in ((axes[0], docs, "documents"), (axes[1], toks, "word tokens")):
        y = np.arange(len(labels))
        ax.barh(y, values, color=colors)
        ax.set_yticks(y, [lab[:40] for lab in labels])
        ax.invert_yaxis()
        ax.set_xlabel(f"number of {label}")
        ax.set_title(f"{label.capitalize()} per group")
        for i, v in enumerate(values):
            ax.text(v, i, f" {v:,}".replace(",", "\u202f"), va="center", fontsize=8)
    fig.suptitle("Every group of the corpus (A blue, B vermillion, others grey)")
    fit(fig)
    return fig


def group_key_terms(keyness: pd.DataFrame, units: list[tuple[str, str]], group_a: str, group_b: str,
                    top_n: int = 8, ncols: int = 4):
    """Small multiples: one panel per (group, subgroup) unit, its ``top_n`` key words against the rest (ranked
    by G²) as bars of their log ratio; the same x axis on every panel. With a ``reference`` column (one language
    per unit: :func:`analysis.pages.groups.main_keyness`), each panel's title names it."""
    if keyness is None or keyness.empty or not units:
        fig, ax = plt.subplots(figsize=(8, 2.5))
        _empty(ax, "no key word: no group has a rest to be compared with, or no word reaches the minimum count")
        return fig
    fig, axes, ncols = _grid(len(units), ncols, 2.6, 0.22 * top_n + 0.9, sharex=True)
    for ax, (g, s) in zip(axes, units):
        sub = keyness[(keyness["group"] == g) & (keyness["subgroup"] == s)].head(top_n)
        if sub.empty:
            _empty(ax, "no key word")
        else:
            y = np.arange(len(sub))
            ax.barh(y, sub["log_ratio"], color=_group_color(g, group_a, group_b))
            ax.set_yticks(y, [str(t)[:22] for t in sub["term"]], fontsize=8)
            ax.set_ylim(top_n - 0.5, -0.5)
        ref = str(sub["reference"].iloc[0]) if "reference" in sub.columns and len(sub) else ""
        ax.set_title((s or g)[:28] + (f"\nvs {ref}" if ref else ""), fontsize=9)
    fig.suptitle("Key words of each group against the rest in its language (ranked by G²)")
    _fit_grid(fig, axes, ncols, "log₂ ratio to the rest")
    return fig


def group_panels(table: pd.DataFrame, key: str, value: str, units: list[tuple[str, str]], group_a: str,
                 group_b: str, xlabel: str, title: str, ncols: int = 4, scale: float = 1.0):
    """Small multiples: one panel per unit, a bar per ``key`` (frame or kind of actor; the same order on every
    panel) of ``value``, its 95% interval (columns ci_low / ci_high, when present) and the rest's value as a
    black tick; the same axes on every panel."""
    keys = list(dict.fromkeys(table[key])) if table is not None and len(table) else []
    if not keys or not units:
        fig, ax = plt.subplots(figsize=(8, 2.5))
        _empty(ax, "nothing to show")
        return fig
    fig, axes, ncols = _grid(len(units), ncols, 2.6, 0.2 * len(keys) + 0.9, sharex=True)
    rest = value + "_rest"
    for i, (ax, (g, s)) in enumerate(zip(axes, units)):
        sub = table[(table["group"] == g) & (table["subgroup"] == s)].set_index(key).reindex(keys)
        y = np.arange(len(keys))
        v = sub[value].fillna(0).to_numpy(float) * scale
        ax.barh(y, v, color=_group_color(g, group_a, group_b), height=0.7)
        if "ci_low" in sub.columns:
            lo = (v - sub["ci_low"].fillna(0).to_numpy(float) * scale).clip(min=0)
            hi = (sub["ci_high"].fillna(0).to_numpy(float) * scale - v).clip(min=0)
            ax.errorbar(v, y, xerr=[lo, hi], fmt="none", ecolor="#333333", elinewidth=0.8, capsize=2)
        if rest in sub.columns:
            ax.scatter(sub[rest].to_numpy(float) * scale, y, marker="|", s=90, color="#000000", zorder=3)
        ax.set_yticks(y, [str(k)[:22] if i % ncols == 0 else "" for k in keys], fontsize=8)
        ax.set_ylim(len(keys) - 0.5, -0.5)
        ax.set_title((s or g)[:28], fontsize=9)
    fig.suptitle(title)
    _fit_grid(fig, axes, ncols, xlabel)
    return fig
