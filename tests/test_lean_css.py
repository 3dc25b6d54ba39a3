"""Lean pages (analysis.report.css): JupyterLab's inlined stylesheet is cut to the rules and custom properties a
page can use. The rules are checked on small sheets; then, in headless Chromium, every element of every seed page
(and its ::before and ::after) must have the same computed style with the cut sheet as with the whole one."""
from __future__ import annotations

import json

import nbformat
import pytest

from analysis.report import css as C
from analysis.report import runner as R

from test_browser import browser  # noqa: F401  (the browser fixture, shared)
from test_report import NAMES, seed_report


def test_rules_are_kept_only_when_every_class_of_a_selector_is_on_the_page():
    sheet = (".a { color: red } .b .c { color: blue } .a, .z { margin: 0 } p { padding: 1px } "
             ".a:not(.z) { top: 0 } [data-x='.z'] { left: 0 } .z > .a { right: 0 }")
    out = C.prune_css(sheet, {"a", "c"})
    assert "color:red" in out.replace(" ", "") and "margin" in out and "padding" in out
    assert "top" in out, "a class under :not() is not needed for the selector to match"
    assert "left" in out, "a dot inside an attribute value is not a class"
    assert "blue" not in out and "right" not in out


def test_media_blocks_are_cut_inside_and_dropped_when_empty():
    sheet = "@media print { .a { color: red } .z { color: blue } } @media (max-width: 10px) { .z { top: 0 } }"
    out = C.prune_css(sheet, {"a"})
    assert "@media print" in out and "red" in out
    assert "blue" not in out and "max-width" not in out


def test_unread_custom_properties_go_and_read_ones_stay_through_chains():
    sheet = (":root { --used: 1px; --chain: var(--base); --base: 2px; --unused: url(data:image/png;base64,AAAA); "
             "--html-read: 3px } .a { margin: var(--used); padding: var(--chain) }")
    out = C.prune_css(sheet, {"a"}, reads='<div style="top: var(--html-read)">')
    for name in ("--used", "--chain", "--base", "--html-read"):
        assert name + ":" in out.replace(" ", ""), name
    assert "--unused" not in out and "base64" not in out


def test_page_classes_reads_both_quote_styles():
    assert C.page_classes("<div class=\"a b\"><span class='c'></span></div>") == {"a", "b", "c"}


def test_a_page_without_the_lab_sheet_is_left_alone():
    html = "<html><head><style>.x { color: red }</style></head><body></body></html>"
    assert C.lean_page(html) == html


def _whole_page(notebook) -> str:
    """The page as the lab template writes it, with the whole stylesheet (what lean_page starts from)."""
    exp = R._exporter()
    exp.exclude_input = exp.exclude_input_prompt = exp.exclude_output_prompt = True
    with R._EXPORT_LOCK:
        body, _ = exp.from_notebook_node(nbformat.read(notebook, as_version=4),
                                         resources={"metadata": {"name": notebook.stem}})
    return body


STYLES = """() => {
  const digest = s => { let h = 2166136261; for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619); } return h >>> 0; };
  // elements alike in tag, classes, attributes, place among their siblings and ancestry get the same style
  // from the same sheet: one of each is enough
  const place = el => (el.previousElementSibling ? 'm' : 'f') + (el.nextElementSibling ? 'm' : 'l');
  const sign = el => { const parts = []; for (let e = el; e; e = e.parentElement) parts.push(e.tagName + '.' +
    e.className + '|' + [...e.attributes].filter(a => a.name !== 'id' && a.name !== 'href').map(a => a.name + '=' +
    a.value.slice(0, 200)).join(',') + '|' + place(e)); return parts.join('<'); };
  const seen = new Set(); const out = [];
  for (const el of document.querySelectorAll('body, body *')) {
    const key = sign(el); if (seen.has(key)) continue; seen.add(key);
    for (const pseudo of [null, '::before', '::after']) {
      const cs = getComputedStyle(el, pseudo); const parts = [];
      for (let i = 0; i < cs.length; i++) { const n = cs[i]; if (!n.startsWith('--')) parts.push(n + ':' + cs.getPropertyValue(n)); }
      out.push(digest(parts.join(';')));
    }
  }
  return out;
}"""


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_every_element_of_a_seed_page_keeps_its_computed_style(browser, tmp_path_factory, tmp_path, name):
    report = seed_report(tmp_path_factory)
    whole = _whole_page(report / f"{name}.ipynb")
    lean = C.lean_page(whole)
    assert len(lean) < len(whole) - 150_000, (len(whole), len(lean))
    assert (report / f"{name}.html").read_text(encoding="utf-8").count("<style") == lean.count("<style")
    styles = []
    for label, html in (("whole", whole), ("lean", lean)):
        path = tmp_path / f"{label}.html"
        path.write_text(html, encoding="utf-8")
        context = browser.new_context(viewport={"width": 1200, "height": 900}, offline=True)
        page = context.new_page()
        page.goto(path.as_uri(), wait_until="load")
        styles.append(page.evaluate(STYLES))
        context.close()
    assert len(styles[0]) == len(styles[1]) > 150
    differ = [i for i, (a, b) in enumerate(zip(*styles)) if a != b]
    assert not differ, f"{len(differ)} of {len(styles[0])} element styles changed, first at {json.dumps(differ[:5])}"
