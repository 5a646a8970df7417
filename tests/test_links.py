"""Every internal link in the built site resolves; a broken one fails the build."""

from __future__ import annotations

from conftest import run_build
from portal.output import Output
from portal.review import links


def page(path, body):
    return Output(path, f"<!DOCTYPE html><html><body>{body}</body></html>".encode())


def test_the_real_portal_has_no_broken_links_under_a_sub_path(portal):
    result = run_build(portal, "--base-url", "https://example.org/trygghet/")
    assert result.returncode == 0, result.stderr


def test_missing_page_and_missing_anchor_are_found():
    outputs = [
        page(
            "index.html",
            '<a href="/a/">a</a> <a href="/b/">b</a> <a href="/a/#nope">x</a> <a href="#top">t</a> <a href="/">home</a>',
        ),
        page("a/index.html", '<h1 id="top">A</h1>'),
    ]
    report = links.check(outputs, "https://example.org/")
    assert sorted((t, r) for _, t, r in report.broken) == [
        ("#top", "no element with id 'top' on that page"),
        ("/a/#nope", "no element with id 'nope' on that page"),
        ("/b/", "no such page or file"),
    ]


def test_links_that_escape_the_base_path_are_broken():
    outputs = [page("index.html", '<a href="/other/">x</a>'), page("other/index.html", "")]
    report = links.check(outputs, "https://example.org/sub/")
    assert report.broken == [("index.html", "/other/", "leaves the site's base path /sub/")]


def test_external_links_are_listed_not_fetched():
    report = links.check([page("index.html", '<a href="https://www.digg.se/x">d</a>')], "https://example.org/")
    assert report.broken == [] and set(report.external) == {"https://www.digg.se/x"}


def test_a_broken_link_in_a_template_fails_the_build(tiny):
    path = tiny / "templates/page.html"
    path.write_text(path.read_text().replace("<h1>", "<a href=\"{{ url('finns-inte/') }}\">x</a><h1>"))
    result = run_build(tiny)
    assert result.returncode == 1
    assert "broken link to '/finns-inte/' (on /enheten/index.html): no such page or file" in result.stderr


def test_relative_links_on_the_root_page_of_a_site_at_the_domain_root_resolve():
    outputs = [
        page("index.html", '<a href="kontakt/">k</a> <a href="./kontakt/#x">x</a>'),
        page("kontakt/index.html", '<h2 id="x">X</h2>'),
    ]
    assert links.check(outputs, "https://example.org/").broken == []
