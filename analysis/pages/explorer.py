"""The explorer page (``06_explorer``): the terms of the two sides in one scatter, to search, hover and click.

Each view (words, bigrams, entities, concepts, frames) is a keyness table: one point per term, x = its rate
per 10,000 in A, y = in B (log scales; a zero rate sits on the axis), coloured by the signed G². Hovering shows
the counts, rates, G², log ratio and documents; a click lists the term's lines in context from both sides with
their document id and date. Everything the page needs is in the page: the data as JSON inside a hidden element
(HTML-escaped, so a corpus text cannot close it or start markup), the script and styles inline
(``analysis/pages/data/explorer.js``, ``explorer.css``), no request of any kind, so it opens from ``file://``,
a mail attachment or a USB stick.

Size: the terms of each view are capped (:data:`CAPS`), so are the lines per term and side and their context;
the page states the caps. When the embedded data would still exceed ``max_bytes``, fewer lines and then fewer
terms are kept until it fits, and the page says so. ``text="none"`` leaves every document text out: the lines
then carry only the document id and date (for corpora that cannot be shared).

The builder is a pure function of DataFrames (the tables of :func:`analysis.pipeline.analyze`): keyness and
keyness_bigrams (words, bigrams), entities (the entities view and its lines, from each mention's sentence),
frames and frame_sentences (the frames view: sentences with a frame per 10,000 sentences, and its lines),
optionally a concept keyness table and its lines, documents (dates, sentence and token totals), and the lines
of words and bigrams collected in one pass over the texts by :func:`analysis.stats.term_lines.explorer_lines`
(re-exported here with the caps).
"""
from __future__ import annotations

import html
import json
import math
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from analysis.errors import ComparisonError, ParameterError
from analysis.stats.term_lines import (CAPS, LINE_COLUMNS, LINES_PER_SIDE, WINDOW, compact_space,  # noqa: F401
                                       explorer_lines, explorer_terms, select_terms)

VIEWS = ("words", "bigrams", "entities", "concepts", "frames")
LABELS = {"words": "Words", "bigrams": "Bigrams", "entities": "Entities", "concepts": "Concepts",
          "frames": "Frames"}
UNITS = {"words": "word tokens", "bigrams": "bigram positions", "entities": "word tokens",
         "concepts": "word tokens", "frames": "sentences"}
MAX_BYTES = 800_000  # embedded data: with its script, styles and figure a report page stays under 1 MB
TEXT_MODES = ("snippets", "none")
FIELDS = ["term", "count_a", "count_b", "per_10k_a", "per_10k_b", "g2", "log_ratio", "docs_a", "docs_b", "note"]
ASSETS = Path(__file__).resolve().parent / "data"


def _sentence_lines(table: pd.DataFrame, term_col: str, find, window: int, cap: int) -> pd.DataFrame:
    """Lines from a table that holds each mention's sentence (entities, frame_sentences): the match is what
    ``find(row)`` returns inside the sentence, with ``window`` characters each side."""
    rows: dict[str, list] = {c: [] for c in ("term", "doc_id", "group", "left", "match", "right")}
    if table is None or table.empty:
        return pd.DataFrame(rows)
    sub = table.groupby([term_col, "group"], sort=False, group_keys=False).head(cap)
    for rec in sub.to_dict("records"):
        sentence = str(rec.get("sentence", ""))
        surface = find(rec)
        i = sentence.lower().find(surface.lower()) if surface else -1
        if i < 0:
            left, match, right = "", sentence[: 2 * window], ""
        else:
            j = i + len(surface)
            left, match, right = sentence[max(0, i - window):i], sentence[i:j], sentence[j:j + window]
        for c, v in zip(rows, (rec[term_col], rec["doc_id"], rec["group"], left, match, right)):
            rows[c].append(compact_space(v) if c in ("left", "match", "right") else v)
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------- views

def _group_totals(documents: pd.DataFrame, column: str) -> dict[str, int]:
    if column not in documents.columns:
        return {}
    return {str(g): int(v) for g, v in documents.groupby("group")[column].sum().items()}


def _keyness_of_counts(counts: pd.DataFrame, documents: pd.DataFrame, total_col: str, group_a: str,
                       group_b: str) -> pd.DataFrame | None:
    """Keyness (analysis.stats.keyness) of a table of (group, term, count, docs): the totals are the groups'
    sums of ``documents[total_col]`` (tokens or sentences)."""
    from analysis.stats.keyness import keyness

    totals = _group_totals(documents, total_col)
    n_docs = documents.groupby("group").size().to_dict()
    if counts.empty or not totals:
        return None
    freqs = counts.assign(total=counts["group"].map(totals).fillna(0).astype("int64"),
                          n_docs=counts["group"].map(n_docs).fillna(0).astype("int64"))
    try:
        return keyness(freqs, group_a, group_b, min_count=1)
    except ComparisonError:
        return None


