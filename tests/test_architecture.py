"""The engine's shape: stage packages, no import cycle, each library has one owner.

Walks portal/**/*.py with `ast` (nothing is imported): every import of another
portal module, at module level or inside a function, is an edge of the graph.
A cycle fails — between modules, and between the stage packages (load, model,
render, outputs, review, preview) — as does an import inside a function (the
way a cycle hides), and a third-party library imported by more than the one
module that owns it. Modules are named by their dotted path under portal/
("render.markup"); the few at the top ("cli", "pipeline", "write", …) are the
commands, the flow and the vocabulary every stage shares.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PORTAL = Path(__file__).resolve().parents[1] / "portal"

# The stages in the order the build runs them; the tree shows the pipeline.
STAGES = ["load", "model", "render", "outputs", "review", "preview"]

# Imports inside a function that must stay there, each with its reason.
ALLOWED_INSIDE = {
    ("cli", "preview.serve"): "only `serve` needs livereload and tornado: `build` and `check` do not import them",
    ("cli", "pipeline"): "a build with nothing to do (uptodate.py) is done before the engine is imported (0.15 s)",
    ("cli", "review.external"): "only `check --external` needs urllib.request",
    ("uptodate", "importlib.metadata"): "only for a library not installed as a wheel (a .dist-info folder)",
    ("cli", "scaffold"): "only `new` reads the site to start an item (the YAML loader: 0.05 s of every command)",
}

# Each third-party library and the one module that imports it (STYLE.md: "the module that
# imports a library is the only one that knows it"). MarkupSafe is part of Jinja's world.
OWNERS = {
    "jinja2": "render.pages",
    "markupsafe": "render.pages",
    "markdown": "render.markup",
    "nh3": "render.markup",
    "yaml": "load.yamlnodes",
    "babel": "formatting",
    "livereload": "preview.serve",
    "tornado": "preview.serve",
    "PIL": "render.shareimages",
}


def _name(path: Path) -> str:
    parts = path.relative_to(PORTAL).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict:
    return {
        _name(path): ast.parse(path.read_text(encoding="utf-8"), str(path))
        for path in sorted(PORTAL.rglob("*.py"))
        if _name(path)  # portal/__init__.py itself
    }


def _imports(tree: ast.Module):
    """(("portal" or "", imported name), inside a function?, line) for every import."""
    found = []

    def walk(node, inside: bool):
        for child in ast.iter_child_nodes(node):
            nested = inside or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.Import):
                found.extend([(("", alias.name), inside, child.lineno) for alias in child.names])
            elif isinstance(child, ast.ImportFrom):
                assert child.level == 0, f"line {child.lineno}: portal imports absolutely (from portal.x import y)"
                module = child.module or ""
                if module == "portal" or module.startswith("portal."):
                    below = module.removeprefix("portal").lstrip(".")
                    # from portal.render import markup names the module render.markup;
                    # from portal.model.site import Site names model.site (see _resolve).
                    found.extend(
                        [(("portal", f"{below}.{a.name}".lstrip(".")), inside, child.lineno) for a in child.names]
                    )
                else:
                    found.append((("", module), inside, child.lineno))
            walk(child, nested)

    walk(tree, False)
    return found


def _resolve(target: str, modules) -> str | None:
    """The module a `portal` import names: "model.site.Site" is model.site."""
    while target and target not in modules:
        target = target.rpartition(".")[0]
    return target or None


def _graph(modules: dict) -> dict:
    return {
        name: {_resolve(t, modules) for (where, t), _, _ in _imports(tree) if where == "portal"} - {name, None}
        for name, tree in modules.items()
    }


def _packages(graph: dict) -> dict:
    """The graph between stage packages (a top-level module stands for itself)."""

    def group(name):
        return name.split(".")[0]

    packages = {}
    for name, targets in graph.items():
        packages.setdefault(group(name), set()).update(group(t) for t in targets if group(t) != group(name))
    return packages


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


def test_the_stage_packages_import_each_other_without_a_cycle():
    cycle = _cycle(_packages(_graph(_modules())))
    assert cycle is None, "import cycle between packages: " + " → ".join(cycle)


def test_the_tree_shows_the_pipeline():
    """Each stage is a package of modules named for their jobs, and only the commands, the flow
    and the shared vocabulary stay at the top."""
    for stage in STAGES:
        assert (PORTAL / stage / "__init__.py").is_file(), stage
    top = sorted(path.stem for path in PORTAL.glob("*.py"))
    assert top == sorted(
        ["__init__", "__main__", "cli", "pipeline", "apart", "scaffold", "uptodate", "write"]  # commands, the flow
        + ["caches", "clock", "formatting", "messages", "output", "problems"]
    )  # shared vocabulary


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_no_module_imports_inside_a_function():
    modules = _modules()
    inside = {
        (name, _resolve(target, modules) if where == "portal" else target): line
        for name, tree in modules.items()
        for (where, target), nested, line in _imports(tree)
        if nested
    }
    unexplained = [
        f"portal/{name.replace('.', '/')}.py:{line} imports {target}"
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
