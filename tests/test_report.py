"""The report command end to end: the seed report (rendered once per test session, as ``make reports`` does),
its files, tables, provenance and self-contained HTML; reuse when up to date; a failing notebook that leaves the
published report untouched; and a corpus with other group names rendered through parameters alone."""
from __future__ import annotations

import csv
import hashlib
import json
import pickle
import os
import re
import shutil
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from analysis.pages import PAGES

from conftest import SEEDS, require_shared

ROOT = Path(__file__).resolve().parents[1]
NAMES = [name for name, _, _ in PAGES]
REQUIRED = {
    "documents.csv": ["doc_id", "group", "title", "date", "source", "language", "n_tokens", "n_sentences"],
    "keyness.csv": ["term", "count_a", "count_b", "total_a", "total_b", "docs_a", "docs_b", "g2", "p_value",
                    "log_ratio", "pct_diff", "logodds_z"],
    "entities.csv": ["doc_id", "group", "category", "canonical", "surface", "start", "end", "sentence_id"],
    "claims.csv": ["doc_id", "group", "value", "unit", "object", "hedge", "category", "text"],
    "quotes.csv": ["doc_id", "group", "speaker", "role", "voice_kind", "quote"],
    "frames.csv": ["doc_id", "group", "frame", "n_sentences", "n_frame_sentences", "share"],
    "frame_comparison.csv": ["frame", "share_a", "share_b", "diff", "ci_low", "ci_high", "p_perm", "supported"],
    "group_sizes.csv": ["level", "group", "subgroup", "n_docs", "n_tokens", "rank", "shown"],
    "group_keyness.csv": ["level", "group", "subgroup", "language", "reference", "rank", "term", "count", "count_rest",
                          "g2", "log_ratio"],
    "group_languages.csv": ["level", "group", "subgroup", "language", "n_tokens", "share", "main", "tested",
                            "reference"],
    "group_frames.csv": ["level", "group", "subgroup", "frame", "n_docs", "share", "ci_low", "ci_high", "share_rest"],
    "group_categories.csv": ["level", "group", "subgroup", "category", "mentions", "per_10k", "per_10k_rest"],
}