def entity_keyness(entities: pd.DataFrame, documents: pd.DataFrame, group_a: str, group_b: str
                   ) -> pd.DataFrame | None:
    """Keyness of the entities' canonical names (mentions per 10,000 word tokens), with each one's category in
    ``note``; None when there are none."""
    if entities is None or entities.empty:
        return None
    counts = (entities.groupby(["group", "canonical"]).agg(count=("doc_id", "size"), docs=("doc_id", "nunique"))
              .reset_index().rename(columns={"canonical": "term"}))
    k = _keyness_of_counts(counts, documents, "n_tokens", group_a, group_b)
    if k is None:
        return None
    category = entities.groupby("canonical")["category"].agg(lambda s: s.value_counts().index[0])
    return k.assign(note=k["term"].map(category).fillna(""))


def frame_keyness(frames: pd.DataFrame, documents: pd.DataFrame, group_a: str, group_b: str
                  ) -> pd.DataFrame | None:
    """Keyness of the frames over sentences: a frame's count is the sentences holding it, the total the
    sentences of the side (so the rates read as sentences per 10,000); None when there are no frames."""
    if frames is None or frames.empty:
        return None
    counts = (frames.assign(_has=frames["n_frame_sentences"] > 0)
              .groupby(["group", "frame"]).agg(count=("n_frame_sentences", "sum"), docs=("_has", "sum"))
              .reset_index().rename(columns={"frame": "term"}))
    return _keyness_of_counts(counts, documents, "n_sentences", group_a, group_b)


def _round(v, digits: int = 4):
    if v is None:
        return None
    f = float(v)
    if not math.isfinite(f):
        return None
    if f == 0 or f.is_integer() and abs(f) < 1e15:
        return int(f) if f.is_integer() else f
    return float(f"{f:.{digits}g}")


def _rows(table: pd.DataFrame) -> list[list]:
    out = []
    note = table["note"] if "note" in table.columns else [""] * len(table)
    for rec, n in zip(table.to_dict("records"), note):
        out.append([str(rec["term"]), int(rec["count_a"]), int(rec["count_b"]), _round(rec["per_10k_a"]),
                    _round(rec["per_10k_b"]), _round(rec["g2"]), _round(rec["log_ratio"], 3), int(rec["docs_a"]),
                    int(rec["docs_b"]), str(n or "")])
    return out


def _lines(lines: pd.DataFrame | None, terms: set[str], group_a: str, group_b: str, cap: int, text: str,
           doc_index: dict[str, int]) -> dict[str, list]:
    """term -> [[side (0 = A, 1 = B), document index, left, match, right], ...]; without the text in "none"."""
    out: dict[str, list] = {}
    if lines is None or lines.empty:
        return out
    sides = {group_a: 0, group_b: 1}
    sub = lines[lines["term"].astype(str).isin(terms) & lines["group"].astype(str).isin(sides)]
    sub = sub.groupby(["term", "group"], sort=False, group_keys=False).head(cap)
    for rec in sub.to_dict("records"):
        doc = str(rec["doc_id"])
        if doc not in doc_index:
            doc_index[doc] = len(doc_index)
        line = [sides[str(rec["group"])], doc_index[doc]]
        if text == "snippets":
            line += [str(rec["left"]), str(rec["match"]), str(rec["right"])]
        out.setdefault(str(rec["term"]), []).append(line)
    return out


def _frame_term(rec) -> str:
    return str(rec.get("term", "")).split(";")[0].strip()


