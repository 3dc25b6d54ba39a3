"""Corpus text and metadata holding HTML or script appear as text in every HTML report, never as live markup.

The corpus is built here: its texts, titles, sources, doc ids and group names carry ``<script>``, an
``<img onerror>``, a ``javascript:`` link, a stray ``</table>`` and quotes. The report is rendered once
through the real command; every page is then parsed (no live tag or attribute carries a payload, tables
stay balanced, the payloads are there as escaped text) and opened in headless Chromium (no payload runs,
no dialog opens).
"""
from __future__ import annotations

import csv
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow  # renders whole reports
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=2">'
LINK = '<a href="javascript:alert(1)">cliquez ici</a>'
TABLE = "</table>"
QUOTES = "\"guillemets\" 'apostrophes' & esperluette"
# group names travel through the command line, file names of nothing, figure legends and the index page
GROUP_A = 'fédéral<svg onload="window.__pwned=3">'
GROUP_B = "police'\"<b onmouseover=window.__pwned=4>"

SENTENCES_A = [
    "Les trafiquants vendent la drogue sur Snapchat et Telegram, selon la DEA.",
    "Le préfet a déclaré : « {payload} la cocaïne circule sur les réseaux sociaux ».",
    "Les agents ont saisi 1 200 kg de fentanyl {payload} lors de l'opération Last Mile.",
    "Le fentanyl tue chaque année des milliers de jeunes, a dit l'administrateur.",
]
SENTENCES_B = [
    "La police nationale surveille les réseaux sociaux où les dealers font leur publicité.",
    "Le commissaire a affirmé : « {payload} les livraisons de cannabis se font à domicile ».",
    "Les gendarmes ont interpellé 35 personnes {payload} et saisi 12 kg de résine.",
    "Les cyberpatrouilles de la police repèrent les comptes des trafiquants sur Snapchat.",
]
PAYLOADS = [SCRIPT, IMG, LINK, TABLE, QUOTES]