def cli(*args: str, cwd: Path, cache: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), NARRATIVES_CACHE_DIR=str(cache))
    return subprocess.run([sys.executable, "-m", "analysis", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


def seed_report(tmp_path_factory) -> Path:
    """The seed report, rendered once per session by the command ``make reports`` runs (shared with
    test_browser.py through the session's base folder)."""
    base = tmp_path_factory.getbasetemp() / "seed-report"
    out = base / "reports" / "seeds"
    if not (out / "index.html").is_file():
        base.mkdir(parents=True, exist_ok=True)
        shutil.copytree(SEEDS, base / "seeds", dirs_exist_ok=True)
        proc = cli("report", "--corpus", "seeds", "--out", "reports/seeds", "--no-progress", cwd=base,
                   cache=base / "cache")
        assert proc.returncode == 0, f"the seed report did not render:\n{proc.stderr[-5000:]}"
    return out


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    return seed_report(tmp_path_factory)


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href") and value is not None:
                self.links.append((tag, name, value))
            if name == "id" and value:
                self.ids.add(value)


def links(page: Path) -> Links:
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


# --------------------------------------------------------------------------------------------- the seed report

PAGE_BUDGET = 1_000_000  # bytes of one HTML page, whatever the corpus (issue 13)


def test_every_page_notebook_and_table_is_written(report):
    for name in NAMES:
        assert 10_000 < (report / f"{name}.html").stat().st_size <= PAGE_BUDGET, name
        nb = json.loads((report / f"{name}.ipynb").read_text(encoding="utf-8"))
        outputs = [o for c in nb["cells"] for o in c.get("outputs", [])]
        assert outputs and not [o for o in outputs if o.get("output_type") == "error"], name
    assert (report / "index.html").is_file() and (report / "run.json").is_file()
    leftovers = [p.name for p in report.parent.iterdir() if p.name != "seeds"]
    assert not leftovers, f"build or partial folders left beside the report: {leftovers}"


@pytest.mark.parametrize("table", sorted(REQUIRED))
def test_tables_have_the_required_columns(report, table):
    path = report / "tables" / table
    assert path.is_file(), f"tables/{table} is missing"
    raw = path.read_bytes()
    assert b"\r\n" not in raw, "tables use LF line ends"
    assert str(ROOT).encode() not in raw and str(report).encode() not in raw, "absolute path in a table"
    with open(path, encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    missing = [c for c in REQUIRED[table] if c not in header]
    assert not missing, f"{table} lacks {missing}"


def test_documents_table_describes_the_five_seeds(report):
    rows = read_csv(report / "tables" / "documents.csv")
    assert sorted(r["doc_id"] for r in rows) == sorted(
        ["us_dea_last_mile", "us_dhs_artemis", "fr_lyon_snapchat", "fr_toulouse_reseaux", "fr_darmanin_cyberpatrouilles"])
    assert {r["group"] for r in rows} == {"us_federal", "fr_policing"}
    assert all(int(r["n_tokens"]) > 100 and int(r["n_sentences"]) > 5 for r in rows)
    assert all(r["language"] == "fr" for r in rows)


def test_run_json_records_provenance(report):
    from analysis.corpus import document_hashes

    run = json.loads((report / "run.json").read_text(encoding="utf-8"))
    corpus_sha, doc_shas = document_hashes(SEEDS)
    assert run["corpus"]["sha256"] == corpus_sha and run["corpus"]["documents"] == doc_shas
    p = run["parameters"]
    assert (p["group_a"], p["group_b"], p["top_n"], p["include_code"]) == ("us_federal", "fr_policing", 20, False)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", run["started"])
    assert run["python"]["version"].startswith("3.")
    assert {"pandas", "papermill", "nbconvert", "matplotlib", "nltk"} <= set(run["packages"])
    assert all(run["packages"][k] for k in ("pandas", "papermill", "nbconvert"))
    commit = run["kit"]["git_commit"]
    assert commit is None or re.fullmatch(r"[0-9a-f]{40}", commit)
    assert set(run["timings"]["notebooks"]) == set(NAMES)
    assert all(t["seconds"] > 0 for t in run["timings"]["notebooks"].values())
    assert len(run["analysis"]["cache_key"]) == 64
    assert run["comparison"]["documents"] == {"us_federal": 2, "fr_policing": 3}


def test_html_is_self_contained(report):
    siblings = {f"{n}.html" for n in NAMES}
    for page in sorted(report.glob("*.html")):
        parsed = links(page)
        for tag, attr, value in parsed.links:
            v = value.strip()
            if v.startswith("#"):
                assert v[1:] in parsed.ids or v[1:] == "", f"{page.name}: dangling anchor {v}"
                continue
            if tag == "img" and v.startswith("data:image/png;base64,"):
                continue
            if tag == "a" and v in siblings | {"index.html"}:
                assert (report / v).is_file()
                continue
            pytest.fail(f"{page.name}: <{tag} {attr}={v[:80]!r}> points outside the file")
        text = page.read_text(encoding="utf-8")
        assert "<link" not in text.lower() or 'rel="stylesheet"' not in text.lower(), page.name
        assert "require.js" not in text and "mathjax" not in text.lower(), page.name
    index = links(report / "index.html")
    assert {v for _, _, v in index.links if v.endswith(".html")} == siblings


def test_pages_show_figures_and_hide_code(report):
    for name in NAMES:
        text = (report / f"{name}.html").read_text(encoding="utf-8")
        assert "pipeline.analyze(" not in text, f"{name}: code is shown although include_code is false"
        if name != "05_comparison":
            continue
        assert text.count("data:image/png;base64,") >= 3
        for anchor in ("fig-keyness", "fig-frames", "fig-actors"):
            assert f'id="{anchor}"' in text and f'href="#{anchor}"' in text, anchor


def test_over_time_page_shows_concepts_and_key_terms_by_period(report):
    text = (report / "07_over_time.html").read_text(encoding="utf-8")
    for anchor in ("fig-frames-over-time", "fig-actors-over-time", "fig-concepts-over-time"):
        assert f'id="{anchor}"' in text, anchor
    assert "Concepts over time" in text and "Key terms by period" in text
    # the seeds have one document per period and side: the page says why no key term is shown
    assert "so no period can be compared" in text or "no period has a term" in text
    concepts = read_csv(report / "tables" / "concepts_by_period.csv")
    assert {r["period"] for r in concepts} == {"2022-11", "2023-05", "2023-07", "2024-03"}
    assert {"seizure", "platform_social_media"} <= {r["concept"] for r in concepts}
    assert (report / "tables" / "key_terms_by_period.parquet").is_file()
    with open(report / "tables" / "key_terms_by_period.csv", encoding="utf-8") as fh:
        assert next(csv.reader(fh))[:5] == ["group", "language", "period", "rank", "term"]


def test_every_group_page_shows_each_group_in_panels(report):
    """Page 08 on the two seed groups: both groups in its tables and panels, and the page says there is nothing
    beyond the two sides (and no subgroup column)."""
    text = (report / "08_groups.html").read_text(encoding="utf-8")
    for anchor in ("fig-group-sizes", "fig-group-keywords", "fig-group-frames", "fig-group-actors"):
        assert f'id="{anchor}"' in text, anchor
    assert "nothing more to show beyond the two sides" in text
    assert "subgroup_col is empty" in text
    assert re.search(r"<td>fr_policing</td>\s*<td>3</td>", text)
    assert re.search(r"<td>us_federal</td>\s*<td>2</td>", text)
    # both seed groups are French: key words against the rest of the corpus in French, the reference named
    assert "mainly written in French" in text and "compared within a language only" in text
    assert re.search(r"<td>fr_policing</td>\s*<td>fr</td>\s*<td>corpus:fr</td>", text)
    assert len(text.encode()) < 1_000_000
    with open(report / "tables" / "group_sizes.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {(r["group"], r["n_docs"]) for r in rows} == {("fr_policing", "3"), ("us_federal", "2")}


def test_index_says_what_was_compared(report):
    text = (report / "index.html").read_text(encoding="utf-8")
    assert "us_federal" in text and "fr_policing" in text
    assert re.search(r"<td>us_federal</td><td>2</td>", text) and re.search(r"<td>fr_policing</td><td>3</td>", text)
    summary = text.split("<h2>Summary</h2>", 1)[1].split("</ul>", 1)[0]
    assert summary.count("<li>") >= 3 and "tables/" in summary


def test_comparison_findings_point_to_their_tables(report):
    nb = json.loads((report / "05_comparison.ipynb").read_text(encoding="utf-8"))
    html_out = "".join("".join(o.get("data", {}).get("text/html", "")) for c in nb["cells"] for o in c.get("outputs", []))
    items = re.findall(r"<li>(.*?)</li>", html_out.split('<ol class="kit-findings">', 1)[1].split("</ol>", 1)[0])
    assert len(items) >= 5
    for item in items:
        assert re.search(r"tables/\w+\.csv", item), f"a finding names no table: {item}"


def test_unchanged_inputs_reuse_the_published_report(report):
    base = report.parent.parent
    before = tree(report)
    t0 = time.perf_counter()
    proc = cli("report", "--corpus", "seeds", "--out", "reports/seeds", "--no-progress", cwd=base, cache=base / "cache")
    assert proc.returncode == 0, proc.stderr
    assert "up to date" in proc.stdout + proc.stderr
    assert time.perf_counter() - t0 < 15
    assert tree(report) == before


def test_include_code_shows_the_code(report, tmp_path):
    base = report.parent.parent
    proc = cli("report", "--corpus", "seeds", "--out", str(tmp_path / "with-code"), "--only", "01",
               "-p", "include_code", "true", "--no-progress", cwd=base, cache=base / "cache")
    assert proc.returncode == 0, proc.stderr
    text = (tmp_path / "with-code" / "01_corpus_overview.html").read_text(encoding="utf-8")
    assert "pipeline" in text and "analyze" in text
    assert (tmp_path / "with-code" / "index.html").is_file()
    assert not (tmp_path / "with-code" / "02_vocabulary_keyness.html").exists()


# --------------------------------------------------------------------------------------------- failure

def tiny_notebooks(folder: Path, fail: bool) -> Path:
    import nbformat

    folder.mkdir(parents=True, exist_ok=True)
    for name, body in (("a_fine", "print('fine')"), ("b_maybe", "x = 1\nraise ValueError('boom in b')" if fail
                                                     else "x = 1")):
        nb = nbformat.v4.new_notebook()
        params = nbformat.v4.new_code_cell("corpus = '../seeds'", id="params")
        params.metadata["tags"] = ["parameters"]
        nb.cells = [nbformat.v4.new_markdown_cell(f"# {name}", id="title"), params,
                    nbformat.v4.new_code_cell("y = 2", id="first"), nbformat.v4.new_code_cell(body, id="second")]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, folder / f"{name}.ipynb")
    return folder


def test_failing_cell_names_notebook_and_cell_and_keeps_published_report(tmp_path, monkeypatch):
    from analysis.errors import ReportError
    from analysis.report.build import run_report

    monkeypatch.setenv("NARRATIVES_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "reports" / "seeds"
    run_report(corpus=str(SEEDS), out=out, notebook_dir=tiny_notebooks(tmp_path / "good", fail=False),
               progress=False, log=lambda m: None)
    before = tree(out)
    with pytest.raises(ReportError) as info:
        run_report(corpus=str(SEEDS), out=out, notebook_dir=tiny_notebooks(tmp_path / "bad", fail=True),
                   progress=False, force=True, log=lambda m: None)
    err = info.value
    message = str(err)
    assert err.notebook == "b_maybe" and "b_maybe" in message
    assert err.cell == 4 and "In [4]" in message, message  # parameters, injected, first, then the failing cell
    assert "ValueError: boom in b" in message
    assert tree(out) == before, "the published report changed"
    partial = Path(err.partial_dir)
    assert partial == out.parent / "seeds.partial" and f"Partial output kept in {partial}" in message
    kept = json.loads((partial / "b_maybe.ipynb").read_text(encoding="utf-8"))
    assert any(o.get("ename") == "ValueError" for c in kept["cells"] for o in c.get("outputs", []))
    assert sorted(p.name for p in out.parent.iterdir()) == ["seeds", "seeds.partial"]
    # modelled on papermill's execution error: the cell, its source, the exception and its traceback
    from analysis.errors import NotebookExecutionError

    assert isinstance(err, NotebookExecutionError)
    assert err.ename == "ValueError" and "boom in b" in err.evalue and "raise ValueError" in err.source
    assert err.exec_count == 4 and err.cell_index >= 3 and err.exit_code == 1
    assert any("ValueError" in line for line in err.traceback)
    again = pickle.loads(pickle.dumps(err))
    assert (again.notebook, again.cell_index, again.source, again.traceback, again.partial_dir, str(again)) == \
        (err.notebook, err.cell_index, err.source, err.traceback, err.partial_dir, str(err))


# --------------------------------------------------------------------------------------------- other corpora

NORTH = ["Les trafiquants vendent du cannabis sur Snapchat, selon la police de Lille.",
         "La gendarmerie a saisi 12 kg de résine et interpellé 35 personnes lors de l'opération.",
         "« Les réseaux sociaux sont devenus une vitrine », a déclaré le commissaire.",
         "Les livraisons de drogue à domicile se multiplient dans la métropole lilloise."]
SOUTH = ["À Marseille, les points de deal recrutent des guetteurs sur Telegram et Instagram.",
         "Le préfet a annoncé 200 opérations de police contre le trafic de cocaïne.",
         "« Nous fermons les comptes des trafiquants », a affirmé le procureur de la République.",
         "Les jeunes consommateurs commandent sur les réseaux sociaux et paient en cryptomonnaie."]


def test_other_group_names_render_through_parameters_alone(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    rows = ["doc_id,path,camp,language,date,title"]
    for side, sentences in (("nord", NORTH), ("sud", SOUTH), ("est", NORTH[:2])):
        for i in range(3):
            name = f"{side}{i}.txt"
            (root / name).write_text("\n".join(sentences[i:] + sentences[:i]) + "\n", encoding="utf-8")
            rows.append(f"{side}_{i},{name},{side},fr,2024-0{i + 1},Article {i} du {side}")
    (root / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    # the three texts of a side hold the same sentences in another order: duplicates for boilerplate removal
    proc = cli("report", "--corpus", str(root), "--out", str(out), "-p", "group_col", "camp", "-p", "group_a", "nord",
               "-p", "group_b", "sud", "-p", "min_count", "1", "-p", "boilerplate", "off", "--no-progress",
               cwd=tmp_path, cache=tmp_path / "cache")
    assert proc.returncode == 0, proc.stderr[-5000:]
    for name in NAMES:
        assert (out / f"{name}.html").is_file(), name
    docs = read_csv(out / "tables" / "documents.csv")
    assert sorted({r["group"] for r in docs}) == ["nord", "sud"] and len(docs) == 6
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<td>nord</td><td>3</td>" in index and "<td>sud</td><td>3</td>" in index
    assert "3 document(s) belong to neither group" in index
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["comparison"] == {"group_col": "camp", "group_a": "nord", "group_b": "sud",
                                 "documents": {"nord": 3, "sud": 3}, "excluded_documents": 3}


@pytest.mark.shared
@pytest.mark.slow
def test_shared_press_corpus_with_its_own_groups(tmp_path):
    """A real corpus of someone else's, with its own group names, renders through parameters alone. Every
    fourth article of the 983 (the whole corpus renders too, in about a minute and a half on 2 cores; the
    sample keeps the suite short)."""
    source = require_shared("corpora", "fr-press-gilets-jaunes", "documents.jsonl")
    lines = source.read_text(encoding="utf-8").splitlines()[::4]
    corpus = tmp_path / "press.jsonl"
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    groups = {}
    for line in lines:
        g = json.loads(line)["group"]
        groups[g] = groups.get(g, 0) + 1
    out = tmp_path / "press"
    proc = cli("report", "--corpus", str(corpus), "--out", str(out), "-p", "group_a", "fr_CA", "-p", "group_b",
               "fr_CH", "--no-progress", cwd=tmp_path, cache=tmp_path / "cache", timeout=1200)
    assert proc.returncode == 0, proc.stderr[-5000:]
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    dups = run["cleaning"]["duplicates"]  # duplicate articles are left out, and named
    by_id = {json.loads(line)["doc_id"]: json.loads(line)["group"] for line in lines}
    for d in dups:
        groups[by_id[d]] -= 1
    assert run["comparison"]["documents"] == groups and set(groups) == {"fr_CA", "fr_CH"}
    for name in NAMES:
        assert (out / f"{name}.html").is_file(), name
    assert len(read_csv(out / "tables" / "documents.csv")) + len(dups) == len(lines)
    assert (out / "tables" / "boilerplate.csv").is_file()
