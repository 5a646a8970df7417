"""`expires:` in front matter: after that day an item leaves the lists, feeds, sitemap and
search, and its page stays, saying in its language that it is no longer current, noindex."""

from __future__ import annotations

import json

from conftest import run_build, site_pages
from htmlview import read
from newsitems import write_pair
from tinysite import add_municipality

# conftest's SOURCE_DATE_EPOCH (1795000000) is 2026-11-18 UTC: the tests' "today".


def write_page(root, stem: str, lang: str, title: str, extra: str = "") -> None:
    (root / "content/pages" / f"{stem}.{lang}.md").write_text(
        f"---\ntitle: {title}\nupdated: 2026-11-01\n{extra}---\nText of {title}.\n", encoding="utf-8"
    )


def test_an_expired_news_item_leaves_every_list_and_feed_but_its_page_stays_marked(tiny):
    add_municipality(tiny, "boxholm", "Boxholms kommun", "Boxholm Municipality", "Boxholm")
    write_pair(tiny, "2026-11-10-gammal", "2026-11-10", extra="expires: 2026-11-17", municipalities=("boxholm",))
    result = run_build(tiny)
    assert result.returncode == 0, result.stderr
    site = tiny / "_site"
    for listing in (
        "index.html",
        "nyheter/index.html",
        "nyheter/arkiv/index.html",
        "nyheter/kommun/boxholm/index.html",
        "nyheter/atom.xml",
        "en/news/atom.xml",
        "sitemap.xml",
        "en/index.html",
        "en/news/index.html",
    ):
        assert "2026-11-10-gammal" not in (site / listing).read_text(encoding="utf-8"), listing
    assert not (site / "nyheter/arkiv/2026").exists()  # its year had no other item

    page = read(site / "nyheter/2026-11-10-gammal/index.html")
    assert "Den här informationen gäller inte längre. Den gällde till och med 17 november 2026." in page.text
    assert page.meta("name", "robots")["content"] == "noindex"
    html = (site / "nyheter/2026-11-10-gammal/index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" not in html  # not in search
    assert html.index("expired-note") < html.index("<h1")
    assert "Publicerad" in page.text  # it was published; it is not a draft
    english = read(site / "en/news/2026-11-10-gammal/index.html")
    assert "This information is no longer current. It was current until 17 November 2026." in english.text


def test_an_item_is_current_through_its_expires_day(tiny):
    write_pair(tiny, "2026-11-10-aktuell", "2026-11-10", extra="expires: 2026-11-18")
    assert run_build(tiny).returncode == 0
    site = tiny / "_site"
    assert "2026-11-10-aktuell" in (site / "nyheter/index.html").read_text(encoding="utf-8")
    html = (site / "nyheter/2026-11-10-aktuell/index.html").read_text(encoding="utf-8")
    assert "expired-note" not in html and "noindex" not in html and "data-pagefind-body" in html


def test_an_expired_page_stays_marked_and_leaves_the_sitemap_and_search(tiny):
    write_page(tiny, "vintervag", "sv", "Vinterväghållning", "expires: 2026-03-31\n")
    write_page(tiny, "vintervag", "en", "Winter roads", "expires: 2026-03-31\n")
    assert run_build(tiny).returncode == 0
    site = tiny / "_site"
    assert "vintervag" not in (site / "sitemap.xml").read_text(encoding="utf-8")
    # Nor in the site map of the search pages (the way to every page without search).
    assert "vintervag" not in (site / "sok/index.html").read_text(encoding="utf-8")
    assert "vintervag" not in (site / "en/search/index.html").read_text(encoding="utf-8")
    for path, notice in (
        ("vintervag/index.html", "Den här informationen gäller inte längre."),
        ("en/vintervag/index.html", "This information is no longer current."),
    ):
        page = read(site / path)
        assert notice in page.text
        assert page.meta("name", "robots")["content"] == "noindex"
        assert "data-pagefind-body" not in (site / path).read_text(encoding="utf-8")
    # Pagefind indexed exactly the marked pages: the expired ones are not among them.
    entry = json.loads((site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    marked = {"sv": 0, "en": 0}
    for file in site_pages(site):
        html = file.read_text(encoding="utf-8")
        if "data-pagefind-body" in html:
            marked["en" if '<html lang="en">' in html else "sv"] += 1
    assert {lang: info["page_count"] for lang, info in entry["languages"].items()} == marked


def test_expires_before_the_items_date_is_an_error_at_its_line(tiny):
    write_pair(tiny, "2026-11-10-fel", "2026-11-10", extra="expires: 2026-11-01")
    result = run_build(tiny)
    assert result.returncode == 1
    assert (
        "content/news/2026-11-10-fel.sv.md:6: 'expires' is 2026-11-01, before the item's date 2026-11-10; "
        "it would never be shown"
    ) in result.stderr


def test_expires_must_be_a_date(tiny):
    write_page(tiny, "vintervag", "sv", "Vinterväghållning", "expires: snart\n")
    result = run_build(tiny)
    assert result.returncode == 1
    assert (
        "content/pages/vintervag.sv.md:4: 'expires' should be a date written YYYY-MM-DD, not 'snart'" in result.stderr
    )


def test_check_warns_about_an_expired_page_in_the_menu(tiny):
    page = tiny / "content/pages/kontakt.en.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace("---\n", "---\nexpires: 2026-11-01\n", 1), encoding="utf-8"
    )
    result = run_build(tiny, "check")
    assert result.returncode == 0, result.stderr
    assert (
        "data/site.yaml: warning: nav names the page 'kontakt', whose en version content/pages/kontakt.en.md "
        "expired after 2026-11-01: take it out of the menu, or change its 'expires'"
    ) in result.stderr
