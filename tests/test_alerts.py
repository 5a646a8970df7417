"""Alerts (data/alerts.yaml): shown on every page during their window, gone outside it,
in the language's Atom feed, with the emergency numbers; invalid ones are path:line errors."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from conftest import run_build, site_pages
from htmlview import read

# conftest's SOURCE_DATE_EPOCH (1795000000) is 2026-11-18 11:06:40 UTC: the tests' "now".

ACTIVE = """\
- level: warning
  start: 2026-11-18T08:00+01:00
  end: 2026-11-19T18:00+01:00
  text:
    sv: Koka vattnet <script>alert(1)</script> i Mjölby.
    en: Boil the water <script>alert(1)</script> in Mjölby.
  link:
    sv: /nyheter/
    en: https://www.mjolby.se/
"""

ATOM = "{http://www.w3.org/2005/Atom}"


def write_alerts(root, text: str) -> None:
    (root / "data/alerts.yaml").write_text(text, encoding="utf-8")


def alert_regions(page_path):
    html = page_path.read_text(encoding="utf-8")
    return html.count('role="region" aria-labelledby="alert-')


def test_the_shipped_alerts_file_shows_nothing(built):
    assert "alert-level" not in (built / "index.html").read_text(encoding="utf-8")
    assert "alert-level" not in (built / "en/index.html").read_text(encoding="utf-8")


def test_an_active_alert_is_a_labelled_region_above_the_heading_on_every_page_with_the_emergency_numbers(tiny):
    write_alerts(tiny, ACTIVE)
    result = run_build(tiny)
    assert result.returncode == 0, result.stderr
    site = tiny / "_site"
    pages = site_pages(site)
    assert len(pages) > 20
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert alert_regions(page) == 1, page
        assert 'role="alert"' not in html
        # Above the main heading, inside main (the skip link leads to it), out of search.
        assert html.index('id="main"') < html.index('class="alert ') < html.index("<h1")
        assert 'data-pagefind-ignore="all"' in html
        for number in ('href="tel:112"', 'href="tel:11313"', 'href="tel:11414"', "krisinformation.se"):
            assert number in html, (page, number)
    home = read(site / "index.html")
    assert "Varning Koka vattnet <script>alert(1)</script> i Mjölby." in home.text  # escaped, shown as text
    assert "<script>alert(1)" not in (site / "index.html").read_text(encoding="utf-8")
    assert home.link_to("Mer information om meddelandet").href == "/nyheter/"
    assert home.link_to("krisinformation.se").href == "https://www.krisinformation.se/"
    english = read(site / "en/index.html")
    assert "Warning Boil the water" in english.text
    assert english.link_to("More about this message").href == "https://www.mjolby.se/"
    assert "114 14 for the police when it is not an emergency." in english.text


def test_an_alert_is_gone_before_its_start_and_after_its_end(tiny):
    write_alerts(tiny, ACTIVE)
    for now in ("2026-11-18T06:59:59Z", "2026-11-19T17:00:00Z", "2026-12-24"):
        result = run_build(tiny, "--now", now, "--out", "out")
        assert result.returncode == 0, result.stderr
        assert alert_regions(tiny / "out/index.html") == 0, now
        assert "Koka vattnet" not in (tiny / "out/nyheter/atom.xml").read_text(encoding="utf-8")
    assert run_build(tiny, "--now", "2026-11-18T07:00:00Z", "--out", "out").returncode == 0
    assert alert_regions(tiny / "out/index.html") == 1


def test_an_alert_is_an_entry_in_its_languages_atom_feed(tiny):
    write_alerts(tiny, ACTIVE)
    assert run_build(tiny).returncode == 0
    for path, title, link in (
        ("nyheter/atom.xml", "Varning: Koka vattnet", "http://127.0.0.1:8000/nyheter/"),
        ("en/news/atom.xml", "Warning: Boil the water", "https://www.mjolby.se/"),
    ):
        feed = ET.parse(tiny / "_site" / path).getroot()
        entry = feed.find(f"{ATOM}entry")  # the alert comes first
        assert entry.find(f"{ATOM}title").text.startswith(title)
        assert entry.find(f"{ATOM}id").text.startswith("urn:uuid:")
        assert entry.find(f"{ATOM}published").text == "2026-11-18T07:00:00Z"
        # The feed is as new as its newest entry, the alert among them.
        assert feed.find(f"{ATOM}updated").text == max(
            e.find(f"{ATOM}updated").text for e in feed.findall(f"{ATOM}entry")
        )
        assert entry.find(f"{ATOM}link").get("href") == link
        assert 'href="tel:112"' in entry.find(f"{ATOM}content").text
        assert "<script>" not in ET.tostring(entry, encoding="unicode")  # escaped once more inside the XML


def test_a_preview_shows_an_alert_still_to_come_marked_as_such(tiny):
    write_alerts(tiny, ACTIVE.replace("2026-11-18T08:00", "2026-11-20T08:00").replace("2026-11-19T18", "2026-11-21T18"))
    assert run_build(tiny, "--out", "public").returncode == 0
    assert alert_regions(tiny / "public/index.html") == 0
    assert run_build(tiny, "--drafts", "--out", "preview").returncode == 0
    home = read(tiny / "preview/index.html")
    assert "Förhandsvisning: meddelandet visas från 20 november 2026 08:00 till 21 november 2026 18:00." in home.text
    assert "Koka vattnet" not in (tiny / "preview/nyheter/atom.xml").read_text(encoding="utf-8")


def test_check_warns_about_an_alert_that_has_ended_and_is_still_in_the_file(tiny):
    write_alerts(tiny, ACTIVE.replace("2026-11-19T18:00+01:00", "2026-11-18T09:00+01:00"))
    result = run_build(tiny, "check")
    assert result.returncode == 0, result.stderr
    assert (
        "data/alerts.yaml:1: warning: this alert ended 2026-11-18T09:00:00+01:00 and is no longer shown; "
        "remove it from the file"
    ) in result.stderr
    assert run_build(tiny, "check", "--strict").returncode == 1


@pytest.mark.parametrize(
    "change, line, message",
    [
        (
            ("end: 2026-11-19T18:00+01:00", "end: 2026-11-18T07:00+01:00"),
            3,
            "the alert ends (2026-11-18T07:00:00+01:00) before it starts (2026-11-18T08:00:00+01:00); the end comes after the start",
        ),
        (
            ("start: 2026-11-18T08:00+01:00", "start: 2026-11-18T08:00"),
            2,
            "'start' is '2026-11-18T08:00', with no time zone: add one, such as 2026-12-01T08:00+01:00",
        ),
        (
            ("end: 2026-11-19T18:00+01:00", "end: 2026-11-19"),
            3,
            "'end' should be a date and time with a time zone, such as 2026-12-01T08:00+01:00",
        ),
        (("    en: Boil the water <script>alert(1)</script> in Mjölby.\n", ""), 5, "'text' has no text in 'en'"),
        (("    en: https://www.mjolby.se/\n", ""), 8, "'link' has no text in 'en'"),
        (("level: warning", "level: danger"), 1, "'level' is 'danger'; it should be one of: information, warning"),
        (
            ("    sv: /nyheter/", "    sv: nyheter"),
            8,
            "'link.sv' is 'nyheter': write a full address starting with https://",
        ),
    ],
)
def test_an_invalid_alert_is_an_error_at_its_line(tiny, change, line, message):
    write_alerts(tiny, ACTIVE.replace(*change))
    result = run_build(tiny)
    assert result.returncode == 1
    assert f"data/alerts.yaml:{line}: {message}" in result.stderr
    assert "nothing was written" in result.stderr


def test_an_internal_alert_link_that_leads_nowhere_is_a_broken_link(tiny):
    write_alerts(tiny, ACTIVE.replace("sv: /nyheter/", "sv: /finns-inte/"))
    result = run_build(tiny)
    assert result.returncode == 1
    assert "broken link to '/finns-inte/'" in result.stderr


def test_alerts_follow_a_sub_path_base_url(tiny):
    write_alerts(tiny, ACTIVE)
    result = run_build(tiny, "--base-url", "https://example.org/trygghet/")
    assert result.returncode == 0, result.stderr
    assert read(tiny / "_site/index.html").link_to("Mer information om meddelandet").href == "/trygghet/nyheter/"


def test_the_same_alert_twice_is_an_error_at_the_second(tiny):
    write_alerts(tiny, ACTIVE + ACTIVE)
    result = run_build(tiny)
    assert result.returncode == 1
    assert (
        "data/alerts.yaml:10: this alert is the same as the one at line 1 (same start and text); remove one"
        in result.stderr
    )


def test_two_alerts_may_start_at_the_same_moment(tiny):
    write_alerts(tiny, ACTIVE + ACTIVE.replace("level: warning", "level: information").replace("Koka", "Spara"))
    result = run_build(tiny)
    assert result.returncode == 0, result.stderr
    html = (tiny / "_site/index.html").read_text(encoding="utf-8")
    assert alert_regions(tiny / "_site/index.html") == 2
    assert html.index("alert-warning") < html.index("alert-information")  # the warning first


def test_the_build_moment_comes_from_now_or_source_date_epoch():
    import datetime as dt

    from portal import clock

    utc = dt.UTC
    assert clock.moment("2026-11-18") == dt.datetime(2026, 11, 18, tzinfo=utc)
    assert clock.moment("2026-11-18T08:00+01:00") == dt.datetime(2026, 11, 18, 7, tzinfo=utc)
    assert clock.moment(None, {"SOURCE_DATE_EPOCH": "1795000000"}) == dt.datetime(2026, 11, 18, 11, 6, 40, tzinfo=utc)
    with pytest.raises(clock.BadNow):
        clock.moment("snart")


def test_pages_with_alerts_an_expired_notice_and_redirect_pages_are_valid_html(tiny):
    import shutil
    import subprocess

    from conftest import REPO

    write_alerts(tiny, ACTIVE + ACTIVE.replace("level: warning", "level: information").replace("Koka", "Spara"))
    page = tiny / "content/pages/kontakt.sv.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace(
            "---\n", "---\nexpires: 2026-11-01\naliases: [/gammal-kontakt/, /k.html]\n", 1
        ),
        encoding="utf-8",
    )
    assert run_build(tiny, "--drafts").returncode == 0
    site = tiny / "_site"
    assert (site / "k.html").is_file() and "expired-note" in (site / "kontakt/index.html").read_text(encoding="utf-8")
    vnu = REPO / "node_modules/vnu-jar/build/dist/vnu.jar"
    run = subprocess.run(
        [shutil.which("java"), "-jar", str(vnu), "--errors-only", "--skip-non-html", str(site)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert [line for line in run.stderr.splitlines() if line.strip()] == []
