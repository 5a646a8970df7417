"""Find templates that include, extend or import themselves, directly or in a ring.

Rendering such a template recurses until Python's stack runs out, and the
traceback then points wherever it happened to stop. Reading the templates'
syntax trees first names the ring, once, at the line where its first template (in name
order) takes the first step into it.
"""

from __future__ import annotations

from portal.messages import _


def find_loops(graph: dict) -> list:
    """[(template name, line, message)], one per ring of templates that reach themselves.

    `graph`: template name -> [(line, other template name)] of its literal
    includes, extends and imports (pages.py reads them with Jinja's parser).
    """
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
                        loops.append(
                            (start, where, _("the template includes or extends itself ({chain})", chain=chain))
                        )
                elif target not in seen:
                    seen.add(target)
                    stack.append((target, [*path, target], where))
    return loops
