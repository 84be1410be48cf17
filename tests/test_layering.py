"""Layering rules, checked on the source by AST (no imports executed).

* Only ``equilibrium.report`` imports matplotlib (figures are an edge concern).
* Domain packages (``provenance``, ``catalog``, ``geo``) never import the edges (``cli``, ``web``, ``report``).
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "equilibrium"
DOMAIN = ("provenance", "catalog", "geo", "trajectory", "ensembles", "sanctions")
EDGES = ("cli", "web", "report")


def _module_name(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[str]:
    """Absolute names of every module imported by ``path`` (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    mod = _module_name(path)
    package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
    out: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.extend(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                prefix = ".".join(base)
                name = f"{prefix}.{node.module}" if node.module else prefix
            else:
                name = node.module or ""
            out.append(name)
            out.extend(f"{name}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
                "import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant):
            out.append(str(node.args[0].value))
    return out


def _files() -> list[Path]:
    files = sorted(SRC.rglob("*.py"))
    assert files, f"no sources under {SRC}"
    return files


def test_only_report_imports_matplotlib() -> None:
    offenders = []
    for f in _files():
        if f.relative_to(SRC).parts[0] == "report":
            continue
        offenders += [f"{f.relative_to(SRC)}: {n}" for n in _imports(f)
                      if n == "matplotlib" or n.startswith("matplotlib.")]
    assert not offenders, offenders


def test_domain_packages_do_not_import_edges() -> None:
    offenders = []
    for f in _files():
        top = f.relative_to(SRC).parts[0]
        if top not in DOMAIN:
            continue
        for n in _imports(f):
            for edge in EDGES:
                if n == f"equilibrium.{edge}" or n.startswith(f"equilibrium.{edge}."):
                    offenders.append(f"{f.relative_to(SRC)}: {n}")
    assert not offenders, offenders


def test_the_checker_sees_imports() -> None:
    """Guard against a checker that silently finds nothing."""
    names = _imports(SRC / "report" / "figures.py")
    assert any(n.startswith("matplotlib") for n in names)
    assert any(n.startswith("equilibrium.geo") for n in names)
