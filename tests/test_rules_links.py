"""Every rule of the link checker (portal/links.py), one small test each, on two or three pages in memory."""

from __future__ import annotations

import pytest

from portal.output import Output
from portal.review import links

BASE = "https://example.org/"


@pytest.fixture(autouse=True)
def fresh_caches():
    """links.py remembers parsed pages (for `serve`); each test checks the code, not a memory of it."""
    links._parse.cache_clear()
    links._resolve_anywhere.cache_clear()


def page(path, body):
    return Output(path, f"<!DOCTYPE html><html><body>{body}</body></html>".encode())


SITE = [
    page("index.html", ""),
    page("kontakt/index.html", '<h2 id="x">X</h2><a name="old">old anchor</a><a name="">empty</a><p id="">empty</p>'),
    page("en/about/index.html", '<h2 id="å">Å</h2>'),
    Output("logo.svg", b"<svg/>"),
    Output("doc.pdf", b"%PDF"),
    Output("no-data.html"),
]


def broken(body, base=BASE, path="index.html"):
    outputs = [o for o in SITE if o.path != path] + [page(path, body)]
    return [(t, r) for _, t, r in links.check(outputs, base).broken]


@pytest.mark.parametrize(
    "tag",
    [
        '<a href="/nope/">',
        '<link href="/nope/">',
        '<img src="/nope/">',
        '<script src="/nope/">',
        '<source src="/nope/">',
        '<area href="/nope/">',
    ],
)
def test_every_kind_of_link_is_checked(tag):
    assert broken(tag) == [("/nope/", "no such page or file")]


@pytest.mark.parametrize("tag", ['<img src="/logo.svg">', '<a href="/doc.pdf">', '<link href="logo.svg">'])
def test_links_to_files_resolve(tag):
    assert broken(tag) == []


@pytest.mark.parametrize("tag", ['<img href="/nope/">', '<a src="/nope/">', '<div href="/nope/">', "<a href>"])
def test_other_attributes_are_not_links(tag):
    assert broken(tag) == []


def test_a_name_anchor_is_a_target():
    assert broken('<a href="/kontakt/#old">') == []


def test_an_empty_id_or_name_is_not_a_target():
    assert broken('<a href="/kontakt/#">') == []
    assert broken('<a href="/kontakt/#%20">') == [("/kontakt/#%20", "no element with id ' ' on that page")]


def test_an_anchor_on_this_page():
    assert broken('<h2 id="top">T</h2><a href="#top">') == []
    assert broken('<a href="#top">') == [("#top", "no element with id 'top' on that page")]


def test_an_anchor_on_another_page():
    assert broken('<a href="/kontakt/#x">') == []
    assert broken('<a href="/kontakt/#y">') == [("/kontakt/#y", "no element with id 'y' on that page")]


def test_anchors_are_decoded():
    assert broken('<a href="/en/about/#%C3%A5">') == []


def test_anchors_into_files_other_than_pages_are_not_checked():
    assert broken('<a href="/doc.pdf#page=2">') == []


@pytest.mark.parametrize(
    "href", ["/kontakt", "/kontakt/", "kontakt", "./kontakt/", "/kontakt/index.html", "/en/about/../../kontakt/", "/"]
)
def test_a_folder_link_resolves_with_or_without_its_slash(href):
    assert broken(f'<a href="{href}">') == []


def test_a_page_link_is_relative_to_the_page():
    assert broken('<a href="../../kontakt/#x">', path="en/about/index.html") == []
    assert broken('<a href="kontakt/">', path="en/about/index.html") == [("kontakt/", "no such page or file")]


def test_a_path_is_decoded():
    assert broken('<a href="/en/%61bout/">') == []


@pytest.mark.parametrize("href", ["mailto:x@example.org", "tel:+4612345", "MAILTO:x@example.org"])
def test_mail_and_phone_links_are_skipped(href):
    report = links.check([page("index.html", f'<a href="{href}">')], BASE)
    assert report.broken == [] and report.external == {}


