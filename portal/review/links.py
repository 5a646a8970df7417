"""Every internal link of the built site resolves: href, src and #anchor.

Runs over the rendered outputs (before anything is written), so `check`,
`build` and the tests all use the same checker. External links are listed,
never fetched: the build must not depend on the network.
"""

from __future__ import annotations

import html
import posixpath
import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from portal import caches
from portal.messages import _
from portal.output import Output

LINK_ATTRS = {("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"), ("source", "src"), ("area", "href")}


@dataclass
class LinkReport:
    broken: list = field(default_factory=list)  # (page path, target, reason)
    external: dict = field(default_factory=dict)  # absolute URL to another host -> the pages that link it


class _Collector(HTMLParser):
    """html.parser's reading of a page: for the pages `_scan` cannot read whole."""

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


def found(data: bytes) -> tuple[list, set]:
    """(links, ids) of a page, as `check` reads them."""
    page = _parse(data)
    return list(page.links), set(page.ids)


def record(data: bytes) -> tuple[tuple, frozenset]:
    """`found`, for a build that reads each page once and keeps only this of it: not remembered
    by the page's bytes, and each text shared with the other pages that have it (the menus'
    links are on every page)."""
    page = _read(data)
    return tuple(map(sys.intern, page.links)), frozenset(map(sys.intern, page.ids))


class _Page:
    """What the check needs of one page: its links in order, and the ids and names it has."""

    __slots__ = ("links", "ids")

    def __init__(self, links: list, ids: set):
        self.links, self.ids = links, ids

    def both(self) -> tuple:
        return self.links, self.ids


# One pass of regular expressions over a page, reading it as html.parser does (a second
# parse with html.parser was a fifth of a build). It knows the well-formed subset the
# engine writes: start tags whose attributes are name, name=value with the value in
# quotes (which may hold ">") or bare, separated by ASCII whitespace; end tags,
# comments, declarations and processing instructions; the raw text of <script> and
# <style>. Anything else (an unterminated tag, <![CDATA[, an attribute after a "/", …)
# and the page is read by html.parser instead, so the result never differs; the real
# site's pages never need it (tests/test_links_scan.py). Names are matched letter by
# letter ([iI][dD]): `str.lower()` is what html.parser compares, and no other
# character lowers to these ASCII letters.
_WS = r"[ \t\n\r\f]"
_VALUE = r"""(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+)"""
_NAME_END = r"""(?![^\s"'<>/=])"""
_WANTED = rf"(?:[iI][dD]|[nN][aA][mM][eE]|[hH][rR][eE][fF]|[sS][rR][cC]){_NAME_END}"
_RAW = r"(?:[sS][cC][rR][iI][pP][tT]|[sS][tT][yY][lL][eE])"
_TAG_NAME = r"[a-zA-Z][a-zA-Z0-9:_.-]*(?=[ \t\n\r\f/>])"
_OTHER_ATTRIBUTE = rf"""{_WS}+(?!{_WANTED})[^\s"'<>/=]+(?:{_WS}*={_WS}*{_VALUE})?"""
_ATTRIBUTE = re.compile(rf"""{_WS}+([^\s"'<>/=]+)(?:{_WS}*={_WS}*({_VALUE}))?""")
_PASSED = (  # what holds no link nor anchor: text, end tags, comments, …, start tags without them
    r"[^<]+"
    r"|</[^>]*>"
    r"|<!--.*?--\s*>"
    r"|<!(?!--|\[)[^>]*>"
    r"|<\?[^>]*>"
    r"|<(?![a-zA-Z/!?])"
    rf"|<(?!{_RAW}[ \t\n\r\f/>]){_TAG_NAME}(?:{_OTHER_ATTRIBUTE})*{_WS}*/?>"
)
_NEXT = re.compile(
    rf"(?:{_PASSED})*+"
    rf"(?:<(?P<tag>{_TAG_NAME})(?P<attributes>(?:{_WS}+[^\s\"'<>/=]+(?:{_WS}*={_WS}*{_VALUE})?)*){_WS}*(?P<end>/?)>|\Z)",
    re.DOTALL,
)
_RAW_END = {
    "script": re.compile(r"</\s*[sS][cC][rR][iI][pP][tT]\s*>"),
    "style": re.compile(r"</\s*[sS][tT][yY][lL][eE]\s*>"),
}


