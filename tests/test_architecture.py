"""The engine's shape: stages import downwards only, each library has one owner.

Walks portal/*.py with `ast` (nothing is imported): every import of another
portal module, at module level or inside a function, is an edge of the graph.
A cycle fails, as does an import inside a function (the way a cycle hides), and
a third-party library imported by more than the one module that owns it.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PORTAL = Path(__file__).resolve().parents[1] / "portal"

# Imports inside a function that must stay there, each with its reason.
ALLOWED_INSIDE = {
    ("cli", "serve"): "only `serve` needs livereload and tornado: `build` and `check` do not import them",
}

# Each third-party library and the one module that imports it (STYLE.md: "the module that
# imports a library is the only one that knows it"). MarkupSafe is part of Jinja's world.
OWNERS = {
    "jinja2": "render",
    "markupsafe": "render",
    "markdown": "markup",
    "nh3": "markup",
    "yaml": "yamlnodes",
    "babel": "formatting",
    "livereload": "serve",
    "tornado": "serve",
    "PIL": "shareimages",
}


def _modules() -> dict:
    return {path.stem: ast.parse(path.read_text(encoding="utf-8"), str(path)) for path in sorted(PORTAL.glob("*.py"))}


def _imports(tree: ast.Module):
    """(imported name, inside a function?, line) for every import in the module."""
    found = []

    def walk(node, inside: bool):
        for child in ast.iter_child_nodes(node):
            nested = inside or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.Import):
                found.extend([(("", alias.name), inside, child.lineno) for alias in child.names])
            elif isinstance(child, ast.ImportFrom):
                if child.level == 0:
                    found.append((("", child.module), inside, child.lineno))
                elif child.module:  # from .model import Page
                    found.append((("portal", child.module.split(".")[0]), inside, child.lineno))
                else:  # from . import model, render
                    found.extend([(("portal", alias.name), inside, child.lineno) for alias in child.names])
            walk(child, nested)

    walk(tree, False)
    return found


def _graph(modules: dict) -> dict:
    return {
        name: {target for (where, target), _, _ in _imports(tree) if where == "portal" and target in modules}
        for name, tree in modules.items()
    }


def _cycle(graph: dict) -> list | None:
    """One cycle of the graph as [a, b, …, a], or None."""
    state = {}  # name -> "open" while on the path, "done" after

    def visit(name, path):
        state[name] = "open"
        for target in sorted(graph[name]):
            if state.get(target) == "open":
                return path[path.index(target) :] + [target]
            if target not in state:
                found = visit(target, path + [target])
                if found:
                    return found
        state[name] = "done"
        return None

    for name in sorted(graph):
        if name not in state:
            found = visit(name, [name])
            if found:
                return found
    return None


def test_the_portal_modules_import_each_other_without_a_cycle():
    cycle = _cycle(_graph(_modules()))
    assert cycle is None, "import cycle: " + " → ".join(cycle)


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_no_module_imports_inside_a_function():
    inside = {
        (name, target): line
        for name, tree in _modules().items()
        for (_, target), nested, line in _imports(tree)
        if nested
    }
    unexplained = [
        f"portal/{name}.py:{line} imports {target}"
        for (name, target), line in sorted(inside.items())
        if (name, target) not in ALLOWED_INSIDE
    ]
    assert unexplained == [], unexplained
    assert set(ALLOWED_INSIDE) <= set(inside), (
        "an allowed import inside a function is gone: drop it from ALLOWED_INSIDE"
    )


def test_each_third_party_library_is_imported_by_its_one_owner():
    standard = set(sys.stdlib_module_names) | {"__future__"}
    importers = {}
    for name, tree in _modules().items():
        for (where, target), _, _ in _imports(tree):
            top = target.split(".")[0]
            if where == "" and top not in standard:
                importers.setdefault(top, set()).add(name)
    unknown = sorted(set(importers) - set(OWNERS))
    assert unknown == [], f"a library without an owner in OWNERS: {unknown}"
    wrong = {lib: sorted(names) for lib, names in importers.items() if names != {OWNERS[lib]}}
    assert wrong == {}, f"libraries imported outside their owner: {wrong}"
