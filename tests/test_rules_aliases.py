"""Every rule of moved pages as the model sees them (portal/model/aliases.py), one small test each, on
pages made by hand (no build): the file an old address is answered from, the address the site answers,
which aliases a build makes, and the check that one address has one meaning. A wrong rule here sends
a reader who follows an old link to the wrong page or to nothing, or lets an alias replace a page, so
each test reads as the rule it pins and asserts the exact value or `path:line: message`."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal.load.yamlnodes import Scalar
from portal.model import aliases
from portal.model.site import Page, Site
from portal.problems import Problems


def page(name, *old, url=None, source="", line=3) -> Page:
    """A page at /`name`/ (or `url`) from content/`name`.sv.md, whose front matter lists the aliases
    `old`, each on its own line from `line` on, as model/site.py keeps them (located texts)."""
    found = tuple(Scalar(alias, line + i, True) for i, alias in enumerate(old))
    return Page(
        key=name,
        lang="sv",
        kind="page",
        url=f"{name}/" if url is None else url,
        title=name,
        template="page.html",
        source=f"content/{name}.sv.md" if source == "" else source,
        meta={"aliases": found} if old else {},
    )


def site(*pages, static=()) -> Site:
    files = tuple((url_path, Path("/site/static") / url_path) for url_path in static)
    return Site(config=None, pages=tuple(pages), collaboration=None, sources=(), static=files, templates=None)


def check(*pages, static=()) -> list:
    problems = Problems()
    aliases.check(site(*pages, static=static), problems)
    return [str(p) for p in problems.items]


# --- the file an old address is answered from -----------------------------------------------------


@pytest.mark.parametrize(
    "alias, path",
    [
        ("/gammal/", "gammal/index.html"),
        ("/gammal", "gammal/index.html"),
        ("gammal/", "gammal/index.html"),
        ("gammal", "gammal/index.html"),
        ("/om-oss/gammal-sida/", "om-oss/gammal-sida/index.html"),
        ("  /gammal/  ", "gammal/index.html"),
        ("/Xmas/", "Xmas/index.html"),  # only the slashes around it go
    ],
)
def test_an_old_folder_address_is_answered_from_its_index_html(alias, path):
    assert aliases.output_path(alias) == path


@pytest.mark.parametrize(
    "alias, path",
    [
        ("/x.html", "x.html"),
        ("/gammal/sida.htm", "gammal/sida.htm"),
        ("/gammal/index.html", "gammal/index.html"),
        ("/x.html/", "x.html"),
    ],
)
def test_an_old_html_file_is_answered_from_that_file(alias, path):
    assert aliases.output_path(alias) == path


@pytest.mark.parametrize(
    "alias, path",
    [
        ("/nyheter.html/2019/", "nyheter.html/2019/index.html"),
        ("/v1.0/", "v1.0/index.html"),
        ("/x.pdf", "x.pdf/index.html"),
    ],
)
def test_only_the_last_segment_decides_whether_an_address_is_a_file(alias, path):
    assert aliases.output_path(alias) == path


@pytest.mark.parametrize(
    "alias, public",
    [
        ("/gammal/", "gammal/"),
        ("/gammal", "gammal/"),
        ("/om-oss/gammal-sida", "om-oss/gammal-sida/"),
        ("/x.html", "x.html"),
        ("/gammal/index.html", "gammal/"),
        ("/index.html", ""),
        ("/sidindex.html", "sidindex.html"),  # only a whole last segment index.html goes
        ("/a/xindex.html", "a/xindex.html"),
    ],
)
def test_the_address_the_site_answers_has_no_index_html(alias, public):
    assert aliases.public_path(alias) == public


# --- which aliases a build makes ------------------------------------------------------------------


def test_every_alias_of_every_page_is_a_move_in_the_order_of_the_pages_and_their_aliases():
    a, b = page("a", "/gammal-a/", "/a.html"), page("b", "/gammal-b")
    moves = aliases.moves(site(a, page("c"), b))
    assert moves == [
        ("/gammal-a/", "gammal-a/index.html", a),
        ("/a.html", "a.html", a),
        ("/gammal-b", "gammal-b/index.html", b),
    ]
    assert [alias.line for alias, _, _ in moves] == [3, 4, 3]  # the alias as written, with its line


def test_a_page_with_no_or_empty_aliases_makes_no_move():
    empty = Page(key="e", lang="sv", kind="page", url="e/", title="e", template="page.html", meta={"aliases": None})
    assert aliases.moves(site(page("a"), empty)) == []


# --- one address, one meaning ---------------------------------------------------------------------


def test_aliases_of_addresses_nothing_else_has_are_no_error():
    assert check(page("ny", "/gammal/", "/gammal.html"), page("annan", "/annan-gammal/"), static=["logo.svg"]) == []


def test_an_alias_that_is_a_pages_address_names_both_files_at_the_alias_line():
    moved, kept = page("ny", "/a/", "/om-oss/", line=5), page("om-oss", source="content/about.sv.md")
    assert check(moved, kept) == [
        "content/ny.sv.md:6: the alias '/om-oss/' is the address of a page: content/about.sv.md (/om-oss/); "
        "remove the alias or move that page"
    ]


def test_an_alias_that_is_the_address_of_a_generated_page_names_that_page():
    news_list = page("nyheter", source=None)
    assert check(page("ny", "/nyheter"), news_list) == [
        "content/ny.sv.md:3: the alias '/nyheter' is the address of a page: the generated page /nyheter/ (/nyheter/); "
        "remove the alias or move that page"
    ]


def test_an_alias_that_is_the_address_of_a_page_that_is_a_file_names_it_as_written():
    not_found = page("404", url="404.html", source=None)
    assert check(page("ny", "/404.html")) == []
    assert check(page("ny", "/404.html"), not_found) == [
        "content/ny.sv.md:3: the alias '/404.html' is the address of a page: the generated page /404.html (/404.html); "
        "remove the alias or move that page"
    ]


def test_an_alias_of_the_start_page_address_is_refused():
    start = page("index", url="", source="content/index.sv.md")
    assert check(page("ny", "/index.html"), start) == [
        "content/ny.sv.md:3: the alias '/index.html' is the address of a page: content/index.sv.md (/); "
        "remove the alias or move that page"
    ]


def test_an_alias_that_is_a_static_files_address_names_that_file():
    assert check(page("ny", "/old.html"), static=["css/site.css", "old.html"]) == [
        "content/ny.sv.md:3: the alias '/old.html' is the address of a page: static/old.html (/old.html); "
        "remove the alias or move that page"
    ]


def test_an_alias_inside_a_pages_file_names_the_folder_it_needs():
    not_found = page("404", url="404.html", source=None)
    assert check(page("ny", "/404.html/gammal/", line=7), not_found) == [
        "content/ny.sv.md:7: the alias '/404.html/gammal/' needs a folder /404.html/ where the generated page "
        "/404.html is a file"
    ]


def test_an_alias_inside_a_static_file_names_the_first_folder_it_needs():
    assert check(page("ny", "/doc/x.pdf/a/b"), static=["doc/x.pdf", "doc/x.pdf/a"]) == [
        "content/ny.sv.md:3: the alias '/doc/x.pdf/a/b' needs a folder /doc/x.pdf/ where static/doc/x.pdf is a file"
    ]


def test_an_alias_inside_another_aliass_file_names_that_alias_in_either_order():
    first, second = page("a", "/gammal.html"), page("b", "/gammal.html/x/", line=8)
    expected = [
        "content/b.sv.md:8: the alias '/gammal.html/x/' needs a folder /gammal.html/ where the alias "
        "'/gammal.html' of content/a.sv.md is a file"
    ]
    assert check(first, second) == expected
    assert check(second, first) == expected


def test_an_alias_inside_an_alias_of_its_own_page_is_an_error_too():
    assert check(page("a", "/g.html/x/", "/g.html")) == [
        "content/a.sv.md:3: the alias '/g.html/x/' needs a folder /g.html/ where the alias '/g.html' of "
        "content/a.sv.md is a file"
    ]


def test_an_alias_whose_file_is_a_folder_a_page_or_static_file_needs_names_the_first_of_them():
    assert check(page("ny", "/doc.html"), static=["doc.html/a.pdf", "doc.html/b.pdf"]) == [
        "content/ny.sv.md:3: the alias '/doc.html' is answered from the file /doc.html, where static/doc.html/a.pdf "
        "needs a folder; remove the alias or move that file"
    ]
    assert check(page("ny", "/om.html"), page("om", url="om.html/")) == [
        "content/ny.sv.md:3: the alias '/om.html' is answered from the file /om.html, where content/om.sv.md "
        "needs a folder; remove the alias or move that file"
    ]


def test_an_alias_beside_a_pages_file_is_no_error():
    assert check(page("ny", "/404/"), page("404", url="404.html", source=None)) == []
    assert check(page("ny", "/doc/"), static=["doc/x.pdf"]) == []


def test_the_same_alias_on_two_pages_names_the_first_page_at_the_second_alias():
    first, second = page("a", "/gammal/"), page("b", "/x/", "/gammal", line=9)
    assert check(first, second, page("c", "/gammal/")) == [
        "content/b.sv.md:10: the alias '/gammal' is also an alias of content/a.sv.md; "
        "an old address can lead to one page only",
        "content/c.sv.md:3: the alias '/gammal/' is also an alias of content/a.sv.md; "
        "an old address can lead to one page only",
    ]


def test_one_page_may_list_one_old_address_twice():
    assert check(page("a", "/gammal/", "/gammal", "gammal")) == []


def test_two_aliases_of_a_pages_address_are_each_reported_as_the_pages():
    moved, other = page("ny", "/om-oss/"), page("annan", "/om-oss/")
    assert check(moved, page("om-oss"), other) == [
        "content/ny.sv.md:3: the alias '/om-oss/' is the address of a page: content/om-oss.sv.md (/om-oss/); "
        "remove the alias or move that page",
        "content/annan.sv.md:3: the alias '/om-oss/' is the address of a page: content/om-oss.sv.md (/om-oss/); "
        "remove the alias or move that page",
    ]


def test_an_alias_without_a_line_is_reported_without_one():
    moved = page("ny")
    moved.meta["aliases"] = ("/om-oss/",)
    assert check(moved, page("om-oss")) == [
        "content/ny.sv.md: the alias '/om-oss/' is the address of a page: content/om-oss.sv.md (/om-oss/); "
        "remove the alias or move that page"
    ]
