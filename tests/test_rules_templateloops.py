"""Every rule of the template loop check (portal/render/templateloops.py), one small test each.

A template that includes, extends or imports itself, directly or through others, makes rendering
recurse until Python's stack runs out. `find_loops` reads the graph pages.py makes from the
templates' syntax trees (name -> [(line, name it includes)]) and names each ring once, in the
template where it is reported, at the line of that template's first step, with the whole chain.
"""

from __future__ import annotations

from portal.render.templateloops import find_loops

MESSAGE = "the template includes or extends itself ({chain})"


def loop(name, line, *chain):
    return (name, line, MESSAGE.format(chain=" → ".join(chain)))


def test_templates_without_a_ring_have_no_loop():
    graph = {
        "page.html": [(1, "base.html"), (4, "partials/alerts.html"), (5, "partials/alerts.html")],
        "news.html": [(1, "base.html"), (3, "partials/alerts.html")],
        "base.html": [(12, "partials/header.html"), (30, "partials/footer.html")],
        "partials/alerts.html": [],
        "partials/header.html": [(2, "partials/menu.html")],
        "partials/menu.html": [],
        "partials/footer.html": [],
    }
    assert find_loops(graph) == []
    assert find_loops({}) == []


def test_a_template_that_includes_itself_is_a_loop_at_the_include_line():
    graph = {"base.html": [(3, "partials/head.html"), (7, "base.html")], "partials/head.html": []}
    assert find_loops(graph) == [loop("base.html", 7, "base.html", "base.html")]


def test_a_loop_of_three_templates_names_every_step_at_the_line_of_its_first():
    graph = {
        "a.html": [(2, "x.html"), (4, "b.html")],
        "b.html": [(6, "c.html")],
        "c.html": [(8, "a.html")],
        "x.html": [],
    }
    assert find_loops(graph) == [loop("a.html", 4, "a.html", "b.html", "c.html", "a.html")]


def test_a_ring_is_reported_once_in_the_template_first_in_name_order_whatever_order_the_templates_come_in():
    graph = {
        "c.html": [(8, "a.html")],
        "b.html": [(6, "c.html")],
        "a.html": [(4, "b.html")],
    }
    assert find_loops(graph) == [loop("a.html", 4, "a.html", "b.html", "c.html", "a.html")]


def test_a_template_that_only_leads_into_a_ring_is_not_in_it():
    # page.html includes base.html, which includes itself: only base.html is wrong.
    graph = {"page.html": [(1, "base.html")], "base.html": [(9, "base.html")], "aa.html": [(2, "page.html")]}
    assert find_loops(graph) == [loop("base.html", 9, "base.html", "base.html")]


def test_a_ring_further_on_does_not_stop_the_walk_or_hide_a_ring_through_the_start():
    # From a.html the walk passes the ring b ⇄ c before it comes back to a.html by d.html.
    graph = {
        "a.html": [(1, "b.html")],
        "b.html": [(2, "c.html")],
        "c.html": [(3, "b.html"), (4, "d.html")],
        "d.html": [(5, "a.html")],
    }
    assert find_loops(graph) == [
        loop("a.html", 1, "a.html", "b.html", "c.html", "d.html", "a.html"),
        loop("b.html", 2, "b.html", "c.html", "b.html"),
    ]


def test_two_rings_through_one_template_are_two_loops_each_at_its_own_line():
    graph = {"a.html": [(3, "b.html"), (5, "c.html")], "b.html": [(7, "a.html")], "c.html": [(9, "a.html")]}
    assert sorted(find_loops(graph)) == [
        loop("a.html", 3, "a.html", "b.html", "a.html"),
        loop("a.html", 5, "a.html", "c.html", "a.html"),
    ]


def test_a_template_included_that_is_not_there_is_no_loop():
    # A missing template is its own error (Jinja's); the check goes on past it.
    graph = {"a.html": [(2, "missing.html"), (3, "b.html")], "b.html": [(4, "a.html")]}
    assert find_loops(graph) == [loop("a.html", 3, "a.html", "b.html", "a.html")]


def test_a_template_reached_twice_on_the_way_is_walked_once():
    # A diamond (a → b, a → c, b → d, c → d) with a long tail: without remembering what it has
    # walked the check would take each of the 2 ** 20 paths through it. Each walk from a start
    # reads a template's references at most once, so the graph is asked at most once per
    # template and start; past that the test stops at once instead of waiting for the walk.
    class Asked(dict):
        times = 0

        def _count(self):
            Asked.times += 1
            assert Asked.times <= len(self) ** 2, "a template was walked twice from one start"

        def get(self, key, default=None):
            self._count()
            return super().get(key, default)

        def __getitem__(self, key):
            self._count()
            return super().__getitem__(key)

    graph = Asked()
    for i in range(20):
        graph[f"t{i:02}l.html"] = [(1, f"t{i + 1:02}.html")]
        graph[f"t{i:02}r.html"] = [(1, f"t{i + 1:02}.html")]
        graph[f"t{i:02}.html"] = [(1, f"t{i:02}l.html"), (2, f"t{i:02}r.html")]
    graph["t20.html"] = []
    assert find_loops(graph) == []
