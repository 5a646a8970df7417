"""In a real browser, under the site's strict CSP, a save updates the open page by itself
(on the tiny site, tests/tinysite.py: an editor's save of its unit page)."""

from __future__ import annotations

import contextlib
import urllib.request

import pytest

from conftest import edit
from servetools import serving, wait_for

pytestmark = pytest.mark.browser

playwright = pytest.importorskip("playwright.sync_api", reason="Playwright is in the test group of uv.lock")


def connected(page):
    """Wait until the page's livereload.js has shaken hands with the server (protocol 7)."""
    page.wait_for_function("() => window.LiveReload && window.LiveReload.connector.protocol === 7", timeout=60_000)


@contextlib.contextmanager
def browser_page():
    """A page in Debian's Chromium, and the list of what the page's policy refused, as it says it."""
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--disable-quic", "--disable-background-networking"]
        )
        try:
            page = browser.new_page()
            blocked = []
            page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
            yield page, blocked
        finally:
            browser.close()


def test_the_open_page_reloads_itself_after_a_save_and_after_a_broken_save(tiny):
    with serving(tiny) as (origin, _), browser_page() as (page, blocked):
        page.goto(origin + "/enheten/")
        heading = page.locator("main h1")
        assert heading.inner_text() == "Bemanningen"
        connected(page)

        edit(tiny / "content/pages/enheten.sv.md", "title: Bemanningen", "title: Enheten i dag")
        playwright.expect(heading).to_have_text("Enheten i dag", timeout=60_000)
        connected(page)

        edit(tiny / "content/pages/enheten.sv.md", "updated: 2020-02-01", "updated: 2020-13-01")
        playwright.expect(page.locator("h1")).to_have_text("Sidan kunde inte byggas", timeout=60_000)
        assert "content/pages/enheten.sv.md:4:" in page.locator("main li").first.inner_text()
        connected(page)

        edit(tiny / "content/pages/enheten.sv.md", "updated: 2020-13-01", "updated: 2020-02-01")
        playwright.expect(page.locator("main h1")).to_have_text("Enheten i dag", timeout=60_000)
        assert blocked == []  # nothing the preview adds is refused by the page's policy


def test_search_works_in_the_preview_under_its_policy_header(tiny):
    """The preview sends a Content-Security-Policy header as well as each page's own (a meta tag),
    and a browser applies both: the header must allow what the search page allows (Pagefind's
    WebAssembly), or search finds nothing in the preview while it works on the published site."""
    with serving(tiny) as (origin, lines), browser_page() as (page, blocked):
        wait_for(lambda: _up(origin), what="the preview's search index")
        page.goto(origin + "/sok/")
        page.fill("#search-input", "Ödeshög")
        # The count of what was found, or the page's word that search could not start.
        page.wait_for_function("() => /Ödeshög|kunde inte/.test(document.getElementById('search-status').textContent)")
        found = page.eval_on_selector_all("#search-results > li > h2 a", "links => links.map(a => a.pathname)")
        assert "/nyheter/enheten-vaxer/" in found, (page.inner_text("#search-status"), "".join(lines))
        assert blocked == []


def _up(origin: str) -> bool:
    try:
        return urllib.request.urlopen(origin + "/pagefind/pagefind.js").status == 200
    except OSError:
        return False
