"""Figures lay themselves out (analysis.figures.fit): every text — tick labels, axis labels, titles, value labels —
lies inside the picture, and the labels of a right-hand panel do not run into the panel on their left."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from analysis.pages import figures, summaries

from analysis.pipeline import compute as pipeline
from conftest import SEEDS


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    figures.use_style()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(pipeline.CACHE_ENV, str(tmp_path_factory.mktemp("cache")))
        return pipeline.analyze({"corpus": str(SEEDS)})


def long_labels(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    out = frame.copy()
    out[column] = [f"{v} — a longer label from a user's list" for v in out[column]]
    return out


def builders(A):
    a, b = A.group_a, A.group_b
    actors = summaries.count_by_group(A.entities, "category")
    return {
        "groups": lambda: figures.documents_per_group(A.documents, a, b),
        "timeline": lambda: figures.timeline(A.documents, a, b),
        "lengths": lambda: figures.document_lengths(A.documents, a, b),
        "top_terms": lambda: figures.top_terms(A.frequencies, a, b, top_n=20),
        "keyness": lambda: figures.keyness_bars(A.keyness, a, b, top_n=20),
        "keyness, long terms": lambda: figures.keyness_bars(long_labels(A.keyness, "term"), a, b, top_n=10),
        "frames": lambda: figures.frame_shares(A.frame_comparison, a, b),
        "actors": lambda: figures.counts_by_group(actors, "category", a, b, "Mentions", "mentions"),
        "actors, long names": lambda: figures.counts_by_group(long_labels(actors, "category"), "category", a, b,
                                                              "Mentions", "mentions"),
        "long group names": lambda: figures.documents_per_group(
            A.documents.replace({"group": {a: "a group with a long name", b: "another long group name"}}),
            "a group with a long name", "another long group name"),
    }


def drawn(ax, labels, axis: str, renderer):
    """The tick labels matplotlib draws: those whose tick lies within the axes (it makes more, off limits)."""
    box = ax.get_window_extent(renderer)
    lo, hi = (box.x0, box.x1) if axis == "x" else (box.y0, box.y1)
    out = []
    for label in labels:
        x, y = ax.transData.transform((label.get_position()[0], 0)) if axis == "x" else \
            ax.transData.transform((0, label.get_position()[1]))
        where = x if axis == "x" else y
        if lo - 1 <= where <= hi + 1:
            out.append(label)
    return out


def texts_of(fig, renderer):
    out = [fig._suptitle] if fig.get_suptitle() else []
    for ax in fig.axes:
        out += [ax.title, ax.xaxis.label, ax.yaxis.label, *drawn(ax, ax.get_xticklabels(), "x", renderer),
                *drawn(ax, ax.get_yticklabels(), "y", renderer), *ax.texts]
    return [t for t in out if t.get_visible() and t.get_text()]


def drawn_inside(fig, name: str):
    """Draw ``fig`` and check that every text lies inside the picture; returns the renderer."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    width, height = fig.canvas.get_width_height()
    for text in texts_of(fig, renderer):
        box = text.get_window_extent(renderer)
        assert box.x0 >= -1 and box.x1 <= width + 1 and box.y0 >= -1 and box.y1 <= height + 1, \
            f"{name}: {text.get_text()!r} runs out of the figure ({box} in {width}x{height})"
    return renderer


@pytest.mark.parametrize("name", ["groups", "timeline", "lengths", "top_terms", "keyness", "keyness, long terms",
                                  "frames", "actors", "actors, long names", "long group names"])
def test_every_text_is_inside_the_figure_and_panels_do_not_overlap(seeds, name):
    fig = builders(seeds)[name]()
    try:
        renderer = drawn_inside(fig, name)
        axes = sorted(fig.axes, key=lambda ax: ax.get_position().x0)
        for left, right in zip(axes, axes[1:]):
            left_edge = max([left.get_window_extent(renderer).x1] +
                            [t.get_window_extent(renderer).x1 for t in left.texts if t.get_text()])
            for label in drawn(right, right.get_yticklabels(), "y", renderer):
                if label.get_text():
                    assert label.get_window_extent(renderer).x0 >= left_edge - 1, \
                        f"{name}: {label.get_text()!r} runs into the panel on its left"
    finally:
        plt.close(fig)


