"""News lists: newest first, paginated accessibly, by year and by municipality, in both languages."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from browser import MOBILE, axe_violations, serve
from conftest import run_build
from htmlview import read
from newsitems import write_item, write_pair
from tinysite import add_municipality


class _Navs(HTMLParser):
    """Each <nav>'s aria-label and the links inside it (href, text, attributes)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.navs, self._nav, self._a = [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "nav":
            self._nav = (a.get("aria-label"), [])
            self.navs.append(self._nav)
        elif tag == "a" and self._nav:
            self._a = [a, ""]

    def handle_data(self, data):
        if self._a:
            self._a[1] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._a and self._nav:
            self._nav[1].append((self._a[0], self._a[1].strip()))
            self._a = None
        elif tag == "nav":
            self._nav = None


def navs(path) -> dict:
    parser = _Navs()
    parser.feed(path.read_text(encoding="utf-8"))
    return {label: links for label, links in parser.navs}


@pytest.fixture
def many(tiny):
    """The tiny site with Boxholm as a third municipality and 5 more items (2024-2026), 2 per page."""
    add_municipality(tiny, "boxholm", "Boxholms kommun", "Boxholm Municipality", "Boxholm")
    site_yaml = tiny / "data/site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace("page_size: 10", "page_size: 2"))
    for stem, date, where in [
        ("2024-03-01-a", "2024-03-01", ("boxholm",)),
        ("2025-05-01-b", "2025-05-01", ("mjolby",)),
        ("2025-06-01-c", "2025-06-01", ("odeshog", "boxholm")),
        ("2026-01-10-d", "2026-01-10", ("mjolby",)),
        ("2026-02-01-e", "2026-02-01", ("odeshog",)),
    ]:
        write_pair(tiny, stem, date, municipalities=where)
    result = run_build(tiny)
    assert result.returncode == 0, result.stderr
    return tiny / "_site"


def titles(page) -> list:
    return [text for level, text in page.headings if level == 2 and re.match(r"(Nyhet|News|Enheten|The unit)", text)]


def test_news_list_is_newest_first_and_paginated(many):
    pages = [read(many / p) for p in ["nyheter/index.html", "nyheter/sida/2/index.html", "nyheter/sida/3/index.html"]]
    assert [titles(p) for p in pages] == [
        ["Nyhet 2026-02-01-e", "Nyhet 2026-01-10-d"],
        ["Nyhet 2025-06-01-c", "Nyhet 2025-05-01-b"],
        ["Nyhet 2024-03-01-a", "Enheten växer"],
    ]
    assert not (many / "nyheter/sida/4").exists() and not (many / "nyheter/sida/1").exists()
    assert pages[1].title.startswith("Nyheter – sida 2 av 3")


def test_pagination_is_a_labelled_nav_with_the_current_page_marked(many):
    for path, label, current in [
        ("nyheter/sida/2/index.html", "Sidor i nyhetslistan", "2"),
        ("en/news/index.html", "News list pages", "1"),
    ]:
        links = navs(many / path)[label]
        marked = [text for attrs, text in links if attrs.get("aria-current") == "page"]
        assert marked == [current]
        numbers = [(text, attrs["href"]) for attrs, text in links if text.isdigit()]
        prefix = "/nyheter/" if path.startswith("nyheter") else "/en/news/"
        word = "sida" if prefix == "/nyheter/" else "page"
        assert numbers == [("1", prefix), ("2", f"{prefix}{word}/2/"), ("3", f"{prefix}{word}/3/")]
    middle = navs(many / "nyheter/sida/2/index.html")["Sidor i nyhetslistan"]
    assert ("/nyheter/", "Föregående sida") in [(a["href"], t) for a, t in middle]
    assert ("/nyheter/sida/3/", "Nästa sida") in [(a["href"], t) for a, t in middle]
    first = [t for a, t in navs(many / "nyheter/index.html")["Sidor i nyhetslistan"]]
    assert "Föregående sida" not in first and "Nästa sida" in first


def test_a_long_list_shows_the_first_the_last_and_the_nearby_pages(tiny):
    site_yaml = tiny / "data/site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace("page_size: 10", "page_size: 1"))
    for n in range(1, 12):
        write_pair(tiny, f"2025-01-{n:02d}-n", f"2025-01-{n:02d}")
    assert run_build(tiny).returncode == 0
    shown = [t for a, t in navs(tiny / "_site/nyheter/sida/6/index.html")["Sidor i nyhetslistan"]]
    assert shown == ["Föregående sida", "1", "4", "5", "6", "7", "8", "12", "Nästa sida"]
    html = (tiny / "_site/nyheter/sida/6/index.html").read_text(encoding="utf-8")
    assert html.count('<li class="gap" aria-hidden="true">…</li>') == 2  # the gaps show, but are not read out
    shown = [t for a, t in navs(tiny / "_site/en/news/page/2/index.html")["News list pages"]]
    assert shown == ["Previous page", "1", "2", "3", "4", "12", "Next page"]


