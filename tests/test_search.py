"""Search on static hosting: Pagefind's index is built with the site, one search page per language."""
from __future__ import annotations

import json
import threading

import pytest

from browser import DESKTOP, Site, axe_violations, serve, watch
from conftest import run_build
from portal import search as search_index
from portal import write
from portal.problems import Problems
from portal.render import Output
from test_accessibility import tab_through

SV_SEARCH, EN_SEARCH = "sok/", "en/search/"


def test_the_build_writes_a_search_index_per_language_and_times_it(portal):
    result = run_build(portal)
    assert result.returncode == 0, result.stderr
    assert "search index:" in result.stdout  # its time is part of the build summary
    entry = json.loads((portal / "_site/pagefind/pagefind-entry.json").read_text())
    # Only pages that mark their main content are indexed: not the 404, the search pages or the news lists.
    marked = {"sv": 0, "en": 0}
    for page in (portal / "_site").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        if "data-pagefind-body" in html:
            marked["en" if '<html lang="en">' in html else "sv"] += 1
    assert {lang: info["page_count"] for lang, info in entry["languages"].items()} == marked
    assert marked["sv"] >= 7 and marked["en"] >= 7


def test_a_failed_index_leaves_the_previous_site_as_it_was(tmp_path):
    out = tmp_path / "_site"
    write.write([Output("index.html", b"old")], out, Problems())
    problems = Problems()
    write.write([Output("index.html", b"new")], out, problems,
                finish=lambda folder: problems.error("search index", None, "Pagefind failed"))
    assert problems.errors and (out / "index.html").read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["_site"]  # no temporary folder left behind


def test_a_refresh_stopped_by_the_next_save_leaves_the_old_index_whole(portal):
    assert run_build(portal).returncode == 0
    site = portal / "_site"
    before = {f.relative_to(site): f.read_bytes() for f in (site / "pagefind").rglob("*") if f.is_file()}
    (site / "index.html").write_text("<html lang=sv><body data-pagefind-body>Ny text</body></html>", encoding="utf-8")
    stop = threading.Event()
    stop.set()  # what `serve` does when a save comes while Pagefind runs
    problems = Problems()
    assert search_index.refresh(site, problems, stop) is False
    assert not problems.items
    assert {f.relative_to(site): f.read_bytes() for f in (site / "pagefind").rglob("*") if f.is_file()} == before
    assert not (site / ".pagefind-new").exists()
    assert search_index.refresh(site, problems) is True and not problems.items  # unstopped, it makes the new one
    assert {f.relative_to(site): f.read_bytes() for f in (site / "pagefind").rglob("*") if f.is_file()} != before


def search(page, query: str) -> list[str]:
    """Type a query as a person would; the result links once the status announces them."""
    page.fill("#search-input", query)
    page.wait_for_function("q => document.getElementById('search-status').textContent.includes(q)", arg=query)
    return page.eval_on_selector_all("#search-results a", "links => links.map(a => a.href)")


@pytest.mark.browser
def test_swedish_search_finds_the_2019_news_item_and_the_staffing_page(live_site, chromium):
    context = chromium.new_context(viewport=DESKTOP)
    page = context.new_page()
    seen = watch(page)
    page.goto(live_site.url(SV_SEARCH))
    found = search(page, "Ödeshög")
    assert live_site.url("nyheter/odeshog-ansluter/") in found
    assert live_site.url("enheten/") in search(page, "bemanning")
    assert "träffar" in page.text_content("#search-status")
    for url in set(found + search(page, "bemanning")):
        assert context.request.get(url).status == 200, url
        assert not url.startswith(live_site.url("en/"))
    assert search(page, "hoppa") == []  # the skip link's words: menus are not indexed
    assert seen.errors == []
    context.close()


