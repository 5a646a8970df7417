"""sitemap.xml lists every public page with its translations; robots.txt points to it."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from conftest import run_build
from newsitems import write_pair

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}
BASE = "http://127.0.0.1:8000/"


def entries(site) -> dict:
    root = ET.fromstring((site / "sitemap.xml").read_bytes())
    assert root.tag == "{" + NS["s"] + "}urlset"
    out = {}
    for url in root.findall("s:url", NS):
        lastmod = url.find("s:lastmod", NS)
        alternates = {link.get("hreflang"): link.get("href") for link in url.findall("xhtml:link", NS)}
        out[url.find("s:loc", NS).text] = (None if lastmod is None else lastmod.text, alternates)
    return out


def test_sitemap_lists_every_public_page_and_nothing_else(tiny_built):
    pages = {BASE + p.relative_to(tiny_built).as_posix().removesuffix("index.html") for p in tiny_built.rglob("*.html")}
    pages.discard(BASE + "404.html")
    pages.discard(BASE + "admin/")  # the web editor: noindex, not a page of the site
    assert set(entries(tiny_built)) == pages


def test_sitemap_gives_translations_and_lastmod(tiny_built):
    listed = entries(tiny_built)
    lastmod, alternates = listed[BASE + "nyheter/enheten-vaxer/"]
    assert lastmod == "2020-01-12"  # the tiny site's item: dated 2020-01-10, updated 2020-01-12
    assert alternates == {
        "sv": BASE + "nyheter/enheten-vaxer/",
        "en": BASE + "en/news/the-unit-grows/",
        "x-default": BASE + "nyheter/enheten-vaxer/",
    }
    lastmod, alternates = listed[BASE + "en/about/"]
    assert lastmod == "2020-02-01"
    assert alternates["sv"] == BASE + "om/"
    assert listed[BASE + "en/news/"][1] == {
        "sv": BASE + "nyheter/",
        "en": BASE + "en/news/",
        "x-default": BASE + "nyheter/",
    }
    assert listed[BASE + "lattlast/"][1] == {}  # Swedish only: no alternates


def test_robots_points_to_the_sitemap_under_the_base_url(tiny):
    assert run_build(tiny, "--base-url", "https://example.org/trygghet/").returncode == 0
    robots = (tiny / "_site/robots.txt").read_text()
    assert "User-agent: *" in robots
    assert "Sitemap: https://example.org/trygghet/sitemap.xml" in robots.splitlines()
    assert "https://example.org/trygghet/en/" in entries(tiny / "_site")


def test_drafts_and_scheduled_items_are_never_listed(tiny):
    write_pair(tiny, "2026-11-01-utkast", "2026-11-01", draft=True)
    write_pair(tiny, "2027-01-01-senare", "2027-01-01")
    for args in ([], ["--drafts"]):
        assert run_build(tiny, *args).returncode == 0
        text = (tiny / "_site/sitemap.xml").read_text()
        assert "utkast" not in text and "senare" not in text and "arkiv/2027" not in text
