"""The layout shows the pipeline, and the code keeps to it.

Every module of ``barrier_scan`` belongs to one layer, in pipeline order; a module may import
modules of its own layer or below, never above, and the import graph has no cycles. Imports
inside functions count too (they run sooner or later). Start-up stays light: the CLI module and
the package import neither spaCy nor scikit-learn.
"""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "barrier_scan"

# Lowest first. The name is the first component under barrier_scan (a module or a package).
LAYERS = [
    {"version", "taxonomy", "errors", "io"},            # words and plumbing everything shares
    {"document", "findings", "config"},                  # the data that flows, and the settings
    {"extract"},                                         # 1 extract
    {"segment"},                                         # 2 segment
    {"detect"},                                          # 3 detect (rules, model, facts)
    {"score"},                                           # 4 score
    {"report"},                                          # 5 report (every renderer)
    {"pipeline", "cache"},                               # one file through the stages
    {"batch", "annotate", "baseline", "compare", "evaluation", "serve", "ocds", "dataset",
     "executors"},                                       # commands that use the pipeline
    {"cli", "__init__", "__main__"},                     # entry points
]
LAYER_OF = {name: i for i, names in enumerate(LAYERS) for name in names}


def module_name(path: Path) -> str:
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_name(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def imports_of(path: Path) -> set[str]:
    """barrier_scan modules imported anywhere in ``path`` (relative imports resolved)."""
    me = module_name(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("barrier_scan"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("barrier_scan"):
                continue
            for a in node.names:  # "from . import detector" names a module
                sub = f"{target}.{a.name}"
                out.add(sub if _exists(sub) else target)
    out.discard(me)
    return out


def _exists(module: str) -> bool:
    p = PKG.parent.joinpath(*module.split("."))
    return p.with_suffix(".py").is_file() or (p / "__init__.py").is_file()


def graph() -> dict[str, set[str]]:
    return {module_name(p): imports_of(p) for p in sorted(PKG.rglob("*.py"))}


def test_every_module_has_a_layer():
    unknown = sorted({layer_name(m) for m in graph()} - set(LAYER_OF))
    assert not unknown, f"add these to LAYERS in pipeline order: {unknown}"


def upward_imports(g: dict[str, set[str]]) -> list[str]:
    bad = []
    for mod, deps in g.items():
        mine = LAYER_OF[layer_name(mod)]
        for dep in deps:
            if dep == "barrier_scan" and layer_name(mod) != "__init__":
                bad.append(f"{mod} imports the package itself (import the module it needs)")
            elif dep != "barrier_scan" and LAYER_OF[layer_name(dep)] > mine:
                bad.append(f"{mod} (layer {layer_name(mod)}) imports {dep} (layer {layer_name(dep)})")
    return bad


def _parents(module: str) -> set[str]:
    parts = module.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def cycles(g: dict[str, set[str]]) -> list[str]:
    # A package's __init__ running before its submodule is not a dependency between them.
    g = {m: {d for d in deps if d in g and d not in _parents(m)} for m, deps in g.items()}
    state: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(m):
        state[m] = 1
        stack.append(m)
        for d in sorted(g[m]):
            if state.get(d) == 1:
                found.append(" -> ".join(stack[stack.index(d):] + [d]))
            elif d not in state:
                visit(d)
        stack.pop()
        state[m] = 2

    for m in sorted(g):
        if m not in state:
            visit(m)
    return found


def test_no_module_imports_a_layer_above_it():
    bad = upward_imports(graph())
    assert not bad, "\n".join(bad)


def test_no_import_cycles():
    found = cycles(graph())
    assert not found, "\n".join(found)


def test_the_checks_can_fail():
    """A planted upward import and a planted cycle are caught (the checks are not vacuous)."""
    planted = {"barrier_scan.segment": {"barrier_scan.report.html"},
               "barrier_scan.report.html": {"barrier_scan.segment"}}
    assert upward_imports(planted) == [
        "barrier_scan.segment (layer segment) imports barrier_scan.report.html (layer report)"]
    assert cycles(planted) == ["barrier_scan.report.html -> barrier_scan.segment -> "
                               "barrier_scan.report.html"]
    # and the parser sees imports inside functions, resolved relative to the module
    src = PKG / "segment.py"
    assert "barrier_scan.document" in imports_of(src)


@pytest.mark.parametrize("module", ["barrier_scan", "barrier_scan.cli"])
def test_start_up_imports_no_heavy_library(module):
    code = (f"import sys, {module}\n"
            "heavy = [m for m in ('spacy', 'sklearn', 'numpy', 'yaml', 'docx', 'pdfplumber')"
            " if m in sys.modules]\n"
            "print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "", f"importing {module} loads {out.stdout.strip()}"