@pytest.mark.parametrize(
    "href",
    [
        "https://other.org/x",
        "http://example.org/nope/",
        "//other.org/x",
        "https:",
        "javascript:alert(1)",
        "ftp://example.org/nope",
    ],
)
def test_other_hosts_and_schemes_are_listed_as_external(href):
    report = links.check([page("index.html", f'<a href="{href}">')], BASE)
    assert report.broken == [] and report.external == {href: {"index.html"}}


def test_external_links_name_every_page_that_has_them():
    outputs = [
        page("index.html", '<a href="https://other.org/">o</a>'),
        page("a/index.html", '<a href="https://other.org/">o</a>'),
    ]
    assert links.check(outputs, BASE).external == {"https://other.org/": {"index.html", "a/index.html"}}


def test_a_route_after_the_hash_is_not_an_anchor():
    assert broken('<a href="/kontakt/#/collections/news">') == []


def test_a_full_address_on_the_sites_own_host_is_checked():
    assert broken('<a href="https://example.org/kontakt/#x">') == []
    assert broken('<a href="https://example.org/nope/">') == [("https://example.org/nope/", "no such page or file")]


def test_a_broken_link_is_reported_on_every_page_it_is_on_whether_a_path_or_a_full_address():
    for href in ("/nope/", "https://example.org/nope/"):
        report = links.check(
            [page("index.html", f'<a href="{href}">'), page("b/index.html", f'<a href="{href}">')], BASE
        )
        assert report.broken == [
            ("b/index.html", href, "no such page or file"),
            ("index.html", href, "no such page or file"),
        ]


def test_a_relative_link_is_judged_on_each_page_it_is_on():
    outputs = [page("index.html", '<a href="kontakt/">'), page("en/other/index.html", '<a href="kontakt/">'), *SITE[1:]]
    assert links.check(outputs, BASE).broken == [("en/other/index.html", "kontakt/", "no such page or file")]


def test_a_full_address_with_no_path_is_the_page_it_is_on():
    href = '<a href="https://example.org#x">'
    outputs = [page("index.html", href + '<p id="x">'), page("b/index.html", href)]
    assert links.check(outputs, BASE).broken == [
        ("b/index.html", "https://example.org#x", "no element with id 'x' on that page")
    ]


def test_under_a_base_path_links_must_stay_inside_it():
    sub = "https://example.org/sub/"
    assert broken('<a href="/sub/kontakt/">', base=sub) == []
    assert broken('<a href="kontakt/">', base=sub) == []
    assert broken('<a href="../x/">', base=sub) == [("../x/", "leaves the site's base path /sub/")]


def test_a_relative_link_on_a_page_under_a_base_path():
    assert broken('<a href="../../kontakt/">', base="https://example.org/sub/", path="en/about/index.html") == []


def test_the_base_page_is_the_index():
    assert broken('<a href="/sub/">', base="https://example.org/sub/") == []


def test_each_broken_link_names_its_page():
    report = links.check([page("index.html", '<a href="/a/">'), page("b/index.html", '<a href="/c/">')], BASE)
    assert report.broken == [
        ("b/index.html", "/c/", "no such page or file"),
        ("index.html", "/a/", "no such page or file"),
    ]


def test_only_html_outputs_with_data_are_read():
    outputs = [Output("a.txt", b'<a href="/nope/">'), Output("b.html", None, copy_from="x"), page("index.html", "")]
    assert links.check(outputs, BASE).broken == []


def test_a_link_written_with_an_entity_is_decoded():
    assert broken('<a href="/kontakt/&#35;x">') == []


def test_other_attribute_values_are_not_anchors():
    outputs = [
        page("index.html", '<a href="/t/#y">1</a> <a href="/t/#zz">2</a> <a href="/t/#w">3</a>'),
        page("t/index.html", '<p class="y">y</p> <a href="zz">z</a> <a title="w">w</a>'),
        Output("t/zz", b"z"),
    ]
    assert [t for _, t, _ in links.check(outputs, BASE).broken] == ["/t/#y", "/t/#zz", "/t/#w"]


