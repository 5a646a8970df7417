"""Screenshots of every page, desktop and mobile, for a person to look at.

They go to test-artifacts/screenshots/ (not in git); CI keeps that folder.
Every page is taken at 1280 px (desktop), 390 px (mobile) and 320 px (narrow: the
smallest phone, and a desktop at 400 % zoom), so each page type is there in both
languages; the search pages are also taken with results showing.
"""

from __future__ import annotations

import shutil
import struct

import pytest

from browser import DESKTOP, MOBILE, SCREENSHOTS, shot_name, visit

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}


def png_size(path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


def test_screenshots_of_every_page_on_desktop_and_mobile(live_site, chromium):
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    paths = live_site.pages() + ["sok/?q=bemanning", "en/search/?q=staffing"]
    for name, viewport in (("desktop", DESKTOP), ("mobile", MOBILE), ("narrow", NARROW)):
        folder = SCREENSHOTS / name
        folder.mkdir(parents=True)
        context = chromium.new_context(viewport=viewport)
        page = context.new_page()
        for path in paths:
            visit(page, live_site.url(path))
            if "?q=" in path:
                page.wait_for_selector("#search-results li")
            file = folder / shot_name(live_site, path.replace("?q=", "-"))
            page.screenshot(path=str(file), full_page=True)
            width, height = png_size(file)
            assert width == viewport["width"] and height >= 300, (file, width, height)
        context.close()
