"""The asset rewrite passes by what cannot hold a renamed file's name (assets._PASSED) and
gives exactly what the token-by-token rewrite it replaced gave (`token_by_token` below)."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import urlsplit

import pytest
from fuzzing import fuzz
from hypothesis import given
from hypothesis import strategies as st

from portal.outputs import assets

BASE = urlsplit("https://example.org/")


def token_by_token(text: str, here: str, base, renames: dict) -> str:
    """The rewrite as it was: every token of _HTML_TOKEN through a Python function."""
    names = {n for old in renames for n in (posixpath.basename(old), assets.quote(posixpath.basename(old)))}

    def fix(match: re.Match) -> str:
        tag = match.group("tag") or match.group("rawtag")
        if tag is None or not any(name in tag for name in names):
            return match.group(0)
        new_tag = assets._ATTRIBUTE.sub(lambda m: assets._rewrite_attribute(m, here, base, renames), tag)
        return new_tag + match.group(0)[len(tag) :]

    return assets._HTML_TOKEN.sub(fix, text)


def both(text: str, renames: dict, here: str = "/") -> tuple[str, str]:
    return assets._rewrite_html(text, here, BASE, tuple(sorted(renames.items()))), token_by_token(
        text, here, BASE, renames
    )


def test_every_renamed_name_has_a_dot():
    assert all(suffix.startswith(".") for suffix in assets.FINGERPRINTED)


def test_every_page_of_the_real_site_is_rewritten_as_before(built):
    files = [p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file()]
    renames = {f: f.replace(".", ".renamed.", 1) for f in files if assets.is_fingerprinted(f)}
    assert len(renames) > 10
    pages = sorted(built.rglob("*.html"))
    changed = 0
    for page in pages:
        text = page.read_text(encoding="utf-8")
        here = "/" + posixpath.dirname(page.relative_to(built).as_posix())
        new, old = both(text, renames, here)
        assert new == old, page
        changed += new != text
    assert changed > len(pages) // 2


RENAMES = {"assets/site.css": "assets/site.1234abcd.css", "assets/a b.png": "assets/a b.1234abcd.png"}

MARKUP = [
    '<link rel="stylesheet" href="/assets/site.css"><img src="/assets/a%20b.png" alt="a.b">',
    "<!-- <link href=/assets/site.css> --><script>var s = '<img src=/assets/site.css>';</script>",
    '<script src="/assets/site.css"></script><title>site.css</title><textarea><a href=site.css></textarea>',
    "<p title='1 > 0' data-x=\"/assets/site.css\">site.css</p><IMG SRC=/assets/site.css>",
    '<a"b href="/assets/site.css">x</a><a"b c">x."y> <a href=\'/assets/site.css\'>',
    "< p> <!doctype html><!-- never closed <img src=/assets/site.css>",
    '<script>never closed <img src="/assets/site.css">',
    '<SCRİPT>a</scrİpt><img src="/assets/site.css"></SCRİPT><img src="/assets/site.css">',
    '<ſcript>a</script><img src="/assets/site.css"></ſcript><TİTLE>x</tıtle><img src="/assets/site.css">',
    '<img srcset="/assets/a%20b.png 1x, /assets/site.css 2x"><br/><hr />',
    "",
]


@pytest.mark.parametrize("text", MARKUP)
def test_tricky_markup_is_rewritten_as_before(text):
    new, old = both(text, RENAMES, "/assets")
    assert new == old


PIECES = [
    "<", ">", "a", "img", "src", "href", "=", '"', "'", " ", "\n", ".", "/", "assets/", "site.css", "a%20b.png",
    "<!--", "-->", "<!", "script", "</script>", "title", "</title>", "style", "TEXTAREA", "</", "x", "\xa0",
    '<img src="/assets/site.css">', "<script>", "<title>",
    "İ", "ı", "ſ", "SCRİPT", "</scrİpt>", "<Title>", "</TİTLE>", "ſcript",
]  # fmt: skip


@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
@fuzz(1500, 5)
def test_any_markup_is_rewritten_as_before(text):
    new, old = both(text, RENAMES, "/assets")
    assert new == old