def test_every_link_after_a_skipped_external_or_broken_one_is_still_checked():
    body = (
        '<a href="mailto:x@example.org">m</a> <a href="/nope1/">1</a> <a href="https://other.org/">e</a> '
        '<a href="/nope2/">2</a> <a href="/x/">x</a> <a href="/sub/nope3/">3</a> <a href="/sub/t/#no">4</a> <a href="/sub/nope5/">5</a>'
    )
    outputs = [page("index.html", body), page("t/index.html", "")]
    assert [t for _, t, _ in links.check(outputs, "https://example.org/sub/").broken] == [
        "/nope1/",
        "/nope2/",
        "/x/",
        "/sub/nope3/",
        "/sub/t/#no",
        "/sub/nope5/",
    ]


def test_a_file_is_preferred_to_a_folder_of_the_same_name():
    outputs = [page("index.html", '<a href="/doc#y">d</a>'), Output("doc", b"data"), page("doc/index.html", "")]
    assert links.check(outputs, BASE).broken == []


def test_relative_links_from_a_folder_whose_name_ends_in_capitals():
    outputs = [page("boX/index.html", '<a href="sida/">s</a>'), page("boX/sida/index.html", "")]
    assert links.check(outputs, BASE).broken == []


# --- what a build keeps of each page, and how it reads it --------------------------------------


def test_found_and_record_give_a_pages_links_in_order_and_its_ids():
    data = b'<a href="/b/">b</a><a href="/a/" id="x">a</a><a name="old"></a><img src="/i.png">'
    assert links.found(data) == (["/b/", "/a/", "/i.png"], {"x", "old"})
    assert links.record(data) == (("/b/", "/a/", "/i.png"), frozenset({"x", "old"}))


def test_record_shares_each_text_with_the_other_pages_that_have_it():
    first, second = links.record(b'<a href="/kontakt/" id="top">'), links.record(b'<a href="/kontakt/" id="top">')
    assert first[0][0] is second[0][0] and next(iter(first[1])) is next(iter(second[1]))


def test_a_page_that_is_not_utf_8_is_still_read():
    data = b'<a href="/a/">\xff</a><p id="x\xfe">'
    assert links.found(data) == (["/a/"], {"x\ufffd"})
    assert links.record(data) == (("/a/",), frozenset({"x\ufffd"}))


def test_a_page_in_the_subset_is_read_in_one_pass_without_html_parser(monkeypatch):
    asked = []
    monkeypatch.setattr(links, "_Collector", lambda: asked.append(1) or pytest.fail("html.parser was asked"))
    assert links.record(b'<a href="/a/" id="x">') == (("/a/",), frozenset({"x"}))
    assert asked == []


def test_a_link_that_means_the_same_on_every_page_is_judged_once(monkeypatch):
    """A link that starts with / or a scheme has one verdict wherever it is (the menus put the
    same links on every page); a relative one, and one to an anchor of the page it is on, are
    judged on each page."""
    judged, resolved = [], []
    real, real_resolve = links._judge, links._resolve
    monkeypatch.setattr(links, "_judge", lambda path, where, *rest: judged.append(where) or real(path, where, *rest))
    monkeypatch.setattr(links, "_resolve", lambda url, raw, base: resolved.append(raw) or real_resolve(url, raw, base))
    body = '<a href="/kontakt/">k</a><a href="https://other.example/">o</a><a href="sida/">r</a><a href="#x">a</a>'
    outputs = [page("index.html", body), page("a/index.html", body), page("b/index.html", body), *SITE[1:]]
    links.check(outputs, BASE)
    assert judged.count(("internal", "kontakt/index.html", "")) == 1
    assert judged.count(("external", None, "")) == 1
    relative = [where[1] for where in judged if where[1] and where[1].endswith("sida/index.html")]
    assert sorted(relative) == ["a/sida/index.html", "b/sida/index.html", "sida/index.html"]
    assert judged.count(("internal", None, "x")) == 3
    # An anchor of the page it is on is the same address on every page: worked out once.
    assert resolved.count("#x") == 1 and resolved.count("sida/") == 3