def test_one_page_of_news_has_no_pagination(tiny):
    assert run_build(tiny).returncode == 0
    assert "Sidor i nyhetslistan" not in navs(tiny / "_site/nyheter/index.html")


def test_archive_by_year(many):
    archive = read(many / "nyheter/arkiv/index.html")
    assert [archive.link_to(y).href for y in ["2026", "2025", "2024", "2020"]] == [
        "/nyheter/arkiv/2026/",
        "/nyheter/arkiv/2025/",
        "/nyheter/arkiv/2024/",
        "/nyheter/arkiv/2020/",
    ]
    year = read(many / "en/news/archive/2025/index.html")
    assert year.headings[0] == (1, "News from 2025")
    assert titles(year) == ["News 2025-06-01-c", "News 2025-05-01-b"]


def test_list_per_municipality(many):
    odeshog = read(many / "nyheter/kommun/odeshog/index.html")
    assert odeshog.headings[0] == (1, "Nyheter om Ödeshög")
    assert titles(odeshog) == ["Nyhet 2026-02-01-e", "Nyhet 2025-06-01-c"]
    # A municipality's list is paginated like the main list (2 a page here).
    second = read(many / "nyheter/kommun/odeshog/sida/2/index.html")
    assert second.headings[0] == (1, "Nyheter om Ödeshög – sida 2 av 2")
    assert titles(second) == ["Enheten växer"]
    assert [t for a, t in navs(many / "nyheter/kommun/odeshog/index.html")["Sidor i nyhetslistan"]] == [
        "1",
        "2",
        "Nästa sida",
    ]
    assert second.link_to("English").href == "/en/news/municipality/odeshog/page/2/"
    boxholm = read(many / "en/news/municipality/boxholm/index.html")
    assert boxholm.headings[0] == (1, "News about Boxholm")
    assert titles(boxholm) == ["News 2025-06-01-c", "News 2024-03-01-a"]
    # The item page links the lists of the municipalities it concerns.
    item = read(many / "nyheter/2025-06-01-c/index.html")
    assert item.link_to("Boxholms kommun").href == "/nyheter/kommun/boxholm/"
    assert read(many / "nyheter/arkiv/index.html").link_to("Nyheter om Mjölby").href == "/nyheter/kommun/mjolby/"


LIST_PAIRS = [
    ("nyheter/index.html", "en/news/index.html"),
    ("nyheter/sida/3/index.html", "en/news/page/3/index.html"),
    ("nyheter/arkiv/index.html", "en/news/archive/index.html"),
    ("nyheter/arkiv/2024/index.html", "en/news/archive/2024/index.html"),
    ("nyheter/kommun/boxholm/index.html", "en/news/municipality/boxholm/index.html"),
]


@pytest.mark.parametrize("sv, en", LIST_PAIRS)
def test_every_list_page_links_its_counterpart(many, sv, en):
    assert read(many / sv).link_to("English").href == "/" + en.removesuffix("index.html")
    assert read(many / en).link_to("Svenska").href == "/" + sv.removesuffix("index.html")


def test_a_language_with_fewer_items_still_has_every_list_page(tiny):
    site_yaml = tiny / "data/site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace("page_size: 10", "page_size: 1"))
    write_item(tiny, "2024-01-01-bara-svenska", "sv", "Bara på svenska", "2024-01-01")
    assert run_build(tiny).returncode == 0
    site = tiny / "_site"
    english_page_2 = read(site / "en/news/page/2/index.html")
    assert english_page_2.link_to("Svenska").href == "/nyheter/sida/2/"
    assert "This page has no news in English." in english_page_2.text
    english_2024 = read(site / "en/news/archive/2024/index.html")
    assert "There is no news from 2024 in English." in english_2024.text


@pytest.mark.browser
def test_a_long_lists_page_numbers_pass_axe_and_fit_a_phone(tiny, chromium):
    site_yaml = tiny / "data/site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace("page_size: 10", "page_size: 1"))
    for n in range(1, 15):
        write_pair(tiny, f"2025-01-{n:02d}-n", "2025-01-01", municipalities=("mjolby",))
    assert run_build(tiny).returncode == 0
    with serve(tiny / "_site") as origin:
        for path in ("nyheter/sida/7/", "en/news/municipality/mjolby/page/7/"):
            context = chromium.new_context(viewport=MOBILE, bypass_csp=True)  # to inject axe
            page = context.new_page()
            page.goto(f"{origin}/{path}")
            assert page.locator(".pagination .gap").count() == 2
            assert axe_violations(page) == []
            assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"]
            context.close()
