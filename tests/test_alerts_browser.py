"""The alert region and the expired notice in a real browser: axe (WCAG 2.1 A/AA), the
region's name as a screen reader announces it, and nothing wider than a 320 px phone.
On the tiny site (tests/tinysite.py), with alerts and an expired page of its own."""

from __future__ import annotations

import pytest

from browser import DESKTOP, axe_violations, serve, visit
from conftest import edit, run_build
from tinysite import tiny_site

pytestmark = pytest.mark.browser

ALERTS = """\
- level: warning
  start: 2026-11-18T08:00+01:00
  end: 2026-11-19T18:00+01:00
  text:
    sv: Vattnet i Mjölby tätort ska kokas före användning tills vidare.
    en: Tap water in Mjölby town must be boiled before use until further notice.
  link:
    sv: /nyheter/
    en: https://www.mjolby.se/
- level: information
  start: 2026-11-18T08:00+01:00
  end: 2026-11-29T18:00+01:00
  text:
    sv: Kommunens växel är stängd på fredag eftermiddag.
    en: The switchboard is closed on Friday afternoon.
"""


@pytest.fixture(scope="module")
def alert_site(tmp_path_factory):
    """The tiny site with two running alerts and an English contact page that expired."""
    root = tiny_site(tmp_path_factory.mktemp("alerts") / "tiny", **{"data/alerts.yaml": ALERTS})
    edit(root / "content/pages/kontakt.en.md", "---\n", "---\nexpires: 2026-11-01\n")
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    with serve(root / "_site") as origin:
        yield origin


def test_alert_regions_and_the_expired_notice_pass_axe_are_named_and_fit_a_phone(alert_site, chromium):
    context = chromium.new_context(viewport=DESKTOP, bypass_csp=True)
    page = context.new_page()
    problems = []
    for path, names in (
        ("/", ["Varning", "Information"]),
        ("/en/", ["Warning", "Information"]),
        ("/en/contact/", ["Warning", "Information"]),
    ):
        visit(page, alert_site + path)
        problems += [f"{path}: {v}" for v in axe_violations(page)]
        regions = page.get_by_role("region")
        assert [regions.nth(i).get_attribute("aria-labelledby") for i in range(regions.count())] == [
            "alert-label-1",
            "alert-label-2",
        ]
        for name in names:
            assert page.get_by_role("region", name=name, exact=True).count() == 1, (path, name)
        page.set_viewport_size({"width": 320, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
        page.set_viewport_size(DESKTOP)
    assert "This information is no longer current." in page.inner_text("main")
    context.close()
    assert not problems, "\n".join(problems)
