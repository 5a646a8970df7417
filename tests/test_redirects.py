"""`aliases:` in front matter: a moved page's old addresses lead to it, without JavaScript,
noindex and outside search; `_redirects` lists them; an alias on a page's address is an error."""

from __future__ import annotations

import re

from conftest import run_build
from htmlview import read

PAGE = "content/pages/om.sv.md"


def add_aliases(root, path: str, *aliases: str) -> None:
    file = root / path
    text = file.read_text(encoding="utf-8")
    listed = "".join(f"  - {a}\n" for a in aliases)
    file.write_text(text.replace("---\n", f"---\naliases:\n{listed}", 1), encoding="utf-8")


def refresh_target(html: str) -> str:
    return re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', html).group(1)


def test_no_aliases_no_redirects_file(tiny_built):
    assert not (tiny_built / "_redirects").exists()


def test_an_old_address_leads_to_the_page_without_javascript(tiny):
    add_aliases(tiny, PAGE, "/samarbete/", "/gammalt/om.html")
    add_aliases(tiny, "content/pages/om.en.md", "/en/cooperation")
    result = run_build(tiny)
    assert result.returncode == 0, result.stderr
    site = tiny / "_site"
    for path, target, lang, title in (
        ("samarbete/index.html", "om/", "sv", "Sidan har flyttat"),
        ("gammalt/om.html", "om/", "sv", "Sidan har flyttat"),
        ("en/cooperation/index.html", "en/about/", "en", "This page has moved"),
    ):
        html = (site / path).read_text(encoding="utf-8")
        assert refresh_target(html) == "http://127.0.0.1:8000/" + target
        page = read(site / path)
        assert page.lang == lang and page.title.startswith(title)
        assert {"rel": "canonical", "href": "http://127.0.0.1:8000/" + target} in page.head_links
        assert page.meta("name", "robots")["content"] == "noindex"
        assert [link.href for link in page.links] == ["/" + target]  # an ordinary link too
        assert "<script" not in html and "data-pagefind-body" not in html  # not in search
    assert "samarbete" not in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert (site / "_redirects").read_text(encoding="utf-8").splitlines()[1:] == [
        "/en/cooperation/ /en/about/ 301",
        "/gammalt/om.html /om/ 301",
        "/samarbete/ /om/ 301",
    ]


def test_redirects_follow_a_sub_path_base_url(tiny):
    add_aliases(tiny, PAGE, "/samarbete/")
    result = run_build(tiny, "--base-url", "https://example.org/trygghet/")
    assert result.returncode == 0, result.stderr
    site = tiny / "_site"
    html = (site / "samarbete/index.html").read_text(encoding="utf-8")
    assert refresh_target(html) == "https://example.org/trygghet/om/"
    assert read(site / "samarbete/index.html").links[0].href == "/trygghet/om/"
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)">', html).group(1)
    assert stylesheet.startswith("/trygghet/assets/site.") and (site / stylesheet.removeprefix("/trygghet/")).is_file()
    assert "/trygghet/samarbete/ /trygghet/om/ 301" in (site / "_redirects").read_text(encoding="utf-8")


def test_an_alias_on_a_pages_address_is_an_error_naming_both_files(tiny):
    add_aliases(tiny, PAGE, "/kontakt/")
    result = run_build(tiny)
    assert result.returncode == 1
    assert (
        f"{PAGE}:3: the alias '/kontakt/' is the address of a page: content/pages/kontakt.sv.md (/kontakt/); "
        "remove the alias or move that page"
    ) in result.stderr


def test_an_alias_on_a_generated_page_or_a_static_file_is_an_error(tiny):
    add_aliases(tiny, PAGE, "/nyheter/arkiv", "/assets/favicon.svg/")
    result = run_build(tiny)
    assert result.returncode == 1
    assert (
        f"{PAGE}:3: the alias '/nyheter/arkiv' is the address of a page: the generated page /nyheter/arkiv/"
        in result.stderr
    )
    assert (
        f"{PAGE}:4: the alias '/assets/favicon.svg/' needs a folder /assets/favicon.svg/ where static/assets/favicon.svg is a file"
        in result.stderr
    )


def test_one_alias_for_two_pages_is_an_error_naming_both(tiny):
    add_aliases(tiny, PAGE, "/gammal/")
    add_aliases(tiny, "content/pages/kontakt.sv.md", "/gammal")
    result = run_build(tiny)
    assert result.returncode == 1
    assert (
        "content/pages/om.sv.md:3: the alias '/gammal/' is also an alias of content/pages/kontakt.sv.md; "
        "an old address can lead to one page only"
    ) in result.stderr or (
        "content/pages/kontakt.sv.md:3: the alias '/gammal' is also an alias of content/pages/om.sv.md; "
        "an old address can lead to one page only"
    ) in result.stderr


def test_an_alias_that_could_leave_the_site_is_refused_at_its_line(tiny):
    add_aliases(tiny, PAGE, "/ok/", "/../utanfor/")
    result = run_build(tiny)
    assert result.returncode == 1
    assert (
        f"{PAGE}:4: 'aliases[2]' is '/../utanfor/': write the old address on this site without the domain"
        in result.stderr
    )


def test_a_news_item_can_move_too(tiny):
    news = "content/news/2020-01-10-enheten-vaxer.sv.md"
    add_aliases(tiny, news, "/gamla-nyheter/odeshog/")
    assert run_build(tiny).returncode == 0
    html = (tiny / "_site/gamla-nyheter/odeshog/index.html").read_text(encoding="utf-8")
    assert refresh_target(html).startswith("http://127.0.0.1:8000/nyheter/")


def test_an_alias_on_the_address_of_a_news_item_held_back_until_its_date_is_an_error_already(tiny):
    # Published on its date, the item would take the address the alias had made a redirect of.
    news = tiny / "content/news/2020-01-10-enheten-vaxer.sv.md"
    news.write_text(news.read_text(encoding="utf-8").replace("date: 2020-01-10", "date: 2030-01-10"), encoding="utf-8")
    add_aliases(tiny, PAGE, "/nyheter/enheten-vaxer/")
    result = run_build(tiny, "--now", "2026-12-01")
    assert result.returncode == 1, result.stderr
    assert (
        f"{PAGE}:3: the alias '/nyheter/enheten-vaxer/' is the address of a page: "
        "content/news/2020-01-10-enheten-vaxer.sv.md (/nyheter/enheten-vaxer/)"
    ) in result.stderr
