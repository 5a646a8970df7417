"""What the search index holds: a page's text, not its footnote markers or its navigation
(data-pagefind-ignore), so results neither show "[1]" nor match a link list."""

from __future__ import annotations

import gzip
import json
import re


def indexed(site) -> dict:
    """URL -> the text Pagefind stored for the page (its fragment files)."""
    out = {}
    for file in (site / "pagefind/fragment").glob("*.pf_fragment"):
        raw = gzip.decompress(file.read_bytes())
        assert raw.startswith(b"pagefind_dcd")
        fragment = json.loads(raw[len(b"pagefind_dcd") :])
        out[fragment["url"]] = fragment["content"]
    return out


def test_footnote_markers_are_not_indexed(built):
    pages = indexed(built)
    assert "/enheten/" in pages and "/en/the-unit-and-its-staffing/" in pages
    for url, text in pages.items():
        assert not re.search(r"\[\d+\]", text), (url, re.search(r".{40}\[\d+\].{40}", text))
    # The figures and the sources themselves still are.
    assert "4,7 heltidstjänster" in pages["/enheten/"]
    assert "Nytt samarbete ska göra kommunerna tryggare" in pages["/enheten/"]


def test_navigation_inside_the_main_content_is_not_indexed(built):
    pages = indexed(built)
    assert "All municipalities in the collaboration" not in pages["/en/municipalities/odeshog/"]
    assert "Alla kommuner i samarbetet" not in pages["/kommuner/odeshog/"]
    item = pages["/en/news/odeshog-joins-the-collaboration/"]
    assert "All news" not in item and "Ödeshög" in item
    assert "Agreements over time" not in pages["/en/the-unit-and-its-staffing/"]
    # Menus, header and footer were never indexed (only <main data-pagefind-body> is).
    assert "Skip to content" not in item and "Give feedback" not in item
