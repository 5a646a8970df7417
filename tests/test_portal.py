"""The real portal, built end to end: what a citizen reads in Swedish and English."""

from __future__ import annotations

import re

import pytest

from conftest import run_build
from htmlview import read

SV_PAGES = [
    "index.html",
    "om-samverkan/index.html",
    "enheten/index.html",
    "nyheter/index.html",
    "nyheter/odeshog-ansluter/index.html",
    "kontakt/index.html",
    "tillganglighet/index.html",
    "om-webbplatsen/index.html",
    "lattlast/index.html",
    "personuppgifter/index.html",
]
EN_PAGES = [
    "en/index.html",
    "en/about-the-collaboration/index.html",
    "en/the-unit-and-its-staffing/index.html",
    "en/news/index.html",
    "en/news/odeshog-joins-the-collaboration/index.html",
    "en/contact/index.html",
    "en/accessibility/index.html",
    "en/about-this-website/index.html",
    "en/processing-of-personal-data/index.html",
]


@pytest.mark.parametrize("path", SV_PAGES)
def test_swedish_pages_exist_and_say_they_are_swedish(built, path):
    page = read(built / path)
    assert page.lang == "sv"
    assert page.headings and page.headings[0][0] == 1


@pytest.mark.parametrize("path", EN_PAGES)
def test_english_pages_exist_and_say_they_are_english(built, path):
    page = read(built / path)
    assert page.lang == "en"
    assert page.headings and page.headings[0][0] == 1


@pytest.mark.parametrize("sv, en", list(zip(SV_PAGES[:8], EN_PAGES)))
def test_each_page_links_to_its_translation_and_back(built, sv, en):
    sv_page, en_page = read(built / sv), read(built / en)
    to_en = sv_page.link_to("English")
    assert to_en.attrs.get("lang") == "en" and to_en.attrs.get("hreflang") == "en"
    assert to_en.href == "/" + en.removesuffix("index.html")
    assert en_page.link_to("Svenska").href == "/" + sv.removesuffix("index.html")
    alternates = {
        link["hreflang"]: link["href"]
        for link in sv_page.head_links
        if link.get("rel") == "alternate" and "hreflang" in link
    }
    assert alternates["en"].endswith("/" + en.removesuffix("index.html"))


def test_a_page_without_translation_says_so(built):
    page = read(built / "lattlast/index.html")
    assert "finns inte på engelska" in page.text
    assert page.link_to("English").href == "/en/"


def test_staffing_figures_are_localized_and_sourced(built):
    sv = read(built / "enheten/index.html")
    en = read(built / "en/the-unit-and-its-staffing/index.html")
    assert "4,7 heltidstjänster" in sv.text and "1,135 heltidstjänster" in sv.text
    assert "4.7 full-time posts" in en.text and "1.135 full-time posts" in en.text
    assert "26 september 2019" in sv.text and "26 September 2019" in en.text
    # Mjölby's and Boxholm's shares are not in the source: shown as such, never invented.
    assert sv.text.lower().count("inte publicerat") >= 2 and en.text.lower().count("not published") >= 2
    # The share not paid by Ödeshög is computed by the build and marked as derived.
    assert "3,565 heltidstjänster" in sv.text and "beräknat" in sv.text
    assert "3.565 full-time posts" in en.text and "derived" in en.text
    assert "Nytt samarbete ska göra kommunerna tryggare" in sv.text
    # The total comes from Corren's article, the 1.135 posts from Mjölby's announcement.
    assert "Östgöta Correspondenten (Corren), newspaper article" in en.text
    assert "Mjölby Municipality , announcement by the municipality" in en.text  # the name is its own element


def test_undated_agreement_is_shown_as_undated(built):
    sv = read(built / "om-samverkan/index.html")
    en = read(built / "en/about-the-collaboration/index.html")
    assert "Odaterat" in sv.text and "Undated" in en.text
    assert "23 september 2019" in sv.text


@pytest.mark.parametrize("path", SV_PAGES + EN_PAGES + ["404.html"])
def test_every_page_has_the_footer_routes(built, path):
    page = read(built / path)
    texts = {link.text for link in page.links}
    if page.lang == "sv":
        assert {"Kontakta oss", "Tyck till", "Tillgänglighetsredogörelse", "Om webbplatsen"} <= texts
        assert "Ansvarig för innehållet: Mjölby kommun" in page.text
    else:
        assert {"Contact us", "Give feedback", "Accessibility statement", "About this website"} <= texts
        assert "Responsible for the content: Mjölby Municipality" in page.text


@pytest.mark.parametrize("path", [p for p in SV_PAGES if p != "lattlast/index.html"])
def test_every_swedish_page_links_to_easy_to_read(built, path):
    assert read(built / path).link_to("Lättläst").href == "/lattlast/"


