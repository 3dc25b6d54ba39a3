"""HTML pieces of the reports: escaped tables, notes and prose for the notebooks, and the ``index.html`` page.

Everything that comes from a corpus (texts, titles, sources, doc ids, group names, terms) is escaped here with
:func:`html.escape` or pandas' escaping ``to_html``, so that a corpus holding ``<script>`` shows it as text.
Notebooks display generated prose as HTML built by these helpers, never as Markdown (Markdown would turn a
``[link](javascript:...)`` found in a text into a live link).
"""
from __future__ import annotations

import html
import numbers
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd


CSS = """
body{font-family:"DejaVu Sans",Verdana,Arial,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
color:#222;line-height:1.5}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.25rem .6rem;text-align:left}
th{background:#f3f3f3}.swatch{display:inline-block;width:.9em;height:.9em;vertical-align:middle;margin-right:.3em}
.muted{color:#666}code{background:#f5f5f5;padding:0 .2em;overflow-wrap:anywhere}
.kit-nav{display:flex;flex-wrap:wrap;gap:.2rem 1rem;padding:.4rem 0;border-bottom:1px solid #ddd}
.kit-nav a{text-decoration:none;color:#0b5394}.kit-nav [aria-current]{font-weight:bold;color:#222}
.kit-toc{border-left:3px solid #ddd;padding:.2rem .8rem;margin:.8rem 0 1.2rem;font-size:.92em}
.kit-toc ol{margin:.2rem 0;padding-left:1.4rem}
@media (max-width:700px){body{margin:1rem auto;padding:0 .5rem}table{display:block;overflow-x:auto;max-width:100%}}
@media print{.kit-nav{display:none}body{max-width:none;margin:0}tr{break-inside:avoid}h2{break-after:avoid}
a{color:inherit;text-decoration:none}}
"""


def esc(value) -> str:
    """Escape any value for HTML text or attribute (quotes included)."""
    return html.escape("" if value is None else str(value), quote=True)


def fmt_number(value) -> str:
    """Numbers as text: integers with thin-space thousands, floats with 3 significant digits."""
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value)
    if isinstance(value, numbers.Integral):
        return f"{int(value):,}".replace(",", "\u202f")
    try:
        f = float(value)
    except (TypeError, ValueError):
        return str(value)
    if f != f:
        return ""
    if abs(f) >= 1000:
        return f"{f:,.0f}".replace(",", "\u202f")
    return f"{f:.3g}"


def table_html(df: pd.DataFrame, max_rows: int | None = None, caption: str | None = None,
               columns: Sequence[str] | None = None) -> str:
    """An escaped HTML table (pandas ``to_html`` escapes every cell and header)."""
    if columns is not None:
        df = df[[c for c in columns if c in df.columns]]
    shown = df if max_rows is None else df.head(max_rows)
    body = shown.to_html(index=False, escape=True, border=0, classes="kit-table", na_rep="",
                         float_format=lambda v: f"{v:.3g}")
    cap = f'<p class="kit-caption">{esc(caption)}</p>' if caption else ""
    more = ""
    if max_rows is not None and len(df) > max_rows:
        more = f'<p class="kit-note">{max_rows} of {len(df)} rows shown.</p>'
    return cap + body + more


def note_html(text: str) -> str:
    return f'<p class="kit-note">{esc(text)}</p>'


def prose_html(template: str, **values) -> str:
    """``template`` is the kit's own text (trusted); each ``{name}`` is filled with an escaped value.
    Numbers are formatted with :func:`fmt_number`."""
    filled = {k: (fmt_number(v) if isinstance(v, numbers.Number) and not isinstance(v, bool) else esc(v))
              for k, v in values.items()}
    return "<p>" + template.format(**filled) + "</p>"


def _display(markup: str) -> None:
    from IPython.display import HTML, display

    display(HTML(markup))


def show_table(df: pd.DataFrame | None, max_rows: int | None = None, caption: str | None = None,
               columns: Sequence[str] | None = None, missing: str = "") -> None:
    """Display an escaped table in a notebook, or the reason it is absent."""
    if df is None:
        _display(note_html(missing or "This table is not available."))
    elif df.empty:
        _display((f'<p class="kit-caption">{esc(caption)}</p>' if caption else "") + note_html("No rows."))
    else:
        _display(table_html(df, max_rows=max_rows, caption=caption, columns=columns))


def show_note(text: str) -> None:
    _display(note_html(text))