def _scan(text: str) -> _Page | None:
    """The page's links and anchors as html.parser reads them, or None if it is not in the subset `_NEXT` knows."""
    links, ids = [], set()
    position, size = 0, len(text)
    while position < size:
        match = _NEXT.match(text, position)
        if match is None:
            return None
        tag = match["tag"]
        if tag is None:  # the end of the page
            break
        tag = tag.lower()
        for attribute in _ATTRIBUTE.finditer(match["attributes"]):
            name, value = attribute.groups()
            name = name.lower()
            if value is not None:
                if value[:1] in "\"'":
                    value = value[1:-1]
                if value:
                    value = html.unescape(value)
            if name == "id" and value:
                ids.add(value)
            if (tag, name) in LINK_ATTRS and value is not None:
                links.append(value)
            if tag == "a" and name == "name" and value:
                ids.add(value)
        position = match.end()
        if tag in _RAW_END and not match["end"]:  # html.parser reads nothing more up to </script>
            end = _RAW_END[tag].search(text, position)
            if end is None:
                break
            position = end.end()
    return _Page(links, ids)


def _read(data: bytes) -> _Page:
    text = data.decode("utf-8", errors="replace")
    page = _scan(text)
    if page is None:
        collector = _Collector()
        collector.feed(text)
        collector.close()
        page = _Page(collector.links, collector.ids)
    return page


_parse = caches.bounded(
    512 * caches.MB, size=lambda args, page: len(args[0]) + 128 * (len(page.links) + len(page.ids))
)(_read)  # `serve` rebuilds often; most pages have not changed


def check(outputs: list[Output], base_url: str, known: dict | None = None) -> LinkReport:
    """`known`: output path -> (links, ids) of pages given without their bytes (the build cache's, `found`)."""
    base = urlsplit(base_url)
    files = {o.path for o in outputs}
    # path -> (links, ids): a page's ids are few, any collection does
    known = known or {}
    pages = {
        o.path: _parse(o.data).both()
        for o in outputs
        if o.path.endswith(".html") and o.data is not None and o.path not in known
    }
    pages.update(known)
    report = LinkReport()
    # A link that starts with "/" or with a scheme (https:) has the same target, and so the same
    # verdict, on every page: judged once, not once per page (the menus and the news lists put
    # thousands on each site; each page's own address is on it, in full, for its language links).
    # Not one that names no path (#x, https://host#x): that is the page it is on.
    judged = {}
    for path, (links, _ids) in sorted(pages.items()):
        page_url = base.path + ("" if path == "index.html" else path.removesuffix("index.html"))
        for raw in links:
            verdict = judged.get(raw, _UNSEEN)
            if verdict is _UNSEEN:
                anywhere = raw[:1] in ("/", "#") or _SCHEME.match(raw) is not None
                where = _resolve_anywhere(raw, base) if anywhere else _resolve(page_url, raw, base)
                verdict = _judge(path, where, files, pages)
                if anywhere and not (where[0] == "internal" and where[1] is None):
                    judged[raw] = verdict
            if verdict is None:
                continue
            if verdict is _EXTERNAL:
                report.external.setdefault(raw, set()).add(path)
            else:
                report.broken.append((path, raw, verdict))
    return report


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")  # what urlsplit reads as a scheme
_UNSEEN = object()
_EXTERNAL = object()


def _judge(path: str, where: tuple, files: set, pages: dict):
    """None for a good link (or one not checked), _EXTERNAL, or why the link is broken; `where`
    is _resolve's answer for it on the page at `path`."""
    kind, resolved, fragment = where
    if kind == "skip":
        return None
    if kind == "external":
        return _EXTERNAL
    if kind == "broken":
        return resolved
    if resolved is None:  # "#anchor" on this page
        resolved = path
    elif resolved not in files and resolved + "/index.html" in files:
        resolved += "/index.html"
    if resolved not in files:
        return _("no such page or file")
    # "#/collections/…" is a route inside a script's page (the web editor), not an id.
    if fragment and not fragment.startswith("/") and resolved in pages and fragment not in pages[resolved][1]:
        return _("no element with id '{id}' on that page", id=fragment)
    return None


@caches.bounded(16 * caches.MB, size=lambda args, found: 2 * len(args[0]) + 256)
def _resolve_anywhere(raw: str, base) -> tuple:
    """A link that means the same on every page (an absolute path, a #fragment), resolved once:
    the menus' and the news lists' links are on thousands of pages."""
    return _resolve("/", raw, base)


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
        return "broken", _("leaves the site's base path {path}", path=base.path), fragment
    inside = absolute[len(base.path) :]
    return "internal", inside + "index.html" if inside == "" or inside.endswith("/") else inside, fragment
