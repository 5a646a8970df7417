"""A news item's front matter and the news settings: every mistake is `path:line: message`, exit 1."""

from __future__ import annotations

import pytest

from conftest import run_build
from newsitems import write_item

ITEM = "content/news/2026-01-01-x.sv.md"

# (extra front matter or None, what to drop from the written item, expected message)
CASES = {
    "draft not a boolean": ("draft: ja", None, f"{ITEM}:6: 'draft' should be true or false, not 'ja'"),
    "date not a real date": (
        None,
        ("date: 2026-01-01", "date: 2026-02-30"),
        f"{ITEM}:3: 'date' is '2026-02-30', which is not a real date",
    ),
    "updated written wrong": (
        "updated: 1/2/2026",
        None,
        f"{ITEM}:6: 'updated' should be a date written YYYY-MM-DD, not '1/2/2026'",
    ),
    "source without publisher": (
        "source:\n  title: Pressmeddelande",
        None,
        f"{ITEM}:7: 'source' is missing the required key 'publisher'",
    ),
    "source url not an address": (
        "source:\n  publisher: Ödeshögs kommun\n  url: www.odeshog",
        None,
        f"{ITEM}:8: 'url' is 'www.odeshog': write a full address starting with https:// or http://",
    ),
    "missing summary": (
        None,
        ('summary: "Summary of X"\n', ""),
        f"{ITEM}:2: 'front matter' is missing the required key 'summary'",
    ),
    "no municipalities": (
        None,
        ("municipalities: [mjolby]", "municipalities: []"),
        f"{ITEM}:5: 'municipalities' needs at least 1 item(s)",
    ),
    "unknown key": ("utkast: true", None, f"{ITEM}:6: unknown key 'utkast' in 'front matter'"),
}


@pytest.mark.parametrize("name", CASES)
def test_news_front_matter_mistakes(tiny, name):
    extra, swap, expected = CASES[name]
    path = write_item(tiny, "2026-01-01-x", "sv", "X", "2026-01-01", extra=extra or "")
    if swap:
        path.write_text(path.read_text(encoding="utf-8").replace(*swap), encoding="utf-8")
    result = run_build(tiny)
    assert result.returncode == 1
    assert expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not (tiny / "_site").exists()


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("page_size: 10", "page_size: 0", "'page_size' should be a whole number of at least 1, not 0"),
        ("page_size: 10", "page_size: 2.5", "'page_size' should be a whole number of at least 1, not 2.5"),
        ("feed_size: 20", "feed_size: 0", "'feed_size' should be a whole number of at least 1, not 0"),
        ("feed_size: 20", "feed_size: tjugo", "'feed_size' should be a number, not 'tjugo'"),
        (
            "feed_namespace: 0b7c1c1e-3f5a-4d2b-9a51-6f2d8e4c7a10",
            "feed_namespace: trygghet",
            "'feed_namespace' is 'trygghet': a UUID",
        ),
    ],
)
def test_news_settings_mistakes(tiny, old, new, expected):
    path = tiny / "data/site.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if text.strip() == old)
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    result = run_build(tiny)
    assert result.returncode == 1
    assert f"data/site.yaml:{line}: {expected}" in result.stderr, result.stderr


def test_a_slug_that_takes_a_lists_address_is_refused(tiny):
    write_item(tiny, "2026-01-01-arkiv", "sv", "Arkiv", "2026-01-01", slug="arkiv")
    result = run_build(tiny)
    assert result.returncode == 1
    assert "two pages on one URL /nyheter/arkiv/" in result.stderr
