"""Every internal link of the built site resolves: href, src and #anchor.

Runs over the rendered outputs (before anything is written), so `check`,
`build` and the tests all use the same checker. External links are listed,
never fetched: the build must not depend on the network.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from portal import caches
from portal.output import Output

LINK_ATTRS = {("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"), ("source", "src"), ("area", "href")}


@dataclass
class LinkReport:
    broken: list = field(default_factory=list)  # (page path, target, reason)
    external: dict = field(default_factory=dict)  # absolute URL to another host -> the pages that link it


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if (tag, name) in LINK_ATTRS and value is not None:
                self.links.append(value)
            if tag == "a" and name == "name" and value:
                self.ids.add(value)


@dataclass(frozen=True)
class Found:
    """What `check` reads of a page, kept by the build cache so the page is not parsed again."""

    links: tuple
    ids: frozenset


def found(data: bytes) -> tuple[list, set]:
    """(links, ids) of a page, as `check` reads them."""
    page = _parse(data)
    return list(page.links), set(page.ids)


@caches.bounded(64 * caches.MB)  # `serve` rebuilds often; most pages have not changed
def _parse(data: bytes) -> _Collector:
    collector = _Collector()
    collector.feed(data.decode("utf-8", errors="replace"))
    collector.close()
    return collector


def check(outputs: list[Output], base_url: str, known: dict | None = None) -> LinkReport:
    """`known`: output path -> (links, ids) of pages given without their bytes (the build cache's, `found`)."""
    base = urlsplit(base_url)
    files = {o.path for o in outputs}
    pages = {o.path: _parse(o.data) for o in outputs if o.path.endswith(".html") and o.data is not None}
    pages.update({path: Found(tuple(seen[0]), frozenset(seen[1])) for path, seen in (known or {}).items()})
    report = LinkReport()
    for path, page in sorted(pages.items()):
        page_url = base.path + ("" if path == "index.html" else path.removesuffix("index.html"))
        for raw, kind, resolved, fragment in _resolve_all(page_url, page, base):
            if kind == "skip":
                continue
            if kind == "external":
                report.external.setdefault(raw, set()).add(path)
                continue
            if kind == "broken":
                report.broken.append((path, raw, resolved))
                continue
            if resolved is None:  # "#anchor" on this page
                resolved = path
            elif resolved not in files and resolved + "/index.html" in files:
                resolved += "/index.html"
            if resolved not in files:
                report.broken.append((path, raw, "no such page or file"))
                continue
            # "#/collections/…" is a route inside a script's page (the web editor), not an id.
            if fragment and not fragment.startswith("/") and resolved in pages and fragment not in pages[resolved].ids:
                report.broken.append((path, raw, f"no element with id '{fragment}' on that page"))
    return report


@caches.bounded(16 * caches.MB)  # an unchanged page keeps its parse (_parse), so this is reused too
def _resolve_all(page_url: str, page: _Collector, base) -> tuple:
    return tuple((raw, *_resolve(page_url, raw, base)) for raw in page.links)


def _resolve(page_url: str, raw: str, base) -> tuple:
    """(kind, output path or reason, #fragment) for one link written on the page at page_url."""
    target = urlsplit(raw)
    if target.scheme in ("mailto", "tel"):
        return "skip", None, ""
    if (target.scheme or target.netloc) and (target.scheme, target.netloc) != (base.scheme, base.netloc):
        return "external", None, ""
    fragment = unquote(target.fragment)
    link_path = unquote(target.path)
    if not link_path:
        return "internal", None, fragment
    absolute = (
        link_path
        if link_path.startswith("/")
        else posixpath.join(posixpath.dirname(page_url).rstrip("/") + "/", link_path)
    )
    normal = posixpath.normpath(absolute)
    absolute = normal + "/" if absolute.endswith("/") and not normal.endswith("/") else normal
    if not absolute.startswith(base.path):
        return "broken", f"leaves the site's base path {base.path}", fragment
    inside = absolute[len(base.path) :]
    return "internal", inside + "index.html" if inside == "" or inside.endswith("/") else inside, fragment
