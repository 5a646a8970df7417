"""An Atom 1.0 feed per language, read by a real feed parser."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest

from conftest import run_build
from htmlview import read
from newsitems import write_item, write_pair

ATOM = "{http://www.w3.org/2005/Atom}"
FEEDS = {"sv": "nyheter/atom.xml", "en": "en/news/atom.xml"}


def parse(path: Path):
    data = path.read_bytes()
    ET.fromstring(data)  # well-formed XML, or this raises
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_each_language_has_a_valid_atom_feed(tiny_built, lang):
    feed = parse(tiny_built / FEEDS[lang])
    assert feed.feed.language == lang
    assert feed.feed.id.startswith("urn:uuid:")
    # The tiny site's item was published 2020-01-10 and updated 2020-01-12: the feed is as new as its update.
    assert feed.feed.updated == "2020-01-12T00:00:00Z"
    assert feed.feed.author == ("Enheten" if lang == "sv" else "The unit")
    [entry] = feed.entries
    assert entry.title == ("Enheten växer" if lang == "sv" else "The unit grows")
    assert entry.published == "2020-01-10T00:00:00Z"
    assert [t.term for t in entry.tags] == ["odeshog"]
    root = ET.fromstring((tiny_built / FEEDS[lang]).read_bytes())
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{required}") is not None, required
    for element in root.iter(f"{ATOM}entry"):
        for required in ("id", "title", "updated", "link", "content", "summary"):
            assert element.find(f"{ATOM}{required}") is not None, required


def test_entries_have_the_full_text_and_their_translation(tiny_built):
    [sv] = parse(tiny_built / FEEDS["sv"]).entries
    html = sv.content[0].value
    assert sv.content[0].type == "text/html"
    assert "<p>Ödeshög och Mjölby har ett avtal.</p>" in html
    assert (
        'Källa: Mjölby kommun, kommunens nyhet: <a href="https://mjolby.example/nyhet">Enheten växer</a>, '
        "publicerad 10 januari 2020."
    ) in html
    links = {link.get("hreflang"): link.href for link in sv.links if link.rel == "alternate"}
    assert links == {
        "sv": "http://127.0.0.1:8000/nyheter/enheten-vaxer/",
        "en": "http://127.0.0.1:8000/en/news/the-unit-grows/",
    }


def test_links_in_the_feed_are_absolute(tiny):
    write_item(
        tiny,
        "2020-01-01-lankar",
        "sv",
        "Länkar",
        "2020-01-01",
        body="Läs [om oss](../pages/om.sv.md), [kontakt](/kontakt/), "
        "[rubriken](#rubrik) och [Ödeshög](https://www.example.org/).\n\n![Karta](/assets/favicon.svg)\n\n## Rubrik",
    )
    assert run_build(tiny, "--base-url", "https://example.org/trygghet/").returncode == 0
    entry = next(e for e in parse(tiny / "_site" / FEEDS["sv"]).entries if e.title == "Länkar")
    html = entry.content[0].value
    assert 'href="https://example.org/trygghet/om/"' in html
    assert 'href="https://example.org/trygghet/kontakt/"' in html
    assert 'href="https://example.org/trygghet/nyheter/2020-01-01-lankar/#rubrik"' in html
    assert 'href="https://www.example.org/"' in html
    # The picture under its published, content-hashed name (portal/assets.py), which exists.
    published = next((tiny / "_site/assets").glob("favicon.*.svg")).name
    assert f'src="https://example.org/trygghet/assets/{published}"' in html
    assert entry.link == "https://example.org/trygghet/nyheter/2020-01-01-lankar/"


def ids(feed_path: Path) -> dict:
    feed = parse(feed_path)
    return {"feed": feed.feed.id, **{e.link.rsplit("/", 2)[-2]: e.id for e in feed.entries}}


def test_ids_do_not_change_with_base_url_or_title(tiny):
    write_pair(tiny, "2020-02-02-stabil", "2020-02-02", slug="stabil")
    assert run_build(tiny, "--out", "one").returncode == 0
    news = tiny / "content/news/2020-02-02-stabil.sv.md"
    news.write_text(news.read_text().replace("Nyhet 2020-02-02-stabil", "En helt ny rubrik"))
    assert run_build(tiny, "--out", "two", "--base-url", "https://example.org/annan/").returncode == 0
    first, second = ids(tiny / "one" / FEEDS["sv"]), ids(tiny / "two" / FEEDS["sv"])
    assert first == second and len(first) == 3
    # Every entry and feed id is distinct, across both languages too.
    english = ids(tiny / "one" / FEEDS["en"])
    assert len(set(first.values()) | set(english.values())) == 6


@pytest.mark.parametrize(
    "path",
    [
        "index.html",
        "nyheter/enheten-vaxer/index.html",
        "kontakt/index.html",
        "en/index.html",
        "en/news/archive/index.html",
        "en/contact/index.html",
    ],
)
def test_every_page_links_its_languages_feed_in_head(tiny_built, path):
    page = read(tiny_built / path)
    feeds = [
        link
        for link in page.head_links
        if link.get("rel") == "alternate" and link.get("type") == "application/atom+xml"
    ]
    assert [f["href"] for f in feeds] == ["/" + FEEDS[page.lang]]
    assert feeds[0]["title"].startswith("Nyheter – " if page.lang == "sv" else "News – ")
    assert (tiny_built / FEEDS[page.lang]).is_file()


def test_the_404_page_links_both_feeds(tiny_built):
    hrefs = [
        link["href"] for link in read(tiny_built / "404.html").head_links if link.get("type") == "application/atom+xml"
    ]
    assert hrefs == ["/nyheter/atom.xml", "/en/news/atom.xml"]


def test_every_built_page_links_a_feed(tiny_built):
    for path in tiny_built.rglob("*.html"):
        if path.relative_to(tiny_built).parts[0] == "admin":  # the web editor, not a page of the site
            continue
        assert 'type="application/atom+xml"' in path.read_text(encoding="utf-8"), path


def test_a_feed_holds_the_newest_items_up_to_feed_size_and_the_archive_holds_all(tiny):
    site_yaml = tiny / "data/site.yaml"
    site_yaml.write_text(
        site_yaml.read_text(encoding="utf-8").replace("feed_size: 20", "feed_size: 3"), encoding="utf-8"
    )
    for stem, date in [("2024-03-01-a", "2024-03-01"), ("2025-05-01-b", "2025-05-01"), ("2026-01-10-c", "2026-01-10")]:
        write_pair(tiny, stem, date)
    assert run_build(tiny).returncode == 0
    for lang, word in (("sv", "Nyhet"), ("en", "News")):
        feed = parse(tiny / "_site" / FEEDS[lang])
        assert [e.title for e in feed.entries] == [
            f"{word} 2026-01-10-c",
            f"{word} 2025-05-01-b",
            f"{word} 2024-03-01-a",
        ]
        assert feed.feed.updated == "2026-01-10T00:00:00Z"
    # The 2020 item left the feed, not the site: the archive still lists it.
    archive = read(tiny / "_site/nyheter/arkiv/2020/index.html")
    assert archive.link_to("Enheten växer").href == "/nyheter/enheten-vaxer/"


def test_a_feed_with_no_items_is_still_valid(tiny):
    for item in (tiny / "content/news").glob("*.md"):
        item.unlink()
    assert run_build(tiny).returncode == 0
    feed = parse(tiny / "_site" / FEEDS["en"])
    assert feed.entries == [] and feed.feed.updated  # a page's date, never the build's time
    assert "There is no news yet." in read(tiny / "_site/en/news/index.html").text
