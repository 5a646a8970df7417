"""Drafts and scheduled items: left out of a normal build, shown marked in a preview."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import REPO, run_build
from htmlview import read
from newsitems import site_text, write_item, write_pair
from tinysite import add_municipality

# conftest's SOURCE_DATE_EPOCH (1795000000) is 2026-11-18 UTC: the tests' "today".


def test_a_draft_leaks_nowhere_into_the_site(tiny):
    add_municipality(tiny, "boxholm", "Boxholms kommun", "Boxholm Municipality", "Boxholm")
    write_pair(
        tiny,
        "2026-11-01-hemlig",
        "2026-11-01",
        draft=True,
        summary="Utkastets sammanfattning",
        municipalities=("boxholm",),
        body="Utkastets brödtext.",
    )
    result = run_build(tiny)
    assert result.returncode == 0, result.stderr
    site = tiny / "_site"
    everything = site_text(site)
    for leak in [
        "2026-11-01-hemlig",
        "Nyhet 2026-11-01-hemlig",
        "News 2026-11-01-hemlig",
        "Utkastets sammanfattning",
        "Utkastets brödtext",
    ]:
        assert leak not in everything, leak
    # Its year has no published item, so there is no 2026 archive either.
    assert not (site / "nyheter/arkiv/2026").exists()
    assert "Det finns inga nyheter om Boxholm ännu." in read(site / "nyheter/kommun/boxholm/index.html").text


def test_an_item_dated_after_now_waits_for_its_date(tiny):
    write_pair(tiny, "2026-12-01-julmarknad", "2026-12-01")
    assert run_build(tiny, "--out", "before").returncode == 0
    assert "julmarknad" not in site_text(tiny / "before")
    assert run_build(tiny, "--out", "on-the-day", "--now", "2026-12-01").returncode == 0
    on_the_day = read(tiny / "on-the-day/nyheter/index.html")
    assert on_the_day.link_to("Nyhet 2026-12-01-julmarknad").href == "/nyheter/2026-12-01-julmarknad/"
    assert "Schemalagd" not in on_the_day.text


def test_now_accepts_an_iso_datetime_and_uses_its_utc_date(tiny):
    write_pair(tiny, "2026-12-01-julmarknad", "2026-12-01")
    # 00:30 in Sweden on 1 December is still 30 November in UTC.
    assert run_build(tiny, "--now", "2026-12-01T00:30:00+01:00").returncode == 0
    assert "julmarknad" not in site_text(tiny / "_site")
    assert run_build(tiny, "--now", "2026-12-01T01:30:00+01:00").returncode == 0
    assert "julmarknad" in site_text(tiny / "_site")


def test_source_date_epoch_is_the_default_now(tiny):
    write_pair(tiny, "2026-11-18-idag", "2026-11-18")
    write_pair(tiny, "2026-11-19-imorgon", "2026-11-19")
    assert run_build(tiny).returncode == 0  # SOURCE_DATE_EPOCH=1795000000 → 2026-11-18
    text = site_text(tiny / "_site")
    assert "2026-11-18-idag" in text and "2026-11-19-imorgon" not in text


def test_without_any_date_the_real_clock_decides(tiny):
    write_pair(tiny, "2019-01-01-gammal", "2019-01-01")
    write_pair(tiny, "2999-01-01-framtid", "2999-01-01")
    result = subprocess.run(
        [sys.executable, str(REPO / "build.py")],
        cwd=tiny,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    text = site_text(tiny / "_site")
    assert "2019-01-01-gammal" in text and "2999-01-01-framtid" not in text


def test_drafts_flag_builds_drafts_and_scheduled_items_marked(tiny):
    write_pair(tiny, "2026-11-01-utkast", "2026-11-01", draft=True)
    write_pair(tiny, "2026-12-24-jul", "2026-12-24")
    assert run_build(tiny, "--drafts").returncode == 0
    site = tiny / "_site"
    draft = read(site / "nyheter/2026-11-01-utkast/index.html")
    assert "Utkast: Det här är ett utkast." in draft.text
    assert draft.meta("name", "robots")["content"] == "noindex"
    scheduled = read(site / "en/news/2026-12-24-jul/index.html")
    assert "Scheduled: This item is dated 24 December 2026." in scheduled.text
    listing = read(site / "nyheter/index.html").text
    assert "Nyhet 2026-11-01-utkast" in listing and "Utkast" in listing and "Schemalagd" in listing
    # Even a preview never offers drafts to feed readers or search engines.
    for machine_file in ["nyheter/atom.xml", "en/news/atom.xml", "sitemap.xml"]:
        text = (site / machine_file).read_text()
        assert "utkast" not in text and "2026-12-24-jul" not in text, machine_file
    published = read(site / "nyheter/enheten-vaxer/index.html")
    assert published.meta("name", "robots") is None


def test_draft_must_be_true_or_false(tiny):
    path = write_item(tiny, "2026-11-01-x", "sv", "X", "2026-11-01", extra="draft: ja")
    result = run_build(tiny)
    assert result.returncode == 1
    assert f"content/news/{path.name}:6: 'draft' should be true or false, not 'ja'" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_now_is_a_usage_error_and_writes_nothing(tiny):
    for args in (["--now", "2026-13-01"], ["--now", "tomorrow"]):
        result = run_build(tiny, *args)
        assert result.returncode == 2
        assert "--now should be a date (YYYY-MM-DD)" in result.stderr
    assert not (tiny / "_site").exists()
    broken_epoch = subprocess.run(
        [sys.executable, str(REPO / "build.py")],
        cwd=tiny,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": "soon"},
        timeout=120,
    )
    assert broken_epoch.returncode == 2 and "SOURCE_DATE_EPOCH should be whole seconds" in broken_epoch.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, deadline: float) -> bytes:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_serve_previews_drafts_and_scheduled_items(tiny):
    write_pair(tiny, "2026-11-01-utkast", "2026-11-01", draft=True)
    write_pair(tiny, "2027-06-01-sommar", "2027-06-01")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "serve", "--port", str(port)],
        cwd=tiny,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={"PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": "1795000000", "LANG": "C.UTF-8"},
    )
    try:
        deadline = time.monotonic() + 60  # waiting for the server to start, not a timing assertion
        draft = _get(f"http://127.0.0.1:{port}/nyheter/2026-11-01-utkast/", deadline).decode()
        summer = _get(f"http://127.0.0.1:{port}/en/news/2027-06-01-sommar/", deadline).decode()
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert "Det här är ett utkast" in draft
    assert "This item is dated 1 June 2027" in summer


def test_the_start_page_shows_the_latest_published_news_only(tiny):
    write_pair(tiny, "2026-11-01-utkast", "2026-11-01", draft=True)
    write_pair(tiny, "2026-11-10-ny", "2026-11-10")
    assert run_build(tiny).returncode == 0
    home = read(tiny / "_site/index.html")
    assert home.link_to("Nyhet 2026-11-10-ny").href == "/nyheter/2026-11-10-ny/"
    assert "utkast" not in home.text.lower()
    assert run_build(tiny, "--drafts").returncode == 0
    assert "Nyhet 2026-11-01-utkast 1 november 2026 Utkast" in read(tiny / "_site/index.html").text


@pytest.mark.parametrize(
    "draft, date, expected",
    [
        (True, "2026-11-01", "which is a draft ('draft: true'): publish it first, or remove the link"),
        (False, "2026-12-24", "which is dated 2026-12-24 and not published before then"),
    ],
)
def test_a_link_to_an_unpublished_item_says_why_it_fails(tiny, draft, date, expected):
    write_item(tiny, "snart", "sv", "Snart", date, draft=draft)
    page = tiny / "content/pages/kontakt.sv.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nLäs [nyheten](../news/snart.sv.md).\n", encoding="utf-8")
    line = page.read_text(encoding="utf-8").splitlines().index("Läs [nyheten](../news/snart.sv.md).") + 1
    result = run_build(tiny)
    assert result.returncode == 1
    assert f"content/pages/kontakt.sv.md:{line}: links to '../news/snart.sv.md', {expected}" in result.stderr
    assert run_build(tiny, "--drafts").returncode == 0  # the preview shows the item, so the link works there
