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
def test_each_language_has_a_valid_atom_feed(built, lang):
    feed = parse(built / FEEDS[lang])
    assert feed.feed.language == lang
    assert feed.feed.id.startswith("urn:uuid:")
    # The item was updated when its sources were attributed correctly (Corren's article, Mjölby's announcement).
    assert feed.feed.updated == "2026-11-30T00:00:00Z"
    assert feed.feed.author == ("Trygghets- och säkerhetsenheten" if lang == "sv" else "The safety and security unit")
    [entry] = feed.entries
    assert entry.title == ("Ödeshög ansluter till samarbetet om trygghet och säkerhet" if lang == "sv"
                           else "Ödeshög joins the collaboration on safety and security")
    assert entry.published == "2019-09-26T00:00:00Z"
    assert [t.term for t in entry.tags] == ["odeshog", "mjolby"]
    root = ET.fromstring((built / FEEDS[lang]).read_bytes())
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{required}") is not None, required
    for element in root.iter(f"{ATOM}entry"):
        for required in ("id", "title", "updated", "link", "content", "summary"):
            assert element.find(f"{ATOM}{required}") is not None, required


def test_entries_have_the_full_text_and_their_translation(built):
    [sv] = parse(built / FEEDS["sv"]).entries
    html = sv.content[0].value
    assert sv.content[0].type == "text/html"
    assert "Ödeshög betalar för 1,135 heltidstjänster på enheten." in html
    assert "Ödeshögs samordnare påverkas inte" in html
    assert "Källor: Mjölby kommun, kommunens nyhet" in html and "Östgöta Correspondenten (Corren), tidningsartikel" in html
    links = {link.get("hreflang"): link.href for link in sv.links if link.rel == "alternate"}
    assert links == {"sv": "http://127.0.0.1:8000/nyheter/odeshog-ansluter/",
                     "en": "http://127.0.0.1:8000/en/news/odeshog-joins-the-collaboration/"}


def test_links_in_the_feed_are_absolute(portal):
    write_item(portal, "2020-01-01-lankar", "sv", "Länkar", "2020-01-01",
               body="Läs [om samverkan](../pages/om-samverkan.sv.md), [kontakt](/kontakt/), "
                    "[rubriken](#rubrik) och [Ödeshög](https://www.example.org/).\n\n![Karta](/assets/favicon.svg)\n\n## Rubrik")
    assert run_build(portal, "--base-url", "https://example.org/trygghet/").returncode == 0
    entry = next(e for e in parse(portal / "_site" / FEEDS["sv"]).entries if e.title == "Länkar")
    html = entry.content[0].value
    assert 'href="https://example.org/trygghet/om-samverkan/"' in html
    assert 'href="https://example.org/trygghet/kontakt/"' in html
    assert 'href="https://example.org/trygghet/nyheter/2020-01-01-lankar/#rubrik"' in html
    assert 'href="https://www.example.org/"' in html
    # The picture under its published, content-hashed name (portal/assets.py), which exists.
    published = next((portal / "_site/assets").glob("favicon.*.svg")).name
    assert f'src="https://example.org/trygghet/assets/{published}"' in html
    assert entry.link == "https://example.org/trygghet/nyheter/2020-01-01-lankar/"


def ids(feed_path: Path) -> dict:
    feed = parse(feed_path)
    return {"feed": feed.feed.id, **{e.link.rsplit("/", 2)[-2]: e.id for e in feed.entries}}


def test_ids_do_not_change_with_base_url_or_title(portal):
    write_pair(portal, "2020-02-02-stabil", "2020-02-02", slug="stabil")
    assert run_build(portal, "--out", "one").returncode == 0
    news = portal / "content/news/2020-02-02-stabil.sv.md"
    news.write_text(news.read_text().replace("Nyhet 2020-02-02-stabil", "En helt ny rubrik"))
    assert run_build(portal, "--out", "two", "--base-url", "https://example.org/annan/").returncode == 0
    first, second = ids(portal / "one" / FEEDS["sv"]), ids(portal / "two" / FEEDS["sv"])
    assert first == second and len(first) == 3
    # Every entry and feed id is distinct, across both languages too.
    english = ids(portal / "one" / FEEDS["en"])
    assert len(set(first.values()) | set(english.values())) == 6


@pytest.mark.parametrize("path", ["index.html", "nyheter/odeshog-ansluter/index.html", "kontakt/index.html",
                                  "en/index.html", "en/news/archive/index.html", "en/contact/index.html"])
def test_every_page_links_its_languages_feed_in_head(built, path):
    page = read(built / path)
    feeds = [link for link in page.head_links if link.get("rel") == "alternate" and link.get("type") == "application/atom+xml"]
    assert [f["href"] for f in feeds] == ["/" + FEEDS[page.lang]]
    assert feeds[0]["title"].startswith("Nyheter – " if page.lang == "sv" else "News – ")
    assert (built / FEEDS[page.lang]).is_file()


def test_the_404_page_links_both_feeds(built):
    hrefs = [link["href"] for link in read(built / "404.html").head_links if link.get("type") == "application/atom+xml"]
    assert hrefs == ["/nyheter/atom.xml", "/en/news/atom.xml"]


def test_every_built_page_links_a_feed(built):
    for path in built.rglob("*.html"):
        if path.relative_to(built).parts[0] == "admin":  # the web editor, not a page of the site
            continue
        assert 'type="application/atom+xml"' in path.read_text(encoding="utf-8"), path


def test_a_feed_holds_the_newest_items_up_to_feed_size_and_the_archive_holds_all(portal):
    site_yaml = portal / "data/site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8").replace("feed_size: 20", "feed_size: 3"), encoding="utf-8")
    for stem, date in [("2024-03-01-a", "2024-03-01"), ("2025-05-01-b", "2025-05-01"), ("2026-01-10-c", "2026-01-10")]:
        write_pair(portal, stem, date)
    assert run_build(portal).returncode == 0
    for lang, word in (("sv", "Nyhet"), ("en", "News")):
        feed = parse(portal / "_site" / FEEDS[lang])
        assert [e.title for e in feed.entries] == [f"{word} 2026-01-10-c", f"{word} 2025-05-01-b", f"{word} 2024-03-01-a"]
        assert feed.feed.updated == "2026-01-10T00:00:00Z"
    # The 2019 item left the feed, not the site: the archive still lists it.
    archive = read(portal / "_site/nyheter/arkiv/2019/index.html")
    assert archive.link_to("Ödeshög ansluter till samarbetet om trygghet och säkerhet").href == "/nyheter/odeshog-ansluter/"


def test_a_feed_with_no_items_is_still_valid(portal):
    for item in (portal / "content/news").glob("*.md"):
        item.unlink()
    assert run_build(portal).returncode == 0
    feed = parse(portal / "_site" / FEEDS["en"])
    assert feed.entries == [] and feed.feed.updated  # a page's date, never the build's time
    assert "There is no news yet." in read(portal / "_site/en/news/index.html").text