def explorer_data(*, documents: pd.DataFrame, group_a: str, group_b: str, keyness: pd.DataFrame | None = None,
                  keyness_bigrams: pd.DataFrame | None = None, lines: pd.DataFrame | None = None,
                  entities: pd.DataFrame | None = None, frames: pd.DataFrame | None = None,
                  frame_sentences: pd.DataFrame | None = None, concepts: pd.DataFrame | None = None,
                  concept_lines: pd.DataFrame | None = None, text: str = "snippets",
                  caps: Mapping[str, int] = CAPS, lines_per_side: int = LINES_PER_SIDE, window: int = WINDOW,
                  max_bytes: int = MAX_BYTES) -> dict:
    """What the page embeds (a JSON-ready dict): the views present, their capped terms and lines, the
    documents the lines cite, the caps and what had to be cut to stay under ``max_bytes``.

    ``concepts``: a keyness table of concepts (``term`` or ``concept`` column), ``concept_lines`` its lines
    (term, doc_id, group, left, match, right); views whose table is absent are left out of the switch.
    """
    if text not in TEXT_MODES:
        raise ParameterError("explorer_text", f"unknown value {text!r}", " | ".join(TEXT_MODES))
    caps = {**CAPS, **dict(caps)}
    if concepts is not None and "term" not in concepts.columns and "concept" in concepts.columns:
        concepts = concepts.rename(columns={"concept": "term"})
    tables = {"words": keyness, "bigrams": keyness_bigrams,
              "entities": entity_keyness(entities, documents, group_a, group_b),
              "concepts": concepts, "frames": frame_keyness(frames, documents, group_a, group_b)}
    line_tables = {
        "words": lines, "bigrams": lines,
        "concepts": (concept_lines.assign(term=concept_lines["concept"]) if concept_lines is not None
                     and "concept" in concept_lines.columns else concept_lines),
        "entities": _sentence_lines(entities, "canonical", lambda r: str(r.get("surface", "")), window,
                                    lines_per_side),
        "frames": _sentence_lines(frame_sentences, "frame", _frame_term, window, lines_per_side),
    }
    cuts: list[str] = []
    per_side = lines_per_side
    while True:
        data = _assemble(tables, line_tables, documents, group_a, group_b, text, caps, per_side)
        size = len(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        if size <= max_bytes:
            break
        if per_side > 1:
            per_side -= 1
            cuts.append(f"lines per term and side lowered to {per_side} to keep the page under "
                        f"{max_bytes / 1e6:.1f} MB")
        elif max(caps.values()) > 10:
            caps = {k: max(10, v // 2) for k, v in caps.items()}
            cuts.append(f"terms per view halved to keep the page under {max_bytes / 1e6:.1f} MB")
        else:
            break
    data["caps"].update(window=window if text == "snippets" else 0, cuts=cuts, bytes=size)
    return data


def _assemble(tables, line_tables, documents, group_a, group_b, text, caps, per_side) -> dict:
    doc_index: dict[str, int] = {}
    views = {}
    for view in VIEWS:
        table = tables[view]
        if table is None or table.empty:
            continue
        shown = select_terms(table, caps[view])
        views[view] = {"label": LABELS[view], "unit": UNITS[view], "n_total": int(len(table)),
                       "rows": _rows(shown),
                       "lines": _lines(line_tables[view], set(shown["term"].astype(str)), group_a, group_b,
                                       per_side, text, doc_index)}
    dates = {}
    if "date" in documents.columns:
        dates = dict(zip(documents["doc_id"].astype(str), documents["date"].fillna("").astype(str)))
    docs = [[d, dates.get(d, "")] for d in doc_index]
    return {"groups": [str(group_a), str(group_b)], "fields": FIELDS, "views": views, "docs": docs,
            "text": text, "caps": {"terms": {v: caps[v] for v in views}, "lines_per_side": per_side}}


# --------------------------------------------------------------------------------------------- HTML

def embed_json(data) -> str:
    """``data`` as JSON text safe inside an HTML element: ``&``, ``<`` and ``>`` are character references, so
    no corpus text can close the element or open a tag; the page reads it back with ``textContent``."""
    return html.escape(json.dumps(data, ensure_ascii=False, separators=(",", ":")), quote=False)


def _asset(name: str) -> str:
    return (ASSETS / name).read_text(encoding="utf-8")


def caps_note(data: Mapping) -> str:
    """The caps in one sentence, as the page states them."""
    caps = data["caps"]
    shown = "; ".join(f"{v['label'].lower()}: {len(v['rows'])} of {v['n_total']}" for v in data["views"].values())
    text = (f"Terms shown per view (the half with the largest |G²|, then the most frequent): {shown}. At most "
            f"{caps['lines_per_side']} lines per term and side")
    text += (f", {caps['window']} characters of context on each side." if data["text"] == "snippets" else
             "; document text is left out (explorer_text = none): each line gives only its document and date.")
    for cut in caps.get("cuts", []):
        text += f" Size budget: {cut}."
    return text


def explorer_html(data: Mapping) -> str:
    """The explorer as an HTML fragment (controls, scatter, details, data, inline style and script)."""
    a, b = (html.escape(g) for g in data["groups"])
    return f"""<div id="kit-explorer" class="kx">
<style>{_asset("explorer.css")}</style>
<p class="kx-caps">{html.escape(caps_note(data))}</p>
<div class="kx-controls">
<label>View <select id="kx-view"></select></label>
<label>Search <input id="kx-search" type="search" placeholder="a term, e.g. part of a word" autocomplete="off"></label>
<span id="kx-count" class="kx-count" aria-live="polite"></span>
</div>
<div id="kx-matches" class="kx-matches"></div>
<div class="kx-plot"><svg id="kx-svg" role="img"
aria-label="Scatter of the terms: rate in {a} (x) against rate in {b} (y)"></svg>
<div id="kx-tip" class="kx-tip" hidden></div></div>
<div id="kx-legend" class="kx-legend"></div>
<div id="kx-detail" class="kx-detail"><p class="kx-hint">Click a point, or a term found by the search, to read
its lines in context from both sides.</p></div>
<div id="kit-explorer-data" hidden>{embed_json(data)}</div>
<script>{_asset("explorer.js")}</script>
</div>"""


def explorer_page(**tables) -> str:
    """:func:`explorer_data` then :func:`explorer_html`: the fragment the notebook displays."""
    return explorer_html(explorer_data(**tables))