def show_prose(template: str, **values) -> None:
    _display(prose_html(template, **values))


def group_swatches(group_a: str, group_b: str) -> str:
    from analysis.pages.palette import GROUP_A_COLOR, GROUP_B_COLOR

    return (f'<span class="swatch" style="background:{GROUP_A_COLOR}"></span><b>{esc(group_a)}</b> (A) and '
            f'<span class="swatch" style="background:{GROUP_B_COLOR}"></span><b>{esc(group_b)}</b> (B)')


# --------------------------------------------------------------------------------------------- index page

def nav_html(pages: Sequence[tuple[str, str, str]], current: str = "index") -> str:
    """The header every page of a report shares: the index and each page, ``current`` named but not linked."""
    items = [("index", "Summary")] + [(name, title) for name, title, _ in pages]
    links = "".join(f'<span aria-current="page">{esc(title)}</span>' if name == current else
                    f'<a href="{esc(name)}.html">{esc(title)}</a>' for name, title in items)
    return f'<nav class="kit-nav" aria-label="Pages of the report">{links}</nav>'


def toc_html(sections: Sequence[tuple[str, str]]) -> str:
    """A table of contents: (anchor, title) of each section."""
    items = "".join(f'<li><a href="#{esc(a)}">{esc(t)}</a></li>' for a, t in sections)
    return f'<nav class="kit-toc" aria-label="On this page"><strong>On this page</strong><ol>{items}</ol></nav>'


def index_page(*, corpus_name: str, group_col: str, group_a: str, group_b: str, doc_counts: Mapping[str, int],
               excluded: int, pages: Sequence[tuple[str, str, str]], summary: Sequence[str],
               params: Mapping[str, object], started: str, corpus_sha256: str, missing: Mapping[str, str]) -> str:
    """The report's ``index.html``: what was compared, the groups and their documents, links to the pages,
    a short generated summary and the parameters. Every value is escaped."""
    rows = "".join(f"<tr><td>{esc(g)}</td><td>{fmt_number(int(n))}</td></tr>" for g, n in doc_counts.items())
    links = "".join(f'<li><a href="{esc(name)}.html">{esc(title)}</a> — {esc(what)}</li>' for name, title, what in pages)
    summ = "".join(f"<li>{esc(s)}</li>" for s in summary) or "<li>No finding could be computed.</li>"
    prm = "".join(f"<tr><th>{esc(k)}</th><td><code>{esc(v)}</code></td></tr>" for k, v in params.items())
    absent = ""
    if missing:
        absent = ('<section id="absent"><h2>Not available in this run</h2><ul>' +
                  "".join(f"<li>{esc(k)}: {esc(v)}</li>" for k, v in sorted(missing.items())) + "</ul></section>")
    excl = (f"<p class=\"muted\">{excluded} document(s) belong to neither group and were left out.</p>"
            if excluded else "")
    sections = [("pages", "Pages"), ("summary", "Summary")] + ([("absent", "Not available in this run")]
                                                              if missing else []) + [("parameters", "Parameters")]
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Report: {esc(group_a)} vs {esc(group_b)}</title>
<style>{CSS}</style>
</head>
<body>
{nav_html(pages)}
<h1>{esc(group_a)} vs {esc(group_b)}</h1>
{toc_html(sections)}
<p>This report compares the documents of the corpus <code>{esc(corpus_name)}</code> whose column
<code>{esc(group_col)}</code> is {group_swatches(group_a, group_b)}.</p>
<table><thead><tr><th>group</th><th>documents</th></tr></thead><tbody>{rows}</tbody></table>
{excl}
<section id="pages">
<h2>Pages</h2>
<ul>{links}</ul>
</section>
<section id="summary">
<h2>Summary</h2>
<ul>{summ}</ul>
<p class="muted">Generated from the tables of this run (folder <code>tables/</code>); each page says where its
numbers come from.</p>
</section>
{absent}
<section id="parameters">
<h2>Parameters</h2>
<table><tbody>{prm}</tbody></table>
</section>
<p class="muted">Corpus SHA-256 <code>{esc(corpus_sha256)}</code>. Run started {esc(started)}. Provenance in
<code>run.json</code>.</p>
</body>
</html>
"""


def write_index(path: str | os.PathLike, **kwargs) -> Path:
    path = Path(path)
    path.write_text(index_page(**kwargs), encoding="utf-8", newline="\n")
    return path
