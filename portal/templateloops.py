"""Find templates that include, extend or import themselves, directly or in a ring.

Rendering such a template recurses until Python's stack runs out, and the
traceback then points wherever it happened to stop. Reading the templates'
syntax trees first names the exact `{% include %}` line that closes the ring.
"""
from __future__ import annotations

import jinja2
from jinja2 import nodes

_REFERENCES = (nodes.Include, nodes.Extends, nodes.Import, nodes.FromImport)


def references(env: jinja2.Environment, name: str) -> list:
    """[(line, other template name)] for every literal include/extends/import in `name`."""
    source, _, _ = env.loader.get_source(env, name)
    tree = env.parse(source, name)
    found = []
    for node in tree.find_all(_REFERENCES):
        target = node.template
        if isinstance(target, nodes.Const) and isinstance(target.value, str):
            found.append((node.lineno, target.value))
    return found


def find_loops(env: jinja2.Environment, names) -> list:
    """[(template name, line, message)], one per ring of templates that reach themselves."""
    graph = {}
    for name in names:
        try:
            graph[name] = references(env, name)
        except (jinja2.TemplateSyntaxError, jinja2.TemplateNotFound):
            graph[name] = []  # reported elsewhere
    loops = []
    reported = set()
    for start in sorted(graph):
        # Depth-first walk from `start`, with the path that led here.
        stack = [(start, [start], None)]
        seen = set()
        while stack:
            name, path, first_line = stack.pop()
            for line, target in graph.get(name, []):
                where = first_line if first_line is not None else line
                if target == start:
                    ring = frozenset(path)
                    if ring not in reported:
                        reported.add(ring)
                        chain = " → ".join([*path, start])
                        loops.append((start, where, f"the template includes or extends itself ({chain})"))
                elif target not in seen:
                    seen.add(target)
                    stack.append((target, [*path, target], where))
    return loops
