"""Hosted under a sub-path, as on GitHub or GitLab Pages (`https://org.github.io/portal/`).

The real portal is built for http://127.0.0.1:PORT/some/prefix/ and served by a
small server that knows nothing outside the prefix (everything else is a 404),
the way a project site is hosted. Then every page, stylesheet, image, script,
feed and sitemap entry a browser or a feed reader would follow, and every
absolute address in the open data, is fetched: each must answer 200, and none
may lead out of the prefix.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import unquote, urljoin, urlsplit
from urllib.request import HTTPRedirectHandler, build_opener

import pytest

from conftest import copy_portal, run_build
from htmlview import read
from servetools import running

PREFIX = "/some/prefix/"


class _PrefixHandler(BaseHTTPRequestHandler):
    """Serves the site only under PREFIX, like a project site on GitHub Pages."""

    root: Path

    def do_GET(self):  # noqa: N802 - the name http.server calls
        path = unquote(urlsplit(self.path).path)
        if not path.startswith(PREFIX):
            return self._send(404, b"not under the prefix", "text/plain")
        target = (self.root / path[len(PREFIX) :]).resolve()
        if not target.is_relative_to(self.root):
            return self._send(404, b"outside the site", "text/plain")
        if target.is_dir() and not path.endswith("/"):
            # GitHub Pages answers a folder without its slash with a redirect.
            self.send_response(301)
            self.send_header("Location", path + "/")
            self.end_headers()
            return None
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            # A project site's own 404.html answers every missing address under it.
            return self._send(404, (self.root / "404.html").read_bytes(), "text/html; charset=utf-8")
        return self._send(200, target.read_bytes(), _content_type(target))

    def _send(self, status: int, body: bytes, content_type: str):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # keep the test output quiet
        pass


def _content_type(path: Path) -> str:
    return {
        ".html": "text/html; charset=utf-8",
        ".css": "text/css",
        ".svg": "image/svg+xml",
        ".png": "image/png",
        ".xml": "application/xml",
        ".rdf": "application/rdf+xml",
        ".json": "application/json",
        ".js": "text/javascript",
    }.get(path.suffix, "application/octet-stream")


class _NoRedirects(HTTPRedirectHandler):
    """A redirect is reported, not followed: a link should name the address that answers."""

    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = build_opener(_NoRedirects)


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with _OPENER.open(url, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


@contextmanager
def serving(out: Path):
    """Serve the folder `out` under PREFIX on a free port; yields the base URL."""
    handler = type("Handler", (_PrefixHandler,), {"root": out.resolve()})
    with running(ThreadingHTTPServer(("127.0.0.1", 0), handler)) as port:
        yield f"http://127.0.0.1:{port}{PREFIX}"


# A 1×1 PNG: the portal has no pictures yet, and pictures are where sub-paths break.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def add_pictures(root: Path) -> None:
    """A picture in a page (written from the site root, as editors do) and one in the stylesheet."""
    (root / "static/bilder").mkdir()
    (root / "static/bilder/karta.png").write_bytes(PNG)
    (root / "static/assets/prickar.png").write_bytes(PNG[:-20] + bytes([PNG[-20] ^ 1]) + PNG[-19:])
    css = root / "static/assets/site.css"
    css.write_text(css.read_text() + "\n.site-footer { background-image: url(prickar.png); }\n")
    page = root / "content/pages/om-samverkan.sv.md"
    page.write_text(page.read_text() + "\n![Karta över de tre kommunerna](/bilder/karta.png)\n")


def add_moved_page(root: Path) -> None:
    """An old address of a page (aliases:), answered by a redirect page under the prefix."""
    page = root / "content/pages/om-samverkan.sv.md"
    page.write_text(page.read_text().replace("---\n", "---\naliases: [/gammalt/samverkan.html]\n", 1))


@pytest.fixture(scope="module")
def hosted(tmp_path_factory):
    """(base URL, output folder) of the real portal built for and served under PREFIX."""
    root = copy_portal(tmp_path_factory.mktemp("subpath") / "portal")
    add_pictures(root)
    add_moved_page(root)
    out = root / "_site"
    with serving(out) as base:  # the port must be known before the build
        result = run_build(root, "--base-url", base)
        assert result.returncode == 0, result.stderr
        yield base, out


# --- what a browser or feed reader follows ------------------------------------------

_CSS_URL = re.compile(r"""url\(\s*["']?([^)"']+)["']?\s*\)|@import\s+["']([^"']+)["']""")


def references(url: str, content_type: str, body: bytes) -> list[str]:
    """Absolute URLs that a response points at."""
    text = body.decode("utf-8", errors="replace")
    found = []
    if "html" in content_type:
        found = _parse_html(text)
    elif "css" in content_type:
        found = [a or b for a, b in _CSS_URL.findall(text)]
    elif "xml" in content_type:
        found = _xml_urls(text)
    elif "json" in content_type:
        found = [v for v in _json_strings(json.loads(text)) if v.startswith(("http://", "https://"))]
    elif url.endswith("robots.txt"):
        found = [line.split(":", 1)[1].strip() for line in text.splitlines() if line.lower().startswith("sitemap:")]
    return [urljoin(url, ref) for ref in found if not ref.startswith(("mailto:", "tel:", "data:", "#"))]


def _parse_html(text: str) -> list[str]:
    from html.parser import HTMLParser

    urls = []

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            for name, value in attrs:
                if value and name in ("href", "src"):
                    urls.append(value)
                elif value and name in ("srcset", "imagesrcset"):
                    urls.extend(part.split()[0] for part in value.split(",") if part.strip())

    parser = Parser()
    parser.feed(text)
    parser.close()
    return urls


def _xml_urls(text: str) -> list[str]:
    """Every URL in a sitemap, feed or RDF catalogue: element text and attributes."""
    urls = []
    for element in ET.fromstring(text.encode("utf-8")).iter():
        value = (element.text or "").strip()
        if value.startswith(("http://", "https://", "/")):
            urls.append(value)
        # href/url/src (feeds, sitemaps) and absolute IRIs (rdf:about, rdf:resource in the catalogue)
        urls += [
            v for k, v in element.attrib.items() if k in ("href", "url", "src") or v.startswith(("http://", "https://"))
        ]
    return urls


def _json_strings(value):
    """Every string in a JSON document (open data, schemas): absolute ones on this host must resolve."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