@pytest.mark.parametrize("path", SV_PAGES + EN_PAGES)
def test_no_resource_comes_from_another_host(built, path):
    page = read(built / path)
    for link in page.head_links:
        if link.get("rel") in ("stylesheet", "icon"):
            assert link["href"].startswith("/"), link
    for img in page.images:
        assert img["src"].startswith("/")
    # One script, from the site itself: it marks searched words when a search result opened the page.
    # (The start and contact pages also carry schema.org JSON-LD, which is data and never runs.)
    scripts = [s for s in page.scripts if s.get("type") != "application/ld+json"]
    assert [re.sub(r"\.[0-9a-f]{8}\.js$", ".js", s.get("src", "")) for s in scripts] == ["/assets/highlight.js"]
    csp = page.meta("http-equiv", "Content-Security-Policy")
    assert csp and "default-src 'self'" in csp["content"]


def test_no_swedish_left_in_the_english_interface(built):
    swedish_words = re.compile(
        r"\b(och|Nyheter|Startsida|Senast uppdaterad|Kontakta|Tyck till|Källa|inte publicerat)\b"
    )
    for path in EN_PAGES:
        page = read(built / path)
        # A source's own title is Swedish, and marked so (lang="sv"): not interface text.
        interface = " ".join(link.text for link in page.links if link.attrs.get("lang") != "sv") + " " + page.title
        assert not swedish_words.search(interface), (path, swedish_words.search(interface))


def test_content_pages_show_last_updated(built):
    assert "Senast uppdaterad: 30 november 2026" in read(built / "om-samverkan/index.html").text
    assert "Last updated: 30 November 2026" in read(built / "en/about-the-collaboration/index.html").text


def test_accessibility_statement_has_the_items_digg_requires(built):
    page = read(built / "tillganglighet/index.html")
    for words in [
        "Mjölby kommun står bakom",
        "lagen om tillgänglighet till digital offentlig service",
        "helt förenlig",
        "Innehåll som inte är tillgängligt",
        "Hur vi testat",
        "självskattning",
        "Senaste bedömningen gjordes",
        "uppdaterades senast",
        "Tillsyn",
    ]:
        assert words in page.text, words
    assert any(link.href == "https://www.digg.se/tdosanmalan" for link in page.links)
    assert page.link_to("tyck till och meddela oss").href == "/kontakt/#feedback"


def test_accessibility_statement_says_what_was_tested_and_against_which_version(built):
    import json
    import re

    from conftest import REPO

    axe = json.loads((REPO / "package.json").read_text())["devDependencies"]["axe-core"]
    tested = (REPO / "tests/browser.py").read_text()
    assert '"wcag22aa"' in tested  # what the statement claims is what the browser tests run
    for path, words in (
        ("tillganglighet/index.html", ["WCAG 2.2 nivå A och AA", "320 pixlar", "1280 pixlar", "24 × 24"]),
        ("en/accessibility/index.html", ["WCAG 2.2 levels A and AA", "320 pixels", "1280 pixels", "24 × 24"]),
    ):
        text = read(built / path).text
        for word in words + ["axe-core (version " + ".".join(axe.split(".")[:2]) + ")"]:
            assert word in text, (path, word)
        assert not re.search(
            r"WCAG 2\.1 (nivå|level)",
            text.replace("WCAG 2.1 på nivå AA (genom", "").replace("WCAG 2.1 level AA (through", ""),
        ), (path, "still claims to test against WCAG 2.1 only")


def test_404_speaks_both_languages_and_links_home(built):
    page = read(built / "404.html")
    assert "Sidan finns inte" in page.text and "Page not found" in page.text
    hrefs = {link.href for link in page.links}
    assert {"/", "/en/"} <= hrefs


def test_links_between_content_files_become_urls(built):
    page = read(built / "om-samverkan/index.html")
    assert page.link_to("Enheten och bemanningen").href == "/enheten/"


def test_news_link_marks_the_news_section_as_current(built):
    item = read(built / "nyheter/odeshog-ansluter/index.html")
    assert item.link_to("Nyheter").attrs.get("aria-current") == "true"
    news = read(built / "nyheter/index.html")
    assert news.link_to("Nyheter").attrs.get("aria-current") == "page"
    about = read(built / "om-samverkan/index.html")
    assert "aria-current" not in about.link_to("Nyheter").attrs


def test_footer_heading_is_not_also_a_link_text(built):
    page = read(built / "index.html")
    assert (2, "Kontakt och information") in page.headings


def test_one_mistake_in_a_page_gives_one_message(tiny):
    path = tiny / "content/pages/om.sv.md"
    path.write_text(path.read_text().replace("updated: 2020-02-01", "updated: 2026-11-31"))
    result = run_build(tiny)
    assert result.returncode == 1
    assert "content/pages/om.sv.md:4: 'updated' is '2026-11-31', which is not a real date" in result.stderr
    assert "data/site.yaml" not in result.stderr
