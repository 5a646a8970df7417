"""The web editor in Chromium, as an editor uses it: `build.py serve` on a temporary copy of
the portal, /admin/ against the preview's local backend, a news item written in Swedish and
English through the form and published; the next build has the page in both languages.

Axe runs on the editor's own screens and its findings are reported, not failed on: they are
Decap's (docs/web-editor.md lists them). The screenshots are the editors' guides' pictures:
`GUIDE_SCREENSHOTS=1` also copies them to docs/images/.
"""

from __future__ import annotations

import json
import os
import shutil
import urllib.error
import urllib.request

import pytest

from conftest import REPO, run_build
from portal.outputs import cms
from portal.render import pages as render
from servetools import serving, wait_for

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(cms.bundle_version() is None, reason="Decap CMS is not in node_modules (npm ci)"),
]

playwright = pytest.importorskip("playwright.sync_api", reason="Playwright is in requirements-test.txt")

import browser  # noqa: E402 - needs Playwright

SHOTS = browser.SCREENSHOTS / "editor"
GUIDE = REPO / "docs/images"
REPORT = REPO / "test-artifacts/editor-axe.txt"


def shoot(page, name: str, full_page: bool = False) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=full_page)
    if os.environ.get("GUIDE_SCREENSHOTS"):
        GUIDE.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SHOTS / name, GUIDE / name)


def axe(page, screen: str, found: dict) -> None:
    """browser.axe_violations injects axe as an inline script, which the editor's CSP rightly
    blocks; the test runs it from outside the page instead (DevTools' evaluate), CSP intact."""
    if not page.evaluate("() => !!window.axe"):
        page.evaluate(browser.AXE.read_text(encoding="utf-8") + "\n;0")
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", browser.WCAG_AA_TAGS)
    found[screen] = [
        f"{v['id']} ({v['impact']}): {v['help']} at {node['target']}"
        for v in result["violations"]
        for node in v["nodes"]
    ]


def report(found: dict) -> None:
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    lines = []
    for screen, violations in found.items():
        lines.append(f"{screen}: {len(violations)} violation(s) of WCAG 2.0/2.1 A and AA")
        lines += [f"  {v}" for v in violations]
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


def post(origin: str, body: dict, headers: dict) -> int:
    request = urllib.request.Request(origin + "/api/v1", data=json.dumps(body).encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_an_editor_writes_a_news_item_in_both_languages_and_the_next_build_has_it(portal, chromium):
    found = {}
    with serving(portal) as (origin, lines):
        # The terminal names the editor, on the line after the one `serving` waits for.
        wait_for(lambda: any("/admin/" in line for line in lines), what="the terminal to name the web editor")
        context = chromium.new_context(viewport=browser.DESKTOP, bypass_csp=False)
        page = context.new_page()
        seen = browser.watch(page)
        blocked = []
        page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)

        page.goto(origin + "/admin/")
        login = page.get_by_role("button", name="Logga in")
        login.wait_for()
        shoot(page, "editor-login.png")
        axe(page, "sign-in", found)
        login.click()

        page.get_by_role("link", name="Nyheter").first.wait_for()
        page.goto(origin + "/admin/#/collections/news")
        page.get_by_text("Ödeshög joins", exact=False).or_(
            page.get_by_text("Ödeshög ansluter", exact=False)
        ).first.wait_for()
        shoot(page, "editor-news-list.png")
        axe(page, "news list", found)

        page.goto(origin + "/admin/#/collections/news/new")
        titles = page.locator("input[id^=title-field-]")  # sv title, sv source title, en title, en source title
        titles.first.wait_for()
        titles.nth(0).fill("Övning i Boxholm")
        titles.nth(2).fill("Exercise in Boxholm")
        page.locator("input[id^=date-field-]").first.fill("2026-11-02")
        summaries = page.locator("textarea[id^=summary-field-]")
        summaries.nth(0).fill("Kommunerna övade krisledning tillsammans.")
        summaries.nth(1).fill("The municipalities held a crisis management exercise together.")
        municipalities = page.locator("input[id^=municipalities-field-]").first
        municipalities.fill("Boxholm")
        municipalities.press("Enter")
        bodies = page.locator("[data-slate-editor=true]")
        bodies.nth(0).click()
        page.keyboard.type("Övningen i Boxholm samlade alla tre kommunerna.")
        bodies.nth(1).click()
        page.keyboard.type("The exercise in Boxholm brought all three municipalities together.")
        page.evaluate("window.scrollTo(0, 0)")
        shoot(page, "editor-new-item.png")
        axe(page, "item form", found)

        # The preview pane shows the item with the site's own stylesheet.
        # Both languages fill the screen side by side; one language at a time leaves room for the preview.
        page.locator("button[title='Slå på/av i18n']").click()
        page.locator("button[title='Visa/Dölj förhandsvisning']").click()
        frame = page.frame_locator("iframe").first
        frame.locator("text=Övning i Boxholm").first.wait_for()
        stylesheets = frame.locator("link[rel=stylesheet]").evaluate_all(
            "links => links.map(l => l.getAttribute('href'))"
        )
        assert any(href.startswith("/assets/site.") and href.endswith(".css") for href in stylesheets), stylesheets
        shoot(page, "editor-preview.png")
        page.locator("button[title='Visa/Dölj förhandsvisning']").click()
        page.locator("button[title='Slå på/av i18n']").click()

        page.get_by_role("button", name="Publicera").first.click()
        page.get_by_text("Publicera nu").click()
        sv = portal / "content/news/2026-11-02-ovning-i-boxholm.sv.md"
        en = portal / "content/news/2026-11-02-ovning-i-boxholm.en.md"
        wait_for(lambda: sv.is_file() and en.is_file(), what="the editor to write both files")
        page.get_by_text("Ändringar sparade", exact=False).first.wait_for()
        shoot(page, "editor-saved.png")

        # "Edit this page" opens an entry by this route (render.EDITOR_ENTRY): both languages load.
        page.goto(origin + "/" + render.EDITOR_ENTRY.format(section="news", entry="2026-11-02-ovning-i-boxholm"))
        titles = page.locator("input[id^=title-field-]")
        playwright.expect(titles.nth(0)).to_have_value("Övning i Boxholm")
        playwright.expect(titles.nth(2)).to_have_value("Exercise in Boxholm")

        # Only this origin: no request to another host, no CSP violation of the editor's own policy.
        assert [r for r in seen.requests if not r.startswith(origin)] == []
        assert blocked == []
        # Another site open in the same browser cannot write through the local backend.
        assert (
            post(origin, {"action": "info"}, {"Content-Type": "application/json", "Origin": "https://evil.example"})
            == 403
        )
        assert post(origin, {"action": "info"}, {"Content-Type": "text/plain"}) == 415
        context.close()
    report(found)

    text = sv.read_text(encoding="utf-8")
    assert "title: Övning i Boxholm" in text and "municipalities:\n  - boxholm" in text
    assert "The exercise in Boxholm" in en.read_text(encoding="utf-8")
    result = run_build(portal)
    assert result.returncode == 0, result.stderr
    assert "Övning i Boxholm" in (portal / "_site/nyheter/2026-11-02-ovning-i-boxholm/index.html").read_text(
        encoding="utf-8"
    )
    assert "Exercise in Boxholm" in (portal / "_site/en/news/2026-11-02-ovning-i-boxholm/index.html").read_text(
        encoding="utf-8"
    )
    assert all(isinstance(v, list) for v in found.values()) and len(found) == 3  # axe ran on each screen