def crawl(base: str, start: list[str]):
    """Fetch everything reachable from `start` on this host. Returns (answers, escapes, seen_on)."""
    host = urlsplit(base).netloc
    answers, escapes, seen_on = {}, [], {}
    queue = list(start)
    while queue:
        url = queue.pop()
        if url in answers:
            continue
        status, content_type, body = fetch(url)
        answers[url] = (status, content_type)
        if status != 200:
            continue
        for ref in references(url, content_type, body):
            target = ref.split("#")[0]
            if urlsplit(target).netloc != host:
                continue  # other hosts are listed by the link checker, never fetched
            if not urlsplit(target).path.startswith(PREFIX):
                escapes.append((url, ref))
                continue
            seen_on.setdefault(target, url)
            queue.append(target)
    return answers, escapes, seen_on


def site_urls(base: str, out: Path) -> list[str]:
    """The address of every page, feed, sitemap and JSON or RDF document in the output."""
    urls = []
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out).as_posix()
        if path.name == "index.html":
            urls.append(base + rel.removesuffix("index.html"))
        elif path.suffix in (".html", ".xml", ".rdf", ".json") or path.name == "robots.txt":
            urls.append(base + rel)
    return urls


# --- the tests ---------------------------------------------------------------------------


def test_the_server_knows_nothing_outside_the_prefix(hosted):
    base, _ = hosted
    root = base.removesuffix(PREFIX) + "/"
    assert fetch(root)[0] == 404
    assert fetch(root + "en/")[0] == 404
    assert fetch(base)[0] == 200
    assert fetch(base + "en/")[0] == 200


def test_every_page_and_everything_it_uses_resolves_under_the_prefix(hosted):
    base, out = hosted
    start = site_urls(base, out)
    answers, escapes, seen_on = crawl(base, start)
    assert escapes == [], "links that leave the prefix (page, link): " + repr(escapes[:10])
    failed = {url: status for url, (status, _) in answers.items() if status != 200}
    assert failed == {}, {url: (status, seen_on.get(url)) for url, status in failed.items()}
    # Not vacuous: every page was fetched, and so were its stylesheet and icon.
    pages = [u for u, (_, ct) in answers.items() if "html" in ct]
    assert len(pages) >= len(list(out.rglob("*.html")))
    kinds = {ct.split(";")[0] for _, ct in answers.values()}
    assert {"text/html", "text/css", "image/svg+xml", "image/png"} <= kinds
    assert len([u for u, (_, ct) in answers.items() if ct == "image/png"]) == 2  # in a page and in the stylesheet
    # Feeds and sitemaps, when the site has them, were read and their entries followed.
    for xml in out.rglob("*.xml"):
        assert base + xml.relative_to(out).as_posix() in answers


