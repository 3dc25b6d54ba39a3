"""The package's layers and the direction of their dependencies: report → pages → pipeline → narratives / stats
→ text → corpus (analysis/errors.py is shared by all). A module may import from its own layer and the layers
below it, never from a layer above; the test reads every import statement of the package, at any depth."""
from __future__ import annotations

import ast
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
