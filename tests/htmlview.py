"""Read a built page the way a person (or a screen reader) meets it."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path


@dataclass
class Link:
    href: str
    text: str
    attrs: dict


@dataclass
class Page:
    lang: str = ""
    title: str = ""
    links: list = field(default_factory=list)  # <a> in the body
    head_links: list = field(default_factory=list)  # <link> in the head, as attr dicts
    metas: list = field(default_factory=list)
    scripts: list = field(default_factory=list)
    images: list = field(default_factory=list)
    headings: list = field(default_factory=list)  # (level, text)
    ids: set = field(default_factory=set)
    text: str = ""

    def link_to(self, text: str) -> Link:
        matches = [link for link in self.links if link.text == text]
        assert matches, f"no link with the text {text!r}; links: {[link.text for link in self.links]}"
        return matches[0]

    def meta(self, key: str, value: str) -> dict | None:
        return next((m for m in self.metas if m.get(key) == value), None)


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._text = []
        self._a = None
        self._heading = None
        self._title = False
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.page.ids.add(a["id"])
        if tag == "html":
            self.page.lang = a.get("lang", "")
        elif tag == "title":
            self._title = True
        elif tag == "a":
            self._a = (a, [])
        elif tag == "link":
            self.page.head_links.append(a)
        elif tag == "meta":
            self.page.metas.append(a)
        elif tag == "script":
            self.page.scripts.append(a)
            self._skip += 1
        elif tag == "style":
            self._skip += 1
        elif tag == "img":
            self.page.images.append(a)
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading = (int(tag[1]), [])

    def handle_endtag(self, tag):
        if tag == "title":
            self._title = False
        elif tag == "a" and self._a:
            attrs, text = self._a
            self.page.links.append(Link(attrs.get("href", ""), " ".join("".join(text).split()), attrs))
            self._a = None
        elif tag in ("script", "style"):
            self._skip -= 1
        elif self._heading and tag == f"h{self._heading[0]}":
            self.page.headings.append((self._heading[0], " ".join("".join(self._heading[1]).split())))
            self._heading = None

    def handle_data(self, data):
        if self._skip:
            return
        if self._title:
            self.page.title += data
            return
        self._text.append(data)
        if self._a:
            self._a[1].append(data)
        if self._heading:
            self._heading[1].append(data)

    def close(self):
        super().close()
        self.page.text = " ".join(" ".join(self._text).split())


def read(path: Path) -> Page:
    parser = _Parser()
    parser.feed(Path(path).read_text(encoding="utf-8"))
    parser.close()
    return parser.page
