"""Markdown to safe HTML: Python-Markdown, then the nh3 allow-list sanitizer.

Editors may write raw HTML in markdown; only the tags and attributes below
survive, so nothing in content can run a script on the published site.
Links to other content files (`om-samverkan.sv.md`) become the page's URL, and
links from the site root (`/en/`) get the site's base path, so content keeps
working when the site is hosted under a sub-path.
"""
from __future__ import annotations

import html
import posixpath
import re

import markdown
import nh3
from markdown.extensions.toc import slugify_unicode

EXTENSIONS = ["extra", "sane_lists", "toc"]
EXTENSION_CONFIGS = {"toc": {"slugify": slugify_unicode, "permalink": False}}

TAGS = {
    "a", "abbr", "blockquote", "br", "caption", "code", "dd", "del", "details", "div", "dl", "dt",
    "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "img", "ins", "kbd", "li",
    "ol", "p", "pre", "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "ul",
}
ATTRIBUTES = {
    "*": {"id", "class", "lang", "title", "dir"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
    "abbr": {"title"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

_HREF = re.compile(r'(href|src)="([^"]*)"')


def to_html(text: str) -> str:
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS, output_format="html")
    return sanitize(md.convert(text))


def sanitize(fragment: str) -> str:
    return nh3.clean(
        fragment,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


def rewrite_links(fragment: str, source: str, resolve, base_path: str):
    """Point links at content files and site-root paths to real URLs.

    `resolve(content_path)` gives the URL path of a content file or None.
    Returns (html, [targets that could not be resolved]).
    """
    missing = []
    folder = posixpath.dirname(source)

    def fix(match):
        attr, raw = match.group(1), html.unescape(match.group(2))
        target, hash_, anchor = raw.partition("#")
        if target.endswith(".md") and "://" not in target:
            path = posixpath.normpath(posixpath.join(folder, target))
            url = resolve(path)
            if url is None:
                missing.append(raw)
                return match.group(0)
            return f'{attr}="{html.escape(base_path + url + hash_ + anchor)}"'
        if raw.startswith("/") and not raw.startswith("//"):
            return f'{attr}="{html.escape(base_path + raw[1:])}"'
        return match.group(0)

    return _HREF.sub(fix, fragment), missing


def first_line_with(text: str, needle: str) -> int | None:
    """1-based line of the first occurrence of needle in text, for error messages."""
    index = text.find(needle)
    return None if index < 0 else text.count("\n", 0, index) + 1
