"""The explorer page of the seed report driven in headless Chromium (Debian's chromium through playwright, as in
test_browser.py): typing filters the points, a click lists the term's lines from both sides, the switch changes
the view, hovering shows the counts; no console error and no network request; it opens from file:// in under
2 s and weighs under 1 MB. The expected answers are read from the page's own embedded data. Skipped where
Chromium or playwright is missing, failed under CI=true."""
from __future__ import annotations

import time
import unicodedata

import pytest

from test_browser import ARGS, CHROMIUM, browser  # noqa: F401  (the browser fixture, shared)
from test_report import seed_report

pytestmark = [pytest.mark.browser, pytest.mark.slow]

OPEN_SECONDS = 2.0
SEED_BUDGET = 1_000_000


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    return seed_report(tmp_path_factory)


def fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c)).lower()


class Watched:
    """A page in an offline context that records console errors, page errors and every request."""

    def __init__(self, browser, width=1200):
        self.context = browser.new_context(viewport={"width": width, "height": 900}, offline=True)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.visited: set[str] = set()
        self.page.on("console", lambda m: self.errors.append(f"console.{m.type}: {m.text}")
                     if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.on("request", lambda r: self.requests.append(r.url))

    def goto(self, path) -> None:
        self.visited.add(path.as_uri())
        self.page.goto(path.as_uri(), wait_until="load")

    def open(self, path) -> float:
        t0 = time.perf_counter()
        self.goto(path)
        self.page.wait_for_selector("#kx-svg circle", state="attached")
        return time.perf_counter() - t0

    def check(self):
        assert not self.errors, self.errors
        outside = [u for u in self.requests if u not in self.visited and not u.startswith("data:")]
        assert not outside, f"the explorer asked for {outside[:5]}"

    def data(self) -> dict:
        return self.page.evaluate("() => JSON.parse(document.getElementById('kit-explorer-data').textContent)")

    def close(self):
        self.context.close()


def visible_terms(page) -> list[str]:
    return page.eval_on_selector_all("#kx-svg circle:not(.kx-dim)", "cs => cs.map(c => c.getAttribute('data-term'))")


def test_search_click_switch_and_hover(browser, report, tmp_path):  # noqa: F811
    target = report / "06_explorer.html"
    assert target.stat().st_size <= SEED_BUDGET, target.stat().st_size
    w = Watched(browser)
    try:
        seconds = w.open(target)
        assert seconds < OPEN_SECONDS, f"the explorer took {seconds:.2f} s to open"
        page, data = w.page, w.data()
        words = data["views"]["words"]
        terms = [r[0] for r in words["rows"]]
        assert len(visible_terms(page)) == len(terms)
        # the term with the most lines on both sides, and a query that also matches other terms
        term = max(terms, key=lambda t: (len({l[0] for l in words["lines"].get(t, [])}), len(t)))
        query = term[:4]
        page.fill("#kx-search", query)
        expected = sorted(t for t in terms if fold(query) in fold(t))
        assert sorted(visible_terms(page)) == expected
        assert page.inner_text("#kx-count") == f"{len(expected)} of {len(terms)} terms match"
        assert len(page.query_selector_all("#kx-matches .kx-term")) == min(30, len(expected))
        page.fill("#kx-search", term)
        page.click(f'#kx-svg circle[data-term="{term}"]')
        assert page.inner_text("#kx-detail h3") == term
        lines = words["lines"][term]
        shown = page.eval_on_selector_all("#kx-detail .kx-side0 .kx-doc, #kx-detail .kx-side1 .kx-doc",
                                          "es => es.map(e => e.textContent)")
        want = [data["docs"][l[1]][0] + (" · " + data["docs"][l[1]][1] if data["docs"][l[1]][1] else "")
                for side in (0, 1) for l in lines if l[0] == side]
        assert shown == want and len(shown) == len(lines)
        marks = page.eval_on_selector_all("#kx-detail mark", "es => es.map(e => e.textContent)")
        assert marks and all(fold(m) == fold(term) for m in marks)
        assert page.inner_text("#kx-detail .kx-side0 h4").startswith(data["groups"][0])
        # hover: the tooltip gives the counts and G²
        page.hover(f'#kx-svg circle[data-term="{term}"]')
        tip = page.inner_text("#kx-tip")
        row = words["rows"][terms.index(term)]
        assert term in tip and "G²" in tip and f"{data['groups'][0]}: {row[1]} ×" in tip
        # the switch offers the views of this run, and shows another one
        options = page.eval_on_selector_all("#kx-view option", "os => os.map(o => o.value)")
        assert options == list(data["views"]) and "concepts" in options  # the analysis counts concepts
        for view in options[1:]:  # the query stays and filters the new view; cleared, every point shows
            page.select_option("#kx-view", view)
            rows = data["views"][view]["rows"]
            assert sorted(visible_terms(page)) == sorted(r[0] for r in rows if fold(term) in fold(r[0]))
            page.fill("#kx-search", "")
            assert sorted(visible_terms(page)) == sorted(r[0] for r in rows)
            assert page.inner_text("#kx-count") == f"{len(rows)} terms"
            page.fill("#kx-search", term)
        page.screenshot(path=str(tmp_path / "explorer.png"), full_page=True)  # not beside the shared report
        w.check()
    finally:
        w.close()


def test_without_text_lines_name_only_their_documents(browser, report, tmp_path, monkeypatch):  # noqa: F811
    from analysis import pipeline
    from analysis.pages import explorer as X

    monkeypatch.setenv("NARRATIVES_CACHE_DIR", str(report.parent.parent / "cache"))
    A = pipeline.analyze(dict(corpus=str(report.parent.parent / "seeds")))
    page_html = X.explorer_page(documents=A.documents, group_a=A.group_a, group_b=A.group_b, keyness=A.keyness,
                                entities=A.entities, text="none")
    target = tmp_path / "bare.html"
    target.write_text(f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>bare</title></head><body>{page_html}'
                      "</body></html>", encoding="utf-8")
    w = Watched(browser, width=390)  # a phone's width
    try:
        w.open(target)
        data = w.data()
        page = w.page
        page.select_option("#kx-view", "entities")
        lines = data["views"]["entities"]["lines"]
        term = max(lines, key=lambda t: len(lines[t]))
        page.fill("#kx-search", term)
        page.keyboard.press("Enter")  # Enter opens the first match
        first = page.eval_on_selector_all("#kx-matches .kx-term", "es => es.map(e => e.textContent)")[0]
        assert page.inner_text("#kx-detail h3") == first
        page.click(f'#kx-matches .kx-term >> text="{term}"')
        assert page.inner_text("#kx-detail h3") == term
        assert len(page.query_selector_all("#kx-detail .kx-doc")) == len(lines[term])
        assert not page.query_selector_all("#kx-detail .kx-kwic")
        width = page.evaluate("() => document.getElementById('kx-svg').getBoundingClientRect().width")
        assert width <= 390
        w.check()
    finally:
        w.close()


# --------------------------------------------------------------------------------------------- navigation

def test_every_page_shares_the_header_and_has_its_table_of_contents(browser, report):  # noqa: F811
    from analysis.pages import PAGES

    names = ["index"] + [name for name, _, _ in PAGES]
    w = Watched(browser)
    try:
        for name in names:
            target = report / f"{name}.html"
            w.goto(target)
            links = w.page.eval_on_selector_all(".kit-nav a", "as => as.map(a => a.getAttribute('href'))")
            assert links == [f"{n}.html" for n in names if n != name], name
            titles = w.page.eval_on_selector_all(".kit-nav > *", "es => es.map(e => e.textContent)")
            assert titles == ["Summary"] + [title for _, title, _ in PAGES], name
            assert w.page.inner_text(".kit-nav [aria-current=page]") == titles[names.index(name)]
            toc = w.page.eval_on_selector_all(".kit-toc a", "as => as.map(a => a.getAttribute('href'))")
            ids = w.page.eval_on_selector_all("[id]", "es => es.map(e => '#' + e.id)")
            assert len(toc) >= 2 and set(toc) <= set(ids), (name, toc)
            assert w.page.is_visible(".kit-toc") and w.page.is_visible(".kit-nav")
            w.page.emulate_media(media="print")
            assert not w.page.is_visible(".kit-nav"), f"{name}: the header is printed"
            w.page.emulate_media(media="screen")
            w.check()
    finally:
        w.close()


def test_long_tables_sort_and_filter(browser, report):  # noqa: F811
    target = report / "02_vocabulary_keyness.html"
    w = Watched(browser)
    try:
        w.goto(target)
        page = w.page
        tables = page.query_selector_all("table.kit-table")
        table = next(t for t in tables if len(t.query_selector_all("tbody tr")) >= 8)
        heads = [th.inner_text().strip() for th in table.query_selector_all("thead th")]
        col = heads.index("count")

        def column(i):
            return [r.query_selector_all("td")[i].inner_text() for r in table.query_selector_all("tbody tr")
                    if r.is_visible()]

        before = column(0)
        table.query_selector_all("thead th")[col].click()
        up = [float(v) for v in column(col)]
        assert up == sorted(up)
        table.query_selector_all("thead th")[col].click()
        down = [float(v) for v in column(col)]
        assert down == sorted(up, reverse=True)
        assert sorted(column(0)) == sorted(before)  # the same rows, reordered
        box = table.evaluate_handle("t => t.previousElementSibling.querySelector('input.kit-filter')")
        word = before[0]
        box.as_element().fill(word)
        shown = column(0)
        assert word in shown and all(word in r.inner_text() for r in table.query_selector_all("tbody tr")
                                     if r.is_visible())
        box.as_element().fill("")
        assert len(column(0)) == len(before)
        w.check()
    finally:
        w.close()


@pytest.mark.parametrize("name", ["index", "02_vocabulary_keyness", "06_explorer"])
def test_pages_fit_a_phone_width(browser, report, name):  # noqa: F811
    w = Watched(browser, width=390)
    try:
        w.goto(report / f"{name}.html")
        width = w.page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 400, f"{name} is {width} px wide at a phone's 390 px"
    finally:
        w.close()
