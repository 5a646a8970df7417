"""/404.html: what a static host shows for any missing URL, at any depth, in both languages."""

from __future__ import annotations

from conftest import run_build
from htmlview import read


def test_404_works_from_any_depth_under_a_sub_path(portal):
    assert run_build(portal, "--base-url", "https://example.org/trygghet/").returncode == 0
    page = read(portal / "_site/404.html")
    assert page.lang == "sv"
    assert page.headings[:2] == [(1, "Sidan finns inte"), (2, "Page not found")]
    assert page.link_to("Till startsidan på svenska").href == "/trygghet/"
    assert page.link_to("Go to the English start page").href == "/trygghet/en/"
    assert page.link_to("Go to the English start page").attrs.get("hreflang") == "en"
    # Served for /trygghet/a/b/c too: every address on it must be absolute.
    for link in page.head_links:
        assert link["href"].startswith("/trygghet/"), link
    # (The footer's help: phone and e-mail links work from any address.)
    assert all(link.href.startswith(("/trygghet/", "https://", "#", "tel:", "mailto:")) for link in page.links)
    assert page.meta("name", "robots") is None
    assert "404.html" not in (portal / "_site/sitemap.xml").read_text()