def test_over_time_axis_runs_through_empty_periods_and_one_legend_names_both_sides():
    t = pd.DataFrame({"period": ["2020", "2022", "2020", "2021", "2022"], "group": ["a", "a", "b", "b", "b"],
                      "frame": ["x"] * 5, "n_docs": [2, 2, 1, 1, 1], "mean": [0.2, 0.4, 0.1, 0.3, 0.5],
                      "ci_low": [0.1, 0.3, 0.1, 0.3, 0.5], "ci_high": [0.3, 0.5, 0.1, 0.3, 0.5]})
    fig = figures.over_time(t, "frame", "a", "b", "share", "title")
    try:
        ax = fig.axes[0]
        assert [lb.get_text() for lb in ax.get_xticklabels()] == ["2020", "2021", "2022"]
        a_line = ax.get_lines()[0]
        assert list(a_line.get_xdata()) == [0, 1, 2] and np.isnan(a_line.get_ydata()[1])  # a has no 2021: a gap
        assert [tx.get_text() for tx in fig.legends[0].get_texts()] == ["a", "b"]
    finally:
        plt.close(fig)


def _grid_tables():
    """Six groups (two rows of panels), with long terms and names, as page 08's tables hold them."""
    groups = ["us_federal", "fr_policing", "a group with a rather long name", "g4", "g5", "g6"]
    keys = pd.DataFrame([{"level": "group", "group": g, "subgroup": "", "rank": r, "term": f"term {r} of {g}",
                          "g2": 10.0 - r, "log_ratio": 1.0 + r / 3} for g in groups for r in range(1, 9)])
    frames = pd.DataFrame([{"level": "group", "group": g, "subgroup": "", "frame": f, "share": 0.1 * (i + 1),
                            "ci_low": 0.05 * (i + 1), "ci_high": 0.15 * (i + 1), "share_rest": 0.2}
                           for g in groups for i, f in enumerate(["enforcement", "organized_crime", "health"])])
    return [(g, "") for g in groups], keys, frames


@pytest.mark.parametrize("name", ["key words", "frames"])
def test_small_multiples_keep_their_texts_inside_and_apart(name):
    """Page 08's grids: every text inside the picture, the y labels of a panel clear of the panel on its left
    in the same row, and the same x axis on every panel."""
    figures.use_style()
    units, keys, frames = _grid_tables()
    fig = (figures.group_key_terms(keys, units, "us_federal", "fr_policing") if name == "key words" else
           figures.group_panels(frames, "frame", "share", units, "us_federal", "fr_policing", "%", "Frames",
                                scale=100))
    try:
        renderer = drawn_inside(fig, name)
        shown = [ax for ax in fig.axes if ax.get_visible()]
        assert len(shown) == len(units)
        assert len({ax.get_xlim() for ax in shown}) == 1
        rows: dict = {}
        for ax in shown:
            rows.setdefault(round(ax.get_position().y0, 3), []).append(ax)
        assert len(rows) == 2
        for row in rows.values():
            row.sort(key=lambda ax: ax.get_position().x0)
            for left, right in zip(row, row[1:]):
                edge = left.get_window_extent(renderer).x1
                for label in drawn(right, right.get_yticklabels(), "y", renderer):
                    if label.get_text():
                        assert label.get_window_extent(renderer).x0 >= edge - 1, label.get_text()
        for upper, lower in zip(*sorted(rows.values(), key=lambda r: -r[0].get_position().y0)):
            title = lower.title.get_window_extent(renderer)
            ticks = [t.get_window_extent(renderer) for t in drawn(upper, upper.get_xticklabels(), "x", renderer)]
            assert all(t.y0 >= title.y1 - 1 for t in ticks), "a row's x ticks run into the titles below"
    finally:
        plt.close(fig)