def build_corpus(root: Path) -> Path:
    root.mkdir(parents=True)
    rows = []
    for group, sentences, prefix in ((GROUP_A, SENTENCES_A, "a"), (GROUP_B, SENTENCES_B, "b")):
        for i, payload in enumerate(PAYLOADS):
            text = "\n".join(s.format(payload=payload) for s in sentences) + f"\n{payload}\n"
            name = f"{prefix}{i}.txt"
            (root / name).write_text(text, encoding="utf-8")
            rows.append({"doc_id": f'{prefix}{i}<i>"x"' if i == 0 else f"{prefix}{i}",
                         "path": name, "group": group, "language": "fr",
                         "date": f"2023-0{i + 1}", "source": f"AFP {payload}", "title": f"Titre {payload} {i}",
                         "url": "javascript:alert(1)"})
    with open(root / "manifest.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return root


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("html_safety")
    corpus = build_corpus(base / "corpus")
    out = base / "report"
    env = dict(os.environ, PYTHONPATH=str(ROOT), NARRATIVES_CACHE_DIR=str(base / "cache"))
    proc = subprocess.run([sys.executable, "-m", "analysis", "report", "--corpus", str(corpus), "--out", str(out),
                           "-p", "group_a", GROUP_A, "-p", "group_b", GROUP_B, "-p", "min_count", "1"],
                          cwd=base, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"the report did not render:\n{proc.stderr[-5000:]}\n{proc.stdout[-2000:]}"
    return out


def pages(out: Path) -> list[Path]:
    found = sorted(out.rglob("*.html"))
    assert out / "index.html" in found
    assert len(found) >= 2, found
    return found


class Markup(HTMLParser):
    """Collects what a browser would treat as live: tags, attributes, script bodies; and the text shown."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.ends: list[str] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        self._in_script = tag == "script"

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_endtag(self, tag):
        self.ends.append(tag)
        self._in_script = False

    def handle_data(self, data):
        (self.scripts if self._in_script else self.text).append(data)


def parse(page: Path) -> Markup:
    m = Markup()
    m.feed(page.read_text(encoding="utf-8"))
    m.close()
    return m


def test_no_payload_is_live_markup_in_any_page(report):
    for page in pages(report):
        m = parse(page)
        for tag, attrs in m.tags:
            for name, value in attrs:
                value = value or ""
                # a payload inside an ordinary attribute value (alt, title) is text; in a handler it would run
                if name.startswith("on") or name in ("style", "srcdoc"):
                    assert "__pwned" not in value and "alert(" not in value, (page.name, tag, name, value)
                if name in ("href", "src", "action", "formaction", "xlink:href", "data"):
                    assert not value.strip().lower().startswith(("javascript:", "vbscript:")), (page.name, tag, value)
                assert not (tag == "img" and name == "src" and value == "x"), f"{page.name}: a payload <img> is live"
        assert not any("__pwned" in s for s in m.scripts), f"{page.name}: a payload runs as a script"
        # a stray </table> in the corpus must not close a table of the page
        assert m.ends.count("table") == sum(1 for t, _ in m.tags if t == "table"), page.name


def test_payloads_are_shown_as_escaped_text(report):
    shown = {}
    for page in pages(report):
        raw = page.read_text(encoding="utf-8")
        text = "".join(parse(page).text)
        shown[page.name] = text
        assert SCRIPT not in raw and IMG not in raw and LINK not in raw, f"{page.name} holds a raw payload"
        # a quote may stay unescaped in element text (harmless there); a '<' before a payload may not
        assert "<svg onload" not in raw and "<b onmouseover" not in raw and "<img src=x" not in raw, page.name
    everything = "\n".join(shown.values())
    # the payloads are visible as text somewhere (escaped in the HTML source, e.g. &lt;script&gt;)
    for needle in ("<script>window.__pwned=1", 'onerror="window.__pwned=2"', "javascript:alert(1)", "</table>"):
        assert needle in everything, f"{needle!r} is not shown as text in any page"
    # the group names are shown as text on the index page
    index = shown["index.html"]
    assert GROUP_A in index and GROUP_B in index, "the index does not show the compared groups as text"
    assert "&lt;svg" in (report / "index.html").read_text(encoding="utf-8")


def test_no_page_loads_anything_from_outside(report):
    for page in pages(report):
        for tag, attrs in parse(page).tags:
            for name, value in attrs:
                if name in ("src", "href") and value:
                    v = value.strip().lower()
                    assert not v.startswith(("http:", "https:", "//", "javascript:")), (page.name, tag, value)


# ----------------------------------------------------------------------------------------------- browser

def browser_or_skip():
    why = None
    try:
        from playwright.sync_api import sync_playwright  # noqa: F401
    except ImportError:
        why = "the playwright package is not installed"
    if why is None and not Path(CHROMIUM).exists():
        why = f"{CHROMIUM} is missing (Debian package chromium)"
    if why:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"browser test cannot run under CI: {why}")
        pytest.skip(why)
    from playwright.sync_api import sync_playwright

    return sync_playwright


@pytest.mark.browser
def test_no_payload_runs_in_a_real_browser(report, tmp_path):
    sync_playwright = browser_or_skip()
    dialogs: list[str] = []
    outside: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(java_script_enabled=True)

            def route(r):
                if r.request.url.startswith(("file:", "data:", "about:", "blob:")):
                    return r.continue_()
                outside.append(r.request.url)
                return r.abort()

            context.route("**/*", route)
            page = context.new_page()

            def on_dialog(d):
                dialogs.append(f"{d.type}: {d.message}")
                d.dismiss()

            page.on("dialog", on_dialog)
            for html in pages(report):
                page.goto(html.as_uri(), wait_until="load")
                page.wait_for_timeout(300)  # let failed images fire their onerror handlers
                # hover what a payload could have made live, as a curious reader would
                for el in page.query_selector_all("b, a, svg")[:200]:
                    try:
                        el.hover(timeout=200)
                    except Exception:
                        pass
                pwned = page.evaluate("() => typeof window.__pwned === 'undefined' ? null : String(window.__pwned)")
                assert pwned is None, f"{html.name}: a payload ran (window.__pwned = {pwned})"
                assert not dialogs, f"{html.name}: a dialog opened: {dialogs}"
            page.screenshot(path=str(tmp_path / "last_page.png"), full_page=True)
        finally:
            browser.close()
    assert not outside, f"pages asked for outside resources: {outside[:5]}"