def test_the_language_switcher_leads_to_the_page_in_the_other_language(hosted):
    base, out = hosted
    checked = 0
    for path in sorted(out.rglob("index.html")):
        if path.relative_to(out).parts[0] == "admin":  # the web editor, not a page of the site
            continue
        page_url = base + path.relative_to(out).as_posix().removesuffix("index.html")
        page = read(path)
        switch = [link for link in page.links if link.attrs.get("hreflang") and link.attrs.get("lang")]
        assert switch, f"no language switcher on {page_url}"
        for link in switch:
            target = urljoin(page_url, link.href)
            assert urlsplit(target).path.startswith(PREFIX), (page_url, link.href)
            status, _, body = fetch(target)
            assert status == 200, (page_url, link.href, status)
            lang = re.search(rb'<html lang="([^"]+)"', body).group(1).decode()
            assert lang == link.attrs["hreflang"], (page_url, link.href)
            checked += 1
    assert checked >= 17  # every page of the portal has one


def test_a_missing_address_under_the_prefix_gets_the_404_page_with_its_style(hosted):
    base, _ = hosted
    status, content_type, body = fetch(base + "en/no-such-page/")
    assert status == 404 and "html" in content_type
    assert b"Page not found" in body or b"not found" in body.lower()
    refs = [
        r
        for r in references(base + "en/no-such-page/", content_type, body)
        if urlsplit(r).netloc == urlsplit(base).netloc
    ]
    stylesheets = [r for r in refs if r.endswith(".css")]
    assert stylesheets, "the 404 page has no stylesheet"
    # The 404 page is served at any address, so its links must not be relative to it.
    for ref in refs:
        assert urlsplit(ref).path.startswith(PREFIX), ref
        assert fetch(ref.split("#")[0])[0] == 200, ref


def test_canonical_and_alternate_addresses_name_the_public_prefix(hosted):
    base, out = hosted
    page = read(out / "om-samverkan/index.html")
    absolute = [
        link["href"]
        for link in page.head_links
        if link.get("rel") in ("canonical", "alternate") and link["href"].startswith("http")
    ]
    assert len(absolute) >= 2
    for href in absolute:
        assert href.startswith(base), href
        assert fetch(href)[0] == 200, href


def test_an_old_address_redirects_to_the_page_under_the_prefix(hosted):
    base, _ = hosted
    status, content_type, body = fetch(base + "gammalt/samverkan.html")
    assert status == 200 and "html" in content_type
    target = re.search(rb'<meta http-equiv="refresh" content="0; url=([^"]+)">', body).group(1).decode()
    assert target == base + "om-samverkan/"
    assert fetch(target)[0] == 200
    for ref in references(base + "gammalt/samverkan.html", content_type, body):
        assert urlsplit(ref).path.startswith(PREFIX), ref
        assert fetch(ref)[0] == 200, ref


def test_the_crawler_finds_links_that_escape_the_prefix_or_answer_404(tmp_path):
    """The checks above can fail: a doctored site with one mistake of each kind."""
    (tmp_path / "404.html").write_text("<!DOCTYPE html><title>404</title>")
    (tmp_path / "index.html").write_text(
        '<!DOCTYPE html><link rel="stylesheet" href="style.css"><a href="/">root</a>'
        '<img src="missing.png" alt=""><a href="sub">no slash</a>'
    )
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub/index.html").write_text("<!DOCTYPE html><p>sub</p>")
    (tmp_path / "style.css").write_text("body { background: url(/bg.png) }")
    with serving(tmp_path) as base:
        (tmp_path / "sitemap.xml").write_text(
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{base}gone/</loc></url></urlset>'
        )
        (tmp_path / "data.json").write_text(json.dumps({"$id": base.removesuffix(PREFIX) + "/data.json"}))
        answers, escapes, _ = crawl(base, site_urls(base, tmp_path))
    root = base.removesuffix(PREFIX)
    assert sorted(ref for _, ref in escapes) == sorted([root + "/", root + "/bg.png", root + "/data.json"])
    failed = {url.removeprefix(base): status for url, (status, _) in answers.items() if status != 200}
    assert failed == {"missing.png": 404, "sub": 301, "gone/": 404}
