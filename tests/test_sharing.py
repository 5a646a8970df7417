"""Sharing and search engines: every page carries Open Graph and X card tags, with a
share picture the build draws from the site's own font and colours, served from the
site; language alternates name a default (x-default) for readers of other languages."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from PIL import Image

from conftest import run_build, site_pages
from htmlview import read
from portal import formatting
from portal.render import shareimages

BASE = "http://127.0.0.1:8000/"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}


def og(page) -> dict:
    """property/name -> content (lists for og:locale:alternate)."""
    out = {}
    for m in page.metas:
        key = m.get("property") or m.get("name")
        if key and (key.startswith(("og:", "twitter:", "article:"))):
            if key == "og:locale:alternate":
                out.setdefault(key, []).append(m["content"])
            else:
                out[key] = m["content"]
    return out


def html_pages(site):
    return site_pages(site)


def canonical(page):
    return next((link["href"] for link in page.head_links if link.get("rel") == "canonical"), None)


def test_every_page_has_open_graph_and_card_tags(tiny_built):
    pages = html_pages(tiny_built)
    assert len(pages) >= 30  # the tiny site: every kind of page, a few of each
    for file in pages:
        page = read(file)
        tags = og(page)
        where = file.relative_to(tiny_built).as_posix()
        for key in (
            "og:type",
            "og:site_name",
            "og:title",
            "og:description",
            "og:locale",
            "og:image",
            "og:image:alt",
            "og:image:width",
            "og:image:height",
            "twitter:card",
        ):
            assert tags.get(key, "").strip(), (where, key)
        assert tags["twitter:card"] == "summary_large_image"
        if where != "404.html":
            assert tags["og:url"] == canonical(page), where


def test_og_locale_comes_from_each_languages_configured_locale(tiny_built):
    home_sv, home_en = og(read(tiny_built / "index.html")), og(read(tiny_built / "en/index.html"))
    assert home_sv["og:locale"] == "sv_SE" and home_sv["og:locale:alternate"] == ["en_GB"]
    assert home_en["og:locale"] == "en_GB" and home_en["og:locale:alternate"] == ["sv_SE"]
    # Swedish only: no alternate locale
    assert "og:locale:alternate" not in og(read(tiny_built / "lattlast/index.html"))


def test_og_locale_form():
    assert formatting.og_locale("sv") == "sv_SE"
    assert formatting.og_locale("en_GB") == "en_GB"
    assert formatting.og_locale("fi") == "fi_FI"


def test_the_titles_and_descriptions_are_the_pages_own(tiny_built):
    news = og(read(tiny_built / "nyheter/enheten-vaxer/index.html"))
    assert news["og:type"] == "article" and news["article:published_time"] == "2020-01-10"
    assert news["og:title"] == read(tiny_built / "nyheter/enheten-vaxer/index.html").headings[0][1]
    home = og(read(tiny_built / "en/index.html"))
    assert home["og:type"] == "website"
    assert home["og:title"] == "The test site"
    # A page without a description of its own gets the site's, in its language.
    assert "Mjölby Municipality" in og(read(tiny_built / "en/news/index.html"))["og:description"]


def test_share_picture_is_self_hosted_png_with_text_alternative(tiny_built):
    seen = {}
    pages = html_pages(tiny_built)
    for file in pages:
        tags = og(read(file))
        url = tags["og:image"]
        assert url.startswith(BASE), url  # absolute, on this site: nothing from other hosts
        target = tiny_built / url[len(BASE) :]
        assert target.is_file(), url
        seen.setdefault(url, set()).add(tags["og:image:alt"])
    # One picture per language and section, shared by the section's pages; every page that
    # shows a picture describes it in the same words.
    assert 10 <= len(seen) < len(pages)
    assert all(len(alts) == 1 for alts in seen.values()), seen
    for url in seen:
        with Image.open(tiny_built / url[len(BASE) :]) as image:
            assert image.format == "PNG" and image.size == shareimages.SIZE
    staffing = og(read(tiny_built / "en/staffing/index.html"))
    assert staffing["og:image:alt"] == "Staffing – The test site"
    item = og(read(tiny_built / "en/news/the-unit-grows/index.html"))
    assert item["og:image"] == og(read(tiny_built / "en/news/index.html"))["og:image"]  # the section's picture
    assert item["og:image:alt"].startswith("News – ")
    # A section without a page at its root: each page its own picture, with its own title.
    odeshog, mjolby = (
        og(read(tiny_built / "kommuner/odeshog/index.html")),
        og(read(tiny_built / "kommuner/mjolby/index.html")),
    )
    assert odeshog["og:image"] != mjolby["og:image"]
    assert odeshog["og:image:alt"].startswith("Ödeshögs kommun – ")


def test_share_picture_uses_the_stylesheets_colours_and_is_reproducible(tiny):
    css = tiny / "static/assets/site.css"
    css.write_text(css.read_text().replace("--brand: #0b4a6f;", "--brand: #8a1538;", 1))
    site = tiny / "_site"
    assert run_build(tiny).returncode == 0
    picture = og(read(site / "en/index.html"))["og:image"][len(BASE) :]
    data = (site / picture).read_bytes()
    with Image.open(io.BytesIO(data)) as image:
        assert image.convert("RGB").getpixel((5, 5)) == (0x8A, 0x15, 0x38)
        assert not {"tIME", "date:create", "Software"} & set(image.info)
    assert b"tIME" not in data and b"tEXt" not in data  # no time or software name in the file
    # Drawn again (a fresh process), the same bytes.
    assert run_build(tiny).returncode == 0
    assert (site / picture).read_bytes() == data


def test_share_picture_under_a_sub_path(tiny):
    base = "https://example.org/some/prefix/"
    assert run_build(tiny, "--base-url", base).returncode == 0
    tags = og(read(tiny / "_site/en/news/index.html"))
    assert tags["og:image"].startswith(base + "share/en/news.")
    assert (tiny / "_site" / tags["og:image"][len(base) :]).is_file()
    assert tags["og:url"] == base + "en/news/"


def test_a_build_without_a_font_says_which_to_install(tiny, monkeypatch):
    from portal.problems import Problems

    monkeypatch.setattr(shareimages, "FONTS", (("Nofont Sans", "/nonexistent/b.ttf", "/nonexistent/r.ttf"),))
    problems = Problems()

    class Site:  # outputs() asks nothing of the site before it looks for a font
        pass

    assert shareimages.outputs(Site(), problems) == []
    message = str(problems.errors[0])
    assert "Nofont Sans" in message and "fonts-liberation" in message


def test_x_default_points_to_the_default_languages_page(tiny_built):
    for file, expected in (
        ("en/news/index.html", BASE + "nyheter/"),
        ("nyheter/index.html", BASE + "nyheter/"),
        ("en/about/index.html", BASE + "om/"),
    ):
        page = read(tiny_built / file)
        alternates = {
            link["hreflang"]: link["href"]
            for link in page.head_links
            if link.get("rel") == "alternate" and "hreflang" in link
        }
        assert alternates["x-default"] == expected, file
    # A page in one language only has no alternates at all.
    lattlast = read(tiny_built / "lattlast/index.html")
    assert not [link for link in lattlast.head_links if link.get("hreflang")]


def test_sitemap_names_x_default_too(tiny_built):
    root = ET.fromstring((tiny_built / "sitemap.xml").read_bytes())
    for url in root.findall("s:url", NS):
        alternates = {link.get("hreflang"): link.get("href") for link in url.findall("xhtml:link", NS)}
        if alternates:
            assert urlsplit(alternates["x-default"]).path == urlsplit(alternates["sv"]).path


@pytest.mark.parametrize(
    "url, section", [("", ""), ("nyheter/x/", "nyheter"), ("en/", ""), ("en/news/page/2/", "news"), ("404.html", "")]
)
def test_section_of_a_page(url, section):
    from portal.model.site import Language, Page

    lang = (
        Language("en", "English", "en_GB", "T", "en/")
        if url.startswith("en/")
        else Language("sv", "Svenska", "sv", "T", "")
    )
    page = Page(key="k", lang=lang.code, kind="page", url=url, title="t", template="page.html")
    assert shareimages.section(page, lang) == section