@pytest.mark.browser
def test_english_search_finds_english_pages_only(live_site, chromium):
    context = chromium.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(live_site.url(EN_SEARCH))
    found = search(page, "staffing")
    assert live_site.url("en/the-unit-and-its-staffing/") in found
    for word in ("bemanning", "samarbetsavtal", "heltidstjänster", "Ödeshög"):
        wrong = [url for url in search(page, word) if not url.startswith(live_site.url("en/"))]
        assert wrong == [], f"'{word}' on the English search page found Swedish pages: {wrong}"
    # Menus are not indexed: a phrase from the page finds it, the skip link's words find nothing.
    assert live_site.url("en/the-unit-and-its-staffing/") in search(page, '"the unit and its staffing"')
    assert search(page, '"Skip to content"') == []
    for url in found:
        assert context.request.get(url).status == 200, url
    context.close()


@pytest.mark.browser
def test_search_works_by_keyboard_and_announces_results(live_site, chromium):
    context = chromium.new_context(viewport=DESKTOP, bypass_csp=True)  # bypass only to inject axe
    page = context.new_page()
    page.goto(live_site.url(SV_SEARCH))
    box = page.get_by_label("Sök på webbplatsen")  # the input has a real label
    box.wait_for()
    stops = tab_through(page)
    assert any(stop["what"].startswith("input") for stop in stops), [s["what"] for s in stops]
    box.focus()
    page.keyboard.type("bemanning")
    page.keyboard.press("Enter")
    status = page.get_by_role("status")  # a live region: screen readers read out the count
    status.filter(has_text="bemanning").wait_for()
    assert page.url.endswith("/sok/?q=bemanning")
    # The results are links in the Tab order, and focus still leaves the page at the end.
    stops = tab_through(page)
    assert "a /enheten/" in [stop["what"] for stop in stops]
    assert axe_violations(page) == []
    context.close()


@pytest.mark.browser
def test_without_javascript_the_page_says_so_and_offers_links(live_site, chromium):
    context = chromium.new_context(viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    for path, needs, archive in ((SV_SEARCH, "behöver JavaScript", "Nyhetsarkivet"), (EN_SEARCH, "needs JavaScript", "The news archive")):
        page.goto(live_site.url(path))
        assert not page.is_visible(".search-form")
        assert needs in page.inner_text("#search-nojs")
        assert page.get_by_role("link", name=archive).get_attribute("href").endswith(("/nyheter/arkiv/", "/en/news/archive/"))
        assert page.locator("#search-nojs li a").count() >= 6  # the start page, the news and every page
    context.close()


@pytest.mark.browser
def test_search_works_under_a_sub_path(tmp_path, portal, chromium):
    result = run_build(portal, "--base-url", "https://example.org/trygghet/", "--out", str(tmp_path / "srv/trygghet"))
    assert result.returncode == 0, result.stderr
    with serve(tmp_path / "srv") as origin:
        site = Site(tmp_path / "srv/trygghet", origin, "/trygghet/")
        context = chromium.new_context(viewport=DESKTOP)
        page = context.new_page()
        seen = watch(page)
        page.goto(site.url(SV_SEARCH))
        found = search(page, "bemanning")
        assert site.url("enheten/") in found
        assert all(context.request.get(url).status == 200 for url in found)
        assert seen.errors == [] and all(url.startswith(origin + "/trygghet/") for url in seen.requests)
        context.close()


@pytest.mark.browser
def test_a_reader_tabbing_in_the_fallback_links_when_search_arrives_lands_in_the_search_box(live_site, chromium):
    context = chromium.new_context(viewport=DESKTOP)
    page = context.new_page()
    held = []  # Pagefind is held back until the reader has tabbed into the fallback links
    page.route("**/pagefind/pagefind.js", lambda route: held.append(route))
    page.goto(live_site.url(SV_SEARCH))
    page.get_by_role("link", name="Nyhetsarkivet").focus()
    for _ in range(100):  # the held request reaches this thread while Playwright waits
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the page never asked for Pagefind"
    held[0].continue_()
    page.locator(".search-form").wait_for()  # the links are swapped for the form
    assert page.locator("#search-nojs").is_hidden()
    assert page.evaluate("document.activeElement.id") == "search-input"
    context.close()
