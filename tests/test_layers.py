"""The package's layers and the direction of their dependencies: report → pages → pipeline → narratives / stats
→ text → corpus (analysis/errors.py is shared by all). A module may import from its own layer and the layers
below it, never from a layer above; the test reads every import statement of the package, at any depth."""
from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "analysis"
RANK = {"corpus": 0, "text": 1, "stats": 2, "narratives": 2, "pipeline": 3, "pages": 4, "report": 5}
SHARED = {"errors"}


def _imports(path: Path) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module))
            if node.module == "analysis":
                out += [(node.lineno, f"analysis.{a.name}") for a in node.names]
    return out


def test_every_module_belongs_to_a_layer():
    for path in ROOT.glob("*.py"):
        assert path.stem in SHARED | {"__init__", "__main__", "cli"}, f"{path.name} is outside the layers"
    assert {p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists()} == set(RANK)


def test_dependencies_point_down_the_layers():
    wrong = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).parts
        if len(rel) < 2 or rel[0] not in RANK:
            continue
        mine = RANK[rel[0]]
        for line, module in _imports(path):
            parts = module.split(".")
            if parts[0] != "analysis" or len(parts) < 2 or parts[1] in SHARED:
                continue
            theirs = RANK.get(parts[1])
            if theirs is not None and theirs > mine:
                wrong.append(f"analysis/{'/'.join(rel)}:{line} imports {module}")
    assert not wrong, "imports that point up the layers:\n" + "\n".join(wrong)


def test_the_lower_layers_do_not_load_the_report_machinery():
    """Reading a corpus or computing statistics must not drag in the notebooks' or report's modules."""
    import subprocess
    import sys

    code = ("import sys, analysis.corpus, analysis.text.parse, analysis.stats.keyness, analysis.narratives.claims; "
            "print(sorted(m for m in sys.modules if m.startswith(('analysis.pages', 'analysis.report', "
            "'papermill', 'nbconvert', 'matplotlib'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]", out


def _layer_of(frame) -> int | None:
    parts = frame.f_globals.get("__name__", "").split(".")
    if parts[0] != "analysis" or len(parts) < 2:
        return None
    return RANK.get(parts[1])


def _walk(records: list[dict]):
    """Trace the one pass over ``records``: the layers entered in order, the calls that climb from a lower layer
    into a higher one, and how many times a text is split into sentences."""
    import sys

    from analysis.pipeline import document_pass as D
    from analysis.text import sentences

    cfg = D.PassConfig()
    D._Extractors.for_config(cfg)  # compiled once per process, outside the walk of a document
    entered, climbs, splits = [], [], Counter()

    def profile(frame, event, arg):
        if event != "call":
            return
        callee = _layer_of(frame)
        if callee is None:
            return
        if frame.f_code is sentences.sentence_spans.__code__:
            splits[frame.f_locals.get("text", "")] += 1
        caller = _layer_of(frame.f_back) if frame.f_back is not None else None
        if caller is not None and callee > caller:
            climbs.append(f"{frame.f_back.f_globals['__name__']}.{frame.f_back.f_code.co_name} -> "
                          f"{frame.f_globals['__name__']}.{frame.f_code.co_name}")
        if not entered or entered[-1] != callee:
            entered.append(callee)

    sys.setprofile(profile)
    try:
        D.run_batch(records, cfg)
    finally:
        sys.setprofile(None)
    return entered, climbs, splits


def test_one_document_walks_down_the_layers_and_is_split_once(seed_docs):
    """A document's way through the pass starts in the pipeline, goes down to text, statistics and narratives and
    never climbs back up from a lower layer (no callback into a higher layer), and its text is split into
    sentences once (issue 13: 'a walk of one document through the analysis visits each layer once, in order')."""
    rec = seed_docs.iloc[0].to_dict()
    entered, climbs, splits = _walk([rec])
    assert not climbs, "calls from a lower layer into a higher one:\n" + "\n".join(climbs[:20])
    assert entered[0] == RANK["pipeline"]
    assert {RANK["text"], RANK["stats"]} <= set(entered)
    assert max(entered) == RANK["pipeline"], "the pass reached the pages or the report layer"
    texts = [t for t in splits if len(t) > 200]
    assert len(texts) == 1 and splits[texts[0]] == 1, {t[:40]: n for t, n in splits.items()}
